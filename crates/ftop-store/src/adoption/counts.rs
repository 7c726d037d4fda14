//! The dashboard counts in SQL: per-tenant sums over the rollups the filter keeps (by
//! service, the rollups themselves), then totals of those sums per group. SQLite with a
//! file computes the same numbers by a scan instead (`sqlite/dashboard_scan/`).

use crate::Result;
use crate::adoption::filter::{Params, Selection, status_sql};
use crate::adoption::model::{AdoptionCounts, DateWindow, ForecastCounts};
use crate::db::Backend;
use crate::engagement::people::primary_manager;
use ftop_domain::adoption::{ForecastStatus, Milestone, day_of};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::fmt::Write as _;

/// Counts by group key (None: totals, no partner, unassigned).
pub(crate) type Groups = Vec<(Option<i64>, AdoptionCounts)>;

/// A grouping of the counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Grouping {
    Totals,
    Service,
    Partner,
    Manager,
}

/// Column suffixes of the forecast sums, in [`ForecastStatus::ALL`] order.
const STATUS_COLS: [&str; 5] = ["me", "ml", "od", "ot", "rb"];

/// The counts of grouping `g` of the rollups `sel` keeps, as a query with its values.
pub(crate) fn grouped_sql(
    sel: &Selection,
    window: DateWindow,
    g: Grouping,
    backend: Backend,
) -> (String, Params) {
    let mut p = Params::new(backend);
    let mut today = None;
    let cond = sel.where_sql(&mut p, &mut today);
    let today = today.unwrap_or_else(|| p.int(i64::from(sel.today)));
    let (wfrom, wto) = (
        p.int(i64::from(day_of(window.from))),
        p.int(i64::from(day_of(window.to))),
    );
    // By service each inner group would be one rollup ((tkey, svc) is its key): the rows
    // are summed as they are, without a grouping of every pair (which PostgreSQL spilled
    // to disk: 445 ms against 91 ms for the totals at 100,000 rollups, BENCHMARKS.md B5).
    let per_row = g == Grouping::Service;
    let sum = |e: &str| {
        if per_row {
            e.to_string()
        } else {
            format!("SUM({e})")
        }
    };
    let flag = |c: &str| sum(&format!("CASE WHEN {c} THEN 1 ELSE 0 END"));
    let columns = [
        (
            if per_row { "1" } else { "COUNT(*)" }.to_string(),
            "services",
        ),
        (flag("r.qualified > 0"), "engaged"),
        (flag("r.as_of IS NULL"), "no_data"),
        (flag("r.bucket IS NULL"), "undefined"),
        (flag("r.bucket = 'below-10'"), "below_10"),
        (flag("r.bucket = '10-40'"), "from_10_to_40"),
        (flag("r.bucket = '40-plus'"), "from_40"),
        (flag("r.milestone_10 IS NOT NULL"), "reached_10"),
        (flag("r.milestone_40 IS NOT NULL"), "reached_40"),
        (
            flag(&format!(
                "r.milestone_10 >= {wfrom} AND r.milestone_10 <= {wto}"
            )),
            "w10",
        ),
        (
            flag(&format!(
                "r.milestone_40 >= {wfrom} AND r.milestone_40 <= {wto}"
            )),
            "w40",
        ),
    ];
    let svc = if per_row { "r.svc" } else { "0" };
    let mut inner = format!("SELECT r.tkey AS tkey, {svc} AS svc");
    for (e, name) in &columns {
        let _ = write!(inner, ",\n            {e} AS {name}");
    }
    let outer_sums = forecast_sums(&mut inner, &today, &flag);
    let _ = write!(inner, "\n         FROM adoption_rollups r WHERE {cond}");
    if !per_row {
        inner.push_str(" GROUP BY r.tkey");
    }
    let (gkey, joins, outer_group) = outer_grouping(g);
    let sql = format!(
        "SELECT {gkey} AS gkey, COUNT(*) AS tenants,
            CAST(SUM(CASE WHEN x.engaged > 0 THEN 1 ELSE 0 END) AS BIGINT) AS tenants_engaged,
            CAST(SUM(CASE WHEN x.reached_10 > 0 THEN 1 ELSE 0 END) AS BIGINT) AS tenants_reached_10,
            CAST(SUM(CASE WHEN x.reached_40 > 0 THEN 1 ELSE 0 END) AS BIGINT) AS tenants_reached_40,
            CAST(SUM(x.services) AS BIGINT) AS services, CAST(SUM(x.engaged) AS BIGINT) AS engaged,
            CAST(SUM(x.no_data) AS BIGINT) AS no_data, CAST(SUM(x.undefined) AS BIGINT) AS undefined,
            CAST(SUM(x.below_10) AS BIGINT) AS below_10,
            CAST(SUM(x.from_10_to_40) AS BIGINT) AS from_10_to_40,
            CAST(SUM(x.from_40) AS BIGINT) AS from_40,
            CAST(SUM(x.reached_10) AS BIGINT) AS reached_10, CAST(SUM(x.reached_40) AS BIGINT) AS reached_40,
            CAST(SUM(x.w10) AS BIGINT) AS w10, CAST(SUM(x.w40) AS BIGINT) AS w40{outer_sums}
         FROM ({inner}) x {joins}{outer_group}"
    );
    (sql, p)
}

