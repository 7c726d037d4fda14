//! Connections: which engine a URL names, how each is set up, and the SQL dialect bridge.
//! Queries are written once with PostgreSQL's `$1` placeholders; for SQLite they become
//! `?1`, which SQLite binds by number.

use crate::StoreError;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::borrow::Cow;
use std::time::Duration;

/// The database engine behind a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite: one file, WAL mode, full fsync on commit. The embedded default.
    Sqlite,
    /// PostgreSQL: for several `ftop serve` instances sharing one database.
    Postgres,
}

impl Backend {
    /// The engine a URL names: `sqlite://PATH` (or `sqlite:PATH`) and `postgres://...`
    /// (or `postgresql://...`).
    pub fn of(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::Config(format!(
                "`{url}` is not a database URL: use sqlite://PATH or postgres://USER@HOST/DB"
            )))
        }
    }

    /// The SQL text for this engine: PostgreSQL's `$n` placeholders become SQLite's `?n`
    /// (see `sql.rs`; a `$` inside a string literal stays).
    pub fn sql(self, q: &str) -> Cow<'_, str> {
        match self {
            Backend::Postgres => Cow::Borrowed(q),
            Backend::Sqlite => crate::sql::sqlite_placeholders(q),
        }
    }
}

/// Pools of one database: writes go through `write` (a single connection for SQLite, so
/// writers queue in order instead of spinning on locks), reads through `read`.
#[derive(Debug, Clone)]
pub(crate) struct Pools {
    pub(crate) backend: Backend,
    pub(crate) write: AnyPool,
    pub(crate) read: AnyPool,
    /// PostgreSQL only: the native pool of the hot reads (see `postgres/hot.rs`).
    pub(crate) pg: Option<std::sync::Arc<crate::postgres::hot::HotPool>>,
}

/// Turns `sqlite://PATH` into the form the driver wants, creating the file if needed.
/// The file an `sqlite://PATH` URL names (`None` for other engines and in-memory databases).
pub(crate) fn sqlite_file(url: &str) -> Option<String> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    (!path.is_empty() && !path.contains(":memory:") && !query.contains("mode=memory"))
        .then(|| percent_decode(path))
}

/// `%XX` escapes decoded, as the SQLite driver reads the path of a URL.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn sqlite_url(url: &str) -> String {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let mut q: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    if !q.iter().any(|p| p.starts_with("mode=")) {
        q.push("mode=rwc");
    }
    format!("sqlite://{path}?{}", q.join("&"))
}

type SetupFuture<'c, T = ()> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, sqlx::Error>> + Send + 'c>>;

/// Per-connection SQLite settings. WAL: readers never block the writer. FULL: every commit
/// is fsynced, so an acknowledged change survives a crash or power cut.
fn sqlite_setup(conn: &mut sqlx::AnyConnection) -> SetupFuture<'_> {
    Box::pin(async move {
        conn.execute(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
        )
        .await?;
        Ok(())
    })
}

/// A SQLite read connection: as [`sqlite_setup`], and the file memory-mapped with a
/// larger page cache, so reads that visit many pages (the work queue, the reports) take
/// them from the mapping instead of copying each through a `read()` call (B9: a fifth of
/// the queue's CPU was the kernel copying pages). Reads only: the write connection keeps
/// plain I/O, so a full disk or an I/O error on a write is a returned error, never a
/// fault on a mapped page.
fn sqlite_read_setup(conn: &mut sqlx::AnyConnection) -> SetupFuture<'_> {
    Box::pin(async move {
        sqlite_setup(conn).await?;
        conn.execute("PRAGMA mmap_size = 4294967296; PRAGMA cache_size = -16384;")
            .await?;
        Ok(())
    })
}

/// SQLite's write connection, back from a write: kept only when it is outside any
/// transaction. After a full disk or an I/O error SQLite may roll the transaction back by
/// itself; the driver's ROLLBACK then fails and it still counts the transaction as open,
/// so it would start the next one as a SAVEPOINT nested in a transaction that is never
/// committed (changes acknowledged but never stored, the write lock held for good). Such
/// a connection is closed (closing rolls back whatever it holds) and the pool opens a
/// fresh one for the next write.
fn sqlite_write_released(
    conn: &mut sqlx::AnyConnection,
    _: sqlx::pool::PoolConnectionMetadata,
) -> SetupFuture<'_, bool> {
    Box::pin(async move {
        use sqlx::Connection;
        if !conn.is_in_transaction() {
            return Ok(true);
        }
        // A dropped transaction's ROLLBACK is queued on the connection: let it run.
        conn.ping().await?;
        if !conn.is_in_transaction() {
            return Ok(true);
        }
        tracing::warn!(
            "the SQLite write connection is left inside a failed transaction (full disk or \
             I/O error): closing it; the next write opens a new one"
        );
        Ok(false)
    })
}

