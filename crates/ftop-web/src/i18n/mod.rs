//! Everything the user reads, in their language. The words live in one Fluent catalogue per
//! language, `crates/ftop-web/locales/CODE.ftl`, embedded in the binary; the languages are
//! the catalogues present (see `build.rs`). English is the fallback for a message missing at
//! run time (the tests allow none).
//!
//! The language of a request comes from the `ftop_lang` cookie, else the browser's
//! Accept-Language, else English.
//!
//! Code looks a message up by its id:
//! - `lang.t("sign-in")`: a message without variables (`&'static str`, formatted once);
//! - `lang.t_with("tenant-count", &[("count", n.into())])`: with variables (`String`);
//! - `lang.label(status)`: the name of an enumerated value (`task-status-KEY`, ...), see
//!   [`Labelled`].

mod catalogue;
mod labels;
#[cfg(test)]
mod pseudo_pages;
#[cfg(test)]
mod tests;

pub(crate) use labels::Labelled;

use crate::extract::Path;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect};
use fluent_bundle::FluentValue;

/// A UI language: one of the catalogues in `locales/` ([`Lang::ALL`]; `Lang::En`,
/// `Lang::Es`, ... name them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Lang(u8);

// `catalogue::SOURCES`, `Lang::ALL` and one constant per language, from build.rs.
mod generated {
    use super::Lang;
    include!(concat!(env!("OUT_DIR"), "/locales.rs"));
}

impl Lang {
    /// English: the fallback language.
    pub(crate) const ENGLISH: Lang = Lang(0);

    /// A pseudo-language that exists only in this crate's unit tests: every message in
    /// English with accented letters, wrapped in `⟦…⟧`, so that a page test can tell text
    /// from the catalogue from text that is not.
    #[cfg(test)]
    pub(crate) const PSEUDO: Lang = Lang(generated::SOURCES.len() as u8);

    fn index(self) -> usize {
        usize::from(self.0)
    }

    /// The language's code (`en`, `es`, `zh`): the catalogue's file name.
    pub(crate) fn code(self) -> &'static str {
        catalogue::code(self.index())
    }

    /// The language's name in itself (`Español`): its catalogue's `language-name`.
    pub(crate) fn name(self) -> &'static str {
        self.t("language-name")
    }

    fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        #[cfg(test)]
        if s == Lang::PSEUDO.code() {
            return Some(Lang::PSEUDO);
        }
        Lang::ALL
            .into_iter()
            .find(|l| s == l.code() || s.starts_with(&format!("{}-", l.code())))
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
        catalogue::text(self.index(), id)
    }

    /// Message `id` with its variables: `lang.t_with("tenant-count", &[("count", 3.into())])`.
    /// Numbers select plural forms (`{ $count -> [one] ... *[other] ... }`).
    pub(crate) fn t_with(self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        catalogue::format(self.index(), id, args)
    }

    /// The name of an enumerated value (a task status, a note category, ...).
    pub(crate) fn label<T: Labelled>(self, value: T) -> &'static str {
        self.t(&labels::id(value))
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
