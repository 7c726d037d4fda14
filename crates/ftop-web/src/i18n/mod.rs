//! Everything the user reads, in their language. The words live in one Fluent catalogue per
//! language, `crates/ftop-domain/locales/CODE.ftl` (loaded by `ftop_domain::text`, so that
//! domain and store messages can be rendered too); the languages are the catalogues
//! present. English is the fallback for a message missing at run time (the tests allow
//! none).
//!
//! The language of a request comes from the `ftop_lang` cookie, else the browser's
//! Accept-Language, else English.
//!
//! Code looks a message up by its id:
//! - `lang.t("sign-in")`: a message without variables (`&'static str`, formatted once);
//! - `lang.t_with("tenant-count", &[("count", n.into())])`: with variables (`String`);
//! - `lang.label(status)`: the name of an enumerated value (`task-status-KEY`, ...), see
//!   [`Labelled`]; `lang.reason(key)` and `lang.engineering_reason(key)`: the L2 and L3 of a
//!   status row (`l2-KEY`, `l3-KEY`).

mod labels;
#[cfg(test)]
mod tests;

pub(crate) use labels::Labelled;

/// The field names that have a label (`field-NAME`, `_` written `-`; see [`Lang::field`]).
#[cfg(test)]
pub(crate) const FIELD_LABELS: &[&str] = &[
    "line",
    "tenant-id",
    "tenant-name",
    "start-date",
    "teams",
    "scenario",
    "performing",
    "desired-start",
    "desired-end",
    "rejection-reason",
    "notes",
    "types",
    "migration-type",
    "estimated-date",
    "data-size-gb",
    "reason",
    "sso-linked",
    "tenant",
    "customer",
    "service",
    "services",
    "entitlements",
    "qualified-entitlements",
    "submitted",
    "target-10",
    "target-40",
    "target-max",
    "rows",
    "row",
    "count",
    "l2",
    "l3",
    "target-date",
    "owner",
    "note",
    "body",
    "next-action",
    "next-action-date",
    "user",
    "name",
    "email",
    "survey-eligible",
    "engaged",
    "country",
    "survey-language",
    "percent",
    "status",
    "overall-status",
    "priority",
    "motion",
    "kind",
    "task-id",
    "partner",
    "manager",
    "password",
    "state",
    "status-note",
    "minutes",
    "work-date",
    "file",
    "limit",
    "offset",
    "lang",
    "category",
    "version",
    "window",
    "draft",
    "bucket",
    "reached",
    "forecast",
    "from",
    "to",
    "role",
    "escalated",
    "qualified",
    "status-date",
    "active",
    "program-exception",
    "exception-reason",
    "phase",
    "period",
    "enterprise-exception",
    "adoption-benefit",
    "primary",
    "desires-assistance",
    "effective",
    "user-id",
    "action",
    "l1",
    "partner-admin",
    "current",
    "label",
    "days",
    "assignments",
    "confirm",
    "exclude",
    "reasons",
    "rag",
    "summary",
    "overview",
    "activities",
    "risks",
    "brand",
    "awareness",
    "next-update",
    "time-zone",
];

use crate::extract::Path;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect};
use ftop_domain::text;
use ftop_domain::text::FluentValue;

/// A UI language: the domain's [`text::Lang`] (one of the catalogues in
/// `crates/ftop-domain/locales/`), with what pages add: the request's language, enum labels
/// and field names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Lang(pub(crate) text::Lang);

#[allow(non_upper_case_globals, dead_code)]
impl Lang {
    /// English: the fallback language.
    pub(crate) const ENGLISH: Lang = Lang(text::Lang::ENGLISH);
    /// English.
    pub(crate) const En: Lang = Lang(text::Lang::En);
    /// Spanish.
    pub(crate) const Es: Lang = Lang(text::Lang::Es);
    /// Simplified Chinese.
    pub(crate) const Zh: Lang = Lang(text::Lang::Zh);
    /// Every UI language, English first.
    pub(crate) const ALL: [Lang; text::Lang::ALL.len()] = {
        let mut all = [Lang::ENGLISH; text::Lang::ALL.len()];
        let mut i = 0;
        while i < all.len() {
            all[i] = Lang(text::Lang::ALL[i]);
            i += 1;
        }
        all
    };

