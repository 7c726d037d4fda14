//! Every limit on what a user may send, in one table, and the one check that applies them.
//!
//! A text field is refused when it is longer than its limit (counted in characters) or
//! holds a NUL character (U+0000: PostgreSQL cannot store it in text, so both engines refuse
//! it the same way). Files and requests are limited in bytes (and files in rows). Errors
//! quote at most [`QUOTE_CHARS`] characters of a bad value ([`quote`]).
//!
//! The field errors of this module are built here and only here (`FieldError::of`), so
//! that their messages can be translated in one place. `docs/limits.md` documents the
//! table; a test keeps the two in step.

use crate::error::{Errors, FieldError, Invalid};

/// What a limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Characters (Unicode scalar values) of a text.
    Chars,
    /// Bytes of a file, a body or a line.
    Bytes,
    /// Rows of a file.
    Rows,
    /// Entries of a list.
    Items,
}

/// A named limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// A stable name (`customer`, `json_body`), as in `docs/limits.md`.
    pub name: &'static str,
    /// The largest allowed amount.
    pub max: u64,
    /// What `max` counts.
    pub unit: Unit,
}

const fn chars(name: &'static str, max: u64) -> Limit {
    Limit {
        name,
        max,
        unit: Unit::Chars,
    }
}

const fn bytes(name: &'static str, max: u64) -> Limit {
    Limit {
        name,
        max,
        unit: Unit::Bytes,
    }
}

/// A tenant name (a domain name: DNS allows 253 characters).
pub const TENANT_NAME: Limit = chars("tenant_name", 253);
/// A tenant ID (a GUID is 36 characters; braces and spaces around it are tolerated).
pub const TENANT_ID: Limit = chars("tenant_id", 64);
/// Any other identifier in a path or query (service key, task, playbook page key).
pub const ID: Limit = chars("id", 200);
/// A customer's name.
pub const CUSTOMER: Limit = chars("customer", 200);
/// A partner organisation's name.
pub const PARTNER: Limit = chars("partner", 200);
/// Why a tenant is eligible by exception.
pub const EXCEPTION_REASON: Limit = chars("exception_reason", 500);
/// A note's text.
pub const NOTE_TEXT: Limit = chars("note_text", 20_000);
/// A note's next action.
pub const NEXT_ACTION: Limit = chars("next_action", 500);
/// The overall status note of a tenant.
pub const STATUS_NOTE: Limit = chars("status_note", 4_000);
/// The note of a time entry or a service status row; a data migration's notes and its
/// type rows' notes.
pub const SHORT_NOTE: Limit = chars("short_note", 2_000);
/// A contact's name, title, an owner or another short label.
pub const CONTACT_FIELD: Limit = chars("contact_field", 200);
/// An e-mail address (RFC 5321 path limit).
pub const EMAIL: Limit = chars("email", 254);
/// A phone number, country or language code.
pub const CODE: Limit = chars("code", 50);
/// Entries of a list field (a contact's services).
pub const LIST_ITEMS: Limit = Limit {
    name: "list_items",
    max: 100,
    unit: Unit::Items,
};
/// IDs named in one request (the assignments a bulk reassignment leaves out).
pub const ID_LIST: Limit = Limit {
    name: "id_list",
    max: 10_000,
    unit: Unit::Items,
};
/// Search text.
pub const SEARCH: Limit = chars("search", 200);
/// A user name at sign-in.
pub const USER_NAME: Limit = chars("user_name", 200);
/// A password (argon2 reads every byte).
pub const PASSWORD: Limit = chars("password", 1_024);
/// An enterprise status's executive summary.
pub const ENTERPRISE_SUMMARY: Limit = chars("enterprise_summary", 1_000);
/// An enterprise status's current overview of the deployment.
pub const ENTERPRISE_OVERVIEW: Limit = chars("enterprise_overview", 2_000);
/// An enterprise status's current FastTrack activities.
pub const ENTERPRISE_ACTIVITIES: Limit = chars("enterprise_activities", 2_000);
/// An enterprise status's risks.
pub const ENTERPRISE_RISKS: Limit = chars("enterprise_risks", 512);
/// An enterprise status's public or brand name of the customer.
pub const ENTERPRISE_BRAND: Limit = chars("enterprise_brand", 200);
/// An enterprise status's awareness (who knows what).
pub const ENTERPRISE_AWARENESS: Limit = chars("enterprise_awareness", 512);
/// Any other text field.
pub const TEXT: Limit = chars("text", 2_000);
/// A CSV file of `ftop import tenants`.
pub const IMPORT_FILE: Limit = bytes("import_file", 256 << 20);
/// Data rows of an import file.
pub const IMPORT_ROWS: Limit = Limit {
    name: "import_rows",
    max: 1_000_000,
    unit: Unit::Rows,
};
/// One line of an import file (read as a stream: a longer line stops the import).
pub const IMPORT_LINE: Limit = bytes("import_line", 64 << 10);
/// A usage file sent to `POST /api/v1/usage`.
pub const USAGE_UPLOAD: Limit = bytes("usage_upload", 256 << 20);
/// A JSON request body.
pub const JSON_BODY: Limit = bytes("json_body", 1 << 20);
/// A form request body.
pub const FORM_BODY: Limit = bytes("form_body", 1 << 20);
/// The query string of a request.
pub const QUERY_STRING: Limit = bytes("query_string", 8 << 10);

