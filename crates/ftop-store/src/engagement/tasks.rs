//! A tenant's playbook tasks: what applies (from the playbook and the tenant's facts) joined
//! with the states people set. Only touched tasks are stored.

use crate::audit::Change;
use crate::sqlite::local::Cols;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::instance::{InstanceKey, TenantFacts};
use ftop_domain::{Errors, FieldError, Invalid, TaskStatus};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;
use std::collections::HashMap;

/// A task of a tenant, as the playbook tab shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskView {
    /// Task ID.
    pub task_id: u32,
    /// Service key, or "" for a tenant-wide task.
    pub service: String,
    /// Name.
    pub name: String,
    /// Mandatory.
    pub mandatory: bool,
    /// Phase key.
    pub phase: String,
    /// Phase name.
    pub phase_name: String,
    /// Process key.
    pub process_key: String,
    /// Process title.
    pub process: String,
    /// Step title.
    pub step: String,
    /// Responsible role key (the playbook's, or the one set on the task).
    pub role: String,
    /// The playbook's responsible role as written.
    pub role_name: String,
    /// Status.
    pub status: TaskStatus,
    /// Percent complete.
    pub percent: i64,
    /// Version of the stored state (0: never set).
    pub version: i64,
    /// Last change (UTC), if any.
    pub updated_at: Option<String>,
    /// Who made it.
    pub updated_by: Option<String>,
}

/// A change to one task.
#[derive(Debug, Clone, Default)]
pub struct TaskUpdate {
    /// Task ID.
    pub task_id: u32,
    /// Service key, or "" for a tenant-wide task.
    pub service: String,
    /// The version read (0 for a task never set). A stale version is a conflict.
    pub version: i64,
    /// New status.
    pub status: Option<TaskStatus>,
    /// New percent complete (0-100).
    pub percent: Option<i64>,
    /// New responsible role key.
    pub role: Option<String>,
}

struct Stored {
    status: TaskStatus,
    percent: i64,
    role: Option<String>,
    version: i64,
    updated_at: String,
    updated_by: String,
}

fn stored_of(r: &impl Cols) -> Result<(InstanceKey, Stored)> {
    Ok((
        InstanceKey {
            task: u32::try_from(r.int("task_id")?).unwrap_or(0),
            service: r.text("service")?,
        },
        Stored {
            status: r.key("status", TaskStatus::parse)?,
            percent: r.int("percent")?,
            role: r.opt_text("role")?,
            version: r.int("version")?,
            updated_at: r.text("updated_at")?,
            updated_by: r.text("updated_by")?,
        },
    ))
}

impl Store {
    async fn stored_states(&self, tenant_id: &str) -> Result<HashMap<InstanceKey, Stored>> {
        let q = sql!(
            self,
            "SELECT task_id, service, status, percent, role, version, updated_at, updated_by
             FROM task_states WHERE tenant_id = $1 AND archived_version IS NULL",
        );
        if let Some(local) = self.local() {
            return local.with(|c| {
                let mut st = c.prepare_cached(q)?;
                let mut rows = st.query([tenant_id])?;
                let mut out = HashMap::new();
                while let Some(r) = rows.next()? {
                    let (k, v) = stored_of(r)?;
                    out.insert(k, v);
                }
                Ok(out)
            });
        }
        sqlx::query(q)
            .bind(tenant_id)
            .fetch_all(&self.pools.read)
            .await?
            .iter()
            .map(stored_of)
            .collect()
    }

    /// Every task that applies to the tenant, in playbook order, with its status.
    pub async fn tenant_tasks(&self, tenant_id: &str) -> Result<Vec<TaskView>> {
        let id = ftop_domain::TenantId::parse(tenant_id)
            .map_err(|_| StoreError::NotFound(format!("tenant {tenant_id}")))?;
        let facts = self.facts(id.as_str()).await?;
        self.tasks_of(id.as_str(), &facts).await
    }

