//! Statement texts. Queries are written once in PostgreSQL's dialect (`$1` placeholders);
//! SQLite gets the same text with `?1` (which SQLite binds by number, however often and
//! in whatever order the numbers appear).
//!
//! Each statement is a [`Sql`] value in a `static`: its text given as a literal or
//! constant ([`Sql::new`], or the [`sql!`] macro right where the query is made), or built
//! once from constant parts ([`Sql::built`]). The SQLite form is converted on first use
//! and kept in the same static, so a new query needs no registration, key or number:
//! declare it and use it. The texts do not depend on the database, so every store shares
//! them.

use crate::db::Backend;
use std::borrow::Cow;
use std::sync::OnceLock;

/// One statement's text for both engines.
pub(crate) struct Sql {
    source: Source,
    /// A built text in PostgreSQL's dialect.
    built: OnceLock<Box<str>>,
    /// The text in SQLite's dialect.
    sqlite: OnceLock<Box<str>>,
}

enum Source {
    Text(&'static str),
    Build(fn() -> String),
}

impl Sql {
    /// A statement with this text (PostgreSQL's dialect).
    pub(crate) const fn new(text: &'static str) -> Sql {
        Sql {
            source: Source::Text(text),
            built: OnceLock::new(),
            sqlite: OnceLock::new(),
        }
    }

    /// A statement whose text `build` composes from constant parts, once.
    pub(crate) const fn built(build: fn() -> String) -> Sql {
        Sql {
            source: Source::Build(build),
            built: OnceLock::new(),
            sqlite: OnceLock::new(),
        }
    }

    /// The text in PostgreSQL's dialect.
    fn postgres(&'static self) -> &'static str {
        match self.source {
            Source::Text(t) => t,
            Source::Build(f) => self.built.get_or_init(|| f().into_boxed_str()),
        }
    }

    /// The text for `backend`.
    pub(crate) fn get(&'static self, backend: Backend) -> &'static str {
        let pg = self.postgres();
        match backend {
            Backend::Postgres => pg,
            Backend::Sqlite => self
                .sqlite
                .get_or_init(|| sqlite_placeholders(pg).into_owned().into_boxed_str()),
        }
    }
}

/// The text of a statement for the engine of `$store` (anything with a `backend()`),
/// converted once: `sql!(self, "SELECT ... WHERE id = $1")` for a literal or constant, or
/// `sql!(self, format!("{COLS} WHERE id = $1"))` for a text composed of constants (built
/// on first use).
macro_rules! sql {
    ($store:expr, format!($($parts:tt)*) $(,)?) => {{
        static STATEMENT: $crate::sql::Sql = $crate::sql::Sql::built(|| format!($($parts)*));
        STATEMENT.get($store.backend())
    }};
    ($store:expr, $text:expr $(,)?) => {{
        static STATEMENT: $crate::sql::Sql = $crate::sql::Sql::new($text);
        STATEMENT.get($store.backend())
    }};
}

/// `q` with PostgreSQL's `$n` placeholders written as SQLite's `?n`. A `$` inside a string
/// literal (`'...'`), a quoted name (`"..."`) or a comment stays as it is, as does one not
/// followed by a digit.
pub(crate) fn sqlite_placeholders(q: &str) -> Cow<'_, str> {
    if !q.contains('$') {
        return Cow::Borrowed(q);
    }
    #[derive(PartialEq)]
    enum In {
        Code,
        Literal,
        Name,
        LineComment,
        BlockComment,
    }
    let b = q.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut state = In::Code;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        match state {
            In::Code => match c {
                b'\'' => state = In::Literal,
                b'"' => state = In::Name,
                b'-' if next == Some(b'-') => state = In::LineComment,
                b'/' if next == Some(b'*') => state = In::BlockComment,
                b'$' if next.is_some_and(|n| n.is_ascii_digit()) => {
                    out.push(b'?');
                    i += 1;
                    continue;
                }
                _ => {}
            },
            // A doubled quote inside is an escaped quote: leaving and entering again at
            // once reads it correctly.
            In::Literal if c == b'\'' => state = In::Code,
            In::Name if c == b'"' => state = In::Code,
            In::LineComment if c == b'\n' => state = In::Code,
            In::BlockComment if c == b'*' && next == Some(b'/') => {
                out.extend_from_slice(b"*/");
                i += 2;
                state = In::Code;
                continue;
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    // Only ASCII bytes were replaced by ASCII bytes.
    Cow::Owned(
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    )
}

/// The LIKE pattern that finds `search` anywhere in a lower-cased text: `%`, `_` and the
/// escape character `\\` stand for themselves (every query using it says
/// `ESCAPE '\\'`). Search text over its limit or with a NUL is refused (field `search`).
pub(crate) fn like(search: &str) -> crate::Result<String> {
    ftop_domain::limits::text("search", search, ftop_domain::limits::SEARCH)
        .map_err(|f| ftop_domain::Invalid(vec![f]))?;
    Ok(format!("%{}%", escape_like(&search.trim().to_lowercase())))
}

/// `s` with LIKE's wildcards and the escape character escaped (for `ESCAPE '\\'`).
pub(crate) fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_change_but_dollars_in_literals_names_and_comments_stay() {
        assert_eq!(
            sqlite_placeholders("SELECT a FROM t WHERE x = $1 AND y IN ($2, $10) OR z = $1"),
            "SELECT a FROM t WHERE x = ?1 AND y IN (?2, ?10) OR z = ?1"
        );
        assert_eq!(
            sqlite_placeholders("UPDATE t SET note = 'costs $5, or ''$6''' WHERE id = $1"),
            "UPDATE t SET note = 'costs $5, or ''$6''' WHERE id = ?1"
        );
        assert_eq!(
            sqlite_placeholders(
                r#"SELECT "col$1" FROM t WHERE a = $2 -- not $3
                AND b = $4 /* nor $5 */ AND c = '€$' || $6"#
            ),
            r#"SELECT "col$1" FROM t WHERE a = ?2 -- not $3
                AND b = ?4 /* nor $5 */ AND c = '€$' || ?6"#
        );
        assert_eq!(sqlite_placeholders("SELECT '$'"), "SELECT '$'");
        assert_eq!(
            sqlite_placeholders("SELECT $tag$ x $tag$"),
            "SELECT $tag$ x $tag$"
        );
        assert!(matches!(sqlite_placeholders("SELECT 1"), Cow::Borrowed(_)));
    }

    static BUILT: Sql = Sql::built(|| format!("SELECT {} FROM t WHERE id = $1", "a, b"));

    #[test]
    fn statements_are_converted_once_per_engine() {
        let pg = BUILT.get(Backend::Postgres);
        assert_eq!(pg, "SELECT a, b FROM t WHERE id = $1");
        let lite = BUILT.get(Backend::Sqlite);
        assert_eq!(lite, "SELECT a, b FROM t WHERE id = ?1");
        // The same text again, not a new one.
        assert!(std::ptr::eq(lite, BUILT.get(Backend::Sqlite)));
        struct S;
        impl S {
            fn backend(&self) -> Backend {
                Backend::Sqlite
            }
        }
        let at = |s: &S| sql!(s, "SELECT 1 WHERE 'a$1' = $1");
        assert_eq!(at(&S), "SELECT 1 WHERE 'a$1' = ?1");
        assert!(std::ptr::eq(at(&S), at(&S)));
    }
}
