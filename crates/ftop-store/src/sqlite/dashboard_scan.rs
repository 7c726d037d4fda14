//! SQLite fast path of the adoption dashboard counts (BENCHMARKS.md, B5): the same numbers
//! as the grouped SQL in `adoption.rs`, computed in Rust over a key-ordered scan of the
//! rollups on read-only connections of their own (two threads, split by tenant key), so
//! totals and every grouping come from one pass at a few hundred nanoseconds a rollup
//! instead of the engine's several microseconds for the CASE sums. Filters that name
//! tenants (partner, assignment, manager) become key sets read first, and only those
//! tenants' rollups are read.

use crate::Result;
use crate::adoption::dashboard::{AdoptionCounts, Binds, ForecastCounts};
use ftop_domain::adoption::{Day, ForecastStatus, forecast_status};
use rusqlite::Connection;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// Counts by group key (None: totals, no partner, unassigned).
pub(crate) type Groups = Vec<(Option<i64>, AdoptionCounts)>;

/// Which groupings one pass computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Grouping {
    Totals,
    Service,
    Partner,
    Manager,
}

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

/// The filter's per-row tests (the tenant sets are applied by choosing the rows read).
struct RowFilter {
    bucket: Option<Option<u8>>,
    milestone: Option<u8>,
    from: i64,
    to: i64,
    forecast: Option<(u8, Option<ForecastStatus>)>,
    wfrom: i64,
    wto: i64,
    today: Day,
}

/// Bucket codes: 1 below-10, 2 10-40, 3 40-plus.
fn bucket_code(b: Option<&[u8]>) -> Option<u8> {
    match b? {
        b"below-10" => Some(1),
        b"10-40" => Some(2),
        b"40-plus" => Some(3),
        _ => Some(0),
    }
}

struct Row {
    tkey: i64,
    svc: i64,
    as_of: bool,
    engaged: bool,
    bucket: Option<u8>,
    m10: Option<i64>,
    m40: Option<i64>,
    t10: Option<i64>,
    t40: Option<i64>,
}

