//! Sign-in: argon2-checked passwords, a new session ID at every sign-in, cookie flags,
//! CSRF on the form, throttling after repeated failures, no open redirect, sign-out.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use common::Harness;
use ftop_domain::UserRole;
use std::net::SocketAddr;

/// Posts the sign-in form from client address 10.0.0.`peer`: status, Location, Set-Cookie.
async fn post(
    h: &Harness,
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
    let r = h.send(req).await;
    let set = r
        .headers
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_string());
    (r.status, r.location().to_string(), set)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_is_checked_throttled_and_gives_a_fresh_secure_session() {
    let mut h = Harness::empty().await;
    h.person("ann", UserRole::Manager, None).await;
    let csrf = "ftop_signin=tok";

    // The form's CSRF token must match its cookie.
    let (s, _, _) = post(&h, "name=ann&password=a+good+password&csrf=other", csrf, 1).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Success: a Secure, HttpOnly, SameSite cookie; a new session each time; `next` kept
    // only when it is a local path.
    let (s, loc, set) = post(
        &h,
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
        &h,
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
        &h,
        "name=ann&password=a+good+password&csrf=tok&next=%2F%2Fevil.example",
        csrf,
        1,
    )
    .await;
    assert_eq!(loc, "/");

    // Failures go back to the form; after five for one name, even the right password waits.
    for _ in 0..5 {
        let (s, loc, set) = post(&h, "name=ann&password=wrong&csrf=tok", csrf, 2).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert!(loc.starts_with("/signin?error=bad"), "{loc}");
        assert!(set.is_none());
    }
    let (_, loc, set) = post(&h, "name=ann&password=a+good+password&csrf=tok", csrf, 3).await;
    assert!(loc.starts_with("/signin?error=throttled"), "{loc}");
    assert!(set.is_none());
    // An unknown name fails the same way as a wrong password.
    let (_, loc, _) = post(&h, "name=nobody&password=x&csrf=tok", csrf, 4).await;
    assert!(loc.starts_with("/signin?error=bad"), "{loc}");
}

#[tokio::test]
async fn the_harness_signs_in_through_the_real_form() {
    let mut h = Harness::empty().await;
    h.person("ann", UserRole::Manager, None).await;
    let (cookie, csrf) = h.sign_in("ann", common::PASSWORD).await;
    assert_ne!(cookie, h.who("ann").cookie, "a new session");
    let req = Request::get("/api/v1/me")
        .header("cookie", format!("ftop_session={cookie}"))
        .body(Body::empty())
        .unwrap();
    let me = h.send(req).await.json();
    assert_eq!(
        (me["user"]["name"].as_str(), me["csrf"].as_str()),
        (Some("ann"), Some(csrf.as_str()))
    );
}