    /// The tasks that apply to a tenant with these facts (from [`Store::tenant_for`]), in
    /// playbook order, with their status: one round trip.
    pub async fn tasks_of(&self, tenant_id: &str, facts: &TenantFacts) -> Result<Vec<TaskView>> {
        let (_, _, template) = self.playbook()?;
        let mut states = self.stored_states(tenant_id).await?;
        let applicable = template.applicable(facts);
        Ok(applicable
            .into_iter()
            .map(|a| {
                let task = &template.tasks[a.index];
                let s = states.remove(&a.key);
                TaskView {
                    task_id: a.key.task,
                    name: task.name.clone(),
                    mandatory: task.mandatory,
                    phase: task.phase_key.clone(),
                    phase_name: template.phase_name(&task.phase_key).to_string(),
                    role_name: task.role.clone(),
                    process_key: task.process_key.clone(),
                    process: task.process.clone(),
                    step: task.step.clone(),
                    role: s
                        .as_ref()
                        .and_then(|s| s.role.clone())
                        .unwrap_or_else(|| task.role_key.clone()),
                    status: s.as_ref().map_or(a.default_status, |s| s.status),
                    percent: s.as_ref().map_or(0, |s| s.percent),
                    version: s.as_ref().map_or(0, |s| s.version),
                    updated_at: s.as_ref().map(|s| s.updated_at.clone()),
                    updated_by: s.map(|s| s.updated_by),
                    service: a.key.service,
                }
            })
            .collect())
    }

    /// Is `phase` complete for the tenant and service ("" for tenant-wide tasks only)?
    pub async fn phase_complete(
        &self,
        tenant_id: &str,
        phase: &str,
        service: &str,
    ) -> Result<bool> {
        let (_, _, template) = self.playbook()?;
        let t = self.tenant(tenant_id).await?;
        let facts = self.facts(&t.tenant_id).await?;
        let states = self.stored_states(&t.tenant_id).await?;
        let applicable = template.applicable(&facts);
        let svc = (!service.is_empty()).then_some(service);
        Ok(template.phase_complete(&applicable, phase, svc, |k| states.get(k).map(|s| s.status)))
    }

