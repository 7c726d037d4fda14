//! Assignments: a user in a role on a tenant or one of its services, with exactly one
//! primary per tenant, service and role.

use crate::audit::Change;
use crate::engagement::tenants::Tenant;
use crate::sqlite::local::Cols;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::AssignmentRole;
use ftop_domain::catalogue::service as find_service;
use ftop_domain::{FieldError, Invalid};
use serde::Serialize;
use serde_json::json;
use sqlx::{Any, Row, Transaction};

/// A person assigned to a tenant or one of its services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assignment {
    /// User ID.
    pub user_id: i64,
    /// User name.
    pub user: String,
    /// Role on the tenant.
    pub role: AssignmentRole,
    /// Service key, or "" for the whole tenant.
    pub service: String,
    /// The primary for this tenant, service and role.
    pub primary: bool,
}

/// The service key an assignment names: "" for the whole tenant, else a known service
/// the tenant is entitled to (a field error otherwise).
pub(super) fn entitled_service(t: &Tenant, service: &str) -> Result<String> {
    if service.trim().is_empty() {
        return Ok(String::new());
    }
    let key = find_service(service)
        .map(|s| s.key.to_string())
        .ok_or_else(|| {
            StoreError::from(Invalid::from(
                FieldError::of("service", "invalid-service-unknown").quoting("value", service),
            ))
        })?;
    if !t.services.iter().any(|s| s.service == key) {
        return Err(Invalid::from(
            FieldError::of("service", "invalid-service-not-entitled")
                .with("tenant", t.tenant_id.clone())
                .with("service", key),
        )
        .into());
    }
    Ok(key)
}

impl Store {
    /// Whether a new assignment in (tenant, service, role) is the primary: when asked to
    /// be (the current primary then steps down) or when there is none yet.
    async fn settle_primary(
        &self,
        tx: &mut Transaction<'_, Any>,
        tenant_id: &str,
        service: &str,
        role: AssignmentRole,
        primary: bool,
    ) -> Result<bool> {
        let has_primary = sqlx::query(sql!(self,
            "SELECT COUNT(*) FROM assignments WHERE tenant_id = $1 AND service = $2 AND role = $3 AND is_primary = 1",
        ))
        .bind(tenant_id)
        .bind(service)
        .bind(role.key())
        .fetch_one(&mut **tx)
        .await?
        .try_get::<i64, _>(0)?
            > 0;
        if primary && has_primary {
            sqlx::query(sql!(self,
                "UPDATE assignments SET is_primary = 0 WHERE tenant_id = $1 AND service = $2 AND role = $3",
            ))
            .bind(tenant_id)
            .bind(service)
            .bind(role.key())
            .execute(&mut **tx)
            .await?;
        }
        Ok(primary || !has_primary)
    }

    /// Assigns a user to a tenant (service "" ) or to one of its services. The first person
    /// in a role becomes its primary; `primary` makes this one the primary instead.
    pub async fn assign(
        &self,
        actor: &Actor,
        tenant_id: &str,
        user: &str,
        role: AssignmentRole,
        service: &str,
        primary: bool,
    ) -> Result<Vec<Assignment>> {
        let t = self.tenant(tenant_id).await?;
        let u = self.known_user(user).await?;
        let service = entitled_service(&t, service)?;
        let mut tx = self.pools.write.begin().await?;
        let make_primary = self
            .settle_primary(&mut tx, &t.tenant_id, &service, role, primary)
            .await?;
        sqlx::query(sql!(
            self,
            "INSERT INTO assignments (tenant_id, user_id, role, service, is_primary, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (tenant_id, user_id, role, service) DO UPDATE SET is_primary = $5",
        ))
        .bind(&t.tenant_id)
        .bind(u.id)
        .bind(role.key())
        .bind(&service)
        .bind(i64::from(make_primary))
        .bind(crate::now())
        .execute(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: Some(&t.tenant_id),
                entity: "assignment",
                key: format!("{}/{}/{}/{service}", t.tenant_id, u.name, role.key()),
                action: "create",
                before: None,
                after: Some(json!({"user": u.name, "role": role.key(), "service": service, "primary": make_primary})),
            },
        )
        .await?;
        tx.commit().await?;
        self.assignments(&t.tenant_id).await
    }

    /// Removes an assignment; if it was the primary, the longest-standing other person in
    /// that role becomes primary.
    pub async fn unassign(
        &self,
        actor: &Actor,
        tenant_id: &str,
        user_id: i64,
        role: AssignmentRole,
        service: &str,
    ) -> Result<Vec<Assignment>> {
        let t = self.tenant(tenant_id).await?;
        let mut tx = self.pools.write.begin().await?;
        let gone = sqlx::query(sql!(self,
            "DELETE FROM assignments WHERE tenant_id = $1 AND user_id = $2 AND role = $3 AND service = $4",
        ))
        .bind(&t.tenant_id)
        .bind(user_id)
        .bind(role.key())
        .bind(service)
        .execute(&mut *tx)
        .await?;
        if gone.rows_affected() == 0 {
            return Err(StoreError::NotFound("assignment".into()));
        }
        sqlx::query(sql!(self,
            "UPDATE assignments SET is_primary = 1 WHERE id = (
                SELECT MIN(id) FROM assignments WHERE tenant_id = $1 AND role = $2 AND service = $3)
             AND NOT EXISTS (SELECT 1 FROM assignments WHERE tenant_id = $1 AND role = $2 AND service = $3 AND is_primary = 1)",
        ))
        .bind(&t.tenant_id)
        .bind(role.key())
        .bind(service)
        .execute(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: Some(&t.tenant_id),
                entity: "assignment",
                key: format!("{}/{user_id}/{}/{service}", t.tenant_id, role.key()),
                action: "delete",
                before: Some(json!({"user_id": user_id, "role": role.key(), "service": service})),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        self.assignments(&t.tenant_id).await
    }

    /// A tenant's assignments, tenant-wide first, then by service, role and name.
    pub async fn assignments(&self, tenant_id: &str) -> Result<Vec<Assignment>> {
        let rows = sqlx::query(sql!(
            self,
            "SELECT a.user_id, u.name, a.role, a.service, a.is_primary FROM assignments a
             JOIN users u ON u.id = a.user_id WHERE a.tenant_id = $1
             ORDER BY a.service, a.role, a.is_primary DESC, u.name",
        ))
        .bind(tenant_id)
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Assignment {
                    user_id: r.try_get(0)?,
                    user: r.try_get(1)?,
                    role: r.key("role", AssignmentRole::parse)?,
                    service: r.try_get(3)?,
                    primary: r.try_get::<i64, _>(4)? != 0,
                })
            })
            .collect()
    }
}
