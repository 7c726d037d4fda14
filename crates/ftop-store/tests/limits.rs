//! Issue 18 on both engines: text limits and NUL characters refused alike (PostgreSQL cannot
//! store a NUL; SQLite must not take what PostgreSQL refuses), tenant and note search taking
//! `%`, `_` and `\` literally, and removing a partner link.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{TestDb, actor, bundled_sources};
use ftop_domain::UserRole;
use ftop_store::{
    Actor, EngagementUpdate, ImportRow, NewContact, NewTenant, NoteDraft, NoteFilter, StoreError,
    TenantFilter,
};

const T1: &str = "871e613c-59df-73c1-b016-f93aac00dccd";
const T2: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

common::both_engines!(
    nul_characters_are_refused_naming_the_field,
    long_texts_are_refused_quoting_a_prefix,
    search_takes_wildcards_literally,
    a_partner_link_is_removed_and_audited,
);

fn tenant(id: &str, name: &str, customer: &str) -> NewTenant {
    NewTenant {
        tenant_id: id.into(),
        name: name.into(),
        customer: customer.into(),
        services: vec![("teams".into(), 10, None)],
    }
}

/// A signed-in manager (notes are written by users).
async fn writer(db: &TestDb) -> Actor {
    let u = db
        .store
        .add_user(
            &actor(),
            "mgr",
            UserRole::Manager,
            "correct horse battery",
            None,
        )
        .await
        .unwrap();
    Actor::user(&u)
}

