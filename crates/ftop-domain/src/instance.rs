//! The playbook instantiated for a tenant: which tasks apply (once per tenant, or once per
//! entitled service), what the playbook's rules make of them, when a phase is complete, and
//! what changes for a tenant when a new playbook version replaces the old one.
//!
//! Nothing here is stored per task: the applicable set follows from the playbook and the
//! tenant's facts, so storage keeps only the tasks someone has touched.

use crate::catalogue::TENANT_WIDE;
use crate::eligibility::eligibility;
use crate::enums::TaskStatus;
use ftop_playbook::{Cmp, Condition, Playbook, RuleAction};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Where a template task applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "services", rename_all = "kebab-case")]
pub enum Scope {
    /// Once per tenant (Core Onboarding, All Services, or no service named).
    Tenant,
    /// Once per entitled service among these keys.
    Services(Vec<String>),
}

/// A task of the playbook as the portal tracks it.
#[derive(Debug, Clone, Serialize)]
pub struct TemplateTask {
    /// Numeric task ID.
    pub id: u32,
    /// Name in the source language.
    pub name: String,
    /// Mandatory (else optional).
    pub mandatory: bool,
    /// Responsible role key.
    pub role_key: String,
    /// Responsible role as written.
    pub role: String,
    /// Phase key.
    pub phase_key: String,
    /// Process key and title.
    pub process_key: String,
    /// Process title.
    pub process: String,
    /// Step title.
    pub step: String,
    /// Where it applies.
    pub scope: Scope,
}

/// One rule of the playbook, reduced to what instantiation needs.
#[derive(Debug, Clone)]
struct TemplateRule {
    action: RuleAction,
    when: Condition,
}

/// The playbook as a template for tenants: its tasks in playbook order and its rules.
#[derive(Debug, Clone, Default)]
pub struct Template {
    /// Tasks in playbook order, one per task ID (the first row of an ID wins).
    pub tasks: Vec<TemplateTask>,
    by_id: HashMap<u32, usize>,
    rules: HashMap<u32, Vec<TemplateRule>>,
    /// Phases in lifecycle order: (key, name in the source language).
    pub phases: Vec<(String, String)>,
}

/// What instantiation needs to know about a tenant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TenantFacts {
    /// Entitled services: key -> qualified seats (zero-seat services do not count).
    pub services: BTreeMap<String, u64>,
    /// A customer success manager is assigned.
    pub csm: bool,
    /// Recorded exception for the Enterprise additional benefits.
    pub enterprise_exception: bool,
    /// In the additional adoption benefit program.
    pub adoption_benefit: bool,
}

impl TenantFacts {
    /// The seats that count for thresholds: the largest qualified count of any service.
    pub fn seats(&self) -> u64 {
        self.services.values().copied().max().unwrap_or(0)
    }
    /// Eligible for the Enterprise additional benefits.
    pub fn enterprise(&self) -> bool {
        eligibility(self.seats(), false, self.enterprise_exception).enterprise
    }
    fn entitled(&self, key: &str) -> bool {
        self.services.get(key).is_some_and(|n| *n > 0)
    }
    /// Evaluates a playbook condition.
    pub fn holds(&self, c: &Condition) -> bool {
        match c {
            Condition::Csm => self.csm,
            Condition::Enterprise => self.enterprise(),
            Condition::AdoptionBenefit => self.adoption_benefit,
            Condition::Service { any_of } => any_of.iter().any(|k| self.entitled(k)),
            Condition::Seats { op, value } => {
                let s = self.seats();
                match op {
                    Cmp::Lt => s < *value,
                    Cmp::Le => s <= *value,
                    Cmp::Gt => s > *value,
                    Cmp::Ge => s >= *value,
                    Cmp::Eq => s == *value,
                }
            }
            Condition::Not { inner } => !self.holds(inner),
            Condition::All { of } => of.iter().all(|c| self.holds(c)),
            Condition::Any { of } => of.iter().any(|c| self.holds(c)),
        }
    }
}

/// A task instance's identity: task ID and service key ("" for tenant-wide tasks).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct InstanceKey {
    /// Task ID.
    pub task: u32,
    /// Service key, or "" for a tenant-wide task.
    pub service: String,
}

/// A task that applies to a tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applicable {
    /// Which task, for which service.
    pub key: InstanceKey,
    /// Index into [`Template::tasks`].
    #[serde(skip)]
    pub index: usize,
    /// The status it has until someone sets one: Not Started, or Not Required by a rule.
    pub default_status: TaskStatus,
}

