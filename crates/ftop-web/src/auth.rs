//! Who is asking: a session cookie (pages and API) or `Authorization: Bearer TOKEN` (API).
//! Sign-in with throttling, a fresh session ID at every sign-in, CSRF tokens on every
//! state-changing form, and sign-out.

use crate::error::{AppError, Kind, PageError, PageResult};
use crate::extract::{Form, Query};
use crate::i18n::Lang;
use crate::pages::layout::{bare, flash};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use ftop_store::{Session, Slot, StoreError, User};
use maud::html;
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::Arc;

/// The session cookie.
pub(crate) const SESSION_COOKIE: &str = "ftop_session";
/// The cookie that carries the sign-in form's CSRF token (before there is a session).
const PRE_CSRF_COOKIE: &str = "ftop_signin";
// Sign-in throttling (the policy; docs/operations.md, "Sign-in and sessions", tells operators).
//
// Every attempt takes a slot from two throttles kept in the database (so that concurrent
// attempts and every instance share them) BEFORE its password is checked, and counts as a
// failure until the password proves right (`Store::take_sign_in_slot`):
// - per name: 4 failures are free; the 5th and each later one make the next check of that
//   name wait 2, 4, 8... seconds, capped at 15 minutes. It is a delay, never a lock: an
//   attempt refused while waiting changes nothing, so the owner gets a turn at least every
//   15 minutes however hard the name is attacked, and a right password resets the count.
// - per client address: 29 failures are free, then the same growing delay capped at 5
//   minutes. It never blocks a name with no recent failures, so one person guessing behind
//   a shared address (an office NAT) does not lock out everyone else behind it: they can
//   still sign in to their own accounts; the guesser only gets the per-name turns.
// Counts are forgotten 24 hours after a key's last attempt (`Store::purge_expired`).
const NAME_FREE: i64 = 5;
const NAME_CAP_SECONDS: i64 = 15 * 60;
const PEER_FREE: i64 = 30;
const PEER_CAP_SECONDS: i64 = 5 * 60;
/// Longer names do not exist (see `Store::add_user`): refused without a check.
const MAX_NAME_BYTES: usize = 100;

/// How many argon2 checks may run at once: one per core (each takes 19 MiB, see
/// `ftop_store::hash_password`, so sign-ins cost at most cores x 19 MiB of hash memory).
/// A sign-in waits at most [`HASH_WAIT`] for a turn, then gets a 429 with Retry-After.
fn hash_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    PERMITS.get_or_init(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    })
}
const HASH_WAIT: std::time::Duration = std::time::Duration::from_millis(500);

/// A turn to hash or check a password outside sign-in (account changes), from the same
/// bound; 503 when none frees up within [`HASH_WAIT`].
pub(crate) async fn hash_turn() -> Result<tokio::sync::SemaphorePermit<'static>, AppError> {
    match tokio::time::timeout(HASH_WAIT, hash_permits().acquire()).await {
        Ok(Ok(permit)) => Ok(permit),
        _ => Err(AppError::new(
            Kind::Unavailable,
            "too many password checks at once; try again in a second",
        )),
    }
}
const BUSY_RETRY_SECONDS: u64 = 1;

/// Purges expired sessions and old sign-in records at most once a minute per process, in
/// the background of a sign-in (serve also runs it periodically).
fn purge_now_and_then(store: &ftop_store::Store) {
    use std::sync::atomic::{AtomicI64, Ordering};
    static LAST: AtomicI64 = AtomicI64::new(0);
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let last = LAST.load(Ordering::Relaxed);
    if now - last < 60
        || LAST
            .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
    {
        return;
    }
    let store = store.clone();
    tokio::spawn(async move {
        if let Err(e) = store.purge_expired().await {
            tracing::warn!(error = %e, "could not purge expired sessions");
        }
    });
}

