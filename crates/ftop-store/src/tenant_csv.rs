//! Reading a tenants file into import rows, for `ftop import tenants` and the portal's
//! upload alike: the header names the columns (in any order and case, other columns
//! ignored, `qualified_entitlements` optional, none twice), each record is numbered by the
//! line of the file it starts on (the header is line 1, whatever the line ends), lines are
//! at most `limits::IMPORT_LINE` long and the rows at most `limits::IMPORT_ROWS`. A problem
//! is one field error on `line N`, in the catalogue's words.

use crate::ImportRow;
use crate::csv_lines::LineEnds;
use ftop_domain::FieldError;
use ftop_domain::limits::{IMPORT_LINE, IMPORT_ROWS, group};
use std::io::Read;

/// The columns of a tenants file, in the order of [`ImportRow`].
pub const COLUMNS: [&str; 6] = [
    "tenant_id",
    "tenant_name",
    "customer",
    "service",
    "entitlements",
    "qualified_entitlements",
];

/// The line of an error (the number in its field `line N`), or 0.
pub fn line_of(e: &FieldError) -> u64 {
    e.field
        .strip_prefix("line ")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The rows of a tenants file, blank lines skipped; the first problem found otherwise.
pub fn read_tenant_rows<R: Read>(input: R) -> Result<Vec<ImportRow>, FieldError> {
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(LineEnds::new(input).max_line(IMPORT_LINE.max));
    let unreadable = |r: &csv::Reader<LineEnds<R>>, e: csv::Error| {
        let line = e.position().map_or(r.get_ref().line(), |p| p.line());
        FieldError::of(format!("line {line}"), "invalid-csv").with("why", e.to_string())
    };
    let header = match r.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(unreadable(&r, e)),
    };
    let idx = columns(&header)?;
    let mut rows = Vec::new();
    let mut rec = csv::StringRecord::new();
    loop {
        match r.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(unreadable(&r, e)),
        }
        let line = rec.position().map_or(0, |p| r.get_mut().line_of(p));
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rows.len() as u64 >= IMPORT_ROWS.max {
            return Err(
                FieldError::of(format!("line {line}"), "invalid-import-too-many-rows")
                    .with("max", group(IMPORT_ROWS.max)),
            );
        }
        let get = |i: usize| idx[i].and_then(|c| rec.get(c)).unwrap_or("").to_string();
        rows.push(ImportRow {
            line,
            tenant_id: get(0),
            tenant_name: get(1),
            customer: get(2),
            service: get(3),
            entitlements: get(4),
            qualified: get(5),
        });
    }
    Ok(rows)
}

/// Where each of [`COLUMNS`] is in the header (None: the optional qualified column).
fn columns(header: &csv::StringRecord) -> Result<Vec<Option<usize>>, FieldError> {
    let named = |h: &str, name: &str| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name);
    let mut idx = Vec::new();
    for c in COLUMNS {
        let mut at = header
            .iter()
            .enumerate()
            .filter(|(_, h)| named(h, c))
            .map(|(i, _)| i);
        let first = at.next();
        if let (Some(a), Some(b)) = (first, at.next()) {
            return Err(FieldError::of("line 1", "invalid-import-column-twice")
                .with("column", c)
                .with("first", (a + 1).to_string())
                .with("second", (b + 1).to_string()));
        }
        match first {
            Some(i) => idx.push(Some(i)),
            None if c == "qualified_entitlements" => idx.push(None),
            None => {
                return Err(FieldError::of("line 1", "invalid-import-column-missing")
                    .with("column", c)
                    .with("expected", COLUMNS.join(",")));
            }
        }
    }
    Ok(idx)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "tenant_id,tenant_name,customer,service,entitlements";

    #[test]
    fn records_are_numbered_by_the_editors_line_with_any_line_ends() {
        for end in ["\n", "\r\n", "\r"] {
            let text = [HEAD, "a,b,c,exchange,1", "", "d,e,f,teams,2"].join(end);
            let rows = read_tenant_rows(text.as_bytes()).unwrap();
            let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
            assert_eq!(lines, [2, 4], "{end:?}");
            assert_eq!(rows[1].qualified, "", "the optional column");
        }
    }

    #[test]
    fn a_bad_header_is_named_on_line_1() {
        let e = read_tenant_rows("tenant_id,tenant_name,service,entitlements\n".as_bytes())
            .unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.id.as_ref()),
            ("line 1", "invalid-import-column-missing")
        );
        let e = read_tenant_rows(format!("{HEAD},Customer\n").as_bytes()).unwrap_err();
        assert_eq!(e.id.as_ref(), "invalid-import-column-twice");
        assert!(
            e.to_string().contains("`customer`") && e.to_string().contains("3 and 6"),
            "{e}"
        );
    }

    #[test]
    fn a_line_over_the_limit_is_named() {
        let text = format!("{HEAD}\na,b,c,d,1\n{}\n", "x".repeat(70_000));
        let e = read_tenant_rows(text.as_bytes()).unwrap_err();
        assert_eq!(line_of(&e), 3, "{e}");
    }
}
