//! The storage conformance suite: every operation of the store, run against SQLite and
//! against a real PostgreSQL server. Each test gets a fresh database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{TestDb, actor, bundled_sources};
use ftop_domain::taxonomy::{L1, StatusRow};
use ftop_domain::{AssignmentRole, NoteCategory, OverallStatus, TaskStatus, UserRole};
use ftop_store::{
    Access, Actor, EngagementUpdate, ImportRow, NewContact, NewTenant, NoteDraft, NoteFilter,
    Store, StoreError, TaskUpdate, TenantEdit, TenantFilter,
};

const T1: &str = "871e613c-59df-73c1-b016-f93aac00dccd";
const T2: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

fn new_tenant(id: &str, name: &str, services: &[(&str, i64)]) -> NewTenant {
    NewTenant {
        tenant_id: id.into(),
        name: name.into(),
        customer: "Contoso".into(),
        services: services
            .iter()
            .map(|(s, n)| (s.to_string(), *n, None))
            .collect(),
    }
}

fn fields(e: StoreError) -> Vec<String> {
    match e {
        StoreError::Invalid(i) => i.0.into_iter().map(|f| f.field).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

async fn with_playbook(db: &TestDb) -> &Store {
    db.store
        .load_playbook(&actor(), &bundled_sources())
        .await
        .unwrap();
    &db.store
}

async fn user(s: &Store, name: &str, role: UserRole) -> Actor {
    let partner = (role == UserRole::Partner).then_some("Fabrikam Partners");
    let u = s
        .add_user(&actor(), name, role, "correct horse battery", partner)
        .await
        .unwrap();
    Actor::user(&u)
}

common::both_engines!(
    migrations_are_idempotent_and_the_database_is_sound,
    a_migration_changed_after_it_was_applied_is_refused,
    tenants_are_added_validated_and_listed,
    engagement_updates_check_versions_and_are_audited,
    service_seats_rebalance_status_rows,
    status_rows_must_add_up,
    import_is_all_or_nothing_and_idempotent,
    an_import_keeps_any_text_and_mixes_new_and_stored_tenants,
    users_passwords_and_tokens,
    assignments_keep_exactly_one_primary,
    contacts_and_partners,
    tasks_follow_the_playbook_and_refuse_stale_versions,
    playbook_upgrades_migrate_by_task_id_and_lose_nothing,
    notes_drafts_and_saved_notes,
    time_entries_are_at_least_a_minute,
    a_refused_change_leaves_no_trace,
    sessions_and_sign_in_throttling,
    access_follows_roles_assignments_and_partners,
    concurrent_task_changes_commit_together_and_fail_alone,
    concurrent_task_changes_on_many_tenants_each_win_once,
    a_tenant_read_for_a_user_carries_access_and_facts,
    a_tenant_read_with_its_tasks_matches_the_two_reads,
    tenants_are_edited_whole_and_exceptions_need_reasons,
    single_sign_on_subjects_link_once,
    a_services_delivery_is_set_whole_checked_and_audited,
    a_services_data_migration_is_decided_against_its_status_rows_and_audited,
    enterprise_status_entries_are_added_checked_and_audited,
    the_work_queue_holds_what_is_due_on_ones_tenants_and_drops_it_once_resolved,
    digest_settings_secrets_and_claims_send_once_per_period,
    the_work_queue_of_a_user_with_2000_tenants_holds_each_of_their_items,
    the_work_queue_reads_the_latest_saved_note_and_au_falls_from_the_threshold_on,
    a_forecast_saved_ahead_enters_the_queue_once_its_date_passes_below_the_milestone,
);

async fn a_services_data_migration_is_decided_against_its_status_rows_and_audited(db: &TestDb) {
    use ftop_domain::migration::{Decision, TypeRow};
    use ftop_domain::{MigrationRejection, MigrationStatus, MigrationType};
    let s = with_playbook(db).await;
    // 600 seats: eligible; Exchange and OneDrive migrate, Teams does not.
    s.add_tenant(
        &actor(),
        &new_tenant(
            T1,
            "contoso.onmicrosoft.com",
            &[("exchange", 600), ("onedrive", 600), ("teams", 600)],
        ),
    )
    .await
    .unwrap();
    // 500 seats: not eligible (more than 500 are needed).
    s.add_tenant(
        &actor(),
        &new_tenant(T2, "fabrikam.onmicrosoft.com", &[("exchange", 500)]),
    )
    .await
    .unwrap();
    let all = s.migrations(T1).await.unwrap();
    assert_eq!(
        all.iter().map(|m| m.service.as_str()).collect::<Vec<_>>(),
        ["exchange", "onedrive"]
    );
    assert_eq!((all[0].version, all[0].due), (0, 0));
    assert!(s.migrations(T2).await.unwrap().is_empty());
    assert_eq!(
        fields(s.migration(T2, "exchange").await.unwrap_err()),
        ["service"]
    );
    assert_eq!(
        fields(s.migration(T1, "teams").await.unwrap_err()),
        ["service"]
    );
    assert!(matches!(
        s.migration(T1, "intune").await,
        Err(StoreError::NotFound(_))
    ));
    // 500 In Progress, 5 Blocked, 95 No Intent: 505 to migrate.
    let st = s.service_status(T1, "exchange").await.unwrap();
    let status = |l1: L1, count: u64| StatusRow {
        l1,
        l2: (l1 == L1::Blocked)
            .then(|| "customer-it-infrastructure-remediation".into())
            .or((l1 == L1::NoIntent).then(|| "executive-sponsorship".into())),
        l3: None,
        count,
        target_date: (l1 == L1::InProgress).then(|| ftop_store::today() + time::Duration::days(30)),
        owner: None,
        note: String::new(),
        next_action_date: None,
    };
    let st = s
        .set_status_rows(
            &actor(),
            T1,
            "exchange",
            st.version,
            &[
                status(L1::InProgress, 500),
                status(L1::Blocked, 5),
                status(L1::NoIntent, 95),
            ],
        )
        .await
        .unwrap();
    assert_eq!(s.migration(T1, "exchange").await.unwrap().due, 505);
    let row = |t: MigrationType, n: u64| TypeRow {
        migration_type: t,
        entitlements: n,
        estimated_date: None,
        note: String::new(),
        data_size_gb: None,
        status: MigrationStatus::NotStarted,
    };
    let mut d = Decision {
        performing: true,
        desired_start: Some(time::macros::date!(2026 - 04 - 01)),
        desired_end: Some(time::macros::date!(2026 - 06 - 30)),
        types: vec![
            row(MigrationType::ExchangeHybrid, 400),
            row(MigrationType::GmailStaged, 100),
        ],
        ..Decision::default()
    };
    // 500 of 505: refused, naming the rows; nothing stored.
    let e = s
        .set_migration(&actor(), T1, "exchange", 0, &d)
        .await
        .unwrap_err();
    assert_eq!(fields(e), ["types"]);
    assert_eq!(s.migration(T1, "exchange").await.unwrap().version, 0);
    d.types[1].entitlements = 105;
    d.types[1].data_size_gb = Some(750);
    d.types[1].status = MigrationStatus::InProgress;
    d.types[1].estimated_date = Some(time::macros::date!(2026 - 05 - 15));
    d.types[1].note = "Gmail labels become folders".into();
    let m = s
        .set_migration(&actor(), T1, "exchange", 0, &d)
        .await
        .unwrap();
    assert_eq!((m.version, m.due), (1, 505));
    assert_eq!(m.decision, d, "everything reads back as saved");
    // The version read before is stale now.
    assert!(matches!(
        s.set_migration(&actor(), T1, "exchange", 0, &d).await,
        Err(StoreError::Conflict(_))
    ));
    // The status rows change: the next save is checked against them.
    s.set_status_rows(
        &actor(),
        T1,
        "exchange",
        st.version,
        &[status(L1::InProgress, 505), status(L1::NoIntent, 95)],
    )
    .await
    .unwrap();
    let e = s
        .set_migration(
            &actor(),
            T1,
            "exchange",
            1,
            &Decision {
                types: vec![row(MigrationType::Imap, 600)],
                ..d.clone()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(fields(e), ["types"]);
    // Microsoft does not perform it: a reason, no rows, no dates.
    let no = Decision {
        performing: false,
        rejection_reason: Some(MigrationRejection::CustomerSelfMigrates),
        notes: "Their own team moves the mailboxes.".into(),
        ..Decision::default()
    };
    let m2 = s
        .set_migration(&actor(), T1, "exchange", 1, &no)
        .await
        .unwrap();
    assert_eq!((m2.version, m2.decision.types.len()), (2, 0));
    assert_eq!(
        m2.decision.rejection_reason,
        Some(MigrationRejection::CustomerSelfMigrates)
    );
    // A decision on a service that has none is refused before anything is written.
    assert_eq!(
        fields(
            s.set_migration(&actor(), T2, "exchange", 0, &no)
                .await
                .unwrap_err()
        ),
        ["service"]
    );
    // Each save is in the History with the state before and after.
    let log = s.audit_matching(T1, "migration", "", 10).await.unwrap();
    assert_eq!(log.len(), 2);
    assert!(
        log[0]
            .before
            .as_deref()
            .unwrap()
            .contains("mig-gmailstaged")
    );
    assert!(
        log[0]
            .after
            .as_deref()
            .unwrap()
            .contains("customer-self-migrates")
    );
    assert!(
        log[1]
            .after
            .as_deref()
            .unwrap()
            .contains("\"performing\":true")
    );
    // The other service's decision is its own.
    assert_eq!(s.migration(T1, "onedrive").await.unwrap().version, 0);
}

async fn enterprise_status_entries_are_added_checked_and_audited(db: &TestDb) {
    use ftop_domain::enterprise::EnterpriseDraft;
    use ftop_domain::{EnterpriseReason, Rag};
    let s = with_playbook(db).await;
    // T1 is an enterprise tenant by its seats, T2 is not (yet).
    s.add_tenant(
        &actor(),
        &new_tenant(T1, "contoso.onmicrosoft.com", &[("exchange", 20_000)]),
    )
    .await
    .unwrap();
    s.add_tenant(
        &actor(),
        &new_tenant(T2, "fabrikam.onmicrosoft.com", &[("exchange", 19_999)]),
    )
    .await
    .unwrap();
    assert!(s.is_enterprise(T1).await.unwrap());
    assert!(!s.is_enterprise(T2).await.unwrap());
    assert!(s.enterprise_statuses(T1).await.unwrap().is_empty());
    let day = |days: i64| {
        let d = ftop_store::today() + time::Duration::days(days);
        d.to_string()
    };
    let draft = EnterpriseDraft {
        reasons: vec!["major-brand".into(), "it-maturity".into()],
        rag: "amber".into(),
        summary: " Identity: MFA waits for the security review. ".into(),
        overview: "Exchange 60% migrated; SharePoint planned.".into(),
        risks: "Budget freeze in Q3.".into(),
        next_update: day(14),
        ..Default::default()
    };
    // Not an enterprise tenant: not found, nothing written.
    assert!(matches!(
        s.add_enterprise_status(&actor(), T2, &draft).await,
        Err(StoreError::NotFound(_))
    ));
    // Every problem named at once, nothing written.
    let bad = EnterpriseDraft {
        reasons: vec![],
        summary: "\0".into(),
        next_update: day(-1),
        ..draft.clone()
    };
    let e = s
        .add_enterprise_status(&actor(), T1, &bad)
        .await
        .unwrap_err();
    assert_eq!(fields(e), ["reasons", "summary", "next_update"]);
    assert!(s.enterprise_statuses(T1).await.unwrap().is_empty());
    let first = s.add_enterprise_status(&actor(), T1, &draft).await.unwrap();
    assert_eq!(
        first.reasons,
        [EnterpriseReason::ItMaturity, EnterpriseReason::MajorBrand]
    );
    assert_eq!(
        first.summary,
        "Identity: MFA waits for the security review."
    );
    assert_eq!(
        (first.author.as_str(), first.next_update.clone()),
        ("test", day(14))
    );
    assert!(!first.overdue(ftop_store::today()));
    assert!(first.overdue(ftop_store::today() + time::Duration::days(15)));
    // A second entry (today is not the past) becomes the current status; the first stays.
    let second = s
        .add_enterprise_status(
            &actor(),
            T1,
            &EnterpriseDraft {
                rag: "green".into(),
                reasons: vec!["Reactive".into()],
                next_update: day(0),
                ..draft.clone()
            },
        )
        .await
        .unwrap();
    let all = s.enterprise_statuses(T1).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0], second);
    assert_eq!(all[1], first, "read back as it was saved");
    assert_eq!((all[0].rag, all[1].rag), (Rag::Green, Rag::Amber));
    // The exception makes T2 an enterprise tenant.
    let v = s.tenant(T2).await.unwrap().version;
    let u = EngagementUpdate {
        enterprise_exception: Some(true),
        ..Default::default()
    };
    s.update_engagement(&actor(), T2, v, &u).await.unwrap();
    s.add_enterprise_status(&actor(), T2, &draft).await.unwrap();
    // Audited, one entry per save, under its own kind.
    let log = s
        .audit_matching(T1, "enterprise-status", "", 10)
        .await
        .unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].entity_key, second.id.to_string());
    let after = log[1].after.as_deref().unwrap();
    assert!(after.contains("\"rag\":\"amber\""), "{after}");
    assert!(after.contains("major-brand"), "{after}");
}