impl RowFilter {
    fn keep(&self, r: &Row) -> Option<Inner> {
        if let Some(b) = self.bucket
            && r.bucket != b
        {
            return None;
        }
        match self.milestone {
            Some(10) if !r.m10.is_some_and(|m| m >= self.from && m <= self.to) => return None,
            Some(40) if !r.m40.is_some_and(|m| m >= self.from && m <= self.to) => return None,
            Some(10 | 40) | None => {}
            Some(_) => return None,
        }
        let day = |v: Option<i64>| v.and_then(|v| Day::try_from(v).ok());
        let s10 = forecast_status(day(r.t10), day(r.m10), self.today);
        let s40 = forecast_status(day(r.t40), day(r.m40), self.today);
        match self.forecast {
            Some((10, s)) if s.is_none() || s10 != s => return None,
            Some((40, s)) if s.is_none() || s40 != s => return None,
            Some((10 | 40, _)) | None => {}
            Some(_) => return None,
        }
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
            w10: i64::from(r.m10.is_some_and(|m| m >= self.wfrom && m <= self.wto)),
            w40: i64::from(r.m40.is_some_and(|m| m >= self.wfrom && m <= self.wto)),
            ..Inner::default()
        };
        if let Some(x) = status_index(s10) {
            i.f10[x] = 1;
        }
        if let Some(x) = status_index(s40) {
            i.f40[x] = 1;
        }
        Some(i)
    }
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
    filter: &'a RowFilter,
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

    fn row(&mut self, r: &Row) {
        if self.tenant != Some(r.tkey) {
            self.end_tenant();
            self.tenant = Some(r.tkey);
        }
        if let Some(i) = self.filter.keep(r) {
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
fn read(conn: &Connection, r: &rusqlite::Row<'_>) -> Result<Row> {
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
        return Ok(Row {
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
        Ok(Row {
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
pub(crate) fn grouped(
    path: &str,
    b: &Binds,
    wfrom: i64,
    wto: i64,
    want: &[Grouping],
) -> Result<Vec<Groups>> {
    crate::sqlite::bulk::with_reader(path, |conn| grouped_on(conn, path, b, wfrom, wto, want))
}

fn grouped_on(
    conn: &Connection,
    path: &str,
    b: &Binds,
    wfrom: i64,
    wto: i64,
    want: &[Grouping],
) -> Result<Vec<Groups>> {
    // Tenant sets of the filter.
    let mut sets: Vec<HashSet<i64>> = Vec::new();
    let set = |sql: &str, v: i64| -> Result<HashSet<i64>> {
        let mut st = conn.prepare_cached(sql)?;
        let rows = st.query_map([v], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    const PARTNER: &str = "SELECT k.tkey FROM tenant_partners p JOIN adoption_tenants k
        ON k.tenant_id = p.tenant_id WHERE p.partner_id = ?1";
    if let Some(p) = b.partner {
        sets.push(set(PARTNER, p)?);
    }
    if let Some(u) = b.assigned {
        sets.push(set(
            "SELECT k.tkey FROM assignments a JOIN adoption_tenants k ON k.tenant_id = a.tenant_id
             WHERE a.user_id = ?1",
            u,
        )?);
    }
    if let Some(p) = b.partner_id {
        sets.push(set(PARTNER, p)?);
    }
    if let Some(u) = b.manager_id {
        sets.push(set(
            "SELECT k.tkey FROM assignments a JOIN adoption_tenants k ON k.tenant_id = a.tenant_id
             WHERE a.role = 'fm' AND a.is_primary = 1 AND a.service = '' AND a.user_id = ?1",
            u,
        )?);
    }
    let svc: Option<i64> = match &b.service {
        None => None,
        Some(s) => Some(conn.query_row(
            "SELECT COALESCE((SELECT svc FROM adoption_services WHERE service = ?1), -1)",
            [s],
            |r| r.get(0),
        )?),
    };
    let filter = RowFilter {
        bucket: b
            .bucket
            .map(|k| bucket_code(Some(k.as_bytes())).filter(|c| *c != 0)),
        milestone: b.milestone.map(|m| m.parse().unwrap_or(0)),
        from: b.from,
        to: b.to,
        forecast: b
            .forecast
            .zip(b.status)
            .map(|(m, s)| (m.parse().unwrap_or(0), ForecastStatus::parse(s))),
        wfrom,
        wto,
        today: Day::try_from(b.today).unwrap_or(Day::MAX),
    };
    let new_pass = || Pass {
        want,
        filter: &filter,
        acc: Acc::default(),
        tenant: None,
        inner: Inner::default(),
        has_inner: false,
        by_service: want.contains(&Grouping::Service),
    };
    let svc_cond = if svc.is_some() { " AND svc = ?3" } else { "" };
    let need_maps = want.contains(&Grouping::Partner) || want.contains(&Grouping::Manager);
    let mut found: Option<Arc<TenantMaps>> = if need_maps {
        cached_maps(path, group_version(conn)?)
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
                crate::sqlite::bulk::with_reader(path, |c| {
                    let m = if build_maps {
                        Some(tenant_maps(c, path)?)
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
            found = Some(tenant_maps(conn, path)?);
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

/// Tenant key -> partners and tenant key -> primary FastTrack Manager.
#[derive(Default)]
struct TenantMaps {
    partners: KeyMap<Vec<i64>>,
    managers: KeyMap<i64>,
}

type KeyMap<V> = crate::sqlite::keyhash::KeyMap<i64, V>;

/// The maps of recent files with the `adoption_group_version` they were read at (bumped
/// by triggers on every change to the tables they come from: migration 0004).
static MAPS: Mutex<Vec<(String, i64, Arc<TenantMaps>)>> = Mutex::new(Vec::new());
const KEEP_MAPS: usize = 4;

fn group_version(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT version FROM adoption_group_version", (), |r| {
            r.get(0)
        })?,
    )
}

fn cached_maps(path: &str, version: i64) -> Option<Arc<TenantMaps>> {
    let cache = MAPS.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .iter()
        .find(|(p, v, _)| p == path && *v == version)
        .map(|(_, _, m)| Arc::clone(m))
}

/// Reads the maps (and their version, in the same snapshot) and keeps them.
fn tenant_maps(conn: &Connection, path: &str) -> Result<Arc<TenantMaps>> {
    conn.execute_batch("BEGIN")?;
    let read = group_version(conn).and_then(|v| Ok((v, read_maps(conn)?)));
    conn.execute_batch("COMMIT")?;
    let (version, maps) = read?;
    let maps = Arc::new(maps);
    let mut cache = MAPS.lock().unwrap_or_else(|e| e.into_inner());
    cache.retain(|(p, _, _)| p != path);
    if cache.len() >= KEEP_MAPS {
        cache.remove(0);
    }
    cache.push((path.to_string(), version, Arc::clone(&maps)));
    Ok(maps)
}

/// Partners and primary FastTrack Managers of every tenant, by tenant key. Three plain
/// table scans joined in memory: a join in SQL costs an index probe with a text key per
/// tenant, several times the scans.
fn read_maps(conn: &Connection) -> Result<TenantMaps> {
    let mut maps = TenantMaps::default();
    let mut keys: HashMap<Box<str>, i64> = HashMap::new();
    {
        let mut st = conn.prepare_cached("SELECT tkey, tenant_id FROM adoption_tenants")?;
        let mut rows = st.query(())?;
        while let Some(r) = rows.next()? {
            keys.insert(
                r.get_ref(1)?
                    .as_str()
                    .map_err(rusqlite::Error::from)?
                    .into(),
                r.get(0)?,
            );
        }
    }
    let each = |sql: &str, f: &mut dyn FnMut(i64, i64)| -> Result<()> {
        let mut st = conn.prepare_cached(sql)?;
        let mut rows = st.query(())?;
        while let Some(r) = rows.next()? {
            if let Some(k) = keys.get(r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?) {
                f(*k, r.get(1)?);
            }
        }
        Ok(())
    };
    each(
        "SELECT tenant_id, partner_id FROM tenant_partners",
        &mut |k, p| maps.partners.entry(k).or_default().push(p),
    )?;
    each(
        "SELECT tenant_id, user_id FROM assignments
         WHERE role = 'fm' AND is_primary = 1 AND service = ''",
        &mut |k, u| {
            maps.managers.insert(k, u);
        },
    )?;
    Ok(maps)
}
