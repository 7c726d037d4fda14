//! The facts of a tenant that decide which playbook tasks apply: its entitled services
//! with their seats, whether it has a CSM, and its exception and benefit flags.

use crate::sqlite::local::Cols;
use crate::{Result, Store, StoreError};
use ftop_domain::instance::TenantFacts;
use sqlx::Row;
use std::collections::BTreeMap;

impl Store {
    /// What instantiation needs to know about a tenant.
    pub async fn facts(&self, tenant_id: &str) -> Result<TenantFacts> {
        let mut c = self.pools.read.acquire().await?;
        self.facts_in(&mut c, tenant_id).await
    }

    /// [`Store::facts`] on a connection (a transaction's, when the facts must agree with
    /// what it writes).
    pub(crate) async fn facts_in(
        &self,
        conn: &mut sqlx::AnyConnection,
        tenant_id: &str,
    ) -> Result<TenantFacts> {
        // One statement (a row per service; one with no service when there is none): this
        // runs inside every task change.
        let rows = sqlx::query(sql!(self,
            "SELECT t.enterprise_exception, t.adoption_benefit,
                (SELECT COUNT(*) FROM assignments a WHERE a.tenant_id = t.tenant_id AND a.role = 'csm') AS csm,
                s.service, s.qualified
             FROM tenants t LEFT JOIN tenant_services s ON s.tenant_id = t.tenant_id
             WHERE t.tenant_id = $1",
        ))
        .bind(tenant_id)
        .fetch_all(&mut *conn)
        .await?;
        let t = rows
            .first()
            .ok_or_else(|| StoreError::NotFound(format!("tenant {tenant_id}")))?;
        let mut services = BTreeMap::new();
        for r in &rows {
            if let Some(service) = r.try_get::<Option<String>, _>("service")? {
                let seats: i64 = r.try_get("qualified")?;
                services.insert(service, seats.max(0) as u64);
            }
        }
        facts_of_row(t, services)
    }
}

/// The playbook facts from a row with the columns `csm` (a count of CSM assignments),
/// `enterprise_exception` and `adoption_benefit`, and the tenant's services.
pub(crate) fn facts_of_row(r: &impl Cols, services: BTreeMap<String, u64>) -> Result<TenantFacts> {
    Ok(TenantFacts {
        services,
        csm: r.int("csm")? > 0,
        enterprise_exception: r.int("enterprise_exception")? != 0,
        adoption_benefit: r.int("adoption_benefit")? != 0,
    })
}