/// The forecast-status sums of every milestone (each `flag` of its condition): appended to
/// the inner query's columns; returns the outer query's sums of them.
fn forecast_sums(inner: &mut String, today: &str, flag: &dyn Fn(&str) -> String) -> String {
    let mut outer_sums = String::new();
    for m in Milestone::ALL {
        let status = status_sql(m, today);
        for (s, col) in ForecastStatus::ALL.iter().zip(STATUS_COLS) {
            let name = format!("f{}_{col}", m.key());
            let _ = write!(
                inner,
                ",\n            {} AS {name}",
                flag(&format!("{status} = '{}'", s.key()))
            );
            let _ = write!(outer_sums, ", CAST(SUM(x.{name}) AS BIGINT) AS {name}");
        }
    }
    outer_sums
}

/// The outer query's group key, joins and GROUP BY for grouping `g`.
fn outer_grouping(g: Grouping) -> (&'static str, &'static str, &'static str) {
    match g {
        Grouping::Totals => ("CAST(NULL AS BIGINT)", "", ""),
        Grouping::Service => ("x.svc", "", " GROUP BY x.svc"),
        Grouping::Partner => (
            "p.partner_id",
            "JOIN adoption_tenants k ON k.tkey = x.tkey \
             LEFT JOIN tenant_partners p ON p.tenant_id = k.tenant_id",
            " GROUP BY p.partner_id",
        ),
        Grouping::Manager => (
            "a.user_id",
            concat!(
                "JOIN adoption_tenants k ON k.tkey = x.tkey \
                 LEFT JOIN assignments a ON a.tenant_id = k.tenant_id AND ",
                primary_manager!("a")
            ),
            " GROUP BY a.user_id",
        ),
    }
}

/// The counts of one row of a grouped query.
pub(crate) fn counts_of(r: &AnyRow) -> Result<AdoptionCounts> {
    let g = |c: &str| -> Result<i64> { Ok(r.try_get::<Option<i64>, _>(c)?.unwrap_or(0)) };
    let f = |m: &str| -> Result<ForecastCounts> {
        let c = |s: &str| g(&format!("f{m}_{s}"));
        Ok(ForecastCounts {
            met_early: c("me")?,
            met_late: c("ml")?,
            overdue: c("od")?,
            on_track: c("ot")?,
            reached_before_forecast: c("rb")?,
        })
    };
    Ok(AdoptionCounts {
        services: g("services")?,
        engaged: g("engaged")?,
        no_data: g("no_data")?,
        undefined: g("undefined")?,
        below_10: g("below_10")?,
        from_10_to_40: g("from_10_to_40")?,
        from_40: g("from_40")?,
        reached_10: g("reached_10")?,
        reached_40: g("reached_40")?,
        reached_10_in_window: g("w10")?,
        reached_40_in_window: g("w40")?,
        forecast_10: f("10")?,
        forecast_40: f("40")?,
        tenants: g("tenants")?,
        tenants_engaged: g("tenants_engaged")?,
        tenants_reached_10: g("tenants_reached_10")?,
        tenants_reached_40: g("tenants_reached_40")?,
    })
}
