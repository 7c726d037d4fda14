//! The current phase of each tenant, counted: the first phase, in lifecycle order, whose
//! mandatory tenant-wide tasks are not all Complete or Not Required (the domain rule,
//! `Template::applicable` and `Template::phase_complete`, applied in Rust).

use super::PhaseCount;
use super::scan::Scoped;
use ftop_domain::TaskStatus;
use ftop_domain::instance::{Applicable, Template};
use std::collections::HashMap;

/// What rules and scopes look at: the entitled services, the seats that count for
/// thresholds, and the flags.
type FactsKey = (Vec<String>, u64, bool, bool, bool);

/// Tenants per current phase (`counts`: by index of `template.phases`, then the
/// completed): one row per phase in lifecycle order, then the row of the tenants that
/// completed every phase.
pub(super) fn phase_rows(template: &Template, counts: &[i64]) -> Vec<PhaseCount> {
    let mut out: Vec<PhaseCount> = template
        .phases
        .iter()
        .zip(counts)
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
        tenants: counts.get(template.phases.len()).copied().unwrap_or(0),
    });
    out
}

/// The current phase of each tenant, in the order of `tenants`: its position in
/// `template.phases`, or `template.phases.len()` when every phase is complete. What
/// applies is computed once per distinct set of facts that rules can see (tenants of one
/// kind share it), keeping the tasks that decide a tenant-wide phase.
pub(super) fn current_phases(
    template: &Template,
    tenants: &[Scoped],
    states: &HashMap<usize, HashMap<u32, TaskStatus>>,
) -> Vec<usize> {
    let mut applicable: HashMap<FactsKey, Vec<Applicable>> = HashMap::new();
    let none = HashMap::new();
    let mut out = Vec::with_capacity(tenants.len());
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
        out.push(current);
    }
    out
}
