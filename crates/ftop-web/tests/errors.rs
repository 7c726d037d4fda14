//! The error path under real faults: the store is broken on purpose through raw SQL on the
//! test's SQLite file, then an API route and a page are called. An internal failure answers
//! 500 with a short reference ID and nothing of the cause; the cause is logged under the same
//! reference. A store that fails while reading the session is never taken for "not signed
//! in", and a tab whose query fails fails the page instead of showing an empty tab.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::http::{StatusCode, header};
use common::{Harness, Who};
use ftop_domain::UserRole;

const T: &str = "871e613c-59df-73c1-b016-f93aac00dccd";

/// What must never reach a client when the database fails.
const CAUSES: [&str; 6] = [
    "no such table",
    "sqlite",
    "SQLite",
    "database error",
    "SELECT",
    "notes.",
];

async fn harness() -> Harness {
    let mut h = Harness::new().await;
    h.tenant(T, "t.onmicrosoft.com", &[("exchange", 300, None)])
        .await;
    h.person("admin", UserRole::Admin, None).await;
    h
}

fn is_reference(r: &str) -> bool {
    r.len() == 10
        && r.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn assert_no_cause(body: &str) {
    for c in CAUSES {
        assert!(!body.contains(c), "`{c}` leaked to the client:\n{body}");
    }
}

/// The reference shown on an error page (`<code class="reference">ID</code>`).
fn page_reference(html: &str) -> String {
    let start = html
        .find("class=\"reference\">")
        .unwrap_or_else(|| panic!("no reference on the page:\n{html}"))
        + "class=\"reference\">".len();
    html[start..start + html[start..].find('<').unwrap()].to_string()
}

#[tokio::test]
async fn an_internal_failure_is_a_500_with_a_reference_and_nothing_internal() {
    let h = harness().await;
    // Works before the fault.
    let path = format!("/api/v1/tenants/{T}/notes");
    assert_eq!(
        h.api("admin", "GET", &path, None).await.status,
        StatusCode::OK
    );
    h.sql("DROP TABLE notes;");
    let log = common::log::capture();

    // The API: the JSON envelope with code, generic message and the reference only.
    let r = h.api("admin", "GET", &path, None).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.body);
    let e = &r.json()["error"];
    assert_eq!(e["code"], "internal");
    assert_eq!(e["fields"], serde_json::json!([]));
    let api_ref = e["reference"].as_str().unwrap().to_string();
    assert!(is_reference(&api_ref), "{api_ref}");
    assert_no_cause(&r.body);

    // A page (the Status tab lists the notes): an HTML page in the reader's language.
    let req = h
        .request(Who::Session("admin"), "GET", &format!("/tenants/{T}"))
        .header(header::ACCEPT_LANGUAGE, "es-ES,es;q=0.9")
        .body(axum::body::Body::empty())
        .unwrap();
    let p = h.send(req).await;
    assert_eq!(p.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", p.body);
    assert!(
        p.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{:?}",
        p.headers
    );
    assert!(p.body.contains("<html lang=\"es\""), "{}", p.body);
    assert!(p.body.contains("Algo salió mal"), "{}", p.body);
    let page_ref = page_reference(&p.body);
    assert!(is_reference(&page_ref), "{page_ref}");
    assert_ne!(page_ref, api_ref, "every failure gets its own reference");
    assert_no_cause(&p.body);

    // The cause is in the log, under the same references.
    let text = log.text();
    for r in [&api_ref, &page_ref] {
        let line = text
            .lines()
            .find(|l| l.contains(r.as_str()))
            .unwrap_or_else(|| panic!("reference {r} not logged:\n{text}"));
        assert!(line.contains("no such table"), "{line}");
        assert!(line.contains("ERROR"), "{line}");
    }
}

#[tokio::test]
async fn a_store_failure_while_reading_the_session_is_not_signed_out() {
    let h = harness().await;
    h.sql("DROP TABLE sessions;");
    // A page with a session cookie: an error page, not the sign-in page.
    let p = h.page("admin", &format!("/tenants/{T}")).await;
    assert_eq!(p.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", p.body);
    assert_eq!(p.location(), "", "no redirect to sign in");
    assert!(!p.body.contains("/signin"), "{}", p.body);
    assert!(!p.body.contains("Sign in"), "{}", p.body);
    assert!(is_reference(&page_reference(&p.body)));
    assert_no_cause(&p.body);
    // The API with the same cookie: 500, not 401.
    let r = h.get(Who::Session("admin"), "/api/v1/me").await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "internal");
    assert_no_cause(&r.body);

    // Bearer tokens: the same when their table fails.
    h.sql("DROP TABLE api_tokens;");
    let r = h.api("admin", "GET", "/api/v1/tenants", None).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.body);
    assert_ne!(r.json()["error"]["code"], "unauthenticated");
    assert_no_cause(&r.body);
}

