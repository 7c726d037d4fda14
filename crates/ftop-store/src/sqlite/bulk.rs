//! SQLite fast paths of the adoption data (BENCHMARKS.md, B5): the usage import's writer
//! and the full recompute of the rollups, both on `rusqlite` connections of their own.
//!
//! Import: the caller's thread checks rows and fills batches; a blocking thread takes them,
//! computes the seats each figure carries, writes them with a prepared multi-row upsert
//! (one transaction, `BEGIN IMMEDIATE`) and keeps every touched (tenant, service) rollup
//! up to date in memory from the rows as they arrive, starting from the stored rollup.
//! The only case the rows alone cannot decide is a figure replaced on the very date a
//! milestone was first reached by a value that no longer reaches it; those pairs are
//! rebuilt from their figures with the generic SQL at the end. The rollups that changed are
//! then written, the audit entry added, and the transaction committed.
//!
//! Recompute: the figures are scanned in key order on two read connections (tenant key
//! ranges), each computing the rollups of its range and merging them with the stored ones;
//! the writer writes only the rollups that differ and deletes those no figure backs, in one
//! transaction. In-process writers are kept out by holding the store's write
//! connection meanwhile; other processes wait on SQLite's lock.

use crate::sqlite::keyhash::{KeyMap, KeySet};
use crate::{Result, StoreError};
use ftop_domain::adoption::{Bucket, Day, RollupState, seats_on};
use rusqlite::{Connection, OpenFlags, Statement};
use std::time::Duration;

/// Rows per multi-row upsert (5 parameters each).
const STMT_ROWS: usize = 200;

/// A checked usage figure; `qualified` is filled by the writer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Figure {
    pub tkey: i64,
    pub svc: i64,
    pub day: Day,
    pub active: i64,
    pub qualified: i64,
}

/// Where a (tenant, service) stands: the usage columns of its rollup (the domain's
/// arithmetic, `ftop_domain::adoption::RollupState`).
pub(crate) type Roll = RollupState;

/// The stored columns derived from the latest figure: AU in basis points and the
/// bucket's key.
fn derived(r: &Roll) -> (Option<i64>, Option<&'static str>) {
    let (au_bp, bucket) = r.derived();
    (au_bp, bucket.map(Bucket::key))
}

pub(crate) fn open(path: &str, read_only: bool) -> Result<Connection> {
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let c = Connection::open_with_flags(path, flags)?;
    c.busy_timeout(Duration::from_secs(30))?;
    c.execute_batch(
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -32768;",
    )?;
    Ok(c)
}

struct PairState {
    seats: Vec<(Day, i64)>,
    old: Roll,
    now: Roll,
    touched: bool,
    dirty: bool,
}

/// The import's writer, run on a blocking thread over one transaction.
pub(crate) struct Writer {
    conn: Connection,
    pairs: KeyMap<(i64, i64), PairState>,
    loaded: KeySet<i64>,
    tenants: KeySet<i64>,
    pub changed: u64,
    plain: Vec<Figure>,
    upsert: Vec<Figure>,
}

const UPSERT_TAIL: &str =
    " ON CONFLICT (tkey, svc, day) DO UPDATE SET active_users = excluded.active_users,
        qualified = excluded.qualified
    WHERE usage_figures.active_users <> excluded.active_users
       OR usage_figures.qualified <> excluded.qualified";

/// A multi-row upsert; or, for services without any figure before this import, a plain
/// insert (one B-tree search a row instead of two).
fn upsert_sql(rows: usize, plain: bool) -> String {
    let mut s =
        String::from("INSERT INTO usage_figures (tkey, svc, day, active_users, qualified) VALUES ");
    for i in 0..rows {
        s.push_str(if i == 0 {
            "(?,?,?,?,?)"
        } else {
            ",(?,?,?,?,?)"
        });
    }
    if !plain {
        s.push_str(UPSERT_TAIL);
    }
    s
}

fn bind_rows(stmt: &mut Statement<'_>, rows: &[Figure]) -> Result<usize> {
    for (i, f) in rows.iter().enumerate() {
        let b = i * 5;
        stmt.raw_bind_parameter(b + 1, f.tkey)?;
        stmt.raw_bind_parameter(b + 2, f.svc)?;
        stmt.raw_bind_parameter(b + 3, f.day)?;
        stmt.raw_bind_parameter(b + 4, f.active)?;
        stmt.raw_bind_parameter(b + 5, f.qualified)?;
    }
    Ok(stmt.raw_execute()?)
}

impl Writer {
    pub(crate) fn begin(path: &str) -> Result<Writer> {
        let conn = open(path, false)?;
        conn.execute_batch("BEGIN IMMEDIATE")?;
        Ok(Writer {
            conn,
            pairs: KeyMap::default(),
            loaded: Default::default(),
            tenants: Default::default(),
            changed: 0,
            plain: Vec::new(),
            upsert: Vec::new(),
        })
    }

