//! Validation errors that name the field at fault, for forms (HTTP 422) and the CLI.
//!
//! A [`FieldError`] carries a message id of the catalogues (`invalid-...`) and its
//! arguments, not text: pages and the API render it in the reader's language
//! ([`FieldError::message`]); `Display` (the command line, logs) renders English.

use crate::text::{FluentValue, Lang};
use std::borrow::Cow;

/// The id of a legacy error whose text is English only ([`FieldError::untranslated`]).
pub const UNTRANSLATED: &str = "invalid-untranslated";

/// How many characters of a user's value a message quotes ([`quote`]).
pub const QUOTE_CHARS: usize = 40;

/// A value as messages quote it: at most [`QUOTE_CHARS`] characters, then `…`.
pub fn quote(value: &str) -> String {
    let value = value.trim();
    match value.char_indices().nth(QUOTE_CHARS) {
        Some((at, _)) => format!("{}…", &value[..at]),
        None => value.to_string(),
    }
}

/// A variable of a field error's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Text shown as is (a quoted value, a date, a name).
    Text(String),
    /// A number (selects plural forms).
    Number(i64),
    /// Another message of the catalogue, in the same language (`l1-blocked`: a status's
    /// name).
    Message(Cow<'static, str>),
}

impl Arg {
    /// The name of an L1 status, in the reader's language.
    pub fn l1(l1: crate::taxonomy::L1) -> Arg {
        Arg::Message(Cow::Owned(format!("l1-{}", l1.key())))
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}
impl From<time::Date> for Arg {
    fn from(d: time::Date) -> Self {
        Arg::Text(d.to_string())
    }
}
impl From<u64> for Arg {
    fn from(n: u64) -> Self {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}
impl From<u128> for Arg {
    fn from(n: u128) -> Self {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}
impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Number(n)
    }
}
impl From<i32> for Arg {
    fn from(n: i32) -> Self {
        Arg::Number(i64::from(n))
    }
}
impl From<u32> for Arg {
    fn from(n: u32) -> Self {
        Arg::Number(i64::from(n))
    }
}
impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// One invalid field and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name as forms and the API call it (`tenant_id`, `rows[2].target_date`).
    pub field: String,
    /// The message's id in the catalogues (`invalid-...`): what is wrong, in a sentence a
    /// user can act on. The API sends it as `code`.
    pub id: Cow<'static, str>,
    /// The message's variables.
    pub args: Vec<(&'static str, Arg)>,
}

impl FieldError {
    /// An error on `field` with message `id` (add variables with [`FieldError::with`]).
    pub fn of(field: impl Into<String>, id: &'static str) -> Self {
        FieldError {
            field: field.into(),
            id: Cow::Borrowed(id),
            args: Vec::new(),
        }
    }

    /// Adds variable `name` to the message.
    #[must_use]
    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    /// Adds variable `name`: a user's value, cut to a short prefix ([`quote`]).
    #[must_use]
    pub fn quoting(self, name: &'static str, value: &str) -> Self {
        self.with(name, quote(value))
    }

    /// LEGACY: an error whose message is English text, not a catalogue id; it reads the
    /// same in every language. Kept so that code written before the catalogue held field
    /// errors compiles; convert to [`FieldError::of`] (a test lists the remaining uses).
    pub fn untranslated(field: impl Into<String>, english: impl Into<String>) -> Self {
        FieldError::of(field, UNTRANSLATED).with("text", english.into())
    }

    /// The same error on `prefix` + its field (`line 3: ` + `tenant_name`).
    #[must_use]
    pub fn prefixed(mut self, prefix: &str) -> Self {
        self.field = format!("{prefix}{}", self.field);
        self
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let args: Vec<(&str, FluentValue<'_>)> = self
            .args
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    Arg::Text(s) => FluentValue::from(s.as_str()),
                    Arg::Number(n) => FluentValue::from(*n),
                    Arg::Message(id) => FluentValue::from(lang.t(id)),
                };
                (*k, v)
            })
            .collect();
        lang.t_with(&self.id, &args)
    }
}

impl std::fmt::Display for FieldError {
    /// `field: message`, in English.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message(Lang::ENGLISH))
    }
}

/// Every invalid field of one input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    /// LEGACY: one error with English text ([`FieldError::untranslated`]); convert to
    /// `FieldError::of(field, id).into()`.
    pub fn one(field: impl Into<String>, english: impl Into<String>) -> Self {
        Invalid(vec![FieldError::untranslated(field, english)])
    }
}

impl From<FieldError> for Invalid {
    fn from(e: FieldError) -> Self {
        Invalid(vec![e])
    }
}

/// Collects field errors; `finish` turns them into a result.
#[derive(Debug, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    /// Records an error.
    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }
    /// LEGACY: records an error with English text ([`FieldError::untranslated`]); convert
    /// to `push(FieldError::of(field, id))`.
    pub fn add(&mut self, field: impl Into<String>, english: impl Into<String>) {
        self.0.push(FieldError::untranslated(field, english));
    }
    /// Records every error of `invalid`, each field prefixed with `prefix`.
    pub fn extend(&mut self, prefix: &str, invalid: Invalid) {
        self.0
            .extend(invalid.0.into_iter().map(|e| e.prefixed(prefix)));
    }
    /// Ok when nothing was recorded.
    pub fn finish(self) -> Result<(), Invalid> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Invalid(self.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_cut_to_a_short_prefix() {
        assert_eq!(quote("  short "), "short");
        let long = "é".repeat(50);
        assert_eq!(quote(&long), format!("{}…", "é".repeat(40)));
    }

    #[test]
    fn messages_render_per_language_and_display_in_english() {
        let e = FieldError::of("tenant_id", "invalid-tenant-id").quoting("value", "nope");
        assert_eq!(e.to_string(), format!("tenant_id: {}", e.message(Lang::En)));
        assert!(e.message(Lang::En).contains("nope"));
        assert_ne!(e.message(Lang::En), e.message(Lang::Es));
        let legacy = FieldError::untranslated("x", "plain English");
        assert_eq!(legacy.message(Lang::Zh), "plain English");
        assert_eq!(legacy.to_string(), "x: plain English");
    }
}
