//! The full recompute of the usage rollups on SQLite (BENCHMARKS.md, B5): the figures are
//! scanned in key order on two read connections (tenant key ranges), each computing the
//! rollups of its range (the domain's `RollupState`) and merging them with the stored ones;
//! the writer writes only the rollups that differ and deletes those no figure backs, in
//! one transaction. In-process writers are kept out by holding the store's write
//! connection meanwhile; other processes wait on SQLite's lock.

use crate::sqlite::bulk::{Roll, derived, open, write_rollups};
use crate::{Result, StoreError};
use ftop_domain::adoption::Day;
use rusqlite::Connection;

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
