//! Performance by usage milestone: every (tenant, service) with a usage figure, its AU
//! and how many more active users it needs to reach 10% and 40%.

use super::ReportFilter;
use crate::adoption::filter::Params;
use crate::adoption::rollups::date_opt;
use crate::{Result, Store};
use ftop_domain::adoption::{Bucket, au_percent, iso_date, users_to_reach};
use serde::Serialize;
use sqlx::Row;
use time::Date;

/// One (tenant, service) with usage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MilestoneRow {
    /// Tenant ID.
    pub tenant_id: String,
    /// Tenant name.
    pub tenant: String,
    /// Service key.
    pub service_key: String,
    /// Day of the latest usage figure.
    #[serde(with = "iso_date")]
    pub as_of: Date,
    /// Active users that day.
    pub active_users: i64,
    /// Qualified seats in effect that day.
    pub qualified_entitlements: i64,
    /// AU%, two decimals; None without qualified seats.
    pub au_percent: Option<f64>,
    /// AU bucket; None without qualified seats.
    pub bucket: Option<Bucket>,
    /// More active users needed for 10% (0 once there, or without seats).
    pub needed_10: i64,
    /// More active users needed for 40%.
    pub needed_40: i64,
}

impl Store {
    /// Every (tenant, service) with a usage figure that `f` keeps (and, when given, in
    /// `bucket`: `Some(None)` is AU undefined), by tenant name and service.
    pub async fn report_milestones(
        &self,
        f: &ReportFilter,
        bucket: Option<Option<Bucket>>,
    ) -> Result<Vec<MilestoneRow>> {
        let mut p = Params::new(self.backend());
        let mut cond = f.tenant_sql(&mut p, "k.tenant_id");
        cond.push_str(&f.service_sql(&mut p, "k.tenant_id", "c.service"));
        match bucket {
            Some(Some(b)) => {
                cond.push_str(&format!(" AND r.bucket = {}", p.text(b.key().to_string())));
            }
            Some(None) => cond.push_str(" AND r.bucket IS NULL"),
            None => {}
        }
        let q = format!(
            "SELECT k.tenant_id, t.name, c.service, r.as_of, r.active_users, r.qualified, r.bucket
             FROM adoption_rollups r JOIN adoption_tenants k ON k.tkey = r.tkey
             JOIN tenants t ON t.tenant_id = k.tenant_id JOIN adoption_services c ON c.svc = r.svc
             WHERE r.as_of IS NOT NULL AND r.active_users IS NOT NULL{cond}
             ORDER BY t.name, c.service"
        );
        let rows = p.bind(sqlx::query(&q)).fetch_all(&self.pools.read).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let Some(as_of) = date_opt(r.try_get(3)?)? else {
                continue;
            };
            let active: i64 = r.try_get(4)?;
            let qualified: i64 = r.try_get(5)?;
            let bucket: Option<String> = r.try_get(6)?;
            let needed = |m: i64| {
                if qualified > 0 {
                    users_to_reach(active, qualified, m)
                } else {
                    0
                }
            };
            out.push(MilestoneRow {
                tenant_id: r.try_get(0)?,
                tenant: r.try_get(1)?,
                service_key: r.try_get(2)?,
                as_of,
                active_users: active,
                qualified_entitlements: qualified,
                au_percent: au_percent(active, qualified),
                bucket: bucket.as_deref().and_then(Bucket::parse),
                needed_10: needed(10),
                needed_40: needed(40),
            });
        }
        Ok(out)
    }
}
