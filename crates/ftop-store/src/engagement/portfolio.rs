//! Read models across tenants: the portfolio summary (tenants by overall status, service,
//! primary FastTrack Manager and current phase) and the notes library (saved notes the
//! viewer may see, with a date window).
//!
//! The summary is computed from a handful of bulk queries read in one transaction (one
//! snapshot): the tenants in scope with their flags and primary FastTrack Manager, their
//! services, and the stored states of their tenant-wide tasks. The current phase follows
//! from the domain rule (`Template::applicable` and `Template::phase_complete`) in Rust;
//! nothing is queried per tenant.

use crate::engagement::notes::Note;
use crate::engagement::people::primary_manager;
use crate::engagement::users::User;
use crate::{Result, Store};
use ftop_domain::catalogue::service as find_service;
use ftop_domain::instance::{Applicable, Template, TenantFacts};
use ftop_domain::{NoteCategory, OverallStatus, TaskStatus, UserRole};
use serde::Serialize;
use sqlx::Row;
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

/// A date window over notes, counted back from now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoteWindow {
    /// Any time.
    #[default]
    All,
    /// The last 30 days.
    Last30,
    /// 30 to 60 days ago.
    Days30To60,
    /// 60 to 90 days ago.
    Days60To90,
}

impl NoteWindow {
    /// Every window, in display order.
    pub const ALL: [NoteWindow; 4] = [
        NoteWindow::All,
        NoteWindow::Last30,
        NoteWindow::Days30To60,
        NoteWindow::Days60To90,
    ];

    /// The stable key (`all`, `30`, `60`, `90`).
    pub fn key(self) -> &'static str {
        match self {
            NoteWindow::All => "all",
            NoteWindow::Last30 => "30",
            NoteWindow::Days30To60 => "60",
            NoteWindow::Days60To90 => "90",
        }
    }

    /// Parses a key; anything else is None.
    pub fn parse(s: &str) -> Option<NoteWindow> {
        NoteWindow::ALL.into_iter().find(|w| w.key() == s.trim())
    }

    /// (at or after, before) as days back from now.
    fn days(self) -> (Option<i64>, Option<i64>) {
        match self {
            NoteWindow::All => (None, None),
            NoteWindow::Last30 => (Some(30), None),
            NoteWindow::Days30To60 => (Some(60), Some(30)),
            NoteWindow::Days60To90 => (Some(90), Some(60)),
        }
    }
}

/// Filters of the notes library.
#[derive(Debug, Clone, Default)]
pub struct LibraryFilter {
    /// Only this category.
    pub category: Option<NoteCategory>,
    /// Only escalated notes.
    pub escalated: bool,
    /// Text in the body, the next action or the tenant name.
    pub search: Option<String>,
    /// Date window (by creation).
    pub window: NoteWindow,
    /// Only this author's notes ("my notes").
    pub author_id: Option<i64>,
    /// The moment the window counts back from (default: now).
    pub as_of: Option<time::OffsetDateTime>,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<i64>,
}

/// A saved note with its tenant's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LibraryNote {
    /// The note.
    #[serde(flatten)]
    pub note: Note,
    /// The tenant's name.
    pub tenant: String,
}

/// The scope condition on `t` (tenants): $1 partner organisation, $2 assigned user.
macro_rules! scope {
    () => {
        "($1 IS NULL OR t.tenant_id IN (SELECT p.tenant_id FROM tenant_partners p WHERE p.partner_id = $1))
         AND ($2 IS NULL OR t.tenant_id IN (SELECT a.tenant_id FROM assignments a WHERE a.user_id = $2))"
    };
}

struct Scoped {
    status: OverallStatus,
    active: bool,
    owner: Option<(i64, String)>,
    facts: TenantFacts,
}