    /// Loads seat histories and stored rollups of the batch's tenants not seen yet.
    fn load(&mut self, batch: &[Figure]) -> Result<()> {
        let mut missing: Vec<i64> = batch
            .iter()
            .map(|f| f.tkey)
            .filter(|k| !self.loaded.contains(k))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if missing.is_empty() {
            return Ok(());
        }
        let ranges = crate::adoption::rollups::key_ranges(&missing);
        let want: KeySet<i64> = missing.iter().copied().collect();
        {
            let mut seats = self.conn.prepare_cached(
                "SELECT tkey, svc, effective, qualified FROM seat_history
                 WHERE tkey >= ?1 AND tkey <= ?2 ORDER BY tkey, svc, effective",
            )?;
            let mut rolls = self.conn.prepare_cached(
                "SELECT tkey, svc, as_of, active_users, qualified, milestone_10, milestone_40
                 FROM adoption_rollups WHERE tkey >= ?1 AND tkey <= ?2",
            )?;
            for &(from, to) in &ranges {
                let mut rows = seats.query((from, to))?;
                while let Some(r) = rows.next()? {
                    let k: i64 = r.get(0)?;
                    if !want.contains(&k) {
                        continue;
                    }
                    let p = self.pairs.entry((k, r.get(1)?)).or_insert_with(new_pair);
                    p.seats.push((r.get(2)?, r.get(3)?));
                }
                let mut rows = rolls.query((from, to))?;
                while let Some(r) = rows.next()? {
                    let k: i64 = r.get(0)?;
                    if !want.contains(&k) {
                        continue;
                    }
                    let p = self.pairs.entry((k, r.get(1)?)).or_insert_with(new_pair);
                    p.old = Roll {
                        as_of: r.get(2)?,
                        active: r.get(3)?,
                        qualified: r.get(4)?,
                        m10: r.get(5)?,
                        m40: r.get(6)?,
                    };
                    p.now = p.old;
                }
            }
        }
        self.loaded.extend(missing);
        Ok(())
    }

    /// Writes one batch (rows in file order).
    pub(crate) fn write(&mut self, batch: &mut Vec<Figure>) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let key = |f: &Figure| (f.tkey, f.svc, f.day);
        if !batch.is_sorted_by_key(key) {
            batch.sort_by_key(key);
        }
        // Same tenant, service and date twice: the later row wins.
        batch.dedup_by(|later, kept| {
            let same = key(later) == key(kept);
            if same {
                *kept = *later;
            }
            same
        });
        self.load(batch)?;
        let mut last: Option<(i64, i64)> = None;
        let mut state: Option<&mut PairState> = None;
        let mut plain = false;
        self.plain.clear();
        self.upsert.clear();
        for f in batch.iter_mut() {
            if last != Some((f.tkey, f.svc)) {
                last = Some((f.tkey, f.svc));
                self.tenants.insert(f.tkey);
                let p = self.pairs.entry((f.tkey, f.svc)).or_insert_with(new_pair);
                // No figure before this import (its rollup has none) and none written
                // by an earlier batch: nothing to replace.
                plain = p.old.as_of.is_none() && !p.touched;
                p.touched = true;
                state = Some(p);
            }
            let Some(p) = state.as_deref_mut() else {
                continue;
            };
            f.qualified = seats_on(&p.seats, f.day);
            if !p.dirty && !p.now.take(f.day, f.active, f.qualified) {
                p.dirty = true;
            }
            if plain {
                self.plain.push(*f);
            } else {
                self.upsert.push(*f);
            }
        }
        let (plain_rows, upsert_rows) = (
            std::mem::take(&mut self.plain),
            std::mem::take(&mut self.upsert),
        );
        for (rows, is_plain) in [(&plain_rows, true), (&upsert_rows, false)] {
            let mut full = self.conn.prepare_cached(&upsert_sql(STMT_ROWS, is_plain))?;
            let mut chunks = rows.chunks_exact(STMT_ROWS);
            for c in &mut chunks {
                self.changed += bind_rows(&mut full, c)? as u64;
            }
            let rest = chunks.remainder();
            if !rest.is_empty() {
                let mut one = self.conn.prepare_cached(&upsert_sql(1, is_plain))?;
                for f in rest {
                    self.changed += bind_rows(&mut one, std::slice::from_ref(f))? as u64;
                }
            }
        }
        (self.plain, self.upsert) = (plain_rows, upsert_rows);
        Ok(())
    }

    /// Writes the changed rollups and the audit entry, commits. Returns the number of
    /// tenants whose figures were written.
    pub(crate) fn finish(
        self,
        audit: impl FnOnce(u64, u64) -> (String, String, String),
    ) -> Result<(u64, u64)> {
        let mut pairs: Vec<(&(i64, i64), &PairState)> =
            self.pairs.iter().filter(|(_, p)| p.touched).collect();
        pairs.sort_unstable_by_key(|(k, _)| **k);
        {
            let refresh = crate::adoption::rollups::REFRESH.get(crate::Backend::Sqlite);
            let mut full = self.conn.prepare_cached(refresh)?;
            let mut changed: Vec<(i64, i64, Roll)> = Vec::new();
            for (&(tkey, svc), p) in pairs {
                if p.dirty {
                    full.execute((tkey, tkey, svc))?;
                } else if p.now != p.old {
                    changed.push((tkey, svc, p.now));
                }
            }
            write_rollups(&self.conn, &changed)?;
        }
        let tenants = self.tenants.len() as u64;
        let (actor, at, after) = audit(self.changed, tenants);
        self.conn.execute(
            "INSERT INTO audit_log (at, actor, tenant_id, entity, entity_key, action, before, after)
             VALUES (?1, ?2, NULL, 'usage', 'import', 'import', NULL, ?3)",
            (at, actor, after),
        )?;
        self.conn.execute_batch("COMMIT")?;
        Ok((self.changed, tenants))
    }
}

