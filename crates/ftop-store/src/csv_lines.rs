//! CSV input (import files, usage uploads) whose records are numbered by the line of the file they start on (the header
//! is line 1).
//!
//! The csv crate gives a record the position where its reader stood before the record: past
//! the previous record's `\n`. That is the record's line only when the previous line ended in
//! a plain `\n` and no blank line follows it. After a CRLF the reader stands before the `\n`
//! (one line too early); after blank lines it stands on the first of them (one line early
//! per blank line); and a bare CR is no line end to its counter at all (every record on
//! line 1). [`LineEnds`] hands the parser every line end as one `\n` (CRLF and a bare CR
//! alike) and remembers where runs of blank lines are, and [`LineEnds::line_of`] adds the
//! blank lines the parser skipped at a record's position. Byte offsets count the normalised
//! stream; they serve only progress bars.

use std::collections::VecDeque;
use std::io::{self, Read};

/// A reader that turns CRLF and a bare CR into LF and notes where blank lines are.
#[derive(Debug)]
pub struct LineEnds<R> {
    inner: R,
    /// The last byte handed out was a CR turned into LF: a LF that follows is dropped.
    after_cr: bool,
    /// Bytes handed out so far.
    offset: u64,
    /// The last byte handed out was a LF (true at the start: a LF there is a blank line).
    after_lf: bool,
    /// Runs of blank lines not yet passed by a record: offset of the first one's LF and
    /// the number of lines.
    blank_runs: VecDeque<(u64, u64)>,
    /// The longest line allowed, in bytes (without its line end).
    max_line: u64,
    /// The line being handed out (1-based) and its bytes so far.
    line: u64,
    line_len: u64,
}

impl<R: Read> LineEnds<R> {
    pub fn new(inner: R) -> Self {
        LineEnds {
            inner,
            after_cr: false,
            offset: 0,
            after_lf: true,
            blank_runs: VecDeque::new(),
            max_line: u64::MAX,
            line: 1,
            line_len: 0,
        }
    }

    /// Refuses lines longer than `max` bytes: reading fails with an error naming the line
    /// as soon as the line passes the limit, so such a line is never held whole.
    pub fn max_line(mut self, max: u64) -> Self {
        self.max_line = max;
        self
    }

    /// The line of the file being read (1-based): where a read error stopped.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Counts the lines of `out` (the next bytes handed out) against the line limit.
    fn check_lines(&mut self, out: &[u8]) -> io::Result<()> {
        let mut start = 0;
        for i in memchr::memchr_iter(b'\n', out).chain([out.len()]) {
            self.line_len += (i - start) as u64;
            if self.line_len > self.max_line {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "line {}: longer than {} bytes",
                        self.line,
                        ftop_domain::limits::group(self.max_line)
                    ),
                ));
            }
            if i < out.len() {
                self.line += 1;
                self.line_len = 0;
            }
            start = i + 1;
        }
        Ok(())
    }

    /// Rewrites `buf[..n]` in place, CRLF and bare CR to LF; returns the bytes kept.
    fn normalise(&mut self, buf: &mut [u8], n: usize) -> usize {
        // `w` (bytes kept) never passes `r` (bytes looked at).
        let (mut r, mut w) = (0, 0);
        if std::mem::take(&mut self.after_cr) && buf[0] == b'\n' {
            r = 1;
        }
        while let Some(p) = memchr::memchr(b'\r', &buf[r..n]) {
            let cr = r + p;
            buf.copy_within(r..cr, w);
            w += cr - r;
            buf[w] = b'\n';
            w += 1;
            r = cr + 1;
            if r == n {
                self.after_cr = true;
                break;
            }
            if buf[r] == b'\n' {
                r += 1;
            }
        }
        buf.copy_within(r..n, w);
        w + (n - r)
    }

    /// Notes the blank lines in `out`, the next bytes handed out.
    fn note_blank_lines(&mut self, out: &[u8]) {
        for i in memchr::memchr_iter(b'\n', out) {
            let blank = if i == 0 {
                self.after_lf
            } else {
                out[i - 1] == b'\n'
            };
            if blank {
                let at = self.offset + i as u64;
                match self.blank_runs.back_mut() {
                    Some((start, len)) if *start + *len == at => *len += 1,
                    _ => self.blank_runs.push_back((at, 1)),
                }
            }
        }
        if let Some(&last) = out.last() {
            self.after_lf = last == b'\n';
        }
        self.offset += out.len() as u64;
    }

    /// The line of the file a record starts on, from its csv position. Records must be
    /// asked for in the order they were read.
    pub fn line_of(&mut self, pos: &csv::Position) -> u64 {
        let at = pos.byte();
        while self
            .blank_runs
            .front()
            .is_some_and(|&(start, len)| start + len <= at)
        {
            self.blank_runs.pop_front();
        }
        let skipped = match self.blank_runs.front() {
            Some(&(start, len)) if start <= at => start + len - at,
            _ => 0,
        };
        pos.line() + skipped
    }
}

