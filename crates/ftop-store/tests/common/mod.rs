//! Test databases: a fresh SQLite file, or a fresh database on a real PostgreSQL server
//! (`FTOP_TEST_POSTGRES_URL`, else one started by `scripts/pg-test-server`). Without a
//! server the PostgreSQL half skips and says why, unless `FTOP_REQUIRE_POSTGRES=1` (CI),
//! where it fails.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub(crate) mod fixtures;

use ftop_store::{Actor, PlaybookSource, Store};
use std::path::Path;
use std::sync::OnceLock;

/// Runs each named `async fn NAME(db: &TestDb)` of the including file on both engines: a
/// test in `sqlite::NAME` on a fresh SQLite file and one in `postgres::NAME` on a fresh
/// PostgreSQL database (skipping, with the reason printed, only when no server can be
/// had and `FTOP_REQUIRE_POSTGRES` is not `1`).
macro_rules! both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let db = super::common::sqlite().await;
                super::$name(&db).await;
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some(db) = super::common::postgres().await else { return };
                super::$name(&db).await;
            })*
        }
    };
}
pub(crate) use both_engines;

pub(crate) struct TestDb {
    pub(crate) store: Store,
    /// The database's URL, for tests that reach under the store (`raw`).
    pub(crate) url: String,
    _dir: Option<tempfile::TempDir>,
}

pub(crate) async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("ftop.db").display());
    TestDb {
        store: Store::open(&url).await.unwrap(),
        url,
        _dir: Some(dir),
    }
}

fn server_url() -> Result<String, String> {
    static URL: OnceLock<Result<String, String>> = OnceLock::new();
    URL.get_or_init(|| {
        if let Ok(u) = std::env::var("FTOP_TEST_POSTGRES_URL")
            && !u.is_empty()
        {
            return Ok(u);
        }
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/pg-test-server");
        let out = std::process::Command::new(&script)
            .output()
            .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
        } else {
            Err(format!(
                "no PostgreSQL server could be started: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    })
    .clone()
}

/// A fresh database on the test server, or None (with the reason printed) when no server
/// can be had.
pub(crate) async fn postgres() -> Option<TestDb> {
    let admin = match server_url() {
        Ok(u) => u,
        Err(why) => {
            if std::env::var("FTOP_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                panic!("PostgreSQL is required here (FTOP_REQUIRE_POSTGRES=1) but {why}");
            }
            eprintln!("SKIPPED (PostgreSQL half): {why}");
            return None;
        }
    };
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let name = format!("ftop_test_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::AnyConnection::connect(&admin).await.unwrap();
    sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .unwrap();
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap().to_string();
    let url = format!("{base}/{name}");
    Some(TestDb {
        store: Store::open(&url).await.unwrap(),
        url,
        _dir: None,
    })
}

impl TestDb {
    /// Runs SQL on the database directly (a test damaging what the store keeps) and
    /// returns the first column of each row as text (NULL as "-").
    pub(crate) async fn raw(&self, sql: &str) -> Vec<String> {
        use sqlx::{Connection, Row};
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&self.url).await.unwrap();
        let rows = sqlx::query(sql).fetch_all(&mut conn).await.unwrap();
        rows.iter()
            .map(|r| {
                r.try_get::<Option<String>, _>(0)
                    .unwrap()
                    .unwrap_or_else(|| "-".into())
            })
            .collect()
    }

    /// Runs SQL in a transaction of its own left open (on SQLite one holding the file's
    /// write lock): what it locks stays locked for the store until [`Held::release`].
    pub(crate) async fn holding(&self, sql: &str) -> Held {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&self.url).await.unwrap();
        let begin = if self.url.starts_with("sqlite:") {
            "BEGIN IMMEDIATE"
        } else {
            "BEGIN"
        };
        sqlx::raw_sql(begin).execute(&mut conn).await.unwrap();
        sqlx::query(sql).execute(&mut conn).await.unwrap();
        Held(conn)
    }
}

/// A transaction [`TestDb::holding`] keeps open.
pub(crate) struct Held(sqlx::AnyConnection);

impl Held {
    /// Rolls the transaction back and closes its connection.
    pub(crate) async fn release(mut self) {
        use sqlx::Connection;
        sqlx::raw_sql("ROLLBACK")
            .execute(&mut self.0)
            .await
            .unwrap();
        self.0.close().await.unwrap();
    }
}

pub(crate) fn actor() -> Actor {
    Actor::system("test")
}

/// The bundled playbook's English pages, read from the repository.
pub(crate) fn bundled_sources() -> Vec<PlaybookSource> {
    static SOURCES: OnceLock<Vec<PlaybookSource>> = OnceLock::new();
    SOURCES
        .get_or_init(|| {
            let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../playbook");
            let mut out = Vec::new();
            for lang in ["en", "es", "zh"] {
                let mut files: Vec<_> = std::fs::read_dir(root.join(lang))
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .filter(|p| p.extension().is_some_and(|x| x == "md"))
                    .collect();
                files.sort();
                for f in files {
                    out.push(PlaybookSource {
                        root: String::new(),
                        path: format!("{lang}/{}", f.file_name().unwrap().to_string_lossy()),
                        text: std::fs::read_to_string(&f).unwrap(),
                    });
                }
            }
            out
        })
        .clone()
}