/// The fields of an `Invalid` error (panics on anything else).
fn fields(e: StoreError) -> Vec<String> {
    match e {
        StoreError::Invalid(i) => i.0.into_iter().map(|f| f.field).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

async fn nul_characters_are_refused_naming_the_field(db: &TestDb) {
    let s = &db.store;
    s.load_playbook(&actor(), &bundled_sources()).await.unwrap();
    let e = s
        .add_tenant(&actor(), &tenant(T1, "a.onmicrosoft.com", "Con\0toso"))
        .await
        .unwrap_err();
    assert_eq!(fields(e), ["customer"]);
    s.add_tenant(&actor(), &tenant(T1, "a.onmicrosoft.com", "Contoso"))
        .await
        .unwrap();
    let note = NoteDraft {
        tenant_id: T1.into(),
        body: "hello\0".into(),
        ..NoteDraft::default()
    };
    let w = writer(db).await;
    assert_eq!(
        fields(s.add_note(&w, &note, true).await.unwrap_err()),
        ["body"]
    );
    let c = NewContact {
        name: "Ida".into(),
        title: "boss\0".into(),
        ..NewContact::default()
    };
    assert_eq!(
        fields(s.add_contact(&actor(), T1, &c).await.unwrap_err()),
        ["title"]
    );
    let t = s.tenant(T1).await.unwrap();
    let u = EngagementUpdate {
        status_note: Some("x\0".into()),
        ..EngagementUpdate::default()
    };
    assert_eq!(
        fields(
            s.update_engagement(&actor(), T1, t.version, &u)
                .await
                .unwrap_err()
        ),
        ["status_note"]
    );
    let e = s
        .add_tenant_partner(&actor(), T1, "Fab\0rikam", false)
        .await
        .unwrap_err();
    assert_eq!(fields(e), ["partner"]);
    let e = s
        .tenants(&TenantFilter {
            search: Some("a\0".into()),
            ..TenantFilter::default()
        })
        .await
        .unwrap_err();
    assert_eq!(fields(e), ["search"]);
    // An import names the line and the field; nothing is imported.
    let rows = [ImportRow {
        line: 7,
        tenant_id: T2.into(),
        tenant_name: "b.onmicrosoft.com".into(),
        customer: "Fab\0rikam".into(),
        service: "teams".into(),
        entitlements: "5".into(),
        qualified: String::new(),
    }];
    let e = s
        .import_tenants(&actor(), &rows, &|_| ())
        .await
        .unwrap_err();
    assert_eq!(fields(e), ["line 7: customer"]);
    assert_eq!(s.tenant_count().await.unwrap(), 1);
    assert!(s.contacts(T1).await.unwrap().is_empty());
}

async fn long_texts_are_refused_quoting_a_prefix(db: &TestDb) {
    let s = &db.store;
    let long = "x".repeat(1_000_000);
    let e = s
        .add_tenant(&actor(), &tenant(T1, "a.onmicrosoft.com", &long))
        .await
        .unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("customer") && msg.len() < 300,
        "{} bytes",
        msg.len()
    );
    let e = s
        .add_tenant(&actor(), &tenant(T1, &format!("{long}.com"), "C"))
        .await
        .unwrap_err();
    assert!(e.to_string().len() < 300, "{} bytes", e.to_string().len());
    s.add_tenant(&actor(), &tenant(T1, "a.onmicrosoft.com", &"é".repeat(200)))
        .await
        .unwrap();
    let c = NewContact {
        name: "Ida".into(),
        email: format!("{long}@example.com"),
        phone: long.clone(),
        services: vec!["teams".into(); 101],
        ..NewContact::default()
    };
    let mut f = fields(s.add_contact(&actor(), T1, &c).await.unwrap_err());
    f.sort();
    assert_eq!(f, ["email", "phone", "services"]);
}

async fn search_takes_wildcards_literally(db: &TestDb) {
    let s = &db.store;
    s.load_playbook(&actor(), &bundled_sources()).await.unwrap();
    s.add_tenant(
        &actor(),
        &tenant(T1, "a.onmicrosoft.com", "Fifty% Off_Sale\\"),
    )
    .await
    .unwrap();
    s.add_tenant(&actor(), &tenant(T2, "b.onmicrosoft.com", "Contoso"))
        .await
        .unwrap();
    for (q, want) in [
        ("%", vec![T1]),
        ("_", vec![T1]),
        ("\\", vec![T1]),
        ("y% o", vec![T1]),
        ("f_sale", vec![T1]),
        ("fifty%", vec![T1]),
        ("fifty_", vec![]),
        ("%%", vec![]),
        ("onto", vec![T2]),
    ] {
        let f = TenantFilter {
            search: Some(q.into()),
            ..TenantFilter::default()
        };
        let got: Vec<String> = s
            .tenants(&f)
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.tenant_id)
            .collect();
        assert_eq!(got, want, "search {q:?}");
        assert_eq!(
            s.tenant_matches(&f).await.unwrap(),
            want.len() as i64,
            "{q:?}"
        );
    }
    let w = writer(db).await;
    for (body, saved) in [("50% done", true), ("500 done", true)] {
        let d = NoteDraft {
            tenant_id: T1.into(),
            body: body.into(),
            ..NoteDraft::default()
        };
        s.add_note(&w, &d, saved).await.unwrap();
    }
    let notes = s
        .notes(&NoteFilter {
            search: Some("0%".into()),
            ..NoteFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].body, "50% done");
}

async fn a_partner_link_is_removed_and_audited(db: &TestDb) {
    let s = &db.store;
    s.add_tenant(&actor(), &tenant(T1, "a.onmicrosoft.com", "C"))
        .await
        .unwrap();
    s.add_tenant_partner(&actor(), T1, "Fabrikam", true)
        .await
        .unwrap();
    s.add_tenant_partner(&actor(), T1, "Northwind", false)
        .await
        .unwrap();
    let left = s
        .remove_tenant_partner(&actor(), T1, " Fabrikam ")
        .await
        .unwrap();
    assert_eq!(left, vec![("Northwind".to_string(), false)]);
    assert!(matches!(
        s.remove_tenant_partner(&actor(), T1, "Fabrikam").await,
        Err(StoreError::NotFound(_))
    ));
    let log = s.audit_for(T1, 10).await.unwrap();
    let text = serde_json::to_string(&log).unwrap();
    assert!(
        text.contains("\"delete\"") && text.contains("Fabrikam"),
        "{text}"
    );
}
