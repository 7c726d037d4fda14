//! Reading tenants: one by ID, and pages of those matching a filter.

use super::{Tenant, TenantFilter, TenantSort, TenantSummary, summary_of};
use crate::{Result, Store, StoreError};
use ftop_domain::TenantId;
use sqlx::Row;

const TENANT_LIST: &str = "SELECT t.tenant_id, t.name, c.name AS customer, t.overall_status, t.priority, t.active,
        (SELECT COUNT(*) FROM tenant_services s WHERE s.tenant_id = t.tenant_id) AS services,
        (SELECT COALESCE(MAX(s.qualified), 0) FROM tenant_services s WHERE s.tenant_id = t.tenant_id) AS seats,
        (SELECT COUNT(*) FROM assignments a WHERE a.tenant_id = t.tenant_id) AS assignees
     FROM tenants t JOIN customers c ON c.id = t.customer_id";

const TENANT_WHERE: &str = "WHERE ($1 IS NULL OR LOWER(t.name) LIKE $1 ESCAPE '\\' OR t.tenant_id LIKE $1 ESCAPE '\\' OR LOWER(c.name) LIKE $1 ESCAPE '\\')
       AND ($2 IS NULL OR t.tenant_id IN (SELECT a.tenant_id FROM assignments a WHERE a.user_id = $2))
       AND ($3 IS NULL OR t.tenant_id IN (SELECT p.tenant_id FROM tenant_partners p WHERE p.partner_id = $3))
       AND ($4 IS NULL OR t.active = $4)";

/// One page of the tenants matching the filter, in an order (`ORDER BY ...`): the text
/// for `$store`'s engine.
macro_rules! tenant_page {
    ($store:expr, $order:literal) => {
        sql!(
            $store,
            format!("{TENANT_LIST} {TENANT_WHERE} {} LIMIT $5 OFFSET $6", $order)
        )
    };
}

impl Store {
    /// One tenant with its services.
    pub async fn tenant(&self, tenant_id: &str) -> Result<Tenant> {
        let id = TenantId::parse(tenant_id)
            .map_err(|_| StoreError::NotFound(format!("tenant {tenant_id}")))?;
        let r =
            sqlx::query(sql!(self,
            "SELECT t.*, c.name AS customer FROM tenants t JOIN customers c ON c.id = t.customer_id
             WHERE t.tenant_id = $1",
        ))
            .bind(id.as_str())
            .fetch_optional(&self.pools.read)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("tenant {id}")))?;
        let services = self.service_lines(id.as_str()).await?;
        crate::engagement::viewing::tenant_of(&r, services)
    }

    /// Tenants matching a filter, by name.
    pub async fn tenants(&self, f: &TenantFilter) -> Result<Vec<TenantSummary>> {
        let search = f.search.as_deref().map(crate::sql::like).transpose()?;
        let q = match (f.sort, f.descending) {
            (TenantSort::Name, false) => tenant_page!(self, "ORDER BY t.name"),
            (TenantSort::Name, true) => tenant_page!(self, "ORDER BY t.name DESC"),
            (TenantSort::Customer, false) => tenant_page!(self, "ORDER BY c.name, t.name"),
            (TenantSort::Customer, true) => tenant_page!(self, "ORDER BY c.name DESC, t.name"),
            (TenantSort::Status, false) => tenant_page!(self, "ORDER BY t.overall_status, t.name"),
            (TenantSort::Status, true) => {
                tenant_page!(self, "ORDER BY t.overall_status DESC, t.name")
            }
            (TenantSort::Seats, false) => tenant_page!(self, "ORDER BY seats, t.name"),
            (TenantSort::Seats, true) => tenant_page!(self, "ORDER BY seats DESC, t.name"),
        };
        let rows = sqlx::query(q)
            .bind(search)
            .bind(f.assigned_to)
            .bind(f.partner_id)
            .bind(f.active.map(i64::from))
            .bind(f.limit.unwrap_or(100))
            .bind(f.offset.unwrap_or(0))
            .fetch_all(&self.pools.read)
            .await?;
        rows.iter().map(summary_of).collect()
    }

    /// Number of tenants matching a filter (its limit and offset ignored).
    pub async fn tenant_matches(&self, f: &TenantFilter) -> Result<i64> {
        let search = f.search.as_deref().map(crate::sql::like).transpose()?;
        let q = sql!(
            self,
            format!(
                "SELECT COUNT(*) FROM tenants t JOIN customers c ON c.id = t.customer_id {TENANT_WHERE}"
            )
        );
        let r = sqlx::query(q)
            .bind(search)
            .bind(f.assigned_to)
            .bind(f.partner_id)
            .bind(f.active.map(i64::from))
            .fetch_one(&self.pools.read)
            .await?;
        Ok(r.try_get(0)?)
    }

    /// Number of tenants.
    pub async fn tenant_count(&self) -> Result<i64> {
        let r = sqlx::query("SELECT COUNT(*) FROM tenants")
            .fetch_one(&self.pools.read)
            .await?;
        Ok(r.try_get(0)?)
    }
}
