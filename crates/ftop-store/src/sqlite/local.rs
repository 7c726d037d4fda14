//! SQLite reads on the calling thread, for the few reads every page and API call makes
//! (session, bearer token, tenant with access, task states, the access check of a change).
//!
//! sqlx runs each SQLite connection on a worker thread of its own, so every query is two
//! thread switches; on the portal's hottest paths those switches cost more than the
//! queries (BENCHMARKS.md, B4). These reads are point look-ups on primary keys that take
//! tens of microseconds, so they run directly on the async worker through `rusqlite` over
//! the same SQLite library, on read-only connections kept in a small pool. Writes and all
//! other reads stay on sqlx. PostgreSQL's driver is asynchronous: its hot reads take
//! native connections instead (`postgres/hot.rs`).

use crate::{Result, StoreError};
use rusqlite::{Connection, OpenFlags};
use std::sync::Mutex;
use std::time::Duration;

/// Idle read-only connections to one SQLite file.
pub(crate) struct LocalReads {
    path: String,
    idle: Mutex<Vec<Connection>>,
}

impl std::fmt::Debug for LocalReads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalReads")
            .field("path", &self.path)
            .finish()
    }
}

/// Connections kept idle; more may be open at once under load, then closed.
const KEEP: usize = 8;

impl LocalReads {
    /// Reads for the SQLite database at `path` (a file, already created and migrated).
    pub(crate) fn new(path: &str) -> LocalReads {
        LocalReads {
            path: path.to_string(),
            idle: Mutex::new(Vec::new()),
        }
    }

    fn connect(&self) -> rusqlite::Result<Connection> {
        let c = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // These reads run on the async workers: never wait long for a lock (a WAL reader
        // only meets one during recovery or a checkpoint that truncates the log).
        c.busy_timeout(Duration::from_millis(250))?;
        c.set_prepared_statement_cache_capacity(32);
        Ok(c)
    }

    /// Runs `f` on an idle connection (opening one if none is idle).
    pub(crate) fn with<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let conn = match conn {
            Some(c) => c,
            None => self.connect().map_err(StoreError::from)?,
        };
        let out = f(&conn);
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < KEEP {
            idle.push(conn);
        }
        out
    }
}

/// Reading a column by name, from an sqlx row or a rusqlite row alike, so that one mapping
/// serves both read paths.
pub(crate) trait Cols {
    /// An integer column.
    fn int(&self, col: &str) -> Result<i64>;
    /// A text column.
    fn text(&self, col: &str) -> Result<String>;
    /// A nullable text column.
    fn opt_text(&self, col: &str) -> Result<Option<String>>;
    /// A nullable integer column.
    fn opt_int(&self, col: &str) -> Result<Option<i64>>;

    /// A text column holding one of an enumeration's keys.
    fn key<T>(&self, col: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
        let s = self.text(col)?;
        parse(&s).ok_or_else(|| StoreError::Internal(format!("stored {col} `{s}` is unknown")))
    }
}

/// A JSON object as a row (`json_build_object` of column names): rows a statement sends
/// inside a column of another.
impl Cols for serde_json::Map<String, serde_json::Value> {
    fn int(&self, col: &str) -> Result<i64> {
        self.opt_int(col)?
            .ok_or_else(|| StoreError::Internal(format!("column {col} is NULL")))
    }
    fn text(&self, col: &str) -> Result<String> {
        self.opt_text(col)?
            .ok_or_else(|| StoreError::Internal(format!("column {col} is NULL")))
    }
    fn opt_text(&self, col: &str) -> Result<Option<String>> {
        match self.get(col) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(v) => Err(StoreError::Internal(format!(
                "column {col} is not text: {v}"
            ))),
        }
    }
    fn opt_int(&self, col: &str) -> Result<Option<i64>> {
        match self.get(col) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(v) => v.as_i64().map(Some).ok_or_else(|| {
                StoreError::Internal(format!("column {col} is not an integer: {v}"))
            }),
        }
    }
}

impl Cols for sqlx::any::AnyRow {
    fn int(&self, col: &str) -> Result<i64> {
        Ok(sqlx::Row::try_get(self, col)?)
    }
    fn text(&self, col: &str) -> Result<String> {
        Ok(sqlx::Row::try_get(self, col)?)
    }
    fn opt_text(&self, col: &str) -> Result<Option<String>> {
        Ok(sqlx::Row::try_get(self, col)?)
    }
    fn opt_int(&self, col: &str) -> Result<Option<i64>> {
        Ok(sqlx::Row::try_get(self, col)?)
    }
}

impl Cols for rusqlite::Row<'_> {
    fn int(&self, col: &str) -> Result<i64> {
        Ok(self.get(col)?)
    }
    fn text(&self, col: &str) -> Result<String> {
        Ok(self.get(col)?)
    }
    fn opt_text(&self, col: &str) -> Result<Option<String>> {
        Ok(self.get(col)?)
    }
    fn opt_int(&self, col: &str) -> Result<Option<i64>> {
        Ok(self.get(col)?)
    }
}
