//! What can go wrong in a store operation, and which of it the caller can do something
//! about. The web layer maps: [`StoreError::is_unavailable`] -> 503; `Invalid` and
//! `Refused` -> 422 (the message is meant for the user); `NotFound` -> 404; `Conflict` ->
//! 409; everything else (`Internal`, `Config`, other database failures) -> 500 with a
//! reference ID, the message going to the log only.

use ftop_domain::Invalid;

/// What can go wrong in a store operation.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The input is invalid; each field says why. For the user.
    #[error("invalid input: {0}")]
    Invalid(#[from] Invalid),
    /// The thing does not exist (or the caller may not see it).
    #[error("{0} not found")]
    NotFound(String),
    /// The change was made on a stale version: someone else changed it first.
    #[error("conflict: {0}")]
    Conflict(String),
    /// A business rule refuses the operation (an immutable record, a limit, a playbook
    /// with errors); the message tells the user what to do and may be shown to them.
    #[error("{0}")]
    Refused(String),
    /// The database URL or set-up is wrong (also: a migration's text changed after it was
    /// applied).
    #[error("{0}")]
    Config(String),
    /// The database failed.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// The database could not take the change now (a failed commit); try again.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The database failed on the local SQLite read path.
    #[error("database error: {0}")]
    Local(#[from] rusqlite::Error),
    /// Something inside the store broke: a worker thread failed or stopped, a stored value
    /// cannot be decoded, an invariant does not hold. Nothing the user can fix; the message
    /// is for the log, never for the client.
    #[error("internal error: {0}")]
    Internal(String),
}

impl StoreError {
    /// Whether the database cannot be reached or cannot take work right now (so the
    /// request may succeed later): [`StoreError::Unavailable`]; on sqlx, a pool timeout or
    /// a closed pool, an I/O failure (a refused or dropped connection), PostgreSQL's
    /// connection and shutdown errors, too many connections, and SQLite's busy, locked,
    /// read-only, I/O error, disk full and cannot-open; the same on rusqlite.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Unavailable(_) => true,
            StoreError::Db(e) => sqlx_unavailable(e),
            StoreError::Local(e) => rusqlite_unavailable(e),
            _ => false,
        }
    }
}

/// SQLite's primary result codes for "busy", "locked", "read-only", "I/O error", "disk
/// full" and "cannot open".
const SQLITE_BUSY: i32 = 5;
const SQLITE_LOCKED: i32 = 6;
const SQLITE_READONLY: i32 = 8;
const SQLITE_IOERR: i32 = 10;
const SQLITE_FULL: i32 = 13;
const SQLITE_CANTOPEN: i32 = 14;

fn sqlx_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(d) => {
            let Some(code) = d.code() else { return false };
            // PostgreSQL SQLSTATE: class 08 (connection exception), 57P01..57P03 (the
            // server shuts down or cannot take connections yet), 53300 (too many
            // connections). SQLite: the (extended) result code as a number.
            if code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03" | "53300") {
                return true;
            }
            code.parse::<i32>().is_ok_and(|c| {
                matches!(
                    c & 0xff,
                    SQLITE_BUSY
                        | SQLITE_LOCKED
                        | SQLITE_READONLY
                        | SQLITE_IOERR
                        | SQLITE_FULL
                        | SQLITE_CANTOPEN
                )
            })
        }
        _ => false,
    }
}

fn rusqlite_unavailable(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode::{
        CannotOpen, DatabaseBusy, DatabaseLocked, DiskFull, ReadOnly, SystemIoFailure,
    };
    matches!(
        e.sqlite_error_code(),
        Some(DatabaseBusy | DatabaseLocked | ReadOnly | SystemIoFailure | DiskFull | CannotOpen)
    )
}

/// Result of a store operation.
pub type Result<T> = std::result::Result<T, StoreError>;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn sqlite_failure(code: i32) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None)
    }

    #[test]
    fn unavailable_means_try_again_later() {
        assert!(StoreError::Unavailable("commit failed".into()).is_unavailable());
        assert!(StoreError::Db(sqlx::Error::PoolTimedOut).is_unavailable());
        assert!(StoreError::Db(sqlx::Error::PoolClosed).is_unavailable());
        let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        assert!(StoreError::Db(sqlx::Error::Io(refused)).is_unavailable());
        assert!(StoreError::Local(sqlite_failure(SQLITE_BUSY)).is_unavailable());
        assert!(StoreError::Local(sqlite_failure(SQLITE_LOCKED)).is_unavailable());
        assert!(StoreError::Local(sqlite_failure(SQLITE_CANTOPEN)).is_unavailable());
        assert!(StoreError::Local(sqlite_failure(SQLITE_FULL)).is_unavailable());
        assert!(StoreError::Local(sqlite_failure(SQLITE_IOERR)).is_unavailable());
        assert!(StoreError::Local(sqlite_failure(SQLITE_READONLY)).is_unavailable());
        // Not unavailable: what the user can fix, what is missing, and internal faults.
        assert!(!StoreError::Refused("saved notes cannot change".into()).is_unavailable());
        assert!(!StoreError::NotFound("tenant x".into()).is_unavailable());
        assert!(!StoreError::Internal("thread failed".into()).is_unavailable());
        assert!(!StoreError::Db(sqlx::Error::RowNotFound).is_unavailable());
        assert!(
            !StoreError::Local(sqlite_failure(19)).is_unavailable(),
            "constraint"
        );
        assert!(!StoreError::Local(rusqlite::Error::QueryReturnedNoRows).is_unavailable());
    }

    #[tokio::test]
    async fn a_busy_sqlite_database_is_unavailable_on_both_paths() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("busy.db");
        let hold = rusqlite::Connection::open(&path).unwrap();
        hold.execute_batch(
            "CREATE TABLE t (x INTEGER); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);",
        )
        .unwrap();
        // rusqlite, no busy timeout: the exclusive lock answers SQLITE_BUSY at once.
        let other = rusqlite::Connection::open(&path).unwrap();
        other.busy_timeout(std::time::Duration::ZERO).unwrap();
        let e = other
            .execute("INSERT INTO t VALUES (2)", ())
            .map_err(StoreError::from)
            .err()
            .unwrap_or_else(|| panic!("the write should wait for the lock"));
        assert!(e.is_unavailable(), "{e}");
        // sqlx on the same file.
        use sqlx::Connection;
        let url = format!("sqlite://{}", path.display());
        let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("PRAGMA busy_timeout = 0")
            .execute(&mut c)
            .await
            .unwrap();
        let e = sqlx::query("INSERT INTO t VALUES (3)")
            .execute(&mut c)
            .await
            .map_err(StoreError::from)
            .err()
            .unwrap_or_else(|| panic!("the write should wait for the lock"));
        assert!(e.is_unavailable(), "{e}");
    }
}
