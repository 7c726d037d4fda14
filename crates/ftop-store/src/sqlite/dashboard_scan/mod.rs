//! SQLite fast path of the adoption dashboard counts (BENCHMARKS.md, B5): the same numbers
//! as the grouped SQL in `adoption/counts.rs`, for the rollups the
//! same filter keeps (`adoption/filter.rs`: its in-memory twin), computed in Rust over a key-ordered scan of the
//! rollups on read-only connections of their own (two threads, split by tenant key), so
//! totals and every grouping come from one pass at a few hundred nanoseconds a rollup
//! instead of the engine's several microseconds for the CASE sums. Filters that name
//! tenants (partner, assignment, manager) become key sets read first, and only those
//! tenants' rollups are read.

//!
//! Here the scan itself; the sums it keeps are in `tally.rs`, the reading of a rollup's
//! packed columns in `read.rs`.

mod read;
mod tally;

use crate::adoption::counts::{Grouping, Groups};
use crate::adoption::filter::Selection;
use crate::sqlite::SqliteSide;
use crate::sqlite::tenant_maps::{TenantMaps, group_version};
use crate::{Result, StoreError};
use read::{COLS, read};
use rusqlite::Connection;
use std::collections::HashSet;
use std::sync::Arc;
use tally::{Acc, Pass, service_slot};

/// The counts of each wanted grouping (as `(group key, counts)` rows like the SQL's) of
/// the rollups `sel` keeps, with milestones reached in the window `wfrom..=wto` (days).
pub(crate) fn grouped(
    side: &SqliteSide,
    sel: &Selection,
    wfrom: i64,
    wto: i64,
    want: &[Grouping],
) -> Result<Vec<Groups>> {
    side.with_reader(|conn| grouped_on(conn, side, sel, (wfrom, wto), want))
}

fn grouped_on(
    conn: &Connection,
    side: &SqliteSide,
    sel: &Selection,
    window: (i64, i64),
    want: &[Grouping],
) -> Result<Vec<Groups>> {
    let sets = tenant_sets(conn, sel)?;
    let need_maps = want.contains(&Grouping::Partner) || want.contains(&Grouping::Manager);
    let cached: Option<Arc<TenantMaps>> = if need_maps {
        side.cached_maps(group_version(conn)?)
    } else {
        None
    };
    let scan = Scan {
        side,
        sel,
        window,
        want,
        svc: service_key(conn, sel)?,
        build_maps: need_maps && cached.is_none(),
    };
    let (accs, built) = if sets.is_empty() {
        scan.whole(conn)?
    } else {
        scan.tenants(conn, &sets)?
    };
    let maps = built.or(cached).unwrap_or_default();
    Ok(group_rows(&merge(accs, &maps, want), want))
}

/// The tenant sets of the filter (partner, assignment, manager), read first.
fn tenant_sets(conn: &Connection, sel: &Selection) -> Result<Vec<HashSet<i64>>> {
    let mut sets = Vec::new();
    for (sql, v) in sel.tenant_sets() {
        let mut st = conn.prepare_cached(&sql)?;
        let rows = st.query_map([v], |r| r.get(0))?;
        sets.push(rows.collect::<rusqlite::Result<_>>()?);
    }
    Ok(sets)
}

/// The key of the filter's service (-1 for a service with no figures), if it names one.
fn service_key(conn: &Connection, sel: &Selection) -> Result<Option<i64>> {
    let Some(s) = &sel.service else {
        return Ok(None);
    };
    Ok(Some(conn.query_row(
        "SELECT COALESCE((SELECT svc FROM adoption_services WHERE service = ?1), -1)",
        [s],
        |r| r.get(0),
    )?))
}

/// One scan's settings.
struct Scan<'a> {
    side: &'a SqliteSide,
    sel: &'a Selection,
    window: (i64, i64),
    want: &'a [Grouping],
    /// Only this service's rollups.
    svc: Option<i64>,
    /// The tenant maps are stale: read them during the scan.
    build_maps: bool,
}

/// The accumulators of the scan and the tenant maps it read (when they were stale).
type Scanned = (Vec<Acc>, Option<Arc<TenantMaps>>);

