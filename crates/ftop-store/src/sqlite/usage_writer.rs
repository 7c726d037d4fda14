//! The usage import's writer on SQLite (BENCHMARKS.md, B5), on a `rusqlite` connection of
//! its own: the caller's thread checks rows and fills batches; a blocking thread takes
//! them, computes the seats each figure carries, writes them with a prepared multi-row
//! upsert (one transaction, `BEGIN IMMEDIATE`) and keeps every touched (tenant, service)
//! rollup up to date in memory from the rows as they arrive (the domain's `RollupState`),
//! starting from the stored rollup. The only case the rows alone cannot decide is a figure
//! replaced on the very date a milestone was first reached by a value that no longer
//! reaches it; those pairs are rebuilt from their figures with the generic SQL at the end.
//! The month rows (`usage_months`: each month's last figure) are kept the same way: a
//! service without figures before the import gets its months inserted as its rows pass;
//! another's are compared with the stored month rows, and only the months whose last
//! figure changed are written. The totals by month and service move by the difference,
//! added up in memory and written once at the end (BENCHMARKS.md, B5: rebuilding the
//! touched tenants' months from all their figures made the import eighteen times slower).
//! The rollups that changed are then written, the audit entry added, and the transaction
//! committed.

use crate::Result;
use crate::adoption::months::{
    MONTH_INSERT_HEAD, MONTH_UPSERT, add_totals_blocking, contribution, month_of_day,
};
use crate::sqlite::bulk::{Roll, open, write_rollups};
use crate::sqlite::keyhash::{KeyMap, KeySet};
use ftop_domain::adoption::{Day, seats_on};
use ftop_domain::forecast_gain::forecast_gain;
use rusqlite::{Connection, Statement};

/// Rows per multi-row statement (figures: 5 parameters each; month rows: 6).
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

struct PairState {
    seats: Vec<(Day, i64)>,
    old: Roll,
    now: Roll,
    touched: bool,
    dirty: bool,
    /// The predicted gain computed from this import's rows (a pair with no figure before
    /// it, all its rows in one batch); None: to be read from the stored figures.
    gain: Option<Option<i64>>,
}

