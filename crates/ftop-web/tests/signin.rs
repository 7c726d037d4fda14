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

/// The sign-in form for `name`/`password` from 10.0.`net`.`host`, with `next`.
fn form_req(name: &str, password: &str, next: &str, net: u8, host: u8) -> Request<Body> {
    let mut req = Request::post("/signin")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", "ftop_signin=tok")
        .body(Body::from(format!(
            "name={name}&password={password}&csrf=tok&next={next}"
        )))
        .unwrap();
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([10, 0, net, host], 5000))));
    req
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_guesses_check_at_most_the_limit() {
    use tower::ServiceExt;
    let mut h = Harness::empty().await;
    h.person("ann", UserRole::Manager, None).await;
    let router = ftop_web::router(ftop_web::App::new(h.store.clone()));
    // 100 guesses at once from 100 addresses, the real password 26th.
    let mut set = tokio::task::JoinSet::new();
    for i in 0..100u8 {
        let pw = if i == 25 {
            "a+good+password".to_string()
        } else {
            format!("guess+{i}+xyz")
        };
        let req = form_req("ann", &pw, "/", 1, i);
        let r = router.clone();
        set.spawn(async move { r.oneshot(req).await.unwrap() });
    }
    let (mut checked, mut throttled, mut busy) = (0, 0, 0);
    while let Some(res) = set.join_next().await {
        let res = res.unwrap();
        let loc = res
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        match res.status() {
            StatusCode::TOO_MANY_REQUESTS => {
                assert!(res.headers().contains_key("retry-after"));
                busy += 1;
            }
            StatusCode::SEE_OTHER if loc.contains("error=throttled") => throttled += 1,
            StatusCode::SEE_OTHER => checked += 1,
            other => panic!("{other}"),
        }
    }
    assert_eq!(checked + throttled + busy, 100);
    assert!(
        checked <= 5,
        "{checked} passwords checked (limit 5; {throttled} throttled, {busy} busy)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owner_gets_a_turn_after_a_short_wait_not_a_lock() {
    let mut h = Harness::empty().await;
    h.person("ann", UserRole::Manager, None).await;
    for i in 0..5 {
        let r = h.send(form_req("ann", "wrong+guess+here", "/", 2, i)).await;
        assert!(r.location().contains("error=bad"), "{}", r.location());
    }
    let r = h.send(form_req("ann", "a+good+password", "/", 3, 1)).await;
    assert!(r.location().contains("error=throttled"));
    // The fifth failure asks for 2 seconds; after them the owner signs in.
    tokio::time::sleep(std::time::Duration::from_millis(3100)).await;
    let r = h.send(form_req("ann", "a+good+password", "/", 3, 1)).await;
    assert_eq!(r.location(), "/");
    assert!(r.headers.contains_key("set-cookie"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guesser_behind_an_address_does_not_lock_out_the_others_there() {
    let mut h = Harness::empty().await;
    h.person("ann", UserRole::Manager, None).await;
    for i in 0..30 {
        let r = h
            .send(form_req(&format!("n{i}"), "wrong+guess+here", "/", 4, 1))
            .await;
        assert!(r.location().contains("error=bad"), "{i}: {}", r.location());
    }
    // The address is over its limit: names it guessed at wait...
    let r = h.send(form_req("n0", "wrong+guess+here", "/", 4, 1)).await;
    assert!(r.location().contains("error=throttled"), "{}", r.location());
    // ...but a colleague behind it signs in to an account nobody attacked.
    let r = h.send(form_req("ann", "a+good+password", "/", 4, 1)).await;
    assert_eq!(r.location(), "/");
}

#[tokio::test]
async fn next_with_control_characters_tabs_or_backslashes_stays_on_this_site() {
    let mut h = Harness::empty().await;
    h.person("ann", UserRole::Manager, None).await;
    for (i, next) in [
        "%2F%0Aevil",
        "%2F%0Devil",
        "%2F%7Fevil",
        "%2F%09%2Fevil.example",
        "%2F%5Cevil.example",
        "%2F%20%2Fevil.example",
    ]
    .iter()
    .enumerate()
    {
        let r = h
            .send(form_req("ann", "a+good+password", next, 5, i as u8))
            .await;
        assert_eq!(
            (r.status, r.location()),
            (StatusCode::SEE_OTHER, "/"),
            "{next}"
        );
    }
    // A NUL anywhere in a form is refused before anything is checked (see limits.rs).
    let r = h
        .send(form_req("ann", "a+good+password", "%2F%00evil", 5, 8))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.location().is_empty(), "no redirect: {}", r.location());
    let r = h
        .send(form_req(
            "ann",
            "a+good+password",
            "%2Ftenants%3Fq%3Dx",
            5,
            9,
        ))
        .await;
    assert_eq!(r.location(), "/tenants?q=x");
}

#[tokio::test]
async fn a_store_failure_while_checking_credentials_is_not_a_401_or_a_bad_password() {
    let mut h = Harness::empty().await;
    h.person("ann", UserRole::Manager, None).await;
    let token = h.who("ann").token.clone();
    h.sql("ALTER TABLE users RENAME COLUMN password_hash TO hidden;");
    let r = h.send(form_req("ann", "a+good+password", "/", 6, 1)).await;
    assert!(r.status.is_server_error(), "{} {}", r.status, r.location());
    let req = Request::get("/api/v1/me")
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    assert!(h.send(req).await.status.is_server_error());
}

#[tokio::test]
async fn signed_in_pages_and_json_are_not_stored() {
    let mut h = Harness::empty().await;
    h.person("ann", UserRole::Manager, None).await;
    let cookie = h.who("ann").cookie.clone();
    for path in ["/api/v1/me", "/", "/account/sessions", "/signin"] {
        let req = Request::get(path)
            .header("cookie", format!("ftop_session={cookie}"))
            .body(Body::empty())
            .unwrap();
        let r = h.send(req).await;
        assert_eq!(
            r.headers.get("cache-control").unwrap(),
            "no-store",
            "{path}"
        );
    }
    let r = h
        .send(Request::get("/assets/app.css").body(Body::empty()).unwrap())
        .await;
    assert_ne!(
        r.headers.get("cache-control").map(|v| v.to_str().unwrap()),
        Some("no-store")
    );
}

#[tokio::test]
async fn own_sessions_are_listed_and_ended_and_disabled_users_are_out_at_once() {
    let mut h = Harness::empty().await;
    h.person("ann", UserRole::Manager, None).await;
    let (c1, csrf1) = h.sign_in("ann", common::PASSWORD).await;
    let (c2, _) = h.sign_in("ann", common::PASSWORD).await;
    let get = |c: &str, path: &str| {
        Request::get(path)
            .header("cookie", format!("ftop_session={c}"))
            .body(Body::empty())
            .unwrap()
    };
    let list = h.send(get(&c1, "/api/v1/me/sessions")).await.json();
    let sessions = list["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 3, "the harness's and two sign-ins");
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    // The newest is c2's (c1 is current, so the other unmarked one is the harness's).
    let id2 = sessions[0]["id"].as_str().unwrap().to_string();
    assert_eq!(sessions[1]["current"], true);
    let del = |csrf: Option<&str>| {
        let mut b = Request::delete(format!("/api/v1/me/sessions/{id2}"))
            .header("cookie", format!("ftop_session={c1}"));
        if let Some(c) = csrf {
            b = b.header("x-csrf-token", c);
        }
        b.body(Body::empty()).unwrap()
    };
    assert_eq!(h.send(del(None)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        h.send(del(Some(&csrf1))).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        h.send(get(&c2, "/api/v1/me")).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        h.send(del(Some(&csrf1))).await.status,
        StatusCode::NOT_FOUND
    );
    // The page lists them with a confirmation before ending one.
    let page = h.send(get(&c1, "/account/sessions")).await;
    assert!(page.body.contains("/end"), "{}", page.body);
    let id1 = h.send(get(&c1, "/api/v1/me/sessions")).await.json()["sessions"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let confirm = h
        .send(get(&c1, &format!("/account/sessions/{id1}/end")))
        .await;
    assert!(confirm.body.contains("method=\"post\""));
    let r = h
        .post_form(
            common::Who::Session("ann"),
            &format!("/account/sessions/{id1}/end"),
            "csrf=wrong",
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Disabled: the session and the token answer 401 at the next request.
    let token = h.who("ann").token.clone();
    h.store
        .set_user_disabled(&common::actor(), "ann", true)
        .await
        .unwrap();
    assert_eq!(
        h.send(get(&c1, "/api/v1/me")).await.status,
        StatusCode::UNAUTHORIZED
    );
    let req = Request::get("/api/v1/me")
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(h.send(req).await.status, StatusCode::UNAUTHORIZED);
}
