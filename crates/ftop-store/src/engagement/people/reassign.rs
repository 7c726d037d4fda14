//! Bulk reassignment: every assignment of one user (tenant-wide and service-level) moved
//! to another in one transaction, after a preview from which rows can be left out. There
//! is no undo: the audit log keeps one entry per assignment moved.
//!
//! Where the new person already holds the same role at the same level on a tenant, the
//! old person's row goes and the new person's stays (taking the primary if the old person
//! had it). The new person must fit every role moved (`assignment_set::fits`).

use super::assignment_set::fits;
use crate::audit::Change;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::{AssignmentRole, Errors, FieldError, Invalid};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;
use std::collections::BTreeSet;

/// One assignment a reassignment would move.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Move {
    /// The assignment's ID (to leave it out of the move).
    pub id: i64,
    /// The tenant.
    pub tenant_id: String,
    /// The tenant's name.
    pub tenant_name: String,
    /// The role.
    pub role: AssignmentRole,
    /// Service key, or "" for the whole tenant.
    pub service: String,
    /// Whether the person moved is the primary of that role and level.
    pub primary: bool,
}

impl Store {
    /// Every assignment of user `from`, by tenant name, role and level.
    pub async fn reassignment_preview(&self, from: &str) -> Result<Vec<Move>> {
        let u = self.leaving_user(from).await?;
        let rows = sqlx::query(sql!(
            self,
            "SELECT a.id, a.tenant_id, t.name, a.role, a.service, a.is_primary
             FROM assignments a JOIN tenants t ON t.tenant_id = a.tenant_id
             WHERE a.user_id = $1 ORDER BY t.name, a.role, a.service"
        ))
        .bind(u.id)
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter()
            .map(|r| {
                let role: String = r.try_get(3)?;
                Ok(Move {
                    id: r.try_get(0)?,
                    tenant_id: r.try_get(1)?,
                    tenant_name: r.try_get(2)?,
                    role: AssignmentRole::parse(&role)
                        .ok_or_else(|| StoreError::Internal(format!("stored role `{role}`")))?,
                    service: r.try_get(4)?,
                    primary: r.try_get::<i64, _>(5)? != 0,
                })
            })
            .collect()
    }

    /// Moves every assignment of `from` but those in `exclude` to `to`, in one
    /// transaction, audited per assignment; returns how many moved. Checked first: the two
    /// users differ and exist, and `to` fits every role moved (all problems at once).
    pub async fn reassign(
        &self,
        actor: &Actor,
        from: &str,
        to: &str,
        exclude: &[i64],
    ) -> Result<u64> {
        let old = self.leaving_user(from).await?;
        let new = self.known_user_as(to, "to").await?;
        if old.id == new.id {
            return Err(Invalid::from(FieldError::of("to", "invalid-reassign-same")).into());
        }
        let skip: BTreeSet<i64> = exclude.iter().copied().collect();
        let moves: Vec<Move> = self
            .reassignment_preview(from)
            .await?
            .into_iter()
            .filter(|m| !skip.contains(&m.id))
            .collect();
        let mut e = Errors::default();
        for m in &moves {
            let partners: BTreeSet<String> = self
                .tenant_partners(&m.tenant_id)
                .await?
                .into_iter()
                .map(|(n, _)| n)
                .collect();
            if !fits(&new, m.role, &partners) {
                e.push(
                    FieldError::of("to", "invalid-reassign-role")
                        .quoting("value", &new.name)
                        .with("role", m.role.key())
                        .with("tenant", m.tenant_name.clone()),
                );
            }
        }
        e.finish()?;
        let mut tx = self.pools.write.begin().await?;
        for m in &moves {
            let held = sqlx::query(sql!(self,
                "SELECT id, is_primary FROM assignments WHERE tenant_id = $1 AND user_id = $2 AND role = $3 AND service = $4",
            ))
            .bind(&m.tenant_id)
            .bind(new.id)
            .bind(m.role.key())
            .bind(&m.service)
            .fetch_optional(&mut *tx)
            .await?;
            match held {
                // The new person holds it already: the old row goes, the primary stays
                // with the role.
                Some(r) => {
                    let id: i64 = r.try_get(0)?;
                    sqlx::query(sql!(self, "DELETE FROM assignments WHERE id = $1"))
                        .bind(m.id)
                        .execute(&mut *tx)
                        .await?;
                    if m.primary {
                        sqlx::query(sql!(
                            self,
                            "UPDATE assignments SET is_primary = 1 WHERE id = $1"
                        ))
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                None => {
                    sqlx::query(sql!(
                        self,
                        "UPDATE assignments SET user_id = $2 WHERE id = $1"
                    ))
                    .bind(m.id)
                    .bind(new.id)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            let value = |user: &str| json!({"user": user, "role": m.role.key(), "service": m.service, "primary": m.primary});
            let change = Change {
                tenant: Some(&m.tenant_id),
                entity: "assignment",
                key: format!("{}/{}/{}", m.tenant_id, m.role.key(), m.service),
                action: "update",
                before: Some(value(&old.name)),
                after: Some(value(&new.name)),
            };
            self.audit(&mut tx, actor, change).await?;
        }
        tx.commit().await?;
        Ok(moves.len() as u64)
    }

    /// The person whose assignments move: enabled or not (a leaver's account is often
    /// deactivated first); a field error on `from` when there is none.
    async fn leaving_user(&self, name: &str) -> Result<crate::User> {
        self.user_any(name).await?.ok_or_else(|| {
            StoreError::from(Invalid::from(
                FieldError::of("from", "invalid-user-unknown").quoting("value", name),
            ))
        })
    }
}
