//! The portfolio summary's reads: the tenants in scope with their flags and primary
//! FastTrack Manager, their services and the stored states of their tenant-wide tasks,
//! each one bulk query, all in one read transaction (one snapshot).

use super::{PortfolioScope, ServiceCount};
use crate::engagement::people::primary_manager;
use crate::sqlite::local::Cols;
use crate::{Result, Store};
use ftop_domain::catalogue::service as find_service;
use ftop_domain::instance::TenantFacts;
use ftop_domain::{OverallStatus, TaskStatus};
use sqlx::{Any, Row, Transaction};
use std::collections::{BTreeMap, HashMap};

/// The scope condition on `t` (tenants): $1 partner organisation, $2 assigned user.
macro_rules! scope {
    () => {
        "($1 IS NULL OR t.tenant_id IN (SELECT p.tenant_id FROM tenant_partners p WHERE p.partner_id = $1))
         AND ($2 IS NULL OR t.tenant_id IN (SELECT a.tenant_id FROM assignments a WHERE a.user_id = $2))"
    };
}

/// A tenant in scope, as the summary counts it.
pub(super) struct Scoped {
    pub(super) id: String,
    pub(super) status: OverallStatus,
    pub(super) active: bool,
    pub(super) owner: Option<(i64, String)>,
    pub(super) facts: TenantFacts,
}

/// What the summary is computed from.
pub(super) struct Snapshot {
    /// The tenants in scope.
    pub(super) tenants: Vec<Scoped>,
    /// Rows by service key (services some tenant is entitled to).
    pub(super) services: BTreeMap<String, ServiceCount>,
    /// Stored states of tenant-wide tasks, by position in `tenants` and task ID.
    pub(super) states: HashMap<usize, HashMap<u32, TaskStatus>>,
}

/// Where each tenant ID stands in [`Snapshot::tenants`].
type Index = HashMap<String, usize>;

impl Store {
    /// Reads the snapshot (task states only `with_states`: they matter for phases alone).
    pub(super) async fn portfolio_snapshot(
        &self,
        scope: PortfolioScope,
        with_states: bool,
    ) -> Result<Snapshot> {
        let mut tx = self.pools.read.begin().await?;
        let (index, mut tenants) = self.scoped_tenants(&mut tx, scope).await?;
        let services = self
            .scoped_services(&mut tx, scope, &index, &mut tenants)
            .await?;
        let states = if with_states {
            self.tenant_wide_states(&mut tx, scope, &index).await?
        } else {
            HashMap::new()
        };
        tx.commit().await?;
        Ok(Snapshot {
            tenants,
            services,
            states,
        })
    }

    /// The tenants in scope with their flags and primary FastTrack Manager (services
    /// still empty).
    async fn scoped_tenants(
        &self,
        tx: &mut Transaction<'_, Any>,
        scope: PortfolioScope,
    ) -> Result<(Index, Vec<Scoped>)> {
        let rows = sqlx::query(sql!(self, concat!(
            "SELECT t.tenant_id, t.overall_status, t.active, t.enterprise_exception, t.adoption_benefit,
                (SELECT COUNT(*) FROM assignments c WHERE c.tenant_id = t.tenant_id AND c.role = 'csm') AS csm,
                fm.user_id AS owner_id, u.name AS owner
             FROM tenants t
             LEFT JOIN assignments fm ON fm.tenant_id = t.tenant_id AND ",
            primary_manager!("fm"),
            "
             LEFT JOIN users u ON u.id = fm.user_id
             WHERE ",
            scope!()
        )))
        .bind(scope.partner_id)
        .bind(scope.assigned_to)
        .fetch_all(&mut **tx)
        .await?;
        let mut index = Index::with_capacity(rows.len());
        let mut tenants = Vec::with_capacity(rows.len());
        for r in &rows {
            let owner_id: Option<i64> = r.try_get("owner_id")?;
            let owner_name: Option<String> = r.try_get("owner")?;
            let id: String = r.try_get("tenant_id")?;
            index.insert(id.clone(), tenants.len());
            tenants.push(Scoped {
                id,
                status: r.key("overall_status", OverallStatus::parse)?,
                active: r.int("active")? != 0,
                owner: owner_id.zip(owner_name),
                facts: crate::engagement::playbooks::facts_of_row(r, BTreeMap::new())?,
            });
        }
        Ok((index, tenants))
    }

    /// The services of the tenants in scope: into each tenant's facts, and summed per
    /// service over the tenants entitled to it.
    async fn scoped_services(
        &self,
        tx: &mut Transaction<'_, Any>,
        scope: PortfolioScope,
        index: &Index,
        tenants: &mut [Scoped],
    ) -> Result<BTreeMap<String, ServiceCount>> {
        let rows = sqlx::query(sql!(
            self,
            concat!(
                "SELECT s.tenant_id, s.service, s.entitlements, s.qualified
             FROM tenant_services s JOIN tenants t ON t.tenant_id = s.tenant_id WHERE ",
                scope!()
            )
        ))
        .bind(scope.partner_id)
        .bind(scope.assigned_to)
        .fetch_all(&mut **tx)
        .await?;
        let mut by_service: BTreeMap<String, ServiceCount> = BTreeMap::new();
        for r in &rows {
            let id: String = r.try_get(0)?;
            let key: String = r.try_get(1)?;
            let entitlements: i64 = r.try_get(2)?;
            let qualified: i64 = r.try_get(3)?;
            if let Some(&i) = index.get(&id) {
                tenants[i]
                    .facts
                    .services
                    .insert(key.clone(), qualified.max(0) as u64);
            }
            if entitlements > 0 {
                let row = by_service
                    .entry(key.clone())
                    .or_insert_with(|| ServiceCount {
                        name: find_service(&key).map_or_else(|| key.clone(), |s| s.name.into()),
                        service: key,
                        tenants: 0,
                        entitlements: 0,
                        seats: 0,
                    });
                row.tenants += 1;
                row.entitlements += entitlements;
                row.seats += qualified;
            }
        }
        Ok(by_service)
    }

    /// Stored states of tenant-wide tasks: the only ones a tenant's phase depends on.
    async fn tenant_wide_states(
        &self,
        tx: &mut Transaction<'_, Any>,
        scope: PortfolioScope,
        index: &Index,
    ) -> Result<HashMap<usize, HashMap<u32, TaskStatus>>> {
        let rows = sqlx::query(sql!(
            self,
            concat!(
                "SELECT s.tenant_id, s.task_id, s.status
                 FROM task_states s JOIN tenants t ON t.tenant_id = s.tenant_id
                 WHERE s.archived_version IS NULL AND s.service = '' AND ",
                scope!()
            )
        ))
        .bind(scope.partner_id)
        .bind(scope.assigned_to)
        .fetch_all(&mut **tx)
        .await?;
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
