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
        let mut tx = self.pools.read.begin().await?;
        let f = self.facts_in(&mut tx, tenant_id).await?;
        tx.commit().await?;
        Ok(f)
    }

    pub(crate) async fn facts_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        tenant_id: &str,
    ) -> Result<TenantFacts> {
        let t = sqlx::query(sql!(self,
            "SELECT enterprise_exception, adoption_benefit,
                (SELECT COUNT(*) FROM assignments a WHERE a.tenant_id = t.tenant_id AND a.role = 'csm') AS csm
             FROM tenants t WHERE t.tenant_id = $1",
        ))
        .bind(tenant_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("tenant {tenant_id}")))?;
        let services = sqlx::query(sql!(
            self,
            "SELECT service, qualified FROM tenant_services WHERE tenant_id = $1"
        ))
        .bind(tenant_id)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get::<String, _>(0)?,
                r.try_get::<i64, _>(1)?.max(0) as u64,
            ))
        })
        .collect::<Result<BTreeMap<_, _>>>()?;
        facts_of_row(&t, services)
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
