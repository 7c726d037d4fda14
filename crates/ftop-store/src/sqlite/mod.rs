//! Everything that talks to SQLite through `rusqlite` instead of sqlx: the hot point
//! reads on the calling thread (`local`), the usage import's writer and the full
//! recompute (`usage_writer`, `recompute`, sharing `bulk`), the dashboard's scans (`dashboard_scan`, with the tenant maps of its
//! groupings in `tenant_maps`), the usage reports' scan (`usage_scan`) and the integer-key hasher they share (`keyhash`).
//! PostgreSQL never takes these paths.
//!
//! What these paths keep between calls (idle connections, the tenant maps) belongs to one
//! database file and is held by [`SqliteSide`], which the [`crate::Store`] of that file
//! owns: two stores on two files never share it.

pub(crate) mod bulk;
pub(crate) mod dashboard_scan;
pub(crate) mod keyhash;
pub(crate) mod local;
pub(crate) mod recompute;
pub(crate) mod tenant_maps;
pub(crate) mod usage_scan;
pub(crate) mod usage_writer;

use crate::Result;
use local::LocalReads;
use rusqlite::Connection;
use std::sync::{Arc, Mutex};
use tenant_maps::TenantMaps;

/// Idle scan connections kept.
const KEEP_READERS: usize = 4;

/// The rusqlite side of one SQLite database file.
pub(crate) struct SqliteSide {
    /// The file, as SQLite names it.
    pub(crate) path: String,
    /// The point reads; None when the file could not be opened for them (the reads then
    /// stay on sqlx).
    pub(crate) local: Option<LocalReads>,
    /// Idle read-only connections of the dashboard scans, kept so that their page cache
    /// and parsed schema outlive one request.
    readers: Mutex<Vec<Connection>>,
    /// The tenant maps with the group version they were read at.
    pub(crate) maps: Mutex<Option<(i64, Arc<TenantMaps>)>>,
}

impl std::fmt::Debug for SqliteSide {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteSide")
            .field("path", &self.path)
            .field("local", &self.local.is_some())
            .finish()
    }
}

impl SqliteSide {
    /// The side of the (created and migrated) database file at `path`.
    pub(crate) fn new(path: String) -> SqliteSide {
        // Open one connection now: a path the local reader cannot open must not turn
        // every later page into an error, so the reads then stay on sqlx.
        let local = LocalReads::new(&path);
        let local = match local.with(|_| Ok(())) {
            Ok(()) => Some(local),
            Err(e) => {
                tracing::warn!(path = %path, error = %e, "SQLite reads stay on the driver's threads");
                None
            }
        };
        SqliteSide {
            path,
            local,
            readers: Mutex::new(Vec::new()),
            maps: Mutex::new(None),
        }
    }

    /// Runs `f` on an idle read-only scan connection (opening one if none is idle).
    pub(crate) fn with_reader<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let idle = self.readers.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let conn = match idle {
            Some(c) => c,
            None => {
                let c = bulk::open(&self.path, true)?;
                // Reads straight from the mapped file: no copy into the page cache.
                c.execute_batch("PRAGMA mmap_size = 4294967296; PRAGMA cache_size = -16384;")?;
                c
            }
        };
        let out = f(&conn);
        let mut idle = self.readers.lock().unwrap_or_else(|e| e.into_inner());
        if out.is_ok() && idle.len() < KEEP_READERS {
            idle.push(conn);
        }
        out
    }
}
