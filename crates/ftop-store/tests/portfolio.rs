//! The portfolio summary and the notes library, on SQLite and (when a server can be had)
//! PostgreSQL: exact counts by status, service, primary FastTrack Manager and current
//! phase; partner and "mine" scoping; notes by partner scope, filters and date window.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{TestDb, actor, bundled_sources};
use ftop_domain::catalogue::service;
use ftop_domain::{AssignmentRole, NoteCategory, OverallStatus, TaskStatus, UserRole};
use ftop_store::{
    Actor, EngagementUpdate, ImportRow, LibraryFilter, NewTenant, NoteDraft, NoteWindow,
    OwnerCount, PortfolioScope, PortfolioSummary, ServiceCount, StatusCount, Store, TaskUpdate,
    TenantFilter, User,
};

const T1: &str = "871e613c-59df-73c1-b016-f93aac00dccd";
const T2: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
const T3: &str = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const T4: &str = "16fd2706-8baf-433b-82eb-8c7fada847da";
const T5: &str = "886313e1-3b8a-5372-9b90-0c9aee199e5d";

common::both_engines!(
    summary_counts_are_exact_and_scoped,
    current_phase_follows_the_domain_rule,
    many_tenants_are_summarised_in_bulk,
    library_notes_are_scoped_filtered_and_windowed,
    every_number_lists_its_tenants,
    the_latest_usage_day_is_read_within_the_filter,
    kept_phases_follow_what_they_are_worked_out_from,
);

async fn tenant(s: &Store, id: &str, name: &str, services: &[(&str, i64, Option<i64>)]) {
    s.add_tenant(
        &actor(),
        &NewTenant {
            tenant_id: id.into(),
            name: name.into(),
            customer: "Contoso".into(),
            services: services
                .iter()
                .map(|(k, n, q)| (k.to_string(), *n, *q))
                .collect(),
        },
    )
    .await
    .unwrap();
}

async fn set_status(s: &Store, id: &str, status: OverallStatus, active: bool) {
    let v = s.tenant(id).await.unwrap().version;
    s.update_engagement(
        &actor(),
        id,
        v,
        &EngagementUpdate {
            overall_status: Some(status),
            active: Some(active),
            ..Default::default()
        },
    )
    .await
    .unwrap();
}

async fn user(s: &Store, name: &str, role: UserRole) -> User {
    let partner = (role == UserRole::Partner).then_some("Fabrikam Partners");
    s.add_user(&actor(), name, role, "correct horse battery", partner)
        .await
        .unwrap()
}

/// Sets a task's status (first change: version 0).
async fn task(s: &Store, id: &str, task: u32, service: &str, status: TaskStatus) {
    let version = s.task_version(id, task, service).await.unwrap();
    s.set_task(
        &actor(),
        id,
        &TaskUpdate {
            task_id: task,
            service: service.into(),
            version,
            status: Some(status),
            ..Default::default()
        },
    )
    .await
    .unwrap();
}

/// The mandatory tenant-wide tasks of `phase` that apply to the tenant.
async fn mandatory(s: &Store, id: &str, phase: &str) -> Vec<u32> {
    s.tenant_tasks(id)
        .await
        .unwrap()
        .iter()
        .filter(|t| t.mandatory && t.service.is_empty() && t.phase == phase)
        .map(|t| t.task_id)
        .collect()
}

/// Settles a phase: every mandatory tenant-wide task Complete, the first one Not Required.
async fn settle(s: &Store, id: &str, phase: &str) {
    let tasks = mandatory(s, id, phase).await;
    assert!(!tasks.is_empty(), "{phase} has mandatory tenant-wide tasks");
    for (i, t) in tasks.iter().enumerate() {
        let st = if i == 0 {
            TaskStatus::NotRequired
        } else {
            TaskStatus::Complete
        };
        task(s, id, *t, "", st).await;
    }
}

fn phases(s: &PortfolioSummary) -> Vec<(String, i64)> {
    s.by_phase
        .iter()
        .filter(|p| p.tenants > 0)
        .map(|p| {
            (
                if p.complete {
                    "(complete)".to_string()
                } else {
                    p.phase.clone()
                },
                p.tenants,
            )
        })
        .collect()
}

fn owners(s: &PortfolioSummary) -> Vec<(Option<String>, i64)> {
    s.by_owner
        .iter()
        .map(|o: &OwnerCount| (o.owner.clone(), o.tenants))
        .collect()
}

fn statuses(s: &PortfolioSummary) -> Vec<(OverallStatus, i64, i64, i64)> {
    s.by_status
        .iter()
        .map(|r: &StatusCount| (r.status, r.tenants, r.active, r.inactive))
        .collect()
}

