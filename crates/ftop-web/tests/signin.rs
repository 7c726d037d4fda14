//! Sign-in: argon2-checked passwords, a new session ID at every sign-in, cookie flags,
//! CSRF on the form, throttling after repeated failures, no open redirect, sign-out.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use ftop_domain::UserRole;
use ftop_store::{Actor, Store};
use std::net::SocketAddr;
use tower::ServiceExt;

async fn post(
    store: &Store,
    form: &str,
    cookie: &str,
    peer: u8,
) -> (StatusCode, String, Option<String>) {
    let mut req = Request::post("/signin")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", cookie)
        .body(Body::from(form.to_string()))
        .unwrap();
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([10, 0, 0, peer], 5000))));
    let res = ftop_web::router(ftop_web::App {
        store: store.clone(),
    })
    .oneshot(req)
    .await
    .unwrap();
    let loc = res
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let set = res
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_string());
    (res.status(), loc, set)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_is_checked_throttled_and_gives_a_fresh_secure_session() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}", dir.path().join("s.db").display()))
        .await
        .unwrap();
    store
        .add_user(
            &Actor::system("t"),
            "ann",
            UserRole::Manager,
            "a good password",
            None,
        )
        .await
        .unwrap();
    let csrf = "ftop_signin=tok";

    // The form's CSRF token must match its cookie.
    let (s, _, _) = post(
        &store,
        "name=ann&password=a+good+password&csrf=other",
        csrf,
        1,
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Success: a Secure, HttpOnly, SameSite cookie; a new session each time; `next` kept
    // only when it is a local path.
    let (s, loc, set) = post(
        &store,
        "name=ann&password=a+good+password&csrf=tok&next=%2Ftenants%2Fx",
        csrf,
        1,
    )
    .await;
    assert_eq!((s, loc.as_str()), (StatusCode::SEE_OTHER, "/tenants/x"));
    let c1 = set.unwrap();
    for flag in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
        assert!(c1.contains(flag), "{c1}");
    }
    let (_, loc, set) = post(
        &store,
        "name=ann&password=a+good+password&csrf=tok&next=https%3A%2F%2Fevil.example",
        csrf,
        1,
    )
    .await;
    assert_eq!(loc, "/");
    assert_ne!(
        set.unwrap().split(';').next(),
        c1.split(';').next(),
        "a new session ID at every sign-in"
    );
    let (_, loc, _) = post(
        &store,
        "name=ann&password=a+good+password&csrf=tok&next=%2F%2Fevil.example",
        csrf,
        1,
    )
    .await;
    assert_eq!(loc, "/");

    // Failures go back to the form; after five for one name, even the right password waits.
    for _ in 0..5 {
        let (s, loc, set) = post(&store, "name=ann&password=wrong&csrf=tok", csrf, 2).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert!(loc.starts_with("/signin?error=bad"), "{loc}");
        assert!(set.is_none());
    }
    let (_, loc, set) = post(
        &store,
        "name=ann&password=a+good+password&csrf=tok",
        csrf,
        3,
    )
    .await;
    assert!(loc.starts_with("/signin?error=throttled"), "{loc}");
    assert!(set.is_none());
    // An unknown name fails the same way as a wrong password.
    let (_, loc, _) = post(&store, "name=nobody&password=x&csrf=tok", csrf, 4).await;
    assert!(loc.starts_with("/signin?error=bad"), "{loc}");
}
