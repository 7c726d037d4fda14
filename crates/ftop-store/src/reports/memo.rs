//! Reports kept between views: what a report tab computed, with the version of the data
//! it was read at (`report_version`, migration 20), served again while that version has
//! not moved.
//!
//! The version lives in the database. Every change to a table the reports read moves it
//! when the change commits, atomically with it, whatever code path or instance made it:
//! triggers on SQLite (row triggers; the month rows' writers move it themselves, so a
//! hand edit of those rows on SQLite must too), a mark moved at commit on PostgreSQL.
//! A view reads the version first, then the report: a report kept under version `v` was
//! read from data at least as new as `v`, and is only served to a view that read `v`
//! itself, so no instance serves a report older than the data it sees. A report that
//! another instance's change made stale is read again on the next view. A restore that
//! sets the version back needs the instances restarted (docs/operations.md).
//!
//! The day a report is judged on is fixed before it is read and is part of its key, so a
//! report kept yesterday is not served today. Full reads ([`super::Page::ALL`], the CSV
//! exports) and pages of more than [`PAGE_ROWS`] rows are not kept. At most [`ENTRIES`]
//! reports are kept (about 35 MB at most with the longest tenant names); the least
//! recently used goes first. Views of one report at one version that arrive while it is
//! being read wait for that read instead of reading it too. [`Store::report_memo_stats`]
//! counts views by how they were answered (the `ftop_report_views_total` metric).

use super::{Page, ReportFilter};
use crate::{Result, Store};
use std::any::Any;
use std::collections::HashMap;
use std::fmt::Debug;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Reports kept at most (each a page of rows or a chart's counts).
pub(crate) const ENTRIES: usize = 64;

/// Rows of a page kept at most (a larger page is read each time).
pub(crate) const PAGE_ROWS: i64 = 1000;

/// Moves the version, on SQLite: for the writers of the month rows, which have no trigger
/// there (migration 20). Never on PostgreSQL, where it would lock the version's row until
/// the transaction ends.
pub(crate) const MOVE_VERSION: &str = "UPDATE report_version SET version = version + 1";

type Value = Arc<dyn Any + Send + Sync>;

/// Kept reports: key -> (version read at, last use, value); the reads under way, one a
/// key and version (views of a report that is being read wait for that read instead of
/// reading it too); and how views were answered.
#[derive(Default)]
pub(crate) struct ReportMemo {
    kept: Mutex<Kept>,
    reading: Mutex<HashMap<(i64, String), Gate>>,
    served: AtomicU64,
    read: AtomicU64,
}

/// How the report tabs' views were answered since the store opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReportMemoStats {
    /// Views answered with a kept report.
    pub served: u64,
    /// Views that read their report from the database.
    pub read: u64,
    /// Reports kept now.
    pub kept: u64,
}

/// The read of a report at a version: held by the view that reads it, waited on by the
/// views of that report at that version; true once a read under it failed (its waiters
/// then read for themselves at once instead of failing one after another).
type Gate = Arc<tokio::sync::Mutex<bool>>;

/// A view's hold on a [`Gate`]; dropped (read done, failed or abandoned), the gate leaves
/// the map when no other view holds it.
struct Reading<'a> {
    memo: &'a ReportMemo,
    key: (i64, String),
    gate: Option<Gate>,
}

impl Drop for Reading<'_> {
    fn drop(&mut self) {
        let mut reading = self.memo.reading.lock().unwrap_or_else(|e| e.into_inner());
        drop(self.gate.take());
        if reading
            .get(&self.key)
            .is_some_and(|g| Arc::strong_count(g) == 1)
        {
            reading.remove(&self.key);
        }
    }
}

impl std::fmt::Debug for ReportMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.len();
        f.debug_struct("ReportMemo").field("entries", &n).finish()
    }
}

#[derive(Default)]
struct Kept {
    tick: u64,
    entries: HashMap<String, (i64, u64, Value)>,
}