fn services(s: &PortfolioSummary) -> Vec<(String, i64, i64, i64)> {
    s.by_service
        .iter()
        .map(|r: &ServiceCount| (r.service.clone(), r.tenants, r.entitlements, r.seats))
        .collect()
}

/// Five tenants with known statuses, services, owners and progress.
async fn portfolio(s: &Store) -> (User, User, User, User) {
    s.load_playbook(&actor(), &bundled_sources()).await.unwrap();
    let maria = user(s, "maria", UserRole::Manager).await;
    let omar = user(s, "omar", UserRole::Manager).await;
    let erin = user(s, "erin", UserRole::Engineer).await;
    let pat = user(s, "pat", UserRole::Partner).await;
    tenant(
        s,
        T1,
        "a.onmicrosoft.com",
        &[("exchange", 300, None), ("teams", 200, None)],
    )
    .await;
    tenant(s, T2, "b.onmicrosoft.com", &[("exchange", 1000, Some(800))]).await;
    tenant(s, T3, "c.onmicrosoft.com", &[("teams", 50, None)]).await;
    tenant(s, T4, "d.onmicrosoft.com", &[("sharepoint", 0, None)]).await;
    tenant(s, T5, "e.onmicrosoft.com", &[("exchange", 150, None)]).await;
    set_status(s, T2, OverallStatus::Blocked, true).await;
    set_status(s, T3, OverallStatus::Paused, false).await;
    let fm = AssignmentRole::FastTrackManager;
    let a = actor();
    s.assign(&a, T1, "maria", fm, "", false).await.unwrap();
    s.assign(&a, T2, "omar", fm, "", false).await.unwrap();
    s.assign(&a, T2, "maria", fm, "", true).await.unwrap(); // maria becomes primary
    s.assign(&a, T3, "omar", fm, "", false).await.unwrap();
    s.assign(&a, T4, "erin", AssignmentRole::FastTrackEngineer, "", false)
        .await
        .unwrap();
    // A primary FastTrack Manager of one service does not own the tenant.
    s.assign(&a, T5, "omar", fm, "exchange", false)
        .await
        .unwrap();
    s.add_tenant_partner(&a, T1, "Fabrikam Partners", false)
        .await
        .unwrap();
    s.add_tenant_partner(&a, T3, "Fabrikam Partners", true)
        .await
        .unwrap();
    // T1: Initiate settled (Complete or Not Required) -> Assess.
    settle(s, T1, "initiate").await;
    // Work on later or service tasks does not move a tenant on by itself.
    let assess = mandatory(s, T1, "assess").await;
    task(s, T1, assess[0], "", TaskStatus::Complete).await;
    // T3: all but one Initiate task settled -> still Initiate.
    let init = mandatory(s, T3, "initiate").await;
    for t in &init[1..] {
        task(s, T3, *t, "", TaskStatus::Complete).await;
    }
    task(s, T3, init[0], "", TaskStatus::InProgress).await;
    // T4: Initiate and Assess settled -> Remediate.
    settle(s, T4, "initiate").await;
    settle(s, T4, "assess").await;
    (maria, omar, erin, pat)
}

