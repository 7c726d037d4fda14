//! The 10% and 40% forecast tabs: every forecast date of a milestone (from the rollups,
//! which keep the targets next to the dates the milestones were reached) with its status
//! on the report's day.
//!
//! A date before today still below the milestone is `overdue` (flagged); a date after
//! today already reached is `reached-before-forecast` (flagged). A date of today is due
//! today: neither past nor future, it is listed on its own (`due_today`) and carries the
//! domain's status for "today or later" (`on-track` or `reached-before-forecast`).

use super::memo;
use super::{Page, Paged, ReportFilter};
use crate::adoption::filter::Params;
use crate::adoption::rollups::date_opt;
use crate::{Result, Store};
use ftop_domain::adoption::{
    ForecastStatus, Milestone, au_percent, day_of, forecast_status, iso_date,
};
use serde::Serialize;
use sqlx::Row;
use time::Date;

/// One forecast date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForecastRow {
    /// Tenant ID.
    pub tenant_id: String,
    /// Tenant name.
    pub tenant: String,
    /// Service key.
    pub service_key: String,
    /// The forecast date.
    #[serde(with = "iso_date")]
    pub target: Date,
    /// When the milestone was first reached (None: not yet).
    #[serde(with = "iso_date::option")]
    pub reached: Option<Date>,
    /// AU% of the latest figure.
    pub au_percent: Option<f64>,
    /// The forecast against what happened, on the report's day.
    pub status: ForecastStatus,
    /// The forecast date is the report's day.
    pub due_today: bool,
}

/// The forecast dates of one day, counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForecastDay {
    /// The forecast date.
    #[serde(with = "iso_date")]
    pub target: Date,
    /// Forecast dates that day.
    pub forecasts: i64,
    /// Of which passed (before the report's day) and not reached.
    pub overdue: i64,
    /// Of which still ahead (after the report's day) and already reached.
    pub reached_early: i64,
}

/// The target and reached columns of milestone `m`.
fn columns(m: Milestone) -> (&'static str, &'static str) {
    match m {
        Milestone::Ten => ("r.target_10", "r.milestone_10"),
        Milestone::Forty => ("r.target_40", "r.milestone_40"),
    }
}

/// The rollups with a forecast date of `m` (within `days`, both ends included, when
/// given) that `f` keeps: the `FROM ... WHERE`, joining the tenant keys (`k`), the
/// tenants (`t`) and the services (`c`) when `names` (the rows) or a filter needs them,
/// so that an unfiltered count reads the index of the forecast dates alone.
fn from_where(
    f: &ReportFilter,
    m: Milestone,
    days: Option<(Date, Date)>,
    p: &mut Params,
    names: bool,
) -> String {
    let (target, _) = columns(m);
    let mut cond = f.tenant_sql(p, "k.tenant_id");
    cond.push_str(&f.service_sql(p, "k.tenant_id", "c.service"));
    if let Some((from, to)) = days {
        let (a, b) = (p.int(i64::from(day_of(from))), p.int(i64::from(day_of(to))));
        cond.push_str(&format!(" AND {target} >= {a} AND {target} <= {b}"));
    }
    let join = if names {
        " JOIN adoption_tenants k ON k.tkey = r.tkey JOIN tenants t ON t.tenant_id = k.tenant_id
         JOIN adoption_services c ON c.svc = r.svc"
    } else if f.has_tenant_filters() || f.has_service_filters() {
        " JOIN adoption_tenants k ON k.tkey = r.tkey JOIN adoption_services c ON c.svc = r.svc"
    } else {
        ""
    };
    format!("FROM adoption_rollups r{join} WHERE {target} IS NOT NULL{cond}")
}

impl Store {
    /// The forecast dates of milestone `m` that `f` keeps, by date, tenant and service.
    pub async fn report_forecast(
        &self,
        f: &ReportFilter,
        m: Milestone,
    ) -> Result<Vec<ForecastRow>> {
        Ok(self.report_forecast_page(f, m, None, Page::ALL).await?.rows)
    }