/// The table, in the order of `docs/limits.md`.
pub const ALL: [Limit; 32] = [
    TENANT_ID,
    TENANT_NAME,
    ID,
    CUSTOMER,
    PARTNER,
    EXCEPTION_REASON,
    NOTE_TEXT,
    NEXT_ACTION,
    STATUS_NOTE,
    SHORT_NOTE,
    ENTERPRISE_SUMMARY,
    ENTERPRISE_OVERVIEW,
    ENTERPRISE_ACTIVITIES,
    ENTERPRISE_RISKS,
    ENTERPRISE_BRAND,
    ENTERPRISE_AWARENESS,
    CONTACT_FIELD,
    EMAIL,
    CODE,
    LIST_ITEMS,
    ID_LIST,
    SEARCH,
    USER_NAME,
    PASSWORD,
    TEXT,
    IMPORT_FILE,
    IMPORT_ROWS,
    IMPORT_LINE,
    USAGE_UPLOAD,
    JSON_BODY,
    FORM_BODY,
    QUERY_STRING,
];

/// How many characters of a bad value an error message quotes.
pub const QUOTE_CHARS: usize = 40;

/// At most [`QUOTE_CHARS`] characters of `value`, with `…` when cut, for an error message.
pub fn quote(value: &str) -> String {
    match value.char_indices().nth(QUOTE_CHARS) {
        Some((i, _)) => format!("{}…", &value[..i]),
        None => value.to_string(),
    }
}

/// The NUL check alone: `value` of `field` holds no U+0000.
pub fn no_nul(field: &str, value: &str) -> Result<(), FieldError> {
    if value.contains('\0') {
        Err(FieldError::of(field, "invalid-nul"))
    } else {
        Ok(())
    }
}

/// Checks the text `value` of `field` against `limit`: no NUL, at most `limit.max`
/// characters. Length is counted without reading past the limit.
pub fn text(field: &str, value: &str, limit: Limit) -> Result<(), FieldError> {
    no_nul(field, value)?;
    let max = usize::try_from(limit.max).unwrap_or(usize::MAX);
    if value.len() > max && value.chars().nth(max).is_some() {
        return Err(FieldError::of(field, "invalid-too-long-starts")
            .with("max", limit.max)
            .quoting("value", value));
    }
    Ok(())
}

/// [`text`], recording a failure in `errors` (for validations that collect every problem).
pub fn check(errors: &mut Errors, field: &str, value: &str, limit: Limit) -> bool {
    match text(field, value, limit) {
        Ok(()) => true,
        Err(f) => {
            errors.push(f);
            false
        }
    }
}