async fn summary_counts_are_exact_and_scoped(db: &TestDb) {
    let s = &db.store;
    let (maria, omar, erin, pat) = portfolio(s).await;
    use OverallStatus::{Active, Blocked, Paused};

    // Everyone but partners sees all five tenants.
    for u in [&maria, &erin] {
        let all = s
            .portfolio_summary(PortfolioScope::for_user(u, false))
            .await
            .unwrap();
        assert_eq!((all.tenants, all.active, all.inactive), (5, 4, 1));
        assert_eq!(
            statuses(&all),
            vec![(Active, 3, 3, 0), (Blocked, 1, 1, 0), (Paused, 1, 0, 1)]
        );
        assert_eq!(
            services(&all),
            vec![
                ("exchange".into(), 3, 1450, 1250),
                ("teams".into(), 2, 250, 250)
            ],
            "a service with no entitlements is not held"
        );
        assert_eq!(
            all.by_service[0].name,
            service("exchange").unwrap().name,
            "display name from the catalogue"
        );
        assert_eq!(
            owners(&all),
            vec![
                (Some("maria".into()), 2),
                (Some("omar".into()), 1),
                (None, 2)
            ]
        );
        assert_eq!(all.by_owner[0].user_id, Some(maria.id));
        assert_eq!(
            phases(&all),
            vec![
                ("initiate".into(), 3),
                ("assess".into(), 1),
                ("remediate".into(), 1)
            ]
        );
        // Every phase of the playbook has a row, in lifecycle order, then the completed row.
        let (_, _, template) = s.playbook().unwrap();
        let keys: Vec<&str> = all.by_phase.iter().map(|p| p.phase.as_str()).collect();
        let mut want: Vec<&str> = template.phases.iter().map(|(k, _)| k.as_str()).collect();
        want.push("");
        assert_eq!(keys, want);
        assert!(all.by_phase.last().unwrap().complete);
        assert_eq!(all.by_phase[0].name, "Initiate");
    }

    // Partners: their organisation's tenants only (T1, T3).
    let p = s
        .portfolio_summary(PortfolioScope::for_user(&pat, false))
        .await
        .unwrap();
    assert_eq!((p.tenants, p.active, p.inactive), (2, 1, 1));
    assert_eq!(
        statuses(&p),
        vec![(Active, 1, 1, 0), (Blocked, 0, 0, 0), (Paused, 1, 0, 1)]
    );
    assert_eq!(
        services(&p),
        vec![
            ("teams".into(), 2, 250, 250),
            ("exchange".into(), 1, 300, 300)
        ]
    );
    assert_eq!(
        owners(&p),
        vec![(Some("maria".into()), 1), (Some("omar".into()), 1)]
    );
    assert_eq!(
        phases(&p),
        vec![("initiate".into(), 1), ("assess".into(), 1)]
    );
    // A partner assigned to nothing sees nothing with `mine`.
    let pm = s
        .portfolio_summary(PortfolioScope::for_user(&pat, true))
        .await
        .unwrap();
    assert_eq!(pm.tenants, 0);
    assert!(pm.by_owner.is_empty() && pm.by_service.is_empty());
    assert!(phases(&pm).is_empty());

    // Mine: tenants the user is assigned to in any role or service.
    let m = s
        .portfolio_summary(PortfolioScope::for_user(&maria, true))
        .await
        .unwrap();
    assert_eq!((m.tenants, m.active), (2, 2));
    assert_eq!(owners(&m), vec![(Some("maria".into()), 2)]);
    let o = s
        .portfolio_summary(PortfolioScope::for_user(&omar, true))
        .await
        .unwrap();
    assert_eq!(o.tenants, 3, "T2 (not primary), T3 and T5 (one service)");
    assert_eq!(
        owners(&o),
        vec![
            (Some("maria".into()), 1),
            (Some("omar".into()), 1),
            (None, 1)
        ]
    );
    assert_eq!(phases(&o), vec![("initiate".into(), 3)]);
    let e = s
        .portfolio_summary(PortfolioScope::for_user(&erin, true))
        .await
        .unwrap();
    assert_eq!((e.tenants, phases(&e)), (1, vec![("remediate".into(), 1)]));
}

/// The tenants behind one number: `(IDs of the page, total)`, all on one page.
async fn behind(
    s: &Store,
    scope: PortfolioScope,
    active: Option<bool>,
    status: Option<OverallStatus>,
    owner: Option<Option<i64>>,
    service: Option<&str>,
    phase: Option<&str>,
) -> (Vec<String>, i64) {
    let f = TenantFilter {
        partner_id: scope.partner_id,
        assigned_to: scope.assigned_to,
        active,
        limit: Some(100),
        ..TenantFilter::default()
    };
    let (rows, total) = s
        .tenants_narrowed(&f, status, owner, service, phase)
        .await
        .unwrap();
    (rows.into_iter().map(|t| t.tenant_id).collect(), total)
}

