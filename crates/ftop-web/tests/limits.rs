//! Issue 18: limits on fields and requests, NUL characters, partner grants, tenant search
//! with `%` and `_`, and every rejection of the API in the one JSON envelope.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::body::Body;
use axum::http::{StatusCode, header};
use common::{Harness, Who};
use ftop_domain::UserRole;
use serde_json::json;

const T: &str = "871e613c-59df-73c1-b016-f93aac00dccd";

async fn setup() -> Harness {
    let mut h = Harness::new().await;
    h.tenant(T, "t.onmicrosoft.com", &[("teams", 10, None)])
        .await;
    h.person("ad", UserRole::Admin, None).await;
    h.person("mgr", UserRole::Manager, None).await;
    h.person("pa", UserRole::Partner, Some("Own Org")).await;
    h.store
        .add_tenant_partner(&common::actor(), T, "Own Org", false)
        .await
        .unwrap();
    h
}

/// The error envelope's code and the first field it names.
fn envelope(r: &common::Reply) -> (String, String) {
    let v = r.json();
    let e = &v["error"];
    (
        e["code"].as_str().unwrap_or("").to_string(),
        e["fields"][0]["field"].as_str().unwrap_or("").to_string(),
    )
}

#[tokio::test]
async fn a_partner_cannot_grant_other_organisations_access() {
    let h = setup().await;
    let r = h
        .form("pa", &format!("/tenants/{T}/partners"), "partner=Rival+Org")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let partners = h.store.tenant_partners(T).await.unwrap();
    assert_eq!(partners, vec![("Own Org".to_string(), false)]);
    // Nor remove its link, nor see the forms.
    let r = h
        .form(
            "pa",
            &format!("/tenants/{T}/partners/remove"),
            "partner=Own+Org&confirm=1",
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let page = h.page("pa", &format!("/tenants/{T}?tab=partners")).await;
    assert!(!page.body.contains("/partners/remove"), "{}", page.body);
    assert!(
        !page
            .body
            .contains(&format!("action=\"/tenants/{T}/partners\""))
    );
}

#[tokio::test]
async fn an_administrator_links_and_removes_with_confirmation_audited() {
    let h = setup().await;
    // Organisations are picked from the records, never made up by what was typed.
    let r = h
        .form("ad", &format!("/tenants/{T}/partners"), "partner=New+Org")
        .await;
    // The URL carries only the flag; the message is in the notice cookie.
    assert_eq!(r.location(), format!("/tenants/{T}?tab=partners&invalid=1"));
    let (_, message) = r.notice().expect("the notice cookie");
    assert_eq!(
        message,
        "Partner: there is no partner organisation named New Org; add it first"
    );
    assert_eq!(h.store.tenant_partners(T).await.unwrap().len(), 1);
    assert!(
        h.store
            .organisations()
            .await
            .unwrap()
            .iter()
            .all(|o| o.name != "New Org")
    );
    h.store
        .create_organisation(&common::actor(), "New Org")
        .await
        .unwrap();
    let page = h.page("ad", &format!("/tenants/{T}?tab=partners")).await;
    assert!(
        page.body.contains("<option value=\"New Org\">"),
        "{}",
        page.body
    );
    let r = h
        .form("ad", &format!("/tenants/{T}/partners"), "partner=New+Org")
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().contains("saved=partners"), "{}", r.location());
    let page = h.page("ad", &format!("/tenants/{T}?tab=partners")).await;
    assert!(page.body.contains("/partners/remove"));
    // Without the confirmation nothing is removed.
    let r = h
        .form(
            "ad",
            &format!("/tenants/{T}/partners/remove"),
            "partner=New+Org",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), format!("/tenants/{T}?tab=partners&invalid=1"));
    let (cookie, message) = r.notice().expect("the notice cookie");
    assert_eq!(message, "Confirmation: tick the box to confirm the removal");
    let page = h.page_with_cookie("ad", r.location(), &cookie).await;
    assert!(
        page.body
            .contains("<p class=\"flash error\" role=\"alert\">Confirmation: tick the box"),
        "{}",
        page.body
    );
    assert_eq!(h.store.tenant_partners(T).await.unwrap().len(), 2);
    let r = h
        .form(
            "ad",
            &format!("/tenants/{T}/partners/remove"),
            "partner=New+Org&confirm=1",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().contains("saved=partners"), "{}", r.location());
    assert_eq!(
        h.store.tenant_partners(T).await.unwrap(),
        vec![("Own Org".to_string(), false)]
    );
    let history = h
        .api("ad", "GET", &format!("/api/v1/tenants/{T}/history"), None)
        .await;
    let text = history.body;
    assert!(
        text.contains("tenant-partner") && text.contains("delete") && text.contains("New Org"),
        "{text}"
    );
    // Removing what is not linked: 404.
    let r = h
        .form(
            "ad",
            &format!("/tenants/{T}/partners/remove"),
            "partner=Nobody&confirm=1",
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn long_fields_are_refused_quoting_a_short_prefix() {
    let h = setup().await;
    let long = "x".repeat(100_000);
    let r = h
        .api(
            "ad",
            "POST",
            &format!("/api/v1/tenants/{T}/contacts"),
            Some(json!({"name": "Ida", "title": long, "email": format!("{long}@a.b")})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let v = r.json();
    let fields: Vec<&str> = v["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"title") && fields.contains(&"email"),
        "{fields:?}"
    );
    assert!(
        r.body.len() < 1_000,
        "the error echoes the value: {} bytes",
        r.body.len()
    );
    assert!(h.store.contacts(T).await.unwrap().is_empty());
}

#[tokio::test]
async fn nul_characters_are_refused_naming_the_field() {
    let h = setup().await;
    let r = h
        .api(
            "ad",
            "POST",
            &format!("/api/v1/tenants/{T}/notes"),
            Some(json!({"body": "a\u{0}b"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(envelope(&r), ("invalid".into(), "body".into()));
    let r = h
        .api(
            "ad",
            "POST",
            &format!("/api/v1/tenants/{T}/contacts"),
            Some(json!({"name": "Ida", "services": ["teams", "x\u{0}"]})),
        )
        .await;
    assert_eq!(envelope(&r), ("invalid".into(), "services[1]".into()));
    // In a query string, and in a form (a page: 422 error page naming it).
    let r = h.get(Who::Bearer("ad"), "/api/v1/tenants?q=a%00b").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(envelope(&r), ("invalid".into(), "q".into()));
    let r = h
        .form(
            "ad",
            &format!("/tenants/{T}/contacts"),
            "name=I%00da&kind=customer",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("<li>Name: contains a NUL"), "{}", r.body);
    // Before sign-in: the sign-in form's name.
    let r = h
        .post_form(
            Who::Anon,
            "/signin",
            "name=a%00b&password=x&csrf=abc&next=/",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // In a path.
    let r = h.get(Who::Bearer("ad"), "/api/v1/tenants/a%00b").await;
    assert_eq!(envelope(&r), ("invalid".into(), "id".into()));
    assert!(h.store.contacts(T).await.unwrap().is_empty());
}

#[tokio::test]
async fn unreadable_parameters_answer_in_the_envelope() {
    let h = setup().await;
    for (path, field) in [
        ("/api/v1/tenants?limit=abc", "limit"),
        ("/api/v1/tenants?mine=maybe", "mine"),
        ("/api/v1/tenants?offset=-1", "offset"),
        ("/api/v1/tenants?limit=0", "limit"),
        ("/api/v1/notes?window=7", "window"),
        ("/api/v1/adoption?window=nonsense", "window"),
        ("/api/v1/adoption?mine=maybe", "mine"),
        ("/api/v1/notes/drafts/abc", "draft"),
    ] {
        let r = h.get(Who::Bearer("ad"), path).await;
        assert!(
            r.status == StatusCode::BAD_REQUEST || r.status == StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {} {}",
            r.status,
            r.body
        );
        let (code, f) = envelope(&r);
        assert!(
            code == "bad-request" || code == "invalid",
            "{path}: {}",
            r.body
        );
        assert_eq!(f, field, "{path}: {}", r.body);
    }
    // A JSON body of the wrong shape names the property; unknown properties are accepted.
    let r = h
        .api(
            "ad",
            "POST",
            &format!("/api/v1/tenants/{T}/contacts"),
            Some(json!({"name": 5})),
        )
        .await;
    assert_eq!(envelope(&r), ("invalid".into(), "name".into()));
    let r = h
        .api(
            "ad",
            "POST",
            &format!("/api/v1/tenants/{T}/contacts"),
            Some(json!({"name": "Ida", "nickname": "I"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

#[tokio::test]
async fn bodies_over_the_limit_answer_413_chunked_or_not() {
    let h = setup().await;
    let big = format!("{{\"body\": \"{}\"}}", "x".repeat(3 << 20));
    let path = format!("/api/v1/tenants/{T}/notes");
    // With a Content-Length.
    let r = h
        .api_raw("ad", "POST", &path, "application/json", &big)
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert_eq!(envelope(&r).0, "too-large");
    // Chunked (no length announced).
    let (mut tx, chunked) = http_body_util::channel::Channel::<axum::body::Bytes>::new(4);
    let data = big.clone().into_bytes();
    tokio::spawn(async move {
        for c in data.chunks(64 << 10) {
            if tx
                .send_data(axum::body::Bytes::copy_from_slice(c))
                .await
                .is_err()
            {
                break;
            }
        }
    });
    let req = h
        .request(Who::Bearer("ad"), "POST", &path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::new(chunked))
        .unwrap();
    assert!(req.headers().get(header::CONTENT_LENGTH).is_none());
    let r = h.send(req).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert_eq!(envelope(&r).0, "too-large");
    // A page form: an error page with the same status.
    let form = format!("csrf={}&name={}", h.who("ad").csrf, "x".repeat(3 << 20));
    let r = h
        .post_form(Who::Session("ad"), &format!("/tenants/{T}/contacts"), &form)
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        r.body.contains("<html"),
        "{}",
        &r.body[..r.body.len().min(300)]
    );
}

#[tokio::test]
async fn tenant_search_takes_percent_and_underscore_literally() {
    let h = setup().await;
    h.tenant_of(
        "00000000-0000-0000-0000-000000000001",
        "a.onmicrosoft.com",
        "Fifty% Off_Sale",
        &[],
    )
    .await;
    let ids = |r: common::Reply| -> Vec<String> {
        r.json()["tenants"]
            .as_array()
            .or(r.json().as_array())
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|t| t["tenant_id"].as_str().unwrap().to_string())
            .collect()
    };
    for (q, n) in [
        ("%25", 1),
        ("_", 1),
        ("fifty%25", 1),
        ("y%25+o", 1),
        ("%5C", 0),
    ] {
        let r = h
            .get(Who::Bearer("ad"), &format!("/api/v1/tenants?q={q}"))
            .await;
        assert_eq!(ids(r).len(), n, "q={q}");
    }
}