    /// Sets a task's status, percent or role. The task must apply to the tenant, and
    /// `version` must be the one read: otherwise the change is refused as a conflict. The
    /// change is durable (committed with full fsync on SQLite) when this returns.
    ///
    /// Concurrent changes are committed together (group commit, see `group.rs`): each in
    /// its own savepoint, so one refused change does not undo the others, and each caller
    /// hears back only after the commit that holds its change.
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
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        actor: &Actor,
        tenant_id: &str,
        u: &TaskUpdate,
    ) -> Result<TaskView> {
        let (_, _, template) = self.playbook()?;
        let facts = self.facts_in(tx, tenant_id).await?;
        let key = InstanceKey {
            task: u.task_id,
            service: u.service.clone(),
        };
        let Some(app) = template
            .applicable(&facts)
            .into_iter()
            .find(|a| a.key == key)
        else {
            let e = if u.service.is_empty() {
                FieldError::of("task_id", "invalid-task-not-applicable")
            } else {
                FieldError::of("task_id", "invalid-task-not-applicable-service")
                    .with("service", u.service.clone())
            };
            return Err(Invalid::from(
                e.with("task", u.task_id.to_string())
                    .with("tenant", tenant_id),
            )
            .into());
        };
        let task = &template.tasks[app.index];
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
        let now = crate::now();
        let (before, version, status, percent, role) = match &prev {
            Some(r) => {
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
                let status = u.status.map_or(status.clone(), |s| s.key().to_string());
                let pct = u
                    .percent
                    .unwrap_or(if u.status == Some(TaskStatus::Complete) {
                        100
                    } else {
                        percent
                    });
                let new_role = u.role.clone().or(role.clone());
                sqlx::query(sql!(self,
                    "UPDATE task_states SET status = $1, percent = $2, role = $3, version = version + 1,
                        updated_at = $4, updated_by = $5, archived_version = NULL
                     WHERE tenant_id = $6 AND task_id = $7 AND service = $8 AND version = $9",
                ))
                .bind(&status)
                .bind(pct)
                .bind(&new_role)
                .bind(&now)
                .bind(&actor.name)
                .bind(tenant_id)
                .bind(i64::from(u.task_id))
                .bind(&u.service)
                .bind(v)
                .execute(&mut **tx)
                .await?;
                (
                    json!({"status": r.try_get::<String, _>("status")?, "percent": percent, "role": role}),
                    v + 1,
                    status,
                    pct,
                    new_role,
                )
            }
            None => {
                if u.version != 0 {
                    return Err(StoreError::Conflict(format!(
                        "task {} has no stored version {}; reload and try again",
                        u.task_id, u.version
                    )));
                }
                let status = u.status.unwrap_or(app.default_status);
                let pct = u.percent.unwrap_or(if status == TaskStatus::Complete {
                    100
                } else {
                    0
                });
                sqlx::query(sql!(self,
                    "INSERT INTO task_states (tenant_id, task_id, service, status, percent, role, version,
                        updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8)",
                ))
                .bind(tenant_id)
                .bind(i64::from(u.task_id))
                .bind(&u.service)
                .bind(status.key())
                .bind(pct)
                .bind(&u.role)
                .bind(&now)
                .bind(&actor.name)
                .execute(&mut **tx)
                .await?;
                (
                    json!({"status": app.default_status.key(), "percent": 0, "role": null}),
                    1,
                    status.key().to_string(),
                    pct,
                    u.role.clone(),
                )
            }
        };
        let status = TaskStatus::parse(&status).unwrap_or(app.default_status);
        self.audit(
            tx,
            actor,
            Change {
                tenant: Some(tenant_id),
                entity: "task",
                key: format!("{tenant_id}/{}/{}", u.task_id, u.service),
                action: "update",
                before: Some(before),
                after: Some(json!({"status": status.key(), "percent": percent, "role": role})),
            },
        )
        .await?;
        Ok(TaskView {
            task_id: u.task_id,
            service: u.service.clone(),
            name: task.name.clone(),
            mandatory: task.mandatory,
            phase: task.phase_key.clone(),
            phase_name: template.phase_name(&task.phase_key).to_string(),
            role_name: task.role.clone(),
            process_key: task.process_key.clone(),
            process: task.process.clone(),
            step: task.step.clone(),
            role: role.unwrap_or_else(|| task.role_key.clone()),
            status,
            percent,
            version,
            updated_at: Some(now),
            updated_by: Some(actor.name.clone()),
        })
    }

    /// Stored states of a tenant's tasks that a playbook upgrade archived: (task, service,
    /// status, archived in version).
    pub async fn archived_tasks(
        &self,
        tenant_id: &str,
    ) -> Result<Vec<(u32, String, TaskStatus, i64)>> {
        let rows = sqlx::query(sql!(
            self,
            "SELECT task_id, service, status, archived_version FROM task_states
             WHERE tenant_id = $1 AND archived_version IS NOT NULL ORDER BY task_id, service",
        ))
        .bind(tenant_id)
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    u32::try_from(r.try_get::<i64, _>(0)?).unwrap_or(0),
                    r.try_get(1)?,
                    r.key("status", TaskStatus::parse)?,
                    r.try_get(3)?,
                ))
            })
            .collect()
    }
}

impl Store {
    /// The stored version of one task of a tenant (0 when never set).
    pub async fn task_version(&self, tenant_id: &str, task_id: u32, service: &str) -> Result<i64> {
        let r = sqlx::query(sql!(self,
            "SELECT version FROM task_states WHERE tenant_id = $1 AND task_id = $2 AND service = $3",
        ))
        .bind(tenant_id.trim().to_ascii_lowercase())
        .bind(i64::from(task_id))
        .bind(service)
        .fetch_optional(&self.pools.write)
        .await?;
        Ok(match r {
            Some(r) => r.try_get(0)?,
            None => 0,
        })
    }
}
