//! SQLite fast path of the adoption dashboard counts (BENCHMARKS.md, B5): the same numbers
//! as the grouped SQL in `adoption/counts.rs`, for the rollups the
//! same filter keeps (`adoption/filter.rs`: its in-memory twin),, computed in Rust over a key-ordered scan of the
//! rollups on read-only connections of their own (two threads, split by tenant key), so
//! totals and every grouping come from one pass at a few hundred nanoseconds a rollup
//! instead of the engine's several microseconds for the CASE sums. Filters that name
//! tenants (partner, assignment, manager) become key sets read first, and only those
//! tenants' rollups are read.

use crate::Result;
use crate::adoption::counts::{Grouping, Groups};
use crate::adoption::filter::{RollupFacts, Selection, bucket_code};
use crate::adoption::model::{AdoptionCounts, ForecastCounts};
use crate::sqlite::SqliteSide;
use crate::sqlite::tenant_maps::{TenantMaps, group_version};
use ftop_domain::adoption::ForecastStatus;
use rusqlite::Connection;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// One filtered rollup's contribution to its inner group.
#[derive(Debug, Clone, Copy, Default)]
struct Inner {
    services: i64,
    engaged: i64,
    no_data: i64,
    undefined: i64,
    below_10: i64,
    from_10_to_40: i64,
    from_40: i64,
    reached_10: i64,
    reached_40: i64,
    w10: i64,
    w40: i64,
    f10: [i64; 5],
    f40: [i64; 5],
}

impl Inner {
    fn add(&mut self, o: &Inner) {
        self.services += o.services;
        self.engaged += o.engaged;
        self.no_data += o.no_data;
        self.undefined += o.undefined;
        self.below_10 += o.below_10;
        self.from_10_to_40 += o.from_10_to_40;
        self.from_40 += o.from_40;
        self.reached_10 += o.reached_10;
        self.reached_40 += o.reached_40;
        self.w10 += o.w10;
        self.w40 += o.w40;
        for i in 0..5 {
            self.f10[i] += o.f10[i];
            self.f40[i] += o.f40[i];
        }
    }
}

/// Outer sums of inner groups (what `AdoptionCounts` holds).
#[derive(Debug, Clone, Copy, Default)]
struct Outer {
    sums: Inner,
    tenants: i64,
    tenants_engaged: i64,
    tenants_reached_10: i64,
    tenants_reached_40: i64,
}

impl Outer {
    fn take(&mut self, i: &Inner) {
        self.sums.add(i);
        self.tenants += 1;
        self.tenants_engaged += i64::from(i.engaged > 0);
        self.tenants_reached_10 += i64::from(i.reached_10 > 0);
        self.tenants_reached_40 += i64::from(i.reached_40 > 0);
    }

    fn merge(&mut self, o: &Outer) {
        self.sums.add(&o.sums);
        self.tenants += o.tenants;
        self.tenants_engaged += o.tenants_engaged;
        self.tenants_reached_10 += o.tenants_reached_10;
        self.tenants_reached_40 += o.tenants_reached_40;
    }

    fn counts(&self) -> AdoptionCounts {
        let s = &self.sums;
        let fc = |f: &[i64; 5]| ForecastCounts {
            met_early: f[0],
            met_late: f[1],
            overdue: f[2],
            on_track: f[3],
            reached_before_forecast: f[4],
        };
        AdoptionCounts {
            services: s.services,
            engaged: s.engaged,
            no_data: s.no_data,
            undefined: s.undefined,
            below_10: s.below_10,
            from_10_to_40: s.from_10_to_40,
            from_40: s.from_40,
            reached_10: s.reached_10,
            reached_40: s.reached_40,
            reached_10_in_window: s.w10,
            reached_40_in_window: s.w40,
            forecast_10: fc(&s.f10),
            forecast_40: fc(&s.f40),
            tenants: self.tenants,
            tenants_engaged: self.tenants_engaged,
            tenants_reached_10: self.tenants_reached_10,
            tenants_reached_40: self.tenants_reached_40,
        }
    }
}

fn status_index(s: Option<ForecastStatus>) -> Option<usize> {
    Some(match s? {
        ForecastStatus::MetEarly => 0,
        ForecastStatus::MetLate => 1,
        ForecastStatus::Overdue => 2,
        ForecastStatus::OnTrack => 3,
        ForecastStatus::ReachedBeforeForecast => 4,
    })
}

