//! PostgreSQL's hot reads (session, bearer token, tenant with access, task states, a
//! user's access) on native connections kept beside the `Any` pools (BENCHMARKS.md, B4).
//!
//! Through the `Any` pool every query paid for a ping before it (the pool tests each
//! connection it hands out: one more round trip to the server), for converting its
//! arguments and every column of every row into the `Any` driver's values, and for a
//! per-query copy of the statement text. sqlx's pools also ping every connection again
//! when it is given back (a spawned task waits for the server's answer to a `Sync`), so even
//! a native `PgPool` costs two round trips per query. The connections here keep their
//! prepared statements, decode rows in place, go back to the idle list without a word to
//! the server, and are checked only when they have been idle a while. A connection that
//! failed on the way to the server, or was dropped with a query under way (its reply may
//! be half read), is closed instead of being handed out again. Nothing read here is kept
//! between requests: several instances may share the database.

use crate::sqlite::local::Cols;
use crate::{Result, StoreError};
use sqlx::postgres::{PgConnectOptions, PgConnection, PgDatabaseError, PgRow, PgSeverity};
use sqlx::{ConnectOptions, Connection, Row, TypeInfo, ValueRef};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, SemaphorePermit};

/// Connections of the hot reads at most.
const CONNECTIONS: usize = 8;

/// A connection idle longer than this is pinged before use (the server may have ended it
/// meanwhile); under load connections are idle for microseconds and go without.
pub(crate) const CHECK_AFTER_IDLE: Duration = Duration::from_secs(2);

/// A connection idle longer than this is closed rather than used (as sqlx's pools do).
const IDLE_TIMEOUT: Duration = Duration::from_secs(600);

/// A connection open longer than this is closed when it is given back (the server's
/// memory for its prepared statements and caches is released now and then).
const MAX_LIFETIME: Duration = Duration::from_secs(1800);

/// The hot-read connections of one database: opened when first needed (a command that
/// never reads this way opens none), at most [`CONNECTIONS`] at once.
#[derive(Debug)]
pub(crate) struct HotPool {
    options: PgConnectOptions,
    /// How long a read waits for a connection (free, checked or new) before the database
    /// counts as unavailable.
    acquire: Duration,
    permits: Semaphore,
    /// Connections open now (idle or lent out).
    open: AtomicUsize,
    /// Connections not in use (the last given back is the first handed out again).
    idle: Mutex<Vec<Idle>>,
}

#[derive(Debug)]
struct Idle {
    conn: PgConnection,
    opened: Instant,
    since: Instant,
}

/// A connection of the [`HotPool`], given back when dropped.
pub(crate) struct HotConn<'a> {
    conn: Option<PgConnection>,
    opened: Instant,
    pool: &'a HotPool,
    _permit: SemaphorePermit<'a>,
    /// Whether the last query's outcome was seen (through [`checked`]) and left the
    /// connection fit for the next: cleared whenever the connection is lent for a query.
    settled: bool,
}

/// The hot-read connections of the PostgreSQL database at `url`.
pub(crate) fn connect(url: &str, acquire: Duration) -> Result<HotPool> {
    Ok(HotPool {
        options: url.parse()?,
        acquire,
        permits: Semaphore::new(CONNECTIONS),
        open: AtomicUsize::new(0),
        idle: Mutex::new(Vec::with_capacity(CONNECTIONS)),
    })
}

