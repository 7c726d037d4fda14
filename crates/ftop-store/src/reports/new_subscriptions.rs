//! New subscriptions: status rows the portal created for new entitlements (consumption
//! status unknown, reason "new subscription or workload"), waiting for the delivery
//! team to classify them on the tenant's Services tab.

use super::ReportFilter;
use crate::adoption::filter::Params;
use crate::{Result, Store};
use ftop_domain::taxonomy::{L1, NEW_SUBSCRIPTION_OR_WORKLOAD};
use serde::Serialize;
use sqlx::Row;

/// A status row to classify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewSubscriptionRow {
    /// Tenant ID.
    pub tenant_id: String,
    /// Tenant name.
    pub tenant: String,
    /// Service key.
    pub service_key: String,
    /// Entitlements on the row.
    pub entitlements: i64,
}

impl Store {
    /// The unclassified new-subscription rows `f` keeps, by tenant name and service.
    pub async fn report_new_subscriptions(
        &self,
        f: &ReportFilter,
    ) -> Result<Vec<NewSubscriptionRow>> {
        let mut p = Params::new(self.backend());
        let (l1, l2) = (
            p.text(L1::StatusUnknown.key().to_string()),
            p.text(NEW_SUBSCRIPTION_OR_WORKLOAD.to_string()),
        );
        let mut cond = f.tenant_sql(&mut p, "n.tenant_id");
        cond.push_str(&f.service_sql(&mut p, "n.tenant_id", "n.service"));
        let q = format!(
            "SELECT n.tenant_id, t.name, n.service, n.count FROM entitlement_status n
             JOIN tenants t ON t.tenant_id = n.tenant_id
             WHERE n.l1 = {l1} AND n.l2 = {l2}{cond}
             ORDER BY t.name, n.service, n.position"
        );
        let rows = p.bind(sqlx::query(&q)).fetch_all(&self.pools.read).await?;
        rows.iter()
            .map(|r| {
                Ok(NewSubscriptionRow {
                    tenant_id: r.try_get(0)?,
                    tenant: r.try_get(1)?,
                    service_key: r.try_get(2)?,
                    entitlements: r.try_get(3)?,
                })
            })
            .collect()
    }
}