impl ReportMemo {
    fn get<T: Clone + Send + Sync + 'static>(&self, version: i64, key: &str) -> Option<T> {
        let value = {
            let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
            kept.tick += 1;
            let tick = kept.tick;
            let (v, used, value) = kept.entries.get_mut(key)?;
            if *v != version {
                return None;
            }
            *used = tick;
            Arc::clone(value)
        };
        // The copy handed out is made outside the lock.
        value.downcast::<T>().ok().map(|v| (*v).clone())
    }

    fn put<T: Send + Sync + 'static>(&self, version: i64, key: String, value: T) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        // A read that began before a change and ends after one read at a newer version
        // keeps nothing: the newer is what views will ask for.
        if kept.entries.get(&key).is_some_and(|(v, _, _)| *v > version) {
            return;
        }
        // What an older version read is of no more use.
        kept.entries.retain(|_, (v, _, _)| *v >= version);
        if kept.entries.len() >= ENTRIES
            && !kept.entries.contains_key(&key)
            && let Some(oldest) = kept
                .entries
                .iter()
                .min_by_key(|(_, (_, used, _))| *used)
                .map(|(k, _)| k.clone())
        {
            kept.entries.remove(&oldest);
        }
        kept.tick += 1;
        let tick = kept.tick;
        kept.entries.insert(key, (version, tick, Arc::new(value)));
    }

    fn reading(&self, version: i64, key: &str) -> (Reading<'_>, Gate) {
        let mut reading = self.reading.lock().unwrap_or_else(|e| e.into_inner());
        let key = (version, key.to_string());
        let gate = Arc::clone(reading.entry(key.clone()).or_default());
        let hold = Reading {
            memo: self,
            key,
            gate: Some(Arc::clone(&gate)),
        };
        (hold, gate)
    }

    fn stats(&self) -> ReportMemoStats {
        ReportMemoStats {
            served: self.served.load(Ordering::Relaxed),
            read: self.read.load(Ordering::Relaxed),
            kept: self.len() as u64,
        }
    }

    /// How many reports are kept.
    fn len(&self) -> usize {
        self.kept
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entries
            .len()
    }
}

/// The key of report `name` over `f` (with the day it is judged on) and its other
/// arguments `rest`. The callers pin `f`'s day first ([`ReportFilter::pinned`]), so the
/// read is judged on the day of its key.
pub(crate) fn key(name: &str, f: &ReportFilter, rest: impl Debug) -> String {
    format!("{name}|{}|{f:?}|{rest:?}", f.day())
}

impl Store {
    /// The version of what the reports read.
    pub async fn report_version(&self) -> Result<i64> {
        let v: i64 = sqlx::query_scalar("SELECT version FROM report_version")
            .fetch_one(&self.pools.read)
            .await?;
        Ok(v)
    }

    /// The report under `key` ([`key`]): kept if it was read at the current version,
    /// else read by `read` and kept.
    pub(crate) async fn memo<T, F>(&self, key: String, read: impl FnOnce() -> F) -> Result<T>
    where
        T: Clone + Send + Sync + 'static,
        F: Future<Output = Result<T>>,
    {
        let m = &self.memo;
        let version = self.report_version().await?;
        if let Some(v) = m.get::<T>(version, &key) {
            m.served.fetch_add(1, Ordering::Relaxed);
            return Ok(v);
        }
        // One read a report and version at a time: a view that waited gets what the read
        // before it kept, or, when that read failed, reads at once for itself.
        let (_reading, gate) = m.reading(version, &key);
        let mut held = Some(gate.lock_owned().await);
        if let Some(v) = m.get::<T>(version, &key) {
            m.served.fetch_add(1, Ordering::Relaxed);
            return Ok(v);
        }
        if held.as_deref() == Some(&true) {
            held = None;
        }
        let v = match read().await {
            Ok(v) => v,
            Err(e) => {
                if let Some(h) = held.as_mut() {
                    **h = true;
                }
                return Err(e);
            }
        };
        m.read.fetch_add(1, Ordering::Relaxed);
        m.put(version, key, v.clone());
        // `held`, then `_reading`, are dropped here: the gate leaves the map when no other
        // view holds it.
        Ok(v)
    }

    /// How the report tabs' views were answered (kept or read) and how many are kept.
    pub fn report_memo_stats(&self) -> ReportMemoStats {
        self.memo.stats()
    }

