//! Read models across tenants: the portfolio summary (tenants by overall status, service,
//! primary FastTrack Manager and current phase; here) and the notes library (saved notes
//! the viewer may see, with a date window; `library.rs`).
//!
//! The summary is read in one snapshot: the counts by status, owner and service grouped
//! by the database, the counts by current phase from the phases kept per tenant
//! (`kept.rs`). Phases not kept yet follow from the domain rule in Rust (`phases.rs`)
//! over a snapshot of those tenants' flags, services and tenant-wide task states
//! (`scan.rs`); nothing is queried per tenant.

mod kept;
mod library;
mod phases;
mod scan;

pub(crate) use kept::PhaseWriteBack;
pub use library::{LibraryFilter, LibraryNote, NoteWindow};

use crate::engagement::users::User;
use crate::{Result, Store};
use ftop_domain::{OverallStatus, UserRole};
pub(crate) use kept::{InPhase, kept_in_phase};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Which tenants a summary counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PortfolioScope {
    /// Only the tenants of this partner organisation.
    pub partner_id: Option<i64>,
    /// Only the tenants this user is assigned to (in any role).
    pub assigned_to: Option<i64>,
}

impl PortfolioScope {
    /// What `user` may see: partners their organisation's tenants, everyone else every
    /// tenant; with `mine`, only the tenants the user is assigned to.
    pub fn for_user(user: &User, mine: bool) -> PortfolioScope {
        PortfolioScope {
            partner_id: (user.role == UserRole::Partner).then(|| user.partner_id.unwrap_or(-1)),
            assigned_to: mine.then_some(user.id),
        }
    }
}

/// Tenants with one overall status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusCount {
    /// Overall status.
    pub status: OverallStatus,
    /// Tenants with this status.
    pub tenants: i64,
    /// Of which active.
    pub active: i64,
    /// Of which inactive.
    pub inactive: i64,
}

/// Tenants holding one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceCount {
    /// Service key.
    pub service: String,
    /// Display name.
    pub name: String,
    /// Tenants with entitlements (more than zero) of this service.
    pub tenants: i64,
    /// Their entitlements, summed.
    pub entitlements: i64,
    /// Their qualified seats, summed.
    pub seats: i64,
}

/// Tenants by their primary FastTrack Manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnerCount {
    /// The owner's user ID; None for the tenants nobody owns yet.
    pub user_id: Option<i64>,
    /// The owner's name; None for unassigned.
    pub owner: Option<String>,
    /// Tenants.
    pub tenants: i64,
}

/// Tenants in one phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhaseCount {
    /// Phase key ("" on the row of tenants that completed every phase).
    pub phase: String,
    /// Phase name in the playbook's source language ("" on the completed row).
    pub name: String,
    /// Every phase is complete (the last row).
    pub complete: bool,
    /// Tenants whose current phase this is.
    pub tenants: i64,
}

/// The portfolio at a glance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PortfolioSummary {
    /// Tenants in scope.
    pub tenants: i64,
    /// Of which active.
    pub active: i64,
    /// Of which inactive.
    pub inactive: i64,
    /// One row per overall status, in the enumeration's order (zero rows included).
    pub by_status: Vec<StatusCount>,
    /// One row per service some tenant holds, most tenants first.
    pub by_service: Vec<ServiceCount>,
    /// One row per primary FastTrack Manager, most tenants first; unassigned last.
    pub by_owner: Vec<OwnerCount>,
    /// One row per phase in lifecycle order (zero rows included), then the completed row.
    /// Empty when no playbook is loaded.
    pub by_phase: Vec<PhaseCount>,
}

impl Store {
    /// Counts over the tenants in `scope`: by overall status (and active or not), by
    /// service (tenants and seats), by primary FastTrack Manager (tenant-wide `fm` primary)
    /// and by current phase (the first phase, in lifecycle order, whose mandatory
    /// tenant-wide tasks are not all Complete or Not Required).
    pub async fn portfolio_summary(&self, scope: PortfolioScope) -> Result<PortfolioSummary> {
        let playbook = self.playbook().ok();
        let mut tx = self.snapshot_begin().await?;
        let (out, worked) = self
            .summary_in(
                &mut tx,
                scope,
                playbook.as_ref().map(|(v, _, t)| (*v, &**t)),
            )
            .await?;
        tx.commit().await?;
        if let Some((version, _, _)) = &playbook {
            self.keep_phases(*version, worked);
        }
        Ok(out)
    }

    /// The tenants in `scope` whose current phase (the rule of
    /// [`Store::portfolio_summary`]) is `phase`, a phase key of the playbook in force (`""`:
    /// every phase complete, the summary's last phase row), as the lists narrowed to a
    /// phase read them ([`kept::InPhase`]). None without a playbook or for a key it lacks.
    pub(crate) async fn tenants_in_phase(
        &self,
        scope: PortfolioScope,
        phase: &str,
    ) -> Result<Option<kept::InPhase>> {
        let Some((version, _, template)) = self.playbook().ok() else {
            return Ok(None);
        };
        let index = if phase.is_empty() {
            template.phases.len()
        } else {
            match template.phases.iter().position(|(key, _)| key == phase) {
                Some(i) => i,
                None => return Ok(None),
            }
        };
        Ok(Some(self.in_phase(scope, version, &template, index).await?))
    }
}

/// Owners with most tenants first, by name among equals; the unassigned row last.
fn owners_ranked(owners: HashMap<Option<i64>, OwnerCount>) -> Vec<OwnerCount> {
    let mut rows: Vec<OwnerCount> = owners.into_values().collect();
    rows.sort_by(|a, b| {
        a.owner
            .is_none()
            .cmp(&b.owner.is_none())
            .then(b.tenants.cmp(&a.tenants))
            .then(a.owner.cmp(&b.owner))
    });
    rows
}

/// Services with most tenants first, by name among equals.
fn services_ranked(services: BTreeMap<String, ServiceCount>) -> Vec<ServiceCount> {
    let mut rows: Vec<ServiceCount> = services.into_values().collect();
    rows.sort_by(|a, b| b.tenants.cmp(&a.tenants).then(a.name.cmp(&b.name)));
    rows
}
