use super::files::sidecar;
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