/// `Cache-Control: no-store` on every response that may carry a signed-in user's data:
/// all but the static assets and the health check (one layer over the whole router).
pub(crate) async fn no_store(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = req.uri().path();
    let public = path.starts_with("/assets/") || path == "/healthz";
    let mut res = next.run(req).await;
    if !public {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
    res
}

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

/// Finds the caller from the session cookie or a bearer token: `Ok(None)` when there is
/// none (or it is unknown or expired), `Err` when the store could not be asked; a failing
/// database is never taken for "not signed in".
pub(crate) async fn viewer(
    app: &crate::App,
    headers: &HeaderMap,
) -> Result<Option<Viewer>, StoreError> {
    if let Some(auth) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        && let Some(token) = auth.strip_prefix("Bearer ")
    {
        let user = app.store.user_by_token(token).await?;
        return Ok(user.map(|user| Viewer { user, csrf: None }));
    }
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let s: Option<Session> = app.store.session(&token).await?;
    Ok(s.map(|s| Viewer {
        user: s.user,
        csrf: Some(s.csrf),
    }))
}

/// Is a state-changing request from a session carrying its CSRF token? (Bearer requests
/// need none: browsers never send them on their own.)
pub(crate) fn csrf_ok(v: &Viewer, sent: Option<&str>) -> bool {
    match &v.csrf {
        None => true,
        Some(expected) => sent.is_some_and(|s| constant_eq(s.as_bytes(), expected.as_bytes())),
    }
}

impl Viewer {
    /// [`csrf_ok`] as a result: 403 `csrf` when the token is missing or wrong.
    pub(crate) fn check_csrf(&self, sent: Option<&str>) -> Result<(), AppError> {
        if csrf_ok(self, sent) {
            Ok(())
        } else {
            Err(AppError::csrf())
        }
    }

    /// 403 for guests, who keep no notes or drafts.
    pub(crate) fn writer(&self) -> Result<(), AppError> {
        if self.user.role == ftop_domain::UserRole::Guest {
            Err(AppError::new(Kind::Forbidden, GUESTS))
        } else {
            Ok(())
        }
    }
}

/// Why guests get 403 on notes and drafts.
pub(crate) const GUESTS: &str = "guests do not write notes";

/// The signed-in caller of an API route (`ApiViewer(v)` in a handler's arguments). Without
/// credentials: 401 in the JSON envelope; a store failure: 500/503 with a reference.
#[derive(Debug, Clone)]
pub(crate) struct ApiViewer(pub(crate) Viewer);

impl FromRequestParts<Arc<crate::App>> for ApiViewer {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<crate::App>,
    ) -> Result<Self, Self::Rejection> {
        match viewer(app, &parts.headers).await? {
            Some(v) => Ok(ApiViewer(v)),
            None => Err(AppError::unauthenticated()),
        }
    }
}

/// The signed-in reader of a page and their language (`PageViewer { v, lang }`). Without a
/// session: a redirect to `/signin?next=...`; a store failure: an error page.
#[derive(Debug, Clone)]
pub(crate) struct PageViewer {
    pub(crate) v: Viewer,
    pub(crate) lang: Lang,
}

/// Why a page has no reader: not signed in (to the sign-in page), or the store failed.
#[derive(Debug)]
pub(crate) enum PageRejection {
    SignIn(String),
    Error(PageError),
}

impl IntoResponse for PageRejection {
    fn into_response(self) -> Response {
        match self {
            PageRejection::SignIn(next) => {
                Redirect::to(&format!("/signin?next={}", urlencode(&next))).into_response()
            }
            PageRejection::Error(e) => e.into_response(),
        }
    }
}

