//! The JSON API's contract: the error envelope and its statuses (401, 404, 409, 422), the
//! CSRF rule for session-cookie changes, and security headers on every response.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::Harness;
use ftop_domain::UserRole;

const T: &str = "871e613c-59df-73c1-b016-f93aac00dccd";

/// A tenant with Teams, an administrator `ad`, and the ID of one of the tenant's tasks.
async fn setup() -> (Harness, u32) {
    let mut h = Harness::new().await;
    h.tenant(T, "t.onmicrosoft.com", &[("teams", 10, None)])
        .await;
    h.person("ad", UserRole::Admin, None).await;
    let task = h.store.tenant_tasks(T).await.unwrap()[0].task_id;
    (h, task)
}

async fn send(
    h: &Harness,
    req: Request<Body>,
) -> (StatusCode, serde_json::Value, axum::http::HeaderMap) {
    let r = h.send(req).await;
    (r.status, r.json_or_null(), r.headers)
}

fn patch(path: &str, auth: (&str, &str), body: &str) -> Request<Body> {
    Request::builder()
        .method("PATCH")
        .uri(path)
        .header(auth.0, auth.1)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_use_one_envelope_with_the_right_status() {
    let (h, task) = setup().await;
    let bearer = format!("Bearer {}", h.who("ad").token);
    let cookie = h.who("ad").cookie.clone();
    let path = format!("/api/v1/tenants/{T}/tasks/{task}");
    // 401 without credentials.
    let (s, body, headers) = send(
        &h,
        Request::get("/api/v1/tenants").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthenticated");
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("script-src 'self'")
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    // 422 with field errors.
    let (s, body, _) = send(
        &h,
        patch(
            &path,
            ("authorization", &bearer),
            r#"{"version": 0, "status": "done", "percent": 5}"#,
        ),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "status");
    let (s, body, _) = send(
        &h,
        patch(
            &path,
            ("authorization", &bearer),
            r#"{"version": 0, "percent": 250}"#,
        ),
    )
    .await;
    assert_eq!(
        (s, body["error"]["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("percent"))
    );
    let (s, body, _) = send(&h, patch(&path, ("authorization", &bearer), "{not json")).await;
    assert_eq!(
        (s, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid"))
    );
    // 200, then 409 for the same (now stale) version.
    let (s, body, _) = send(
        &h,
        patch(
            &path,
            ("authorization", &bearer),
            r#"{"version": 0, "status": "complete"}"#,
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(
        (
            body["task"]["status"].as_str(),
            body["task"]["version"].as_i64()
        ),
        (Some("complete"), Some(1))
    );
    let (s, body, _) = send(
        &h,
        patch(
            &path,
            ("authorization", &bearer),
            r#"{"version": 0, "status": "in-progress"}"#,
        ),
    )
    .await;
    assert_eq!(
        (s, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );
    // 404 for a tenant that does not exist, and for an unknown route.
    let (s, _, _) = send(
        &h,
        Request::get("/api/v1/tenants/0f8fad5b-d9cb-469f-a165-000000000000")
            .header("authorization", &bearer)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, body, _) = send(
        &h,
        Request::get("/api/v1/nothing")
            .header("authorization", &bearer)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(
        (s, body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not-found"))
    );
    // A session cookie alone may read but needs the CSRF header to change anything.
    let c = ("cookie", format!("ftop_session={cookie}"));
    let (s, _, _) = send(
        &h,
        patch(
            &path,
            (c.0, &c.1),
            r#"{"version": 1, "status": "in-progress"}"#,
        ),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, me, _) = send(
        &h,
        Request::get("/api/v1/me")
            .header(c.0, &c.1)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let csrf = me["csrf"].as_str().unwrap().to_string();
    let mut req = patch(
        &path,
        (c.0, &c.1),
        r#"{"version": 1, "status": "in-progress"}"#,
    );
    req.headers_mut()
        .insert("x-csrf-token", csrf.parse().unwrap());
    let (s, body, _) = send(&h, req).await;
    assert_eq!(
        (s, body["task"]["version"].as_i64()),
        (StatusCode::OK, Some(2))
    );
    // The OpenAPI document is served and parses.
    let (s, doc, _) = send(
        &h,
        Request::get("/api/v1/openapi.json")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(doc["paths"]["/tenants/{id}/tasks/{task}"]["patch"].is_object());
}
