//! People administration through the API and the pages: users (create, list and search,
//! change role and organisation, deactivate and reactivate, reset a password), partner
//! organisations as records, partner admins confined to their organisation, and one's own
//! password and API tokens.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::http::StatusCode;
use common::{Harness, PASSWORD, Who, actor};
use ftop_domain::UserRole;
use serde_json::{Value, json};

const NEW_PASSWORD: &str = "quiet harbour lantern 58";

/// The codes of a 422's field errors, as `field:code`.
fn codes(v: &Value) -> Vec<String> {
    v["error"]["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    format!(
                        "{}:{}",
                        f["field"].as_str().unwrap(),
                        f["code"].as_str().unwrap()
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn world() -> Harness {
    let mut h = Harness::new().await;
    h.people(
        &[UserRole::Admin, UserRole::Manager, UserRole::Engineer],
        "",
    )
    .await;
    h
}

/// A bearer token for a user created through the API.
async fn token_of(h: &Harness, name: &str) -> String {
    h.store.create_token(&actor(), name, "test").await.unwrap()
}

#[tokio::test]
async fn an_admin_runs_users_and_organisations_through_the_api() {
    let h = world().await;
    // Organisations are records: created once, listed, renamed; never made up by a typo.
    let r = h
        .api(
            "admin",
            "POST",
            "/api/v1/partners",
            Some(json!({"name": "Contoso Partners"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let org = r.json()["partner"]["id"].as_i64().unwrap();
    let r = h
        .api(
            "admin",
            "POST",
            "/api/v1/partners",
            Some(json!({"name": "Contoso Partners"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(&r.json()), ["name:invalid-partner-exists"]);
    let r = h
        .api(
            "admin",
            "POST",
            "/api/v1/users",
            Some(json!({"name": "zed", "role": "partner", "password": NEW_PASSWORD, "partner": "Contoso Partnrs"})),
        )
        .await;
    assert_eq!(
        codes(&r.json()),
        ["partner:invalid-partner-unknown"],
        "{}",
        r.body
    );

    // Users: a manager and a partner admin; the password rule and the role rules hold.
    let r = h
        .api(
            "admin",
            "POST",
            "/api/v1/users",
            Some(json!({"name": "mia", "role": "manager", "password": "password1234"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        codes(&r.json()),
        ["password:invalid-password-common"],
        "{}",
        r.body
    );
    let r = h
        .api(
            "admin",
            "POST",
            "/api/v1/users",
            Some(json!({"name": "mia", "role": "manager", "password": NEW_PASSWORD})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["user"]["role"], "manager");
    assert_eq!(r.json()["user"]["active"], true);
    let r = h
        .api(
            "admin",
            "POST",
            "/api/v1/users",
            Some(
                json!({"name": "pam", "role": "partner", "password": NEW_PASSWORD,
                        "partner": "Contoso Partners", "partner_admin": true}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["user"]["partner"], "Contoso Partners");
    assert_eq!(r.json()["user"]["partner_admin"], true);
    let r = h
        .api(
            "admin",
            "POST",
            "/api/v1/users",
            Some(json!({"name": "ned", "role": "engineer", "password": NEW_PASSWORD, "partner_admin": true})),
        )
        .await;
    assert_eq!(
        codes(&r.json()),
        ["partner_admin:invalid-partner-admin-only"]
    );

    // Search finds by name or organisation, deactivated users included.
    let r = h
        .api("admin", "GET", "/api/v1/users?search=contoso", None)
        .await;
    let names: Vec<String> = r.json()["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["pam"]);
    let r = h
        .api("admin", "GET", "/api/v1/users?search=%25", None)
        .await;
    assert_eq!(r.json()["total"], 0, "% is a character, not a wildcard");

    // Rename keeps the members.
    let r = h
        .api(
            "admin",
            "PATCH",
            &format!("/api/v1/partners/{org}"),
            Some(json!({"name": "Contoso Services"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["partner"]["users"], 1);
    let r = h.api("admin", "GET", "/api/v1/users/pam", None).await;
    assert_eq!(r.json()["user"]["partner"], "Contoso Services");

    // Role change: a manager becomes an engineer; leaving the partner role leaves the
    // organisation.
    let before = h.store.audit_count().await.unwrap();
    let r = h
        .api(
            "admin",
            "PATCH",
            "/api/v1/users/mia",
            Some(json!({"role": "engineer"})),
        )
        .await;
    assert_eq!(r.json()["user"]["role"], "engineer", "{}", r.body);
    assert_eq!(h.store.audit_count().await.unwrap(), before + 1, "audited");
    let r = h
        .api(
            "admin",
            "PATCH",
            "/api/v1/users/pam",
            Some(json!({"role": "guest"})),
        )
        .await;
    assert_eq!(r.json()["user"]["partner"], Value::Null, "{}", r.body);
    assert_eq!(r.json()["user"]["partner_admin"], false);

    // A body is a JSON object: serde would read `[null, null]` as the fields in order.
    let r = h
        .api(
            "admin",
            "PATCH",
            "/api/v1/users/mia",
            Some(json!([null, null])),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(codes(&r.json()), ["body:invalid-body"]);

    // Nobody removes their own access by mistake.
    let r = h
        .api(
            "admin",
            "PATCH",
            "/api/v1/users/admin",
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(codes(&r.json()), ["active:invalid-user-self-active"]);
    let r = h
        .api(
            "admin",
            "PATCH",
            "/api/v1/users/admin",
            Some(json!({"role": "guest"})),
        )
        .await;
    assert_eq!(codes(&r.json()), ["role:invalid-user-self-role"]);

    // Other roles administer nobody; managers may list organisations but not create them.
    for who in ["manager", "engineer"] {
        let r = h.api(who, "GET", "/api/v1/users", None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
    }
    let r = h.api("manager", "GET", "/api/v1/partners", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = h
        .api(
            "manager",
            "POST",
            "/api/v1/partners",
            Some(json!({"name": "Mine"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn deactivation_ends_sessions_and_tokens_at_once() {
    let mut h = world().await;
    h.person("leo", UserRole::Engineer, None).await;
    let leo = h.who("leo").clone();
    assert_eq!(
        h.get(Who::Bearer("leo"), "/api/v1/me").await.status,
        StatusCode::OK
    );
    assert_eq!(h.page("leo", "/").await.status, StatusCode::OK);

    let r = h
        .api(
            "admin",
            "PATCH",
            "/api/v1/users/leo",
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["user"]["active"], false);
    assert_eq!(
        h.get(Who::Bearer("leo"), "/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    let r = h.page("leo", "/").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the session is gone");
    assert!(r.location().starts_with("/signin"));
    assert!(
        h.store
            .verify_password("leo", PASSWORD)
            .await
            .unwrap()
            .is_none()
    );

    // Reactivated: the old token stays revoked; signing in works again.
    let r = h
        .api(
            "admin",
            "PATCH",
            "/api/v1/users/leo",
            Some(json!({"active": true})),
        )
        .await;
    assert_eq!(r.json()["user"]["active"], true);
    let r = h
        .request(Who::Anon, "GET", "/api/v1/me")
        .header("authorization", format!("Bearer {}", leo.token))
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(h.send(r).await.status, StatusCode::UNAUTHORIZED);
    assert!(
        h.store
            .verify_password("leo", PASSWORD)
            .await
            .unwrap()
            .is_some()
    );

    // An administrator's password reset ends the user's sessions.
    let r = h
        .api(
            "admin",
            "PATCH",
            "/api/v1/users/leo",
            Some(json!({"password": NEW_PASSWORD})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        h.store
            .verify_password("leo", NEW_PASSWORD)
            .await
            .unwrap()
            .is_some()
    );
    let r = h
        .api(
            "admin",
            "PATCH",
            "/api/v1/users/leo",
            Some(json!({"password": "leo12345678901"})),
        )
        .await;
    assert_eq!(codes(&r.json()), ["password:invalid-password-has-name"]);
}

#[tokio::test]
async fn a_partner_admin_administers_only_their_own_organisation() {
    let h = world().await;
    h.store
        .create_organisation(&actor(), "Fabrikam")
        .await
        .unwrap();
    h.store
        .create_organisation(&actor(), "Northwind")
        .await
        .unwrap();
    for (name, org, admin) in [("pia", "Fabrikam", true), ("nora", "Northwind", false)] {
        let r = h
            .api(
                "admin",
                "POST",
                "/api/v1/users",
                Some(
                    json!({"name": name, "role": "partner", "password": NEW_PASSWORD,
                            "partner": org, "partner_admin": admin}),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let pia = token_of(&h, "pia").await;
    let call = |method: &'static str, path: String, body: Option<Value>| {
        let pia = pia.clone();
        let h = &h;
        async move {
            let req = h
                .request(Who::Anon, method, &path)
                .header("authorization", format!("Bearer {pia}"));
            let req = match body {
                Some(b) => req
                    .header("content-type", "application/json")
                    .body(axum::body::Body::from(b.to_string())),
                None => req.body(axum::body::Body::empty()),
            };
            h.send(req.unwrap()).await
        }
    };
    // Adds a partner user: the organisation is theirs whether or not they name it.
    let r = call(
        "POST",
        "/api/v1/users".into(),
        Some(json!({"name": "pete", "role": "partner", "password": NEW_PASSWORD})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["user"]["partner"], "Fabrikam");
    for body in [
        json!({"name": "max", "role": "manager", "password": NEW_PASSWORD}),
        json!({"name": "max", "role": "partner", "password": NEW_PASSWORD, "partner": "Northwind"}),
    ] {
        let r = call("POST", "/api/v1/users".into(), Some(body)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    }
    // Sees only their organisation's users; others do not exist for them.
    let r = call("GET", "/api/v1/users".into(), None).await;
    let names: Vec<String> = r.json()["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["pete", "pia"]);
    for other in ["nora", "admin"] {
        let r = call("GET", format!("/api/v1/users/{other}"), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{other}");
        let r = call(
            "PATCH",
            format!("/api/v1/users/{other}"),
            Some(json!({"active": false})),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{other}");
    }
    // Cannot move a member out of the organisation or change their role; can deactivate.
    let r = call(
        "PATCH",
        "/api/v1/users/pete".into(),
        Some(json!({"role": "manager"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = call(
        "PATCH",
        "/api/v1/users/pete".into(),
        Some(json!({"active": false})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["user"]["active"], false);
    // Organisations are for administrators and managers.
    let r = call("GET", "/api/v1/partners".into(), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn everyone_changes_their_own_password_and_manages_their_own_tokens() {
    let h = world().await;
    // Credentials are managed from a signed-in session, never with a token.
    let r = h
        .api(
            "engineer",
            "POST",
            "/api/v1/me/tokens",
            Some(json!({"label": "longer"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = h
        .api(
            "engineer",
            "PUT",
            "/api/v1/me/password",
            Some(json!({"current": PASSWORD, "password": NEW_PASSWORD})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // Tokens: created with a label, shown once, listed without the secret, revoked.
    let r = session(
        &h,
        "engineer",
        "POST",
        "/api/v1/me/tokens",
        json!({"label": "nightly report", "days": 30}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let token = r.json()["token"].as_str().unwrap().to_string();
    let id = r.json()["info"]["id"].as_i64().unwrap();
    assert_eq!(r.json()["info"]["label"], "nightly report");
    let req = h
        .request(Who::Anon, "GET", "/api/v1/me")
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(h.send(req).await.json()["user"]["name"], "engineer");
    let r = h.api("engineer", "GET", "/api/v1/me/tokens", None).await;
    assert!(!r.body.contains(&token), "the secret is never listed");
    assert!(r.body.contains("nightly report"));
    let r = session(
        &h,
        "engineer",
        "POST",
        "/api/v1/me/tokens",
        json!({"label": "  "}),
    )
    .await;
    assert_eq!(codes(&r.json()), ["label:invalid-token-label"]);
    // Someone else's token is not theirs to revoke.
    let r = h
        .api(
            "manager",
            "DELETE",
            &format!("/api/v1/me/tokens/{id}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = h
        .api(
            "engineer",
            "DELETE",
            &format!("/api/v1/me/tokens/{id}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let req = h
        .request(Who::Anon, "GET", "/api/v1/me")
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(h.send(req).await.status, StatusCode::UNAUTHORIZED);

    // The password: the current one first, the rule, then every session ends.
    let path = "/api/v1/me/password";
    let r = session(
        &h,
        "engineer",
        "PUT",
        path,
        json!({"current": "not it at all", "password": NEW_PASSWORD}),
    )
    .await;
    assert_eq!(
        codes(&r.json()),
        ["current:invalid-password-current"],
        "{}",
        r.body
    );
    let r = session(
        &h,
        "engineer",
        "PUT",
        path,
        json!({"current": PASSWORD, "password": "short"}),
    )
    .await;
    assert_eq!(codes(&r.json()), ["password:invalid-password-short"]);
    let r = session(
        &h,
        "engineer",
        "PUT",
        path,
        json!({"current": PASSWORD, "password": NEW_PASSWORD}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert!(
        h.store
            .verify_password("engineer", NEW_PASSWORD)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        h.page("engineer", "/").await.status,
        StatusCode::SEE_OTHER,
        "sessions ended"
    );
}

/// A JSON call from `who`'s browser session (cookie and CSRF header).
async fn session(h: &Harness, who: &str, method: &str, path: &str, body: Value) -> common::Reply {
    let req = h
        .request(Who::Session(who), method, path)
        .header("x-csrf-token", h.who(who).csrf.clone())
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .unwrap();
    h.send(req).await
}

#[tokio::test]
async fn what_the_review_found_stays_fixed() {
    let mut h = world().await;
    h.store
        .create_organisation(&actor(), "Fabrikam")
        .await
        .unwrap();
    h.store
        .create_organisation(&actor(), "Northwind")
        .await
        .unwrap();
    h.person("pia", UserRole::Partner, Some("Fabrikam")).await;
    h.person("pete", UserRole::Partner, Some("Fabrikam")).await;
    let flag = ftop_store::UserChange {
        partner_admin: Some(true),
        ..Default::default()
    };
    h.store.change_user(&actor(), "pia", &flag).await.unwrap();

    // One's own password only with the current one; not one's own partner-admin flag.
    let r = h
        .api(
            "admin",
            "PATCH",
            "/api/v1/users/admin",
            Some(json!({"password": NEW_PASSWORD})),
        )
        .await;
    assert_eq!(codes(&r.json()), ["password:invalid-user-self-password"]);
    let r = h
        .api(
            "pia",
            "PATCH",
            "/api/v1/users/pia",
            Some(json!({"partner_admin": false})),
        )
        .await;
    assert_eq!(codes(&r.json()), ["role:invalid-user-self-role"]);

    // A partner admin deactivates but does not reactivate.
    let r = h
        .api(
            "pia",
            "PATCH",
            "/api/v1/users/pete",
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = h
        .api(
            "pia",
            "PATCH",
            "/api/v1/users/pete",
            Some(json!({"active": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // Administering one organisation does not follow a move to another.
    let r = h
        .api(
            "admin",
            "PATCH",
            "/api/v1/users/pia",
            Some(json!({"partner": "Northwind"})),
        )
        .await;
    assert_eq!(r.json()["user"]["partner_admin"], false, "{}", r.body);

    // A deactivated account keeps its name: a new one cannot take it (422, not 500).
    let r = h
        .api(
            "admin",
            "POST",
            "/api/v1/users",
            Some(json!({"name": "pete", "role": "guest", "password": NEW_PASSWORD})),
        )
        .await;
    assert_eq!(codes(&r.json()), ["name:invalid-user-exists"], "{}", r.body);

    // A deactivated assignee does not block the rest of the set, and a leaver's
    // assignments can still be moved.
    h.tenant(T, "alpha.onmicrosoft.com", &[("exchange", 300, None)])
        .await;
    h.person("leo", UserRole::Engineer, None).await;
    h.store
        .assign(
            &actor(),
            T,
            "leo",
            ftop_domain::AssignmentRole::FastTrackEngineer,
            "",
            true,
        )
        .await
        .unwrap();
    h.store
        .set_user_disabled(&actor(), "leo", true)
        .await
        .unwrap();
    let path = format!("/api/v1/tenants/{T}/assignments");
    let mut set = h.api("manager", "GET", &path, None).await.json()["assignments"].clone();
    set.as_array_mut()
        .unwrap()
        .push(json!({"user": "manager", "role": "fm"}));
    let r = h
        .api("manager", "PUT", &path, Some(json!({"assignments": set})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = h
        .api(
            "manager",
            "PUT",
            &path,
            Some(json!({"assignments": [{"user": "leo", "role": "fm"}]})),
        )
        .await;
    assert_eq!(
        codes(&r.json()),
        ["assignments[0].user:invalid-user-inactive"],
        "new ones are checked"
    );
    let r = h
        .api(
            "manager",
            "POST",
            "/api/v1/reassignments",
            Some(json!({"from": "leo", "to": "engineer", "apply": true})),
        )
        .await;
    assert_eq!(r.json()["moved"], 1, "{}", r.body);

    // A manager's upload creates tenants but changes none they may not change.
    let other = "0f8fad5b-d9cb-469f-a165-70867728950e";
    h.tenant(other, "beta.onmicrosoft.com", &[("exchange", 300, None)])
        .await;
    let file = format!(
        "tenant_id,tenant_name,customer,service,entitlements\n{other},renamed.onmicrosoft.com,Other,Exchange,1\n"
    );
    let r = upload(&h, "manager", &file).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("Line 2") && r.body.contains("not assigned"),
        "{}",
        r.body
    );
    assert_eq!(
        h.store.tenant(other).await.unwrap().name,
        "beta.onmicrosoft.com"
    );
}

#[tokio::test]
async fn the_pages_keep_what_was_typed_and_confirm_a_deactivation() {
    let mut h = world().await;
    h.store
        .create_organisation(&actor(), "Fabrikam")
        .await
        .unwrap();
    h.person("pia", UserRole::Partner, Some("Fabrikam")).await;
    h.store
        .change_user(
            &actor(),
            "pia",
            &ftop_store::UserChange {
                partner_admin: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap();

    // The navigation offers Users to administrators and partner admins only.
    assert!(
        h.page("admin", "/")
            .await
            .body
            .contains("href=\"/admin/users\"")
    );
    assert!(
        h.page("pia", "/")
            .await
            .body
            .contains("href=\"/admin/users\"")
    );
    assert!(
        !h.page("engineer", "/")
            .await
            .body
            .contains("href=\"/admin/users\"")
    );
    assert_eq!(
        h.page("engineer", "/admin/users").await.status,
        StatusCode::FORBIDDEN
    );

    // A refused form comes back with what was typed (never the password) and why.
    let r = h
        .form(
            "admin",
            "/admin/users",
            "name=newbie&role=manager&partner=&password=short",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("value=\"newbie\""), "the name is kept");
    assert!(
        r.body.contains("<option value=\"manager\" selected"),
        "the role is kept"
    );
    assert!(!r.body.contains("value=\"short\""), "the password is not");
    assert!(r.body.contains("at least 12 characters"), "{}", r.body);

    let r = h
        .form(
            "admin",
            "/admin/users",
            &format!(
                "name=newbie&role=manager&partner=&password={}",
                common::enc(NEW_PASSWORD)
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/admin/users/newbie?done=created");
    let r = h.page("admin", "/admin/users/newbie?done=created").await;
    assert!(r.body.contains("The user was added."));

    // Unticking Active asks first and changes nothing; confirmed, it deactivates.
    let r = h
        .form("admin", "/admin/users/newbie", "role=manager&partner=")
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("name=\"confirm\""), "{}", r.body);
    assert!(
        h.store.user_by_name("newbie").await.unwrap().is_some(),
        "still active"
    );
    let r = h
        .form(
            "admin",
            "/admin/users/newbie",
            "role=manager&partner=&confirm=1",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        h.store.user_by_name("newbie").await.unwrap().is_none(),
        "deactivated"
    );

    // A partner admin's list shows their organisation only.
    let r = h.page("pia", "/admin/users").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains(">pia<") && !r.body.contains(">admin<"),
        "{}",
        r.body
    );

    // Organisations page: administrators only; a duplicate is refused with the name kept.
    assert_eq!(
        h.page("manager", "/admin/partners").await.status,
        StatusCode::FORBIDDEN
    );
    let r = h.form("admin", "/admin/partners", "name=Fabrikam").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("already exists"), "{}", r.body);

    // The account page: a token is shown once; a wrong current password is refused.
    let r = h
        .form("engineer", "/account/tokens", "label=laptop&days=7")
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(r.body.contains("<code>ftop_"), "{}", r.body);
    let r = h.page("engineer", "/account").await;
    assert!(r.body.contains("laptop") && !r.body.contains("<code>ftop_"));
    let r = h
        .form(
            "engineer",
            "/account/password",
            &format!("current=wrong&password={}", common::enc(NEW_PASSWORD)),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("not your current password"), "{}", r.body);
    let r = h
        .form(
            "engineer",
            "/account/password",
            &format!(
                "current={}&password={}",
                common::enc(PASSWORD),
                common::enc(NEW_PASSWORD)
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        r.headers["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("ftop_session="),
        "this browser gets a new session"
    );
}

const T: &str = "871e613c-59df-73c1-b016-f93aac00dccd";

#[tokio::test]
async fn assignments_are_replaced_as_a_set_by_those_who_may_assign() {
    let mut h = world().await;
    h.tenant(T, "contoso.onmicrosoft.com", &[("exchange", 300, None)])
        .await;
    h.person("gus", UserRole::Guest, None).await;
    h.store
        .create_organisation(&actor(), "Fabrikam")
        .await
        .unwrap();
    h.store
        .create_organisation(&actor(), "Northwind")
        .await
        .unwrap();
    h.store
        .add_tenant_partner(&actor(), T, "Fabrikam", false)
        .await
        .unwrap();
    h.person("pia", UserRole::Partner, Some("Fabrikam")).await;
    h.person("pete", UserRole::Partner, Some("Fabrikam")).await;
    h.person("nora", UserRole::Partner, Some("Northwind")).await;
    let admin_flag = ftop_store::UserChange {
        partner_admin: Some(true),
        ..Default::default()
    };
    h.store
        .change_user(&actor(), "pia", &admin_flag)
        .await
        .unwrap();
    let path = format!("/api/v1/tenants/{T}/assignments");
    let put = |who: &'static str, set: Value| {
        let h = &h;
        let path = path.clone();
        async move {
            h.api(who, "PUT", &path, Some(json!({ "assignments": set })))
                .await
        }
    };

    // Before: the engineer's "my active tenants" is empty.
    assert!(
        !h.page("engineer", "/")
            .await
            .body
            .contains("contoso.onmicrosoft.com")
    );
    let team = json!([
        {"user": "manager", "role": "fm"},
        {"user": "engineer", "role": "fe", "primary": true},
        {"user": "admin", "role": "fe", "service": "exchange"},
    ]);
    let r = put("manager", team.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let got = r.json()["assignments"].clone();
    assert_eq!(got.as_array().unwrap().len(), 3, "{got}");
    assert!(
        got.as_array().unwrap().iter().all(|a| a["primary"] == true),
        "the only one in its role and level is its primary: {got}"
    );
    assert!(
        got.as_array()
            .unwrap()
            .iter()
            .any(|a| a["service"] == "exchange")
    );
    assert!(
        got.as_array()
            .unwrap()
            .iter()
            .any(|a| a["service"].is_null())
    );
    // "My active tenants" follows at once.
    assert!(
        h.page("engineer", "/")
            .await
            .body
            .contains("contoso.onmicrosoft.com")
    );
    let r = h.api("engineer", "GET", &path, None).await;
    assert_eq!(r.json()["assignments"], got);

    // Exactly one primary per role and level; people fit their roles; services are held.
    let r = put(
        "manager",
        json!([{"user": "engineer", "role": "fe", "primary": true},
               {"user": "admin", "role": "fe", "primary": true}]),
    )
    .await;
    assert_eq!(
        codes(&r.json()),
        ["assignments:invalid-assignment-primary-twice"],
        "{}",
        r.body
    );
    let r = put(
        "manager",
        json!([{"user": "gus", "role": "fe"},
               {"user": "nora", "role": "p-fe"},
               {"user": "pete", "role": "fm"},
               {"user": "engineer", "role": "fe", "service": "teams"},
               {"user": "nobody", "role": "fe"},
               {"user": "engineer", "role": "xx"}]),
    )
    .await;
    assert_eq!(
        codes(&r.json()),
        [
            "assignments[0].user:invalid-assignment-user-role",
            "assignments[1].user:invalid-assignment-user-role",
            "assignments[2].user:invalid-assignment-user-role",
            "assignments[3].service:invalid-service-not-entitled",
            "assignments[4].user:invalid-user-unknown",
            "assignments[5].role:invalid-assignment-role",
        ],
        "{}",
        r.body
    );
    assert_eq!(
        h.api("admin", "GET", &path, None).await.json()["assignments"],
        got,
        "unchanged"
    );

    // A partner admin adds their own people to partner roles, and changes nothing else.
    let mut with_pete = team.as_array().unwrap().clone();
    with_pete.push(json!({"user": "pete", "role": "p-fe"}));
    let r = put("pia", Value::Array(with_pete.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["assignments"].as_array().unwrap().len(), 4);
    let r = put("pia", json!([{"user": "pete", "role": "p-fe"}])).await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "removing FastTrack staff: {}",
        r.body
    );
    // Engineers and guests assign nobody.
    for who in ["engineer", "gus"] {
        let r = put(who, Value::Array(with_pete.clone())).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
    }

    // Changing the primary: the new one is marked, the old one steps down; audited.
    let before = h.store.audit_count().await.unwrap();
    let r = put(
        "manager",
        json!([{"user": "manager", "role": "fm"},
               {"user": "engineer", "role": "fe"},
               {"user": "admin", "role": "fe", "primary": true},
               {"user": "admin", "role": "fe", "service": "exchange"},
               {"user": "pete", "role": "p-fe"}]),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let fe: Vec<(String, bool)> = r.json()["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["role"] == "fe" && a["service"].is_null())
        .map(|a| {
            (
                a["user"].as_str().unwrap().to_string(),
                a["primary"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        fe,
        [("admin".to_string(), true), ("engineer".to_string(), false)]
    );
    // One added (as the primary), one no longer primary: two entries.
    assert_eq!(h.store.audit_count().await.unwrap(), before + 2);
    let history = h
        .api(
            "admin",
            "GET",
            &format!("/api/v1/tenants/{T}/history"),
            None,
        )
        .await;
    assert!(history.body.contains("assignment"), "{}", history.body);
}

#[tokio::test]
async fn the_assignments_panel_adds_makes_primary_and_removes_after_confirmation() {
    let mut h = world().await;
    h.tenant(T, "contoso.onmicrosoft.com", &[("exchange", 300, None)])
        .await;
    h.person("eve", UserRole::Engineer, None).await;
    let tab = format!("/tenants/{T}?tab=assignments");
    let post = format!("/tenants/{T}/assignments");
    let r = h.page("manager", &tab).await;
    assert!(r.body.contains("Nobody is assigned"), "{}", r.body);
    assert!(
        r.body.contains("<option value=\"eve\">"),
        "FastTrack staff are offered"
    );

    for form in [
        "action=add&user=engineer&role=fe&service=",
        "action=add&user=eve&role=fe&service=",
    ] {
        let r = h.form("manager", &post, form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(
            r.location().contains("saved=assignments"),
            "{}",
            r.location()
        );
    }
    assert_eq!(
        primaries(&h).await,
        ["engineer"],
        "the first in a role is its primary"
    );
    // The forms name the assignment (not its row): eve becomes the primary.
    let r = h
        .form("manager", &post, "action=primary&user=eve&role=fe&service=")
        .await;
    assert!(
        r.location().contains("saved=assignments"),
        "{}",
        r.location()
    );
    assert_eq!(primaries(&h).await, ["eve"]);
    // Adding someone as the primary takes it from the one who had it.
    let r = h
        .form(
            "manager",
            &post,
            "action=add&user=manager&role=fe&service=&primary=1",
        )
        .await;
    assert!(
        r.location().contains("saved=assignments"),
        "{}",
        r.location()
    );
    assert_eq!(primaries(&h).await, ["manager"]);
    // Removing asks for the tick first.
    let r = h
        .form(
            "manager",
            &post,
            "action=remove&user=engineer&role=fe&service=",
        )
        .await;
    // The URL carries only the flag; the message is in the notice cookie.
    assert!(r.location().ends_with("&invalid=1"), "{}", r.location());
    let (cookie, message) = r.notice().expect("the notice cookie");
    assert_eq!(message, "Confirmation: tick the box to confirm the removal");
    let page = h.page_with_cookie("manager", r.location(), &cookie).await;
    assert!(
        page.body.contains(&format!(
            "<p class=\"flash error\" role=\"alert\">{message}</p>"
        )),
        "{}",
        page.body
    );
    assert_eq!(h.store.assignments(T).await.unwrap().len(), 3);
    let r = h
        .form(
            "manager",
            &post,
            "action=remove&user=engineer&role=fe&service=&confirm=1",
        )
        .await;
    assert!(
        r.location().contains("saved=assignments"),
        "{}",
        r.location()
    );
    assert_eq!(h.store.assignments(T).await.unwrap().len(), 2);
    // One that is gone meanwhile: 404, nothing else removed.
    let r = h
        .form(
            "manager",
            &post,
            "action=remove&user=engineer&role=fe&service=&confirm=1",
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(h.store.assignments(T).await.unwrap().len(), 2);
    // A refusal comes back to the tab with the reason.
    let r = h
        .form(
            "manager",
            &post,
            "action=add&user=eve&role=fe&service=teams",
        )
        .await;
    assert!(r.location().ends_with("&invalid=1"), "{}", r.location());
    let (_, message) = r.notice().expect("the notice cookie");
    assert!(
        !message.is_empty() && !r.location().contains("eve"),
        "{message}"
    );
    // Engineers see the panel without its controls.
    let r = h.page("engineer", &tab).await;
    assert!(r.body.contains("id=\"assignments\"") && !r.body.contains("action=\"/tenants/"));
    assert_eq!(
        h.form("engineer", &post, "action=add&user=eve&role=fe")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

/// The users who are primary in some role on T.
async fn primaries(h: &Harness) -> Vec<String> {
    h.store
        .assignments(T)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.primary)
        .map(|a| a.user)
        .collect()
}

#[tokio::test]
async fn bulk_reassignment_previews_leaves_rows_out_and_moves_the_rest_at_once() {
    let mut h = world().await;
    let t2 = "0f8fad5b-d9cb-469f-a165-70867728950e";
    let t3 = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
    for (id, name) in [
        (T, "alpha.onmicrosoft.com"),
        (t2, "beta.onmicrosoft.com"),
        (t3, "gamma.onmicrosoft.com"),
    ] {
        h.tenant(id, name, &[("exchange", 300, None)]).await;
    }
    h.person("eve", UserRole::Engineer, None).await;
    h.person("gus", UserRole::Guest, None).await;
    for (id, service) in [(T, ""), (t2, ""), (t3, "exchange")] {
        h.store
            .assign(
                &actor(),
                id,
                "engineer",
                ftop_domain::AssignmentRole::FastTrackEngineer,
                service,
                true,
            )
            .await
            .unwrap();
    }
    // eve already holds FE on t2: engineer's row there goes, eve becomes the primary.
    h.store
        .assign(
            &actor(),
            t2,
            "eve",
            ftop_domain::AssignmentRole::FastTrackEngineer,
            "",
            false,
        )
        .await
        .unwrap();
    let call = |who: &'static str, body: Value| {
        let h = &h;
        async move {
            h.api(who, "POST", "/api/v1/reassignments", Some(body))
                .await
        }
    };
    let r = call("manager", json!({"from": "engineer", "to": "eve"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let moves = r.json()["moves"].as_array().unwrap().clone();
    assert_eq!(moves.len(), 3, "tenant-level and service-level: {moves:?}");
    assert_eq!(
        (r.json()["selected"].clone(), r.json()["deselected"].clone()),
        (json!(3), json!(0))
    );
    let gamma = moves
        .iter()
        .find(|m| m["tenant_name"] == "gamma.onmicrosoft.com")
        .unwrap();
    assert_eq!(gamma["service"], "exchange");
    let alpha = moves
        .iter()
        .find(|m| m["tenant_name"] == "alpha.onmicrosoft.com")
        .unwrap()["id"]
        .clone();
    let r = call(
        "manager",
        json!({"from": "engineer", "to": "eve", "exclude": [alpha]}),
    )
    .await;
    assert_eq!(
        (r.json()["selected"].clone(), r.json()["deselected"].clone()),
        (json!(2), json!(1))
    );
    // The preview changed nothing.
    assert_eq!(
        h.store
            .reassignment_preview("engineer")
            .await
            .unwrap()
            .len(),
        3
    );

    // Refusals: the same person, someone whose role does not fit, other roles.
    let r = call(
        "manager",
        json!({"from": "engineer", "to": "engineer", "apply": true}),
    )
    .await;
    assert_eq!(codes(&r.json()), ["to:invalid-reassign-same"]);
    let r = call(
        "manager",
        json!({"from": "engineer", "to": "gus", "apply": true}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        codes(&r.json())
            .iter()
            .all(|c| c == "to:invalid-reassign-role"),
        "{}",
        r.body
    );
    assert_eq!(
        h.store
            .reassignment_preview("engineer")
            .await
            .unwrap()
            .len(),
        3,
        "all or nothing"
    );
    let r = call("engineer", json!({"from": "engineer", "to": "eve"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Applied: two move in one go, the excluded one stays; audited per assignment.
    let before = h.store.audit_count().await.unwrap();
    let r = call(
        "manager",
        json!({"from": "engineer", "to": "eve", "exclude": [alpha], "apply": true}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["moved"], 2);
    assert_eq!(h.store.audit_count().await.unwrap(), before + 2);
    let left = h.store.reassignment_preview("engineer").await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].tenant_name, "alpha.onmicrosoft.com");
    let on_t2 = h.store.assignments(t2).await.unwrap();
    assert_eq!(on_t2.len(), 1, "{on_t2:?}");
    assert_eq!((on_t2[0].user.as_str(), on_t2[0].primary), ("eve", true));
    let on_t3 = h.store.assignments(t3).await.unwrap();
    assert_eq!(
        (on_t3[0].user.as_str(), on_t3[0].service.as_str()),
        ("eve", "exchange")
    );

    // The page: preview with ticks and counts, a recount after unticking, no move without
    // the confirmation, then the move.
    let r = h
        .page("admin", "/admin/reassign?from=eve&to=engineer")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("2 selected, 0 deselected"), "{}", r.body);
    assert!(r.body.contains("There is no undo"));
    let ids: Vec<i64> = h
        .store
        .reassignment_preview("eve")
        .await
        .unwrap()
        .iter()
        .map(|m| m.id)
        .collect();
    let r = h
        .page(
            "admin",
            &format!(
                "/admin/reassign?from=eve&to=engineer&picked=1&all={}&all={}&keep={}",
                ids[0], ids[1], ids[0]
            ),
        )
        .await;
    assert!(r.body.contains("1 selected, 1 deselected"), "{}", r.body);
    let form = format!(
        "from=eve&to=engineer&picked=1&all={}&all={}&keep={}",
        ids[0], ids[1], ids[0]
    );
    let r = h.form("admin", "/admin/reassign", &form).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(h.store.reassignment_preview("eve").await.unwrap().len(), 2);
    let r = h
        .form("admin", "/admin/reassign", &format!("{form}&confirm=1"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/admin/reassign?done=1");
    assert_eq!(h.store.reassignment_preview("eve").await.unwrap().len(), 1);
    assert_eq!(
        h.page("engineer", "/admin/reassign").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn managers_create_tenants_through_the_api() {
    let h = world().await;
    let body = json!({
        "tenant_id": T,
        "tenant_name": "fresh.onmicrosoft.com",
        "customer": "Fresh Foods",
        "services": [{"service": "Exchange Online", "entitlements": 500, "qualified_entitlements": 400},
                     {"service": "teams", "entitlements": 200}],
    });
    let r = h
        .api("engineer", "POST", "/api/v1/tenants", Some(body.clone()))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = h
        .api("manager", "POST", "/api/v1/tenants", Some(body.clone()))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["tenant"]["name"], "fresh.onmicrosoft.com");
    let t = h.store.tenant(T).await.unwrap();
    let seats: Vec<(String, i64, i64)> = t
        .services
        .iter()
        .map(|s| (s.service.clone(), s.entitlements, s.qualified))
        .collect();
    assert_eq!(
        seats,
        [
            ("exchange".to_string(), 500, 400),
            ("teams".to_string(), 200, 200)
        ]
    );
    // The same ID again: 409 naming the field; bad fields: 422 naming each.
    let r = h
        .api("manager", "POST", "/api/v1/tenants", Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(codes(&r.json()), ["tenant_id:invalid-tenant-exists"]);
    let r = h
        .api(
            "admin",
            "POST",
            "/api/v1/tenants",
            Some(
                json!({"tenant_id": "not-a-guid", "tenant_name": "x y", "customer": "C",
                        "services": [{"service": "nosuch", "entitlements": 1}]}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let c = codes(&r.json());
    assert!(c.iter().any(|c| c.starts_with("tenant_id:")), "{c:?}");
    assert!(c.iter().any(|c| c.starts_with("tenant_name:")), "{c:?}");
    assert!(
        c.iter().any(|c| c.starts_with("services[0].service:")),
        "{c:?}"
    );
}

#[tokio::test]
async fn the_new_tenant_form_keeps_what_was_typed_and_creates_the_tenant() {
    let h = world().await;
    assert_eq!(
        h.page("engineer", "/tenants/new").await.status,
        StatusCode::FORBIDDEN
    );
    assert!(
        h.page("manager", "/")
            .await
            .body
            .contains("href=\"/tenants/new\"")
    );
    let r = h.page("manager", "/tenants/new").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("name=\"seats_exchange\""));
    let bad = "tenant_id=nope&tenant_name=fresh.onmicrosoft.com&customer=Fresh+Foods&seats_exchange=500&qualified_exchange=600";
    let r = h.form("manager", "/tenants/new", bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("value=\"Fresh Foods\"") && r.body.contains("value=\"600\""),
        "kept"
    );
    let good = format!(
        "tenant_id={T}&tenant_name=fresh.onmicrosoft.com&customer=Fresh+Foods&seats_exchange=500&qualified_exchange=&seats_teams="
    );
    let r = h.form("manager", "/tenants/new", &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/tenants/{T}?saved=created"));
    let t = h.store.tenant(T).await.unwrap();
    assert_eq!(t.services.len(), 1);
    assert_eq!(
        (t.services[0].entitlements, t.services[0].qualified),
        (500, 500)
    );
    let r = h.form("manager", "/tenants/new", &good).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("already exists"), "{}", r.body);
}

/// A multipart upload of `file` with the caller's CSRF token, as a browser sends it.
async fn upload(h: &Harness, who: &str, file: &str) -> common::Reply {
    let b = "----ftopboundary7d1";
    let csrf = h.who(who).csrf.clone();
    let body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t.csv\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n\
         --{b}--\r\n"
    );
    let req = h
        .request(Who::Session(who), "POST", "/tenants/import")
        .header("content-type", format!("multipart/form-data; boundary={b}"))
        .body(axum::body::Body::from(body))
        .unwrap();
    h.send(req).await
}

#[tokio::test]
async fn a_tenants_file_uploaded_in_the_portal_is_imported_all_or_nothing() {
    let h = world().await;
    let head = "tenant_id,tenant_name,customer,service,entitlements,qualified_entitlements";
    let mut good = vec![head.to_string()];
    for i in 0..10 {
        good.push(format!(
            "{i:08x}-d9cb-469f-a165-70867728950e,t{i}.onmicrosoft.com,Customer {i},Exchange,{},",
            100 + i
        ));
    }
    // A bad row on line 5 (Windows line ends): nothing is imported, the line is named.
    let mut bad = good.clone();
    bad[4] = "nope,t3.onmicrosoft.com,Customer 3,Exchange,103,".into();
    let r = upload(&h, "manager", &bad.join("\r\n")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Line 5"), "{}", r.body);
    assert!(r.body.contains("Nothing was imported"), "{}", r.body);
    assert_eq!(h.store.tenant_count().await.unwrap(), 0);
    let r = upload(
        &h,
        "manager",
        "tenant_id,tenant_name,service,entitlements\n",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("no `customer` column"), "{}", r.body);

    let r = upload(&h, "manager", &good.join("\n")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("10 rows: 10 tenants created"), "{}", r.body);
    assert_eq!(h.store.tenant_count().await.unwrap(), 10);
    // Again (by an administrator: the manager is assigned to none of them): no change.
    let r = upload(&h, "admin", &good.join("\n")).await;
    assert!(
        r.body
            .contains("0 tenants created, 0 updated, 0 services added or changed, 10 unchanged"),
        "{}",
        r.body
    );
    // Engineers do not import; a forged upload without the token is refused.
    assert_eq!(
        upload(&h, "engineer", &good.join("\n")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        h.page("manager", "/tenants/import").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn ones_own_work_queue_and_digest_settings() {
    const T: &str = "871e613c-59df-73c1-b016-f93aac00dccd";
    let mut h = Harness::new().await;
    h.person("eng", UserRole::Engineer, None).await;
    h.person("other", UserRole::Engineer, None).await;
    h.tenant(T, "contoso.onmicrosoft.com", &[("exchange", 100, None)])
        .await;
    h.assign(T, "eng", ftop_domain::AssignmentRole::FastTrackEngineer)
        .await;
    let t = h.store.tenant(T).await.unwrap();
    let old = (ftop_store::today() - time::Duration::days(30)).to_string();
    let u = ftop_store::EngagementUpdate {
        status_date: Some(old.clone()),
        ..Default::default()
    };
    h.store
        .update_engagement(&actor(), T, t.version, &u)
        .await
        .unwrap();

    // The API: the acceptance shape, the caller's own tenants only.
    let r = h.api("eng", "GET", "/api/v1/me/queue", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let items = r.json()["items"].as_array().unwrap().clone();
    let stale: Vec<&Value> = items
        .iter()
        .filter(|i| i["kind"] == "stale-status")
        .collect();
    assert_eq!(stale.len(), 1, "{items:?}");
    assert_eq!(stale[0]["tenant_id"], T);
    assert_eq!(stale[0]["link"], format!("/tenants/{T}?tab=status"));
    assert_eq!(
        stale[0]["due"],
        (ftop_store::today() - time::Duration::days(16)).to_string()
    );
    let r = h.api("other", "GET", "/api/v1/me/queue", None).await;
    assert_eq!(r.json(), json!({"items": []}));

    // The home page's section, above the grid.
    let home = h.page("eng", "/").await;
    assert_eq!(home.status, StatusCode::OK);
    let at = home
        .body
        .find("id=\"needs-me\"")
        .expect("the Needs me section");
    assert!(at < home.body.find("id=\"tenants\"").unwrap());
    assert!(
        home.body
            .contains(&format!("href=\"/tenants/{T}?tab=status\""))
    );
    assert!(home.body.contains("Overall status to update"));
    assert!(
        h.page("other", "/")
            .await
            .body
            .contains("Nothing is due on your tenants.")
    );

    // Digest settings on /account: saved, or refused naming the field.
    let r = h
        .form(
            "eng",
            "/account/digest",
            "email=eng%40example.com&language=es&time_zone=Europe%2FMadrid&digest=daily",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/account?done=digest");
    let s = h.store.digest_settings(h.who("eng").user.id).await.unwrap();
    assert_eq!(
        (
            s.email.as_deref(),
            s.language.as_str(),
            s.time_zone.as_str(),
            s.digest
        ),
        (
            Some("eng@example.com"),
            "es",
            "Europe/Madrid",
            ftop_store::DigestFrequency::Daily
        )
    );
    let page = h.page("eng", "/account?done=digest").await;
    assert!(
        page.body.contains("Digest settings saved."),
        "{}",
        page.body
    );
    assert!(page.body.contains("value=\"Europe/Madrid\""));
    let r = h
        .form(
            "eng",
            "/account/digest",
            "email=&language=en&time_zone=Mars%2FOlympus&digest=weekly",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Mars/Olympus"), "{}", r.body);
    let r = h
        .form(
            "eng",
            "/account/digest",
            "email=nobody&language=en&time_zone=UTC&digest=weekly",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Nothing changed by the refused forms.
    assert_eq!(
        h.store.digest_settings(h.who("eng").user.id).await.unwrap(),
        s
    );
}
