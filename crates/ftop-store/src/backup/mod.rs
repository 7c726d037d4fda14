//! Backups of an SQLite database and their restore (PostgreSQL has its own tools: pg_dump,
//! pg_basebackup; see docs/operations.md).
//!
//! A backup is taken online with SQLite's backup API while a server keeps writing: the
//! copy runs inside one read transaction on the live file, so it is one consistent
//! snapshot, and in WAL mode a reader never blocks writers, whatever the copy's length.
//! The pages are copied in steps (for a progress report) into a temporary file beside the
//! target, which is switched to a self-contained single file (no `-wal`), checked
//! (`integrity_check`, foreign keys, the recorded migrations) and fsynced before it is
//! renamed into place.
//!
//! A restore checks the backup the same way (on a copy beside the database, so the backup
//! itself is never changed), refuses while another process holds the current database,
//! keeps the current file as `<db>.before-restore-<time>` and renames the copy into place.
//! The caller then opens the store, which runs the migrations.

mod files;
mod restore;
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
mod verify;

pub use restore::restore_sqlite;

use crate::Store;
use files::{TempFile, refuse_existing, sync_dir, sync_file};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;
use verify::verify;

/// Pages copied per backup step (4 MiB with SQLite's default 4 KiB pages).
const PAGES_PER_STEP: i32 = 1024;

/// What a backup or restore can fail with.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The operation was refused; the message says why and what to do.
    #[error("{0}")]
    Refused(String),
    /// A file operation failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done, naming the file.
        what: String,
        /// The failure.
        source: std::io::Error,
    },
    /// SQLite failed.
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
}

/// How far a backup is, in database pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupProgress {
    /// Pages copied so far.
    pub copied: u64,
    /// Pages in the database.
    pub total: u64,
}

/// A finished, verified backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    /// The backup file.
    pub file: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// The highest migration recorded in it.
    pub schema_version: i64,
}

/// A finished restore (before the migrations, which the caller runs by opening the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    /// The database file now holding the backup.
    pub database: PathBuf,
    /// Where the database that was there before is kept, if there was one.
    pub kept: Option<PathBuf>,
    /// The highest migration recorded in the backup.
    pub schema_version: i64,
}

pub(super) type Res<T> = std::result::Result<T, BackupError>;

pub(super) fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> BackupError {
    let what = what.into();
    move |source| BackupError::Io { what, source }
}

/// The file an `sqlite://PATH` URL names; `None` for PostgreSQL and in-memory databases.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    crate::db::sqlite_file(url).map(PathBuf::from)
}

impl Store {
    /// Copies this (SQLite) database to `dest` while it stays in use; see
    /// [`backup_sqlite`]. Blocks the calling thread: in async code, call it from
    /// `spawn_blocking`.
    pub fn backup_to(
        &self,
        dest: &Path,
        force: bool,
        progress: &mut dyn FnMut(BackupProgress),
    ) -> Res<BackupReport> {
        let Some(side) = &self.sqlite else {
            return Err(BackupError::Refused(
                "only an SQLite database file can be backed up by ftop; for PostgreSQL use \
                 pg_dump (see docs/operations.md)"
                    .into(),
            ));
        };
        backup_sqlite(Path::new(&side.path), dest, force, progress)
    }
}

/// Copies the SQLite database `src` to `dest`, online: writers go on during the copy, and
/// the copy is the database as it was when the copy began. Refuses an existing `dest`
/// unless `force`. The result is a single file that passed the integrity check and
/// records known migrations; it is fsynced, and `dest` appears only when it is complete.
pub fn backup_sqlite(
    src: &Path,
    dest: &Path,
    force: bool,
    progress: &mut dyn FnMut(BackupProgress),
) -> Res<BackupReport> {
    if !src.is_file() {
        return Err(BackupError::Refused(format!(
            "there is no database file at {}",
            src.display()
        )));
    }
    refuse_existing(dest, force, "backup file")?;
    let tmp = TempFile::beside(dest)?;
    let source = Connection::open_with_flags(
        src,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    source.busy_timeout(Duration::from_secs(10))?;
    let mut copy = Connection::open(&tmp.0)?;
    // One read transaction for the whole copy: every step reads the same snapshot, so
    // writes made meanwhile by the server neither show up in the copy nor restart it.
    source.execute_batch("BEGIN")?;
    source.query_row("SELECT COUNT(*) FROM sqlite_schema", [], |_| Ok(()))?;
    copy_pages(&source, &mut copy, progress)?;
    source.execute_batch("COMMIT")?;
    drop(source);
    // The copy carries the live file's WAL flag: make it one self-contained file.
    let mode: String = copy.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(BackupError::Refused(format!(
            "the copy stayed in journal mode {mode}"
        )));
    }
    let schema_version = verify(&copy).map_err(|e| match e {
        BackupError::Refused(m) => BackupError::Refused(format!("the copy is not sound: {m}")),
        e => e,
    })?;
    copy.close().map_err(|(_, e)| e)?;
    sync_file(&tmp.0)?;
    refuse_existing(dest, force, "backup file")?;
    std::fs::rename(&tmp.0, dest).map_err(io(format!(
        "cannot move the backup into place at {}",
        dest.display()
    )))?;
    tmp.disarm();
    sync_dir(dest)?;
    let bytes = std::fs::metadata(dest)
        .map_err(io(format!("cannot read {}", dest.display())))?
        .len();
    Ok(BackupReport {
        file: dest.to_path_buf(),
        bytes,
        schema_version,
    })
}

/// Copies every page of `source` into `copy` in steps, reporting progress after each; a
/// copy locked for more than 10 s is refused.
fn copy_pages(
    source: &Connection,
    copy: &mut Connection,
    progress: &mut dyn FnMut(BackupProgress),
) -> Res<()> {
    let b = rusqlite::backup::Backup::new(source, copy)?;
    let mut waits = 0;
    loop {
        use rusqlite::backup::StepResult;
        let r = b.step(PAGES_PER_STEP)?;
        let p = b.progress();
        let total = u64::try_from(p.pagecount).unwrap_or(0);
        let left = u64::try_from(p.remaining).unwrap_or(0);
        progress(BackupProgress {
            copied: total.saturating_sub(left),
            total,
        });
        match r {
            StepResult::Done => break,
            StepResult::More => {}
            _ => {
                // Busy or locked: the source cannot be busy inside our read
                // transaction, so this is a passing lock on the copy; wait a little.
                waits += 1;
                if waits > 200 {
                    return Err(BackupError::Refused(
                        "the backup could not proceed: the database stayed locked for 10 s".into(),
                    ));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
    Ok(())
}