    /// [`Store::memo`] for a report that reads `page`: only a page of at most
    /// [`PAGE_ROWS`] rows is kept.
    pub(crate) async fn memo_page<T, F>(
        &self,
        page: Page,
        key: impl FnOnce() -> String,
        read: impl FnOnce() -> F,
    ) -> Result<T>
    where
        T: Clone + Send + Sync + 'static,
        F: Future<Output = Result<T>>,
    {
        if page.limit.is_some_and(|n| (0..=PAGE_ROWS).contains(&n)) {
            self.memo(key(), read).await
        } else {
            read().await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_served_only_at_the_version_it_was_read_at() {
        let m = ReportMemo::default();
        m.put(7, "a".into(), vec![1_i64, 2]);
        assert_eq!(m.get::<Vec<i64>>(7, "a"), Some(vec![1, 2]));
        assert_eq!(m.get::<Vec<i64>>(8, "a"), None);
        assert_eq!(m.get::<Vec<i64>>(7, "b"), None);
        // Another type under the same key is a miss, not a panic.
        assert_eq!(m.get::<String>(7, "a"), None);
        // A report read at a newer version drops those of the old one.
        m.put(8, "b".into(), 3_i64);
        assert_eq!(m.get::<Vec<i64>>(7, "a"), None);
        assert_eq!(m.get::<i64>(8, "b"), Some(3));
        assert_eq!(m.len(), 1);
        // One read at an older version (begun before the change) drops none of them.
        m.put(7, "c".into(), 4_i64);
        assert_eq!(m.get::<i64>(8, "b"), Some(3));
        assert_eq!(m.len(), 2);
    }

    #[test]
    fn a_gate_leaves_the_map_with_the_last_view_that_holds_it() {
        let m = ReportMemo::default();
        let (a, ga) = m.reading(1, "k");
        let (b, gb) = m.reading(1, "k");
        assert!(Arc::ptr_eq(&ga, &gb), "one gate a report and version");
        let (c, gc) = m.reading(2, "k");
        assert!(!Arc::ptr_eq(&ga, &gc), "another version, another gate");
        let count = || m.reading.lock().unwrap().len();
        assert_eq!(count(), 2);
        drop((a, ga));
        assert_eq!(count(), 2, "b still holds version 1's gate");
        drop((gb, b));
        drop((gc, c));
        assert_eq!(count(), 0);
    }

    /// Views waiting on a read that fails read for themselves at once, side by side,
    /// instead of failing one after another behind each other's reads.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn after_a_failed_read_the_waiting_views_read_side_by_side() {
        use std::sync::atomic::AtomicUsize;
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("m.db").display());
        let store = Store::open(&url).await.unwrap();
        let (now, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let view = || async {
            store
                .memo::<i64, _>("k".into(), || async {
                    let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(n, Ordering::SeqCst);
                    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                    now.fetch_sub(1, Ordering::SeqCst);
                    Err(crate::StoreError::Internal("the read failed".into()))
                })
                .await
        };
        let (a, b, c) = tokio::join!(view(), view(), view());
        assert!(a.is_err() && b.is_err() && c.is_err());
        // The first read alone, then the two that waited on it together.
        assert_eq!(most.load(Ordering::SeqCst), 2);
        assert_eq!(store.report_memo_stats().read, 0);
        assert_eq!(store.memo.reading.lock().unwrap().len(), 0);
    }

    #[test]
    fn an_older_read_does_not_replace_a_newer_one() {
        let m = ReportMemo::default();
        m.put(8, "a".into(), 2_i64);
        m.put(7, "a".into(), 1_i64);
        assert_eq!(m.get::<i64>(8, "a"), Some(2));
    }

    #[test]
    fn replacing_a_kept_report_when_full_drops_no_other() {
        let m = ReportMemo::default();
        for i in 0..ENTRIES {
            m.put(1, format!("k{i}"), i);
        }
        m.put(1, "k5".into(), 50_usize);
        assert_eq!(m.len(), ENTRIES);
        assert_eq!(m.get::<usize>(1, "k0"), Some(0));
        assert_eq!(m.get::<usize>(1, "k5"), Some(50));
    }

    #[test]
    fn at_most_entries_are_kept_and_the_least_recently_used_goes() {
        let m = ReportMemo::default();
        for i in 0..ENTRIES {
            m.put(1, format!("k{i}"), i);
        }
        // k0 used last: k1 is now the least recently used.
        assert_eq!(m.get::<usize>(1, "k0"), Some(0));
        m.put(1, "new".into(), 99_usize);
        assert_eq!(m.len(), ENTRIES);
        assert_eq!(m.get::<usize>(1, "k0"), Some(0));
        assert_eq!(m.get::<usize>(1, "k1"), None);
        assert_eq!(m.get::<usize>(1, "new"), Some(99));
    }

    #[test]
    fn the_key_holds_the_day_and_every_argument() {
        let mut f = ReportFilter {
            today: Some(time::Date::from_calendar_date(2026, time::Month::December, 1).unwrap()),
            ..Default::default()
        };
        let a = key("x", &f, (1, "b"));
        assert_ne!(a, key("x", &f, (2, "b")));
        assert_ne!(a, key("y", &f, (1, "b")));
        f.partner = Some(3);
        assert_ne!(a, key("x", &f, (1, "b")));
        // Without a day given, the key holds today's.
        let g = ReportFilter::default();
        assert!(key("x", &g, ()).contains(&crate::today().to_string()));
    }
}