type FactsKey = (Vec<String>, u64, bool, bool, bool);

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl Store {
    /// Counts over the tenants in `scope`: by overall status (and active or not), by
    /// service (tenants and seats), by primary FastTrack Manager (tenant-wide `fm` primary)
    /// and by current phase (the first phase, in lifecycle order, whose mandatory
    /// tenant-wide tasks are not all Complete or Not Required).
    pub async fn portfolio_summary(&self, scope: PortfolioScope) -> Result<PortfolioSummary> {
        let mut tx = self.pools.read.begin().await?;
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
        .fetch_all(&mut *tx)
        .await?;
        let mut index: HashMap<String, usize> = HashMap::with_capacity(rows.len());
        let mut tenants: Vec<Scoped> = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: String = r.try_get("tenant_id")?;
            let owner_id: Option<i64> = r.try_get("owner_id")?;
            let owner_name: Option<String> = r.try_get("owner")?;
            index.insert(id, tenants.len());
            tenants.push(Scoped {
                status: crate::engagement::tenants::enum_col(
                    r,
                    "overall_status",
                    OverallStatus::parse,
                )?,
                active: r.try_get::<i64, _>("active")? != 0,
                owner: owner_id.zip(owner_name),
                facts: TenantFacts {
                    services: BTreeMap::new(),
                    csm: r.try_get::<i64, _>("csm")? > 0,
                    enterprise_exception: r.try_get::<i64, _>("enterprise_exception")? != 0,
                    adoption_benefit: r.try_get::<i64, _>("adoption_benefit")? != 0,
                },
            });
        }
        drop(rows);

        // Services: facts and the service table.
        let services = sqlx::query(sql!(
            self,
            concat!(
                "SELECT s.tenant_id, s.service, s.entitlements, s.qualified
             FROM tenant_services s JOIN tenants t ON t.tenant_id = s.tenant_id WHERE ",
                scope!()
            )
        ))
        .bind(scope.partner_id)
        .bind(scope.assigned_to)
        .fetch_all(&mut *tx)
        .await?;
        let mut by_service: BTreeMap<String, ServiceCount> = BTreeMap::new();
        for r in &services {
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
        drop(services);

        // Stored states of tenant-wide tasks: the only ones a tenant's phase depends on.
        let template = self.playbook().ok().map(|(_, _, t)| t);
        let mut states: HashMap<usize, HashMap<u32, TaskStatus>> = HashMap::new();
        if template.is_some() {
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
            .fetch_all(&mut *tx)
            .await?;
            for r in &rows {
                let id: String = r.try_get(0)?;
                let Some(&i) = index.get(&id) else { continue };
                let task = u32::try_from(r.try_get::<i64, _>(1)?).unwrap_or(0);
                let status = crate::engagement::tenants::enum_col(r, "status", TaskStatus::parse)?;
                states.entry(i).or_default().insert(task, status);
            }
        }
        tx.commit().await?;

        let mut out = PortfolioSummary {
            tenants: tenants.len() as i64,
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
        let mut owners: HashMap<Option<i64>, OwnerCount> = HashMap::new();
        for t in &tenants {
            if t.active {
                out.active += 1;
            } else {
                out.inactive += 1;
            }
            if let Some(s) = out.by_status.iter_mut().find(|s| s.status == t.status) {
                s.tenants += 1;
                if t.active {
                    s.active += 1;
                } else {
                    s.inactive += 1;
                }
            }
            let o = owners
                .entry(t.owner.as_ref().map(|o| o.0))
                .or_insert_with(|| OwnerCount {
                    user_id: t.owner.as_ref().map(|o| o.0),
                    owner: t.owner.as_ref().map(|o| o.1.clone()),
                    tenants: 0,
                });
            o.tenants += 1;
        }
        out.by_service = by_service.into_values().collect();
        out.by_service
            .sort_by(|a, b| b.tenants.cmp(&a.tenants).then(a.name.cmp(&b.name)));
        out.by_owner = owners.into_values().collect();
        out.by_owner.sort_by(|a, b| {
            a.owner
                .is_none()
                .cmp(&b.owner.is_none())
                .then(b.tenants.cmp(&a.tenants))
                .then(a.owner.cmp(&b.owner))
        });
        if let Some(template) = template {
            out.by_phase = phase_counts(&template, &tenants, &states);
        }
        Ok(out)
    }

    /// Saved notes `user` may see (partners: only their organisation's tenants' notes),
    /// newest first, with their tenant's name.
    pub async fn notes_visible(&self, user: &User, f: &LibraryFilter) -> Result<Vec<LibraryNote>> {
        let partner = (user.role == UserRole::Partner).then(|| user.partner_id.unwrap_or(-1));
        let now = f.as_of.unwrap_or_else(time::OffsetDateTime::now_utc);
        let (from, to) = f.window.days();
        let bound = |d: Option<i64>| d.map(|d| rfc3339(now - time::Duration::days(d)));
        let rows = sqlx::query(sql!(self,
            "SELECT n.id, n.tenant_id, t.name AS tenant, n.author_id, u.name AS author, n.category,
                n.state, n.body, n.services, n.task_id, n.escalated, n.next_action,
                n.next_action_date, n.next_action_owner, n.version, n.created_at, n.updated_at
             FROM notes n JOIN users u ON u.id = n.author_id JOIN tenants t ON t.tenant_id = n.tenant_id
             WHERE n.state = 'saved'
               AND ($1 IS NULL OR n.tenant_id IN (SELECT p.tenant_id FROM tenant_partners p WHERE p.partner_id = $1))
               AND ($2 IS NULL OR n.author_id = $2)
               AND ($3 IS NULL OR n.category = $3)
               AND ($4 = 0 OR n.escalated = 1)
               AND ($5 IS NULL OR LOWER(n.body) LIKE $5 ESCAPE '\\' OR LOWER(n.next_action) LIKE $5 ESCAPE '\\'
                    OR LOWER(t.name) LIKE $5 ESCAPE '\\')
               AND ($6 IS NULL OR n.created_at >= $6)
               AND ($7 IS NULL OR n.created_at < $7)
             ORDER BY n.created_at DESC, n.id DESC LIMIT $8",
        ))
        .bind(partner)
        .bind(f.author_id)
        .bind(f.category.map(|c| c.key()))
        .bind(i64::from(f.escalated))
        .bind(
            f.search
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(crate::sql::like)
                .transpose()?,
        )
        .bind(bound(from))
        .bind(bound(to))
        .bind(f.limit.unwrap_or(100).clamp(0, 1000))
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(LibraryNote {
                    tenant: r.try_get("tenant")?,
                    note: crate::engagement::notes::note_of(r)?,
                })
            })
            .collect()
    }
}

