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

// Enterprise status (issue 15): the Status tab's section of an enterprise tenant (20,000
// qualified seats or the enterprise exception), its form and its API.

/// `days` from today, as a form or the API writes a day.
fn day(days: i64) -> String {
    (ftop_store::today() + time::Duration::days(days)).to_string()
}

/// T made an enterprise tenant by exception (it has 300 seats).
async fn enterprise(h: &Harness) {
    let v = h.store.tenant(T).await.unwrap().version;
    let u = ftop_store::EngagementUpdate {
        enterprise_exception: Some(true),
        ..Default::default()
    };
    h.store
        .update_engagement(&common::actor(), T, v, &u)
        .await
        .unwrap();
}

#[tokio::test]
async fn only_enterprise_tenants_have_an_enterprise_status() {
    let h = harness().await;
    // Neither tenant is an enterprise tenant yet: no section, and the API says why.
    let tab = h.page("manager", &format!("/tenants/{T}?tab=status")).await;
    assert_eq!(tab.status, 200);
    assert!(
        !tab.body.contains("id=\"enterprise-status\""),
        "{}",
        tab.body
    );
    let r = h
        .api(
            "manager",
            "GET",
            &format!("/api/v1/tenants/{T}/enterprise-status"),
            None,
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not an enterprise tenant"),
        "{}",
        r.body
    );
    let body = json!({"reasons": ["reactive"], "rag": "red", "summary": "s", "overview": "o",
        "next_update": day(7)});
    let r = h
        .api(
            "manager",
            "POST",
            &format!("/api/v1/tenants/{T}/enterprise-status"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    // The exception makes T one; OTHER (50 seats) stays without.
    enterprise(&h).await;
    let tab = h.page("manager", &format!("/tenants/{T}?tab=status")).await;
    assert!(
        tab.body.contains("id=\"enterprise-status\""),
        "{}",
        tab.body
    );
    assert!(tab.body.contains("No enterprise status has been recorded"));
    let r = h
        .api(
            "manager",
            "POST",
            &format!("/api/v1/tenants/{T}/enterprise-status"),
            Some(body),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let other = h
        .page("manager", &format!("/tenants/{OTHER}?tab=status"))
        .await;
    assert!(!other.body.contains("id=\"enterprise-status\""));
}

#[tokio::test]
async fn the_enterprise_form_keeps_what_was_typed_and_names_each_field() {
    let h = harness().await;
    enterprise(&h).await;
    let path = format!("/tenants/{T}/enterprise-status");
    // The form: labelled fields, the required ones marked and required.
    let tab = h.page("manager", &format!("/tenants/{T}?tab=status")).await;
    assert!(
        tab.body
            .contains(&format!("action=\"{path}#enterprise-add\""))
    );
    assert!(
        tab.body
            .contains("<label for=\"enterprise-summary\">Executive summary *</label>"),
        "{}",
        tab.body
    );
    assert!(tab.body.contains("Fields marked with * are required."));
    // Refused: no reason, no summary, a day gone by; what was typed comes back.
    let r = h
        .form(
            "manager",
            &path,
            &format!(
                "rag=amber&summary=+&overview=Exchange+60%25+migrated&risks=Budget+freeze&next_update={}",
                day(-1)
            ),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    for (name, says) in [
        ("reasons", "choose at least one reason"),
        ("summary", "required: fill it in"),
        ("next_update", "has already passed"),
    ] {
        let span = format!("<span class=\"field-error\" id=\"enterprise-error-{name}\">");
        let at = r
            .body
            .find(&span)
            .unwrap_or_else(|| panic!("no message beside {name}: {}", r.body));
        assert!(r.body[at..].contains(says), "{name}: {}", &r.body[at..]);
    }
    assert!(
        r.body
            .contains("aria-invalid=\"true\" aria-describedby=\"enterprise-error-summary\""),
        "{}",
        r.body
    );
    assert!(r.body.contains("Exchange 60% migrated</textarea>"));
    assert!(
        r.body.contains("value=\"amber\" required checked"),
        "{}",
        r.body
    );
    assert!(r.body.contains(&format!("value=\"{}\"", day(-1))));
    assert!(h.store.enterprise_statuses(T).await.unwrap().is_empty());
    // The message above the form names the fields in the reader's language too.
    assert!(r.body.contains("Executive summary: required"), "{}", r.body);

    // Saved: the current status with its badge in words, and the History tab has it.
    let r = h
        .form(
            "manager",
            &path,
            &format!(
                "reasons=major-brand&reasons=it-maturity&rag=amber&summary=MFA+waits+for+the+CISO&overview=Exchange+60%25+migrated&next_update={}",
                day(14)
            ),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.location().contains("tab=status&saved=enterprise-"));
    let tab = h.page("manager", &format!("/tenants/{T}?tab=status")).await;
    assert!(
        tab.body
            .contains("<span class=\"rag rag-amber\">Amber</span>"),
        "{}",
        tab.body
    );
    assert!(
        tab.body.contains("IT maturity, Major brand"),
        "{}",
        tab.body
    );
    assert!(tab.body.contains("Recorded "));
    assert!(!tab.body.contains("Update overdue"));
    assert!(!tab.body.contains("<details"), "one entry: nothing earlier");
    let history = h
        .page(
            "manager",
            &format!("/tenants/{T}?tab=history&kind=enterprise-status"),
        )
        .await;
    assert!(
        history
            .body
            .contains("<option value=\"enterprise-status\" selected>"),
        "{}",
        history.body
    );
    assert!(history.body.contains("Enterprise status entry"));
    assert!(
        history.body.contains("Status (red, amber, green): “Amber”"),
        "{}",
        history.body
    );
}

#[tokio::test]
async fn enterprise_status_history_overdue_and_who_adds() {
    let mut h = harness().await;
    enterprise(&h).await;
    let api = format!("/api/v1/tenants/{T}/enterprise-status");
    let entry = |rag: &str, summary: &str| {
        json!({"reasons": ["executive-relationship"], "rag": rag, "summary": summary,
            "overview": "Teams rolled out to 40%.", "next_update": day(0)})
    };
    // The engineer (assigned as engineer) and a guest read; only keepers add.
    h.person("gus", UserRole::Guest, None).await;
    let r = h
        .api("engineer", "POST", &api, Some(entry("red", "x")))
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let tab = h
        .page("engineer", &format!("/tenants/{T}?tab=status"))
        .await;
    assert!(!tab.body.contains("enterprise-status#enterprise-add"));
    assert!(tab.body.contains("Enterprise status entries are added by"));
    let r = h
        .form(
            "engineer",
            &format!("/tenants/{T}/enterprise-status"),
            "rag=red",
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    // Assigned as the tenant's FastTrack architect, the engineer may.
    h.assign(T, "engineer", AssignmentRole::Architect).await;
    let r = h
        .api(
            "engineer",
            "POST",
            &api,
            Some(entry("red", "Stalled on licences.")),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["status"]["author"], "engineer");
    let r = h
        .api(
            "manager",
            "POST",
            &api,
            Some(entry("green", "Back on track.")),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = h.api("gus", "POST", &api, Some(entry("green", "g"))).await;
    assert_eq!(r.status, 403, "{}", r.body);
    // Read: the current (newest) entry and the earlier ones.
    let r = h.api("gus", "GET", &api, None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["current"]["rag"], "green");
    assert_eq!(v["current"]["reasons"], json!(["executive-relationship"]));
    assert_eq!(v["earlier"].as_array().unwrap().len(), 1);
    assert_eq!(v["earlier"][0]["summary"], "Stalled on licences.");
    assert_eq!(v["overdue"], false);
    let tab = h.page("gus", &format!("/tenants/{T}?tab=status")).await;
    assert!(
        tab.body
            .contains("<span class=\"rag rag-green\">Green</span>")
    );
    assert!(tab.body.contains("Earlier entries (1)"), "{}", tab.body);
    let details = tab.body.find("<details").unwrap();
    assert!(tab.body[details..].contains("Stalled on licences."));
    assert!(tab.body[details..].contains("<span class=\"rag rag-red\">Red</span>"));
    // Once the next update's day has passed, the current status says it is overdue.
    h.sql("UPDATE enterprise_status SET next_update = '2020-01-31'");
    let tab = h.page("gus", &format!("/tenants/{T}?tab=status")).await;
    assert!(
        tab.body
            .contains("Update overdue: the next update was due on 2020-01-31."),
        "{}",
        tab.body
    );
    assert_eq!(
        h.api("gus", "GET", &api, None).await.json()["overdue"],
        true
    );
    // Dates as the reader writes them.
    h.lang = Some("es".into());
    let tab = h.page("gus", &format!("/tenants/{T}?tab=status")).await;
    assert!(tab.body.contains("31/01/2020"), "{}", tab.body);
    assert!(tab.body.contains(">Verde</span>"), "{}", tab.body);
}