#[tokio::test]
async fn a_tab_whose_query_fails_fails_the_page_instead_of_showing_empty() {
    let h = harness().await;
    for (table, tab) in [
        ("contacts", "contacts"),
        ("time_entries", "time"),
        ("audit_log", "history"),
        ("tenant_partners", "partners"),
    ] {
        let path = format!("/tenants/{T}?tab={tab}");
        assert_eq!(h.page("admin", &path).await.status, StatusCode::OK, "{tab}");
        h.sql(&format!("ALTER TABLE {table} RENAME TO {table}_gone;"));
        let p = h.page("admin", &path).await;
        assert_eq!(
            p.status,
            StatusCode::INTERNAL_SERVER_ERROR,
            "{tab}: {}",
            p.body
        );
        assert!(is_reference(&page_reference(&p.body)), "{tab}");
        assert_no_cause(&p.body);
        h.sql(&format!("ALTER TABLE {table}_gone RENAME TO {table};"));
        assert_eq!(h.page("admin", &path).await.status, StatusCode::OK, "{tab}");
    }
}

#[tokio::test]
async fn known_errors_keep_their_status_on_pages_and_the_api() {
    let mut h = harness().await;
    h.person("gus", UserRole::Guest, None).await;
    // 404 page in the reader's language, through the layout (HTML, not JSON).
    let p = h
        .page("admin", "/tenants/0f8fad5b-d9cb-469f-a165-000000000000")
        .await;
    assert_eq!(p.status, StatusCode::NOT_FOUND);
    assert!(p.body.starts_with("<!DOCTYPE html>"), "{}", p.body);
    // A form without its CSRF token: 403 page, in words, not plain text.
    let p = h
        .post_form(
            Who::Session("admin"),
            &format!("/tenants/{T}/notes"),
            "csrf=wrong&category=engagement-management&body=x&save=1",
        )
        .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    assert!(p.body.contains("security token"), "{}", p.body);
    // A guest may not open the editor: 403 page.
    let p = h.page("gus", "/notes/new").await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    assert!(p.body.contains("Not allowed"), "{}", p.body);
    // No reference on errors the user can act on.
    let r = h.api("admin", "GET", "/api/v1/nothing", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.json()["error"].get("reference").is_none(), "{}", r.body);
}

/// A page whose ID cannot be read is not there: a 404 page in the reader's language, with no
/// parser wording; the API names the parameter (400 in its envelope).
#[tokio::test]
async fn an_unreadable_id_in_a_path_is_not_found_in_the_readers_language() {
    let mut h = harness().await;
    h.lang = Some("zh".into());
    for path in [
        format!("/tenants/{T}/tasks/abc"),
        format!("/tenants/{T}/tasks/99999999999999999999"),
    ] {
        let r = h.page("admin", &path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.body);
        assert!(r.body.contains("未找到"), "{}", r.body);
        for english in ["whole number", "cannot be read", "path"] {
            assert!(!r.body.contains(english), "{english} in {}", r.body);
        }
    }
    let r = h
        .api(
            "admin",
            "PATCH",
            &format!("/api/v1/tenants/{T}/tasks/abc"),
            Some(serde_json::json!({"version": 0})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(
        r.json()["error"]["fields"][0]["field"],
        "path",
        "{}",
        r.body
    );
}