    /// The test pseudo-language (feature `pseudo-locale`), see [`text::Lang::PSEUDO`].
    #[cfg(feature = "pseudo-locale")]
    pub(crate) const PSEUDO: Lang = Lang(text::Lang::PSEUDO);

    /// The language's code (`en`, `es`, `zh`): the catalogue's file name.
    pub(crate) fn code(self) -> &'static str {
        self.0.code()
    }

    /// The language's name in itself (`Español`): its catalogue's `language-name`.
    pub(crate) fn name(self) -> &'static str {
        self.0.name()
    }

    fn parse(s: &str) -> Option<Lang> {
        text::Lang::parse(s).map(Lang)
    }

    /// The language of a request.
    pub(crate) fn of(headers: &HeaderMap) -> Lang {
        if let Some(l) = crate::auth::cookie(headers, "ftop_lang").and_then(|c| Lang::parse(&c)) {
            return l;
        }
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.split(',')
                    .find_map(|part| Lang::parse(part.split(';').next().unwrap_or("")))
            })
            .unwrap_or(Lang::ENGLISH)
    }

    /// Message `id` (one without variables) in this language; in English when this
    /// language lacks it.
    pub(crate) fn t(self, id: &str) -> &'static str {
        self.0.t(id)
    }

    /// Message `id` with its variables: `lang.t_with("tenant-count", &[("count", 3.into())])`.
    /// Numbers select plural forms (`{ $count -> [one] ... *[other] ... }`).
    pub(crate) fn t_with(self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        self.0.t_with(id, args)
    }

    /// A field's name as the reader sees it: `rows[2].target_date` becomes the labels of
    /// `rows` and `target_date` (messages `field-rows`, `field-target-date`) with the index
    /// kept; an import's `line 3: ` prefix is translated too. A name without a label
    /// message is shown as is.
    pub(crate) fn field(self, field: &str) -> String {
        let (line, path) = match field.strip_prefix("line ") {
            Some(n) if n.bytes().all(|b| b.is_ascii_digit()) => {
                return self.t_with("field-line", &[("line", n.into())]);
            }
            Some(r) => match r.split_once(": ") {
                Some((n, rest)) => (Some(n), rest),
                None => (None, field),
            },
            None => (None, field),
        };
        let mut out = match line {
            Some(n) => format!("{}: ", self.t_with("field-line", &[("line", n.into())])),
            None => String::new(),
        };
        for (i, segment) in path.split('.').enumerate() {
            if i > 0 {
                out.push_str(" › ");
            }
            let (name, index) = match segment.find('[') {
                Some(at) => segment.split_at(at),
                None => (segment, ""),
            };
            let id = format!("field-{}", name.replace('_', "-"));
            if text::Lang::ENGLISH.has(&id) {
                out.push_str(self.t(&id));
            } else {
                out.push_str(name);
            }
            out.push_str(index);
        }
        out
    }

    /// A stored moment (`2025-01-31T09:15:02.123Z`) to the minute, the way the reader
    /// writes dates (`2025-01-31 09:15 UTC`, `31/01/2025 09:15 UTC`, ...); text that is not
    /// such a moment is shown as it is.
    pub(crate) fn when(self, ts: &str) -> String {
        let parts = (ts.get(..4), ts.get(5..7), ts.get(8..10), ts.get(11..16));
        let (Some(year), Some(month), Some(day), Some(time)) = parts else {
            return ts.to_string();
        };
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !(digits(year) && digits(month) && digits(day)) || ts.as_bytes().get(10) != Some(&b'T') {
            return ts.to_string();
        }
        self.t_with(
            "date-time-utc",
            &[
                ("year", year.into()),
                ("month", month.into()),
                ("day", day.into()),
                ("time", time.into()),
            ],
        )
    }

    /// A day (`2026-03-01`) the way the reader writes dates (`2026-03-01`, `01/03/2026`,
    /// `2026年03月01日`); text that is not such a day is shown as it is.
    pub(crate) fn day(self, d: &str) -> String {
        let b = d.as_bytes();
        let day = b.len() == 10
            && b.iter().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !day {
            return d.to_string();
        }
        self.t_with(
            "date-day",
            &[
                ("year", d[..4].into()),
                ("month", d[5..7].into()),
                ("day", d[8..].into()),
            ],
        )
    }

    /// A percentage given in basis points (`1250`), to one decimal with the reader's
    /// decimal mark: `12.5%`, `12,5 %`.
    pub(crate) fn percent_bp(self, bp: i64) -> String {
        self.t_with("percent-value", &[("value", self.decimal_bp(bp).into())])
    }

    /// A difference of percentages in basis points (`560`), as percentage points to one
    /// decimal: `5.6 pts`, `5,6 p. p.`.
    pub(crate) fn points_bp(self, bp: i64) -> String {
        self.t_with("points-value", &[("value", self.decimal_bp(bp).into())])
    }

    /// Basis points as a number of hundreds, to one decimal (none when whole), with the
    /// reader's decimal mark.
    fn decimal_bp(self, bp: i64) -> String {
        let x = format!("{:.1}", bp as f64 / 100.0);
        let x = x.strip_suffix(".0").map_or(x.clone(), str::to_string);
        x.replace('.', self.t("decimal-mark"))
    }

    /// The name of an enumerated value (a task status, a note category, ...).
    pub(crate) fn label<T: Labelled>(self, value: T) -> &'static str {
        self.t(&labels::id(value))
    }

    /// A reason (L2) as shown: its name in the catalogue when the taxonomy knows the key (or
    /// one of its spellings), else the stored text as it is.
    pub(crate) fn reason(self, key: &str) -> String {
        match labels::reason_id(key) {
            Some(id) => self.t(&id).to_string(),
            None => key.to_string(),
        }
    }

    /// An engineering reason (L3) as shown, like [`Lang::reason`].
    pub(crate) fn engineering_reason(self, key: &str) -> String {
        match labels::engineering_id(key) {
            Some(id) => self.t(&id).to_string(),
            None => key.to_string(),
        }
    }

    /// A task status as shown.
    pub(crate) fn task_status(self, s: ftop_domain::TaskStatus) -> &'static str {
        self.label(s)
    }

    /// A tenant's overall status as shown.
    pub(crate) fn overall_status(self, s: ftop_domain::OverallStatus) -> &'static str {
        self.label(s)
    }
}

