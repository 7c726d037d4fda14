//! The portfolio summary from counts the database makes (issue 16, BENCHMARKS.md B11):
//! tenants by overall status, by primary FastTrack Manager and by service, each one
//! grouped statement; by current phase from the phases kept per tenant (`tenant_phases`,
//! migration 25). A kept phase counts while nothing it is worked out from has changed
//! since (its `phase_gen` is the tenant's `gen`, which triggers move) and the playbook
//! version it was worked out for is in force. The tenants without one have their phase
//! worked out by the domain rule (`phases.rs`) from a snapshot of their facts and task
//! states, and written back after the view for the next one; a write-back carries the
//! gen it read, so it changes nothing once a change has moved the gen meanwhile.

use super::scan::{scope_on, scope_on_t};
use super::{OwnerCount, PortfolioScope, PortfolioSummary, ServiceCount, StatusCount};
use crate::engagement::people::primary_manager;
use crate::{Backend, Result, Store};
use ftop_domain::OverallStatus;
use ftop_domain::catalogue::service as find_service;
use ftop_domain::instance::Template;
use sqlx::{Any, Row, Transaction};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A kept phase that counts: current for its tenant and for playbook version $3 (never
/// NULL, so that `NOT` keeps the others).
const KEPT: &str = "COALESCE(kp.phase_gen, -1) = kp.gen
    AND COALESCE(kp.playbook_version, -1) = $3 AND kp.phase IS NOT NULL";

/// The condition "tenant `t` has a kept phase that counts for playbook version `version`
/// and it is phase `phase`" ([`KEPT`] with the placeholders given), for lists narrowed to
/// a phase.
pub(crate) fn kept_in_phase(version: &str, phase: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM tenant_phases kp WHERE kp.tenant_id = t.tenant_id
            AND {} AND kp.phase = {phase})",
        KEPT.replace("$3", version)
    )
}

/// The tenants in scope in one phase, as lists narrowed to it read them: those whose kept
/// phase counts and is that one ([`kept_in_phase`]), and those worked out here.
#[derive(Debug, Clone)]
pub(crate) struct InPhase {
    /// The playbook version in force.
    pub(crate) version: i64,
    /// The phase: its index in the playbook's phases (their number: every one complete).
    pub(crate) index: i64,
    /// The tenants in that phase whose phase was not kept, worked out for this read.
    pub(crate) worked: Vec<String>,
}

/// The write-back of phases worked out by views: whether a writer is running, and the
/// phases waiting for it.
#[derive(Debug, Default)]
pub(crate) struct PhaseWriteBack(std::sync::Mutex<WriteBack>);

#[derive(Debug, Default)]
pub(crate) struct WriteBack {
    running: bool,
    pending: Option<(i64, Vec<Worked>)>,
}

impl PhaseWriteBack {
    fn lock(&self) -> std::sync::MutexGuard<'_, WriteBack> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Phases written back a statement (three parameters each).
const WRITE_BACK_ROWS: usize = 200;

/// A phase worked out in a view: the tenant, the gen it was read at, the phase.
pub(crate) type Worked = (String, i64, usize);

/// A phase worked out in a view, and the gen it was read at when the tenant has a row to
/// keep it in.
type WorkedOut = (String, Option<i64>, usize);

/// The phases that can be kept.
fn keepable(worked: Vec<WorkedOut>) -> Vec<Worked> {
    worked
        .into_iter()
        .filter_map(|(id, stamp, phase)| stamp.map(|s| (id, s, phase)))
        .collect()
}

impl Store {
    /// The summary in `tx`: its counts by overall status, by owner and by service, and,
    /// with `playbook`, by current phase; with the phases worked out here for
    /// [`Store::keep_phases`].
    pub(super) async fn summary_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        scope: PortfolioScope,
        playbook: Option<(i64, &Template)>,
    ) -> Result<(PortfolioSummary, Vec<Worked>)> {
        let mut out = self.count_statuses(tx, scope).await?;
        out.by_owner = self.count_owners(tx, scope, out.tenants).await?;
        out.by_service = self.count_services(tx, scope).await?;
        let Some((version, template)) = playbook else {
            return Ok((out, Vec::new()));
        };
        let (counts, worked) = self
            .count_phases(tx, scope, version, template, out.tenants)
            .await?;
        out.by_phase = super::phases::phase_rows(template, &counts);
        Ok((out, keepable(worked)))
    }

