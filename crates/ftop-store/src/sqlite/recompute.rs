//! The full recompute of the usage rollups on SQLite (BENCHMARKS.md, B5): the figures are
//! scanned in key order on two read connections (tenant key ranges), each computing the
//! rollups of its range (the domain's `RollupState`) and merging them with the stored ones;
//! the writer writes only the rollups that differ and deletes those no figure backs, in
//! one transaction. The month rows (`usage_months`, each month's last figure) come out of
//! the same scan and are merged with the stored ones the same way, and the month totals
//! are rebuilt from them. In-process writers are kept out by holding the store's write
//! connection meanwhile; other processes wait on SQLite's lock.

use crate::adoption::months::{MONTH_UPSERT, contribution, month_of_day, replace_totals_blocking};
use crate::sqlite::bulk::{Roll, derived, open, write_rollups};
use crate::sqlite::keyhash::KeyMap;
use crate::{Result, StoreError};
use ftop_domain::adoption::Day;
use ftop_domain::forecast_gain::{WINDOW_DAYS, forecast_gain};
use rusqlite::Connection;
use std::collections::VecDeque;

/// A computed usage rollup of one (tenant, service).
#[derive(Debug, Clone, Copy)]
struct Computed {
    tkey: i64,
    svc: i64,
    roll: Roll,
    /// The predicted six-month gain from the figures' trend window.
    gain: Option<i64>,
}

/// What one range of a recompute found: the rollups to write (new or different from the
/// stored ones) and the stored usage rollups no figure backs any more.
#[derive(Default)]
struct Diff {
    write: Vec<(i64, i64, Roll)>,
    stale: Vec<(i64, i64)>,
    months: Months,
    /// Gains that differ from the stored ones.
    gains: Vec<(i64, i64, Option<i64>)>,
}

/// A month row: the last figure of a (tenant, service) in a calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct MonthRow {
    tkey: i64,
    svc: i64,
    month: i64,
    day: Day,
    active: i64,
    qualified: i64,
}

impl MonthRow {
    fn key(&self) -> (i64, i64, i64) {
        (self.tkey, self.svc, self.month)
    }
}

/// The month rows of a range compared with the stored ones as they are computed (both
/// in key order): those to write, the stored ones no figure backs, and the totals of
/// every computed row by (month, service).
#[derive(Default)]
struct Months {
    write: Vec<MonthRow>,
    stale: Vec<(i64, i64, i64)>,
    totals: KeyMap<(i64, i64), [i64; 8]>,
}

/// The stored month rows of a range, read in key order alongside the figures.
struct StoredMonths<'a> {
    rows: rusqlite::Rows<'a>,
    next: Option<MonthRow>,
}

impl StoredMonths<'_> {
    fn advance(&mut self) -> Result<()> {
        self.next = match self.rows.next()? {
            // A value that cannot be read as its type (damaged by hand) reads as one no
            // computed row has, so the row is written again.
            Some(r) => Some(MonthRow {
                tkey: r.get(0)?,
                svc: r.get(1)?,
                month: r.get(2)?,
                day: r.get(3).unwrap_or(Day::MIN),
                active: r.get(4).unwrap_or(i64::MIN),
                qualified: r.get(5).unwrap_or(i64::MIN),
            }),
            None => None,
        };
        Ok(())
    }
}

impl Months {
    /// Takes the next computed month row.
    fn take(&mut self, m: MonthRow, stored: &mut StoredMonths<'_>) -> Result<()> {
        let t = self.totals.entry((m.month, m.svc)).or_insert([0; 8]);
        for (t, c) in t.iter_mut().zip(contribution(m.active, m.qualified)) {
            *t += c;
        }
        while let Some(s) = stored.next.filter(|s| s.key() < m.key()) {
            self.stale.push(s.key());
            stored.advance()?;
        }
        match stored.next {
            Some(s) if s.key() == m.key() => {
                if s != m {
                    self.write.push(m);
                }
                stored.advance()?;
            }
            _ => self.write.push(m),
        }
        Ok(())
    }

    /// The stored rows after the last computed one are stale.
    fn finish(&mut self, stored: &mut StoredMonths<'_>) -> Result<()> {
        while let Some(s) = stored.next {
            self.stale.push(s.key());
            stored.advance()?;
        }
        Ok(())
    }
}

