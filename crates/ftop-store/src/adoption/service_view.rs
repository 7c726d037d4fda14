//! One tenant's adoption: each service with its AU, bucket, milestones and forecasts, and
//! whether the tenant counts as a success.

use crate::adoption::model::ServiceAdoption;
use crate::adoption::rollups::{date_opt, today_day};
use crate::{Result, Store, StoreError};
use ftop_domain::TenantId;
use ftop_domain::adoption::{
    Bucket, au_percent, enablement_complete, forecast_status, intended, success,
};
pub(crate) use ftop_domain::catalogue::name_of as service_name;
use ftop_domain::taxonomy::{L1, StatusRow};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::HashMap;

/// The rollup columns a service's adoption is read from (rollups `r`, services `c`).
pub(crate) const ROLLUP_COLS: &str =
    "c.service AS service_key, r.as_of, r.active_users, r.qualified,
    r.au_bp, r.bucket, r.milestone_10, r.milestone_40, r.target_10, r.target_40";

/// A rollup row as a service's adoption.
pub(crate) fn adoption_of(
    r: &AnyRow,
    today: i32,
    tenant_seats: i64,
    intended: bool,
) -> Result<ServiceAdoption> {
    let key: String = r.try_get("service_key")?;
    let as_of: Option<i64> = r.try_get("as_of")?;
    let active: Option<i64> = r.try_get("active_users")?;
    let qualified: i64 = r.try_get("qualified")?;
    let bucket: Option<String> = r.try_get("bucket")?;
    let m10: Option<i64> = r.try_get("milestone_10")?;
    let m40: Option<i64> = r.try_get("milestone_40")?;
    let t10: Option<i64> = r.try_get("target_10")?;
    let t40: Option<i64> = r.try_get("target_40")?;
    let day = |v: Option<i64>| v.and_then(|v| i32::try_from(v).ok());
    Ok(ServiceAdoption {
        service: service_name(&key).to_string(),
        service_key: key,
        as_of: date_opt(as_of)?,
        active_users: active,
        qualified_entitlements: qualified,
        au_percent: active.and_then(|a| au_percent(a, qualified)),
        bucket: bucket.as_deref().and_then(Bucket::parse),
        milestone_10: date_opt(m10)?,
        milestone_40: date_opt(m40)?,
        target_10: date_opt(t10)?,
        target_40: date_opt(t40)?,
        forecast_10: forecast_status(day(t10), day(m10), today),
        forecast_40: forecast_status(day(t40), day(m40), today),
        enablement_complete: active.is_some_and(|a| enablement_complete(a, tenant_seats)),
        intended,
    })
}

impl Store {
    /// Every service of a tenant (held, with figures, or with a forecast) and where it
    /// stands, by service key. NotFound for an unknown tenant.
    pub async fn adoption(&self, tenant_id: &str) -> Result<Vec<ServiceAdoption>> {
        let id = TenantId::parse(tenant_id)
            .map_err(|_| StoreError::NotFound(format!("tenant {tenant_id}")))?;
        let mut tx = self.pools.read.begin().await?;
        let t = sqlx::query(sql!(self,
            "SELECT (SELECT COALESCE(MAX(s.qualified), 0) FROM tenant_services s WHERE s.tenant_id = t.tenant_id)
             FROM tenants t WHERE t.tenant_id = $1",
        ))
        .bind(id.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("tenant {id}")))?;
        let seats: i64 = t.try_get(0)?;
        let mut statuses: HashMap<String, Vec<StatusRow>> = HashMap::new();
        for r in sqlx::query(sql!(
            self,
            "SELECT service, l1, count FROM entitlement_status WHERE tenant_id = $1"
        ))
        .bind(id.as_str())
        .fetch_all(&mut *tx)
        .await?
        {
            let l1: String = r.try_get(1)?;
            let count = r.try_get::<i64, _>(2)?.max(0) as u64;
            if let Some(l1) = L1::parse(&l1) {
                statuses.entry(r.try_get(0)?).or_default().push(StatusRow {
                    l1,
                    ..StatusRow::new_entitlements(count)
                });
            }
        }
        let q = sql!(
            self,
            format!(
                "SELECT {ROLLUP_COLS} FROM adoption_rollups r JOIN adoption_services c ON c.svc = r.svc
                 WHERE r.tkey = (SELECT k.tkey FROM adoption_tenants k WHERE k.tenant_id = $1)
                 ORDER BY c.service"
            )
        );
        let rows = sqlx::query(q).bind(id.as_str()).fetch_all(&mut *tx).await?;
        tx.commit().await?;
        let today = today_day();
        rows.iter()
            .map(|r| {
                let key: String = r.try_get("service_key")?;
                let wanted = statuses.get(&key).is_some_and(|rows| intended(rows));
                adoption_of(r, today, seats, wanted)
            })
            .collect()
    }

    /// Success for a tenant: it intends to use at least one service and every service it
    /// intends to use is at or above 10% AU.
    pub async fn adoption_success(&self, tenant_id: &str) -> Result<bool> {
        let services = self.adoption(tenant_id).await?;
        Ok(success(services.iter().map(|s| (s.intended, s.bucket))))
    }
}
