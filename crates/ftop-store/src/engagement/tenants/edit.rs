//! Editing a tenant after it was created: its name, customer and service lines (added or
//! with new seats; a service is never dropped here, its history stays), together with
//! its engagement fields in one transaction and one version check; and the eligibility
//! exception an administrator grants with a reason.

use super::check::validate_new;
use super::{EngagementUpdate, NewTenant, Tenant};
use crate::audit::Change;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::{Errors, FieldError};
use serde_json::json;

/// What may change of a tenant's record; `None` or empty leaves it as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TenantEdit {
    /// A new tenant name (a domain, unique).
    pub name: Option<String>,
    /// A new customer name (the customer is found or created).
    pub customer: Option<String>,
    /// Service lines to add or change: (service, entitlements, qualified seats; `None`:
    /// the entitlements).
    pub services: Vec<(String, i64, Option<i64>)>,
}

impl TenantEdit {
    /// Nothing to change.
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.customer.is_none() && self.services.is_empty()
    }
}

impl Store {
    /// Changes a tenant last read at `version`: its record (`edit`) and its engagement
    /// fields (`u`), all or nothing. A stale version is a conflict; every field at fault
    /// is named at once.
    pub async fn change_tenant(
        &self,
        actor: &Actor,
        tenant_id: &str,
        version: i64,
        edit: &TenantEdit,
        u: &EngagementUpdate,
    ) -> Result<Tenant> {
        let before = self.tenant(tenant_id).await?;
        let after = super::update::updated(&before, u)?;
        let valid = if edit.is_empty() {
            None
        } else {
            Some(validate_new(&NewTenant {
                tenant_id: before.tenant_id.clone(),
                name: edit.name.clone().unwrap_or_else(|| before.name.clone()),
                customer: edit
                    .customer
                    .clone()
                    .unwrap_or_else(|| before.customer.clone()),
                services: edit.services.clone(),
            })?)
        };
        let mut tx = self.pools.write.begin().await?;
        if valid.as_ref().is_some_and(|v| !v.services.is_empty()) {
            // Before the tenant's row is locked (`apply_service` would take it later).
            self.take_rollup_turn(&mut tx).await?;
        }
        self.engagement_in(&mut tx, actor, &before, &after, version)
            .await?;
        if let Some(v) = valid {
            if v.name != before.name || v.customer != before.customer {
                self.rename_tenant(
                    &mut tx,
                    actor,
                    &v,
                    "",
                    (before.name.clone(), before.customer.clone()),
                )
                .await?;
            }
            for (key, total, q) in &v.services {
                self.apply_service(&mut tx, actor, &before.tenant_id, key, *total, *q)
                    .await?;
            }
        }
        tx.commit().await?;
        self.tenant(tenant_id).await
    }

    /// Makes a tenant eligible by exception (below the program's minimum seats), or ends
    /// the exception. A reason is required to grant one; both are audited.
    pub async fn set_tenant_exception(
        &self,
        actor: &Actor,
        tenant_id: &str,
        exception: bool,
        reason: Option<&str>,
    ) -> Result<Tenant> {
        let before = self.tenant(tenant_id).await?;
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        let mut e = Errors::default();
        match reason {
            None if exception => {
                e.push(FieldError::of(
                    "reason",
                    "invalid-exception-reason-required",
                ));
            }
            Some(r) => {
                ftop_domain::limits::check(
                    &mut e,
                    "reason",
                    r,
                    ftop_domain::limits::EXCEPTION_REASON,
                );
            }
            None => {}
        }
        e.finish()?;
        let reason = reason.filter(|_| exception);
        let mut tx = self.pools.write.begin().await?;
        let done = sqlx::query(sql!(
            self,
            "UPDATE tenants SET program_exception = $1, exception_reason = $2,
                version = version + 1, updated_at = $3
             WHERE tenant_id = $4"
        ))
        .bind(i64::from(exception))
        .bind(reason)
        .bind(crate::now())
        .bind(&before.tenant_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("tenant {tenant_id}")));
        }
        let view =
            |x: bool, r: Option<&str>| json!({"program_exception": x, "exception_reason": r});
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: Some(&before.tenant_id),
                entity: "tenant",
                key: before.tenant_id.clone(),
                action: "exception",
                before: Some(view(
                    before.program_exception,
                    before.exception_reason.as_deref(),
                )),
                after: Some(view(exception, reason)),
            },
        )
        .await?;
        tx.commit().await?;
        self.tenant(tenant_id).await
    }
}
