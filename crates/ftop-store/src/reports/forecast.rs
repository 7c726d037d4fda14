//! The 10% and 40% forecast tabs: every forecast date of a milestone (from the rollups,
//! which keep the targets next to the dates the milestones were reached) with its status
//! on the report's day.
//!
//! A date before today still below the milestone is `overdue` (flagged); a date after
//! today already reached is `reached-before-forecast` (flagged). A date of today is due
//! today: neither past nor future, it is listed on its own (`due_today`) and carries the
//! domain's status for "today or later" (`on-track` or `reached-before-forecast`).

use super::ReportFilter;
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

impl Store {
    /// The forecast dates of milestone `m` that `f` keeps, by date, tenant and service.
    pub async fn report_forecast(
        &self,
        f: &ReportFilter,
        m: Milestone,
    ) -> Result<Vec<ForecastRow>> {
        let (target, reached) = match m {
            Milestone::Ten => ("r.target_10", "r.milestone_10"),
            Milestone::Forty => ("r.target_40", "r.milestone_40"),
        };
        let mut p = Params::new(self.backend());
        let mut cond = f.tenant_sql(&mut p, "k.tenant_id");
        cond.push_str(&f.service_sql(&mut p, "k.tenant_id", "c.service"));
        let q = format!(
            "SELECT k.tenant_id, t.name, c.service, {target}, {reached}, r.active_users, r.qualified
             FROM adoption_rollups r JOIN adoption_tenants k ON k.tkey = r.tkey
             JOIN tenants t ON t.tenant_id = k.tenant_id JOIN adoption_services c ON c.svc = r.svc
             WHERE {target} IS NOT NULL{cond}
             ORDER BY {target}, t.name, c.service"
        );
        let today = day_of(f.day());
        let rows = p.bind(sqlx::query(&q)).fetch_all(&self.pools.read).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let t: Option<i64> = r.try_get(3)?;
            let a: Option<i64> = r.try_get(4)?;
            let (Some(td), Some(target)) = (t.and_then(|v| i32::try_from(v).ok()), date_opt(t)?)
            else {
                continue;
            };
            let ad = a.and_then(|v| i32::try_from(v).ok());
            let Some(status) = forecast_status(Some(td), ad, today) else {
                continue;
            };
            let active: Option<i64> = r.try_get(5)?;
            let qualified: i64 = r.try_get(6)?;
            out.push(ForecastRow {
                tenant_id: r.try_get(0)?,
                tenant: r.try_get(1)?,
                service_key: r.try_get(2)?,
                target,
                reached: date_opt(a)?,
                au_percent: active.and_then(|x| au_percent(x, qualified)),
                status,
                due_today: td == today,
            });
        }
        Ok(out)
    }
}
