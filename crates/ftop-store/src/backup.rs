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

use crate::Store;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

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

type Res<T> = std::result::Result<T, BackupError>;

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> BackupError {
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
    {
        let b = rusqlite::backup::Backup::new(&source, &mut copy)?;
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
                            "the backup could not proceed: the database stayed locked for 10 s"
                                .into(),
                        ));
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
        }
    }
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

/// Checks an open backup: SQLite's integrity check, foreign keys, and `schema_migrations`
/// naming only migrations this build knows, with their checksums. Returns the highest
/// migration recorded.
fn verify(c: &Connection) -> Res<i64> {
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
fn damaged(e: rusqlite::Error) -> BackupError {
    use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
    if matches!(e.sqlite_error_code(), Some(DatabaseCorrupt | NotADatabase)) {
        BackupError::Refused(format!("it is damaged ({e})"))
    } else {
        BackupError::Db(e)
    }
}

fn refuse_existing(path: &Path, force: bool, what: &str) -> Res<()> {
    if !force && path.exists() {
        return Err(BackupError::Refused(format!(
            "the {what} {} already exists; pass --force to replace it",
            path.display()
        )));
    }
    Ok(())
}

/// `path` with `suffix` added to its file name.
fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn sync_file(path: &Path) -> Res<()> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(io(format!("cannot flush {} to disk", path.display())))
}

