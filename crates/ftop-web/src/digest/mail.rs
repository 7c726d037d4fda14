//! A digest as a message (plain text and HTML, `multipart/alternative`, with RFC 8058's
//! one-click unsubscribe headers) and its delivery over SMTP (lettre; STARTTLS when the
//! server offers it on `smtp://`, TLS from the first byte on `smtps://`).

use crate::i18n::Lang;
use crate::pages::queue::{detail, kind_id};
use ftop_domain::text::FluentValue;
use ftop_store::{MilestoneReached, QueueItem, User};
use lettre::message::header::{
    ContentTransferEncoding, ContentType, Header, HeaderName, HeaderValue,
};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use maud::html;

/// Why a digest was not delivered.
#[derive(Debug, thiserror::Error)]
pub enum SmtpError {
    /// The settings (`--smtp-url`, `--smtp-from`, `--public-url`) are not usable.
    #[error("SMTP settings: {0}")]
    Settings(String),
    /// The message could not be made (an address refused, the database unreachable).
    #[error("composing the digest: {0}")]
    Compose(String),
    /// The SMTP server refused or could not be reached.
    #[error("SMTP delivery: {0}")]
    Delivery(String),
}

/// Where digests go out from.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The portal's address, without a trailing slash (links in the digests).
    public_url: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// A mailer for `smtp://[user:password@]host[:port]` (STARTTLS when offered, port 25
    /// by default) or `smtps://…` (implicit TLS, port 465), sending as `from` with links
    /// to `public_url`.
    pub fn new(url: &str, from: &str, public_url: &str) -> Result<Mailer, SmtpError> {
        let bad = |m: &str| SmtpError::Settings(m.to_string());
        let (implicit_tls, rest) = if let Some(r) = url.strip_prefix("smtp://") {
            (false, r)
        } else if let Some(r) = url.strip_prefix("smtps://") {
            (true, r)
        } else {
            return Err(bad("the SMTP URL must start with smtp:// or smtps://"));
        };
        let rest = rest.trim_end_matches('/');
        let (auth, hostport) = match rest.rsplit_once('@') {
            Some((a, h)) => (Some(a), h),
            None => (None, rest),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (
                h,
                p.parse::<u16>()
                    .map_err(|_| bad("the SMTP URL's port is not a number"))?,
            ),
            None => (hostport, if implicit_tls { 465 } else { 25 }),
        };
        if host.is_empty() {
            return Err(bad("the SMTP URL names no host"));
        }
        let params = TlsParameters::new(host.to_string()).map_err(|e| bad(&e.to_string()))?;
        let tls = if implicit_tls {
            Tls::Wrapper(params)
        } else {
            Tls::Opportunistic(params)
        };
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .tls(tls)
            .timeout(Some(std::time::Duration::from_secs(30)));
        if let Some(a) = auth {
            let (user, password) = a.split_once(':').unwrap_or((a, ""));
            b = b.credentials(Credentials::new(
                percent_decoded(user),
                percent_decoded(password),
            ));
        }
        let from: Mailbox = from
            .parse()
            .map_err(|e| bad(&format!("--smtp-from: {e}")))?;
        let public_url = public_url.trim_end_matches('/').to_string();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(bad("the public URL must start with http:// or https://"));
        }
        Ok(Mailer {
            transport: b.build(),
            from,
            public_url,
        })
    }

    /// Sends `digest` to `to`.
    pub(super) async fn send(&self, to: &str, digest: &Digest<'_>) -> Result<(), SmtpError> {
        let to: Mailbox = to
            .parse()
            .map_err(|e| SmtpError::Compose(format!("{to}: {e}")))?;
        let unsubscribe = format!("{}/unsubscribe?token={}", self.public_url, digest.token);
        let m = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(digest.subject())
            .header(ListUnsubscribe(format!("<{unsubscribe}>")))
            .header(ListUnsubscribePost)
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            // Readable as sent (and by the tests), whatever the language.
                            .header(ContentTransferEncoding::QuotedPrintable)
                            .body(digest.text(&self.public_url, &unsubscribe)),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .header(ContentTransferEncoding::QuotedPrintable)
                            .body(digest.html(&self.public_url, &unsubscribe)),
                    ),
            )
            .map_err(|e| SmtpError::Compose(e.to_string()))?;
        self.transport
            .send(m)
            .await
            .map(|_| ())
            .map_err(|e| SmtpError::Delivery(e.to_string()))
    }
}

/// A URL's user name or password with its `%XX` escapes undone (a `+` stays a `+`).
fn percent_decoded(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(x) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(x);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `List-Unsubscribe: <https://…/unsubscribe?token=…>`.
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
#[derive(Debug, Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".into())
    }
}

/// What one digest says.
pub(super) struct Digest<'a> {
    pub(super) lang: Lang,
    pub(super) user: &'a User,
    pub(super) weekly: bool,
    pub(super) items: &'a [QueueItem],
    pub(super) reached: &'a [MilestoneReached],
    pub(super) token: &'a str,
}