/// Rollups of the figures of tenant keys `from..=to`, in key order, and their month rows
/// merged with the stored ones into `months`.
fn compute(conn: &Connection, from: i64, to: i64, months: &mut Months) -> Result<Vec<Computed>> {
    let mut stmt = conn.prepare(
        "SELECT tkey, svc, day, active_users, qualified FROM usage_figures
         WHERE tkey >= ?1 AND tkey <= ?2 ORDER BY tkey, svc, day",
    )?;
    let mut month_stmt = conn.prepare(
        "SELECT tkey, svc, month, day, active_users, qualified FROM usage_months
         WHERE tkey >= ?1 AND tkey <= ?2 ORDER BY tkey, svc, month",
    )?;
    let mut stored = StoredMonths {
        rows: month_stmt.query((from, to))?,
        next: None,
    };
    stored.advance()?;
    let mut rows = stmt.query((from, to))?;
    let mut out: Vec<Computed> = Vec::new();
    let mut cur: Option<Computed> = None;
    let mut last: Option<MonthRow> = None;
    // The current pair's figures of the trend window before its latest one.
    let mut window: VecDeque<(Day, i64, i64)> = VecDeque::new();
    let settle = |c: Option<Computed>, window: &mut VecDeque<(Day, i64, i64)>| {
        c.map(|mut c| {
            c.gain = forecast_gain(window.make_contiguous()).map(|g| g.gain_bp);
            window.clear();
            c
        })
    };
    while let Some(r) = rows.next()? {
        let (tkey, svc): (i64, i64) = (r.get(0)?, r.get(1)?);
        let (day, active, qualified): (Day, i64, i64) = (r.get(2)?, r.get(3)?, r.get(4)?);
        let c = match &mut cur {
            Some(c) if c.tkey == tkey && c.svc == svc => c,
            _ => {
                out.extend(settle(cur.take(), &mut window));
                cur.insert(Computed {
                    tkey,
                    svc,
                    roll: Roll::default(),
                    gain: None,
                })
            }
        };
        window.push_back((day, active, qualified));
        while window
            .front()
            .is_some_and(|f| f.0 < day.saturating_sub(WINDOW_DAYS))
        {
            window.pop_front();
        }
        // Days ascend within a pair (one figure a day): every figure can be taken.
        c.roll.take(day, active, qualified);
        // The figure before this one was the last of its month.
        let month = month_of_day(day);
        let row = MonthRow {
            tkey,
            svc,
            month,
            day,
            active,
            qualified,
        };
        if let Some(m) = last.filter(|m| m.key() != row.key()) {
            months.take(m, &mut stored)?;
        }
        last = Some(row);
    }
    out.extend(settle(cur, &mut window));
    if let Some(m) = last {
        months.take(m, &mut stored)?;
    }
    months.finish(&mut stored)?;
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
    let mut months = Months::default();
    let computed = compute(&conn, from, to, &mut months)?;
    let mut stmt = conn.prepare(
        "SELECT tkey, svc, as_of, active_users, qualified, au_bp, bucket, milestone_10,
                milestone_40, gain_6m_bp FROM adoption_rollups
         WHERE tkey >= ?1 AND tkey <= ?2 ORDER BY tkey, svc",
    )?;
    let mut stored = stmt.query((from, to))?;
    let mut diff = Diff {
        months,
        ..Diff::default()
    };
    let mut next = computed.into_iter().peekable();
    while let Some(r) = stored.next()? {
        let key: (i64, i64) = (r.get(0)?, r.get(1)?);
        while let Some(c) = next.next_if(|c| (c.tkey, c.svc) < key) {
            diff.write.push((c.tkey, c.svc, c.roll));
            diff.gains.push((c.tkey, c.svc, c.gain));
        }
        match next.next_if(|c| (c.tkey, c.svc) == key) {
            Some(c) => {
                if !stored_matches(r, &c.roll) {
                    diff.write.push((c.tkey, c.svc, c.roll));
                }
                if r.get::<_, Option<i64>>(9).ok() != Some(c.gain) {
                    diff.gains.push((c.tkey, c.svc, c.gain));
                }
            }
            // Usage columns with no figure behind them (seats-only and forecast-only rows
            // are rebuilt by the caller as well).
            None => diff.stale.push(key),
        }
    }
    for c in next {
        diff.write.push((c.tkey, c.svc, c.roll));
        diff.gains.push((c.tkey, c.svc, c.gain));
    }
    Ok(diff)
}

/// Rebuilds the usage rollups of every (tenant, service) with figures, with their
/// predicted gains, in the open transaction of `conn`: rollups that already hold the right
/// values are left alone, the others written, and rollups no figure backs deleted; the
/// caller adds seats-only and forecast-only rows, the targets and the tenants' gains.
/// Returns the number of rollups written or deleted.
pub(crate) fn recompute_usage(conn: &Connection, path: &str) -> Result<usize> {
    let (lo, hi): (Option<i64>, Option<i64>) = conn.query_row(
        "SELECT (SELECT tkey FROM usage_figures ORDER BY tkey LIMIT 1),
                (SELECT tkey FROM usage_figures ORDER BY tkey DESC LIMIT 1)",
        (),
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (Some(lo), Some(hi)) = (lo, hi) else {
        conn.execute_batch("DELETE FROM usage_months; DELETE FROM usage_month_totals;")?;
        conn.execute(crate::reports::memo::MOVE_VERSION, ())?;
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
    crate::adoption::gains::set_blocking(conn, &a.gains)?;
    crate::adoption::gains::set_blocking(conn, &b.gains)?;
    // The month rows that differ, those no figure backs, and every total again.
    let mut del =
        conn.prepare("DELETE FROM usage_months WHERE tkey = ?1 AND svc = ?2 AND month = ?3")?;
    let mut put = conn.prepare(MONTH_UPSERT)?;
    let mut totals: KeyMap<(i64, i64), [i64; 8]> = KeyMap::default();
    for m in [&a.months, &b.months] {
        for key in &m.stale {
            del.execute(*key)?;
        }
        for r in &m.write {
            put.execute((r.tkey, r.svc, r.month, r.day, r.active, r.qualified))?;
        }
        for (k, v) in &m.totals {
            let t = totals.entry(*k).or_insert([0; 8]);
            for (t, v) in t.iter_mut().zip(v) {
                *t += v;
            }
        }
    }
    let mut totals: Vec<((i64, i64), [i64; 8])> = totals.into_iter().collect();
    totals.sort_unstable_by_key(|(k, _)| *k);
    replace_totals_blocking(conn, &totals)?;
    Ok(a.stale.len() + b.stale.len() + a.write.len() + b.write.len())
}
