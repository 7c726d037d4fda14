//! SQLite fast path of the usage reports (BENCHMARKS.md, B10): the same numbers as the
//! grouped SQL of `reports/usage.rs` and the milestone counts of `reports/milestones.rs`,
//! added up in Rust over one key-ordered scan of the rollups (the latest figures) or of
//! the month rows (the trend) on two threads, instead of the engine's dozen `CASE` sums
//! over every row (several seconds at 1,000,000 rollups). Each row adds
//! [`contribution`] (the same sums the monthly totals keep) to its service, its scenario
//! and the total, or to its month; tenants are counted as the scan passes from one tenant
//! key to the next.
//!
//! Tenant filters become the tenant keys they keep, read first; the service and the
//! scenario are checked per rollup. The filters that name delivery teams or status rows
//! are left to the SQL (the caller's fallback).

use crate::Result;
use crate::adoption::filter::Params;
use crate::adoption::months::contribution;
use crate::reports::scenario_index;
use crate::reports::usage_sums::UsageTallies;
use crate::sqlite::SqliteSide;
use crate::sqlite::dashboard_scan::key_range;
use crate::sqlite::keyhash::KeyMap;
use ftop_domain::EngagementScenario;
use rusqlite::Connection;

/// What one scan keeps and counts.
#[derive(Debug, Clone, Default)]
pub(crate) struct UsageScanFilter {
    /// Only the tenant keys this query (with its values) selects.
    pub(crate) tenants: Option<(String, Params)>,
    /// Only this service (catalogue key).
    pub(crate) service: Option<String>,
    /// Only rollups with this effective scenario.
    pub(crate) scenario: Option<EngagementScenario>,
    /// Count by scenario too.
    pub(crate) by_scenario: bool,
    /// Scan the month rows (each pair's last figure of each month) and count by month,
    /// instead of the latest figures.
    pub(crate) months: bool,
}

/// The scenarios written for (tenant key, service key); a missing pair has the default.
/// `None`: a stored value this version does not know (counted under no scenario).
type Scenarios = KeyMap<(i64, i64), Option<usize>>;

/// The latest figures (a month column for the same shape as [`MONTH_ROWS`]).
const ROWS: &str = "SELECT tkey, svc, active_users, qualified, 0 FROM adoption_rollups
    WHERE as_of IS NOT NULL AND active_users IS NOT NULL";
/// The month rows.
const MONTH_ROWS: &str =
    "SELECT tkey, svc, active_users, qualified, month FROM usage_months WHERE 1 = 1";

/// The tallies of the rows `f` keeps: the rollups with a figure, or the month rows.
pub(crate) fn tallies(side: &SqliteSide, f: &UsageScanFilter) -> Result<UsageTallies> {
    side.with_reader(|conn| {
        let svc = match &f.service {
            Some(s) => Some(conn.query_row(
                "SELECT COALESCE((SELECT svc FROM adoption_services WHERE service = ?1), -1)",
                [s],
                |r| r.get::<_, i64>(0),
            )?),
            None => None,
        };
        let scenarios = if f.by_scenario || f.scenario.is_some() {
            Some(scenarios(conn)?)
        } else {
            None
        };
        let want = f.scenario.and_then(|s| scenario_index(s.key()));
        let pass = Pass {
            rows: if f.months { MONTH_ROWS } else { ROWS },
            months: f.months,
            svc,
            scenarios: scenarios.as_ref(),
            want_scenario: f.scenario.map(|_| want),
            by_scenario: f.by_scenario,
        };
        match &f.tenants {
            Some((q, p)) => {
                let mut st = conn.prepare(q)?;
                let keys = st.query_map(rusqlite::params_from_iter(p.rusqlite_values()), |r| {
                    r.get::<_, i64>(0)
                })?;
                let mut keys: Vec<i64> = keys.collect::<rusqlite::Result<_>>()?;
                keys.sort_unstable();
                keys.dedup();
                pass.keys(conn, &keys)
            }
            None => pass.whole(side, conn),
        }
    })
}

