//! Changes to a tenant: its engagement fields and its service lines (entitlements and
//! qualified seats, with the status rows rebalanced and the seat history recorded).

use super::{EngagementUpdate, Tenant, check_seats, e_push};
use crate::audit::Change;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::taxonomy::rebalance;
use ftop_domain::{Errors, FieldError, Invalid, Priority};
use serde_json::json;
use sqlx::{Any, Row, Transaction};

/// The tenant after an engagement update (checked: the status date, the note's length).
/// A new overall status without a date takes today's.
pub(super) fn updated(before: &Tenant, u: &EngagementUpdate) -> Result<Tenant> {
    let mut e = Errors::default();
    let status_date = match &u.status_date {
        Some(d) if !d.trim().is_empty() => match crate::parse_date("status_date", d) {
            Ok(d) => Some(crate::fmt_date(d)),
            Err(x) => {
                e_push(&mut e, x);
                None
            }
        },
        // A new overall status, or a new status note (the bi-weekly update, often with the
        // status unchanged), is dated today: the date says when the status was last
        // brought up to date, which the stale-notes report and the queue read.
        _ if u.overall_status.is_some_and(|s| s != before.overall_status)
            || u.status_note
                .as_ref()
                .is_some_and(|n| *n != before.status_note) =>
        {
            Some(crate::fmt_date(crate::today()))
        }
        _ => before.status_date.clone(),
    };
    if let Some(n) = &u.status_note {
        ftop_domain::limits::check(&mut e, "status_note", n, ftop_domain::limits::STATUS_NOTE);
    }
    e.finish()?;
    Ok(Tenant {
        motion: u.motion.or(before.motion),
        priority: u.priority.unwrap_or(before.priority),
        overall_status: u.overall_status.unwrap_or(before.overall_status),
        status_date,
        status_note: u.status_note.clone().unwrap_or(before.status_note.clone()),
        active: u.active.unwrap_or(before.active),
        program_exception: u.program_exception.unwrap_or(before.program_exception),
        enterprise_exception: u
            .enterprise_exception
            .unwrap_or(before.enterprise_exception),
        adoption_benefit: u.adoption_benefit.unwrap_or(before.adoption_benefit),
        ..before.clone()
    })
}

/// The engagement fields as the audit log keeps them.
fn engagement_view(t: &Tenant) -> serde_json::Value {
    json!({"motion": t.motion.map(|m| m.key()), "priority": t.priority.key(),
    "overall_status": t.overall_status.key(), "status_date": t.status_date, "status_note": t.status_note,
    "active": t.active, "program_exception": t.program_exception,
    "enterprise_exception": t.enterprise_exception, "adoption_benefit": t.adoption_benefit})
}

impl Store {
    /// Changes engagement fields of a tenant last read at `version`.
    pub async fn update_engagement(
        &self,
        actor: &Actor,
        tenant_id: &str,
        version: i64,
        u: &EngagementUpdate,
    ) -> Result<Tenant> {
        self.change_tenant(actor, tenant_id, version, &super::TenantEdit::default(), u)
            .await
    }

    /// Sets a tenant's priority by hand over its default (`Some`: that level, stored as
    /// overridden whatever form it is given in) or back to its default (`None`). The tenant
    /// moves to a new version; the change is audited like any engagement field.
    pub async fn set_priority(
        &self,
        actor: &Actor,
        tenant_id: &str,
        level: Option<Priority>,
    ) -> Result<Tenant> {
        // The priority alone changes: a change of another field meanwhile (a new version)
        // is read again, not refused; a few tries, then the conflict is said.
        let mut tries = 0;
        loop {
            match self.priority_once(actor, tenant_id, level).await {
                Err(StoreError::Conflict(_)) if tries < 3 => tries += 1,
                r => return r,
            }
        }
    }

    async fn priority_once(
        &self,
        actor: &Actor,
        tenant_id: &str,
        level: Option<Priority>,
    ) -> Result<Tenant> {
        let before = self.tenant(tenant_id).await?;
        let priority = match level {
            Some(p) => p.level().overridden(),
            None => {
                let stored: String = sqlx::query_scalar(sql!(
                    self,
                    "SELECT default_priority FROM tenants WHERE tenant_id = $1"
                ))
                .bind(&before.tenant_id)
                .fetch_one(&self.pools.read)
                .await?;
                Priority::parse(&stored).map_or(Priority::Medium, Priority::level)
            }
        };
        if priority == before.priority {
            return Ok(before);
        }
        let after = Tenant {
            priority,
            ..before.clone()
        };
        let mut tx = self.pools.write.begin().await?;
        self.engagement_in(&mut tx, actor, &before, &after, before.version)
            .await?;
        tx.commit().await?;
        self.tenant(tenant_id).await
    }

