//! Numbers about the store for monitoring, read on demand ([`Store::stats`]): the
//! connection pools and the group commit of task changes. Plain numbers, so the store does
//! not depend on a metrics library; the web layer turns them into Prometheus series at
//! scrape time. Reading them takes no lock a query waits for.

use crate::Store;
use crate::db::Backend;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// Upper bounds of the batch-size buckets of the group commit (the writer takes 256 at
/// most); a batch falls in the first bucket whose bound is at least its size.
pub const BATCH_BUCKETS: [u64; 9] = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/// A snapshot of the store's numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreStats {
    /// One entry per connection pool.
    pub pools: Vec<PoolStats>,
    /// The group commit of task changes.
    pub group_commit: GroupCommitStats,
}

/// One connection pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolStats {
    /// `write` and `read` on SQLite (one writer connection, a few readers); `shared` on
    /// PostgreSQL, where reads and writes share one pool, beside `hot`, the native pool of
    /// the hot reads (`postgres/hot.rs`).
    pub name: &'static str,
    /// Connections open now (idle and in use).
    pub size: u32,
    /// Open connections waiting for work.
    pub idle: u32,
    /// The most the pool opens.
    pub max: u32,
}

impl PoolStats {
    /// Connections lent out to a query or transaction now.
    pub fn in_use(&self) -> u32 {
        self.size.saturating_sub(self.idle)
    }
}

/// The group commit of task changes (`engagement/task_commit.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCommitStats {
    /// Changes queued and not yet taken into a batch.
    pub queued: u64,
    /// Batches taken by the writer since the store opened.
    pub batches: u64,
    /// Changes in those batches.
    pub changes: u64,
    /// Batches per bucket of [`BATCH_BUCKETS`] (not cumulative).
    pub batch_sizes: [u64; BATCH_BUCKETS.len()],
}

/// The counters the task writer keeps (atomics: the writer and callers update them without
/// a lock).
#[derive(Debug, Default)]
pub(crate) struct GroupCommitCounters {
    /// Signed: the writer may take a change before its caller has counted it in (another
    /// thread), so the sum dips below zero for a moment; a snapshot shows at least 0.
    queued: AtomicI64,
    batches: AtomicU64,
    changes: AtomicU64,
    batch_sizes: [AtomicU64; BATCH_BUCKETS.len()],
}

impl GroupCommitCounters {
    /// A change entered the queue.
    pub(crate) fn queued(&self) {
        self.queued.fetch_add(1, Ordering::Relaxed);
    }

    /// The writer took `n` queued changes into one batch.
    pub(crate) fn batch(&self, n: usize) {
        let n = n as u64;
        self.queued
            .fetch_sub(i64::try_from(n).unwrap_or(i64::MAX), Ordering::Relaxed);
        self.batches.fetch_add(1, Ordering::Relaxed);
        self.changes.fetch_add(n, Ordering::Relaxed);
        let i = BATCH_BUCKETS
            .iter()
            .position(|b| n <= *b)
            .unwrap_or(BATCH_BUCKETS.len() - 1);
        self.batch_sizes[i].fetch_add(1, Ordering::Relaxed);
    }

    fn snapshot(&self) -> GroupCommitStats {
        GroupCommitStats {
            queued: u64::try_from(self.queued.load(Ordering::Relaxed)).unwrap_or(0),
            batches: self.batches.load(Ordering::Relaxed),
            changes: self.changes.load(Ordering::Relaxed),
            batch_sizes: std::array::from_fn(|i| self.batch_sizes[i].load(Ordering::Relaxed)),
        }
    }
}

impl Store {
    /// The store's numbers now: pools and group commit. Cheap and synchronous (no query).
    pub fn stats(&self) -> StoreStats {
        fn pool<DB: sqlx::Database>(name: &'static str, p: &sqlx::Pool<DB>) -> PoolStats {
            PoolStats {
                name,
                size: p.size(),
                idle: u32::try_from(p.num_idle()).unwrap_or(u32::MAX),
                max: p.options().get_max_connections(),
            }
        }
        let mut pools = match self.pools.backend {
            Backend::Sqlite => vec![
                pool("write", &self.pools.write),
                pool("read", &self.pools.read),
            ],
            Backend::Postgres => vec![pool("shared", &self.pools.read)],
        };
        if let Some(pg) = &self.pools.pg {
            let (size, idle) = pg.size();
            pools.push(PoolStats {
                name: "hot",
                size,
                idle,
                max: pg.max(),
            });
        }
        StoreStats {
            pools,
            group_commit: self.task_writer.stats.snapshot(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_fall_in_their_bucket_and_drain_the_queue() {
        let c = GroupCommitCounters::default();
        for _ in 0..7 {
            c.queued();
        }
        assert_eq!(c.snapshot().queued, 7);
        c.batch(1);
        c.batch(3);
        c.batch(3);
        let s = c.snapshot();
        assert_eq!(s.queued, 0);
        assert_eq!((s.batches, s.changes), (3, 7));
        assert_eq!(s.batch_sizes[0], 1, "1 -> bucket 1");
        assert_eq!(s.batch_sizes[2], 2, "3 -> bucket 4");
        c.batch(256);
        c.batch(300);
        assert_eq!(
            c.snapshot().batch_sizes[8],
            2,
            "the last bucket takes the rest"
        );
        assert_eq!(c.snapshot().queued, 0, "never below zero");
    }
}
