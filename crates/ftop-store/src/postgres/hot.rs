//! PostgreSQL's hot reads (session, bearer token, tenant with access, task states) on a
//! native `sqlx::PgPool` beside the `Any` pools (BENCHMARKS.md, B4).
//!
//! Through the `Any` pool every query paid for a ping before it (the pool tests each
//! connection it hands out: one more round trip to the server), for converting its
//! arguments and every column of every row into the `Any` driver's values, and for a
//! per-query copy of the statement text. The native pool keeps each connection's prepared
//! statements like the `Any` one, decodes rows in place, and checks a connection only when
//! it has been idle a while; a connection that failed on the way to the server is closed
//! instead of being handed out again. Nothing read here is kept between requests: several
//! instances may share the database.

use crate::sqlite::local::Cols;
use crate::{Result, StoreError};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::{Connection, Postgres, Row, TypeInfo, ValueRef};
use std::time::Duration;

/// Connections of the hot-read pool.
const CONNECTIONS: u32 = 8;

/// A connection idle longer than this is pinged before use (the server may have ended it
/// meanwhile); under load connections are idle for microseconds and go without.
const CHECK_AFTER_IDLE: Duration = Duration::from_secs(2);

/// The hot-read pool of the PostgreSQL database at `url`, opening its connections when
/// first needed (a command that never reads this way opens none).
pub(crate) fn connect(url: &str, acquire: Duration) -> Result<PgPool> {
    Ok(PgPoolOptions::new()
        .max_connections(CONNECTIONS)
        .acquire_timeout(acquire)
        .test_before_acquire(false)
        .before_acquire(|c, meta| {
            Box::pin(async move {
                if meta.idle_for > CHECK_AFTER_IDLE {
                    c.ping().await?;
                }
                Ok(true)
            })
        })
        .connect_lazy(url)?)
}

/// A connection of the hot-read pool.
pub(crate) async fn acquire(pool: &PgPool) -> Result<PoolConnection<Postgres>> {
    Ok(pool.acquire().await?)
}

/// The outcome of a query on `conn`: when the server could not be reached or ended the
/// connection, the connection is closed rather than returned to the pool.
pub(crate) fn checked<T>(
    conn: &mut PoolConnection<Postgres>,
    r: std::result::Result<T, sqlx::Error>,
) -> Result<T> {
    r.map_err(|e| {
        let e = StoreError::from(e);
        if e.is_unavailable() {
            conn.close_on_drop();
        }
        e
    })
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