impl FromRequestParts<Arc<crate::App>> for PageViewer {
    type Rejection = PageRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<crate::App>,
    ) -> Result<Self, Self::Rejection> {
        let lang = Lang::of(&parts.headers);
        match viewer(app, &parts.headers).await {
            Ok(Some(v)) => Ok(PageViewer { v, lang }),
            Ok(None) => {
                // The path as the client asked for it (nested routers see a shorter one).
                let uri = parts
                    .extensions
                    .get::<axum::extract::OriginalUri>()
                    .map_or(&parts.uri, |o| &o.0);
                let next = uri.path_and_query().map_or("/", |p| p.as_str());
                Err(PageRejection::SignIn(next.to_string()))
            }
            Err(e) => Err(PageRejection::Error(PageError::new(lang, e))),
        }
    }
}

/// The reader's language as a handler argument.
impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang::of(&parts.headers))
    }
}

pub(crate) fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub(crate) fn session_cookie(token: &str, max_age: i64) -> String {
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

/// Where to go after signing in: a path on this site, else `/`. Browsers drop tabs and
/// line breaks inside URLs and read `\\` as `/`, so `/\t/evil.example` would become
/// `//evil.example` (another site): any control character, whitespace or backslash, and
/// anything starting `//`, is refused; so is anything long.
pub(crate) fn safe_next(n: Option<&str>) -> String {
    n.filter(|p| {
        p.starts_with('/')
            && !p.starts_with("//")
            && p.len() <= 2000
            && !p
                .chars()
                .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    })
    .unwrap_or("/")
    .to_string()
}

/// `GET /signin`.
pub(crate) async fn signin_page(
    state: crate::State,
    headers: HeaderMap,
    Query(q): Query<Next>,
) -> Response {
    let lang = Lang::of(&headers);
    let token = random_hex();
    let message = match q.error.as_deref() {
        Some("throttled") => Some(lang.t("signin-wait")),
        Some(e) => Some(crate::sso::routes::reason(lang, e)),
        None => None,
    };
    let next = safe_next(q.next.as_deref());
    let sso = state.sso.as_deref().map(|s| s.config());
    let password_form = html! {
        form method="post" action="/signin" {
            input type="hidden" name="csrf" value=(token);
            input type="hidden" name="next" value=(next);
            label { (lang.t("name")) input name="name" autocomplete="username" required autofocus[sso.is_none()]; }
            label { (lang.t("password")) input type="password" name="password" autocomplete="current-password" required; }
            button type="submit" { (lang.t("sign-in")) }
        }
    };
    let body = html! {
        main.signin {
            h1 { (lang.t("sign-in")) }
            @if let Some(m) = message { (flash("error", m)) }
            @if let Some(c) = sso {
                p {
                    a.button href={ "/signin/sso?next=" (urlencode(&next)) } {
                        (lang.t_with("sso-button", &[("provider", c.label.as_str().into())]))
                    }
                }
                @if c.required {
                    details {
                        summary { (lang.t("sso-break-glass")) }
                        (password_form)
                    }
                } @else {
                    p { (lang.t("sso-or-password")) }
                    (password_form)
                }
            } @else {
                (password_form)
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
    lang: Lang,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<SignIn>,
) -> Result<Response, PageError> {
    let expected = cookie(&headers, PRE_CSRF_COOKIE);
    if !expected.is_some_and(|e| constant_eq(e.as_bytes(), f.csrf.as_bytes())) {
        return Err(PageError::new(lang, AppError::csrf()));
    }
    let store = &state.store;
    purge_now_and_then(store);
    let ip = peer.ip().to_string();
    let next = safe_next(f.next.as_deref());
    let back = |e: &str| {
        Ok(Redirect::to(&format!("/signin?error={e}&next={}", urlencode(&next))).into_response())
    };
    if f.name.len() > MAX_NAME_BYTES {
        return back("bad");
    }
    // Single sign-on required: the password form is the break-glass administrator's alone.
    // Every other name goes through the same checks and gets the same answer as a wrong
    // password, so neither the answer nor its timing tells which name is the break-glass one.
    let required = state
        .sso
        .as_deref()
        .map(|s| s.config())
        .filter(|c| c.required);
    let sso_only =
        required.is_some_and(|c| c.break_glass.as_deref().map(str::trim) != Some(f.name.trim()));
    let refused = if required.is_some() {
        "sso-only"
    } else {
        "bad"
    };
    // A bounded number of password checks at once; beyond it, a quick 429.
    let Ok(Ok(_permit)) = tokio::time::timeout(HASH_WAIT, hash_permits().acquire()).await else {
        tracing::warn!(%ip, "sign-in refused: too many at once");
        crate::metrics::sign_in_throttled();
        return Ok(busy(lang));
    };
    let name_key = format!("name:{}", f.name.trim().to_lowercase());
    let peer_key = format!("peer:{ip}");
    let peer_slot = store
        .take_sign_in_slot(&peer_key, PEER_FREE, PEER_CAP_SECONDS)
        .await
        .page(lang)?;
    if let Slot::Wait(_) = peer_slot
        && store.sign_in_failures_of(&name_key).await.page(lang)? > 0
    {
        tracing::warn!(name = %f.name, %ip, "sign-in throttled (address)");
        crate::metrics::sign_in_throttled();
        return back("throttled");
    }
    if let Slot::Wait(_) = store
        .take_sign_in_slot(&name_key, NAME_FREE, NAME_CAP_SECONDS)
        .await
        .page(lang)?
    {
        tracing::warn!(name = %f.name, %ip, "sign-in throttled (name)");
        crate::metrics::sign_in_throttled();
        return back("throttled");
    }
    match store
        .verify_password(&f.name, &f.password)
        .await
        .page(lang)?
        .filter(|_| !sso_only)
    {
        Some(user) => {
            store
                .clear_sign_in_failures(&name_key, true)
                .await
                .page(lang)?;
            if peer_slot == Slot::Granted {
                store
                    .clear_sign_in_failures(&peer_key, false)
                    .await
                    .page(lang)?;
            }
            let (token, _) = store.start_session(&user, &ip).await.page(lang)?;
            tracing::info!(user = %user.name, "signed in");
            Ok((
                [(
                    header::SET_COOKIE,
                    session_cookie(&token, ftop_store::SESSION_HOURS * 3600),
                )],
                Redirect::to(&next),
            )
                .into_response())
        }
        None => {
            crate::metrics::sign_in_failed();
            store.sign_in_failed(&name_key).await.page(lang)?;
            if peer_slot == Slot::Granted {
                store.sign_in_failed(&peer_key).await.page(lang)?;
            }
            if let Err(e) = store.record_sign_in_failure(&f.name, &ip).await {
                tracing::warn!(error = %e, "could not record a failed sign-in");
            }
            back(refused)
        }
    }
}

/// 429 with Retry-After: too many sign-ins at once.
fn busy(lang: Lang) -> Response {
    let body = html! {
        main.signin {
            h1 { (lang.t("sign-in")) }
            (flash("error", lang.t("signin-busy")))
            p { a href="/signin" { (lang.t("sign-in")) } }
        }
    };
    (
        axum::http::StatusCode::TOO_MANY_REQUESTS,
        [(header::RETRY_AFTER, BUSY_RETRY_SECONDS.to_string())],
        bare(lang, lang.t("sign-in"), body),
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
pub(crate) struct SignOut {
    csrf: String,
}

/// `POST /signout`.
pub(crate) async fn signout(
    state: crate::State,
    lang: Lang,
    headers: HeaderMap,
    Form(f): Form<SignOut>,
) -> Result<Response, PageError> {
    if let Some(token) = cookie(&headers, SESSION_COOKIE)
        && let Some(s) = state.store.session(&token).await.page(lang)?
    {
        if !constant_eq(s.csrf.as_bytes(), f.csrf.as_bytes()) {
            return Err(PageError::new(lang, AppError::csrf()));
        }
        state.store.end_session(&token).await.page(lang)?;
    }
    Ok((
        [(header::SET_COOKIE, session_cookie("", 0))],
        Redirect::to("/signin"),
    )
        .into_response())
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