    /// The tenants in `scope` whose current phase is phase `index` of `template` (playbook
    /// `version`), for a list narrowed to it: the phases not kept are worked out here,
    /// returned when in that phase, and kept for the next read.
    pub(super) async fn in_phase(
        &self,
        scope: PortfolioScope,
        version: i64,
        template: &Template,
        index: usize,
    ) -> Result<InPhase> {
        let mut tx = self.snapshot_begin().await?;
        let q = self.dialect_of(format!(
            "SELECT COUNT(*) FROM tenants t WHERE {}",
            scope_on_t(scope)
        ));
        let tenants: i64 = self
            .scoped(&q, scope, &[])
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        let (_, worked) = self
            .count_phases(&mut tx, scope, version, template, tenants)
            .await?;
        tx.commit().await?;
        let here = worked
            .iter()
            .filter(|w| w.2 == index)
            .map(|w| w.0.clone())
            .collect();
        self.keep_phases(version, keepable(worked));
        Ok(InPhase {
            version,
            index: index as i64,
            worked: here,
        })
    }

    /// The tenants in scope in all, active or not, and by overall status.
    async fn count_statuses(
        &self,
        tx: &mut Transaction<'_, Any>,
        scope: PortfolioScope,
    ) -> Result<PortfolioSummary> {
        let q = self.dialect_of(format!(
            "SELECT t.overall_status, t.active, COUNT(*) FROM tenants t WHERE {}
             GROUP BY t.overall_status, t.active",
            scope_on_t(scope)
        ));
        let statuses = self.scoped(&q, scope, &[]).fetch_all(&mut **tx).await?;
        let mut out = PortfolioSummary {
            by_status: OverallStatus::ALL
                .iter()
                .map(|&status| StatusCount {
                    status,
                    tenants: 0,
                    active: 0,
                    inactive: 0,
                })
                .collect(),
            ..PortfolioSummary::default()
        };
        for r in &statuses {
            let key: String = r.try_get(0)?;
            let active = r.try_get::<i64, _>(1)? != 0;
            let n: i64 = r.try_get(2)?;
            out.tenants += n;
            if active {
                out.active += n;
            } else {
                out.inactive += n;
            }
            if let Some(s) = OverallStatus::parse(&key)
                .and_then(|st| out.by_status.iter_mut().find(|s| s.status == st))
            {
                s.tenants += n;
                if active {
                    s.active += n;
                } else {
                    s.inactive += n;
                }
            }
        }
        Ok(out)
    }

    /// The `tenants` in scope by their primary FastTrack Manager (one a tenant at most);
    /// the rest are nobody's.
    async fn count_owners(
        &self,
        tx: &mut Transaction<'_, Any>,
        scope: PortfolioScope,
        tenants: i64,
    ) -> Result<Vec<OwnerCount>> {
        let q = self.dialect_of(format!(
            "SELECT fm.user_id, u.name, COUNT(*) FROM assignments fm
             JOIN users u ON u.id = fm.user_id WHERE {} AND {}
             GROUP BY fm.user_id, u.name",
            primary_manager!("fm"),
            scope_on("fm.tenant_id", scope)
        ));
        let owners = self.scoped(&q, scope, &[]).fetch_all(&mut **tx).await?;
        let mut by_owner: HashMap<Option<i64>, OwnerCount> = HashMap::new();
        let mut owned = 0;
        for r in &owners {
            let id: i64 = r.try_get(0)?;
            let n: i64 = r.try_get(2)?;
            owned += n;
            by_owner.insert(
                Some(id),
                OwnerCount {
                    user_id: Some(id),
                    owner: Some(r.try_get(1)?),
                    tenants: n,
                },
            );
        }
        if tenants > owned {
            by_owner.insert(
                None,
                OwnerCount {
                    user_id: None,
                    owner: None,
                    tenants: tenants - owned,
                },
            );
        }
        Ok(super::owners_ranked(by_owner))
    }