impl<R: Read> Read for LineEnds<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let n = self.inner.read(buf)?;
            if n == 0 {
                return Ok(0);
            }
            let w = self.normalise(buf, n);
            if w > 0 {
                self.check_lines(&buf[..w])?;
                self.note_blank_lines(&buf[..w]);
                return Ok(w);
            }
        }
    }
}

/// The line of the file `rec`, just read by `r`, starts on.
pub fn record_line<R: Read>(r: &mut csv::Reader<LineEnds<R>>, rec: &csv::ByteRecord) -> u64 {
    rec.position().map_or(0, |p| r.get_mut().line_of(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader handing out `.0` in pieces of at most `.1` bytes.
    struct Chunks<'a>(&'a [u8], usize);
    impl Read for Chunks<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(self.1).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    /// Reads `input` through [`LineEnds`] in chunks of `chunk` bytes.
    fn normalised(input: &[u8], chunk: usize) -> Vec<u8> {
        let mut out = Vec::new();
        LineEnds::new(Chunks(input, chunk))
            .read_to_end(&mut out)
            .expect("read");
        out
    }

    #[test]
    fn a_line_over_the_limit_fails_with_its_number_at_any_chunk_boundary() {
        let input = b"h\r\nshort\r\n0123456789\n";
        for chunk in 1..=input.len() {
            let mut out = Vec::new();
            let e = LineEnds::new(Chunks(input, chunk))
                .max_line(9)
                .read_to_end(&mut out)
                .map(|_| ());
            assert_eq!(e.unwrap_err().to_string(), "line 3: longer than 9 bytes");
            let mut ok = Vec::new();
            LineEnds::new(Chunks(input, chunk))
                .max_line(10)
                .read_to_end(&mut ok)
                .expect("ten bytes fit");
        }
    }

    #[test]
    fn every_line_end_becomes_one_lf_at_any_chunk_boundary() {
        let input = b"a,b\r\n1,2\r\r\n3\r4\n\n\"x\r\ny\"\r\n\r";
        let want = b"a,b\n1,2\n\n3\n4\n\n\"x\ny\"\n\n";
        for chunk in 1..=input.len() {
            assert_eq!(normalised(input, chunk), want, "chunk {chunk}");
        }
        assert_eq!(normalised(b"no line end", 4), b"no line end");
        assert_eq!(normalised(b"", 4), b"");
    }

    /// Lines of the records of `text` (after its header), read in buffers of `cap` bytes.
    fn lines(text: &str, cap: usize) -> Vec<u64> {
        let mut r = csv::ReaderBuilder::new()
            .buffer_capacity(cap)
            .flexible(true)
            .from_reader(LineEnds::new(text.as_bytes()));
        let mut rec = csv::ByteRecord::new();
        let mut out = Vec::new();
        while r.read_byte_record(&mut rec).expect("record") {
            out.push(record_line(&mut r, &rec));
        }
        out
    }

    #[test]
    fn records_are_numbered_by_the_line_they_start_on() {
        // Header on line 1; records on lines 2, 3, 6 (after two blank lines), 7 (a quoted
        // field over three lines, one of them blank) and 10.
        let lf = "h,v\n1,a\n2,b\n\n\n3,c\n4,\"x\n\ny\"\n5,e\n";
        let want = [2, 3, 6, 7, 10];
        for (name, text) in [
            ("lf", lf.to_string()),
            ("crlf", lf.replace('\n', "\r\n")),
            ("cr", lf.replace('\n', "\r")),
            ("no final line end", lf.trim_end().to_string()),
        ] {
            for cap in [1, 2, 3, 7, 64, 1 << 16] {
                assert_eq!(lines(&text, cap), want, "{name}, buffer {cap}");
            }
        }
        // Blank lines before the header.
        let leading = format!("\n\n{lf}");
        assert_eq!(lines(&leading, 3), want.map(|l| l + 2));
        assert_eq!(
            lines(&leading.replace('\n', "\r\n"), 5),
            want.map(|l| l + 2)
        );
    }
}
