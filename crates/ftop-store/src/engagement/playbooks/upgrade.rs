//! The upgrade of every tenant's instance when a new playbook version is loaded: tasks
//! match by ID; states of tasks that no longer apply are archived (never deleted), tasks
//! that apply again get their archived state back, and the changes are recorded per
//! tenant.

use super::{Current, LoadReport};
use crate::audit::Change;
use crate::{Actor, Result, Store};
use ftop_domain::instance::{Template, upgrade};
use serde_json::json;
use sqlx::{Any, Row, Transaction};

impl Store {
    /// Upgrades every tenant from `old` to `new` (the version in `report`), adding to the
    /// report.
    pub(super) async fn upgrade_tenants(
        &self,
        tx: &mut Transaction<'_, Any>,
        actor: &Actor,
        old: &Current,
        new: &Template,
        report: &mut LoadReport,
    ) -> Result<()> {
        // PostgreSQL: every tenant's row locked first, in key order, as the kept-phase
        // and "RM is not the partner" triggers lock tenants before what they keep: the
        // task states rewritten below lock the tenants' phase rows, and the version is
        // then written on every tenant.
        let q = match self.backend() {
            crate::Backend::Postgres => {
                "SELECT tenant_id FROM tenants ORDER BY tenant_id FOR NO KEY UPDATE"
            }
            crate::Backend::Sqlite => "SELECT tenant_id FROM tenants ORDER BY tenant_id",
        };
        let ids: Vec<String> = sqlx::query(q)
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<std::result::Result<_, _>>()?;
        for id in ids {
            self.upgrade_tenant(tx, actor, old, new, &id, report)
                .await?;
        }
        Ok(())
    }

    /// Upgrades one tenant's stored task states.
    async fn upgrade_tenant(
        &self,
        tx: &mut Transaction<'_, Any>,
        actor: &Actor,
        old: &Current,
        new: &Template,
        id: &str,
        report: &mut LoadReport,
    ) -> Result<()> {
        let facts = self.facts_in(tx, id).await?;
        let changes = upgrade(&old.template, new, &facts);
        for k in &changes.removed {
            let n = sqlx::query(sql!(self,
                "UPDATE task_states SET archived_version = $1
                 WHERE tenant_id = $2 AND task_id = $3 AND service = $4 AND archived_version IS NULL",
            ))
            .bind(report.version)
            .bind(id)
            .bind(i64::from(k.task))
            .bind(&k.service)
            .execute(&mut **tx)
            .await?;
            report.archived += n.rows_affected();
        }
        // A task that applies again comes back with its archived state.
        for k in &changes.added {
            sqlx::query(sql!(
                self,
                "UPDATE task_states SET archived_version = NULL
                 WHERE tenant_id = $1 AND task_id = $2 AND service = $3",
            ))
            .bind(id)
            .bind(i64::from(k.task))
            .bind(&k.service)
            .execute(&mut **tx)
            .await?;
        }
        if !changes.is_empty() {
            let changes_json = serde_json::to_string(&changes).unwrap_or_default();
            sqlx::query(sql!(
                self,
                "INSERT INTO playbook_upgrades (version, tenant_id, changes) VALUES ($1, $2, $3)",
            ))
            .bind(report.version)
            .bind(id)
            .bind(&changes_json)
            .execute(&mut **tx)
            .await?;
            self.audit(
                tx,
                actor,
                Change {
                    tenant: Some(id),
                    entity: "playbook",
                    key: format!("{id}/{}", report.version),
                    action: "upgrade",
                    before: Some(json!({"version": old.version})),
                    after: Some(json!({"version": report.version, "changes": changes})),
                },
            )
            .await?;
            report.tenants.insert(id.to_string(), changes);
        }
        Ok(())
    }
}