tokio::task_local! {
    /// The language of the request being answered (see [`request_language`]).
    static REQUEST_LANGUAGE: Lang;
}

/// Middleware: answers the request with its language ([`Lang::of`]) known to
/// [`request_language`], so that errors rendered without the request at hand (the API's
/// JSON envelope) speak it.
pub(crate) async fn with_request_language(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let lang = Lang::of(req.headers());
    REQUEST_LANGUAGE.scope(lang, next.run(req)).await
}

/// The language of the request being answered: the `ftop_lang` cookie, else
/// Accept-Language, else English (outside a request: English).
pub(crate) fn request_language() -> Lang {
    REQUEST_LANGUAGE.try_with(|l| *l).unwrap_or(Lang::ENGLISH)
}

/// `GET /lang/{code}`: remembers the language and goes back.
pub(crate) async fn switch(Path(code): Path<String>, headers: HeaderMap) -> impl IntoResponse {
    let lang = Lang::parse(&code).unwrap_or(Lang::ENGLISH);
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| {
            r.find("://")
                .and_then(|i| r[i + 3..].find('/').map(|j| r[i + 3 + j..].to_string()))
        })
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/".into());
    (
        [(
            header::SET_COOKIE,
            format!(
                "ftop_lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
                lang.code()
            ),
        )],
        Redirect::to(&back),
    )
}