/// Counts one kept rollup (its forecast statuses as the filter found them), with
/// milestones reached in the window `wfrom..=wto` (days).
fn count(r: &RollupFacts, statuses: [Option<ForecastStatus>; 2], wfrom: i64, wto: i64) -> Inner {
    let mut i = Inner {
        services: 1,
        engaged: i64::from(r.engaged),
        no_data: i64::from(!r.as_of),
        undefined: i64::from(r.bucket.is_none()),
        below_10: i64::from(r.bucket == Some(1)),
        from_10_to_40: i64::from(r.bucket == Some(2)),
        from_40: i64::from(r.bucket == Some(3)),
        reached_10: i64::from(r.m10.is_some()),
        reached_40: i64::from(r.m40.is_some()),
        w10: i64::from(r.m10.is_some_and(|m| m >= wfrom && m <= wto)),
        w40: i64::from(r.m40.is_some_and(|m| m >= wfrom && m <= wto)),
        ..Inner::default()
    };
    if let Some(x) = status_index(statuses[0]) {
        i.f10[x] = 1;
    }
    if let Some(x) = status_index(statuses[1]) {
        i.f40[x] = 1;
    }
    i
}

/// Accumulators of one pass.
#[derive(Default)]
struct Acc {
    totals: Outer,
    /// By service key (a few dozen services at most: a list beats a hash).
    service: Vec<(i64, Outer)>,
    partner: HashMap<Option<i64>, Outer>,
    manager: HashMap<Option<i64>, Outer>,
    /// Per tenant, for the groupings by partner or manager (applied after the scan).
    per_tenant: Vec<(i64, Inner)>,
}

struct Pass<'a> {
    want: &'a [Grouping],
    filter: &'a Selection,
    window: (i64, i64),
    acc: Acc,
    tenant: Option<i64>,
    inner: Inner,
    has_inner: bool,
    by_service: bool,
}

impl Pass<'_> {
    fn end_tenant(&mut self) {
        if let Some(t) = self.tenant.take()
            && self.has_inner
        {
            let i = self.inner;
            for g in self.want {
                match g {
                    Grouping::Totals => self.acc.totals.take(&i),
                    Grouping::Partner | Grouping::Manager => {
                        if self.acc.per_tenant.last().is_none_or(|(k, _)| *k != t) {
                            self.acc.per_tenant.push((t, i));
                        }
                    }
                    Grouping::Service => {}
                }
            }
            self.inner = Inner::default();
            self.has_inner = false;
        }
    }

    fn row(&mut self, r: &RollupFacts) {
        if self.tenant != Some(r.tkey) {
            self.end_tenant();
            self.tenant = Some(r.tkey);
        }
        if let Some(statuses) = self.filter.keeps(r) {
            let i = count(r, statuses, self.window.0, self.window.1);
            self.inner.add(&i);
            self.has_inner = true;
            if self.by_service {
                // The by-service inner groups are (tenant, service): one rollup each.
                service_slot(&mut self.acc.service, r.svc).take(&i);
            }
        }
    }
}

/// The accumulator of service key `svc`.
fn service_slot(v: &mut Vec<(i64, Outer)>, svc: i64) -> &mut Outer {
    let i = match v.iter().position(|(k, _)| *k == svc) {
        Some(i) => i,
        None => {
            v.push((svc, Outer::default()));
            v.len() - 1
        }
    };
    &mut v[i].1
}

const COLS: &str = "SELECT tkey, svc, dash_a, dash_b FROM adoption_rollups";

/// Offset of the packed dates (see `dash_a` in the migration).
const DAY_CODE: i64 = 719_529;
const DAY_MASK: i64 = (1 << 22) - 1;

fn day_code(v: i64) -> Option<i64> {
    let c = v & DAY_MASK;
    (c != 0).then(|| c - DAY_CODE)
}

/// A rollup from its packed columns; when they are NULL (a value did not fit), from the
/// plain columns.
fn read(conn: &Connection, r: &rusqlite::Row<'_>) -> Result<RollupFacts> {
    // Straight from the value: the hot loop of the dashboard (see the module note).
    let int = |i: usize| -> Result<Option<i64>> {
        Ok(match r.get_ref(i)? {
            rusqlite::types::ValueRef::Integer(v) => Some(v),
            _ => None,
        })
    };
    let (tkey, svc): (i64, i64) = (r.get(0)?, r.get(1)?);
    if let (Some(a), Some(b)) = (int(2)?, int(3)?) {
        let code = (a >> 2) & 3;
        return Ok(RollupFacts {
            tkey,
            svc,
            as_of: a & 2 != 0,
            engaged: a & 1 != 0,
            bucket: (code != 0).then_some(code as u8),
            m10: day_code(a >> 4),
            m40: day_code(a >> 26),
            t10: day_code(b),
            t40: day_code(b >> 22),
        });
    }
    let mut st = conn.prepare_cached(
        "SELECT as_of IS NOT NULL, qualified > 0, bucket, milestone_10, milestone_40, target_10,
            target_40 FROM adoption_rollups WHERE tkey = ?1 AND svc = ?2",
    )?;
    Ok(st.query_row((tkey, svc), |r| {
        Ok(RollupFacts {
            tkey,
            svc,
            as_of: r.get(0)?,
            engaged: r.get(1)?,
            bucket: bucket_code(r.get_ref(2)?.as_bytes_or_null()?),
            m10: r.get(3)?,
            m40: r.get(4)?,
            t10: r.get(5)?,
            t40: r.get(6)?,
        })
    })?)
}

