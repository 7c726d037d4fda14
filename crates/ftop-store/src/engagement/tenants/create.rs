//! Writing a new tenant: its customer (found or created), the tenant row, its service
//! lines with their first status rows, and the audit entries.

use super::check::{Valid, validate_new};
use super::{NewTenant, Tenant};
use crate::audit::Change;
use crate::{Actor, Result, Store};
use ftop_domain::taxonomy::rebalance;
use ftop_domain::{FieldError, Invalid};
use serde_json::json;
use sqlx::{Any, Row, Transaction};

/// The audit entry's `after` of a created tenant (the COPY path writes the same).
pub(super) fn created_after(v: &Valid) -> serde_json::Value {
    json!({"name": v.name, "customer": v.customer,
        "services": v.services.iter().map(|(s, t, q)| json!({"service": s, "entitlements": t, "qualified": q})).collect::<Vec<_>>()})
}

impl Store {
    pub(super) async fn customer_id(
        &self,
        tx: &mut Transaction<'_, Any>,
        name: &str,
    ) -> Result<i64> {
        if let Some(r) = sqlx::query(sql!(self, "SELECT id FROM customers WHERE name = $1"))
            .bind(name)
            .fetch_optional(&mut **tx)
            .await?
        {
            return Ok(r.try_get(0)?);
        }
        let r = sqlx::query(sql!(
            self,
            "INSERT INTO customers (name, created_at) VALUES ($1, $2) RETURNING id"
        ))
        .bind(name)
        .bind(crate::now())
        .fetch_one(&mut **tx)
        .await?;
        Ok(r.try_get(0)?)
    }

    pub(crate) async fn insert_service(
        &self,
        tx: &mut Transaction<'_, Any>,
        tenant: &str,
        service: &str,
        total: i64,
        qualified: i64,
    ) -> Result<()> {
        sqlx::query(sql!(
            self,
            "INSERT INTO tenant_services (tenant_id, service, entitlements, qualified, version)
             VALUES ($1, $2, $3, $4, 1)",
        ))
        .bind(tenant)
        .bind(service)
        .bind(total)
        .bind(qualified)
        .execute(&mut **tx)
        .await?;
        let rows = rebalance(&[], total.max(0) as u64);
        self.insert_status_rows(tx, tenant, service, &rows).await?;
        // Adoption: the seats' history starts today.
        self.record_seats(
            tx,
            tenant,
            service,
            qualified,
            crate::adoption::rollups::today_day(),
        )
        .await
    }

    pub(super) async fn insert_tenant(
        &self,
        tx: &mut Transaction<'_, Any>,
        actor: &Actor,
        v: &Valid,
        playbook_version: i64,
        checked: bool,
    ) -> Result<()> {
        let exists = if checked {
            None
        } else {
            sqlx::query(sql!(
                self,
                "SELECT tenant_id, name FROM tenants WHERE tenant_id = $1 OR name = $2"
            ))
            .bind(v.id.as_str())
            .bind(&v.name)
            .fetch_optional(&mut **tx)
            .await?
        };
        if let Some(r) = exists {
            let id: String = r.try_get(0)?;
            return Err(if id == v.id.as_str() {
                Invalid::from(
                    FieldError::of("tenant_id", "invalid-tenant-exists")
                        .with("value", id.to_string()),
                )
                .into()
            } else {
                Invalid::from(
                    FieldError::of("tenant_name", "invalid-tenant-name-taken")
                        .quoting("value", &v.name)
                        .with("tenant", id.to_string()),
                )
                .into()
            });
        }
        let customer = self.customer_id(tx, &v.customer).await?;
        let now = crate::now();
        sqlx::query(sql!(self,
            "INSERT INTO tenants (tenant_id, name, customer_id, playbook_version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5)",
        ))
        .bind(v.id.as_str())
        .bind(&v.name)
        .bind(customer)
        .bind(playbook_version)
        .bind(&now)
        .execute(&mut **tx)
        .await?;
        for (s, total, q) in &v.services {
            self.insert_service(tx, v.id.as_str(), s, *total, *q)
                .await?;
        }
        self.audit(
            tx,
            actor,
            Change {
                tenant: Some(v.id.as_str()),
                entity: "tenant",
                key: v.id.to_string(),
                action: "create",
                before: None,
                after: Some(created_after(v)),
            },
        )
        .await
    }

    /// Adds a tenant (and its customer, if new) with its services. Each service starts with
    /// all its entitlements in Status Unknown / New Subscription or Workload.
    pub async fn add_tenant(&self, actor: &Actor, t: &NewTenant) -> Result<Tenant> {
        let v = validate_new(t)?;
        let pv = self.current_version();
        let mut tx = self.pools.write.begin().await?;
        self.insert_tenant(&mut tx, actor, &v, pv, false).await?;
        tx.commit().await?;
        self.tenant(v.id.as_str()).await
    }
}
