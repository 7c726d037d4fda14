//! What makes a file a good backup: integrity, foreign keys and known migrations.

use super::{BackupError, Res};
use rusqlite::Connection;

/// Checks an open backup: SQLite's integrity check, foreign keys, and `schema_migrations`
/// naming only migrations this build knows, with their checksums. Returns the highest
/// migration recorded.
pub(super) fn verify(c: &Connection) -> Res<i64> {
    let mut st = c.prepare("PRAGMA integrity_check").map_err(damaged)?;
    let report: Vec<String> = st
        .query_map([], |r| r.get(0))
        .map_err(damaged)?
        .collect::<std::result::Result<_, _>>()
        .map_err(damaged)?;
    drop(st);
    if report != ["ok"] {
        let shown: Vec<&str> = report.iter().take(3).map(String::as_str).collect();
        return Err(BackupError::Refused(format!(
            "it failed SQLite's integrity check ({}{})",
            shown.join("; "),
            if report.len() > 3 { "; ..." } else { "" }
        )));
    }
    let fk: i64 = c
        .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .map_err(damaged)?;
    if fk > 0 {
        return Err(BackupError::Refused(format!(
            "it has {fk} rows whose foreign keys point nowhere"
        )));
    }
    let has_table: i64 = c.query_row(
        "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'",
        [],
        |r| r.get(0),
    )?;
    if has_table == 0 {
        return Err(BackupError::Refused(
            "it is not an ftop database (no schema_migrations table)".into(),
        ));
    }
    let has_sums: i64 = c.query_row(
        "SELECT COUNT(*) FROM pragma_table_info('schema_migrations') WHERE name = 'checksum'",
        [],
        |r| r.get(0),
    )?;
    let q = if has_sums > 0 {
        "SELECT version, checksum FROM schema_migrations ORDER BY version"
    } else {
        "SELECT version, NULL FROM schema_migrations ORDER BY version"
    };
    let mut st = c.prepare(q)?;
    let recorded: Vec<(i64, Option<String>)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<std::result::Result<_, _>>()?;
    let known = crate::migrate::sqlite_checksums();
    let newest = known.last().map_or(0, |k| k.0);
    for (version, sum) in &recorded {
        let Some((_, name, text_sum)) = known.iter().find(|k| k.0 == *version) else {
            return Err(BackupError::Refused(format!(
                "it is at schema version {version}, newer than this ftop knows ({newest}); \
                 restore it with a newer ftop"
            )));
        };
        // Migrations applied before checksums existed have none yet: the migration run
        // after the restore records them.
        if let Some(sum) = sum
            && sum != text_sum
        {
            return Err(BackupError::Refused(format!(
                "its migration {version:04}_{name} was recorded with a different checksum \
                 than this ftop's text: it was made with an edited migration"
            )));
        }
    }
    recorded
        .iter()
        .map(|r| r.0)
        .max()
        .ok_or_else(|| BackupError::Refused("it records no migrations".into()))
}

/// SQLite errors that mean the file is damaged or not a database become a refusal.
pub(super) fn damaged(e: rusqlite::Error) -> BackupError {
    use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
    if matches!(e.sqlite_error_code(), Some(DatabaseCorrupt | NotADatabase)) {
        BackupError::Refused(format!("it is damaged ({e})"))
    } else {
        BackupError::Db(e)
    }
}