impl Digest<'_> {
    fn subject(&self) -> String {
        let count = [("count", FluentValue::from(self.items.len()))];
        if self.weekly {
            self.lang.t_with("digest-subject-weekly", &count)
        } else {
            self.lang.t_with("digest-subject-daily", &count)
        }
    }

    fn milestone(&self, m: &MilestoneReached) -> String {
        let service =
            ftop_domain::catalogue::service(&m.service).map_or(m.service.as_str(), |x| x.name);
        self.lang.t_with(
            "digest-milestone",
            &[
                ("tenant", FluentValue::from(m.tenant_name.as_str())),
                ("service", FluentValue::from(service)),
                ("percent", FluentValue::from(m.milestone)),
                ("date", FluentValue::from(self.lang.day(&m.reached))),
            ],
        )
    }

    fn greeting(&self) -> String {
        self.lang.t_with(
            "digest-greeting",
            &[("name", FluentValue::from(self.user.name.as_str()))],
        )
    }

    fn text(&self, base: &str, unsubscribe: &str) -> String {
        let l = self.lang;
        let mut s = format!("{}\n\n{}\n\n", self.greeting(), l.t("queue-title"));
        if self.items.is_empty() {
            s.push_str(&format!("{}\n", l.t("queue-empty")));
        }
        for i in self.items {
            let mut line = format!(
                "- {} · {} · {}",
                l.day(&i.due),
                l.t(&kind_id(i.kind)),
                i.tenant_name
            );
            let d = detail(l, i);
            if !d.is_empty() {
                line.push_str(&format!(" · {d}"));
            }
            if i.upcoming {
                line.push_str(&format!(" ({})", l.t("queue-upcoming")));
            }
            s.push_str(&format!("{line}\n  {base}{}\n", i.link));
        }
        s.push_str(&format!("\n{}\n", l.t("digest-milestones")));
        if self.reached.is_empty() {
            s.push_str(&format!("{}\n", l.t("digest-milestones-none")));
        }
        for m in self.reached {
            s.push_str(&format!("- {}\n", self.milestone(m)));
        }
        s.push_str(&format!(
            "\n-- \n{}\n{}: {unsubscribe}\n",
            l.t_with(
                "digest-footer",
                &[("link", FluentValue::from(format!("{base}/account")))]
            ),
            l.t("digest-unsubscribe")
        ));
        s
    }

    fn html(&self, base: &str, unsubscribe: &str) -> String {
        let l = self.lang;
        let account = format!("{base}/account");
        html! {
            (maud::DOCTYPE)
            html lang=(l.code()) {
                head { meta charset="utf-8"; title { (self.subject()) } }
                body {
                    p { (self.greeting()) }
                    h2 { (l.t("queue-title")) }
                    @if self.items.is_empty() { p { (l.t("queue-empty")) } }
                    @else {
                        table {
                            thead { tr {
                                th { (l.t("queue-due")) } th { (l.t("queue-kind")) }
                                th { (l.t("tenant")) } th { (l.t("queue-about")) }
                            } }
                            tbody {
                                @for i in self.items {
                                    tr {
                                        td { (l.day(&i.due)) @if i.upcoming { " (" (l.t("queue-upcoming")) ")" } }
                                        td { a href={ (base) (i.link) } { (l.t(&kind_id(i.kind))) } }
                                        td { (i.tenant_name) }
                                        td { (detail(l, i)) }
                                    }
                                }
                            }
                        }
                    }
                    h2 { (l.t("digest-milestones")) }
                    @if self.reached.is_empty() { p { (l.t("digest-milestones-none")) } }
                    @else { ul { @for m in self.reached { li { (self.milestone(m)) } } } }
                    hr;
                    p { (l.t_with("digest-footer", &[("link", FluentValue::from(account.clone()))])) }
                    p { a href=(unsubscribe) { (l.t("digest-unsubscribe")) } }
                }
            }
        }
        .into_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_are_read_and_bad_ones_refused() {
        assert_eq!(percent_decoded("p%40ss+w%3Ard%zz"), "p@ss+w:rd%zz");
        let ok = |u: &str| Mailer::new(u, "ftop <ftop@example.com>", "https://ftop.example.com/");
        assert!(ok("smtp://mail.example.com").is_ok());
        assert!(ok("smtp://u%40x:p%3Aw@mail.example.com:587").is_ok());
        assert!(ok("smtps://mail.example.com").is_ok());
        assert!(matches!(
            ok("http://mail.example.com"),
            Err(SmtpError::Settings(_))
        ));
        assert!(matches!(
            ok("smtp://mail.example.com:x"),
            Err(SmtpError::Settings(_))
        ));
        assert!(matches!(ok("smtp://:25"), Err(SmtpError::Settings(_))));
        assert!(Mailer::new("smtp://h", "not a mailbox", "https://x").is_err());
        assert!(Mailer::new("smtp://h", "a@b.c", "ftp://x").is_err());
    }
}