/// The last figure of a month of a (tenant, service) in a batch: the pair, the month, the
/// figure, and whether the pair can have no stored month row (no figure before the import
/// and none written by an earlier batch).
#[derive(Debug, Clone, Copy)]
struct MonthLast {
    month: i64,
    figure: Figure,
    fresh: bool,
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
    months: Vec<MonthLast>,
    /// The change of the month totals, by (month, service).
    totals: KeyMap<(i64, i64), [i64; 8]>,
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

/// A plain insert of `rows` month rows (6 parameters each).
fn month_insert_sql(rows: usize) -> String {
    let mut s = String::from(MONTH_INSERT_HEAD);
    for i in 0..rows {
        s.push_str(if i == 0 {
            "(?,?,?,?,?,?)"
        } else {
            ",(?,?,?,?,?,?)"
        });
    }
    s
}

fn bind_months(stmt: &mut Statement<'_>, rows: &[MonthLast]) -> Result<usize> {
    for (i, m) in rows.iter().enumerate() {
        let (b, f) = (i * 6, &m.figure);
        stmt.raw_bind_parameter(b + 1, f.tkey)?;
        stmt.raw_bind_parameter(b + 2, f.svc)?;
        stmt.raw_bind_parameter(b + 3, m.month)?;
        stmt.raw_bind_parameter(b + 4, f.day)?;
        stmt.raw_bind_parameter(b + 5, f.active)?;
        stmt.raw_bind_parameter(b + 6, f.qualified)?;
    }
    Ok(stmt.raw_execute()?)
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
            months: Vec::new(),
            totals: KeyMap::default(),
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
        // A fresh pair's figures in this batch, for its predicted gain.
        let mut figures: Vec<(Day, i64, i64)> = Vec::new();
        let mut gains: Vec<((i64, i64), Option<i64>)> = Vec::new();
        self.plain.clear();
        self.upsert.clear();
        self.months.clear();
        for f in batch.iter_mut() {
            let month = month_of_day(f.day);
            // The figure before this one was the last of its month in the batch.
            if let Some(m) = self.months.last_mut()
                && (m.figure.tkey, m.figure.svc, m.month) == (f.tkey, f.svc, month)
            {
                m.figure = *f;
            } else {
                self.months.push(MonthLast {
                    month,
                    figure: *f,
                    fresh: false,
                });
            }
            if last != Some((f.tkey, f.svc)) {
                if let Some(key) = last.filter(|_| plain) {
                    gains.push((key, forecast_gain(&figures).map(|g| g.gain_bp)));
                }
                figures.clear();
                last = Some((f.tkey, f.svc));
                self.tenants.insert(f.tkey);
                let p = self.pairs.entry((f.tkey, f.svc)).or_insert_with(new_pair);
                // No figure before this import (its rollup has none) and none written
                // by an earlier batch: nothing to replace.
                plain = p.old.as_of.is_none() && !p.touched;
                p.touched = true;
                // Rows of a pair seen before this batch or stored: the gain is read from
                // the figures at the end.
                p.gain = None;
                state = Some(p);
            }
            let Some(p) = state.as_deref_mut() else {
                continue;
            };
            f.qualified = seats_on(&p.seats, f.day);
            if !p.dirty && !p.now.take(f.day, f.active, f.qualified) {
                p.dirty = true;
            }
            if let Some(m) = self.months.last_mut() {
                // The figure with its seats, as written.
                m.figure = *f;
                m.fresh = plain;
            }
            if plain {
                self.plain.push(*f);
                figures.push((f.day, f.active, f.qualified));
            } else {
                self.upsert.push(*f);
            }
        }
        if let Some(key) = last.filter(|_| plain) {
            gains.push((key, forecast_gain(&figures).map(|g| g.gain_bp)));
        }
        for (key, gain) in gains {
            if let Some(p) = self.pairs.get_mut(&key) {
                p.gain = Some(gain);
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
        self.write_months()
    }

    /// Writes the batch's month rows and moves the totals by their change: fresh pairs'
    /// months inserted, others' compared with the stored month rows first (a stored row of
    /// a later day in the month stays).
    fn write_months(&mut self) -> Result<()> {
        let months = std::mem::take(&mut self.months);
        let add = |totals: &mut KeyMap<(i64, i64), [i64; 8]>, m: i64, f: &Figure, by: i64| {
            let t = totals.entry((m, f.svc)).or_insert([0; 8]);
            for (t, c) in t.iter_mut().zip(contribution(f.active, f.qualified)) {
                *t += by * c;
            }
        };
        {
            let mut fresh: Vec<MonthLast> = Vec::new();
            let mut upsert = self.conn.prepare_cached(MONTH_UPSERT)?;
            let mut stored = self.conn.prepare_cached(
                "SELECT month, day, active_users, qualified FROM usage_months
                 WHERE tkey = ?1 AND svc = ?2 AND month >= ?3 AND month <= ?4 ORDER BY month",
            )?;
            let same_pair = |a: &MonthLast, b: &MonthLast| {
                (a.figure.tkey, a.figure.svc) == (b.figure.tkey, b.figure.svc)
            };
            for group in months.chunk_by(same_pair) {
                let pair = (group[0].figure.tkey, group[0].figure.svc);
                if group[0].fresh {
                    for m in group {
                        add(&mut self.totals, m.month, &m.figure, 1);
                    }
                    fresh.extend_from_slice(group);
                    continue;
                }
                let (first, last) = (group[0].month, group[group.len() - 1].month);
                let mut old: Vec<(i64, Figure)> = Vec::new();
                let mut rows = stored.query((pair.0, pair.1, first, last))?;
                while let Some(r) = rows.next()? {
                    old.push((
                        r.get(0)?,
                        Figure {
                            tkey: pair.0,
                            svc: pair.1,
                            day: r.get(1)?,
                            active: r.get(2)?,
                            qualified: r.get(3)?,
                        },
                    ));
                }
                for m in group {
                    let f = &m.figure;
                    let before = old
                        .binary_search_by_key(&m.month, |(month, _)| *month)
                        .ok()
                        .map(|k| old[k].1);
                    if let Some(b) = before {
                        if b.day > f.day
                            || (b.day == f.day
                                && (b.active, b.qualified) == (f.active, f.qualified))
                        {
                            continue;
                        }
                        add(&mut self.totals, m.month, &b, -1);
                    }
                    upsert.execute((f.tkey, f.svc, m.month, f.day, f.active, f.qualified))?;
                    add(&mut self.totals, m.month, f, 1);
                }
            }
            // The fresh pairs' months: plain inserts, many rows a statement.
            let mut full = self.conn.prepare_cached(&month_insert_sql(STMT_ROWS))?;
            let mut chunks = fresh.chunks_exact(STMT_ROWS);
            for c in &mut chunks {
                bind_months(&mut full, c)?;
            }
            for m in chunks.remainder() {
                let mut one = self.conn.prepare_cached(&month_insert_sql(1))?;
                bind_months(&mut one, std::slice::from_ref(m))?;
            }
        }
        self.months = months;
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
        self.move_latest_sums()?;
        // The predicted gains: computed from the rows for pairs new to this import, read
        // from the stored figures' trend windows for the others; then the touched
        // tenants' totals.
        let mut known: Vec<(i64, i64, Option<i64>)> = Vec::new();
        let mut stored: Vec<i64> = Vec::new();
        for (&(tkey, svc), p) in self.pairs.iter().filter(|(_, p)| p.touched) {
            match p.gain {
                // A pair without figures before has no gain stored.
                Some(None) => {}
                Some(gain) => known.push((tkey, svc, gain)),
                None => stored.push(tkey),
            }
        }
        known.sort_unstable();
        stored.sort_unstable();
        stored.dedup();
        let ranges = crate::adoption::rollups::key_ranges(&stored);
        crate::adoption::gains::refresh_rollups_blocking(&self.conn, &ranges)?;
        crate::adoption::gains::set_blocking(&self.conn, &known)?;
        let mut touched: Vec<i64> = self.tenants.iter().copied().collect();
        touched.sort_unstable();
        let ranges = crate::adoption::rollups::key_ranges(&touched);
        crate::adoption::gains::totals_blocking(&self.conn, &ranges)?;
        // The month totals moved by the month rows written.
        let mut totals: Vec<((i64, i64), [i64; 8])> = self.totals.into_iter().collect();
        totals.sort_unstable_by_key(|(k, _)| *k);
        add_totals_blocking(&self.conn, &totals)?;
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

impl Writer {
    /// Moves the kept latest totals (`adoption/report_sums.rs`) by the change of the
    /// touched tenants' rollups: each touched pair's figure before taken out, its figure
    /// now put in (read back for the pairs rebuilt by SQL); a tenant counts when any of
    /// its pairs has a figure (every pair of a touched tenant was loaded).
    fn move_latest_sums(&self) -> Result<()> {
        let figure = |r: &Roll| match (r.as_of, r.active) {
            (Some(_), Some(active)) => Some(contribution(active, r.qualified)),
            _ => None,
        };
        let mut read = self.conn.prepare_cached(
            "SELECT as_of, active_users, qualified FROM adoption_rollups
             WHERE tkey = ?1 AND svc = ?2",
        )?;
        let mut sums: KeyMap<i64, [i64; 8]> = KeyMap::default();
        // Per touched tenant: a figure before, a figure now.
        let mut had: KeyMap<i64, (bool, bool)> = KeyMap::default();
        for (&(tkey, svc), p) in self.pairs.iter() {
            if !self.tenants.contains(&tkey) {
                continue;
            }
            let before = figure(&p.old);
            let now = if !p.touched {
                before
            } else if p.dirty {
                let r = read.query_row((tkey, svc), |r| {
                    Ok(Roll {
                        as_of: r.get(0)?,
                        active: r.get(1)?,
                        qualified: r.get(2)?,
                        ..Roll::default()
                    })
                });
                match r {
                    Ok(r) => figure(&r),
                    Err(rusqlite::Error::QueryReturnedNoRows) => None,
                    Err(e) => return Err(e.into()),
                }
            } else {
                figure(&p.now)
            };
            let h = had.entry(tkey).or_insert((false, false));
            h.0 |= before.is_some();
            h.1 |= now.is_some();
            if before != now {
                let t = sums.entry(svc).or_insert([0; 8]);
                for (by, c) in [(-1, before), (1, now)] {
                    for (t, c) in t.iter_mut().zip(c.unwrap_or_default()) {
                        *t += by * c;
                    }
                }
            }
        }
        let tenants: i64 = had
            .values()
            .map(|&(b, n)| i64::from(n) - i64::from(b))
            .sum();
        let mut sums: Vec<(i64, [i64; 8])> = sums.into_iter().collect();
        sums.sort_unstable_by_key(|(k, _)| *k);
        crate::adoption::report_sums::add_latest_blocking(&self.conn, &sums, tenants)
    }
}

fn new_pair() -> PairState {
    PairState {
        seats: Vec::new(),
        old: Roll::default(),
        now: Roll::default(),
        touched: false,
        dirty: false,
        gain: None,
    }
}
