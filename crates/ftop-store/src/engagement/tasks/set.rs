//! Setting a task's status, percent or role: checked, found among the tasks that apply,
//! written against the version read (a stale one is a conflict) and audited.

use super::{Stored, TaskUpdate, TaskView, view};
use crate::audit::Change;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::instance::{Applicable, InstanceKey, Template, TenantFacts};
use ftop_domain::{Errors, FieldError, Invalid, TaskStatus};
use serde_json::{Value, json};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// The task an update names among those that apply to the tenant; a field error when it
/// does not apply.
fn applicable(
    template: &Template,
    facts: &TenantFacts,
    tenant_id: &str,
    u: &TaskUpdate,
) -> Result<Applicable> {
    let key = InstanceKey {
        task: u.task_id,
        service: u.service.clone(),
    };
    if let Some(app) = template
        .applicable(facts)
        .into_iter()
        .find(|a| a.key == key)
    {
        return Ok(app);
    }
    let e = if u.service.is_empty() {
        FieldError::of("task_id", "invalid-task-not-applicable")
    } else {
        FieldError::of("task_id", "invalid-task-not-applicable-service")
            .with("service", u.service.clone())
    };
    Err(Invalid::from(
        e.with("task", u.task_id.to_string())
            .with("tenant", tenant_id),
    )
    .into())
}

impl Store {
    /// Sets a task's status, percent or role. The task must apply to the tenant, and
    /// `version` must be the one read: otherwise the change is refused as a conflict. The
    /// change is durable (committed with full fsync on SQLite) when this returns.
    ///
    /// Concurrent changes are committed together (group commit, see `task_commit.rs`): one
    /// refused change does not undo the others, and each caller hears back only after the
    /// commit that holds its change.
    pub async fn set_task(
        &self,
        actor: &Actor,
        tenant_id: &str,
        u: &TaskUpdate,
    ) -> Result<TaskView> {
        let mut e = Errors::default();
        if let Some(p) = u.percent
            && !(0..=100).contains(&p)
        {
            e.push(FieldError::of("percent", "invalid-percent-range"));
        }
        if u.status.is_none() && u.percent.is_none() && u.role.is_none() {
            e.push(FieldError::of("status", "invalid-task-nothing"));
        }
        e.finish()?;
        let tid = ftop_domain::TenantId::parse(tenant_id)
            .map_err(|_| StoreError::NotFound(format!("tenant {tenant_id}")))?;
        self.commit_task(actor, tid.as_str(), u).await
    }

    /// One task change inside the caller's transaction (input already checked).
    pub(crate) async fn set_task_in(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        tenant_id: &str,
        u: &TaskUpdate,
    ) -> Result<TaskView> {
        let (_, _, template) = self.playbook()?;
        let facts = self.facts_in(tx, tenant_id).await?;
        let app = applicable(&template, &facts, tenant_id, u)?;
        let prev = sqlx::query(sql!(
            self,
            "SELECT status, percent, role, version FROM task_states
             WHERE tenant_id = $1 AND task_id = $2 AND service = $3",
        ))
        .bind(tenant_id)
        .bind(i64::from(u.task_id))
        .bind(&u.service)
        .fetch_optional(&mut **tx)
        .await?;
        let (before, now) = match &prev {
            Some(r) => self.update_state(tx, actor, tenant_id, u, r).await?,
            None => self.insert_state(tx, actor, tenant_id, u, &app).await?,
        };
        let status = TaskStatus::parse(&now.status).unwrap_or(app.default_status);
        self.audit(
            tx,
            actor,
            Change {
                tenant: Some(tenant_id),
                entity: "task",
                key: format!("{tenant_id}/{}/{}", u.task_id, u.service),
                action: "update",
                before: Some(before),
                after: Some(
                    json!({"status": status.key(), "percent": now.percent, "role": now.role}),
                ),
            },
        )
        .await?;
        let stored = Stored {
            status,
            percent: now.percent,
            role: now.role,
            version: now.version,
            updated_at: now.at,
            updated_by: actor.name.clone(),
        };
        Ok(view(&template, app, Some(stored)))
    }

    /// Changes a stored state read at `u.version` (else a conflict); returns the state
    /// before, as the audit log keeps it, and after.
    async fn update_state(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        tenant_id: &str,
        u: &TaskUpdate,
        r: &AnyRow,
    ) -> Result<(Value, Written)> {
        let v: i64 = r.try_get("version")?;
        let status: String = r.try_get("status")?;
        let percent: i64 = r.try_get("percent")?;
        let role: Option<String> = r.try_get("role")?;
        if v != u.version {
            return Err(StoreError::Conflict(format!(
                "task {} changed since version {} (now {v}); reload and try again",
                u.task_id, u.version
            )));
        }
        let before = json!({"status": status, "percent": percent, "role": role});
        let now = Written {
            status: u.status.map_or(status, |s| s.key().to_string()),
            percent: u
                .percent
                .unwrap_or(if u.status == Some(TaskStatus::Complete) {
                    100
                } else {
                    percent
                }),
            role: u.role.clone().or(role),
            version: v + 1,
            at: crate::now(),
        };
        sqlx::query(sql!(
            self,
            "UPDATE task_states SET status = $1, percent = $2, role = $3, version = version + 1,
                updated_at = $4, updated_by = $5, archived_version = NULL
             WHERE tenant_id = $6 AND task_id = $7 AND service = $8 AND version = $9",
        ))
        .bind(&now.status)
        .bind(now.percent)
        .bind(&now.role)
        .bind(&now.at)
        .bind(&actor.name)
        .bind(tenant_id)
        .bind(i64::from(u.task_id))
        .bind(&u.service)
        .bind(v)
        .execute(&mut **tx)
        .await?;
        Ok((before, now))
    }

    /// Stores the first state of a task never set (`u.version` must be 0, else a
    /// conflict); returns the state before (the task's default), as the audit log keeps
    /// it, and after.
    async fn insert_state(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        tenant_id: &str,
        u: &TaskUpdate,
        app: &Applicable,
    ) -> Result<(Value, Written)> {
        if u.version != 0 {
            return Err(StoreError::Conflict(format!(
                "task {} has no stored version {}; reload and try again",
                u.task_id, u.version
            )));
        }
        let status = u.status.unwrap_or(app.default_status);
        let now = Written {
            status: status.key().to_string(),
            percent: u.percent.unwrap_or(if status == TaskStatus::Complete {
                100
            } else {
                0
            }),
            role: u.role.clone(),
            version: 1,
            at: crate::now(),
        };
        sqlx::query(sql!(
            self,
            "INSERT INTO task_states (tenant_id, task_id, service, status, percent, role, version,
                updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8)",
        ))
        .bind(tenant_id)
        .bind(i64::from(u.task_id))
        .bind(&u.service)
        .bind(&now.status)
        .bind(now.percent)
        .bind(&now.role)
        .bind(&now.at)
        .bind(&actor.name)
        .execute(&mut **tx)
        .await?;
        let before = json!({"status": app.default_status.key(), "percent": 0, "role": null});
        Ok((before, now))
    }
}

/// A task state as written (the status as stored).
struct Written {
    status: String,
    percent: i64,
    role: Option<String>,
    version: i64,
    at: String,
}