impl Template {
    /// Builds the template from a compiled playbook: the source language's tasks and rules.
    pub fn new(pb: &Playbook) -> Template {
        let mut t = Template::default();
        let source_pages: BTreeSet<usize> = pb
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.locale == pb.source_locale && !p.stray)
            .map(|(i, _)| i)
            .collect();
        for task in pb.tasks.iter().filter(|t| source_pages.contains(&t.page)) {
            let Ok(id) = task.id.parse::<u32>() else {
                continue;
            };
            if t.by_id.contains_key(&id) {
                continue;
            }
            let tenant_wide = task.service_keys.is_empty()
                || task
                    .service_keys
                    .iter()
                    .any(|k| TENANT_WIDE.contains(&k.as_str()));
            let mut services = task.service_keys.clone();
            services.dedup();
            t.by_id.insert(id, t.tasks.len());
            t.tasks.push(TemplateTask {
                id,
                name: task.name.clone(),
                mandatory: task.mandatory,
                role_key: task.role_key.clone(),
                role: task.role.clone(),
                phase_key: task.phase_key.to_string(),
                process_key: task.process_key.to_string(),
                process: task.process.to_string(),
                step: task.step.to_string(),
                scope: if tenant_wide {
                    Scope::Tenant
                } else {
                    Scope::Services(services)
                },
            });
        }
        for rule in &pb.rules {
            for id in &rule.tasks {
                t.rules.entry(*id).or_default().push(TemplateRule {
                    action: rule.action.clone(),
                    when: rule.when.clone(),
                });
            }
        }
        t.phases = pb
            .phases
            .iter()
            .filter(|p| p.locale == pb.source_locale)
            .map(|p| (p.key.clone(), p.name.clone()))
            .collect();
        // Lifecycle order: by phase, keeping the playbook's order within a phase.
        let rank = |k: &str| {
            t.phases
                .iter()
                .position(|(p, _)| p == k)
                .unwrap_or(usize::MAX)
        };
        let mut order: Vec<usize> = (0..t.tasks.len()).collect();
        order.sort_by_key(|&i| rank(&t.tasks[i].phase_key));
        t.tasks = order.iter().map(|&i| t.tasks[i].clone()).collect();
        t.by_id = t.tasks.iter().enumerate().map(|(i, x)| (x.id, i)).collect();
        t
    }

    /// The name of a phase in the source language (its key when unknown).
    pub fn phase_name<'a>(&'a self, key: &'a str) -> &'a str {
        self.phases
            .iter()
            .find(|(k, _)| k == key)
            .map_or(key, |(_, n)| n.as_str())
    }

    /// The template task with this ID.
    pub fn task(&self, id: u32) -> Option<&TemplateTask> {
        self.by_id.get(&id).map(|&i| &self.tasks[i])
    }

    /// Does a rule keep task `id` out for this tenant, and does one make it Not Required?
    fn ruled(&self, id: u32, facts: &TenantFacts) -> (bool, bool) {
        let (mut applies, mut not_required) = (true, false);
        for r in self.rules.get(&id).into_iter().flatten() {
            let holds = facts.holds(&r.when);
            match r.action {
                RuleAction::Only => applies &= holds,
                RuleAction::Skip => applies &= !holds,
                RuleAction::NotRequired => not_required |= holds,
            }
        }
        (applies, not_required)
    }

    /// The tasks that apply to a tenant, in playbook order: tenant-wide tasks once, a
    /// service's tasks once per entitled service, after the playbook's rules.
    pub fn applicable(&self, facts: &TenantFacts) -> Vec<Applicable> {
        let mut out = Vec::new();
        for (index, task) in self.tasks.iter().enumerate() {
            let (applies, not_required) = self.ruled(task.id, facts);
            if !applies {
                continue;
            }
            let default_status = if not_required {
                TaskStatus::NotRequired
            } else {
                TaskStatus::NotStarted
            };
            let mut push = |service: &str| {
                out.push(Applicable {
                    key: InstanceKey {
                        task: task.id,
                        service: service.to_string(),
                    },
                    index,
                    default_status,
                })
            };
            match &task.scope {
                Scope::Tenant => push(""),
                Scope::Services(keys) => {
                    for k in keys.iter().filter(|k| facts.entitled(k)) {
                        push(k);
                    }
                }
            }
        }
        out
    }

    /// Is `phase` complete for the tenant and `service` (None: the tenant-wide tasks only)?
    /// Complete when every applicable mandatory task of the phase, tenant-wide or for that
    /// service, is Complete or Not Required. `status` gives a set status, if any.
    pub fn phase_complete(
        &self,
        applicable: &[Applicable],
        phase: &str,
        service: Option<&str>,
        status: impl Fn(&InstanceKey) -> Option<TaskStatus>,
    ) -> bool {
        applicable
            .iter()
            .filter(|a| {
                let t = &self.tasks[a.index];
                t.mandatory
                    && t.phase_key == phase
                    && (a.key.service.is_empty() || Some(a.key.service.as_str()) == service)
            })
            .all(|a| status(&a.key).unwrap_or(a.default_status).settles())
    }
}

/// What a new playbook version changes for one tenant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UpgradeChanges {
    /// Tasks that now apply and did not before: they start Not Started.
    pub added: Vec<InstanceKey>,
    /// Tasks that no longer apply: their status and history are archived, never dropped.
    pub removed: Vec<InstanceKey>,
    /// Tasks in both versions whose name, flag or role changed.
    pub changed: Vec<InstanceKey>,
}

impl UpgradeChanges {
    /// Nothing changes.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Compares what applies to one tenant under the old and the new template, by task ID.
pub fn upgrade(old: &Template, new: &Template, facts: &TenantFacts) -> UpgradeChanges {
    let before: BTreeSet<InstanceKey> = old.applicable(facts).into_iter().map(|a| a.key).collect();
    let after: BTreeSet<InstanceKey> = new.applicable(facts).into_iter().map(|a| a.key).collect();
    let changed = before
        .intersection(&after)
        .filter(|k| match (old.task(k.task), new.task(k.task)) {
            (Some(a), Some(b)) => {
                a.name != b.name || a.mandatory != b.mandatory || a.role_key != b.role_key
            }
            _ => false,
        })
        .cloned()
        .collect();
    UpgradeChanges {
        added: after.difference(&before).cloned().collect(),
        removed: before.difference(&after).cloned().collect(),
        changed,
    }
}