/// Flushes the directory holding `path`, so that a rename into it survives a crash.
fn sync_dir(path: &Path) -> Res<()> {
    #[cfg(unix)]
    {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        std::fs::File::open(dir)
            .and_then(|f| f.sync_all())
            .map_err(io(format!("cannot flush the folder {}", dir.display())))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// A temporary file beside a target, removed (with SQLite's journal) unless disarmed.
struct TempFile(PathBuf);

impl TempFile {
    fn beside(target: &Path) -> Res<TempFile> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| {
                BackupError::Refused(format!("{} is not a file name", target.display()))
            })?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let tmp = target.with_file_name(format!(".{name}.tmp-{}-{nanos}", std::process::id()));
        if let Some(dir) = tmp.parent()
            && !dir.as_os_str().is_empty()
            && !dir.is_dir()
        {
            return Err(BackupError::Refused(format!(
                "the folder {} does not exist",
                dir.display()
            )));
        }
        Ok(TempFile(tmp))
    }

    fn disarm(mut self) {
        self.0 = PathBuf::new();
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.0.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.0);
            let _ = std::fs::remove_file(sidecar(&self.0, "-journal"));
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

    /// A migrated store on a file in `dir` with `rows` rows of filler (about 1 KiB each).
    async fn store_with_rows(dir: &Path, rows: i64) -> (Store, PathBuf) {
        let path = dir.join("live.db");
        let store = Store::open(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        let c = Connection::open(&path).unwrap();
        c.execute_batch(
            "CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
             CREATE INDEX filler_body ON filler (body);",
        )
        .unwrap();
        c.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
             INSERT INTO filler (id, body) SELECT i, hex(randomblob(500)) FROM n",
            [rows],
        )
        .unwrap();
        (store, path)
    }

    fn count(path: &Path) -> i64 {
        let c = Connection::open(path).unwrap();
        c.query_row("SELECT COUNT(*) FROM filler", [], |r| r.get(0))
            .unwrap()
    }

    fn refusal(r: Res<impl std::fmt::Debug>) -> String {
        match r {
            Err(BackupError::Refused(m)) => m,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_backup_under_writes_holds_every_row_committed_before_it_began() {
        let dir = tempfile::tempdir().unwrap();
        let (store, path) = store_with_rows(dir.path(), 12_000).await;
        // A writer commits one row at a time until told to stop.
        let committed = Arc::new(AtomicI64::new(12_000));
        let stop = Arc::new(AtomicBool::new(false));
        let writer = {
            let (path, committed, stop) = (path.clone(), committed.clone(), stop.clone());
            std::thread::spawn(move || {
                let c = Connection::open(&path).unwrap();
                c.busy_timeout(Duration::from_secs(10)).unwrap();
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    let id = committed.load(Ordering::SeqCst) + 1;
                    c.execute("INSERT INTO filler (id, body) VALUES (?1, 'w')", [id])
                        .unwrap();
                    committed.store(id, Ordering::SeqCst);
                    n += 1;
                }
                n
            })
        };
        while committed.load(Ordering::SeqCst) < 12_050 {
            std::thread::sleep(Duration::from_millis(5));
        }
        let before = committed.load(Ordering::SeqCst);
        let dest = dir.path().join("copy.db");
        let mut steps = Vec::new();
        let report = store
            .backup_to(&dest, false, &mut |p| steps.push(p))
            .unwrap();
        let after = committed.load(Ordering::SeqCst);
        stop.store(true, Ordering::SeqCst);
        let written = writer.join().unwrap();
        assert!(after > before, "the writer went on during the backup");
        assert!(steps.len() > 1, "copied in steps: {steps:?}");
        let last = steps.last().unwrap();
        assert_eq!(last.copied, last.total);
        assert!(written > 50);
        let n = count(&dest);
        assert!(
            (before..=after + 1).contains(&n),
            "backup holds {n} rows; {before} were committed before it began, {after} after it"
        );
        assert_eq!(report.schema_version, crate::schema_version());
        assert_eq!(report.bytes, std::fs::metadata(&dest).unwrap().len());
        // One self-contained file: rollback journal mode in the header, nothing beside it.
        let head = std::fs::read(&dest).unwrap();
        assert_eq!((head[18], head[19]), (1, 1), "not flagged as WAL");
        assert!(!sidecar(&dest, "-wal").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp-"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        // An existing file is refused without force and replaced with it.
        let m = refusal(store.backup_to(&dest, false, &mut |_| {}));
        assert!(m.contains("already exists") && m.contains("--force"), "{m}");
        store.backup_to(&dest, true, &mut |_| {}).unwrap();
        assert!(count(&dest) >= after);
    }

    #[tokio::test]
    async fn restore_puts_the_backup_in_place_and_keeps_the_old_database() {
        let dir = tempfile::tempdir().unwrap();
        let (store, live) = store_with_rows(dir.path(), 100).await;
        let backup = dir.path().join("b.db");
        store.backup_to(&backup, false, &mut |_| {}).unwrap();
        let target = dir.path().join("target.db");
        // Into a fresh path.
        let r = restore_sqlite(&backup, &target, false).unwrap();
        assert_eq!(r.kept, None);
        assert_eq!(r.schema_version, crate::schema_version());
        assert_eq!(count(&target), 100);
        // Over an existing database: refused without force; with it, the old one is kept.
        Connection::open(&target)
            .unwrap()
            .execute("DELETE FROM filler WHERE id > 40", [])
            .unwrap();
        let m = refusal(restore_sqlite(&backup, &target, false));
        assert!(m.contains("already exists") && m.contains("--force"), "{m}");
        assert_eq!(count(&target), 40, "nothing changed");
        let r = restore_sqlite(&backup, &target, true).unwrap();
        let kept = r.kept.unwrap();
        assert!(
            kept.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("target.db.before-restore-"),
            "{kept:?}"
        );
        assert_eq!(count(&target), 100);
        assert_eq!(count(&kept), 40);
        // The restored file opens as a store (the migrations run) and passes its check.
        let restored = Store::open(&format!("sqlite://{}", target.display()))
            .await
            .unwrap();
        assert_eq!(restored.integrity_check().await.unwrap(), "ok");
        drop(restored);
        // A database a store holds open is refused, and left alone.
        let m = refusal(restore_sqlite(&backup, &live, true));
        assert!(m.contains("in use"), "{m}");
        assert_eq!(count(&live), 100);
        drop(store);
    }

    #[test]
    fn restore_refuses_a_file_that_is_not_a_database() {
        let dir = tempfile::tempdir().unwrap();
        let notes = dir.path().join("notes.txt");
        std::fs::write(&notes, "meeting notes, not a database\n".repeat(20)).unwrap();
        let target = dir.path().join("t.db");
        let m = refusal(restore_sqlite(&notes, &target, false));
        assert!(m.contains("is not an SQLite database"), "{m}");
        std::fs::write(&notes, "").unwrap();
        let m = refusal(restore_sqlite(&notes, &target, false));
        assert!(m.contains("is not an SQLite database"), "{m}");
        // An SQLite file that is not ftop's.
        let other = dir.path().join("other.db");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE x (y)")
            .unwrap();
        let m = refusal(restore_sqlite(&other, &target, false));
        assert!(m.contains("not an ftop database"), "{m}");
        assert!(!target.exists());
    }

    #[tokio::test]
    async fn restore_refuses_a_corrupted_backup() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = store_with_rows(dir.path(), 3_000).await;
        let backup = dir.path().join("b.db");
        store.backup_to(&backup, false, &mut |_| {}).unwrap();
        // Overwrite the last pages (filler rows and their index) with noise.
        let mut bytes = std::fs::read(&backup).unwrap();
        let len = bytes.len();
        for (i, b) in bytes[len - 3 * 4096..].iter_mut().enumerate() {
            *b = (i * 7 + 13) as u8;
        }
        std::fs::write(&backup, &bytes).unwrap();
        let target = dir.path().join("t.db");
        let m = refusal(restore_sqlite(&backup, &target, false));
        assert!(
            m.contains("integrity check") || m.contains("damaged"),
            "{m}"
        );
        assert!(!target.exists(), "nothing restored");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(
            leftovers, 4,
            "live.db, its -wal and -shm, b.db: no temporary files"
        );
    }

    #[tokio::test]
    async fn restore_refuses_edited_or_newer_migrations() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = store_with_rows(dir.path(), 10).await;
        let backup = dir.path().join("b.db");
        store.backup_to(&backup, false, &mut |_| {}).unwrap();
        let c = Connection::open(&backup).unwrap();
        c.execute(
            "UPDATE schema_migrations SET checksum = 'abc' WHERE version = 3",
            [],
        )
        .unwrap();
        let target = dir.path().join("t.db");
        let m = refusal(restore_sqlite(&backup, &target, false));
        assert!(m.contains("0003_adoption") && m.contains("checksum"), "{m}");
        c.execute_batch(
            "UPDATE schema_migrations SET checksum = NULL WHERE version = 3;
             INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'x');",
        )
        .unwrap();
        let m = refusal(restore_sqlite(&backup, &target, false));
        assert!(m.contains("schema version 99"), "{m}");
        assert!(!target.exists());
    }
}