async fn every_number_lists_its_tenants(db: &TestDb) {
    let s = &db.store;
    let (maria, omar, erin, pat) = portfolio(s).await;
    // Every number of every summary is the total of the list narrowed to it, and the list
    // holds that many tenants.
    for u in [&maria, &omar, &erin, &pat] {
        for mine in [false, true] {
            let scope = PortfolioScope::for_user(u, mine);
            let sum = s.portfolio_summary(scope).await.unwrap();
            let mut numbers: Vec<(i64, (Vec<String>, i64))> = vec![
                (
                    sum.tenants,
                    behind(s, scope, None, None, None, None, None).await,
                ),
                (
                    sum.active,
                    behind(s, scope, Some(true), None, None, None, None).await,
                ),
                (
                    sum.inactive,
                    behind(s, scope, Some(false), None, None, None, None).await,
                ),
            ];
            for r in &sum.by_status {
                for (n, active) in [
                    (r.tenants, None),
                    (r.active, Some(true)),
                    (r.inactive, Some(false)),
                ] {
                    numbers.push((
                        n,
                        behind(s, scope, active, Some(r.status), None, None, None).await,
                    ));
                }
            }
            for r in &sum.by_service {
                numbers.push((
                    r.tenants,
                    behind(s, scope, None, None, None, Some(&r.service), None).await,
                ));
            }
            for r in &sum.by_owner {
                numbers.push((
                    r.tenants,
                    behind(s, scope, None, None, Some(r.user_id), None, None).await,
                ));
            }
            for r in &sum.by_phase {
                numbers.push((
                    r.tenants,
                    behind(s, scope, None, None, None, None, Some(&r.phase)).await,
                ));
            }
            for (n, (ids, total)) in numbers {
                assert_eq!((total, ids.len() as i64), (n, n), "{} mine={mine}", u.name);
            }
        }
    }
    let all = PortfolioScope::default();
    // The tenants themselves. Blocked: T2.
    assert_eq!(
        behind(s, all, None, Some(OverallStatus::Blocked), None, None, None).await,
        (vec![T2.to_string()], 1)
    );
    // Owned by maria: T1 and T2 (primary there); by omar: T3 alone (T2 not primary, T5
    // one service's); nobody: T4 and T5.
    let ids = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        behind(s, all, None, None, Some(Some(maria.id)), None, None)
            .await
            .0,
        ids(&[T1, T2])
    );
    assert_eq!(
        behind(s, all, None, None, Some(Some(omar.id)), None, None)
            .await
            .0,
        ids(&[T3])
    );
    assert_eq!(
        behind(s, all, None, None, Some(None), None, None).await.0,
        ids(&[T4, T5])
    );
    // A service held with no entitlements is not held.
    assert_eq!(
        behind(s, all, None, None, None, Some("sharepoint"), None)
            .await
            .1,
        0
    );
    assert_eq!(
        behind(s, all, None, None, None, Some("teams"), None)
            .await
            .0,
        ids(&[T1, T3])
    );
    // Phases: T1 in Assess, T4 in Remediate; a phase the playbook lacks holds nobody.
    assert_eq!(
        behind(s, all, None, None, None, None, Some("assess"))
            .await
            .0,
        ids(&[T1])
    );
    assert_eq!(
        behind(s, all, None, None, None, None, Some("remediate"))
            .await
            .0,
        ids(&[T4])
    );
    assert_eq!(
        behind(s, all, None, None, None, None, Some("nowhere"))
            .await
            .1,
        0
    );
    // Narrowings combine, with the filter's own conditions and its paging.
    assert_eq!(
        behind(
            s,
            all,
            Some(true),
            None,
            Some(Some(maria.id)),
            Some("exchange"),
            Some("initiate")
        )
        .await,
        (ids(&[T2]), 1)
    );
    let f = TenantFilter {
        limit: Some(1),
        offset: Some(1),
        ..TenantFilter::default()
    };
    let (page, total) = s
        .tenants_narrowed(&f, None, None, None, Some("initiate"))
        .await
        .unwrap();
    assert_eq!((page.len(), total), (1, 3));
    assert_eq!(page[0].tenant_id, T3, "initiate: T2, T3, T5 by name");
    let (page, total) = s
        .tenants_narrowed(&f, None, Some(None), None, None)
        .await
        .unwrap();
    assert_eq!((page.len(), total), (1, 2));
    assert_eq!(page[0].tenant_id, T5);
}

/// The adoption dashboard's page opens on the period of the latest usage figure
/// (`adoption_latest_day`); here because the portfolio's scopes decide what it sees.
async fn the_latest_usage_day_is_read_within_the_filter(db: &TestDb) {
    let s = &db.store;
    let (_, _, _, pat) = portfolio(s).await;
    let all = ftop_store::AdoptionFilter::default();
    assert_eq!(s.adoption_latest_day(&all).await.unwrap(), None);
    let mut imp = s.usage_import(&actor(), false).await.unwrap();
    for (line, (t, day, n)) in [
        (T1, "2025-11-03", "10"),
        (T2, "2026-01-20", "90"),
        (T1, "2025-12-01", "20"),
    ]
    .into_iter()
    .enumerate()
    {
        let row = [t.as_bytes(), b"exchange", day.as_bytes(), n.as_bytes()];
        assert!(imp.push(line as u64 + 2, row).await.unwrap().is_none());
    }
    imp.finish().await.unwrap();
    let day = |d: &str| {
        time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")).unwrap()
    };
    assert_eq!(
        s.adoption_latest_day(&all).await.unwrap(),
        Some(day("2026-01-20"))
    );
    // The partner's tenants (T1, T3): T1's latest figure.
    let partner = ftop_store::AdoptionFilter {
        scope: PortfolioScope::for_user(&pat, false),
        ..Default::default()
    };
    assert_eq!(
        s.adoption_latest_day(&partner).await.unwrap(),
        Some(day("2025-12-01"))
    );
    let teams = ftop_store::AdoptionFilter {
        service: Some("teams".into()),
        ..Default::default()
    };
    assert_eq!(s.adoption_latest_day(&teams).await.unwrap(), None);
}