impl Scan<'_> {
    fn svc_cond(&self) -> &'static str {
        if self.svc.is_some() {
            " AND svc = ?3"
        } else {
            ""
        }
    }

    /// The whole table: two threads over halves of the tenant keys.
    fn whole(&self, conn: &Connection) -> Result<Scanned> {
        let (lo, hi) = key_range(conn, "adoption_rollups")?;
        // When the tenant maps are stale, the other thread reads them first (about 40% of
        // a whole scan's time), so it takes a smaller share.
        let share = if self.build_maps { 30 } else { 50 };
        let mid = lo + (hi - lo).saturating_mul(share) / 100 + 1;
        let sql = format!("{COLS} WHERE tkey >= ?1 AND tkey < ?2{}", self.svc_cond());
        let range = |c: &Connection, from: i64, to: i64| -> Result<Acc> {
            let mut pass = Pass::new(self.want, self.sel, self.window);
            let mut st = c.prepare_cached(&sql)?;
            let mut rows = match self.svc {
                Some(s) => st.query((from, to, s))?,
                None => st.query((from, to))?,
            };
            while let Some(r) = rows.next()? {
                pass.row(&read(c, r)?);
            }
            pass.end_tenant();
            Ok(pass.acc)
        };
        std::thread::scope(|s| -> Result<Scanned> {
            let other = s.spawn(|| {
                self.side.with_reader(|c| {
                    let m = if self.build_maps {
                        Some(self.side.tenant_maps(c)?)
                    } else {
                        None
                    };
                    Ok((m, range(c, lo, mid)?))
                })
            });
            let mine = range(conn, mid, hi + 1)?;
            let (m, theirs) = other
                .join()
                .map_err(|_| StoreError::Internal("dashboard scan thread failed".into()))??;
            Ok((vec![theirs, mine], m))
        })
    }

    /// Only the tenants in every one of the filter's tenant sets, by key.
    fn tenants(&self, conn: &Connection, sets: &[HashSet<i64>]) -> Result<Scanned> {
        let mut keys: Vec<i64> = sets[0]
            .iter()
            .copied()
            .filter(|k| sets[1..].iter().all(|s| s.contains(k)))
            .collect();
        keys.sort_unstable();
        let sql = format!("{COLS} WHERE tkey = ?1 AND ?2 = ?2{}", self.svc_cond());
        let mut st = conn.prepare_cached(&sql)?;
        let mut pass = Pass::new(self.want, self.sel, self.window);
        for k in keys {
            let mut rows = match self.svc {
                Some(s) => st.query((k, 0, s))?,
                None => st.query((k, 0))?,
            };
            while let Some(r) = rows.next()? {
                pass.row(&read(conn, r)?);
            }
        }
        pass.end_tenant();
        let maps = if self.build_maps {
            Some(self.side.tenant_maps(conn)?)
        } else {
            None
        };
        Ok((vec![pass.acc], maps))
    }
}

/// The lowest and highest tenant key of `table` (keyed by `tkey` first); `(0, -1)` when
/// it is empty.
pub(crate) fn key_range(conn: &Connection, table: &str) -> Result<(i64, i64)> {
    let (lo, hi): (Option<i64>, Option<i64>) = conn.query_row(
        &format!(
            "SELECT (SELECT tkey FROM {table} ORDER BY tkey LIMIT 1),
                    (SELECT tkey FROM {table} ORDER BY tkey DESC LIMIT 1)"
        ),
        (),
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((lo.unwrap_or(0), hi.unwrap_or(-1)))
}

/// The passes' accumulators added up, with the per-tenant sums put in the groups of their
/// tenant's partners and primary manager.
fn merge(accs: Vec<Acc>, maps: &TenantMaps, want: &[Grouping]) -> Acc {
    let (partners, managers) = (&maps.partners, &maps.managers);
    let mut all = Acc::default();
    for a in accs {
        all.totals.merge(&a.totals);
        for (k, v) in &a.service {
            service_slot(&mut all.service, *k).merge(v);
        }
        for (k, v) in a.partner {
            all.partner.entry(k).or_default().merge(&v);
        }
        for (k, v) in a.manager {
            all.manager.entry(k).or_default().merge(&v);
        }
        for (t, i) in a.per_tenant {
            if want.contains(&Grouping::Partner) {
                match partners.get(&t) {
                    Some(ps) => {
                        for p in ps {
                            all.partner.entry(Some(*p)).or_default().take(&i);
                        }
                    }
                    None => all.partner.entry(None).or_default().take(&i),
                }
            }
            if want.contains(&Grouping::Manager) {
                all.manager
                    .entry(managers.get(&t).copied())
                    .or_default()
                    .take(&i);
            }
        }
    }
    all
}

/// The rows of each wanted grouping.
fn group_rows(all: &Acc, want: &[Grouping]) -> Vec<Groups> {
    want.iter()
        .map(|g| match g {
            Grouping::Totals => vec![(None, all.totals.counts())],
            Grouping::Service => all
                .service
                .iter()
                .map(|(k, v)| (Some(*k), v.counts()))
                .collect(),
            Grouping::Partner => all.partner.iter().map(|(k, v)| (*k, v.counts())).collect(),
            Grouping::Manager => all.manager.iter().map(|(k, v)| (*k, v.counts())).collect(),
        })
        .collect()
}