    /// The tenants in scope entitled to each service, with their entitlements and seats.
    async fn count_services(
        &self,
        tx: &mut Transaction<'_, Any>,
        scope: PortfolioScope,
    ) -> Result<Vec<ServiceCount>> {
        let q = self.dialect_of(format!(
            "SELECT s.service, COUNT(*), CAST(SUM(s.entitlements) AS BIGINT),
                CAST(SUM(s.qualified) AS BIGINT)
             FROM tenant_services s WHERE s.entitlements > 0 AND {}
             GROUP BY s.service",
            scope_on("s.tenant_id", scope)
        ));
        let services = self.scoped(&q, scope, &[]).fetch_all(&mut **tx).await?;
        let mut by_service = BTreeMap::new();
        for r in &services {
            let key: String = r.try_get(0)?;
            by_service.insert(
                key.clone(),
                ServiceCount {
                    name: find_service(&key).map_or_else(|| key.clone(), |s| s.name.into()),
                    service: key,
                    tenants: r.try_get(1)?,
                    entitlements: r.try_get(2)?,
                    seats: r.try_get(3)?,
                },
            );
        }
        Ok(super::services_ranked(by_service))
    }

    /// The `tenants` in scope per current phase (indexes of `template.phases`, then the
    /// completed): the kept phases of `version` counted in SQL, the others worked out
    /// here and returned for [`Store::keep_phases`].
    async fn count_phases(
        &self,
        tx: &mut Transaction<'_, Any>,
        scope: PortfolioScope,
        version: i64,
        template: &Template,
        tenants: i64,
    ) -> Result<(Vec<i64>, Vec<WorkedOut>)> {
        // The kept phases that count, from their own rows; the tenants they leave out
        // are worked out.
        let q = self.dialect_of(format!(
            "SELECT CAST(kp.phase AS BIGINT), COUNT(*) FROM tenant_phases kp
             WHERE {KEPT} AND {} GROUP BY kp.phase",
            scope_on("kp.tenant_id", scope)
        ));
        let kept = self
            .scoped(&q, scope, &[])
            .bind(version)
            .fetch_all(&mut **tx)
            .await?;
        let mut counts = vec![0i64; template.phases.len() + 1];
        // A kept phase out of the playbook's range (not written by this version) would
        // be a hand edit: counted nowhere rather than in a wrong row.
        let (mut counted, mut unplaced) = (0, 0);
        for r in &kept {
            let phase: i64 = r.try_get(0)?;
            let n: i64 = r.try_get(1)?;
            counted += n;
            match usize::try_from(phase).ok().and_then(|i| counts.get_mut(i)) {
                Some(c) => *c += n,
                None => unplaced += n,
            }
        }
        if unplaced > 0 {
            tracing::warn!(unplaced, "kept phases outside the playbook's phases");
        }
        let unkept = tenants - counted;
        let worked = if unkept > 0 {
            self.work_out_phases(tx, scope, version, template, unkept, &mut counts)
                .await?
        } else {
            Vec::new()
        };
        Ok((counts, worked))
    }

    /// Works out the phases of the `unkept` tenants in scope whose kept phase is not
    /// current, adds them to `counts` and returns them with the gens they were read at.
    async fn work_out_phases(
        &self,
        tx: &mut Transaction<'_, Any>,
        scope: PortfolioScope,
        version: i64,
        template: &Template,
        unkept: i64,
        counts: &mut [i64],
    ) -> Result<Vec<WorkedOut>> {
        // The gens first, then the rows: a change between the two reads (none in one
        // snapshot) can only make the gens older than the rows.
        let q = self.dialect_of(format!(
            "SELECT kp.tenant_id, kp.gen FROM tenant_phases kp WHERE NOT ({KEPT}) AND {}",
            scope_on("kp.tenant_id", scope)
        ));
        let gens = self
            .scoped(&q, scope, &[])
            .bind(version)
            .fetch_all(&mut **tx)
            .await?;
        let mut gen_of: HashMap<String, i64> = HashMap::with_capacity(gens.len());
        for r in &gens {
            gen_of.insert(r.try_get(0)?, r.try_get(1)?);
        }
        // Tenants without a row (removed by hand): read with the whole scope, and worked
        // out on each view; otherwise only the tenants of the rows not current.
        let missing = unkept > gen_of.len() as i64;
        let mut current_ids: HashSet<String> = HashSet::new();
        if missing {
            let q = self.dialect_of(format!(
                "SELECT kp.tenant_id FROM tenant_phases kp WHERE {KEPT} AND {}",
                scope_on("kp.tenant_id", scope)
            ));
            let rows = self
                .scoped(&q, scope, &[])
                .bind(version)
                .fetch_all(&mut **tx)
                .await?;
            for r in &rows {
                current_ids.insert(r.try_get(0)?);
            }
        }
        // Few: read by their IDs; many (a new playbook version), or rows missing: the
        // whole scope, the tenants whose phase counts already left out below.
        let mut ids: Vec<String> = Vec::new();
        if !missing && gen_of.len() <= super::scan::BY_ID {
            ids = gen_of.keys().cloned().collect();
            ids.sort();
        }
        let snap = self.snapshot_in(tx, scope, true, &ids).await?;
        let current = super::phases::current_phases(template, &snap.tenants, &snap.states);
        let mut worked = Vec::with_capacity(gen_of.len());
        for (t, phase) in snap.tenants.into_iter().zip(current) {
            let stamp = gen_of.get(&t.id).copied();
            if stamp.is_none() && (!missing || current_ids.contains(&t.id)) {
                // Read with the whole scope: its kept phase is current and counted.
                continue;
            }
            if let Some(c) = counts.get_mut(phase) {
                *c += 1;
            }
            worked.push((t.id, stamp, phase));
        }
        Ok(worked)
    }