    /// Writes the engagement fields of `after` over `before` if the tenant is still at
    /// `version` (else a conflict), audited when they changed; the version moves on.
    pub(super) async fn engagement_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        actor: &Actor,
        before: &Tenant,
        after: &Tenant,
        version: i64,
    ) -> Result<()> {
        let done =
            sqlx::query(sql!(self,
            "UPDATE tenants SET motion = $1, priority = $2, overall_status = $3, status_date = $4,
                default_priority = CASE WHEN $2 IN ('high', 'medium', 'low') THEN $2 ELSE default_priority END,
                status_note = $5, active = $6, program_exception = $7, enterprise_exception = $8,
                adoption_benefit = $9, version = version + 1, updated_at = $10
             WHERE tenant_id = $11 AND version = $12",
        ))
            .bind(after.motion.map(|m| m.key()))
            .bind(after.priority.key())
            .bind(after.overall_status.key())
            .bind(&after.status_date)
            .bind(&after.status_note)
            .bind(i64::from(after.active))
            .bind(i64::from(after.program_exception))
            .bind(i64::from(after.enterprise_exception))
            .bind(i64::from(after.adoption_benefit))
            .bind(crate::now())
            .bind(&before.tenant_id)
            .bind(version)
            .execute(&mut **tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "tenant {} changed since version {version}; reload and try again",
                before.tenant_id
            )));
        }
        let (was, is) = (engagement_view(before), engagement_view(after));
        if was != is {
            self.audit(
                tx,
                actor,
                Change {
                    tenant: Some(&before.tenant_id),
                    entity: "tenant",
                    key: before.tenant_id.clone(),
                    action: "update",
                    before: Some(was),
                    after: Some(is),
                },
            )
            .await?;
        }
        Ok(())
    }

    /// Sets a service's seats (adding the service if new). Status rows follow: growth goes
    /// to Status Unknown / New Subscription or Workload, shrinkage comes out of unknown
    /// rows first.
    pub async fn set_service(
        &self,
        actor: &Actor,
        tenant_id: &str,
        service: &str,
        entitlements: i64,
        qualified: Option<i64>,
    ) -> Result<Tenant> {
        let t = self.tenant(tenant_id).await?;
        let mut e = Errors::default();
        let v = check_seats(&mut e, "", service, entitlements, qualified);
        e.finish()?;
        let Some((key, total, q)) = v else {
            return Err(Invalid::from(FieldError::of("service", "invalid-value")).into());
        };
        let mut tx = self.pools.write.begin().await?;
        self.apply_service(&mut tx, actor, &t.tenant_id, &key, total, q)
            .await?;
        tx.commit().await?;
        self.tenant(tenant_id).await
    }

    /// Creates or changes one service line; returns 0 unchanged, 1 created, 2 updated.
    pub(super) async fn apply_service(
        &self,
        tx: &mut Transaction<'_, Any>,
        actor: &Actor,
        tenant: &str,
        key: &str,
        total: i64,
        q: i64,
    ) -> Result<u8> {
        let existing: Option<(i64, i64)> = match sqlx::query(sql!(self,
            "SELECT entitlements, qualified FROM tenant_services WHERE tenant_id = $1 AND service = $2",
        ))
        .bind(tenant)
        .bind(key)
        .fetch_optional(&mut **tx)
        .await?
        {
            Some(r) => Some((r.try_get(0)?, r.try_get(1)?)),
            None => None,
        };
        if existing == Some((total, q)) {
            return Ok(0);
        }
        self.take_rollup_turn(tx).await?;
        let (action, before) = match existing {
            None => {
                self.insert_service(tx, tenant, key, total, q).await?;
                (1, None)
            }
            Some((old_t, old_q)) => {
                sqlx::query(sql!(self,
                    "UPDATE tenant_services SET entitlements = $1, qualified = $2, version = version + 1
                     WHERE tenant_id = $3 AND service = $4",
                ))
                .bind(total)
                .bind(q)
                .bind(tenant)
                .bind(key)
                .execute(&mut **tx)
                .await?;
                if old_q != q {
                    // Adoption: the new seats count from today.
                    self.record_seats(tx, tenant, key, q, crate::adoption::rollups::today_day())
                        .await?;
                }
                if old_t != total {
                    let rows = self.status_rows_in(tx, tenant, key).await?;
                    let rows = rebalance(&rows, total.max(0) as u64);
                    self.write_status_rows(tx, tenant, key, &rows).await?;
                }
                (2, Some(json!({"entitlements": old_t, "qualified": old_q})))
            }
        };
        self.audit(
            tx,
            actor,
            Change {
                tenant: Some(tenant),
                entity: "service",
                key: format!("{tenant}/{key}"),
                action: if action == 1 { "create" } else { "update" },
                before,
                after: Some(json!({"entitlements": total, "qualified": q})),
            },
        )
        .await?;
        Ok(action)
    }
}