/// The counts of each wanted grouping (as `(group key, counts)` rows like the SQL's).
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
    // The tenant sets of the filter, read first.
    let mut sets: Vec<HashSet<i64>> = Vec::new();
    for (sql, v) in sel.tenant_sets() {
        let mut st = conn.prepare_cached(&sql)?;
        let rows = st.query_map([v], |r| r.get(0))?;
        sets.push(rows.collect::<rusqlite::Result<_>>()?);
    }
    let svc: Option<i64> = match &sel.service {
        None => None,
        Some(s) => Some(conn.query_row(
            "SELECT COALESCE((SELECT svc FROM adoption_services WHERE service = ?1), -1)",
            [s],
            |r| r.get(0),
        )?),
    };
    let new_pass = || Pass {
        want,
        filter: sel,
        window,
        acc: Acc::default(),
        tenant: None,
        inner: Inner::default(),
        has_inner: false,
        by_service: want.contains(&Grouping::Service),
    };
    let svc_cond = if svc.is_some() { " AND svc = ?3" } else { "" };
    let need_maps = want.contains(&Grouping::Partner) || want.contains(&Grouping::Manager);
    let mut found: Option<Arc<TenantMaps>> = if need_maps {
        side.cached_maps(group_version(conn)?)
    } else {
        None
    };
    let build_maps = need_maps && found.is_none();
    let accs: Vec<Acc> = if sets.is_empty() {
        // Whole table: two threads over halves of the tenant keys.
        let (lo, hi): (Option<i64>, Option<i64>) = conn.query_row(
            "SELECT (SELECT tkey FROM adoption_rollups ORDER BY tkey LIMIT 1),
                    (SELECT tkey FROM adoption_rollups ORDER BY tkey DESC LIMIT 1)",
            (),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let (lo, hi) = (lo.unwrap_or(0), hi.unwrap_or(-1));
        // When the tenant maps are stale, the other thread reads them first (about 40% of
        // a whole scan's time), so it takes a smaller share.
        let mid = lo + (hi - lo).saturating_mul(if build_maps { 30 } else { 50 }) / 100 + 1;
        let sql = format!("{COLS} WHERE tkey >= ?1 AND tkey < ?2{svc_cond}");
        let scan = |c: &Connection, from: i64, to: i64| -> Result<Acc> {
            let mut pass = new_pass();
            let mut st = c.prepare_cached(&sql)?;
            let mut rows = match svc {
                Some(s) => st.query((from, to, s))?,
                None => st.query((from, to))?,
            };
            while let Some(r) = rows.next()? {
                pass.row(&read(c, r)?);
            }
            pass.end_tenant();
            Ok(pass.acc)
        };
        std::thread::scope(|s| -> Result<Vec<Acc>> {
            let other = s.spawn(|| {
                side.with_reader(|c| {
                    let m = if build_maps {
                        Some(side.tenant_maps(c)?)
                    } else {
                        None
                    };
                    Ok((m, scan(c, lo, mid)?))
                })
            });
            let mine = scan(conn, mid, hi + 1)?;
            let (m, theirs) = other.join().map_err(|_| {
                crate::StoreError::Internal("dashboard scan thread failed".into())
            })??;
            if m.is_some() {
                found = m;
            }
            Ok(vec![theirs, mine])
        })?
    } else {
        let mut keys: Vec<i64> = sets[0]
            .iter()
            .copied()
            .filter(|k| sets[1..].iter().all(|s| s.contains(k)))
            .collect();
        keys.sort_unstable();
        let sql = format!("{COLS} WHERE tkey = ?1 AND ?2 = ?2{svc_cond}");
        let mut st = conn.prepare_cached(&sql)?;
        let mut pass = new_pass();
        for k in keys {
            let mut rows = match svc {
                Some(s) => st.query((k, 0, s))?,
                None => st.query((k, 0))?,
            };
            while let Some(r) = rows.next()? {
                pass.row(&read(conn, r)?);
            }
        }
        pass.end_tenant();
        if build_maps {
            found = Some(side.tenant_maps(conn)?);
        }
        vec![pass.acc]
    };
    let maps = found.unwrap_or_default();
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
    Ok(want
        .iter()
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
        .collect())
}