impl HotPool {
    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<Idle>> {
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Closes a connection of this pool (dropping it closes its socket).
    fn close(&self, conn: PgConnection) {
        drop(conn);
        self.open.fetch_sub(1, Ordering::Relaxed);
    }

    /// Closes every idle connection (the server went away or restarted).
    fn close_idle(&self) {
        let gone: Vec<Idle> = std::mem::take(&mut *self.idle());
        for i in gone {
            self.close(i.conn);
        }
    }

    /// Connections open now, and how many of them are idle.
    pub(crate) fn size(&self) -> (u32, u32) {
        let idle = self.idle().len();
        let open = self.open.load(Ordering::Relaxed);
        let n = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
        (n(open.max(idle)), n(idle))
    }

    /// Connections at most.
    pub(crate) fn max(&self) -> u32 {
        u32::try_from(CONNECTIONS).unwrap_or(u32::MAX)
    }
}

/// A connection of the hot reads: an idle one (pinged first if idle a while), else a new
/// one, all within the pool's one deadline.
pub(crate) async fn acquire(pool: &HotPool) -> Result<HotConn<'_>> {
    let deadline = tokio::time::Instant::now() + pool.acquire;
    let late =
        |what: &str| StoreError::Unavailable(format!("{what} within {} s", pool.acquire.as_secs()));
    let permit = tokio::time::timeout_at(deadline, pool.permits.acquire())
        .await
        .map_err(|_| late("no database connection was free"))?
        .map_err(|_| late("no database connection was free"))?;
    loop {
        let next = pool.idle().pop();
        let Some(i) = next else {
            break;
        };
        let idle_for = i.since.elapsed();
        let mut conn = i.conn;
        if idle_for > IDLE_TIMEOUT {
            pool.close(conn);
            continue;
        }
        if idle_for > CHECK_AFTER_IDLE {
            let alive = tokio::time::timeout_at(deadline, conn.ping()).await;
            if !matches!(alive, Ok(Ok(()))) {
                // Ended by the server (or a network in between): so, most likely, were
                // the ones given back before it. Open a new one.
                pool.close(conn);
                pool.close_idle();
                if alive.is_err() {
                    return Err(late("the database did not answer"));
                }
                continue;
            }
        }
        return Ok(HotConn {
            conn: Some(conn),
            opened: i.opened,
            pool,
            _permit: permit,
            settled: true,
        });
    }
    let conn = tokio::time::timeout_at(deadline, pool.options.connect())
        .await
        .map_err(|_| late("no connection to the database was made"))??;
    pool.open.fetch_add(1, Ordering::Relaxed);
    Ok(HotConn {
        conn: Some(conn),
        opened: Instant::now(),
        pool,
        _permit: permit,
        settled: true,
    })
}

impl std::ops::Deref for HotConn<'_> {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        self.conn
            .as_ref()
            .unwrap_or_else(|| unreachable!("taken only on drop"))
    }
}

impl std::ops::DerefMut for HotConn<'_> {
    /// Lends the connection for a query: until [`checked`] sees its outcome, the
    /// connection is not given back to the pool.
    fn deref_mut(&mut self) -> &mut PgConnection {
        self.settled = false;
        self.conn
            .as_mut()
            .unwrap_or_else(|| unreachable!("taken only on drop"))
    }
}

impl Drop for HotConn<'_> {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else {
            return;
        };
        if self.settled && !conn.is_in_transaction() && self.opened.elapsed() < MAX_LIFETIME {
            self.pool.idle().push(Idle {
                conn,
                opened: self.opened,
                since: Instant::now(),
            });
        } else {
            self.pool.close(conn);
        }
    }
}

/// The outcome of a query on `conn`. The connection goes back to the pool after a result
/// and after an error that leaves it fit for the next query (no row where one was
/// expected, a value that did not decode, an error the server reported and went on
/// from); after any other (the server unreachable, ending the session, a protocol or
/// I/O error) it is closed, and so is every idle one when the server looks gone.
pub(crate) fn checked<T>(
    conn: &mut HotConn<'_>,
    r: std::result::Result<T, sqlx::Error>,
) -> Result<T> {
    let fit = match &r {
        Ok(_) => true,
        Err(e) => still_fit(e),
    };
    conn.settled = fit;
    let r = r.map_err(StoreError::from);
    if let Err(e) = &r
        && e.is_unavailable()
    {
        conn.pool.close_idle();
    }
    r
}

