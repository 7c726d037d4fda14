//! The append-only audit log: who changed what, when, with the state before and after,
//! written inside the transaction of the change itself.

use crate::{Actor, Result, Store};
use serde::Serialize;
use sqlx::{Any, Row, Transaction};

/// One audit-log entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Position in the log.
    pub id: i64,
    /// When (UTC, RFC 3339).
    pub at: String,
    /// Who.
    pub actor: String,
    /// The tenant concerned, if any.
    pub tenant_id: Option<String>,
    /// What kind of thing (`tenant`, `task`, `note`, ...).
    pub entity: String,
    /// Which one.
    pub entity_key: String,
    /// What happened (`create`, `update`, `delete`, `archive`, ...).
    pub action: String,
    /// JSON of the state before, if there was one.
    pub before: Option<String>,
    /// JSON of the state after, if there is one.
    pub after: Option<String>,
}

/// A change to record.
pub(crate) struct Change<'a> {
    pub(crate) tenant: Option<&'a str>,
    pub(crate) entity: &'a str,
    pub(crate) key: String,
    pub(crate) action: &'a str,
    pub(crate) before: Option<serde_json::Value>,
    pub(crate) after: Option<serde_json::Value>,
}

impl Store {
    /// Appends an entry in the caller's transaction.
    pub(crate) async fn audit(
        &self,
        tx: &mut Transaction<'_, Any>,
        actor: &Actor,
        c: Change<'_>,
    ) -> Result<()> {
        sqlx::query(sql!(self,
            "INSERT INTO audit_log (at, actor, tenant_id, entity, entity_key, action, before, after)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        ))
        .bind(crate::now())
        .bind(&actor.name)
        .bind(c.tenant)
        .bind(c.entity)
        .bind(c.key)
        .bind(c.action)
        .bind(c.before.map(|v| v.to_string()))
        .bind(c.after.map(|v| v.to_string()))
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// The audit log of one tenant, newest first (at most `limit` entries).
    pub async fn audit_for(&self, tenant_id: &str, limit: i64) -> Result<Vec<AuditEntry>> {
        self.audit_matching(tenant_id, "", "", limit).await
    }

    /// A tenant's audit entries of kind `entity` (`task`, `note`, ...) made by `actor`,
    /// newest first, at most `limit`; an empty `entity` or `actor` matches every one.
    pub async fn audit_matching(
        &self,
        tenant_id: &str,
        entity: &str,
        actor: &str,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(sql!(
            self,
            "SELECT id, at, actor, tenant_id, entity, entity_key, action, before, after
             FROM audit_log WHERE tenant_id = $1 AND ($2 = '' OR entity = $2)
               AND ($3 = '' OR actor = $3)
             ORDER BY id DESC LIMIT $4",
        ))
        .bind(tenant_id)
        .bind(entity)
        .bind(actor)
        .bind(limit)
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    tenant_id: r.try_get("tenant_id")?,
                    entity: r.try_get("entity")?,
                    entity_key: r.try_get("entity_key")?,
                    action: r.try_get("action")?,
                    before: r.try_get("before")?,
                    after: r.try_get("after")?,
                })
            })
            .collect()
    }

    /// Who made a tenant's audit entries, each once, in name order (sorted here, so that
    /// both engines give the same order whatever the database's collation).
    pub async fn audit_actors(&self, tenant_id: &str) -> Result<Vec<String>> {
        let rows = sqlx::query(sql!(
            self,
            "SELECT DISTINCT actor FROM audit_log WHERE tenant_id = $1",
        ))
        .bind(tenant_id)
        .fetch_all(&self.pools.read)
        .await?;
        let mut actors = rows
            .iter()
            .map(|r| Ok(r.try_get("actor")?))
            .collect::<Result<Vec<String>>>()?;
        actors.sort();
        Ok(actors)
    }

    /// Number of audit entries in all (for tests and reports).
    pub async fn audit_count(&self) -> Result<i64> {
        let r = sqlx::query("SELECT COUNT(*) FROM audit_log")
            .fetch_one(&self.pools.read)
            .await?;
        Ok(r.try_get(0)?)
    }
}