/// A PostgreSQL connection: JIT compilation stays (the large report aggregations gain
/// from compiled expressions), but without its costly inlining and optimization passes,
/// which the planner turns on from an estimated cost that probing reports reach through
/// poor estimates (B10 at 100,000 tenants: 95 ms of inlining and optimization in a
/// 620-670 ms compliance count, 480 ms without them; the aggregations unchanged). A
/// server that does not know the settings (before PostgreSQL 11) keeps its defaults.
fn postgres_setup(conn: &mut sqlx::AnyConnection) -> SetupFuture<'_> {
    Box::pin(async move {
        let set = "SELECT set_config('jit_inline_above_cost', '1e9', false),
            set_config('jit_optimize_above_cost', '1e9', false)";
        if let Err(e) = conn.execute(set).await {
            tracing::debug!("PostgreSQL kept its JIT settings: {e}");
        }
        Ok(())
    })
}

/// How long a request waits for a PostgreSQL connection before it is answered
/// "unavailable".
const PG_ACQUIRE: Duration = Duration::from_secs(3);

pub(crate) async fn connect(url: &str) -> Result<Pools, StoreError> {
    install_default_drivers();
    let backend = Backend::of(url)?;
    match backend {
        Backend::Sqlite => {
            let url = sqlite_url(url);
            // A local file cannot drop a connection: no ping before each use (one fewer
            // hand-off to the driver's worker thread per query).
            let write = AnyPoolOptions::new()
                .test_before_acquire(false)
                .max_connections(1)
                .acquire_timeout(Duration::from_secs(30))
                .after_connect(|c, _| sqlite_setup(c))
                .after_release(sqlite_write_released)
                .connect(&url)
                .await?;
            let read = AnyPoolOptions::new()
                .test_before_acquire(false)
                .max_connections(4)
                .acquire_timeout(Duration::from_secs(30))
                .after_connect(|c, _| sqlite_read_setup(c))
                .connect(&url)
                .await?;
            Ok(Pools {
                backend,
                write,
                read,
                pg: None,
            })
        }
        Backend::Postgres => {
            // A stopped or unreachable server: requests fail within seconds (503) instead
            // of waiting half a minute each for a connection. A connection idle a while is
            // checked before reuse (the server may have ended it); one in steady use is
            // not, as sqlx checks each when it is given back anyway.
            let pool = AnyPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(PG_ACQUIRE)
                .test_before_acquire(false)
                .before_acquire(|c, meta| {
                    Box::pin(async move {
                        if meta.idle_for > crate::postgres::hot::CHECK_AFTER_IDLE {
                            sqlx::Connection::ping(c).await?;
                        }
                        Ok(true)
                    })
                })
                .after_connect(|c, _| postgres_setup(c))
                .connect(url)
                .await?;
            let pg = std::sync::Arc::new(crate::postgres::hot::connect(url, PG_ACQUIRE)?);
            Ok(Pools {
                backend,
                write: pool.clone(),
                read: pool,
                pg: Some(pg),
            })
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::sqlite_file;

    /// The test server's URL (`scripts/test` exports it), or None when PostgreSQL is not
    /// required here (the skip printed).
    pub(crate) fn postgres_url() -> Option<String> {
        match std::env::var("FTOP_TEST_POSTGRES_URL") {
            Ok(u) if !u.is_empty() => Some(u),
            _ => {
                let required = std::env::var("FTOP_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
                assert!(
                    !required,
                    "PostgreSQL is required here (FTOP_REQUIRE_POSTGRES=1) but FTOP_TEST_POSTGRES_URL is not set"
                );
                eprintln!("SKIPPED: FTOP_TEST_POSTGRES_URL is not set");
                None
            }
        }
    }

    #[tokio::test]
    async fn postgres_connections_keep_jit_without_its_inlining_and_optimization() {
        let Some(url) = postgres_url() else { return };
        let pools = super::connect(&url).await.unwrap();
        for name in ["jit_inline_above_cost", "jit_optimize_above_cost"] {
            let v: String = sqlx::query_scalar(&format!("SELECT current_setting('{name}')"))
                .fetch_one(&pools.read)
                .await
                .unwrap();
            assert_eq!(v, "1e+09", "{name}");
        }
    }

    #[test]
    fn the_file_of_a_sqlite_url_is_decoded_like_the_driver_does() {
        assert_eq!(sqlite_file("sqlite://ftop.db").as_deref(), Some("ftop.db"));
        assert_eq!(
            sqlite_file("sqlite:///srv/my%20db.sqlite?mode=rwc").as_deref(),
            Some("/srv/my db.sqlite")
        );
        assert_eq!(
            sqlite_file("sqlite:data/x.db").as_deref(),
            Some("data/x.db")
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://u@h/db"), None);
        assert_eq!(
            sqlite_file("sqlite://a%2"),
            Some("a%2".into()),
            "a bad escape stays"
        );
    }
}
