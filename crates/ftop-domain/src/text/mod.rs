//! Everything a user reads, in their language. The words live in one Fluent catalogue per
//! language, `crates/ftop-domain/locales/CODE.ftl`, embedded in the binary; the languages
//! are the catalogues present (see `build.rs`), so adding a language is adding one file.
//! English is the fallback for a message missing at run time (the tests allow none).
//!
//! The catalogues sit in the domain so that the domain's and the store's messages (field
//! errors, reason names) can be rendered in any language; the web layer's `Lang` wraps
//! [`Lang`] and adds the request's language, enum labels and the language switch.
//!
//! - `lang.t("sign-in")`: a message without variables (`&'static str`, formatted once);
//! - `lang.t_with("tenant-count", &[("count", n.into())])`: with variables (`String`);
//!   numbers select plural forms (`{ $count -> [one] ... *[other] ... }`).

mod catalogue;

pub use catalogue::{message_ids, parse};
pub use fluent_bundle::FluentValue;

/// A language: one of the catalogues in `locales/` ([`Lang::ALL`]; `Lang::En`, `Lang::Es`,
/// ... name them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Lang(u8);

// `SOURCES`, `Lang::ALL` and one constant per language, from build.rs.
mod generated {
    use super::Lang;
    include!(concat!(env!("OUT_DIR"), "/locales.rs"));
}

/// (code, catalogue text) of every language, English first (for the catalogue tests).
pub fn sources() -> &'static [(&'static str, &'static str)] {
    &generated::SOURCES
}

impl Lang {
    /// English: the fallback language.
    pub const ENGLISH: Lang = Lang(0);

    /// A pseudo-language for tests (cargo feature `pseudo-locale`, never offered to users):
    /// every message in English with accented letters, wrapped in `⟦…⟧`, so that a page
    /// test can tell text from the catalogue from text that is not. Its code is `pseudo`.
    #[cfg(feature = "pseudo-locale")]
    pub const PSEUDO: Lang = Lang(generated::SOURCES.len() as u8);

    fn index(self) -> usize {
        usize::from(self.0)
    }

    /// The language's code (`en`, `es`, `zh`): the catalogue's file name.
    pub fn code(self) -> &'static str {
        catalogue::code(self.index())
    }

    /// The language's name in itself (`Español`): its catalogue's `language-name`.
    pub fn name(self) -> &'static str {
        self.t("language-name")
    }

    /// The language of a code or a language tag (`es`, `es-MX`, `ZH-cn`); None when no
    /// catalogue has it.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        #[cfg(feature = "pseudo-locale")]
        if s == catalogue::PSEUDO_CODE {
            return Some(Lang::PSEUDO);
        }
        Lang::ALL
            .into_iter()
            .find(|l| s == l.code() || s.starts_with(&format!("{}-", l.code())))
    }

    /// Message `id` (one without variables) in this language; in English when this
    /// language lacks it.
    pub fn t(self, id: &str) -> &'static str {
        catalogue::text(self.index(), id)
    }

    /// Message `id` with its variables: `lang.t_with("tenant-count", &[("count", 3.into())])`.
    pub fn t_with(self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        catalogue::format(self.index(), id, args)
    }

    /// Whether this language's catalogue has message `id` (English's fallback aside).
    pub fn has(self, id: &str) -> bool {
        catalogue::has(self.index(), id)
    }
}

/// The pseudo-language's letter mapping, for tests that compare with it.
#[cfg(feature = "pseudo-locale")]
pub fn pseudo_accented(s: &str) -> String {
    catalogue::pseudo_accented(s)
}
