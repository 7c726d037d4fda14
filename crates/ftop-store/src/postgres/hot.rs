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
use sqlx::postgres::{PgConnectOptions, PgConnection, PgRow};
use sqlx::{ConnectOptions, Connection, Row, TypeInfo, ValueRef};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, SemaphorePermit};

/// Connections of the hot reads at most.
const CONNECTIONS: usize = 8;

/// A connection idle longer than this is pinged before use (the server may have ended it
/// meanwhile); under load connections are idle for microseconds and go without.
const CHECK_AFTER_IDLE: Duration = Duration::from_secs(2);

/// The hot-read connections of one database: opened when first needed (a command that
/// never reads this way opens none), at most [`CONNECTIONS`] at once.
#[derive(Debug)]
pub(crate) struct HotPool {
    options: PgConnectOptions,
    /// How long a read waits for a free connection before the database counts as
    /// unavailable.
    acquire: Duration,
    permits: Semaphore,
    /// Connections not in use, each with the time it was given back (the last given back
    /// is the first handed out again).
    idle: Mutex<Vec<(PgConnection, Instant)>>,
}

/// A connection of the [`HotPool`], given back when dropped.
pub(crate) struct HotConn<'a> {
    conn: Option<PgConnection>,
    pool: &'a HotPool,
    _permit: SemaphorePermit<'a>,
    /// Whether the last query's outcome was seen (through [`checked`]): cleared whenever
    /// the connection is lent out for a query.
    settled: bool,
}

/// The hot-read connections of the PostgreSQL database at `url`.
pub(crate) fn connect(url: &str, acquire: Duration) -> Result<HotPool> {
    Ok(HotPool {
        options: url.parse()?,
        acquire,
        permits: Semaphore::new(CONNECTIONS),
        idle: Mutex::new(Vec::with_capacity(CONNECTIONS)),
    })
}

impl HotPool {
    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<(PgConnection, Instant)>> {
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Connections open now, and how many of them are idle.
    pub(crate) fn size(&self) -> (u32, u32) {
        let idle = self.idle().len();
        let busy = CONNECTIONS - self.permits.available_permits().min(CONNECTIONS);
        let n = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
        (n(idle + busy), n(idle))
    }

    /// Connections at most.
    pub(crate) fn max(&self) -> u32 {
        u32::try_from(CONNECTIONS).unwrap_or(u32::MAX)
    }
}

/// A connection of the hot reads: an idle one (pinged first if idle a while), else a new one.
pub(crate) async fn acquire(pool: &HotPool) -> Result<HotConn<'_>> {
    let unavailable = || {
        StoreError::Unavailable(format!(
            "no database connection was free within {} s",
            pool.acquire.as_secs()
        ))
    };
    let permit = tokio::time::timeout(pool.acquire, pool.permits.acquire())
        .await
        .map_err(|_| unavailable())?
        .map_err(|_| unavailable())?;
    loop {
        let next = pool.idle().pop();
        let Some((mut conn, since)) = next else {
            break;
        };
        if since.elapsed() > CHECK_AFTER_IDLE
            && tokio::time::timeout(pool.acquire, conn.ping())
                .await
                .map_or(true, |r| r.is_err())
        {
            // Ended by the server (or a network in between): try the next, else a new one.
            continue;
        }
        return Ok(HotConn {
            conn: Some(conn),
            pool,
            _permit: permit,
            settled: true,
        });
    }
    let conn = tokio::time::timeout(pool.acquire, pool.options.connect())
        .await
        .map_err(|_| unavailable())??;
    Ok(HotConn {
        conn: Some(conn),
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
        if let Some(conn) = self.conn.take()
            && self.settled
        {
            self.pool.idle().push((conn, Instant::now()));
        }
        // Else the connection is dropped here, which closes its socket.
    }
}

/// The outcome of a query on `conn`: when the server could not be reached or ended the
/// connection, that connection and every idle one are closed rather than handed out again.
/// (An error the server answered with leaves the connection ready for the next query.)
pub(crate) fn checked<T>(
    conn: &mut HotConn<'_>,
    r: std::result::Result<T, sqlx::Error>,
) -> Result<T> {
    let r = r.map_err(StoreError::from);
    let lost = matches!(&r, Err(e) if e.is_unavailable());
    conn.settled = !lost;
    if lost {
        // The server went away or restarted: the idle connections went with it.
        conn.pool.idle().clear();
    }
    r
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
