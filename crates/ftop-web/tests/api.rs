//! The JSON API's contract: the error envelope and its statuses (401, 404, 409, 422), the
//! CSRF rule for session-cookie changes, and security headers on every response.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use ftop_domain::UserRole;
use ftop_store::{Actor, NewTenant, PlaybookSource, Store};
use http_body_util::BodyExt;
use std::path::Path;
use tower::ServiceExt;

const T: &str = "871e613c-59df-73c1-b016-f93aac00dccd";

async fn setup() -> (Store, String, String, u32, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}", dir.path().join("a.db").display()))
        .await
        .unwrap();
    let a = Actor::system("test");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../playbook/en");
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let sources: Vec<PlaybookSource> = files
        .into_iter()
        .map(|f| PlaybookSource {
            root: String::new(),
            path: format!("en/{}", f.file_name().unwrap().to_string_lossy()),
            text: std::fs::read_to_string(&f).unwrap(),
        })
        .collect();
    store.load_playbook(&a, &sources).await.unwrap();
    store
        .add_tenant(
            &a,
            &NewTenant {
                tenant_id: T.into(),
                name: "t.onmicrosoft.com".into(),
                customer: "C".into(),
                services: vec![("teams".into(), 10, None)],
            },
        )
        .await
        .unwrap();
    let u = store
        .add_user(&a, "ad", UserRole::Admin, "a good password", None)
        .await
        .unwrap();
    let token = store.create_token(&a, "ad", "t").await.unwrap();
    let (cookie, _) = store.create_session(&u).await.unwrap();
    let task = store.tenant_tasks(T).await.unwrap()[0].task_id;
    (store, token, cookie, task, dir)
}

async fn send(
    store: &Store,
    req: Request<Body>,
) -> (StatusCode, serde_json::Value, axum::http::HeaderMap) {
    let res = ftop_web::router(ftop_web::App {
        store: store.clone(),
    })
    .oneshot(req)
    .await
    .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
        headers,
    )
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
    let (store, token, cookie, task, _d) = setup().await;
    let bearer = format!("Bearer {token}");
    let path = format!("/api/v1/tenants/{T}/tasks/{task}");
    // 401 without credentials.
    let (s, body, headers) = send(
        &store,
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
        &store,
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
        &store,
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
    let (s, body, _) = send(
        &store,
        patch(&path, ("authorization", &bearer), "{not json"),
    )
    .await;
    assert_eq!(
        (s, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid"))
    );
    // 200, then 409 for the same (now stale) version.
    let (s, body, _) = send(
        &store,
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
        &store,
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
        &store,
        Request::get("/api/v1/tenants/0f8fad5b-d9cb-469f-a165-000000000000")
            .header("authorization", &bearer)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, body, _) = send(
        &store,
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
        &store,
        patch(
            &path,
            (c.0, &c.1),
            r#"{"version": 1, "status": "in-progress"}"#,
        ),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, me, _) = send(
        &store,
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
    let (s, body, _) = send(&store, req).await;
    assert_eq!(
        (s, body["task"]["version"].as_i64()),
        (StatusCode::OK, Some(2))
    );
    // The OpenAPI document is served and parses.
    let (s, doc, _) = send(
        &store,
        Request::get("/api/v1/openapi.json")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(doc["paths"]["/tenants/{id}/tasks/{task}"]["patch"].is_object());
}