fn new_pair() -> PairState {
    PairState {
        seats: Vec::new(),
        old: Roll::default(),
        now: Roll::default(),
        touched: false,
        dirty: false,
    }
}

/// A computed usage rollup of one (tenant, service).
#[derive(Debug, Clone, Copy)]
struct Computed {
    tkey: i64,
    svc: i64,
    roll: Roll,
}

/// What one range of a recompute found: the rollups to write (new or different from the
/// stored ones) and the stored usage rollups no figure backs any more.
#[derive(Default)]
struct Diff {
    write: Vec<(i64, i64, Roll)>,
    stale: Vec<(i64, i64)>,
}

/// Rollups of the figures of tenant keys `from..=to`, in key order.
fn compute(conn: &Connection, from: i64, to: i64) -> Result<Vec<Computed>> {
    let mut stmt = conn.prepare(
        "SELECT tkey, svc, day, active_users, qualified FROM usage_figures
         WHERE tkey >= ?1 AND tkey <= ?2 ORDER BY tkey, svc, day",
    )?;
    let mut rows = stmt.query((from, to))?;
    let mut out: Vec<Computed> = Vec::new();
    let mut cur: Option<Computed> = None;
    while let Some(r) = rows.next()? {
        let (tkey, svc): (i64, i64) = (r.get(0)?, r.get(1)?);
        let (day, active, qualified): (Day, i64, i64) = (r.get(2)?, r.get(3)?, r.get(4)?);
        let c = match &mut cur {
            Some(c) if c.tkey == tkey && c.svc == svc => c,
            _ => {
                out.extend(cur.take());
                cur.insert(Computed {
                    tkey,
                    svc,
                    roll: Roll::default(),
                })
            }
        };
        // Days ascend within a pair (one figure a day): every figure can be taken.
        c.roll.take(day, active, qualified);
    }
    out.extend(cur);
    Ok(out)
}

/// Whether a stored rollup's usage columns hold what `write_rollups` would write for
/// `roll`; a value that cannot be read as its type (damaged by hand) counts as different.
fn stored_matches(r: &rusqlite::Row<'_>, roll: &Roll) -> bool {
    let (au_bp, bucket_key) = derived(roll);
    let day = |i| r.get::<_, Option<Day>>(i).ok();
    let int = |i| r.get::<_, Option<i64>>(i).ok();
    let bucket_col = r.get_ref(6).ok().and_then(|v| v.as_str_or_null().ok());
    day(2) == Some(roll.as_of)
        && int(3) == Some(roll.active)
        && int(4) == Some(Some(roll.qualified))
        && int(5) == Some(au_bp)
        && bucket_col == Some(bucket_key)
        && day(7) == Some(roll.m10)
        && day(8) == Some(roll.m40)
}

