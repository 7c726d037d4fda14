//! Who is asking: a session cookie (pages and API) or `Authorization: Bearer TOKEN` (API).
//! Sign-in with throttling, a fresh session ID at every sign-in, CSRF tokens on every
//! state-changing form, and sign-out.

use crate::i18n::Lang;
use crate::pages::layout::{bare, flash};
use axum::extract::{ConnectInfo, Form, Query};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use ftop_store::{Session, User};
use maud::html;
use serde::Deserialize;
use std::net::SocketAddr;

/// The session cookie.
pub(crate) const SESSION_COOKIE: &str = "ftop_session";
/// The cookie that carries the sign-in form's CSRF token (before there is a session).
const PRE_CSRF_COOKIE: &str = "ftop_signin";
/// Failed sign-ins allowed per name, and per client address, in the window.
const MAX_FAILURES_PER_NAME: i64 = 5;
const MAX_FAILURES_PER_PEER: i64 = 30;
const WINDOW_MINUTES: i64 = 15;

/// A cookie's value.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The caller: a user, and how they came (a session carries a CSRF token; a bearer token
/// does not need one).
#[derive(Debug, Clone)]
pub(crate) struct Viewer {
    pub(crate) user: User,
    pub(crate) csrf: Option<String>,
}

/// Finds the caller from the session cookie or a bearer token.
pub(crate) async fn viewer(app: &crate::App, headers: &HeaderMap) -> Option<Viewer> {
    if let Some(auth) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        && let Some(token) = auth.strip_prefix("Bearer ")
    {
        return app
            .store
            .user_by_token(token)
            .await
            .ok()
            .flatten()
            .map(|user| Viewer { user, csrf: None });
    }
    let token = cookie(headers, SESSION_COOKIE)?;
    let s: Session = app.store.session(&token).await.ok().flatten()?;
    Some(Viewer {
        user: s.user,
        csrf: Some(s.csrf),
    })
}

/// Is a state-changing request from a session carrying its CSRF token? (Bearer requests
/// need none: browsers never send them on their own.)
pub(crate) fn csrf_ok(v: &Viewer, sent: Option<&str>) -> bool {
    match &v.csrf {
        None => true,
        Some(expected) => sent.is_some_and(|s| constant_eq(s.as_bytes(), expected.as_bytes())),
    }
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn session_cookie(token: &str, max_age: i64) -> String {
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age={max_age}")
}

fn random_hex() -> String {
    use rand::RngCore;
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[derive(Debug, Deserialize)]
pub(crate) struct Next {
    next: Option<String>,
    error: Option<String>,
}

fn safe_next(n: Option<&str>) -> String {
    n.filter(|p| p.starts_with('/') && !p.starts_with("//") && !p.contains('\\'))
        .unwrap_or("/")
        .to_string()
}

/// `GET /signin`.
pub(crate) async fn signin_page(headers: HeaderMap, Query(q): Query<Next>) -> Response {
    let lang = Lang::of(&headers);
    let token = random_hex();
    let message = match q.error.as_deref() {
        Some("throttled") => Some(lang.t("throttled")),
        Some(_) => Some(lang.t("bad-sign-in")),
        None => None,
    };
    let body = html! {
        main.signin {
            h1 { (lang.t("sign-in")) }
            @if let Some(m) = message { (flash("error", m)) }
            form method="post" action="/signin" {
                input type="hidden" name="csrf" value=(token);
                input type="hidden" name="next" value=(safe_next(q.next.as_deref()));
                label { (lang.t("name")) input name="name" autocomplete="username" required autofocus; }
                label { (lang.t("password")) input type="password" name="password" autocomplete="current-password" required; }
                button type="submit" { (lang.t("sign-in")) }
            }
        }
    };
    (
        [(
            header::SET_COOKIE,
            format!("{PRE_CSRF_COOKIE}={token}; Path=/signin; HttpOnly; Secure; SameSite=Strict; Max-Age=3600"),
        )],
        bare(lang, lang.t("sign-in"), body),
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
pub(crate) struct SignIn {
    name: String,
    password: String,
    csrf: String,
    next: Option<String>,
}

/// `POST /signin`.
pub(crate) async fn signin(
    state: crate::State,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<SignIn>,
) -> Response {
    let expected = cookie(&headers, PRE_CSRF_COOKIE);
    if !expected.is_some_and(|e| constant_eq(e.as_bytes(), f.csrf.as_bytes())) {
        return (StatusCode::FORBIDDEN, "the sign-in form expired; reload it").into_response();
    }
    let store = &state.store;
    let ip = peer.ip().to_string();
    let next = safe_next(f.next.as_deref());
    let back = |e: &str| {
        Redirect::to(&format!("/signin?error={e}&next={}", urlencode(&next))).into_response()
    };
    match store
        .recent_sign_in_failures(&f.name, &ip, WINDOW_MINUTES)
        .await
    {
        Ok((by_name, by_peer))
            if by_name >= MAX_FAILURES_PER_NAME || by_peer >= MAX_FAILURES_PER_PEER =>
        {
            tracing::warn!(name = %f.name, %ip, "sign-in throttled");
            return back("throttled");
        }
        Ok(_) => {}
        Err(e) => return crate::error::ApiError::from(e).into_response(),
    }
    match store.verify_password(&f.name, &f.password).await {
        Ok(Some(user)) => match store.create_session(&user).await {
            Ok((token, _)) => {
                tracing::info!(user = %user.name, "signed in");
                (
                    [(
                        header::SET_COOKIE,
                        session_cookie(&token, ftop_store::SESSION_HOURS * 3600),
                    )],
                    Redirect::to(&next),
                )
                    .into_response()
            }
            Err(e) => crate::error::ApiError::from(e).into_response(),
        },
        Ok(None) => {
            let _ = store.record_sign_in_failure(&f.name, &ip).await;
            back("bad")
        }
        Err(e) => crate::error::ApiError::from(e).into_response(),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct SignOut {
    csrf: String,
}

/// `POST /signout`.
pub(crate) async fn signout(
    state: crate::State,
    headers: HeaderMap,
    Form(f): Form<SignOut>,
) -> Response {
    if let Some(token) = cookie(&headers, SESSION_COOKIE)
        && let Ok(Some(s)) = state.store.session(&token).await
    {
        if !constant_eq(s.csrf.as_bytes(), f.csrf.as_bytes()) {
            return (StatusCode::FORBIDDEN, "missing or wrong CSRF token").into_response();
        }
        let _ = state.store.end_session(&token).await;
    }
    (
        [(header::SET_COOKIE, session_cookie("", 0))],
        Redirect::to("/signin"),
    )
        .into_response()
}

/// Percent-encodes a path for a query parameter.
pub(crate) fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// For pages: the viewer, or a redirect to the sign-in page.
pub(crate) async fn page_viewer(
    app: &crate::App,
    headers: &HeaderMap,
    uri: &axum::http::Uri,
) -> Result<Viewer, Response> {
    match viewer(app, headers).await {
        Some(v) => Ok(v),
        None => {
            let next = uri.path_and_query().map_or("/", |p| p.as_str());
            Err(Redirect::to(&format!("/signin?next={}", urlencode(next))).into_response())
        }
    }
}
