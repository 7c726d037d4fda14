//! The series behind trend charts: a tenant's figures of one service.

use crate::adoption::rollups::date_col;
use crate::{Result, Store};
use ftop_domain::TenantId;
use ftop_domain::adoption::au_percent;
use ftop_domain::catalogue::service as find_service;
use serde::Serialize;
use sqlx::Row;

/// One point of a usage trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UsagePoint {
    /// Date of the figure.
    #[serde(with = "ftop_domain::adoption::iso_date")]
    pub date: time::Date,
    /// Active users in the 28 days up to it.
    pub active_users: i64,
    /// Qualified seats in effect that day.
    pub qualified: i64,
    /// AU% (two decimals); None without seats.
    pub au_percent: Option<f64>,
}

impl Store {
    /// The usage figures of a tenant's service, oldest first, for trend charts.
    pub async fn usage_series(&self, tenant_id: &str, service: &str) -> Result<Vec<UsagePoint>> {
        let id = TenantId::parse(tenant_id)?;
        let key = find_service(service).map_or(service, |s| s.key);
        let rows = sqlx::query(sql!(self,
            "SELECT CAST(u.day AS BIGINT), CAST(u.active_users AS BIGINT), CAST(u.qualified AS BIGINT)
             FROM usage_figures u
             WHERE u.tkey = (SELECT k.tkey FROM adoption_tenants k WHERE k.tenant_id = $1)
               AND u.svc = (SELECT c.svc FROM adoption_services c WHERE c.service = $2)
             ORDER BY u.day",
        ))
        .bind(id.as_str())
        .bind(key)
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter()
            .map(|r| {
                let (a, q): (i64, i64) = (r.try_get(1)?, r.try_get(2)?);
                Ok(UsagePoint {
                    date: date_col(r.try_get(0)?)?,
                    active_users: a,
                    qualified: q,
                    au_percent: au_percent(a, q),
                })
            })
            .collect()
    }
}
