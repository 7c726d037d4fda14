//! The usage import's writer on SQLite (BENCHMARKS.md, B5), on a `rusqlite` connection of
//! its own: the caller's thread checks rows and fills batches; a blocking thread takes
//! them, computes the seats each figure carries, writes them with a prepared multi-row
//! upsert (one transaction, `BEGIN IMMEDIATE`) and keeps every touched (tenant, service)
//! rollup up to date in memory from the rows as they arrive (the domain's `RollupState`),
//! starting from the stored rollup. The only case the rows alone cannot decide is a figure
//! replaced on the very date a milestone was first reached by a value that no longer
//! reaches it; those pairs are rebuilt from their figures with the generic SQL at the end.
//! The rollups that changed are then written, the audit entry added, and the transaction
//! committed.

use crate::Result;
use crate::sqlite::bulk::{Roll, open, write_rollups};
use crate::sqlite::keyhash::{KeyMap, KeySet};
use ftop_domain::adoption::{Day, seats_on};
use rusqlite::{Connection, Statement};

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
        // The predicted gains of the touched tenants (their whole trend windows).
        let mut touched: Vec<i64> = self.tenants.iter().copied().collect();
        touched.sort_unstable();
        let ranges = crate::adoption::rollups::key_ranges(&touched);
        crate::adoption::gains::refresh_blocking(&self.conn, &ranges)?;
        // Their usage by month (rebuilt from their figures, totals moved by the change).
        crate::adoption::months::refresh_blocking(&self.conn, &ranges, false)?;
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