async fn current_phase_follows_the_domain_rule(db: &TestDb) {
    let s = &db.store;
    s.load_playbook(&actor(), &bundled_sources()).await.unwrap();
    let admin = user(s, "root", UserRole::Admin).await;
    tenant(s, T1, "a.onmicrosoft.com", &[("exchange", 300, None)]).await;
    let scope = PortfolioScope::for_user(&admin, false);
    let phase_of = || async {
        let p = phases(&s.portfolio_summary(scope).await.unwrap());
        assert_eq!(p.len(), 1, "{p:?}");
        p[0].0.clone()
    };
    assert_eq!(phase_of().await, "initiate");
    // Not Required counts as done; Cancelled does not.
    let init = mandatory(s, T1, "initiate").await;
    for t in &init {
        task(s, T1, *t, "", TaskStatus::NotRequired).await;
    }
    task(s, T1, init[0], "", TaskStatus::Cancelled).await;
    assert_eq!(phase_of().await, "initiate");
    task(s, T1, init[0], "", TaskStatus::Complete).await;
    assert_eq!(
        phase_of().await,
        "assess",
        "Initiate's mandatory tenant-wide tasks are all Complete or Not Required"
    );
    // Same answer as the per-tenant rule of the store.
    assert!(s.phase_complete(T1, "initiate", "").await.unwrap());
    assert!(!s.phase_complete(T1, "assess", "").await.unwrap());
    // Every phase settled: the tenant has completed them all.
    let (_, _, template) = s.playbook().unwrap();
    for (phase, _) in &template.phases {
        for t in mandatory(s, T1, phase).await {
            task(s, T1, t, "", TaskStatus::Complete).await;
        }
    }
    assert_eq!(phase_of().await, "(complete)");
    // Reopening one Initiate task sends it back.
    task(s, T1, init[1], "", TaskStatus::InProgress).await;
    assert_eq!(phase_of().await, "initiate");
}

async fn many_tenants_are_summarised_in_bulk(db: &TestDb) {
    let s = &db.store;
    s.load_playbook(&actor(), &bundled_sources()).await.unwrap();
    let admin = user(s, "root", UserRole::Admin).await;
    let n = 1500u64;
    let rows: Vec<ImportRow> = (0..n)
        .map(|i| ImportRow {
            line: i + 2,
            tenant_id: format!("00000000-0000-4000-8000-{i:012x}"),
            tenant_name: format!("t{i}.onmicrosoft.com"),
            customer: format!("Customer {}", i % 40),
            service: if i % 3 == 0 { "teams" } else { "exchange" }.into(),
            entitlements: (150 + i).to_string(),
            qualified: String::new(),
        })
        .collect();
    s.import_tenants(&actor(), &rows, &|_| {}).await.unwrap();
    let first = "00000000-0000-4000-8000-000000000000";
    settle(s, first, "initiate").await;
    let started = std::time::Instant::now();
    let sum = s
        .portfolio_summary(PortfolioScope::for_user(&admin, false))
        .await
        .unwrap();
    let took = started.elapsed();
    eprintln!("summary of {n} tenants: {took:?}");
    assert_eq!(sum.tenants, n as i64);
    assert_eq!(
        phases(&sum),
        vec![("initiate".into(), n as i64 - 1), ("assess".into(), 1)]
    );
    assert_eq!(
        sum.by_service
            .iter()
            .map(|r| (r.service.as_str(), r.tenants))
            .collect::<Vec<_>>(),
        vec![("exchange", 1000), ("teams", 500)]
    );
    assert_eq!(owners(&sum), vec![(None, n as i64)]);
    assert!(took.as_secs() < 30, "{took:?}");
}