/// Every written scenario, by (tenant key, service key).
fn scenarios(conn: &Connection) -> Result<Scenarios> {
    let mut st = conn.prepare(
        "SELECT k.tkey, c.svc, d.scenario FROM service_delivery d
         JOIN adoption_tenants k ON k.tenant_id = d.tenant_id
         JOIN adoption_services c ON c.service = d.service",
    )?;
    let mut rows = st.query(())?;
    let mut out = Scenarios::default();
    while let Some(r) = rows.next()? {
        let key: String = r.get(2)?;
        out.insert((r.get(0)?, r.get(1)?), scenario_index(&key));
    }
    Ok(out)
}

/// One scan's settings.
struct Pass<'a> {
    /// The statement's head ([`ROWS`] or [`MONTH_ROWS`]).
    rows: &'static str,
    /// Count by month.
    months: bool,
    svc: Option<i64>,
    scenarios: Option<&'a Scenarios>,
    /// Some: only rollups whose scenario is this index (None: a scenario never matched).
    want_scenario: Option<Option<usize>>,
    by_scenario: bool,
}

impl Pass<'_> {
    /// Adds the rows of `rows` to `out`.
    fn add_rows(&self, rows: &mut rusqlite::Rows<'_>, out: &mut UsageTallies) -> Result<()> {
        let default = scenario_index(EngagementScenario::DEFAULT.key());
        while let Some(r) = rows.next()? {
            let (tkey, svc): (i64, i64) = (r.get(0)?, r.get(1)?);
            let (active, qualified): (i64, i64) = (r.get(2)?, r.get(3)?);
            let scenario = match self.scenarios {
                Some(m) => m.get(&(tkey, svc)).copied().unwrap_or(default),
                None => None,
            };
            if let Some(w) = self.want_scenario
                && (w.is_none() || scenario != w)
            {
                continue;
            }
            let c = contribution(active, qualified);
            if self.months {
                let month: i64 = r.get(4)?;
                out.by_month.entry(month).or_default().add(tkey, &c);
                continue;
            }
            out.total.add(tkey, &c);
            out.by_service.entry(svc).or_default().add(tkey, &c);
            if self.by_scenario
                && let Some(s) = scenario
            {
                out.by_scenario.entry(s).or_default().add(tkey, &c);
            }
        }
        Ok(())
    }

    fn svc_cond(&self) -> &'static str {
        if self.svc.is_some() {
            " AND svc = ?3"
        } else {
            ""
        }
    }

    /// The rollups of tenant keys `from..to`.
    fn range(&self, conn: &Connection, from: i64, to: i64) -> Result<UsageTallies> {
        let sql = format!(
            "{} AND tkey >= ?1 AND tkey < ?2{}",
            self.rows,
            self.svc_cond()
        );
        let mut st = conn.prepare_cached(&sql)?;
        let mut rows = match self.svc {
            Some(s) => st.query((from, to, s))?,
            None => st.query((from, to))?,
        };
        let mut out = UsageTallies::default();
        self.add_rows(&mut rows, &mut out)?;
        Ok(out)
    }

    /// The whole table: two threads over halves of the tenant keys.
    fn whole(&self, side: &SqliteSide, conn: &Connection) -> Result<UsageTallies> {
        let table = if self.months {
            "usage_months"
        } else {
            "adoption_rollups"
        };
        let (lo, hi) = key_range(conn, table)?;
        let mid = lo + (hi - lo) / 2 + 1;
        std::thread::scope(|s| -> Result<UsageTallies> {
            let other = s.spawn(|| side.with_reader(|c| self.range(c, lo, mid)));
            let mut mine = self.range(conn, mid, hi.saturating_add(1))?;
            let theirs = other.join().map_err(|_| {
                crate::StoreError::Internal("usage report scan thread failed".into())
            })??;
            mine.merge(&theirs);
            Ok(mine)
        })
    }

    /// Only the rollups of `keys` (sorted).
    fn keys(&self, conn: &Connection, keys: &[i64]) -> Result<UsageTallies> {
        let sql = format!("{} AND tkey = ?1 AND ?2 = ?2{}", self.rows, self.svc_cond());
        let mut st = conn.prepare_cached(&sql)?;
        let mut out = UsageTallies::default();
        for &k in keys {
            let mut rows = match self.svc {
                Some(s) => st.query((k, 0, s))?,
                None => st.query((k, 0))?,
            };
            self.add_rows(&mut rows, &mut out)?;
        }
        Ok(out)
    }
}
