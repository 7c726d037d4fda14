//! What a tenant's current phase is worked out from (`phases.rs`), for the tenants in
//! scope (or those of them without a current kept phase, `kept.rs`): their flags, the
//! seats of their services and the stored states of their tenant-wide tasks, each one
//! bulk query, all in one read transaction (one snapshot).

use super::PortfolioScope;
use crate::sqlite::local::Cols;
use crate::{Result, Store};
use ftop_domain::TaskStatus;
use ftop_domain::instance::TenantFacts;
use sqlx::{Any, Row, Transaction};
use std::collections::{BTreeMap, HashMap};

/// The scope condition on a tenant ID column `col`: `$1` the partner organisation, `$2`
/// the assigned user (each bound, NULL when the scope leaves it open). The text follows
/// the scope's shape, so that a narrow scope is read from its own tenants (the user's
/// assignments, the organisation's tenants) by their indexes rather than by testing every
/// tenant; an open part still names its parameter (`$n IS NULL`).
pub(super) fn scope_on(col: &str, scope: PortfolioScope) -> String {
    let partner = match scope.partner_id {
        Some(_) => {
            format!("{col} IN (SELECT p.tenant_id FROM tenant_partners p WHERE p.partner_id = $1)")
        }
        None => "$1 IS NULL".into(),
    };
    let assigned = match scope.assigned_to {
        Some(_) => format!("{col} IN (SELECT a.tenant_id FROM assignments a WHERE a.user_id = $2)"),
        None => "$2 IS NULL".into(),
    };
    format!("{partner} AND {assigned}")
}

/// The scope condition on `t` (tenants).
pub(super) fn scope_on_t(scope: PortfolioScope) -> String {
    scope_on("t.tenant_id", scope)
}

/// Most tenants a snapshot reads by their IDs; beyond, it reads the whole scope.
pub(super) const BY_ID: usize = 500;

/// The condition "one of these tenants" on `t` for `n` IDs bound after the scope's two
/// parameters (none: every tenant in scope).
fn only_these(n: usize) -> String {
    if n == 0 {
        return String::new();
    }
    let marks: Vec<String> = (0..n).map(|i| format!("${}", i + 3)).collect();
    format!(" AND t.tenant_id IN ({})", marks.join(", "))
}

/// A tenant in scope and what rules see of it.
pub(super) struct Scoped {
    pub(super) id: String,
    pub(super) facts: TenantFacts,
}

/// What the phases are worked out from.
pub(super) struct Snapshot {
    /// The tenants in scope.
    pub(super) tenants: Vec<Scoped>,
    /// Stored states of tenant-wide tasks, by position in `tenants` and task ID.
    pub(super) states: HashMap<usize, HashMap<u32, TaskStatus>>,
}

/// Where each tenant ID stands in [`Snapshot::tenants`].
type Index = HashMap<String, usize>;