async fn library_notes_are_scoped_filtered_and_windowed(db: &TestDb) {
    let s = &db.store;
    s.load_playbook(&actor(), &bundled_sources()).await.unwrap();
    let maria = user(s, "maria", UserRole::Manager).await;
    let omar = user(s, "omar", UserRole::Manager).await;
    let pat = user(s, "pat", UserRole::Partner).await;
    let guest = user(s, "gus", UserRole::Guest).await;
    tenant(s, T1, "alpha.onmicrosoft.com", &[("exchange", 300, None)]).await;
    tenant(s, T2, "beta.onmicrosoft.com", &[("exchange", 300, None)]).await;
    s.add_tenant_partner(&actor(), T1, "Fabrikam Partners", false)
        .await
        .unwrap();
    let note = |tenant: &str, body: &str, cat: NoteCategory, escalated: bool| NoteDraft {
        tenant_id: tenant.into(),
        category: Some(cat),
        body: body.into(),
        escalated,
        next_action: "call back".into(),
        ..Default::default()
    };
    let (am, ao) = (Actor::user(&maria), Actor::user(&omar));
    let n1 = s
        .add_note(
            &am,
            &note(
                T1,
                "Kick-off held",
                NoteCategory::EngagementManagement,
                false,
            ),
            true,
        )
        .await
        .unwrap();
    let n2 = s
        .add_note(
            &ao,
            &note(T2, "Blocked on DNS 100%_", NoteCategory::Environment, true),
            true,
        )
        .await
        .unwrap();
    let n3 = s
        .add_note(
            &ao,
            &note(T1, "Migration wave 1", NoteCategory::Migration, false),
            true,
        )
        .await
        .unwrap();
    // Drafts are not in the library.
    s.add_note(
        &am,
        &note(T1, "draft only", NoteCategory::Migration, false),
        false,
    )
    .await
    .unwrap();

    let ids = |v: Vec<ftop_store::LibraryNote>| v.iter().map(|n| n.note.id).collect::<Vec<_>>();
    let all = LibraryFilter::default();
    // Newest first; everyone but partners sees every saved note.
    for u in [&maria, &guest] {
        assert_eq!(
            ids(s.notes_visible(u, &all).await.unwrap()),
            vec![n3.id, n2.id, n1.id]
        );
    }
    let got = s.notes_visible(&pat, &all).await.unwrap();
    assert_eq!(ids(got.clone()), vec![n3.id, n1.id], "partner: own tenants");
    assert_eq!(got[0].tenant, "alpha.onmicrosoft.com");
    assert_eq!(got[0].note.author, "omar");
    // Filters.
    let f = |g: fn(&mut LibraryFilter)| {
        let mut f = LibraryFilter::default();
        g(&mut f);
        f
    };
    let q = f(|f| f.category = Some(NoteCategory::Environment));
    assert_eq!(ids(s.notes_visible(&maria, &q).await.unwrap()), vec![n2.id]);
    let q = f(|f| f.escalated = true);
    assert_eq!(ids(s.notes_visible(&maria, &q).await.unwrap()), vec![n2.id]);
    assert!(s.notes_visible(&pat, &q).await.unwrap().is_empty());
    let q = f(|f| f.search = Some("  MIGRATION ".into()));
    assert_eq!(ids(s.notes_visible(&maria, &q).await.unwrap()), vec![n3.id]);
    let q = f(|f| f.search = Some("beta.onmicrosoft".into()));
    assert_eq!(
        ids(s.notes_visible(&maria, &q).await.unwrap()),
        vec![n2.id],
        "by tenant name"
    );
    let q = f(|f| f.search = Some("100%_".into()));
    assert_eq!(
        ids(s.notes_visible(&maria, &q).await.unwrap()),
        vec![n2.id],
        "% and _ are literal"
    );
    let q = f(|f| f.search = Some("0%".into()));
    assert_eq!(ids(s.notes_visible(&maria, &q).await.unwrap()), vec![n2.id]);
    let mut mine = LibraryFilter {
        author_id: Some(omar.id),
        ..Default::default()
    };
    assert_eq!(
        ids(s.notes_visible(&omar, &mine).await.unwrap()),
        vec![n3.id, n2.id]
    );
    mine.limit = Some(1);
    assert_eq!(
        ids(s.notes_visible(&omar, &mine).await.unwrap()),
        vec![n3.id]
    );
    // Date windows, counted back from a chosen moment.
    let now = time::OffsetDateTime::now_utc();
    let at = |days: i64, window: NoteWindow| LibraryFilter {
        window,
        as_of: Some(now + time::Duration::days(days)),
        ..Default::default()
    };
    let everything = vec![n3.id, n2.id, n1.id];
    for (days, window, want) in [
        (0, NoteWindow::Last30, everything.clone()),
        (0, NoteWindow::Days30To60, vec![]),
        (45, NoteWindow::Last30, vec![]),
        (45, NoteWindow::Days30To60, everything.clone()),
        (45, NoteWindow::Days60To90, vec![]),
        (75, NoteWindow::Days60To90, everything.clone()),
        (120, NoteWindow::Days60To90, vec![]),
        (120, NoteWindow::All, everything.clone()),
    ] {
        assert_eq!(
            ids(s.notes_visible(&maria, &at(days, window)).await.unwrap()),
            want,
            "{days} days on, {window:?}"
        );
    }
    assert_eq!(NoteWindow::parse("60"), Some(NoteWindow::Days30To60));
    assert_eq!(NoteWindow::parse("7"), None);
}

/// The tenant's gen of its kept phase (migration 25) and whether its kept phase counts.
async fn kept(db: &TestDb, id: &str) -> (i64, bool) {
    let row = db
        .raw(&format!(
            "SELECT CAST(gen AS TEXT) || ' ' || CASE WHEN phase_gen = gen THEN 'kept' ELSE 'stale' END
             FROM tenant_phases WHERE tenant_id = '{id}'"
        ))
        .await;
    let (gen_text, state) = row[0].split_once(' ').unwrap();
    (gen_text.parse().unwrap(), state == "kept")
}