/// Tenants per current phase. What applies is computed once per distinct set of facts
/// that rules can see (tenants of one kind share it), keeping the tasks that decide a
/// tenant-wide phase.
fn phase_counts(
    template: &Template,
    tenants: &[Scoped],
    states: &HashMap<usize, HashMap<u32, TaskStatus>>,
) -> Vec<PhaseCount> {
    let mut counts = vec![0i64; template.phases.len() + 1];
    let mut applicable: HashMap<FactsKey, Vec<Applicable>> = HashMap::new();
    let none = HashMap::new();
    for (i, t) in tenants.iter().enumerate() {
        let f = &t.facts;
        // All that rules and scopes look at: which services are entitled, the seats that
        // count for thresholds, and the flags.
        let key: FactsKey = (
            f.services
                .iter()
                .filter(|(_, n)| **n > 0)
                .map(|(k, _)| k.clone())
                .collect(),
            f.seats(),
            f.csm,
            f.enterprise_exception,
            f.adoption_benefit,
        );
        // Only mandatory tenant-wide tasks decide a tenant-wide phase.
        let apps = applicable.entry(key).or_insert_with(|| {
            template
                .applicable(f)
                .into_iter()
                .filter(|a| a.key.service.is_empty() && template.tasks[a.index].mandatory)
                .collect()
        });
        let set = states.get(&i).unwrap_or(&none);
        let current = template
            .phases
            .iter()
            .position(|(phase, _)| {
                !template.phase_complete(apps, phase, None, |k| set.get(&k.task).copied())
            })
            .unwrap_or(template.phases.len());
        counts[current] += 1;
    }
    let mut out: Vec<PhaseCount> = template
        .phases
        .iter()
        .zip(&counts)
        .map(|((key, name), &n)| PhaseCount {
            phase: key.clone(),
            name: name.clone(),
            complete: false,
            tenants: n,
        })
        .collect();
    out.push(PhaseCount {
        phase: String::new(),
        name: String::new(),
        complete: true,
        tenants: counts[template.phases.len()],
    });
    out
}
