//! A tenant's playbook tasks: what applies (from the playbook and the tenant's facts) joined
//! with the states people set. Only touched tasks are stored. Setting a task is in
//! `set.rs` (committed in groups by `task_commit.rs`).

mod set;

use crate::sqlite::local::Cols;
use crate::{Result, Store, StoreError};
use ftop_domain::TaskStatus;
use ftop_domain::instance::{Applicable, InstanceKey, Template, TenantFacts};
use serde::Serialize;
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

/// A task's stored state.
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

/// The columns of a stored task state that [`stored_of`] reads.
const STATE_COLS: [&str; 8] = [
    "task_id",
    "service",
    "status",
    "percent",
    "role",
    "version",
    "updated_at",
    "updated_by",
];

/// A tenant's live task states (`$1`: the tenant).
fn states_sql() -> String {
    format!(
        "SELECT {} FROM task_states WHERE tenant_id = $1 AND archived_version IS NULL",
        STATE_COLS.join(", ")
    )
}

/// The same states as one JSON array of objects named by column (NULL when there is
/// none), for a read that brings them back with the tenant in one statement (PostgreSQL's
/// hot read); [`Store::tasks_from_json`] reads it.
pub(crate) fn states_json_sql() -> String {
    let fields: Vec<String> = STATE_COLS
        .iter()
        .map(|c| format!("'{c}', ts.{c}"))
        .collect();
    format!(
        "(SELECT CAST(json_agg(json_build_object({})) AS TEXT) FROM ({}) ts)",
        fields.join(", "),
        states_sql()
    )
}

/// A task as shown: the applicable task `a` of `template` with its stored state, if any.
fn view(template: &Template, a: Applicable, s: Option<Stored>) -> TaskView {
    let task = &template.tasks[a.index];
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
}

impl Store {
    async fn stored_states(&self, tenant_id: &str) -> Result<HashMap<InstanceKey, Stored>> {
        let q = sql!(self, format!("{}", states_sql()));
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
        if let Some(pg) = self.pg_hot() {
            let mut c = crate::postgres::hot::acquire(pg).await?;
            let r = sqlx::query(q).bind(tenant_id).fetch_all(&mut *c).await;
            return crate::postgres::hot::checked(&mut c, r)?
                .iter()
                .map(stored_of)
                .collect();
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
        let states = self.stored_states(tenant_id).await?;
        self.task_views(facts, states)
    }

    /// The tasks of a tenant with these facts from its states as [`states_json_sql`]
    /// sends them (`None`: none stored).
    pub(crate) fn tasks_from_json(
        &self,
        facts: &TenantFacts,
        json: Option<&str>,
    ) -> Result<Vec<TaskView>> {
        let states = match json {
            None => HashMap::new(),
            Some(text) => {
                serde_json::from_str::<Vec<serde_json::Map<String, serde_json::Value>>>(text)
                    .map_err(|e| StoreError::Internal(format!("task states as JSON: {e}")))?
                    .iter()
                    .map(stored_of)
                    .collect::<Result<_>>()?
            }
        };
        self.task_views(facts, states)
    }

    /// The tasks that apply to a tenant with these facts, with the states stored.
    fn task_views(
        &self,
        facts: &TenantFacts,
        mut states: HashMap<InstanceKey, Stored>,
    ) -> Result<Vec<TaskView>> {
        let (_, _, template) = self.playbook()?;
        let applicable = template.applicable(facts);
        Ok(applicable
            .into_iter()
            .map(|a| {
                let s = states.remove(&a.key);
                view(&template, a, s)
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
