//! Entitlement status rows (L1/L2/L3) of a tenant's service. The rows of a service are
//! saved together and must add up to its total entitlements.

use crate::audit::Change;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::taxonomy::{L1, StatusRow, validate_rows};
use serde::Serialize;
use serde_json::json;
use sqlx::{Any, Row, Transaction};

/// A service's entitlement status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceStatus {
    /// Service key.
    pub service: String,
    /// Total entitlements the rows must add up to.
    pub entitlements: i64,
    /// Version of the service line (send it back when saving rows).
    pub version: i64,
    /// The rows.
    pub rows: Vec<StatusRow>,
}

fn date_opt(s: Option<String>) -> Option<time::Date> {
    s.and_then(|d| crate::parse_date("date", &d).ok())
}

impl Store {
    pub(crate) async fn status_rows_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        tenant: &str,
        service: &str,
    ) -> Result<Vec<StatusRow>> {
        let rows = sqlx::query(sql!(
            self,
            "SELECT l1, l2, l3, count, target_date, owner, note, next_action_date
             FROM entitlement_status WHERE tenant_id = $1 AND service = $2 ORDER BY position",
        ))
        .bind(tenant)
        .bind(service)
        .fetch_all(&mut **tx)
        .await?;
        rows.iter().map(row_of).collect()
    }

    pub(crate) async fn write_status_rows(
        &self,
        tx: &mut Transaction<'_, Any>,
        tenant: &str,
        service: &str,
        rows: &[StatusRow],
    ) -> Result<()> {
        sqlx::query(sql!(
            self,
            "DELETE FROM entitlement_status WHERE tenant_id = $1 AND service = $2"
        ))
        .bind(tenant)
        .bind(service)
        .execute(&mut **tx)
        .await?;
        self.insert_status_rows(tx, tenant, service, rows).await
    }

    /// Inserts rows for a service that has none yet.
    pub(crate) async fn insert_status_rows(
        &self,
        tx: &mut Transaction<'_, Any>,
        tenant: &str,
        service: &str,
        rows: &[StatusRow],
    ) -> Result<()> {
        for (i, r) in rows.iter().enumerate() {
            sqlx::query(sql!(
                self,
                "INSERT INTO entitlement_status (tenant_id, service, position, l1, l2, l3, count,
                    target_date, owner, note, next_action_date)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            ))
            .bind(tenant)
            .bind(service)
            .bind(i as i64)
            .bind(r.l1.key())
            .bind(&r.l2)
            .bind(&r.l3)
            .bind(r.count as i64)
            .bind(r.target_date.map(crate::fmt_date))
            .bind(&r.owner)
            .bind(&r.note)
            .bind(r.next_action_date.map(crate::fmt_date))
            .execute(&mut **tx)
            .await?;
        }
        Ok(())
    }

    /// The entitlement status of one service of a tenant.
    pub async fn service_status(&self, tenant_id: &str, service: &str) -> Result<ServiceStatus> {
        let t = self.tenant(tenant_id).await?;
        let line = t
            .services
            .iter()
            .find(|s| s.service == service)
            .ok_or_else(|| {
                StoreError::NotFound(format!("service {service} of tenant {tenant_id}"))
            })?;
        let mut tx = self.pools.read.begin().await?;
        let rows = self.status_rows_in(&mut tx, &t.tenant_id, service).await?;
        tx.commit().await?;
        Ok(ServiceStatus {
            service: line.service.clone(),
            entitlements: line.entitlements,
            version: line.version,
            rows,
        })
    }

    /// Status notes with the reason (L2 key) they were filed under, at most `limit`: what
    /// Suggest learns from (`ftop_domain::suggest`). With `partner`, only the notes of that
    /// partner organisation's tenants (what its people may see). Rows without a note or a
    /// reason are left out.
    pub async fn labelled_notes(
        &self,
        partner: Option<i64>,
        limit: u32,
    ) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query(sql!(
            self,
            "SELECT note, l2 FROM entitlement_status
             WHERE l2 IS NOT NULL AND l2 <> '' AND note <> ''
               AND ($1 IS NULL OR tenant_id IN
                    (SELECT p.tenant_id FROM tenant_partners p WHERE p.partner_id = $1))
             LIMIT $2",
        ))
        .bind(partner)
        .bind(i64::from(limit))
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("note")?, r.try_get("l2")?)))
            .collect()
    }

    /// Replaces a service's status rows, read at `version`. Refused unless the rows are
    /// valid and add up to the service's entitlements.
    pub async fn set_status_rows(
        &self,
        actor: &Actor,
        tenant_id: &str,
        service: &str,
        version: i64,
        rows: &[StatusRow],
    ) -> Result<ServiceStatus> {
        let before = self.service_status(tenant_id, service).await?;
        validate_rows(before.entitlements.max(0) as u64, rows, crate::today())?;
        // The tenant exists (read just above); only its ID's normal form is needed.
        let tenant = ftop_domain::TenantId::parse(tenant_id)?.to_string();
        let mut tx = self.pools.write.begin().await?;
        let done = sqlx::query(sql!(
            self,
            "UPDATE tenant_services SET version = version + 1
             WHERE tenant_id = $1 AND service = $2 AND version = $3",
        ))
        .bind(&tenant)
        .bind(service)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "the status of {service} changed since version {version}; reload and try again"
            )));
        }
        self.write_status_rows(&mut tx, &tenant, service, rows)
            .await?;
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: Some(&tenant),
                entity: "entitlement-status",
                key: format!("{tenant}/{service}"),
                action: "update",
                before: Some(json!(before.rows)),
                after: Some(json!(rows)),
            },
        )
        .await?;
        tx.commit().await?;
        self.service_status(&tenant, service).await
    }
}

fn row_of(r: &sqlx::any::AnyRow) -> Result<StatusRow> {
    let l1: String = r.try_get("l1")?;
    Ok(StatusRow {
        l1: L1::parse(&l1)
            .ok_or_else(|| StoreError::Internal(format!("stored L1 `{l1}` is unknown")))?,
        l2: r.try_get("l2")?,
        l3: r.try_get("l3")?,
        count: r.try_get::<i64, _>("count")?.max(0) as u64,
        target_date: date_opt(r.try_get("target_date")?),
        owner: r.try_get("owner")?,
        note: r.try_get("note")?,
        next_action_date: date_opt(r.try_get("next_action_date")?),
    })
}
