//! The Enterprise status of an enterprise tenant: entries only ever added, the newest being
//! the current status, each audited (History kind `enterprise-status`). What an entry holds
//! and how it is checked is the domain's (`ftop_domain::enterprise`); which tenants have one
//! too (Enterprise eligibility: seats or exception). Adding an entry to any other tenant is
//! refused as not found: it has no Enterprise status.

use crate::audit::Change;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::enterprise::{self, EnterpriseDraft};
use ftop_domain::{EnterpriseReason, Rag};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

/// One saved entry of a tenant's Enterprise status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnterpriseStatus {
    /// The entry's ID (entries of a tenant are ordered by it).
    pub id: i64,
    /// Why the tenant is watched as an enterprise, in display order.
    pub reasons: Vec<EnterpriseReason>,
    /// Red, amber or green.
    pub rag: Rag,
    /// Executive summary.
    pub summary: String,
    /// Current overview of the deployment.
    pub overview: String,
    /// Current FastTrack activities ("" when none).
    pub activities: String,
    /// Risks ("" when none).
    pub risks: String,
    /// Public or brand name ("" when none).
    pub brand: String,
    /// Awareness ("" when none).
    pub awareness: String,
    /// Date of the next update (`YYYY-MM-DD`).
    pub next_update: String,
    /// Who saved it.
    pub author: String,
    /// When (UTC, RFC 3339).
    pub created_at: String,
}

impl EnterpriseStatus {
    /// Whether the next update's day has passed on `today`.
    pub fn overdue(&self, today: time::Date) -> bool {
        crate::parse_date("next_update", &self.next_update)
            .is_ok_and(|d| enterprise::overdue(d, today))
    }
}

impl Store {
    /// Whether tenant `tenant_id` has an Enterprise status (eligible for the Enterprise
    /// benefits by its seats or by exception); not found when the tenant does not exist.
    pub async fn is_enterprise(&self, tenant_id: &str) -> Result<bool> {
        let id = ftop_domain::TenantId::parse(tenant_id)?.to_string();
        Ok(enterprise::has_enterprise_status(&self.facts(&id).await?))
    }

    /// Every entry of the tenant's Enterprise status, newest (the current status) first.
    pub async fn enterprise_statuses(&self, tenant_id: &str) -> Result<Vec<EnterpriseStatus>> {
        let id = ftop_domain::TenantId::parse(tenant_id)?.to_string();
        let rows = sqlx::query(sql!(
            self,
            "SELECT id, reasons, rag, summary, overview, activities, risks, brand, awareness,
                    next_update, author, created_at
             FROM enterprise_status WHERE tenant_id = $1 ORDER BY id DESC",
        ))
        .bind(&id)
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter().map(entry_of).collect()
    }

    /// Adds an entry to the Enterprise status of an enterprise tenant (it becomes the
    /// current status), checked against today's date and audited in the same transaction.
    pub async fn add_enterprise_status(
        &self,
        actor: &Actor,
        tenant_id: &str,
        d: &EnterpriseDraft,
    ) -> Result<EnterpriseStatus> {
        let t = self.tenant(tenant_id).await?;
        if !self.is_enterprise(&t.tenant_id).await? {
            return Err(not_enterprise(&t.tenant_id));
        }
        let e = enterprise::check(d, crate::today())?;
        let reasons: Vec<&str> = e.reasons.iter().map(|r| r.key()).collect();
        let next_update = crate::fmt_date(e.next_update);
        let now = crate::now();
        let mut tx = self.pools.write.begin().await?;
        let r = sqlx::query(sql!(
            self,
            "INSERT INTO enterprise_status (tenant_id, reasons, rag, summary, overview, activities,
                risks, brand, awareness, next_update, author, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        ))
        .bind(&t.tenant_id)
        .bind(reasons.join(","))
        .bind(e.rag.key())
        .bind(&e.summary)
        .bind(&e.overview)
        .bind(&e.activities)
        .bind(&e.risks)
        .bind(&e.brand)
        .bind(&e.awareness)
        .bind(&next_update)
        .bind(&actor.name)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = r.try_get(0)?;
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: Some(&t.tenant_id),
                entity: "enterprise-status",
                key: id.to_string(),
                action: "create",
                before: None,
                after: Some(json!({
                    "reasons": reasons,
                    "rag": e.rag.key(),
                    "summary": e.summary,
                    "overview": e.overview,
                    "activities": e.activities,
                    "risks": e.risks,
                    "brand": e.brand,
                    "awareness": e.awareness,
                    "next_update": next_update,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(EnterpriseStatus {
            id,
            reasons: e.reasons,
            rag: e.rag,
            summary: e.summary,
            overview: e.overview,
            activities: e.activities,
            risks: e.risks,
            brand: e.brand,
            awareness: e.awareness,
            next_update,
            author: actor.name.clone(),
            created_at: now,
        })
    }
}

/// The refusal for a tenant without an Enterprise status.
pub(crate) fn not_enterprise(tenant_id: &str) -> StoreError {
    StoreError::NotFound(format!(
        "enterprise status of tenant {tenant_id} (not an enterprise tenant: fewer than {} \
         qualified seats in every service and no enterprise exception)",
        ftop_domain::limits::group(ftop_domain::eligibility::ENTERPRISE_SEATS)
    ))
}

fn entry_of(r: &sqlx::any::AnyRow) -> Result<EnterpriseStatus> {
    let corrupt = |what: &str, v: &str| {
        StoreError::Internal(format!("stored enterprise status {what} `{v}` is unknown"))
    };
    let reasons: String = r.try_get("reasons")?;
    let rag: String = r.try_get("rag")?;
    Ok(EnterpriseStatus {
        id: r.try_get("id")?,
        reasons: reasons
            .split(',')
            .filter(|k| !k.is_empty())
            .map(|k| EnterpriseReason::parse(k).ok_or_else(|| corrupt("reason", k)))
            .collect::<Result<_>>()?,
        rag: Rag::parse(&rag).ok_or_else(|| corrupt("status", &rag))?,
        summary: r.try_get("summary")?,
        overview: r.try_get("overview")?,
        activities: r.try_get("activities")?,
        risks: r.try_get("risks")?,
        brand: r.try_get("brand")?,
        awareness: r.try_get("awareness")?,
        next_update: r.try_get("next_update")?,
        author: r.try_get("author")?,
        created_at: r.try_get("created_at")?,
    })
}
