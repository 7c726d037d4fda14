//! Editing a tenant after it was created (name, customer, services, with its engagement
//! fields, all or nothing) through `PATCH /api/v1/tenants/{id}` and the portal's edit
//! form, and the eligibility exception administrators grant with a reason.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{Harness, enc};
use ftop_domain::{AssignmentRole, UserRole};
use serde_json::json;

const T: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
const OTHER: &str = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";

async fn harness() -> Harness {
    let mut h = Harness::new().await;
    h.people(
        &[UserRole::Admin, UserRole::Manager, UserRole::Engineer],
        "P Org",
    )
    .await;
    h.tenant(T, "contoso.onmicrosoft.com", &[("exchange", 300, None)])
        .await;
    h.tenant(OTHER, "fabrikam.onmicrosoft.com", &[("exchange", 50, None)])
        .await;
    for (who, role) in [
        ("manager", AssignmentRole::FastTrackManager),
        ("engineer", AssignmentRole::FastTrackEngineer),
    ] {
        h.assign(T, who, role).await;
    }
    h
}

#[tokio::test]
async fn a_tenant_record_changes_with_its_engagement_all_or_nothing() {
    let h = harness().await;
    let v = h.store.tenant(T).await.unwrap().version;
    let path = format!("/api/v1/tenants/{T}");

    // Refused: qualified seats above the entitlements and a name another tenant has; the
    // status note sent with them is not kept either.
    let r = h
        .api(
            "manager",
            "PATCH",
            &path,
            Some(json!({"version": v, "status_note": "kept?", "tenant_name": "fabrikam.onmicrosoft.com",
                "services": [{"service": "teams", "entitlements": 10, "qualified_entitlements": 20}]})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let fields: Vec<String> = r.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect();
    assert!(
        fields.contains(&"services[0].qualified_entitlements".to_string()),
        "{fields:?}"
    );
    let t = h.store.tenant(T).await.unwrap();
    assert_eq!(
        (t.version, t.status_note.as_str(), t.services.len()),
        (v, "", 1)
    );
    // The name of another tenant, alone: named as taken.
    let r = h
        .api(
            "manager",
            "PATCH",
            &path,
            Some(json!({"version": v, "tenant_name": "fabrikam.onmicrosoft.com"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("invalid-tenant-name-taken"), "{}", r.body);

    // Accepted: a new name and customer, Exchange's seats changed, Teams added, and the
    // status note, in one change.
    let r = h
        .api(
            "manager",
            "PATCH",
            &path,
            Some(json!({"version": v, "status_note": "renamed after the merger",
                "tenant_name": "contoso-group.onmicrosoft.com", "customer": "Contoso Group",
                "services": [{"service": "exchange", "entitlements": 400, "qualified_entitlements": 350},
                             {"service": "teams", "entitlements": 120}]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let t = h.store.tenant(T).await.unwrap();
    assert_eq!(t.name, "contoso-group.onmicrosoft.com");
    assert_eq!(t.customer, "Contoso Group");
    assert_eq!(t.status_note, "renamed after the merger");
    let seats: Vec<(String, i64, i64)> = t
        .services
        .iter()
        .map(|s| (s.service.clone(), s.entitlements, s.qualified))
        .collect();
    assert_eq!(
        seats,
        vec![
            ("exchange".to_string(), 400, 350),
            ("teams".to_string(), 120, 120)
        ]
    );
    // The status rows follow the new entitlements.
    let rows = h.store.service_status(T, "exchange").await.unwrap();
    assert_eq!(rows.rows.iter().map(|r| r.count).sum::<u64>(), 400);
    // History: the record, each service and the note, each an entry of this change.
    let history = h
        .api("manager", "GET", &format!("{path}/history"), None)
        .await
        .json();
    let entries: Vec<(String, String, String)> = history["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["actor"] == "manager")
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or_default().to_string();
            (s("entity"), s("action"), s("after"))
        })
        .collect();
    assert_eq!(entries.len(), 4, "{entries:?}");
    assert!(
        entries
            .iter()
            .any(|(e, a, after)| e == "tenant" && a == "update" && after.contains("contoso-group"))
    );
    assert!(entries.iter().any(|(e, a, after)| e == "tenant"
        && a == "update"
        && after.contains("renamed after the merger")));
    assert!(
        entries
            .iter()
            .any(|(e, a, after)| e == "service" && a == "update" && after.contains("400"))
    );
    assert!(
        entries
            .iter()
            .any(|(e, a, _)| e == "service" && a == "create")
    );

    // The version read before is stale now.
    let r = h
        .api(
            "manager",
            "PATCH",
            &path,
            Some(json!({"version": v, "customer": "Late"})),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);

    // An engineer changes the engagement but not the record.
    let v = h.store.tenant(T).await.unwrap().version;
    let r = h
        .api(
            "engineer",
            "PATCH",
            &path,
            Some(json!({"version": v, "customer": "Engineers' choice"})),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = h
        .api(
            "engineer",
            "PATCH",
            &path,
            Some(json!({"version": v, "status_note": "engineer was here"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Sent back as read, the record changes nothing and needs no manager.
    let current = h.api("engineer", "GET", &path, None).await.json();
    let t = &current["tenant"];
    let v = t["version"].as_i64().unwrap();
    let r = h
        .api(
            "engineer",
            "PATCH",
            &path,
            Some(
                json!({"version": v, "tenant_name": t["name"], "customer": t["customer"],
                "status_note": "round trip"}),
            ),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // A manager not assigned to the other tenant changes its record (like creating one)
    // but not its engagement.
    let v = h.store.tenant(OTHER).await.unwrap().version;
    let r = h
        .api(
            "manager",
            "PATCH",
            &format!("/api/v1/tenants/{OTHER}"),
            Some(json!({"version": v, "customer": "Fabrikam Ltd"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = h.store.tenant(OTHER).await.unwrap().version;
    let r = h
        .api(
            "manager",
            "PATCH",
            &format!("/api/v1/tenants/{OTHER}"),
            Some(json!({"version": v, "status_note": "not mine"})),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
}

#[tokio::test]
async fn the_edit_form_keeps_what_was_typed_and_saves() {
    let h = harness().await;
    let tenant = h.page("manager", &format!("/tenants/{T}")).await;
    assert!(
        tenant.body.contains(&format!("/tenants/{T}/edit")),
        "the tenant page links to its edit form"
    );
    let engineer_view = h.page("engineer", &format!("/tenants/{T}")).await;
    assert!(!engineer_view.body.contains(&format!("/tenants/{T}/edit")));
    let form = h.page("manager", &format!("/tenants/{T}/edit")).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("value=\"contoso.onmicrosoft.com\""));
    assert!(form.body.contains("name=\"seats_exchange\" value=\"300\""));
    let v = h.store.tenant(T).await.unwrap().version;

    // Refused: the form comes back with the typed values and the reason.
    let typed = format!(
        "version={v}&tenant_name=contoso.onmicrosoft.com&customer={}&seats_exchange=300&seats_teams=5&qualified_teams=9",
        enc("Contoso Holdings")
    );
    let r = h
        .form("manager", &format!("/tenants/{T}/edit"), &typed)
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("value=\"Contoso Holdings\""));
    assert!(r.body.contains("name=\"qualified_teams\" value=\"9\""));
    assert_eq!(
        h.store.tenant(T).await.unwrap().customer,
        "C",
        "nothing saved"
    );

    // Saved.
    let typed = format!(
        "version={v}&tenant_name=contoso.onmicrosoft.com&customer={}&seats_exchange=300&seats_teams=5",
        enc("Contoso Holdings")
    );
    let r = h
        .form("manager", &format!("/tenants/{T}/edit"), &typed)
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), format!("/tenants/{T}?saved=edited"));
    let t = h.store.tenant(T).await.unwrap();
    assert_eq!(t.customer, "Contoso Holdings");
    assert_eq!(t.services.len(), 2);
    // Sent again with the old version: the conflict is said, and what was typed stays,
    // with the version as it is now, ready to be sent again.
    let typed = typed
        .replace("Contoso Holdings", "Contoso Worldwide")
        .replace("Holdings", "Worldwide");
    let r = h
        .form("manager", &format!("/tenants/{T}/edit"), &typed)
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("value=\"Contoso Worldwide\""), "{}", r.body);
    let now = h.store.tenant(T).await.unwrap().version;
    assert!(
        r.body
            .contains(&format!("name=\"version\" value=\"{now}\""))
    );
}

#[tokio::test]
async fn administrators_grant_eligibility_exceptions_with_a_reason() {
    let h = harness().await;
    let path = format!("/api/v1/tenants/{OTHER}/exception");
    let r = h
        .api(
            "manager",
            "PUT",
            &path,
            Some(json!({"exception": true, "reason": "WinRoom"})),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = h
        .api("admin", "PUT", &path, Some(json!({"exception": true})))
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "reason");
    let r = h
        .api(
            "admin",
            "PUT",
            &path,
            Some(json!({"exception": true, "reason": "WinRoom"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["tenant"]["program_exception"], true);
    assert_eq!(r.json()["tenant"]["exception_reason"], "WinRoom");

    // The Eligibility tab: 50 seats, eligible for the program by the exception, and why.
    let tab = h
        .page("manager", &format!("/tenants/{OTHER}?tab=eligibility"))
        .await;
    assert!(tab.body.contains("WinRoom"), "{}", tab.body);
    assert!(
        !tab.body.contains("/exception\""),
        "only administrators get the form"
    );
    let admin_tab = h
        .page("admin", &format!("/tenants/{OTHER}?tab=eligibility"))
        .await;
    assert!(
        admin_tab
            .body
            .contains(&format!("/tenants/{OTHER}/exception"))
    );
    // The history has it.
    let history = h
        .api(
            "admin",
            "GET",
            &format!("/api/v1/tenants/{OTHER}/history"),
            None,
        )
        .await
        .body;
    assert!(
        history.contains("exception") && history.contains("WinRoom"),
        "{history}"
    );

    // The History tab says it in words: the fields, their values and what they were.
    let tab = h
        .page("admin", &format!("/tenants/{OTHER}?tab=history"))
        .await;
    assert!(
        tab.body
            .contains("Tenant: Reason for the exception, Program exception changed"),
        "{}",
        tab.body
    );
    assert!(
        tab.body.contains("Reason for the exception: “WinRoom”"),
        "{}",
        tab.body
    );
    // Ended from the portal's form: the reason goes with it.
    let r = h
        .form("admin", &format!("/tenants/{OTHER}/exception"), "reason=")
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let t = h.store.tenant(OTHER).await.unwrap();
    assert!(!t.program_exception);
    assert_eq!(t.exception_reason, None);
}
