"""An aiosmtpd handler for ftop's digest tests.

Run as: python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c ftop_smtp_handler.Writer DIRECTORY
(with this directory on PYTHONPATH). Each accepted message is written to DIRECTORY as
NNNN.eml (the envelope's recipients first, as an X-Envelope-To line), renamed into place
once complete. A recipient whose address contains "+refuse-once@" is refused with a
temporary failure (451) the first time it is offered, and accepted afterwards; each
refusal is appended to DIRECTORY/refused.log.
"""

import os


class Writer:
    def __init__(self, directory):
        self.directory = directory
        self.refused = set()
        self.count = 0
        os.makedirs(directory, exist_ok=True)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("ftop_smtp_handler.Writer takes one argument: the output directory")
        return cls(args[0])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if "+refuse-once@" in address and address not in self.refused:
            self.refused.add(address)
            with open(os.path.join(self.directory, "refused.log"), "a") as f:
                f.write(address + "\n")
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = os.path.join(self.directory, "%04d.eml" % self.count)
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        with open(name + ".tmp", "wb") as f:
            f.write(("X-Envelope-To: " + ", ".join(envelope.rcpt_tos) + "\r\n").encode())
            f.write(content)
        os.rename(name + ".tmp", name)
        return "250 Message accepted"
