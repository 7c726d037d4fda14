//! Restoring a backup: the header check, the locked swap of the current file and the copy
//! kept aside.

use super::files::{TempFile, refuse_existing, sidecar, sync_dir, sync_file};
use super::verify::{damaged, verify};
use super::{BackupError, Res, RestoreReport, io};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Checks that `backup` is an SQLite file (by its header), without opening it.
fn check_header(backup: &Path) -> Res<()> {
    use std::io::Read;
    let mut f = std::fs::File::open(backup)
        .map_err(io(format!("cannot open the backup {}", backup.display())))?;
    let mut head = [0u8; 100];
    let mut n = 0;
    while n < head.len() {
        let got = f
            .read(&mut head[n..])
            .map_err(io(format!("cannot read the backup {}", backup.display())))?;
        if got == 0 {
            break;
        }
        n += got;
    }
    if n < head.len() || !head.starts_with(b"SQLite format 3\0") {
        return Err(BackupError::Refused(format!(
            "{} is not an SQLite database (it does not start with SQLite's file header)",
            backup.display()
        )));
    }
    Ok(())
}

/// Restores the SQLite backup `backup` as the database file `db`. The backup is checked
/// first (SQLite's header, `integrity_check`, foreign keys, `schema_migrations` with the
/// checksums of this build's migrations) on a copy beside `db`. An existing `db` is
/// refused unless `force`, and while another process (a running `ftop serve`) has it open;
/// with `force` it is kept as `<db>.before-restore-<UTC time>`. The copy is renamed into
/// place in one step. The caller opens the store afterwards to run the migrations.
pub fn restore_sqlite(backup: &Path, db: &Path, force: bool) -> Res<RestoreReport> {
    check_header(backup)?;
    refuse_existing(db, force, "database")?;
    let tmp = TempFile::beside(db)?;
    std::fs::copy(backup, &tmp.0).map_err(io(format!(
        "cannot copy {} to {}",
        backup.display(),
        tmp.0.display()
    )))?;
    let check = || -> Res<i64> {
        let copy = Connection::open_with_flags(
            &tmp.0,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let mode: String = copy
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
            .map_err(damaged)?;
        if !mode.eq_ignore_ascii_case("delete") {
            return Err(BackupError::Refused(format!(
                "its copy stayed in journal mode {mode}"
            )));
        }
        let v = verify(&copy)?;
        copy.close().map_err(|(_, e)| e)?;
        Ok(v)
    };
    // Whatever SQLite cannot read in this fresh copy is the backup's fault.
    let schema_version = check().map_err(|e| {
        let why = match e {
            BackupError::Refused(m) => m,
            BackupError::Db(e) => format!("SQLite cannot read it ({e})"),
            e => return e,
        };
        BackupError::Refused(format!("{} cannot be restored: {why}", backup.display()))
    })?;
    sync_file(&tmp.0)?;
    // Hold the current database exclusively until the copy is in place.
    let (lock, kept) = if db.exists() {
        let lock = lock_current(db)?;
        let kept = keep_aside(db)?;
        (Some(lock), Some(kept))
    } else {
        (None, None)
    };
    for suffix in ["-wal", "-journal"] {
        let side = sidecar(db, suffix);
        if side.exists() {
            return Err(BackupError::Refused(format!(
                "{} is left from an earlier use of the database; move it away (after \
                 checking nothing runs on {}) and restore again",
                side.display(),
                db.display()
            )));
        }
    }
    std::fs::rename(&tmp.0, db).map_err(io(format!(
        "cannot move the restored database into place at {}",
        db.display()
    )))?;
    tmp.disarm();
    sync_dir(db)?;
    drop(lock);
    Ok(RestoreReport {
        database: db.to_path_buf(),
        kept,
        schema_version,
    })
}

/// Takes the current database for the restore: converts it to a rollback journal (which
/// folds a WAL left by a crash into the file and only succeeds when no other connection
/// has it open), then takes SQLite's exclusive lock and holds it in the connection.
fn lock_current(db: &Path) -> Res<Connection> {
    let in_use = || {
        BackupError::Refused(format!(
            "{} is in use by another process (is `ftop serve` running on it?); stop it and \
             restore again",
            db.display()
        ))
    };
    let busy = |e: rusqlite::Error| {
        use rusqlite::ErrorCode::{DatabaseBusy, DatabaseLocked};
        if matches!(e.sqlite_error_code(), Some(DatabaseBusy | DatabaseLocked)) {
            in_use()
        } else {
            damaged(e)
        }
    };
    let c = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    c.busy_timeout(Duration::from_millis(500))?;
    let mode: String = c
        .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
        .map_err(busy)?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(in_use());
    }
    c.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;")
        .map_err(busy)?;
    Ok(c)
}

/// Keeps the current database as `<db>.before-restore-<UTC time>`: a hard link, or where
/// the file system has none, a rename (the copy is renamed into place right after). No
/// file handle is opened on the database here: closing one would drop the POSIX locks
/// SQLite holds for the restore. The folder is fsynced after the copy is in place.
fn keep_aside(db: &Path) -> Res<PathBuf> {
    let fmt = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    let stamp = time::OffsetDateTime::now_utc()
        .format(&fmt)
        .unwrap_or_else(|_| "unknown-time".into());
    let mut kept = sidecar(db, &format!(".before-restore-{stamp}"));
    let mut n = 1;
    while kept.exists() {
        kept = sidecar(db, &format!(".before-restore-{stamp}-{n}"));
        n += 1;
    }
    if std::fs::hard_link(db, &kept).is_err() {
        std::fs::rename(db, &kept).map_err(io(format!(
            "cannot keep the current database as {}",
            kept.display()
        )))?;
    }
    Ok(kept)
}
