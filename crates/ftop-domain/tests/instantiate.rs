//! The bundled playbook instantiated for tenants with different service sets: the exact
//! task IDs that apply (checked against a naive reading of the Markdown tables), the CSM
//! hand-off, the Enterprise threshold, the adoption-benefit skip and phase completion.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use ftop_domain::TaskStatus;
use ftop_domain::instance::{InstanceKey, Template, TenantFacts};
use ftop_playbook::{Options, Source, compile};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

fn pages() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../playbook");
    let mut out = Vec::new();
    for lang in ["en", "es", "zh"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(lang))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files
            .into_iter()
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
        {
            out.push((
                format!("{lang}/{}", f.file_name().unwrap().to_string_lossy()),
                std::fs::read_to_string(&f).unwrap(),
            ));
        }
    }
    out
}

fn template() -> Template {
    let pages = pages();
    let src: Vec<Source<'_>> = pages.iter().map(|(p, t)| Source::new("", p, t)).collect();
    let c = compile(&src, &Options::default());
    assert_eq!(c.errors(), 0, "{:?}", c.diagnostics.first());
    Template::new(&c.playbook)
}

/// A second, naive reading of the English task tables: ID -> (service keys, mandatory).
fn naive_rows() -> BTreeMap<u32, Vec<String>> {
    let names: &[(&str, &str)] = &[
        ("core onboarding", "*"),
        ("all services", "*"),
        ("exchange", "exchange"),
        ("sharepoint", "sharepoint"),
        ("onedrive for business", "onedrive"),
        ("teams", "teams"),
        ("yammer", "yammer"),
        ("outlook mobile", "outlook-mobile"),
        ("microsoft 365 apps", "m365-apps"),
        ("intune", "intune"),
        ("aadp", "aadp"),
        ("windows 10", "windows-10"),
    ];
    let mut out = BTreeMap::new();
    for (path, text) in pages().iter().filter(|(p, _)| p.starts_with("en/")) {
        for line in text.lines() {
            let cells: Vec<&str> = line
                .trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            let Some(id) = cells.first().and_then(|c| c.parse::<u32>().ok()) else {
                continue;
            };
            let services = cells.last().unwrap().to_lowercase();
            let keys: Vec<String> = services
                .split('/')
                .map(|s| s.trim())
                .map(|s| {
                    names
                        .iter()
                        .find(|(n, _)| *n == s)
                        .map_or_else(|| format!("?{s}"), |(_, k)| k.to_string())
                })
                .collect();
            out.entry(id).or_insert_with(|| {
                let _ = path;
                keys
            });
        }
    }
    out
}

fn facts(services: &[(&str, u64)]) -> TenantFacts {
    TenantFacts {
        services: services.iter().map(|(s, n)| (s.to_string(), *n)).collect(),
        ..TenantFacts::default()
    }
}

fn keys(t: &Template, f: &TenantFacts) -> BTreeSet<(u32, String)> {
    t.applicable(f)
        .into_iter()
        .map(|a| (a.key.task, a.key.service))
        .collect()
}

/// Task IDs that some rule of the bundled playbook governs.
fn ruled(t: &Template) -> BTreeSet<u32> {
    // A task is ruled when some facts change whether it applies or its default status.
    let plain = facts(&[
        ("exchange", 500),
        ("teams", 500),
        ("yammer", 500),
        ("outlook-mobile", 500),
    ]);
    let mut variants = vec![plain.clone()];
    for f in [
        |f: &mut TenantFacts| f.csm = true,
        |f: &mut TenantFacts| f.enterprise_exception = true,
        |f: &mut TenantFacts| f.adoption_benefit = true,
    ] {
        let mut v = plain.clone();
        f(&mut v);
        variants.push(v);
    }
    let sets: Vec<HashMap<InstanceKey, TaskStatus>> = variants
        .iter()
        .map(|f| {
            t.applicable(f)
                .into_iter()
                .map(|a| (a.key, a.default_status))
                .collect()
        })
        .collect();
    let mut out = BTreeSet::new();
    for s in &sets[1..] {
        for (k, v) in s.iter().chain(sets[0].iter()) {
            if s.get(k) != Some(v) || sets[0].get(k) != s.get(k) {
                out.insert(k.task);
            }
        }
    }
    out
}

#[test]
fn applicable_task_ids_match_a_naive_reading_of_the_tables() {
    let t = template();
    let naive = naive_rows();
    let governed = ruled(&t);
    for services in [
        vec![("exchange", 300)],
        vec![("teams", 200), ("sharepoint", 200)],
        vec![
            ("exchange", 1000),
            ("sharepoint", 1000),
            ("onedrive", 1000),
            ("teams", 1000),
            ("intune", 1000),
        ],
        vec![],
    ] {
        let f = facts(&services);
        let got: BTreeSet<(u32, String)> = keys(&t, &f)
            .into_iter()
            .filter(|(id, _)| !governed.contains(id))
            .collect();
        let mut want = BTreeSet::new();
        for (id, svc) in &naive {
            if governed.contains(id) {
                continue;
            }
            if svc.iter().any(|s| s == "*") {
                want.insert((*id, String::new()));
            } else {
                for s in svc.iter().filter(|s| f.services.contains_key(s.as_str())) {
                    want.insert((*id, s.clone()));
                }
            }
        }
        assert_eq!(got, want, "services {services:?}");
    }
}