/// Computes the rollups of tenant keys `from..=to` and compares them with the stored ones
/// (one ordered merge), so a recompute writes only what differs.
fn scan(path: &str, from: i64, to: i64) -> Result<Diff> {
    let conn = open(path, true)?;
    let computed = compute(&conn, from, to)?;
    let mut stmt = conn.prepare(
        "SELECT tkey, svc, as_of, active_users, qualified, au_bp, bucket, milestone_10,
                milestone_40 FROM adoption_rollups
         WHERE tkey >= ?1 AND tkey <= ?2 ORDER BY tkey, svc",
    )?;
    let mut stored = stmt.query((from, to))?;
    let mut diff = Diff::default();
    let mut next = computed.into_iter().peekable();
    while let Some(r) = stored.next()? {
        let key: (i64, i64) = (r.get(0)?, r.get(1)?);
        while let Some(c) = next.next_if(|c| (c.tkey, c.svc) < key) {
            diff.write.push((c.tkey, c.svc, c.roll));
        }
        match next.next_if(|c| (c.tkey, c.svc) == key) {
            Some(c) if !stored_matches(r, &c.roll) => diff.write.push((c.tkey, c.svc, c.roll)),
            Some(_) => {}
            // Usage columns with no figure behind them (seats-only and forecast-only rows
            // are rebuilt by the caller as well).
            None => diff.stale.push(key),
        }
    }
    diff.write.extend(next.map(|c| (c.tkey, c.svc, c.roll)));
    Ok(diff)
}

/// Rebuilds the usage rollups of every (tenant, service) with figures, in the open
/// transaction of `conn`: rollups that already hold the right values are left alone, the
/// others written, and rollups no figure backs deleted; the caller adds seats-only and
/// forecast-only rows and the targets. Returns the number of rollups written or deleted.
pub(crate) fn recompute_usage(conn: &Connection, path: &str) -> Result<usize> {
    let (lo, hi): (Option<i64>, Option<i64>) = conn.query_row(
        "SELECT (SELECT tkey FROM usage_figures ORDER BY tkey LIMIT 1),
                (SELECT tkey FROM usage_figures ORDER BY tkey DESC LIMIT 1)",
        (),
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (Some(lo), Some(hi)) = (lo, hi) else {
        return Ok(conn.execute("DELETE FROM adoption_rollups", ())?);
    };
    // Two halves of the figures' keys; the outer halves also take stored rollups of
    // tenants outside them.
    let mid = lo + (hi - lo) / 2;
    let (a, b) = std::thread::scope(|s| {
        let first = s.spawn(|| scan(path, i64::MIN, mid));
        let second = match mid.checked_add(1) {
            Some(next) => scan(path, next, i64::MAX),
            None => Ok(Diff::default()),
        };
        (
            first
                .join()
                .unwrap_or_else(|_| Err(StoreError::Internal("recompute thread failed".into()))),
            second,
        )
    });
    let (a, b) = (a?, b?);
    let mut del = conn.prepare("DELETE FROM adoption_rollups WHERE tkey = ?1 AND svc = ?2")?;
    for key in a.stale.iter().chain(&b.stale) {
        del.execute(*key)?;
    }
    write_rollups(conn, &a.write)?;
    write_rollups(conn, &b.write)?;
    Ok(a.stale.len() + b.stale.len() + a.write.len() + b.write.len())
}

/// Rollup rows a statement.
const ROLLUP_ROWS: usize = 100;

/// Writes the usage columns of rollups, many rows a statement, as new rows or over the
/// stored ones (their targets kept).
fn write_rollups(conn: &Connection, rows: &[(i64, i64, Roll)]) -> Result<()> {
    for chunk in rows.chunks(ROLLUP_ROWS) {
        let mut sql = String::from(
            "INSERT INTO adoption_rollups
                (tkey, svc, as_of, active_users, qualified, au_bp, bucket, milestone_10, milestone_40)
             VALUES ",
        );
        for i in 0..chunk.len() {
            sql.push_str(if i == 0 {
                "(?,?,?,?,?,?,?,?,?)"
            } else {
                ",(?,?,?,?,?,?,?,?,?)"
            });
        }
        sql.push_str(
            " ON CONFLICT (tkey, svc) DO UPDATE SET as_of = excluded.as_of,
                active_users = excluded.active_users, qualified = excluded.qualified,
                au_bp = excluded.au_bp, bucket = excluded.bucket,
                milestone_10 = excluded.milestone_10, milestone_40 = excluded.milestone_40",
        );
        let mut st = conn.prepare_cached(&sql)?;
        for (i, (tkey, svc, r)) in chunk.iter().enumerate() {
            let b = i * 9;
            let (au_bp, bucket_key) = derived(r);
            st.raw_bind_parameter(b + 1, tkey)?;
            st.raw_bind_parameter(b + 2, svc)?;
            st.raw_bind_parameter(b + 3, r.as_of)?;
            st.raw_bind_parameter(b + 4, r.active)?;
            st.raw_bind_parameter(b + 5, r.qualified)?;
            st.raw_bind_parameter(b + 6, au_bp)?;
            st.raw_bind_parameter(b + 7, bucket_key)?;
            st.raw_bind_parameter(b + 8, r.m10)?;
            st.raw_bind_parameter(b + 9, r.m40)?;
        }
        st.raw_execute()?;
    }
    Ok(())
}
