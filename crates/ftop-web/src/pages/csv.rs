//! CSV downloads of the tables the pages show.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// What a spreadsheet may take for the start of a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];
/// Where a spreadsheet may split a cell into several (its import guesses the separator).
const SPLITS: [char; 5] = [',', ';', '\t', '\n', '\r'];

/// One CSV field: quoted when needed, and neutralised with a leading `'` when it, or any
/// part of it after a separator a spreadsheet might split on, starts (after spaces) like a
/// formula (`= + - @`, tab, CR), so that a spreadsheet does not run it.
pub(crate) fn field(s: &str) -> String {
    let formula = |part: &str| part.trim_start_matches(' ').starts_with(FORMULA_START);
    let risky = formula(s)
        || s.match_indices(SPLITS)
            .any(|(i, sep)| formula(&s[i + sep.len()..]));
    let s = if risky {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', ';', '"', '\t', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The CSV text of rows (the first row is the header).
pub(crate) fn text(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for r in rows {
        let line: Vec<String> = r.iter().map(|c| field(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A CSV download named `filename`.
pub(crate) fn download(filename: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::{field, text};

    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(field("@x,y"), "\"'@x,y\"");
        assert_eq!(text(&[vec!["a".into(), "b,c".into()]]), "a,\"b,c\"\r\n");
    }

    #[test]
    fn a_formula_after_a_separator_is_neutralised_too() {
        assert_eq!(field("Acme;=1+1"), "\"'Acme;=1+1\"");
        assert_eq!(field(" =1+1"), "' =1+1");
        assert_eq!(field("Acme;Contoso"), "\"Acme;Contoso\"");
        assert_eq!(field("2024-01-31"), "2024-01-31");
        assert_eq!(field("a, @SUM(1)"), "\"'a, @SUM(1)\"");
        assert_eq!(field("x\n+1"), "\"'x\n+1\"");
    }
}