#[test]
fn the_csm_hand_off_follows_the_playbook_rule() {
    let t = template();
    let handoff = [3731u32, 3732, 3733];
    let mut f = facts(&[("teams", 500), ("yammer", 500), ("exchange", 500)]);
    let without: BTreeSet<u32> = keys(&t, &f).into_iter().map(|k| k.0).collect();
    assert!(
        handoff.iter().all(|id| !without.contains(id)),
        "no CSM: no hand-off"
    );
    f.csm = true;
    let with = t.applicable(&f);
    let ids: BTreeSet<(u32, String)> = with
        .iter()
        .map(|a| (a.key.task, a.key.service.clone()))
        .collect();
    assert!(ids.contains(&(3731, "teams".into())) && ids.contains(&(3732, "yammer".into())));
    assert!(
        !ids.iter().any(|(id, _)| *id == 3733),
        "no Outlook Mobile entitlement"
    );
    // With a CSM the check-in and tracking tasks are Not Required for the tenant.
    let not_required: BTreeSet<u32> = with
        .iter()
        .filter(|a| a.default_status == TaskStatus::NotRequired)
        .map(|a| a.key.task)
        .collect();
    assert!(
        !not_required.is_empty(),
        "the hand-off makes some tasks Not Required"
    );
    for id in &not_required {
        let task = t.task(*id).unwrap();
        assert_eq!(
            task.process_key, "success-support-success-execution",
            "{id}"
        );
    }
    // A CSM without Outlook Mobile, Teams or Yammer changes nothing.
    let mut other = facts(&[("exchange", 500)]);
    let before = t.applicable(&other);
    other.csm = true;
    assert_eq!(t.applicable(&other), before);
}

#[test]
fn enterprise_steps_need_twenty_thousand_seats_or_an_exception() {
    let t = template();
    let seats = |n| facts(&[("exchange", n), ("sharepoint", n), ("teams", n)]);
    let small = keys(&t, &seats(19_999));
    let large = keys(&t, &seats(20_000));
    let extra: BTreeSet<_> = large.difference(&small).map(|k| k.0).collect();
    assert!(
        !extra.is_empty(),
        "Enterprise-only tasks appear at 20,000 seats"
    );
    assert!(small.is_subset(&large));
    let mut exception = seats(500);
    exception.enterprise_exception = true;
    let by_exception: BTreeSet<_> = keys(&t, &exception)
        .difference(&keys(&t, &seats(500)))
        .map(|k| k.0)
        .collect();
    assert_eq!(by_exception, extra);
}

#[test]
fn the_adoption_benefit_skips_the_change_management_process() {
    let t = template();
    let mut f = facts(&[("exchange", 500), ("teams", 500)]);
    let normal: BTreeSet<u32> = keys(&t, &f).into_iter().map(|k| k.0).collect();
    f.adoption_benefit = true;
    let skipped: BTreeSet<u32> = normal
        .difference(&keys(&t, &f).into_iter().map(|k| k.0).collect())
        .copied()
        .collect();
    assert!(!skipped.is_empty());
    for id in &skipped {
        assert_eq!(
            t.task(*id).unwrap().process_key,
            "assess-conduct-adoption-change-management-conversation",
            "{id}"
        );
    }
    let acm: BTreeSet<u32> = normal
        .iter()
        .copied()
        .filter(|id| {
            t.task(*id).unwrap().process_key
                == "assess-conduct-adoption-change-management-conversation"
        })
        .collect();
    assert_eq!(skipped, acm, "the whole process goes");
}

#[test]
fn a_phase_completes_when_every_mandatory_task_settles() {
    let t = template();
    let f = facts(&[("exchange", 500), ("teams", 500)]);
    let app = t.applicable(&f);
    let phase = "initiate";
    let mut status: HashMap<InstanceKey, TaskStatus> = HashMap::new();
    assert!(!t.phase_complete(&app, phase, Some("exchange"), |k| status.get(k).copied()));
    let mandatory: Vec<&ftop_domain::Applicable> = app
        .iter()
        .filter(|a| {
            let task = t.task(a.key.task).unwrap();
            task.mandatory
                && task.phase_key == phase
                && (a.key.service.is_empty() || a.key.service == "exchange")
        })
        .collect();
    assert!(mandatory.len() > 2);
    for (i, a) in mandatory.iter().enumerate() {
        status.insert(
            a.key.clone(),
            if i % 2 == 0 {
                TaskStatus::Complete
            } else {
                TaskStatus::NotRequired
            },
        );
    }
    // Teams' tasks of the phase do not count for Exchange...
    assert!(t.phase_complete(&app, phase, Some("exchange"), |k| status.get(k).copied()));
    // ...but one open mandatory task does, and Cancelled or Blocked does not settle it.
    for s in [
        TaskStatus::Cancelled,
        TaskStatus::BlockedOther,
        TaskStatus::InProgress,
    ] {
        status.insert(mandatory[0].key.clone(), s);
        assert!(
            !t.phase_complete(&app, phase, Some("exchange"), |k| status.get(k).copied()),
            "{s:?}"
        );
    }
    // Optional tasks never hold a phase back.
    status.insert(mandatory[0].key.clone(), TaskStatus::Complete);
    let optional = app
        .iter()
        .find(|a| {
            !t.task(a.key.task).unwrap().mandatory && t.task(a.key.task).unwrap().phase_key == phase
        })
        .unwrap();
    status.insert(optional.key.clone(), TaskStatus::BlockedBusiness);
    assert!(t.phase_complete(&app, phase, Some("exchange"), |k| status.get(k).copied()));
}
