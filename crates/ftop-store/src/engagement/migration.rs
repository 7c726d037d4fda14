//! The data migration decision of each service of a tenant eligible for migration
//! (`ftop_domain::migration`): whether Microsoft performs it, the desired dates, the
//! migration type rows or why not. Saved whole, versioned (0: never decided) and audited;
//! the type rows are kept as JSON beside the decision. The sum rule is checked against the
//! service's status rows as they are when the decision is saved, in the same transaction.

use crate::audit::Change;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::migration::{self, Decision, TypeRow};
use ftop_domain::{FieldError, MigrationRejection};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

/// A service's data migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Migration {
    /// Service key.
    pub service: String,
    /// The decision (the default, nobody performing and no reason, when never decided).
    #[serde(flatten)]
    pub decision: Decision,
    /// The In Progress and Blocked entitlements of the service's status rows now: what the
    /// type rows must add up to when Microsoft performs the migration.
    pub due: u64,
    /// Send it back when saving (0: never decided).
    pub version: i64,
}

impl Store {
    /// The services of tenant `tenant_id` that have a data migration decision (the
    /// catalogue's migratable services, when the tenant has more than 500 seats), in the
    /// tenant's service order, each with its decision, read in one query.
    pub async fn migrations(&self, tenant_id: &str) -> Result<Vec<Migration>> {
        let t = self.tenant(tenant_id).await?;
        let seats = t
            .services
            .iter()
            .map(|s| s.qualified.max(0) as u64)
            .max()
            .unwrap_or(0);
        let eligible: Vec<&str> = t
            .services
            .iter()
            .map(|s| s.service.as_str())
            .filter(|s| migration::eligible(s, seats))
            .collect();
        if eligible.is_empty() {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(sql!(
            self,
            "SELECT service, performing, desired_start, desired_end, rejection_reason, notes,
                    types, version
             FROM service_migration WHERE tenant_id = $1",
        ))
        .bind(&t.tenant_id)
        .fetch_all(&self.pools.read)
        .await?;
        let mut stored = std::collections::HashMap::new();
        for r in &rows {
            let service: String = r.try_get("service")?;
            stored.insert(service, decision_of(r)?);
        }
        let mut out = Vec::new();
        let mut tx = self.pools.read.begin().await?;
        for service in eligible {
            let status = self.status_rows_in(&mut tx, &t.tenant_id, service).await?;
            let (decision, version) = stored.remove(service).unwrap_or_default();
            out.push(Migration {
                service: service.to_string(),
                decision,
                due: migration::to_migrate(&status),
                version,
            });
        }
        tx.commit().await?;
        Ok(out)
    }

    /// The data migration of `service` of tenant `tenant_id`: not found when the tenant
    /// lacks the service, refused (naming `service`) when it has no migration decision.
    pub async fn migration(&self, tenant_id: &str, service: &str) -> Result<Migration> {
        let t = self.tenant(tenant_id).await?;
        if !t.services.iter().any(|s| s.service == service) {
            return Err(StoreError::NotFound(format!(
                "service {service} of tenant {tenant_id}"
            )));
        }
        self.migrations(&t.tenant_id)
            .await?
            .into_iter()
            .find(|m| m.service == service)
            .ok_or_else(|| not_eligible(service))
    }

    /// Replaces the data migration decision of `service`, read at `version` (0 when never
    /// decided): checked against the service's status rows as they are in the same
    /// transaction ([`migration::validate`]), refused when it changed meanwhile, audited.
    pub async fn set_migration(
        &self,
        actor: &Actor,
        tenant_id: &str,
        service: &str,
        version: i64,
        d: &Decision,
    ) -> Result<Migration> {
        let before = self.migration(tenant_id, service).await?;
        let tenant = normal_id(tenant_id)?;
        if version != before.version {
            return Err(stale(service, version));
        }
        let types = serde_json::to_string(&d.types)
            .map_err(|e| StoreError::Internal(format!("migration rows as JSON: {e}")))?;
        let start = d.desired_start.map(crate::fmt_date);
        let end = d.desired_end.map(crate::fmt_date);
        let reason = d.rejection_reason.map(MigrationRejection::key);
        let performing = i64::from(d.performing);
        let mut tx = self.pools.write.begin().await?;
        // The sum rule holds against the status rows as they are when this commits: the
        // service's line is locked first (a save of its status rows updates it too), then
        // its rows are read in this transaction, not taken from the read above.
        sqlx::query(sql!(
            self,
            "UPDATE tenant_services SET version = version WHERE tenant_id = $1 AND service = $2",
        ))
        .bind(&tenant)
        .bind(service)
        .execute(&mut *tx)
        .await?;
        let status = self.status_rows_in(&mut tx, &tenant, service).await?;
        migration::validate(service, d, migration::to_migrate(&status))?;
        let done = if version == 0 {
            sqlx::query(sql!(
                self,
                "INSERT INTO service_migration (tenant_id, service, performing, desired_start,
                    desired_end, rejection_reason, notes, types, version)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)
                 ON CONFLICT (tenant_id, service) DO NOTHING",
            ))
            .bind(&tenant)
            .bind(service)
            .bind(performing)
            .bind(&start)
            .bind(&end)
            .bind(reason)
            .bind(&d.notes)
            .bind(&types)
            .execute(&mut *tx)
            .await?
        } else {
            sqlx::query(sql!(
                self,
                "UPDATE service_migration SET performing = $3, desired_start = $4,
                    desired_end = $5, rejection_reason = $6, notes = $7, types = $8,
                    version = version + 1
                 WHERE tenant_id = $1 AND service = $2 AND version = $9",
            ))
            .bind(&tenant)
            .bind(service)
            .bind(performing)
            .bind(&start)
            .bind(&end)
            .bind(reason)
            .bind(&d.notes)
            .bind(&types)
            .bind(version)
            .execute(&mut *tx)
            .await?
        };
        if done.rows_affected() == 0 {
            return Err(stale(service, version));
        }
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: Some(&tenant),
                entity: "migration",
                key: format!("{tenant}/{service}"),
                action: "update",
                before: Some(audited(&before.decision)),
                after: Some(audited(d)),
            },
        )
        .await?;
        tx.commit().await?;
        self.migration(&tenant, service).await
    }
}