/// The lists narrowed to Assess and Initiate hold T1 and T2, that to Enable nobody.
async fn phase_lists(s: &Store, scope: PortfolioScope, when: &str) {
    for (phase, want) in [
        ("assess", vec![T1.to_string()]),
        ("initiate", vec![T2.to_string()]),
        ("enable", vec![]),
    ] {
        let n = want.len() as i64;
        assert_eq!(
            behind(s, scope, None, None, None, None, Some(phase)).await,
            (want, n),
            "{phase}, {when}"
        );
    }
}

/// Applies `u` to tenant `id`'s engagement.
async fn engage(s: &Store, id: &str, u: EngagementUpdate) {
    let v = s.tenant(id).await.unwrap().version;
    s.update_engagement(&actor(), id, v, &u).await.unwrap();
}

/// Waits (at most 10 s) until every tenant's phase is kept: a summary writes the phases
/// it worked out back in the background.
async fn settled(db: &TestDb) {
    for _ in 0..200 {
        let stale = db
            .raw(
                "SELECT CAST(COUNT(*) AS TEXT) FROM tenant_phases
                 WHERE phase_gen IS NULL OR phase_gen <> gen",
            )
            .await;
        if stale == ["0"] {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the worked-out phases were not written back");
}

/// The phases a summary counts from the kept phases, and the same worked out afresh for
/// every tenant (every kept phase made stale by hand first, once the summary's
/// write-back is done).
async fn kept_and_afresh(
    db: &TestDb,
    scope: PortfolioScope,
) -> (Vec<(String, i64)>, Vec<(String, i64)>) {
    let s = &db.store;
    let kept = phases(&s.portfolio_summary(scope).await.unwrap());
    settled(db).await;
    db.raw("UPDATE tenant_phases SET phase_gen = NULL").await;
    let afresh = phases(&s.portfolio_summary(scope).await.unwrap());
    (kept, afresh)
}

/// Each tenant's phase is kept after a summary worked it out (migration 25), and every
/// change of what it is worked out from (tenant-wide task states, flags, service lines,
/// CSM assignments) moves the tenant's gen, so that the next summary works it out again;
/// a new playbook version makes every kept phase stale. The counts from kept phases equal
/// those worked out afresh after each change, and a phase written for an older gen never
/// counts.
async fn kept_phases_follow_what_they_are_worked_out_from(db: &TestDb) {
    let s = &db.store;
    s.load_playbook(&actor(), &bundled_sources()).await.unwrap();
    let admin = user(s, "root", UserRole::Admin).await;
    let csm = user(s, "cara", UserRole::Manager).await;
    tenant(s, T1, "a.onmicrosoft.com", &[("exchange", 300, None)]).await;
    tenant(s, T2, "b.onmicrosoft.com", &[("exchange", 2000, None)]).await;
    let scope = PortfolioScope::for_user(&admin, false);
    assert!(!kept(db, T1).await.1, "no phase kept before a summary");
    let first = phases(&s.portfolio_summary(scope).await.unwrap());
    assert_eq!(first, [("initiate".to_string(), 2)]);
    settled(db).await;
    assert!(
        kept(db, T1).await.1 && kept(db, T2).await.1,
        "kept after it"
    );
    assert_eq!(phases(&s.portfolio_summary(scope).await.unwrap()), first);

    // A tenant-wide task: T1 through Initiate.
    let before = kept(db, T1).await.0;
    for t in mandatory(s, T1, "initiate").await {
        task(s, T1, t, "", TaskStatus::Complete).await;
    }
    assert!(kept(db, T1).await.0 > before, "a task state moves the gen");
    // A list narrowed to a phase: T1's phase is worked out for it (not kept), T2's kept.
    // T1's kept row is held meanwhile, so that no write-back can keep it before the list
    // is read: the list has T1 only from what it worked out.
    assert!(!kept(db, T1).await.1 && kept(db, T2).await.1);
    let held = db
        .holding(&format!(
            "UPDATE tenant_phases SET gen = gen WHERE tenant_id = '{T1}'"
        ))
        .await;
    phase_lists(s, scope, "worked out").await;
    held.release().await;
    // A list keeps what it worked out (the write-back waited for the row, or gave up and
    // the next list works it out again); read from the kept phases, the lists are the
    // same.
    phase_lists(s, scope, "after the row was released").await;
    settled(db).await;
    phase_lists(s, scope, "kept").await;
    // What the phases are not worked out from leaves the gens alone: a line's day of
    // its latest figure (every usage import writes it), its version, a task's percent.
    let before = (kept(db, T1).await.0, kept(db, T2).await.0);
    db.raw("UPDATE tenant_services SET last_figure = 7, version = version + 1")
        .await;
    db.raw(&format!(
        "UPDATE task_states SET percent = 50 WHERE tenant_id = '{T1}' AND service = ''"
    ))
    .await;
    assert_eq!(
        db.raw("SELECT CAST(COUNT(*) AS TEXT) FROM task_states WHERE percent = 50")
            .await,
        [mandatory(s, T1, "initiate").await.len().to_string()],
        "the percent was changed on the tenant-wide states"
    );
    assert_eq!((kept(db, T1).await.0, kept(db, T2).await.0), before);
    assert!(kept(db, T2).await.1, "another tenant's phase stays kept");
    let (k, a) = kept_and_afresh(db, scope).await;
    assert_eq!(k, a);
    assert_eq!(k, [("initiate".to_string(), 1), ("assess".to_string(), 1)]);

    // The flags.
    let before = kept(db, T2).await.0;
    engage(
        s,
        T2,
        EngagementUpdate {
            enterprise_exception: Some(true),
            ..Default::default()
        },
    )
    .await;
    assert!(kept(db, T2).await.0 > before, "a flag moves the gen");
    let before = kept(db, T2).await.0;
    engage(
        s,
        T2,
        EngagementUpdate {
            overall_status: Some(OverallStatus::Blocked),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        kept(db, T2).await.0,
        before,
        "the overall status is not a fact of phases"
    );
    let (k, a) = kept_and_afresh(db, scope).await;
    assert_eq!(k, a);

    // A service line's seats.
    let before = kept(db, T1).await.0;
    s.set_service(&actor(), T1, "exchange", 300, Some(100))
        .await
        .unwrap();
    assert!(kept(db, T1).await.0 > before, "seats move the gen");
    let (k, a) = kept_and_afresh(db, scope).await;
    assert_eq!(k, a);

    // A CSM assigned, then removed.
    let before = kept(db, T1).await.0;
    s.assign(
        &actor(),
        T1,
        "cara",
        AssignmentRole::CustomerSuccessManager,
        "",
        false,
    )
    .await
    .unwrap();
    let assigned = kept(db, T1).await.0;
    assert!(assigned > before, "a CSM assigned moves the gen");
    let (k, a) = kept_and_afresh(db, scope).await;
    assert_eq!(k, a);
    s.unassign(
        &actor(),
        T1,
        csm.id,
        AssignmentRole::CustomerSuccessManager,
        "",
    )
    .await
    .unwrap();
    assert!(
        kept(db, T1).await.0 > assigned,
        "a CSM removed moves the gen"
    );
    let (k, a) = kept_and_afresh(db, scope).await;
    assert_eq!(k, a);

    // A task state and a service line removed (in SQL: the store archives states and
    // keeps lines) move the gen too.
    settled(db).await;
    let before = kept(db, T1).await.0;
    db.raw(&format!(
        "DELETE FROM task_states WHERE tenant_id = '{T1}' AND service = ''"
    ))
    .await;
    assert!(
        kept(db, T1).await.0 > before,
        "a removed task state moves the gen"
    );
    db.raw(&format!(
        "DELETE FROM entitlement_status WHERE tenant_id = '{T2}'"
    ))
    .await;
    let before = kept(db, T2).await.0;
    db.raw(&format!(
        "DELETE FROM tenant_services WHERE tenant_id = '{T2}'"
    ))
    .await;
    assert!(
        kept(db, T2).await.0 > before,
        "a removed line moves the gen"
    );
    let (k, a) = kept_and_afresh(db, scope).await;
    assert_eq!(k, a);

    // A phase written for an older gen (a write-back that lost a race) never counts.
    s.portfolio_summary(scope).await.unwrap();
    settled(db).await;
    db.raw(&format!(
        "UPDATE tenant_phases SET phase = 4, phase_gen = gen - 1 WHERE tenant_id = '{T1}'"
    ))
    .await;
    assert_eq!(
        phases(&s.portfolio_summary(scope).await.unwrap()),
        [("initiate".to_string(), 2)]
    );
    // A tenant whose row was removed by hand is still counted, and listed.
    db.raw(&format!(
        "DELETE FROM tenant_phases WHERE tenant_id = '{T2}'"
    ))
    .await;
    assert_eq!(
        phases(&s.portfolio_summary(scope).await.unwrap()),
        [("initiate".to_string(), 2)]
    );
    let (listed, n) = behind(s, scope, None, None, None, None, Some("initiate")).await;
    assert_eq!((listed.contains(&T2.to_string()), n), (true, 2));

    // A new playbook version: no kept phase counts until worked out for it.
    let mut changed = bundled_sources();
    changed[0].text.push('\n');
    s.load_playbook(&actor(), &changed).await.unwrap();
    let version = s.playbook().unwrap().0;
    assert_eq!(
        db.raw(&format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM tenant_phases WHERE playbook_version = {version}"
        ))
        .await,
        ["0"],
        "kept for the version before"
    );
    let (k, a) = kept_and_afresh(db, scope).await;
    assert_eq!(k, a);
    assert_eq!(k, [("initiate".to_string(), 2)]);
}