/// Whether a connection is fit for the next query after this error.
fn still_fit(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::RowNotFound
        | sqlx::Error::ColumnNotFound(_)
        | sqlx::Error::ColumnIndexOutOfBounds { .. }
        | sqlx::Error::ColumnDecode { .. }
        | sqlx::Error::Decode(_)
        | sqlx::Error::TypeNotFound { .. } => true,
        sqlx::Error::Database(d) => d.try_downcast_ref::<PgDatabaseError>().is_some_and(|pg| {
            matches!(
                pg.severity(),
                PgSeverity::Error
                    | PgSeverity::Warning
                    | PgSeverity::Notice
                    | PgSeverity::Debug
                    | PgSeverity::Info
                    | PgSeverity::Log
            )
        }),
        _ => false,
    }
}

impl Cols for PgRow {
    fn int(&self, col: &str) -> Result<i64> {
        self.opt_int(col)?
            .ok_or_else(|| StoreError::Internal(format!("column {col} is NULL")))
    }
    fn text(&self, col: &str) -> Result<String> {
        Ok(self.try_get(col)?)
    }
    fn opt_text(&self, col: &str) -> Result<Option<String>> {
        Ok(self.try_get(col)?)
    }
    fn opt_int(&self, col: &str) -> Result<Option<i64>> {
        // The `Any` rows widened every integer to i64: so does this.
        let v = self.try_get_raw(col)?;
        if v.is_null() {
            return Ok(None);
        }
        let kind = v.type_info().name().to_string();
        Ok(Some(match kind.as_str() {
            "INT2" => i64::from(self.try_get::<i16, _>(col)?),
            "INT4" => i64::from(self.try_get::<i32, _>(col)?),
            "BOOL" => i64::from(self.try_get::<bool, _>(col)?),
            _ => self.try_get::<i64, _>(col)?,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::tests::postgres_url;

    async fn pid(pool: &HotPool) -> Result<i32> {
        let mut c = acquire(pool).await?;
        let r = sqlx::query_scalar::<_, i32>("SELECT pg_backend_pid()")
            .fetch_one(&mut *c)
            .await;
        checked(&mut c, r)
    }

    /// A connection goes back for the next read; one dropped with its query under way, or
    /// ended by the server, is not handed out again.
    #[tokio::test]
    async fn connections_are_reused_and_never_handed_out_half_read_or_dead() {
        let Some(url) = postgres_url() else { return };
        let pool = connect(&url, Duration::from_secs(3)).unwrap();
        let first = pid(&pool).await.unwrap();
        assert_eq!(pool.size(), (1, 1));
        assert_eq!(
            pid(&pool).await.unwrap(),
            first,
            "the idle connection is reused"
        );

        // A read whose future is dropped while the server is still answering.
        {
            let mut c = acquire(&pool).await.unwrap();
            let slow = sqlx::query("SELECT pg_sleep(0.3)").execute(&mut *c);
            assert!(
                tokio::time::timeout(Duration::from_millis(20), slow)
                    .await
                    .is_err()
            );
        }
        assert_eq!(pool.size(), (0, 0), "dropped half way: closed");
        let second = pid(&pool).await.unwrap();
        assert_ne!(second, first);

        // The server ends the idle connection: the next read fails as unavailable (the
        // connection was idle too short a time to be checked), and the one after works.
        let mut other = url
            .parse::<PgConnectOptions>()
            .unwrap()
            .connect()
            .await
            .unwrap();
        sqlx::query("SELECT pg_terminate_backend($1)")
            .bind(second)
            .execute(&mut other)
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        let e = pid(&pool).await.unwrap_err();
        assert!(e.is_unavailable(), "{e}");
        assert_eq!(pool.size(), (0, 0), "a dead connection is not kept");
        let third = pid(&pool).await.unwrap();
        assert_ne!(third, second);
        // A query the server refuses leaves the connection usable.
        let mut c = acquire(&pool).await.unwrap();
        let r = sqlx::query("SELECT no_such_column").execute(&mut *c).await;
        assert!(!checked(&mut c, r).unwrap_err().is_unavailable());
        drop(c);
        assert_eq!(pid(&pool).await.unwrap(), third);
    }
}