    /// A page of the forecast dates of milestone `m` that `f` keeps (within `days`, both
    /// ends included, when given), by date, tenant and service, and how many there are.
    pub async fn report_forecast_page(
        &self,
        f: &ReportFilter,
        m: Milestone,
        days: Option<(Date, Date)>,
        page: Page,
    ) -> Result<Paged<ForecastRow>> {
        let f = &f.pinned();
        self.memo_page(
            page,
            || memo::key("report_forecast_page", f, (m, days, page)),
            || self.read_forecast_page(f, m, days, page),
        )
        .await
    }

    async fn read_forecast_page(
        &self,
        f: &ReportFilter,
        m: Milestone,
        days: Option<(Date, Date)>,
        page: Page,
    ) -> Result<Paged<ForecastRow>> {
        let (target, reached) = columns(m);
        let mut cp = Params::new(self.backend());
        let count = format!("SELECT COUNT(*) {}", from_where(f, m, days, &mut cp, false));
        let mut p = Params::new(self.backend());
        let from = from_where(f, m, days, &mut p, true);
        let lim = page.sql(&mut p);
        let q = format!(
            "SELECT k.tenant_id, t.name, c.service, {target}, {reached}, r.active_users, r.qualified
             {from} ORDER BY {target}, t.name, c.service{lim}"
        );
        let today = day_of(f.day());
        self.paged((q, p), (count, cp).into(), page, |r| {
            let t: Option<i64> = r.try_get(3)?;
            let a: Option<i64> = r.try_get(4)?;
            let (Some(td), Some(target)) = (t.and_then(|v| i32::try_from(v).ok()), date_opt(t)?)
            else {
                return Ok(None);
            };
            let ad = a.and_then(|v| i32::try_from(v).ok());
            let Some(status) = forecast_status(Some(td), ad, today) else {
                return Ok(None);
            };
            let active: Option<i64> = r.try_get(5)?;
            let qualified: i64 = r.try_get(6)?;
            Ok(Some(ForecastRow {
                tenant_id: r.try_get(0)?,
                tenant: r.try_get(1)?,
                service_key: r.try_get(2)?,
                target,
                reached: date_opt(a)?,
                au_percent: active.and_then(|x| au_percent(x, qualified)),
                status,
                due_today: td == today,
            }))
        })
        .await
    }

    /// The forecast dates of milestone `m` that `f` keeps, counted by day (in order),
    /// with the overdue and the reached-early among them on `f`'s day.
    pub async fn report_forecast_days(
        &self,
        f: &ReportFilter,
        m: Milestone,
    ) -> Result<Vec<ForecastDay>> {
        let f = &f.pinned();
        self.memo(memo::key("report_forecast_days", f, m), || {
            self.read_forecast_days(f, m)
        })
        .await
    }

    async fn read_forecast_days(&self, f: &ReportFilter, m: Milestone) -> Result<Vec<ForecastDay>> {
        let (target, reached) = columns(m);
        let mut p = Params::new(self.backend());
        let today = p.int(i64::from(day_of(f.day())));
        let from = from_where(f, m, None, &mut p, false);
        let q = format!(
            "SELECT {target}, COUNT(*),
                SUM(CASE WHEN {reached} IS NULL AND {target} < {today} THEN 1 ELSE 0 END),
                SUM(CASE WHEN {reached} IS NOT NULL AND {reached} <= {target} AND {target} > {today} THEN 1 ELSE 0 END)
             {from} GROUP BY {target} ORDER BY {target}"
        );
        let rows = p.bind(sqlx::query(&q)).fetch_all(&self.pools.read).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let Some(target) = date_opt(r.try_get(0)?)? else {
                continue;
            };
            out.push(ForecastDay {
                target,
                forecasts: r.try_get(1)?,
                overdue: r.try_get(2)?,
                reached_early: r.try_get(3)?,
            });
        }
        Ok(out)
    }
}