async fn a_services_delivery_is_set_whole_checked_and_audited(db: &TestDb) {
    use ftop_domain::{Credit, EngagementScenario};
    use ftop_store::DeliveryUpdate;
    let s = with_playbook(db).await;
    s.add_tenant(
        &actor(),
        &new_tenant(T1, "contoso.onmicrosoft.com", &[("exchange", 300)]),
    )
    .await
    .unwrap();
    // Never set: the default scenario, credited to the partner, version 0.
    let d = s.delivery(T1, "exchange").await.unwrap();
    assert_eq!(d.scenario, EngagementScenario::CustomerLedFtpAssist);
    assert_eq!(d.scenario.credit(), Credit::Partner);
    assert_eq!(
        (d.version, d.teams.len(), d.start_date.clone()),
        (0, 0, None)
    );
    assert!(matches!(
        s.delivery(T1, "teams").await,
        Err(StoreError::NotFound(_))
    ));
    let u = DeliveryUpdate {
        scenario: Some(EngagementScenario::CssLed),
        teams: vec![" Messaging ".into(), "".into(), "Identity".into()],
        start_date: "2026-03-02".into(),
    };
    let d = s
        .set_delivery(&actor(), T1, "exchange", 0, &u)
        .await
        .unwrap();
    assert_eq!(d.scenario.credit(), Credit::FastTrack);
    assert_eq!(d.teams, ["Messaging", "Identity"]);
    assert_eq!(d.start_date.as_deref(), Some("2026-03-02"));
    assert_eq!(d.version, 1);
    // The version read before is stale now, for a first save and for a later one.
    assert!(matches!(
        s.set_delivery(&actor(), T1, "exchange", 0, &u).await,
        Err(StoreError::Conflict(_))
    ));
    // Bad fields: named, nothing changed.
    let bad = DeliveryUpdate {
        start_date: "2 March".into(),
        teams: vec!["".into(), "a\nb".into()],
        ..u.clone()
    };
    let e = s
        .set_delivery(&actor(), T1, "exchange", 1, &bad)
        .await
        .unwrap_err();
    assert_eq!(
        fields(e),
        ["teams[1]"],
        "the team is named by its place in the list given"
    );
    let bad = DeliveryUpdate {
        start_date: "2 March".into(),
        ..u.clone()
    };
    let e = s
        .set_delivery(&actor(), T1, "exchange", 1, &bad)
        .await
        .unwrap_err();
    assert_eq!(fields(e), ["start_date"]);
    let many = DeliveryUpdate {
        teams: (0..=ftop_store::MAX_TEAMS)
            .map(|i| format!("team {i}"))
            .collect(),
        ..u.clone()
    };
    let e = s
        .set_delivery(&actor(), T1, "exchange", 1, &many)
        .await
        .unwrap_err();
    assert_eq!(fields(e), ["teams"]);
    assert_eq!(s.delivery(T1, "exchange").await.unwrap(), d);
    let d2 = s
        .set_delivery(
            &actor(),
            T1,
            "exchange",
            1,
            &DeliveryUpdate {
                scenario: Some(EngagementScenario::CustomerLed),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(d2.scenario.credit(), Credit::Nobody);
    assert_eq!((d2.version, d2.teams.len(), d2.start_date), (2, 0, None));
    let log = s.audit_matching(T1, "delivery", "", 10).await.unwrap();
    assert_eq!(log.len(), 2);
    assert!(log[0].before.as_deref().unwrap().contains("css-led"));
    assert!(log[0].after.as_deref().unwrap().contains("customer-led"));
}

async fn tenants_are_edited_whole_and_exceptions_need_reasons(db: &TestDb) {
    let s = with_playbook(db).await;
    s.add_tenant(
        &actor(),
        &new_tenant(T1, "contoso.onmicrosoft.com", &[("exchange", 300)]),
    )
    .await
    .unwrap();
    s.add_tenant(
        &actor(),
        &new_tenant(T2, "fabrikam.onmicrosoft.com", &[("exchange", 40)]),
    )
    .await
    .unwrap();
    let v = s.tenant(T1).await.unwrap().version;
    let note = EngagementUpdate {
        status_note: Some("merged".into()),
        ..Default::default()
    };
    // A taken name: nothing changes, the note included.
    let taken = TenantEdit {
        name: Some("fabrikam.onmicrosoft.com".into()),
        ..Default::default()
    };
    let e = s
        .change_tenant(&actor(), T1, v, &taken, &note)
        .await
        .unwrap_err();
    assert_eq!(fields(e), vec!["tenant_name"]);
    assert_eq!(s.tenant(T1).await.unwrap().status_note, "");
    let edit = TenantEdit {
        name: Some("contoso-group.onmicrosoft.com".into()),
        customer: Some("Contoso Group".into()),
        services: vec![
            ("exchange".into(), 500, Some(450)),
            ("teams".into(), 20, None),
        ],
    };
    let t = s
        .change_tenant(&actor(), T1, v, &edit, &note)
        .await
        .unwrap();
    assert_eq!(
        (t.name.as_str(), t.customer.as_str(), t.status_note.as_str()),
        ("contoso-group.onmicrosoft.com", "Contoso Group", "merged")
    );
    assert_eq!(t.services.len(), 2);
    assert_eq!(
        (t.services[0].entitlements, t.services[0].qualified),
        (500, 450)
    );
    assert!(matches!(
        s.change_tenant(&actor(), T1, v, &edit, &note).await,
        Err(StoreError::Conflict(_))
    ));
    // Exceptions: a reason to grant one; ending one drops the reason.
    let e = s
        .set_tenant_exception(&actor(), T2, true, Some("  "))
        .await
        .unwrap_err();
    assert_eq!(fields(e), vec!["reason"]);
    let t = s
        .set_tenant_exception(&actor(), T2, true, Some("WinRoom"))
        .await
        .unwrap();
    assert!(t.program_exception);
    assert_eq!(t.exception_reason.as_deref(), Some("WinRoom"));
    let t = s
        .set_tenant_exception(&actor(), T2, false, Some("WinRoom"))
        .await
        .unwrap();
    assert!(!t.program_exception);
    assert_eq!(t.exception_reason, None);
}

async fn single_sign_on_subjects_link_once(db: &TestDb) {
    let s = with_playbook(db).await;
    let ann = s
        .add_user(
            &actor(),
            "Ann@Example.com",
            UserRole::Manager,
            "correct horse battery",
            None,
        )
        .await
        .unwrap();
    let found = s.sso_accounts_named("ann@example.COM").await.unwrap();
    assert_eq!(found.len(), 1);
    let found = found[0].clone();
    assert_eq!(
        (found.user.id, found.active, found.subject),
        (ann.id, true, None)
    );
    // Names differing only in case: the exact one first. Beyond ASCII, case counts on
    // both engines alike.
    let ann2 = s
        .add_user(
            &actor(),
            "ann@example.com",
            UserRole::Guest,
            "correct horse battery",
            None,
        )
        .await
        .unwrap();
    let both = s.sso_accounts_named("ann@example.com").await.unwrap();
    assert_eq!(
        both.iter().map(|a| a.user.id).collect::<Vec<_>>(),
        vec![ann2.id, ann.id]
    );
    s.add_user(
        &actor(),
        "jürgen@example.com",
        UserRole::Guest,
        "correct horse battery",
        None,
    )
    .await
    .unwrap();
    assert!(
        s.sso_accounts_named("JÜRGEN@example.com")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        s.sso_accounts_named("jürgen@EXAMPLE.com")
            .await
            .unwrap()
            .len(),
        1
    );
    s.link_sso_subject(&actor(), ann.id, "sub-1").await.unwrap();
    assert!(matches!(
        s.link_sso_subject(&actor(), ann.id, "sub-2").await,
        Err(StoreError::Conflict(_))
    ));
    let by_sub = s.sso_account_by_subject("sub-1").await.unwrap().unwrap();
    assert_eq!(by_sub.user.id, ann.id);
    assert!(s.sso_account_by_subject("sub-2").await.unwrap().is_none());
    // Made at sign-in: no password matches, the subject is taken by no one else.
    s.create_organisation(&actor(), "Fabrikam Partners")
        .await
        .unwrap();
    let pat = s
        .add_sso_user(
            &actor(),
            "pat@fabrikam.example",
            UserRole::Partner,
            Some("Fabrikam Partners"),
            false,
            "sub-9",
        )
        .await
        .unwrap();
    assert_eq!(pat.partner.as_deref(), Some("Fabrikam Partners"));
    assert!(
        s.verify_password("pat@fabrikam.example", "!sso")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        s.add_sso_user(
            &actor(),
            "someone-else",
            UserRole::Guest,
            None,
            false,
            "sub-9"
        )
        .await
        .is_err(),
        "one account per subject"
    );
    assert!(
        matches!(
            s.add_sso_user(
                &actor(),
                "PAT@fabrikam.example",
                UserRole::Guest,
                None,
                false,
                "sub-11"
            )
            .await,
            Err(StoreError::Conflict(_))
        ),
        "no lookalike names"
    );
    s.unlink_sso(&actor(), "Ann@Example.com").await.unwrap();
    assert_eq!(
        s.sso_accounts_named("Ann@Example.com").await.unwrap()[0].subject,
        None
    );
    assert!(
        s.add_sso_user(
            &actor(),
            "unknown-org",
            UserRole::Partner,
            Some("Nobody Inc"),
            false,
            "sub-10"
        )
        .await
        .is_err()
    );
}

async fn migrations_are_idempotent_and_the_database_is_sound(db: &TestDb) {
    let s = &db.store;
    assert_eq!(s.integrity_check().await.unwrap(), "ok");
    s.ping().await.unwrap();
    assert_eq!(s.tenant_count().await.unwrap(), 0);
    // Loading the same playbook twice makes one version.
    let a = s.load_playbook(&actor(), &bundled_sources()).await.unwrap();
    let b = s.load_playbook(&actor(), &bundled_sources()).await.unwrap();
    assert_eq!((a.version, a.changed), (1, true));
    assert_eq!((b.version, b.changed), (1, false));
    let (_, _, template) = s.playbook().unwrap();
    assert!(template.tasks.len() > 200, "{}", template.tasks.len());
}

async fn a_migration_changed_after_it_was_applied_is_refused(db: &TestDb) {
    // Every applied migration has its text's checksum (SHA-256, hex) recorded.
    let sums = db
        .raw("SELECT checksum FROM schema_migrations ORDER BY version")
        .await;
    // The numbers may leave a gap (a migration of another branch goes there): the newest
    // recorded is the schema version this build knows.
    let newest = db
        .raw("SELECT CAST(MAX(version) AS TEXT) FROM schema_migrations")
        .await;
    assert_eq!(newest, [ftop_store::schema_version().to_string()]);
    assert!(sums.iter().all(|c| c.len() == 64), "{sums:?}");
    // Rows applied before checksums were kept get theirs on the next open.
    db.raw("UPDATE schema_migrations SET checksum = NULL WHERE version <= 4")
        .await;
    Store::open(&db.url).await.unwrap();
    let again = db
        .raw("SELECT checksum FROM schema_migrations ORDER BY version")
        .await;
    assert_eq!(again, sums);
    // A recorded checksum that differs from the text this build embeds (as after editing
    // an applied migration): the store refuses to open and names the migration.
    db.raw("UPDATE schema_migrations SET checksum = 'x' || SUBSTR(checksum, 2) WHERE version = 3")
        .await;
    match Store::open(&db.url).await {
        Err(StoreError::Config(m)) => {
            assert!(m.contains("0003_adoption") && m.contains("changed"), "{m}")
        }
        other => panic!("opened a database with a changed migration: {other:?}"),
    }
}

async fn tenants_are_added_validated_and_listed(db: &TestDb) {
    let s = with_playbook(db).await;
    let t = s
        .add_tenant(
            &actor(),
            &new_tenant(
                &T1.to_uppercase(),
                "Contoso.onmicrosoft.com",
                &[("Exchange Online", 300), ("teams", 250)],
            ),
        )
        .await
        .unwrap();
    assert_eq!(t.tenant_id, T1);
    assert_eq!(t.name, "contoso.onmicrosoft.com");
    assert_eq!(t.customer, "Contoso");
    assert_eq!(t.overall_status, OverallStatus::Active);
    let keys: Vec<_> = t
        .services
        .iter()
        .map(|x| (x.service.as_str(), x.entitlements, x.qualified))
        .collect();
    assert_eq!(keys, vec![("exchange", 300, 300), ("teams", 250, 250)]);
    // Each service starts in Status Unknown / New Subscription or Workload.
    let st = s.service_status(T1, "exchange").await.unwrap();
    assert_eq!(st.rows.len(), 1);
    assert_eq!((st.rows[0].l1, st.rows[0].count), (L1::StatusUnknown, 300));
    assert_eq!(
        st.rows[0].l2.as_deref(),
        Some("new-subscription-or-workload")
    );

    // Duplicates and bad input name their fields.
    let dup = s
        .add_tenant(&actor(), &new_tenant(T1, "other.onmicrosoft.com", &[]))
        .await
        .unwrap_err();
    assert_eq!(fields(dup), vec!["tenant_id"]);
    let dup = s
        .add_tenant(&actor(), &new_tenant(T2, "contoso.onmicrosoft.com", &[]))
        .await
        .unwrap_err();
    assert_eq!(fields(dup), vec!["tenant_name"]);
    let bad = s
        .add_tenant(
            &actor(),
            &new_tenant("not-a-guid", "x", &[("Lotus Notes", 5), ("exchange", -1)]),
        )
        .await
        .unwrap_err();
    assert_eq!(
        fields(bad),
        vec![
            "tenant_id",
            "tenant_name",
            "services[0].service",
            "services[1].entitlements"
        ]
    );

    s.add_tenant(
        &actor(),
        &new_tenant(T2, "fabrikam.onmicrosoft.com", &[("sharepoint", 2000)]),
    )
    .await
    .unwrap();
    let all = s.tenants(&TenantFilter::default()).await.unwrap();
    assert_eq!(
        all.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        vec!["contoso.onmicrosoft.com", "fabrikam.onmicrosoft.com"]
    );
    assert_eq!((all[0].services, all[0].seats), (2, 300));
    let found = s
        .tenants(&TenantFilter {
            search: Some("FABRI".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert!(matches!(
        s.tenant("0f8fad5b-d9cb-469f-a165-000000000000").await,
        Err(StoreError::NotFound(_))
    ));
}

async fn engagement_updates_check_versions_and_are_audited(db: &TestDb) {
    let s = with_playbook(db).await;
    let t = s
        .add_tenant(
            &actor(),
            &new_tenant(T1, "contoso.onmicrosoft.com", &[("exchange", 300)]),
        )
        .await
        .unwrap();
    let u = EngagementUpdate {
        overall_status: Some(OverallStatus::Blocked),
        status_note: Some("Waiting for the network upgrade.".into()),
        ..Default::default()
    };
    let t2 = s
        .update_engagement(&actor(), T1, t.version, &u)
        .await
        .unwrap();
    assert_eq!(t2.overall_status, OverallStatus::Blocked);
    assert_eq!(t2.version, t.version + 1);
    assert!(t2.status_date.is_some(), "a status change dates itself");
    // A new status note with the status unchanged is a status update too: dated today,
    // even after an older date was given.
    let t2 = s
        .update_engagement(
            &actor(),
            T1,
            t2.version,
            &EngagementUpdate {
                status_date: Some("2026-01-02".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(t2.status_date.as_deref(), Some("2026-01-02"));
    let t2 = s
        .update_engagement(
            &actor(),
            T1,
            t2.version,
            &EngagementUpdate {
                overall_status: Some(OverallStatus::Blocked),
                status_note: Some("Network upgrade scheduled for next week.".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let today = ftop_store::today().to_string();
    assert_eq!(t2.status_date.as_deref(), Some(today.as_str()));
    // The same note again changes no date.
    let same = s
        .update_engagement(
            &actor(),
            T1,
            t2.version,
            &EngagementUpdate {
                status_note: Some("Network upgrade scheduled for next week.".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(same.status_date, t2.status_date);
    // The same stale version again is a conflict, and nothing changes.
    let stale = s
        .update_engagement(
            &actor(),
            T1,
            t.version,
            &EngagementUpdate {
                active: Some(false),
                ..Default::default()
            },
        )
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    assert!(s.tenant(T1).await.unwrap().active);
    let log = s.audit_for(T1, 10).await.unwrap();
    assert_eq!(log[0].action, "update");
    assert!(log[0].before.as_deref().unwrap().contains("\"active\""));
    assert!(log[0].after.as_deref().unwrap().contains("\"blocked\""));
    // The log narrowed by kind and by who made the change (empty: any).
    let kinds: Vec<String> = log.iter().map(|e| e.entity.clone()).collect();
    let tenant_only = s.audit_matching(T1, "tenant", "", 10).await.unwrap();
    assert!(!tenant_only.is_empty());
    assert_eq!(
        tenant_only.len(),
        kinds.iter().filter(|k| *k == "tenant").count()
    );
    assert!(tenant_only.iter().all(|e| e.entity == "tenant"));
    let who = log[0].actor.clone();
    assert_eq!(
        s.audit_matching(T1, "", &who, 10).await.unwrap().len(),
        log.len()
    );
    assert!(
        s.audit_matching(T1, "", "nobody", 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        s.audit_matching(T1, "note", &who, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(s.audit_actors(T1).await.unwrap(), [who]);
    let bad = s
        .update_engagement(
            &actor(),
            T1,
            t2.version,
            &EngagementUpdate {
                status_date: Some("31/12/2026".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(fields(bad), vec!["status_date"]);
}

async fn service_seats_rebalance_status_rows(db: &TestDb) {
    let s = with_playbook(db).await;
    s.add_tenant(
        &actor(),
        &new_tenant(T1, "contoso.onmicrosoft.com", &[("exchange", 300)]),
    )
    .await
    .unwrap();
    let st = s.service_status(T1, "exchange").await.unwrap();
    let rows = vec![
        StatusRow {
            l1: L1::InProgress,
            l2: None,
            l3: None,
            count: 200,
            target_date: Some(ftop_store::today() + time::Duration::days(30)),
            owner: None,
            note: "deploying".into(),
            next_action_date: None,
        },
        StatusRow {
            l1: L1::Blocked,
            l2: Some("customer-it-infrastructure-remediation".into()),
            l3: None,
            count: 100,
            target_date: None,
            owner: Some("Customer IT".into()),
            note: String::new(),
            next_action_date: None,
        },
    ];
    s.set_status_rows(&actor(), T1, "exchange", st.version, &rows)
        .await
        .unwrap();
    // Growth lands in Status Unknown; shrinkage comes out of it first.
    s.set_service(&actor(), T1, "exchange", 350, None)
        .await
        .unwrap();
    let st = s.service_status(T1, "exchange").await.unwrap();
    assert_eq!(
        st.rows.iter().map(|r| (r.l1, r.count)).collect::<Vec<_>>(),
        vec![
            (L1::InProgress, 200),
            (L1::Blocked, 100),
            (L1::StatusUnknown, 50)
        ]
    );
    s.set_service(&actor(), T1, "exchange", 280, Some(250))
        .await
        .unwrap();
    let st = s.service_status(T1, "exchange").await.unwrap();
    assert_eq!(st.rows.iter().map(|r| r.count).sum::<u64>(), 280);
    assert!(st.rows.iter().all(|r| r.l1 != L1::StatusUnknown));
    let t = s.tenant(T1).await.unwrap();
    assert_eq!(
        (t.services[0].entitlements, t.services[0].qualified),
        (280, 250)
    );
    let bad = s
        .set_service(&actor(), T1, "exchange", 100, Some(150))
        .await
        .unwrap_err();
    assert_eq!(fields(bad), vec!["qualified_entitlements"]);
}

async fn status_rows_must_add_up(db: &TestDb) {
    let s = with_playbook(db).await;
    s.add_tenant(
        &actor(),
        &new_tenant(T1, "contoso.onmicrosoft.com", &[("teams", 305)]),
    )
    .await
    .unwrap();
    let st = s.service_status(T1, "teams").await.unwrap();
    let row = |l1, count| StatusRow {
        l1,
        l2: Some("executive-sponsorship".into()),
        l3: None,
        count,
        target_date: None,
        owner: None,
        note: String::new(),
        next_action_date: None,
    };
    let short = s
        .set_status_rows(&actor(), T1, "teams", st.version, &[row(L1::NoIntent, 300)])
        .await
        .unwrap_err();
    assert!(fields(short).contains(&"rows".to_string()));
    let ok = s
        .set_status_rows(&actor(), T1, "teams", st.version, &[row(L1::NoIntent, 305)])
        .await
        .unwrap();
    assert_eq!(ok.rows[0].l1, L1::NoIntent);
    // A second save with the version read before the first is a conflict.
    let stale = s
        .set_status_rows(&actor(), T1, "teams", st.version, &[row(L1::NoIntent, 305)])
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))));
    // What Suggest learns from: notes with their reasons; rows without a note left out.
    assert!(s.labelled_notes(None, 10).await.unwrap().is_empty());
    let mut noted = row(L1::NoIntent, 300);
    noted.note = "nobody in the board backs it".into();
    let mut other = row(L1::NoIntent, 5);
    other.l3 = Some("other".into());
    s.set_status_rows(&actor(), T1, "teams", ok.version, &[noted, other])
        .await
        .unwrap();
    assert_eq!(
        s.labelled_notes(None, 10).await.unwrap(),
        [(
            "nobody in the board backs it".to_string(),
            "executive-sponsorship".to_string()
        )]
    );
    assert!(s.labelled_notes(None, 0).await.unwrap().is_empty());
    // A partner organisation learns only from its own tenants' notes.
    let org = s.create_organisation(&actor(), "Notes Org").await.unwrap();
    assert!(s.labelled_notes(Some(org.id), 10).await.unwrap().is_empty());
    s.add_tenant_partner(&actor(), T1, "Notes Org", false)
        .await
        .unwrap();
    assert_eq!(s.labelled_notes(Some(org.id), 10).await.unwrap().len(), 1);
}

fn import_row(line: u64, id: &str, name: &str, service: &str, n: &str, q: &str) -> ImportRow {
    ImportRow {
        line,
        tenant_id: id.into(),
        tenant_name: name.into(),
        customer: "Contoso".into(),
        service: service.into(),
        entitlements: n.into(),
        qualified: q.into(),
    }
}

async fn import_is_all_or_nothing_and_idempotent(db: &TestDb) {
    let s = with_playbook(db).await;
    let good = vec![
        import_row(2, T1, "contoso.onmicrosoft.com", "Exchange", "300", ""),
        import_row(
            3,
            T1,
            "contoso.onmicrosoft.com",
            "SharePoint Online",
            "300",
            "280",
        ),
        import_row(4, T2, "fabrikam.onmicrosoft.com", "intune", "1200", "1000"),
    ];
    let mut bad = good.clone();
    bad.push(import_row(
        5,
        "zzz",
        "ok.onmicrosoft.com",
        "exchange",
        "-4",
        "",
    ));
    let err = s.import_tenants(&actor(), &bad, &|_| {}).await.unwrap_err();
    assert_eq!(
        fields(err),
        vec!["line 5: tenant_id", "line 5: entitlements"]
    );
    assert_eq!(
        s.tenant_count().await.unwrap(),
        0,
        "nothing of a refused file is written"
    );

    let r = s.import_tenants(&actor(), &good, &|_| {}).await.unwrap();
    assert_eq!(
        (r.tenants_created, r.services_created, r.unchanged),
        (2, 3, 0)
    );
    let audits = s.audit_count().await.unwrap();
    let again = s.import_tenants(&actor(), &good, &|_| {}).await.unwrap();
    assert_eq!(
        (
            again.tenants_created,
            again.services_created,
            again.services_updated,
            again.unchanged
        ),
        (0, 0, 0, 3)
    );
    assert_eq!(
        s.audit_count().await.unwrap(),
        audits,
        "an unchanged import writes nothing"
    );
    let t = s.tenant(T1).await.unwrap();
    assert_eq!(t.services[1].qualified, 280);
    // A changed seat count updates that service only.
    let mut changed = good.clone();
    changed[2].entitlements = "1500".into();
    let r = s.import_tenants(&actor(), &changed, &|_| {}).await.unwrap();
    assert_eq!((r.services_updated, r.unchanged), (1, 2));
    assert_eq!(
        s.service_status(T2, "intune")
            .await
            .unwrap()
            .rows
            .iter()
            .map(|r| r.count)
            .sum::<u64>(),
        1500
    );
}

/// What the PostgreSQL import copies (COPY's text format) comes back exactly, whatever the
/// characters; new and stored tenants in one file; a name taken by a stored tenant refuses
/// the file; an empty file writes nothing; the same file again changes nothing.
async fn an_import_keeps_any_text_and_mixes_new_and_stored_tenants(db: &TestDb) {
    const T3: &str = "3b241101-e2bb-4255-8caf-4136c566a962";
    let s = with_playbook(db).await;
    s.add_tenant(
        &actor(),
        &new_tenant(T1, "contoso.onmicrosoft.com", &[("exchange", 300)]),
    )
    .await
    .unwrap();
    let odd = "Ünïcödé \\N\tab\there \"quoted\" back\\slash\nnew line 顧客";
    let mut rows = vec![
        // The stored tenant, one more service.
        import_row(2, T1, "contoso.onmicrosoft.com", "teams", "300", "250"),
        import_row(3, T2, "fabrikam.onmicrosoft.com", "exchange", "40", "30"),
        import_row(4, T2, "fabrikam.onmicrosoft.com", "intune", "0", ""),
    ];
    rows[1].customer = odd.into();
    rows[2].customer = odd.into();
    let audits = s.audit_count().await.unwrap();
    let r = s.import_tenants(&actor(), &rows, &|_| {}).await.unwrap();
    assert_eq!(
        (r.rows, r.tenants_created, r.services_created, r.unchanged),
        (3, 1, 3, 0)
    );
    // One entry for the new tenant, one for the stored tenant's new service.
    assert_eq!(s.audit_count().await.unwrap(), audits + 2);
    let t = s.tenant(T2).await.unwrap();
    assert_eq!(t.customer, odd);
    assert_eq!(
        t.services
            .iter()
            .map(|l| (l.service.as_str(), l.entitlements, l.qualified))
            .collect::<Vec<_>>(),
        [("exchange", 40, 30), ("intune", 0, 0)]
    );
    let created = s.audit_for(T2, 10).await.unwrap();
    assert_eq!(created.len(), 1);
    assert_eq!(
        (created[0].entity.as_str(), created[0].action.as_str()),
        ("tenant", "create")
    );
    let after: serde_json::Value =
        serde_json::from_str(created[0].after.as_deref().unwrap()).unwrap();
    assert_eq!(after["customer"], odd);
    assert_eq!(after["services"][0]["qualified"], 30);
    assert_eq!(after["services"][1]["entitlements"], 0);
    // 40 seats in one status row; none for a service without seats.
    let st = s.service_status(T2, "exchange").await.unwrap();
    assert_eq!(
        st.rows.iter().map(|r| (r.l1, r.count)).collect::<Vec<_>>(),
        [(L1::StatusUnknown, 40)]
    );
    assert!(
        s.service_status(T2, "intune")
            .await
            .unwrap()
            .rows
            .is_empty()
    );
    // Seats counted from today, in the rollups too.
    assert_eq!(
        s.seat_history(T2, "exchange").await.unwrap(),
        [(ftop_store::today(), 30)]
    );
    let adoption = s.adoption(T2).await.unwrap();
    assert_eq!(
        adoption
            .iter()
            .map(|a| (a.service_key.as_str(), a.qualified_entitlements))
            .collect::<Vec<_>>(),
        [("exchange", 30), ("intune", 0)]
    );
    assert_eq!(s.tenant(T1).await.unwrap().services.len(), 2);

    // The same file again changes nothing; an empty file writes nothing.
    let audits = s.audit_count().await.unwrap();
    let again = s.import_tenants(&actor(), &rows, &|_| {}).await.unwrap();
    assert_eq!((again.tenants_created, again.unchanged), (0, 3));
    let none = s.import_tenants(&actor(), &[], &|_| {}).await.unwrap();
    assert_eq!(none, ftop_store::ImportReport::default());
    assert_eq!(s.audit_count().await.unwrap(), audits);

    // A new tenant under a stored tenant's name refuses the file, its other new tenant too.
    let taken = vec![
        import_row(2, T3, "other.onmicrosoft.com", "exchange", "10", ""),
        import_row(
            3,
            "4b241101-e2bb-4255-8caf-4136c566a963",
            "fabrikam.onmicrosoft.com",
            "exchange",
            "10",
            "",
        ),
    ];
    let err = s
        .import_tenants(&actor(), &taken, &|_| {})
        .await
        .unwrap_err();
    assert_eq!(fields(err), ["line 3: tenant_name"]);
    assert_eq!(s.tenant_count().await.unwrap(), 2);
    assert_eq!(s.audit_count().await.unwrap(), audits);
}

async fn users_passwords_and_tokens(db: &TestDb) {
    let s = &db.store;
    let alice = s
        .add_user(
            &actor(),
            "alice",
            UserRole::Manager,
            "correct horse battery",
            None,
        )
        .await
        .unwrap();
    assert_eq!(alice.role, UserRole::Manager);
    assert!(
        s.verify_password("alice", "correct horse battery")
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        s.verify_password("alice", "wrong password")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        s.verify_password("nobody", "correct horse battery")
            .await
            .unwrap()
            .is_none()
    );
    let dup = s
        .add_user(&actor(), "alice", UserRole::Guest, "another password", None)
        .await
        .unwrap_err();
    assert_eq!(fields(dup), vec!["name"]);
    let bad = s
        .add_user(&actor(), "bob", UserRole::Partner, "short", None)
        .await
        .unwrap_err();
    assert_eq!(fields(bad), vec!["password", "partner"]);
    let p = s
        .add_user(
            &actor(),
            "pat",
            UserRole::Partner,
            "partner password",
            Some("Fabrikam Partners"),
        )
        .await
        .unwrap();
    assert_eq!(p.partner.as_deref(), Some("Fabrikam Partners"));
    let token = s.create_token(&actor(), "alice", "ci").await.unwrap();
    assert!(token.starts_with("ftop_") && token.len() > 60);
    assert_eq!(
        s.user_by_token(&token).await.unwrap().map(|u| u.name),
        Some("alice".into())
    );
    assert_eq!(s.user_by_token("ftop_forged").await.unwrap(), None);
    assert_eq!(s.users().await.unwrap().len(), 2);
}

async fn assignments_keep_exactly_one_primary(db: &TestDb) {
    let s = with_playbook(db).await;
    s.add_tenant(
        &actor(),
        &new_tenant(T1, "contoso.onmicrosoft.com", &[("exchange", 300)]),
    )
    .await
    .unwrap();
    let a = user(s, "ann", UserRole::Manager).await;
    let b = user(s, "ben", UserRole::Manager).await;
    let list = s
        .assign(
            &actor(),
            T1,
            "ann",
            AssignmentRole::FastTrackManager,
            "",
            false,
        )
        .await
        .unwrap();
    assert!(list[0].primary, "the first person in a role is its primary");
    let list = s
        .assign(
            &actor(),
            T1,
            "ben",
            AssignmentRole::FastTrackManager,
            "",
            false,
        )
        .await
        .unwrap();
    assert_eq!(list.iter().filter(|x| x.primary).count(), 1);
    let list = s
        .assign(
            &actor(),
            T1,
            "ben",
            AssignmentRole::FastTrackManager,
            "",
            true,
        )
        .await
        .unwrap();
    let primaries: Vec<_> = list
        .iter()
        .filter(|x| x.primary)
        .map(|x| x.user.as_str())
        .collect();
    assert_eq!(primaries, vec!["ben"]);
    // A service-level assignment has its own primary.
    let list = s
        .assign(
            &actor(),
            T1,
            "ann",
            AssignmentRole::FastTrackManager,
            "Exchange",
            false,
        )
        .await
        .unwrap();
    assert_eq!(list.iter().filter(|x| x.primary).count(), 2);
    let nope = s
        .assign(
            &actor(),
            T1,
            "ann",
            AssignmentRole::FastTrackManager,
            "teams",
            false,
        )
        .await
        .unwrap_err();
    assert_eq!(fields(nope), vec!["service"]);
    // Removing the primary promotes the other.
    let list = s
        .unassign(
            &actor(),
            T1,
            b.user_id.unwrap(),
            AssignmentRole::FastTrackManager,
            "",
        )
        .await
        .unwrap();
    let tenant_level: Vec<_> = list.iter().filter(|x| x.service.is_empty()).collect();
    assert_eq!(tenant_level.len(), 1);
    assert!(tenant_level[0].primary && tenant_level[0].user_id == a.user_id.unwrap());
    let mine = s
        .tenants(&TenantFilter {
            assigned_to: a.user_id,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
}

async fn contacts_and_partners(db: &TestDb) {
    let s = with_playbook(db).await;
    s.add_tenant(
        &actor(),
        &new_tenant(T1, "contoso.onmicrosoft.com", &[("exchange", 300)]),
    )
    .await
    .unwrap();
    s.add_tenant(
        &actor(),
        &new_tenant(T2, "fabrikam.onmicrosoft.com", &[("exchange", 300)]),
    )
    .await
    .unwrap();
    let bad = s
        .add_contact(
            &actor(),
            T1,
            &NewContact {
                name: "Ida".into(),
                survey_eligible: true,
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        fields(bad),
        vec!["engaged", "email", "country", "survey_language", "services"]
    );
    let c = s
        .add_contact(
            &actor(),
            T1,
            &NewContact {
                name: "Ida Lind".into(),
                email: "ida@contoso.com".into(),
                country: "SE".into(),
                engaged: true,
                survey_eligible: true,
                survey_language: "sv".into(),
                services: vec!["Exchange".into()],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(c.services, vec!["exchange"]);
    assert_eq!(s.contacts(T1).await.unwrap().len(), 1);
    // Changed: checked as when added (a country by name, a service the tenant lacks).
    let mut change = NewContact {
        name: "Ida Lind-Berg".into(),
        email: "ida@contoso.com".into(),
        country: "Sweden".into(),
        services: vec!["Yammer".into()],
        ..Default::default()
    };
    let bad = s
        .update_contact(&actor(), T1, c.id, &change)
        .await
        .unwrap_err();
    assert_eq!(fields(bad), vec!["services[0]", "country"]);
    change.country = "no".into();
    change.services = vec![];
    let changed = s.update_contact(&actor(), T1, c.id, &change).await.unwrap();
    assert_eq!(
        (changed.name.as_str(), changed.country.as_str()),
        ("Ida Lind-Berg", "NO")
    );
    assert_eq!(s.contacts(T1).await.unwrap()[0], changed);
    // Another contact, kept, to show that only the deleted person is erased.
    let kept = s
        .add_contact(
            &actor(),
            T1,
            &NewContact {
                name: "Noor Haddad".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    s.delete_contact(&actor(), T1, c.id).await.unwrap();
    assert!(s.contacts(T1).await.unwrap().len() == 1);
    // Deleted, the person is gone from the history as well (three entries: added, changed,
    // deleted; none holds the name, the e-mail address, or what they were).
    let log = s.audit_matching(T1, "contact", "", 20).await.unwrap();
    let theirs: Vec<_> = log
        .iter()
        .filter(|e| e.entity_key == c.id.to_string())
        .collect();
    assert_eq!(theirs.len(), 3);
    for e in theirs {
        for state in [&e.before, &e.after].into_iter().flatten() {
            assert!(
                !state.contains("Ida") && !state.contains("contoso"),
                "{state}"
            );
        }
    }
    let other = log
        .iter()
        .find(|e| e.entity_key == kept.id.to_string())
        .unwrap();
    assert!(other.after.as_deref().unwrap().contains("Noor Haddad"));
    let partners = s
        .add_tenant_partner(&actor(), T2, "Fabrikam Partners", true)
        .await
        .unwrap();
    assert_eq!(partners, vec![("Fabrikam Partners".to_string(), true)]);
    let pid = s.partner(&actor(), "Fabrikam Partners").await.unwrap();
    let theirs = s
        .tenants(&TenantFilter {
            partner_id: Some(pid),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        theirs
            .iter()
            .map(|t| t.tenant_id.as_str())
            .collect::<Vec<_>>(),
        vec![T2]
    );
}

async fn tasks_follow_the_playbook_and_refuse_stale_versions(db: &TestDb) {
    let s = with_playbook(db).await;
    s.add_tenant(
        &actor(),
        &new_tenant(T1, "contoso.onmicrosoft.com", &[("exchange", 300)]),
    )
    .await
    .unwrap();
    let tasks = s.tenant_tasks(T1).await.unwrap();
    assert!(!tasks.is_empty());
    assert!(
        tasks
            .iter()
            .all(|t| t.status == TaskStatus::NotStarted || t.status == TaskStatus::NotRequired)
    );
    assert!(
        tasks
            .iter()
            .all(|t| t.service.is_empty() || t.service == "exchange")
    );
    assert!(tasks.iter().any(|t| t.service == "exchange"));
    let first = tasks
        .iter()
        .find(|t| t.mandatory && t.service.is_empty())
        .unwrap()
        .clone();
    let up = TaskUpdate {
        task_id: first.task_id,
        service: String::new(),
        version: 0,
        status: Some(TaskStatus::InProgress),
        percent: Some(40),
        role: None,
    };
    let v1 = s.set_task(&actor(), T1, &up).await.unwrap();
    assert_eq!(
        (v1.status, v1.percent, v1.version),
        (TaskStatus::InProgress, 40, 1)
    );
    // Version 0 again: someone else's change came first.
    assert!(matches!(
        s.set_task(&actor(), T1, &up).await,
        Err(StoreError::Conflict(_))
    ));
    let done = s
        .set_task(
            &actor(),
            T1,
            &TaskUpdate {
                version: 1,
                status: Some(TaskStatus::Complete),
                percent: None,
                ..up.clone()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (done.status, done.percent, done.version),
        (TaskStatus::Complete, 100, 2)
    );
    let listed = s.tenant_tasks(T1).await.unwrap();
    let again = listed
        .iter()
        .find(|t| t.task_id == first.task_id && t.service.is_empty())
        .unwrap();
    assert_eq!((again.status, again.version), (TaskStatus::Complete, 2));
    // A task that does not apply, and a bad percentage, are invalid input.
    let foreign = TaskUpdate {
        task_id: 999_999,
        ..up.clone()
    };
    assert_eq!(
        fields(s.set_task(&actor(), T1, &foreign).await.unwrap_err()),
        vec!["task_id"]
    );
    let pct = TaskUpdate {
        percent: Some(101),
        version: 2,
        ..up.clone()
    };
    assert_eq!(
        fields(s.set_task(&actor(), T1, &pct).await.unwrap_err()),
        vec!["percent"]
    );
    // Phase completion: settle every mandatory task of the phase and it completes.
    let phase = first.phase.clone();
    assert!(!s.phase_complete(T1, &phase, "exchange").await.unwrap());
    for t in listed.iter().filter(|t| {
        t.phase == phase && t.mandatory && (t.service.is_empty() || t.service == "exchange")
    }) {
        if t.status.settles() {
            continue;
        }
        let u = TaskUpdate {
            task_id: t.task_id,
            service: t.service.clone(),
            version: t.version,
            status: Some(TaskStatus::NotRequired),
            percent: None,
            role: None,
        };
        s.set_task(&actor(), T1, &u).await.unwrap();
    }
    assert!(s.phase_complete(T1, &phase, "exchange").await.unwrap());
    let log = s.audit_for(T1, 500).await.unwrap();
    assert!(log.iter().filter(|e| e.entity == "task").count() >= 2);
}

async fn playbook_upgrades_migrate_by_task_id_and_lose_nothing(db: &TestDb) {
    let s = with_playbook(db).await;
    s.add_tenant(
        &actor(),
        &new_tenant(T1, "contoso.onmicrosoft.com", &[("exchange", 300)]),
    )
    .await
    .unwrap();
    let tasks = s.tenant_tasks(T1).await.unwrap();
    let victim = tasks.iter().find(|t| t.service.is_empty()).unwrap().clone();
    s.set_task(
        &actor(),
        T1,
        &TaskUpdate {
            task_id: victim.task_id,
            service: String::new(),
            version: 0,
            status: Some(TaskStatus::Complete),
            percent: None,
            role: None,
        },
    )
    .await
    .unwrap();
    // Version 2: the victim's row is gone from the English page, and a new task appears.
    let mut v2 = bundled_sources();
    let needle = format!("| {} |", victim.task_id);
    let page = v2
        .iter_mut()
        .find(|p| p.path.starts_with("en/") && p.text.contains(&needle))
        .unwrap();
    let line = page
        .text
        .lines()
        .find(|l| l.contains(&needle))
        .unwrap()
        .to_string();
    let new_row = line.replacen(&victim.task_id.to_string(), "99001", 1);
    page.text = page.text.replace(&line, &new_row);
    let report = s.load_playbook(&actor(), &v2).await.unwrap();
    assert_eq!(report.version, 2);
    let changes = &report.tenants[T1];
    assert_eq!(
        changes.added.iter().map(|k| k.task).collect::<Vec<_>>(),
        vec![99001]
    );
    assert_eq!(
        changes.removed.iter().map(|k| k.task).collect::<Vec<_>>(),
        vec![victim.task_id]
    );
    assert_eq!(report.archived, 1);
    let now = s.tenant_tasks(T1).await.unwrap();
    assert!(
        now.iter()
            .any(|t| t.task_id == 99001 && t.status == TaskStatus::NotStarted)
    );
    assert!(!now.iter().any(|t| t.task_id == victim.task_id));
    // The status set before is archived, not lost; going back restores it.
    let archived = s.archived_tasks(T1).await.unwrap();
    assert_eq!(
        archived,
        vec![(victim.task_id, String::new(), TaskStatus::Complete, 2)]
    );
    let back = s.load_playbook(&actor(), &bundled_sources()).await.unwrap();
    assert_eq!(back.version, 3);
    let restored = s.tenant_tasks(T1).await.unwrap();
    let t = restored
        .iter()
        .find(|t| t.task_id == victim.task_id)
        .unwrap();
    assert_eq!(t.status, TaskStatus::Complete);
    assert_eq!(s.tenant(T1).await.unwrap().playbook_version, 3);
}

async fn notes_drafts_and_saved_notes(db: &TestDb) {
    let s = with_playbook(db).await;
    s.add_tenant(
        &actor(),
        &new_tenant(T1, "contoso.onmicrosoft.com", &[("exchange", 300)]),
    )
    .await
    .unwrap();
    let me = user(s, "nora", UserRole::Engineer).await;
    let other = user(s, "otto", UserRole::Engineer).await;
    let d = NoteDraft {
        tenant_id: T1.into(),
        category: Some(NoteCategory::TechnicalEnablement),
        body: "Mail flow **tested**".into(),
        services: vec!["EXO".into()],
        ..Default::default()
    };
    let mut drafts = Vec::new();
    for _ in 0..10 {
        drafts.push(s.add_note(&me, &d, false).await.unwrap());
    }
    assert_eq!(
        fields(s.add_note(&me, &d, false).await.unwrap_err()),
        vec!["state"],
        "an eleventh draft is refused"
    );
    assert_eq!(s.drafts(me.user_id.unwrap()).await.unwrap().len(), 10);
    // Only the author touches a draft.
    assert!(matches!(
        s.delete_draft(&other, drafts[0].id).await,
        Err(StoreError::NotFound(_))
    ));
    s.delete_draft(&me, drafts[0].id).await.unwrap();
    let saved = s
        .update_draft(&me, drafts[1].id, drafts[1].version, &d, true)
        .await
        .unwrap();
    assert_eq!(saved.state, "saved");
    assert_eq!(saved.services, vec!["exchange"]);
    assert!(matches!(
        s.update_draft(&me, saved.id, saved.version, &d, false)
            .await,
        Err(StoreError::Refused(_))
    ));
    assert!(matches!(
        s.delete_draft(&me, saved.id).await,
        Err(StoreError::Refused(_))
    ));
    let found = s
        .notes(&NoteFilter {
            search: Some("mail FLOW".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        found.iter().map(|n| n.id).collect::<Vec<_>>(),
        vec![saved.id]
    );
    let bad = NoteDraft {
        task_id: Some(999_999),
        next_action: "x".repeat(501),
        next_action_date: Some("tomorrow".into()),
        services: vec!["teams".into()],
        ..d.clone()
    };
    assert_eq!(
        fields(s.add_note(&me, &bad, true).await.unwrap_err()),
        vec!["next_action", "services[0]", "task_id", "next_action_date"]
    );
}

async fn time_entries_are_at_least_a_minute(db: &TestDb) {
    let s = with_playbook(db).await;
    s.add_tenant(
        &actor(),
        &new_tenant(T1, "contoso.onmicrosoft.com", &[("exchange", 300)]),
    )
    .await
    .unwrap();
    let me = user(s, "fred", UserRole::Engineer).await;
    let task = s
        .tenant_tasks(T1)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.service == "exchange")
        .unwrap();
    let today = ftop_store::today();
    let date = format!(
        "{:04}-{:02}-{:02}",
        today.year(),
        u8::from(today.month()),
        today.day()
    );
    let e = s
        .add_time(
            &me,
            T1,
            task.task_id,
            "exchange",
            45,
            &date,
            "migration batch 1",
        )
        .await
        .unwrap();
    assert_eq!((e.minutes, e.user.as_str()), (45, "fred"));
    // Its author corrects it; nobody else finds it to change or delete.
    let other = user(s, "gia", UserRole::Engineer).await;
    assert!(matches!(
        s.change_own_time(&other, T1, e.id, 5, &date, "").await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        s.delete_own_time(&other, T1, e.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        fields(
            s.change_own_time(&me, T1, e.id, 0, &date, "")
                .await
                .unwrap_err()
        ),
        vec!["minutes"]
    );
    let fixed = s
        .change_own_time(&me, T1, e.id, 50, &date, "migration batch 1 and 2")
        .await
        .unwrap();
    assert_eq!(
        (fixed.minutes, fixed.note.as_str()),
        (50, "migration batch 1 and 2")
    );
    let spare = s
        .add_time(&me, T1, task.task_id, "exchange", 10, &date, "")
        .await
        .unwrap();
    s.delete_own_time(&me, T1, spare.id).await.unwrap();
    assert!(
        s.time_entries(T1)
            .await
            .unwrap()
            .iter()
            .all(|x| x.id != spare.id)
    );
    assert_eq!(
        fields(
            s.add_time(&me, T1, task.task_id, "exchange", 0, &date, "")
                .await
                .unwrap_err()
        ),
        vec!["minutes"]
    );
    assert_eq!(
        fields(
            s.add_time(&me, T1, 999_999, "", 5, "2020-13-01", "")
                .await
                .unwrap_err()
        ),
        vec!["task_id", "work_date"]
    );
    assert_eq!(s.time_entries(T1).await.unwrap().len(), 1);
}

async fn a_refused_change_leaves_no_trace(db: &TestDb) {
    let s = with_playbook(db).await;
    s.add_tenant(
        &actor(),
        &new_tenant(T1, "contoso.onmicrosoft.com", &[("exchange", 300)]),
    )
    .await
    .unwrap();
    let before = s.audit_count().await.unwrap();
    let t = s.tenant(T1).await.unwrap();
    let _ = s
        .update_engagement(
            &actor(),
            T1,
            t.version + 7,
            &EngagementUpdate {
                active: Some(false),
                ..Default::default()
            },
        )
        .await;
    let _ = s
        .add_tenant(&actor(), &new_tenant(T1, "contoso.onmicrosoft.com", &[]))
        .await;
    assert_eq!(s.audit_count().await.unwrap(), before);
    assert_eq!(s.tenant(T1).await.unwrap(), t);
}

async fn sessions_and_sign_in_throttling(db: &TestDb) {
    let s = &db.store;
    let u = s
        .add_user(
            &actor(),
            "sam",
            UserRole::Engineer,
            "correct horse battery",
            None,
        )
        .await
        .unwrap();
    let (token, session) = s.create_session(&u).await.unwrap();
    let (token2, _) = s.create_session(&u).await.unwrap();
    assert_ne!(token, token2, "every sign-in gets a new session ID");
    assert_eq!(session.csrf.len(), 64);
    let back = s.session(&token).await.unwrap().unwrap();
    assert_eq!(
        (back.user.name.as_str(), back.csrf.as_str()),
        ("sam", session.csrf.as_str())
    );
    assert!(s.session("not-a-token").await.unwrap().is_none());
    s.end_session(&token).await.unwrap();
    assert!(s.session(&token).await.unwrap().is_none());
    assert!(s.session(&token2).await.unwrap().is_some());
    for _ in 0..3 {
        s.record_sign_in_failure("Sam", "10.0.0.1").await.unwrap();
    }
    s.record_sign_in_failure("eve", "10.0.0.1").await.unwrap();
    assert_eq!(
        s.recent_sign_in_failures("sam", "10.0.0.2", 15)
            .await
            .unwrap(),
        (3, 0)
    );
    assert_eq!(
        s.recent_sign_in_failures("nobody", "10.0.0.1", 15)
            .await
            .unwrap(),
        (0, 4)
    );
}

async fn access_follows_roles_assignments_and_partners(db: &TestDb) {
    let s = with_playbook(db).await;
    s.add_tenant(
        &actor(),
        &new_tenant(T1, "contoso.onmicrosoft.com", &[("exchange", 300)]),
    )
    .await
    .unwrap();
    s.add_tenant(
        &actor(),
        &new_tenant(T2, "fabrikam.onmicrosoft.com", &[("exchange", 300)]),
    )
    .await
    .unwrap();
    let mk = |n: &'static str, r| async move {
        let p = (r == UserRole::Partner).then_some("Fabrikam Partners");
        s.add_user(&actor(), n, r, "correct horse battery", p)
            .await
            .unwrap()
    };
    let (admin, fm, guest, partner) = (
        mk("ada", UserRole::Admin).await,
        mk("fay", UserRole::Manager).await,
        mk("gus", UserRole::Guest).await,
        mk("pia", UserRole::Partner).await,
    );
    s.assign(
        &actor(),
        T1,
        "fay",
        AssignmentRole::FastTrackManager,
        "",
        false,
    )
    .await
    .unwrap();
    s.add_tenant_partner(&actor(), T2, "Fabrikam Partners", false)
        .await
        .unwrap();
    let table = [
        (&admin, T1, Access::Write),
        (&admin, T2, Access::Write),
        (&fm, T1, Access::Write),
        (&fm, T2, Access::Read),
        (&guest, T1, Access::Read),
        (&guest, T2, Access::Read),
        (&partner, T1, Access::None),
        // The organisation's tenant, but pia is not assigned to it: read only.
        (&partner, T2, Access::Read),
    ];
    for (u, t, want) in table {
        assert_eq!(s.access(u, t).await.unwrap(), want, "{} on {t}", u.name);
    }
    s.assign(
        &actor(),
        T2,
        "pia",
        AssignmentRole::PartnerEngineer,
        "",
        false,
    )
    .await
    .unwrap();
    assert_eq!(s.access(&partner, T2).await.unwrap(), Access::Write);
    assert_eq!(s.access(&partner, T1).await.unwrap(), Access::None);
    assert_eq!(
        s.access(&admin, "0f8fad5b-d9cb-469f-a165-000000000000")
            .await
            .unwrap(),
        Access::None
    );
}

async fn concurrent_task_changes_commit_together_and_fail_alone(db: &TestDb) {
    let s = with_playbook(db).await;
    s.add_tenant(
        &actor(),
        &new_tenant(
            T1,
            "contoso.onmicrosoft.com",
            &[("exchange", 300), ("teams", 300)],
        ),
    )
    .await
    .unwrap();
    let tasks = s.tenant_tasks(T1).await.unwrap();
    let audit_before = s.audit_count().await.unwrap();
    // 60 changes at once on distinct tasks, plus two on the same task from version 0
    // (one must win, the other is a conflict), plus one on a task that does not apply.
    let mut handles = Vec::new();
    for t in tasks.iter().take(60) {
        let (s, t) = (s.clone(), t.clone());
        handles.push(tokio::spawn(async move {
            s.set_task(
                &actor(),
                T1,
                &TaskUpdate {
                    task_id: t.task_id,
                    service: t.service.clone(),
                    version: 0,
                    status: Some(TaskStatus::Complete),
                    ..Default::default()
                },
            )
            .await
        }));
    }
    let twin = tasks[60].clone();
    for status in [TaskStatus::BlockedOther, TaskStatus::InProgress] {
        let (s, t) = (s.clone(), twin.clone());
        handles.push(tokio::spawn(async move {
            s.set_task(
                &actor(),
                T1,
                &TaskUpdate {
                    task_id: t.task_id,
                    service: t.service.clone(),
                    version: 0,
                    status: Some(status),
                    ..Default::default()
                },
            )
            .await
        }));
    }
    let stranger = {
        let s = s.clone();
        tokio::spawn(async move {
            s.set_task(
                &actor(),
                T1,
                &TaskUpdate {
                    task_id: 1,
                    service: "nosuch".into(),
                    version: 0,
                    status: Some(TaskStatus::Complete),
                    ..Default::default()
                },
            )
            .await
        })
    };
    let mut ok = 0;
    let mut conflicts = 0;
    for h in handles {
        match h.await.unwrap() {
            Ok(v) => {
                assert_eq!(v.version, 1);
                ok += 1;
            }
            Err(StoreError::Conflict(_)) => conflicts += 1,
            Err(e) => panic!("unexpected {e}"),
        }
    }
    assert_eq!((ok, conflicts), (61, 1));
    assert!(matches!(
        stranger.await.unwrap(),
        Err(StoreError::Invalid(_))
    ));
    // Every acknowledged change is stored, audited once, and nothing else is.
    let after = s.tenant_tasks(T1).await.unwrap();
    for t in tasks.iter().take(60) {
        let now = after
            .iter()
            .find(|a| a.task_id == t.task_id && a.service == t.service)
            .unwrap();
        assert_eq!((now.status, now.version), (TaskStatus::Complete, 1));
    }
    let twin_now = after
        .iter()
        .find(|a| a.task_id == twin.task_id && a.service == twin.service)
        .unwrap();
    assert_eq!(twin_now.version, 1);
    assert_eq!(s.audit_count().await.unwrap(), audit_before + 61);
}

/// Changes to many tenants at once (on PostgreSQL several writers commit them, a tenant's
/// always through the same one): on every tenant, of two changes to one task from version
/// 0 exactly one wins, and every other change is stored and audited once.
async fn concurrent_task_changes_on_many_tenants_each_win_once(db: &TestDb) {
    let s = with_playbook(db).await;
    let ids: Vec<String> = (0..12)
        .map(|i| format!("3f2504e0-4f89-41d3-9a0c-0305e82c33{i:02}"))
        .collect();
    for (i, id) in ids.iter().enumerate() {
        s.add_tenant(
            &actor(),
            &new_tenant(id, &format!("t{i}.onmicrosoft.com"), &[("exchange", 300)]),
        )
        .await
        .unwrap();
    }
    let tasks = s.tenant_tasks(&ids[0]).await.unwrap();
    let audit_before = s.audit_count().await.unwrap();
    let change = |id: &str, t: &ftop_store::TaskView, status: TaskStatus| {
        let (s, id, t) = (s.clone(), id.to_string(), t.clone());
        tokio::spawn(async move {
            s.set_task(
                &actor(),
                &id,
                &TaskUpdate {
                    task_id: t.task_id,
                    service: t.service.clone(),
                    version: 0,
                    status: Some(status),
                    ..Default::default()
                },
            )
            .await
            .map(|v| (id, v))
        })
    };
    // Per tenant: 5 distinct tasks, and twice the sixth.
    let mut handles = Vec::new();
    for id in &ids {
        for t in tasks.iter().take(5) {
            handles.push(change(id, t, TaskStatus::Complete));
        }
        handles.push(change(id, &tasks[5], TaskStatus::InProgress));
        handles.push(change(id, &tasks[5], TaskStatus::BlockedOther));
    }
    let mut won = std::collections::HashMap::<String, usize>::new();
    let mut conflicts = 0;
    for h in handles {
        match h.await.unwrap() {
            Ok((id, v)) => {
                assert_eq!(v.version, 1);
                *won.entry(id).or_default() += 1;
            }
            Err(StoreError::Conflict(_)) => conflicts += 1,
            Err(e) => panic!("unexpected {e}"),
        }
    }
    assert_eq!(
        conflicts, 12,
        "one of each tenant's two changes to one task"
    );
    for id in &ids {
        assert_eq!(
            won.get(id),
            Some(&6),
            "tenant {id}: 5 tasks and one of the twins"
        );
        let now = s.tenant_tasks(id).await.unwrap();
        let set = now.iter().filter(|t| t.version == 1).count();
        assert_eq!(set, 6, "tenant {id}");
        let twin = now
            .iter()
            .find(|t| t.task_id == tasks[5].task_id && t.service == tasks[5].service)
            .unwrap();
        assert!(matches!(
            twin.status,
            TaskStatus::InProgress | TaskStatus::BlockedOther
        ));
    }
    assert_eq!(s.audit_count().await.unwrap(), audit_before + 12 * 6);
}

/// Fay, a manager, and Pia, a partner of Fabrikam Partners.
async fn fay_and_pia(s: &Store) -> (ftop_store::User, ftop_store::User) {
    let mut made = Vec::new();
    for (name, role, partner) in [
        ("fay", UserRole::Manager, None),
        ("pia", UserRole::Partner, Some("Fabrikam Partners")),
    ] {
        let u = s
            .add_user(&actor(), name, role, "correct horse battery", partner)
            .await
            .unwrap();
        made.push(u);
    }
    let pia = made.pop().unwrap();
    (made.pop().unwrap(), pia)
}

async fn a_tenant_read_for_a_user_carries_access_and_facts(db: &TestDb) {
    let s = with_playbook(db).await;
    s.add_tenant(
        &actor(),
        &new_tenant(
            T1,
            "contoso.onmicrosoft.com",
            &[("exchange", 300), ("teams", 25)],
        ),
    )
    .await
    .unwrap();
    let (fm, pia) = fay_and_pia(s).await;
    let r = s.tenant_for(&fm, T1).await.unwrap().unwrap();
    assert_eq!(r.access, Access::Read);
    assert_eq!(r.tenant, s.tenant(T1).await.unwrap());
    assert_eq!(r.facts, s.facts(T1).await.unwrap());
    assert!(
        s.tenant_for(&pia, T1).await.unwrap().is_none(),
        "not the partner's tenant"
    );
    assert!(
        s.tenant_for(&fm, T2).await.unwrap().is_none(),
        "no such tenant"
    );
    assert!(s.tenant_for(&fm, "not-a-guid").await.unwrap().is_none());
    s.assign(
        &actor(),
        T1,
        "fay",
        AssignmentRole::CustomerSuccessManager,
        "",
        false,
    )
    .await
    .unwrap();
    s.add_tenant_partner(&actor(), T1, "Fabrikam Partners", false)
        .await
        .unwrap();
    let r = s.tenant_for(&fm, T1).await.unwrap().unwrap();
    assert_eq!(r.access, Access::Write);
    assert!(r.facts.csm, "a CSM is assigned");
    assert_eq!(r.facts, s.facts(T1).await.unwrap());
    let p = s.tenant_for(&pia, T1).await.unwrap().unwrap();
    assert_eq!(p.access, Access::Read, "the organisation's, not assigned");
    s.assign(
        &actor(),
        T1,
        "pia",
        AssignmentRole::PartnerEngineer,
        "",
        false,
    )
    .await
    .unwrap();
    let p = s.tenant_for(&pia, T1).await.unwrap().unwrap();
    assert_eq!(p.access, Access::Write);
    // The same through a session and a token (the hot reads).
    let (cookie, _) = s.create_session(&pia).await.unwrap();
    assert_eq!(s.session(&cookie).await.unwrap().unwrap().user, pia);
    let token = s.create_token(&actor(), "pia", "feed").await.unwrap();
    assert_eq!(s.user_by_token(&token).await.unwrap().unwrap(), pia);
    assert!(s.user_by_token("ftop_nope").await.unwrap().is_none());
}

/// `tenant_with_tasks` (on PostgreSQL one statement, the task states as JSON beside the
/// tenant's rows; on SQLite the two reads themselves) gives what `tenant_for` and
/// `tasks_of` give apart: every service, the
/// states of tenant-wide and service tasks, any text, none of the archived states, and
/// nothing for a tenant the caller may not see.
async fn a_tenant_read_with_its_tasks_matches_the_two_reads(db: &TestDb) {
    let s = with_playbook(db).await;
    let services = [("exchange", 300), ("teams", 25), ("sharepoint", 40)];
    s.add_tenant(
        &actor(),
        &new_tenant(T1, "contoso.onmicrosoft.com", &services),
    )
    .await
    .unwrap();
    s.add_tenant(&actor(), &new_tenant(T2, "fabrikam.onmicrosoft.com", &[]))
        .await
        .unwrap();
    let (fm, pia) = fay_and_pia(s).await;
    let same = |id: &'static str, who: ftop_store::User| {
        let s = s.clone();
        async move {
            let apart = match s.tenant_for(&who, id).await.unwrap() {
                Some(r) => {
                    let tasks = s.tasks_of(&r.tenant.tenant_id, &r.facts).await.unwrap();
                    Some((r.access, r.tenant, r.facts, tasks))
                }
                None => None,
            };
            let together = s
                .tenant_with_tasks(&who, id)
                .await
                .unwrap()
                .map(|(r, tasks)| (r.access, r.tenant, r.facts, tasks));
            assert_eq!(together, apart, "tenant {id} for {}", who.name);
            together
        }
    };
    // Nothing set yet.
    let (_, _, _, tasks) = same(T1, fm.clone()).await.unwrap();
    assert!(tasks.iter().all(|t| t.version == 0));
    // States on tenant-wide tasks and on each service's, one with a role.
    let mut set = 0;
    for svc in ["", "exchange", "teams", "sharepoint"] {
        let t = tasks.iter().find(|t| t.service == svc).unwrap();
        let u = TaskUpdate {
            task_id: t.task_id,
            service: svc.to_string(),
            version: 0,
            status: Some(TaskStatus::InProgress),
            percent: Some(30),
            role: (svc == "teams")
                .then(|| t.role.clone())
                .filter(|r| !r.is_empty()),
        };
        s.set_task(&actor(), T1, &u).await.unwrap();
        set += 1;
    }
    // Text JSON must carry whole, and an archived state that must not show.
    let other = tasks
        .iter()
        .filter(|t| t.service == "teams")
        .nth(1)
        .unwrap();
    db.raw(&format!(
        "UPDATE task_states SET updated_by = 'O''Brien \\ \"q\" zoë 你好\n\t' WHERE tenant_id = '{T1}'"
    ))
    .await;
    db.raw(&format!(
        "INSERT INTO task_states (tenant_id, task_id, service, status, percent, version,
            updated_at, updated_by, archived_version)
         VALUES ('{T1}', {}, 'teams', 'complete', 100, 3, '2026-01-01T00:00:00Z', 'x', 1)",
        other.task_id
    ))
    .await;
    let (_, _, _, tasks) = same(T1, fm.clone()).await.unwrap();
    assert_eq!(tasks.iter().filter(|t| t.version > 0).count(), set);
    assert!(
        tasks
            .iter()
            .filter(|t| t.version > 0)
            .all(|t| t.updated_by.as_deref() == Some("O'Brien \\ \"q\" zoë 你好\n\t")),
        "{tasks:?}"
    );
    let archived = tasks
        .iter()
        .find(|t| t.task_id == other.task_id && t.service == "teams")
        .unwrap();
    assert_eq!(archived.version, 0, "an archived state is not shown");
    // A tenant with no service (the join's one row carries the states); one the caller
    // may not see; an ID that is none.
    let (_, tenant, _, tasks) = same(T2, fm.clone()).await.unwrap();
    assert!(tenant.services.is_empty());
    assert!(tasks.iter().all(|t| t.service.is_empty()));
    let u = TaskUpdate {
        task_id: tasks[0].task_id,
        service: String::new(),
        version: 0,
        status: Some(TaskStatus::Complete),
        percent: None,
        role: None,
    };
    s.set_task(&actor(), T2, &u).await.unwrap();
    let (_, _, _, tasks) = same(T2, fm.clone()).await.unwrap();
    assert_eq!(
        tasks
            .iter()
            .map(|t| (t.task_id, t.version))
            .find(|t| t.1 > 0),
        Some((u.task_id, 1))
    );
    assert!(same(T1, pia.clone()).await.is_none());
    assert!(
        s.tenant_with_tasks(&fm, "not-a-guid")
            .await
            .unwrap()
            .is_none()
    );
    // Once the partner's organisation works on it, the partner reads it with its tasks.
    s.add_tenant_partner(&actor(), T1, "Fabrikam Partners", false)
        .await
        .unwrap();
    let (access, _, _, _) = same(T1, pia).await.unwrap();
    assert_eq!(access, Access::Read);
}

/// The forecasts' target dates onto the rollups, as saving a forecast carries them (for
/// fixtures written straight into the tables).
const FORECAST_TARGETS: &str = "INSERT INTO adoption_rollups (tkey, svc, target_10, target_40)
     SELECT k.tkey, c.svc, f.target_10, f.target_40
     FROM forecasts f JOIN adoption_tenants k ON k.tenant_id = f.tenant_id
     JOIN adoption_services c ON c.service = f.service
     WHERE 1 = 1 ON CONFLICT (tkey, svc) DO UPDATE
        SET target_10 = excluded.target_10, target_40 = excluded.target_40";

/// Days since 1970 of today plus `n`, as the adoption tables store dates.
fn day_in(n: i32) -> i32 {
    ftop_domain::adoption::day_of(ftop_store::today()) + n
}

fn date_in(n: i64) -> String {
    (ftop_store::today() + time::Duration::days(n)).to_string()
}

async fn the_work_queue_holds_what_is_due_on_ones_tenants_and_drops_it_once_resolved(db: &TestDb) {
    use ftop_store::QueueKind;
    let s = with_playbook(db).await;
    s.add_tenant(
        &actor(),
        &new_tenant(T1, "contoso.onmicrosoft.com", &[("exchange", 100)]),
    )
    .await
    .unwrap();
    s.add_tenant(
        &actor(),
        &new_tenant(T2, "fabrikam.onmicrosoft.com", &[("exchange", 100)]),
    )
    .await
    .unwrap();
    user(s, "ann", UserRole::Manager).await;
    user(s, "pia", UserRole::Partner).await;
    for who in ["ann", "pia"] {
        s.assign(
            &actor(),
            T1,
            who,
            AssignmentRole::FastTrackManager,
            "",
            false,
        )
        .await
        .unwrap();
    }
    let ann = s.user_by_name("ann").await.unwrap().unwrap();
    let pia = s.user_by_name("pia").await.unwrap().unwrap();
    let today = day_in(0);
    // Whatever the new tenant's status rows say, start from classified ones.
    db.raw("UPDATE entitlement_status SET l1 = 'in-progress', l2 = NULL")
        .await;
    assert!(s.work_queue(&ann, today, 500).await.unwrap().is_empty());

    // Each kind of item, on T1 (ann's) and on T2 (nobody's).
    let ann_id = ann.id;
    for t in [T1, T2] {
        db.raw(&format!(
            "INSERT INTO notes (tenant_id, author_id, category, state, body, next_action, next_action_date, created_at, updated_at)
             VALUES ('{t}', {ann_id}, 'general', 'saved', 'Met the CISO', 'Send the MFA plan', '{}', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
            date_in(3)
        ))
        .await;
        db.raw(&format!(
            "UPDATE tenants SET status_date = '{}' WHERE tenant_id = '{t}'",
            date_in(-20)
        ))
        .await;
        db.raw(&format!(
            "INSERT INTO task_states (tenant_id, task_id, service, status, updated_at, updated_by)
             VALUES ('{t}', 7, 'exchange', 'blocked-business', '{}T09:00:00Z', 'ann')",
            date_in(-2)
        ))
        .await;
        db.raw(&format!(
            "INSERT INTO forecasts (tenant_id, service, submitted, target_10, target_40, updated_at, updated_by)
             VALUES ('{t}', 'exchange', {}, {}, {}, '2026-01-01T00:00:00Z', 'ann')",
            day_in(-60),
            day_in(-5),
            day_in(30)
        ))
        .await;
        // Saved when its dates were ahead (a save refuses past ones): the rollup carries
        // them, as a save keeps it.
        db.raw(FORECAST_TARGETS).await;
        db.raw(&format!(
            "UPDATE entitlement_status SET l1 = 'status-unknown', l2 = 'new-subscription-or-workload'
             WHERE tenant_id = '{t}'"
        ))
        .await;
    }
    let q = s.work_queue(&ann, today, 500).await.unwrap();
    let kinds: Vec<(QueueKind, &str, &str)> = q
        .iter()
        .map(|i| (i.kind, i.tenant_id.as_str(), i.due.as_str()))
        .collect();
    let (d_stale, d_forecast, d_blocked, d_today, d_next) = (
        date_in(-6),
        date_in(-5),
        date_in(-2),
        date_in(0),
        date_in(3),
    );
    assert_eq!(
        kinds,
        [
            (QueueKind::StaleStatus, T1, d_stale.as_str()),
            (QueueKind::ForecastMissed, T1, d_forecast.as_str()),
            (QueueKind::BlockedTask, T1, d_blocked.as_str()),
            (QueueKind::NewSubscription, T1, d_today.as_str()),
            (QueueKind::NextAction, T1, d_next.as_str()),
        ],
        "{q:#?}"
    );
    let blocked = &q[2];
    assert_eq!(
        blocked.link,
        format!("/tenants/{T1}/tasks/7?service=exchange")
    );
    assert_eq!(blocked.detail.as_deref(), Some("blocked-business"));
    assert_eq!(q[1].milestone, Some(10));
    assert!(q[4].upcoming && !q[0].upcoming);
    assert_eq!(q[4].detail.as_deref(), Some("Send the MFA plan"));
    assert_eq!(
        q[3].link,
        format!("/tenants/{T1}?tab=services#service-exchange")
    );

    // A partner sees only their organisation's tenants, even where assigned.
    assert!(s.work_queue(&pia, today, 500).await.unwrap().is_empty());
    s.add_tenant_partner(&actor(), T1, "Fabrikam Partners", false)
        .await
        .unwrap();
    assert_eq!(s.work_queue(&pia, today, 500).await.unwrap().len(), 5);

    // 1,999 of 20,000 (9.995%) rounds to 10.00% yet is below the milestone: the missed
    // 10% forecast stays.
    db.raw(&format!(
        "UPDATE adoption_rollups SET active_users = 1999, qualified = 20000, au_bp = 1000
         WHERE tkey = (SELECT tkey FROM adoption_tenants WHERE tenant_id = '{T1}')"
    ))
    .await;
    let q = s.work_queue(&ann, today, 500).await.unwrap();
    assert!(
        q.iter()
            .any(|i| i.kind == QueueKind::ForecastMissed && i.tenant_id == T1),
        "{q:#?}"
    );

    // An AU drop: half the seats active 40 days ago, a tenth now.
    db.raw(&format!(
        "INSERT INTO usage_figures (tkey, svc, day, active_users, qualified)
         SELECT k.tkey, v.svc, {}, 50, 100 FROM adoption_tenants k, adoption_services v
         WHERE k.tenant_id = '{T1}' AND v.service = 'exchange'",
        day_in(-40)
    ))
    .await;
    db.raw(&format!(
        "UPDATE adoption_rollups SET as_of = {}, active_users = 10, qualified = 100, au_bp = 1000,
            milestone_10 = {}
         WHERE tkey = (SELECT tkey FROM adoption_tenants WHERE tenant_id = '{T1}')",
        day_in(-1),
        day_in(-2)
    ))
    .await;
    let q = s.work_queue(&ann, today, 500).await.unwrap();
    assert!(
        q.iter()
            .any(|i| i.kind == QueueKind::AuDrop && i.link == format!("/tenants/{T1}?tab=usage")),
        "{q:#?}"
    );
    // AU at 10% now: the 10% forecast is met.
    assert!(!q.iter().any(|i| i.kind == QueueKind::ForecastMissed));
    let reached = s
        .milestones_reached(&ann, day_in(-7), day_in(0))
        .await
        .unwrap();
    assert_eq!(reached.len(), 1);
    assert_eq!(
        (reached[0].milestone, reached[0].reached.clone()),
        (10, date_in(-2))
    );
    assert!(
        s.milestones_reached(&ann, day_in(-1), day_in(0))
            .await
            .unwrap()
            .is_empty()
    );

    // Resolved: a newer note, the status given today, the task unblocked, the rows
    // classified; the drop stays until AU recovers.
    db.raw(&format!(
        "INSERT INTO notes (tenant_id, author_id, category, state, body, created_at, updated_at)
         VALUES ('{T1}', {ann_id}, 'general', 'saved', 'Plan sent', '2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z')"
    ))
    .await;
    db.raw(&format!(
        "UPDATE tenants SET status_date = '{}' WHERE tenant_id = '{T1}'",
        date_in(0)
    ))
    .await;
    db.raw(&format!(
        "UPDATE task_states SET status = 'in-progress' WHERE tenant_id = '{T1}'"
    ))
    .await;
    db.raw(&format!(
        "UPDATE entitlement_status SET l1 = 'in-progress', l2 = NULL WHERE tenant_id = '{T1}'"
    ))
    .await;
    let q = s.work_queue(&ann, today, 500).await.unwrap();
    assert_eq!(
        q.iter().map(|i| i.kind).collect::<Vec<_>>(),
        [QueueKind::AuDrop],
        "{q:#?}"
    );
}

async fn digest_settings_secrets_and_claims_send_once_per_period(db: &TestDb) {
    use ftop_store::{DigestFrequency, DigestSettings};
    let s = &db.store;
    user(s, "ann", UserRole::Manager).await;
    user(s, "bob", UserRole::Engineer).await;
    let ann = s.user_by_name("ann").await.unwrap().unwrap();
    assert_eq!(
        s.digest_settings(ann.id).await.unwrap(),
        DigestSettings::default()
    );
    // No address: no digest.
    assert!(s.digest_recipients().await.unwrap().is_empty());
    let mut set = DigestSettings {
        email: Some("not an address".into()),
        language: "es".into(),
        time_zone: "Europe/Madrid".into(),
        digest: DigestFrequency::Daily,
    };
    assert_eq!(
        fields(
            s.set_digest_settings(&actor(), ann.id, &set)
                .await
                .unwrap_err()
        ),
        ["email"]
    );
    set.email = Some("ann@example.com".into());
    set.language = "xx".into();
    assert_eq!(
        fields(
            s.set_digest_settings(&actor(), ann.id, &set)
                .await
                .unwrap_err()
        ),
        ["lang"]
    );
    set.language = "es".into();
    s.set_digest_settings(&actor(), ann.id, &set).await.unwrap();
    assert_eq!(s.digest_settings(ann.id).await.unwrap(), set);
    let r = s.digest_recipients().await.unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!((r[0].0.name.as_str(), &r[0].1), ("ann", &set));

    // One secret per purpose, the same on every read.
    let k = s.server_secret("unsubscribe").await.unwrap();
    assert_eq!(k.len(), 64);
    assert_eq!(s.server_secret("unsubscribe").await.unwrap(), k);
    assert_ne!(s.server_secret("other").await.unwrap(), k);

    // Claims: once; a failure due again is claimed again; a sent one never.
    let now = time::macros::datetime!(2026-12-07 08:00 UTC);
    let p = "weekly:2026-12-07";
    assert_eq!(s.claim_digest(ann.id, p, now).await.unwrap(), Some(1));
    assert_eq!(s.claim_digest(ann.id, p, now).await.unwrap(), None);
    let later = now + time::Duration::minutes(2);
    s.digest_failed(ann.id, p, "451 try later", Some(later))
        .await
        .unwrap();
    assert_eq!(s.claim_digest(ann.id, p, now).await.unwrap(), None);
    assert_eq!(s.claim_digest(ann.id, p, later).await.unwrap(), Some(2));
    s.digest_sent(ann.id, p, later).await.unwrap();
    assert_eq!(
        s.claim_digest(ann.id, p, later + time::Duration::days(1))
            .await
            .unwrap(),
        None
    );
    let sends = s.digest_sends().await.unwrap();
    assert_eq!(sends.len(), 1);
    assert_eq!((sends[0].state.as_str(), sends[0].attempts), ("sent", 2));
    assert_eq!(sends[0].last_error.as_deref(), Some("451 try later"));
    // A claim left standing by an instance that stopped is taken over after an hour.
    let q = "daily:2026-12-08";
    assert_eq!(s.claim_digest(ann.id, q, now).await.unwrap(), Some(1));
    assert_eq!(
        s.claim_digest(ann.id, q, now + time::Duration::minutes(30))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        s.claim_digest(ann.id, q, now + time::Duration::minutes(61))
            .await
            .unwrap(),
        Some(2)
    );

    // Unsubscribing stops the digests.
    assert!(s.unsubscribe_digest(ann.id).await.unwrap());
    assert!(s.digest_recipients().await.unwrap().is_empty());
    assert!(!s.unsubscribe_digest(99_999).await.unwrap());
}

/// Issue 17's budget: a user assigned to 2,000 tenants, each with notes, tasks, status rows,
/// a forecast and usage figures, gets the queue in about 50 ms (release build; the bound
/// asserted here leaves room for debug builds on a busy machine).
async fn the_work_queue_of_a_user_with_2000_tenants_holds_each_of_their_items(db: &TestDb) {
    let s = &db.store;
    s.add_tenant(
        &actor(),
        &new_tenant(T1, "contoso.onmicrosoft.com", &[("exchange", 100)]),
    )
    .await
    .unwrap();
    user(s, "ann", UserRole::Manager).await;
    let ann = s.user_by_name("ann").await.unwrap().unwrap();
    let n = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)";
    let m = "WITH RECURSIVE m(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM m WHERE i < 20)";
    let day = day_in(0);
    let stmts = [
        format!(
            "INSERT INTO tenants (tenant_id, name, customer_id, status_date, created_at, updated_at)
             {n} SELECT 'perf-' || i, 'perf-' || i || '.onmicrosoft.com',
                (SELECT customer_id FROM tenants WHERE tenant_id = '{T1}'), '{}', 'x', 'x' FROM n",
            date_in(-20)
        ),
        "INSERT INTO tenant_services (tenant_id, service, entitlements, qualified)
         SELECT tenant_id, 'exchange', 100, 100 FROM tenants WHERE tenant_id LIKE 'perf-%'"
            .to_string(),
        format!(
            "INSERT INTO assignments (tenant_id, user_id, role, created_at)
             SELECT tenant_id, {}, 'fasttrack-engineer', 'x' FROM tenants WHERE tenant_id LIKE 'perf-%'",
            ann.id
        ),
        format!(
            "INSERT INTO notes (tenant_id, author_id, category, state, body, next_action, next_action_date, created_at, updated_at)
             {m} SELECT t.tenant_id, {}, 'general', 'saved', 'b', 'act', '{}', '2026-01-0' || (i % 5 + 1), 'x'
             FROM m, tenants t WHERE i <= 5 AND t.tenant_id LIKE 'perf-%'",
            ann.id,
            date_in(2)
        ),
        format!(
            "INSERT INTO task_states (tenant_id, task_id, service, status, updated_at, updated_by)
             {m} SELECT t.tenant_id, i, '', CASE WHEN i = 1 THEN 'blocked-business' ELSE 'in-progress' END, 'x', 'x'
             FROM m, tenants t WHERE t.tenant_id LIKE 'perf-%'"
        ),
        "INSERT INTO entitlement_status (tenant_id, service, position, l1, l2, count)
         SELECT tenant_id, 'exchange', 0, 'status-unknown', 'new-subscription-or-workload', 100
         FROM tenants WHERE tenant_id LIKE 'perf-%'"
            .to_string(),
        format!(
            "INSERT INTO forecasts (tenant_id, service, submitted, target_10, updated_at, updated_by)
             SELECT tenant_id, 'exchange', {}, {}, 'x', 'x' FROM tenants WHERE tenant_id LIKE 'perf-%'",
            day - 90,
            day - 3
        ),
        "INSERT INTO adoption_tenants (tenant_id) SELECT tenant_id FROM tenants WHERE tenant_id LIKE 'perf-%'"
            .to_string(),
        format!(
            "INSERT INTO usage_figures (tkey, svc, day, active_users, qualified)
             SELECT k.tkey, v.svc, {}, 50, 100 FROM adoption_tenants k, adoption_services v
             WHERE k.tenant_id LIKE 'perf-%' AND v.service = 'exchange'",
            day - 40
        ),
        format!(
            "INSERT INTO adoption_rollups (tkey, svc, as_of, active_users, qualified, au_bp)
             SELECT k.tkey, v.svc, {}, 5, 100, 500 FROM adoption_tenants k, adoption_services v
             WHERE k.tenant_id LIKE 'perf-%' AND v.service = 'exchange'",
            day - 1
        ),
        // The forecasts' dates on the rollups, as saving a forecast keeps them.
        FORECAST_TARGETS.to_string(),
    ];
    for q in &stmts {
        db.raw(q).await;
    }
    db.raw("ANALYZE").await;
    // The speed is BENCHMARKS.md's B9 (cargo bench -p ftop-store --bench queue); here,
    // what a user with many tenants gets.
    let items = s.work_queue(&ann, day, 500).await.unwrap();
    // Per tenant: a next action, a stale status, a blocked task, a new subscription, a
    // missed forecast and an AU drop (50 of 100 users 40 days ago, 5 now).
    let mut per_kind = std::collections::BTreeMap::new();
    for i in &items {
        *per_kind.entry(i.kind).or_insert(0) += 1;
    }
    assert_eq!(
        per_kind.into_iter().collect::<Vec<_>>(),
        ftop_store::QueueKind::ALL.map(|k| (k, 2000)).to_vec(),
        "{:?}",
        &items[..6.min(items.len())]
    );
    // T1 is not ann's; each of ann's tenants appears six times.
    assert!(items.iter().all(|i| i.tenant_id.starts_with("perf-")));
    let mut tenants = std::collections::BTreeMap::new();
    for i in &items {
        *tenants.entry(i.tenant_id.as_str()).or_insert(0) += 1;
    }
    assert_eq!(tenants.len(), 2000);
    assert!(tenants.values().all(|&n| n == 6));
    // One tenant's items, each with its due day: the forecast of three days ago, the
    // status of 20 days ago due after 14, the blocked task and the new subscription
    // today (the task's `updated_at` is no date), the next action in two days.
    let mut mine: Vec<_> = items
        .iter()
        .filter(|i| i.tenant_id == "perf-7")
        .map(|i| (i.kind, i.due.clone(), i.detail.clone()))
        .collect();
    mine.sort();
    use ftop_store::QueueKind as K;
    assert_eq!(
        mine,
        [
            (K::NextAction, date_in(2), Some("act".to_string())),
            (K::ForecastMissed, date_in(-3), None),
            (K::StaleStatus, date_in(-6), None),
            (
                K::BlockedTask,
                date_in(0),
                Some("blocked-business".to_string())
            ),
            (K::AuDrop, date_in(0), None),
            (K::NewSubscription, date_in(0), None),
        ]
    );
}

/// The boundaries of the work queue's one statement: the latest saved note decides (a
/// draft does not count; between notes of the same moment the later one, by ID), an
/// inactive tenant has nothing due, and an AU fall counts from the threshold on, a rise
/// or a smaller fall not at all.
async fn the_work_queue_reads_the_latest_saved_note_and_au_falls_from_the_threshold_on(
    db: &TestDb,
) {
    use ftop_store::QueueKind;
    let s = with_playbook(db).await;
    let tenants = [
        (T1, "contoso.onmicrosoft.com"),
        (T2, "fabrikam.onmicrosoft.com"),
        (
            "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
            "northwind.onmicrosoft.com",
        ),
    ];
    user(s, "ann", UserRole::Manager).await;
    for (id, name) in tenants {
        s.add_tenant(&actor(), &new_tenant(id, name, &[("exchange", 100)]))
            .await
            .unwrap();
        s.assign(
            &actor(),
            id,
            "ann",
            AssignmentRole::FastTrackManager,
            "",
            false,
        )
        .await
        .unwrap();
    }
    let ann = s.user_by_name("ann").await.unwrap().unwrap();
    let today = day_in(0);
    db.raw("UPDATE entitlement_status SET l1 = 'in-progress', l2 = NULL")
        .await;
    let next = date_in(1);
    let note = |t: &str, state: &str, action: &str, at: &str| {
        let date = if action.is_empty() {
            "NULL".to_string()
        } else {
            format!("'{next}'")
        };
        format!(
            "INSERT INTO notes (tenant_id, author_id, category, state, body, next_action, next_action_date, created_at, updated_at)
             VALUES ('{t}', {}, 'general', '{state}', 'b', '{action}', {date}, '{at}', '{at}')",
            ann.id
        )
    };
    // T1: a saved note naming an action, then a draft without one: the action stands.
    db.raw(&note(T1, "saved", "Send the plan", "2026-01-01T00:00:00Z"))
        .await;
    db.raw(&note(T1, "draft", "", "2026-01-02T00:00:00Z")).await;
    // T2: two saved notes of the same moment; the later one (by ID) names no action.
    db.raw(&note(T2, "saved", "Call the CIO", "2026-01-01T00:00:00Z"))
        .await;
    db.raw(&note(T2, "saved", "", "2026-01-01T00:00:00Z")).await;
    // The third: an action, but the tenant is inactive.
    db.raw(&note(
        tenants[2].0,
        "saved",
        "Hidden",
        "2026-01-01T00:00:00Z",
    ))
    .await;
    db.raw(&format!(
        "UPDATE tenants SET active = 0 WHERE tenant_id = '{}'",
        tenants[2].0
    ))
    .await;
    let q = s.work_queue(&ann, today, 500).await.unwrap();
    let seen: Vec<(QueueKind, &str, Option<&str>)> = q
        .iter()
        .map(|i| (i.kind, i.tenant_id.as_str(), i.detail.as_deref()))
        .collect();
    assert_eq!(seen, [(QueueKind::NextAction, T1, Some("Send the plan"))]);
    assert_eq!(q[0].due, next);
    assert!(q[0].upcoming);

    // AU of T1's and T2's Exchange: 50% forty days ago; now 45% on T1 (exactly the
    // 5-point threshold down: a drop) and 46% on T2 (4 points: none).
    for (t, now) in [(T1, 45), (T2, 46)] {
        db.raw(&format!(
            "INSERT INTO usage_figures (tkey, svc, day, active_users, qualified)
             SELECT k.tkey, v.svc, {}, 50, 100 FROM adoption_tenants k, adoption_services v
             WHERE k.tenant_id = '{t}' AND v.service = 'exchange'",
            day_in(-40)
        ))
        .await;
        db.raw(&format!(
            "UPDATE adoption_rollups SET as_of = {}, active_users = {now}, qualified = 100,
                au_bp = {}
             WHERE tkey = (SELECT tkey FROM adoption_tenants WHERE tenant_id = '{t}')",
            day_in(-1),
            now * 100
        ))
        .await;
    }
    let drops = |q: &[ftop_store::QueueItem]| -> Vec<String> {
        q.iter()
            .filter(|i| i.kind == QueueKind::AuDrop)
            .map(|i| i.tenant_id.clone())
            .collect()
    };
    let q = s.work_queue(&ann, today, 500).await.unwrap();
    assert_eq!(drops(&q), [T1.to_string()], "{q:#?}");
    // A larger threshold: no drop; a rise of 10 points on T1 is never one.
    assert!(drops(&s.work_queue(&ann, today, 501).await.unwrap()).is_empty());
    db.raw(&format!(
        "UPDATE adoption_rollups SET active_users = 60, au_bp = 6000
         WHERE tkey = (SELECT tkey FROM adoption_tenants WHERE tenant_id = '{T1}')"
    ))
    .await;
    assert!(drops(&s.work_queue(&ann, today, 500).await.unwrap()).is_empty());
}

/// A forecast saved through the store (its dates ahead, as a save requires) enters the
/// queue the day after its date while the service is below that milestone, and leaves it
/// when the forecast is moved: the queue reads the dates the save keeps on the rollup.
async fn a_forecast_saved_ahead_enters_the_queue_once_its_date_passes_below_the_milestone(
    db: &TestDb,
) {
    use ftop_store::QueueKind;
    let s = with_playbook(db).await;
    s.add_tenant(
        &actor(),
        &new_tenant(T1, "contoso.onmicrosoft.com", &[("exchange", 100)]),
    )
    .await
    .unwrap();
    user(s, "ann", UserRole::Manager).await;
    s.assign(
        &actor(),
        T1,
        "ann",
        AssignmentRole::FastTrackManager,
        "",
        false,
    )
    .await
    .unwrap();
    db.raw("UPDATE entitlement_status SET l1 = 'in-progress', l2 = NULL")
        .await;
    let ann = s.user_by_name("ann").await.unwrap().unwrap();
    let today = ftop_store::today();
    let on = |d: i64| today + time::Duration::days(d);
    let dates = |ten: i64| ftop_domain::adoption::ForecastDates {
        submitted: Some(on(-10)),
        target_10: Some(on(ten)),
        target_40: None,
        target_max: Some(on(ten + 60)),
    };
    let saved = s
        .save_forecast(&actor(), T1, "exchange", &dates(5), None)
        .await
        .unwrap();
    let missed = |q: Vec<ftop_store::QueueItem>| {
        q.into_iter()
            .filter(|i| i.kind == QueueKind::ForecastMissed)
            .map(|i| (i.due, i.service, i.milestone))
            .collect::<Vec<_>>()
    };
    // On its day it is not missed yet; the day after it is.
    let day = |d: i64| day_in(d as i32);
    assert!(missed(s.work_queue(&ann, day(5), 500).await.unwrap()).is_empty());
    assert_eq!(
        missed(s.work_queue(&ann, day(6), 500).await.unwrap()),
        [(on(5).to_string(), Some("exchange".to_string()), Some(10))]
    );
    // Moved further out: it leaves the queue.
    s.save_forecast(&actor(), T1, "exchange", &dates(30), Some(saved.version))
        .await
        .unwrap();
    assert!(missed(s.work_queue(&ann, day(6), 500).await.unwrap()).is_empty());
}