    /// Writes back the phases a view worked out, for playbook `version`, each only if its
    /// tenant's gen is still the one it was read at, in the background: the view never
    /// waits for it (on SQLite a usage import may hold the file's write lock). One writer
    /// at a time per store: a view's phases that arrive while it writes wait for it (the
    /// latest view's replace those of an earlier one still waiting). Best effort: each 200
    /// rows are their own transaction, which on PostgreSQL waits at most 200 ms for each
    /// row a writer holds, then is given up (those tenants are worked out again by the
    /// next view).
    pub(super) fn keep_phases(&self, version: i64, worked: Vec<Worked>) {
        if worked.is_empty() {
            return;
        }
        {
            let mut st = self.phases_writing.lock();
            st.pending = Some((version, worked));
            if st.running {
                return;
            }
            st.running = true;
        }
        let store = self.clone();
        tokio::spawn(async move {
            // A panic in the writer must not leave it marked running for good.
            struct Unwinding(Store);
            impl Drop for Unwinding {
                fn drop(&mut self) {
                    if std::thread::panicking() {
                        self.0.phases_writing.lock().running = false;
                    }
                }
            }
            let guard = Unwinding(store);
            loop {
                let next = {
                    let mut st = guard.0.phases_writing.lock();
                    match st.pending.take() {
                        Some(next) => next,
                        None => {
                            st.running = false;
                            break;
                        }
                    }
                };
                guard.0.write_phases(next.0, next.1).await;
            }
        });
    }

    async fn write_phases(&self, version: i64, mut worked: Vec<Worked>) {
        // By tenant; the statement may still lock its rows in its plan's order, and on
        // PostgreSQL `lock_timeout` bounds any wait.
        worked.sort_by(|a, b| a.0.cmp(&b.0));
        let mut given_up = 0;
        for chunk in worked.chunks(WRITE_BACK_ROWS) {
            if let Err(e) = self.write_phase_chunk(version, chunk).await {
                given_up += chunk.len();
                tracing::debug!(error = %e, "kept phases not written back");
            }
        }
        if given_up > 0 {
            tracing::info!(
                given_up,
                "some worked-out phases were not kept; the next view works them out"
            );
        }
    }

    async fn write_phase_chunk(&self, version: i64, chunk: &[Worked]) -> Result<()> {
        let mut tx = self.pools.write.begin().await?;
        if self.backend() == Backend::Postgres {
            sqlx::query("SET LOCAL lock_timeout = '200ms'")
                .execute(&mut *tx)
                .await?;
        }
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, ${}, ${})", 3 * i + 2, 3 * i + 3, 3 * i + 4))
            .collect();
        let q = format!(
            "UPDATE tenant_phases SET phase = v.column2, phase_gen = v.column3,
                playbook_version = $1
             FROM (VALUES {}) AS v
             WHERE tenant_phases.tenant_id = v.column1 AND tenant_phases.gen = v.column3",
            values.join(", ")
        );
        let q = self.backend().sql(&q);
        let mut query = sqlx::query(&q).bind(version);
        for (id, stamp, phase) in chunk {
            query = query.bind(id.as_str()).bind(*phase as i64).bind(*stamp);
        }
        query.execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }
}