/// [`count`], recording a failure in `errors`.
pub fn check_count(errors: &mut Errors, field: &str, n: u64, limit: Limit) -> bool {
    match count(field, n, limit) {
        Ok(()) => true,
        Err(f) => {
            errors.push(f);
            false
        }
    }
}

/// [`text`] for several fields at once: every failure, or Ok.
pub fn texts(fields: &[(&str, &str, Limit)]) -> Result<(), Invalid> {
    let bad: Vec<FieldError> = fields
        .iter()
        .filter_map(|(f, v, l)| text(f, v, *l).err())
        .collect();
    if bad.is_empty() {
        Ok(())
    } else {
        Err(Invalid(bad))
    }
}

/// Checks a count (`n` entries, rows or bytes) of `field` against `limit`.
pub fn count(field: &str, n: u64, limit: Limit) -> Result<(), FieldError> {
    if n <= limit.max {
        return Ok(());
    }
    let id = match limit.unit {
        Unit::Chars => "invalid-too-long",
        Unit::Bytes => "invalid-too-many-bytes",
        Unit::Rows => "invalid-too-many-rows",
        Unit::Items => "invalid-too-many-items",
    };
    Err(FieldError::of(field, id).with("max", limit.max))
}

/// A field error naming `field` that could not be read; `why` is the parser's own words
/// (in English: a request no form of ftop sends), inside a translated sentence.
pub fn error(field: &str, why: impl Into<String>) -> Invalid {
    Invalid::from(FieldError::of(field, "invalid-unreadable").with("why", why.into()))
}

/// `1234567` as `1,234,567`.
pub fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_short() {
        assert_eq!(quote("short"), "short");
        let long = "é".repeat(100);
        assert_eq!(quote(&long), format!("{}…", "é".repeat(40)));
        assert_eq!(quote(&"x".repeat(40)), "x".repeat(40));
    }

    #[test]
    fn text_refuses_nul_and_length_and_quotes_a_prefix() {
        assert!(text("customer", "Contoso", CUSTOMER).is_ok());
        assert!(text("customer", &"é".repeat(200), CUSTOMER).is_ok());
        let e = text("customer", &"é".repeat(201), CUSTOMER).unwrap_err();
        assert_eq!(e.field, "customer");
        assert!(
            e.message(crate::text::Lang::En)
                .contains("at most 200 characters"),
            "{}",
            e.message(crate::text::Lang::En)
        );
        assert!(
            e.message(crate::text::Lang::En).len() < 200,
            "{}",
            e.message(crate::text::Lang::En)
        );
        let e = text("name", "a\0b", CUSTOMER).unwrap_err();
        assert_eq!(e.field, "name");
        assert!(e.message(crate::text::Lang::En).contains("NUL"));
        let big = "x".repeat(100 << 20);
        assert!(
            text("customer", &big, CUSTOMER)
                .unwrap_err()
                .message(crate::text::Lang::En)
                .len()
                < 200
        );
    }

    #[test]
    fn counts_and_grouping() {
        assert_eq!(group(1_048_576), "1,048,576");
        assert_eq!(group(999), "999");
        assert!(count("services", 100, LIST_ITEMS).is_ok());
        assert!(
            count("services", 101, LIST_ITEMS)
                .unwrap_err()
                .message(crate::text::Lang::En)
                .contains("at most 100 entries")
        );
        let inv = texts(&[("a", "ok", TEXT), ("b", "\0", TEXT), ("c", "\0", TEXT)]).unwrap_err();
        assert_eq!(inv.0.len(), 2);
    }

    #[test]
    fn the_table_is_documented() {
        let doc = include_str!("../../../docs/limits.md");
        for l in ALL {
            let row = format!("| `{}` | {} |", l.name, group(l.max));
            assert!(doc.contains(&row), "docs/limits.md lacks the row {row}");
        }
    }
}