impl Store {
    /// A read transaction whose statements all see one snapshot (PostgreSQL: repeatable
    /// read; SQLite's read transactions always do).
    pub(super) async fn snapshot_begin(&self) -> Result<Transaction<'static, Any>> {
        Ok(match self.backend() {
            // One snapshot, and each statement planned for the scope's values: a plan made
            // once for any scope (PostgreSQL's generic plan, chosen after a few runs)
            // reads every tenant to find one user's few. One round trip.
            crate::Backend::Postgres => {
                self.pools
                    .read
                    .begin_with(
                        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
                         SET LOCAL plan_cache_mode = force_custom_plan",
                    )
                    .await?
            }
            crate::Backend::Sqlite => self.pools.read.begin().await?,
        })
    }

    /// The snapshot in `tx`; with `only` (at most [`BY_ID`]) only of those tenants.
    pub(super) async fn snapshot_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        scope: PortfolioScope,
        with_states: bool,
        only: &[String],
    ) -> Result<Snapshot> {
        let (index, mut tenants) = self.scoped_tenants(tx, scope, only).await?;
        self.scoped_services(tx, scope, only, &index, &mut tenants)
            .await?;
        let states = if with_states {
            self.tenant_wide_states(tx, scope, only, &index).await?
        } else {
            HashMap::new()
        };
        Ok(Snapshot { tenants, states })
    }

    /// The tenants in scope with their flags (services still empty).
    async fn scoped_tenants(
        &self,
        tx: &mut Transaction<'_, Any>,
        scope: PortfolioScope,
        only: &[String],
    ) -> Result<(Index, Vec<Scoped>)> {
        let q = format!(
            "SELECT t.tenant_id, t.enterprise_exception, t.adoption_benefit,
                (SELECT COUNT(*) FROM assignments c WHERE c.tenant_id = t.tenant_id AND c.role = 'csm') AS csm
             FROM tenants t WHERE {}{}",
            scope_on_t(scope),
            only_these(only.len())
        );
        let q = self.dialect_of(q);
        let rows = self.scoped(&q, scope, only).fetch_all(&mut **tx).await?;
        let mut index = Index::with_capacity(rows.len());
        let mut tenants = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: String = r.try_get("tenant_id")?;
            index.insert(id.clone(), tenants.len());
            tenants.push(Scoped {
                id,
                facts: crate::engagement::playbooks::facts_of_row(r, BTreeMap::new())?,
            });
        }
        Ok((index, tenants))
    }

    /// The seats of the tenants' services, into their facts.
    async fn scoped_services(
        &self,
        tx: &mut Transaction<'_, Any>,
        scope: PortfolioScope,
        only: &[String],
        index: &Index,
        tenants: &mut [Scoped],
    ) -> Result<()> {
        let q = format!(
            "SELECT s.tenant_id, s.service, s.qualified
             FROM tenant_services s JOIN tenants t ON t.tenant_id = s.tenant_id WHERE {}{}",
            scope_on_t(scope),
            only_these(only.len())
        );
        let q = self.dialect_of(q);
        let rows = self.scoped(&q, scope, only).fetch_all(&mut **tx).await?;
        for r in &rows {
            let id: String = r.try_get(0)?;
            let qualified: i64 = r.try_get(2)?;
            if let Some(&i) = index.get(&id) {
                tenants[i]
                    .facts
                    .services
                    .insert(r.try_get(1)?, qualified.max(0) as u64);
            }
        }
        Ok(())
    }

    /// Statement `q` (in the engine's dialect) with the scope's values and `only`'s bound.
    pub(super) fn scoped<'q>(
        &self,
        q: &'q str,
        scope: PortfolioScope,
        only: &'q [String],
    ) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
        let mut query = sqlx::query(q)
            .bind(scope.partner_id)
            .bind(scope.assigned_to);
        for id in only {
            query = query.bind(id.as_str());
        }
        query
    }

    /// Stored states of tenant-wide tasks: the only ones a tenant's phase depends on.
    async fn tenant_wide_states(
        &self,
        tx: &mut Transaction<'_, Any>,
        scope: PortfolioScope,
        only: &[String],
        index: &Index,
    ) -> Result<HashMap<usize, HashMap<u32, TaskStatus>>> {
        let q = format!(
            "SELECT s.tenant_id, s.task_id, s.status
                 FROM task_states s JOIN tenants t ON t.tenant_id = s.tenant_id
                 WHERE s.archived_version IS NULL AND s.service = '' AND {}{}",
            scope_on_t(scope),
            only_these(only.len())
        );
        let q = self.dialect_of(q);
        let rows = self.scoped(&q, scope, only).fetch_all(&mut **tx).await?;
        let mut states: HashMap<usize, HashMap<u32, TaskStatus>> = HashMap::new();
        for r in &rows {
            let id: String = r.try_get(0)?;
            let Some(&i) = index.get(&id) else { continue };
            let task = u32::try_from(r.try_get::<i64, _>(1)?).unwrap_or(0);
            states
                .entry(i)
                .or_default()
                .insert(task, r.key("status", TaskStatus::parse)?);
        }
        Ok(states)
    }
}