/// The tenant ID's normal form (the tenant was read just before).
fn normal_id(tenant_id: &str) -> Result<String> {
    Ok(ftop_domain::TenantId::parse(tenant_id)?.to_string())
}

/// A decision as the History tab shows it: its fields in order, the rows as objects.
fn audited(d: &Decision) -> serde_json::Value {
    json!({
        "performing": d.performing,
        "desired_start": d.desired_start.map(crate::fmt_date),
        "desired_end": d.desired_end.map(crate::fmt_date),
        "rejection_reason": d.rejection_reason.map(MigrationRejection::key),
        "notes": d.notes,
        "types": d.types,
    })
}

/// A stored row of `service_migration`: the decision and its version.
fn decision_of(r: &sqlx::any::AnyRow) -> Result<(Decision, i64)> {
    let corrupt = |what: String| StoreError::Internal(format!("stored data migration: {what}"));
    let date = |col: &str| -> Result<Option<time::Date>> {
        let s: Option<String> = r.try_get(col)?;
        s.map(|s| crate::parse_date(col, &s).map_err(|_| corrupt(format!("{col} `{s}`"))))
            .transpose()
    };
    let reason: Option<String> = r.try_get("rejection_reason")?;
    let rejection_reason = match reason {
        None => None,
        Some(k) => {
            Some(MigrationRejection::parse(&k).ok_or_else(|| corrupt(format!("reason `{k}`")))?)
        }
    };
    let types: String = r.try_get("types")?;
    let types: Vec<TypeRow> =
        serde_json::from_str(&types).map_err(|e| corrupt(format!("rows: {e}")))?;
    let performing: i64 = r.try_get("performing")?;
    Ok((
        Decision {
            performing: performing != 0,
            desired_start: date("desired_start")?,
            desired_end: date("desired_end")?,
            rejection_reason,
            notes: r.try_get("notes")?,
            types,
        },
        r.try_get("version")?,
    ))
}

fn stale(service: &str, version: i64) -> StoreError {
    StoreError::Conflict(format!(
        "the data migration of {service} changed since version {version}; reload and try again"
    ))
}

/// A service without a data migration decision, named in the user's language.
fn not_eligible(service: &str) -> StoreError {
    let name = ftop_domain::catalogue::service(service).map_or(service, |s| s.name);
    StoreError::Invalid(
        FieldError::of("service", "invalid-migration-not-eligible")
            .with("service", name)
            .with("seats", ftop_domain::eligibility::MIGRATION_BENEFIT_ABOVE)
            .into(),
    )
}
