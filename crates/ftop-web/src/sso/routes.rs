//! The two legs of a sign-in through the provider: `GET /signin/sso` sends the browser to
//! the provider with a fresh state, nonce and PKCE challenge (kept in a short-lived cookie
//! for this path only); `GET /signin/sso/callback` checks the state, trades the code for
//! tokens, checks the ID token, finds the account and starts a session. Any failure goes
//! back to the sign-in page with a short reason; the cause is logged.

use super::accounts::account_for;
use super::{Pending, Sso, SsoError};
use crate::auth::{constant_eq, cookie, safe_next, session_cookie, urlencode};
use crate::error::{PageError, PageResult};
use crate::extract::Query;
use crate::i18n::Lang;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::net::SocketAddr;

/// The cookie that carries [`Pending`] between the legs.
const FLOW_COOKIE: &str = "ftop_sso";
/// How long a sign-in at the provider may take.
const FLOW_SECONDS: i64 = 600;
/// Longest `code` or `state` accepted from the provider's redirect.
const MAX_PARAM: usize = 4096;

fn flow_cookie(value: &str, max_age: i64) -> String {
    format!(
        "{FLOW_COOKIE}={value}; Path=/signin/sso; HttpOnly; Secure; SameSite=Lax; Max-Age={max_age}"
    )
}

/// Back to the sign-in page with a reason (a message key), ending the flow.
fn back(reason: &str, next: &str) -> Response {
    (
        [(header::SET_COOKIE, flow_cookie("", 0))],
        Redirect::to(&format!("/signin?error={reason}&next={}", urlencode(next))),
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
pub(crate) struct Start {
    next: Option<String>,
}

/// `GET /signin/sso`: to the provider.
pub(crate) async fn start(state: crate::State, Query(q): Query<Start>) -> Response {
    let next = safe_next(q.next.as_deref());
    let Some(sso) = state.sso.as_deref() else {
        return Redirect::to("/signin").into_response();
    };
    match sso.authorize(&next).await {
        Ok((url, pending)) => (
            [(
                header::SET_COOKIE,
                flow_cookie(&pending.encode(), FLOW_SECONDS),
            )],
            Redirect::to(&url),
        )
            .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "sso: cannot start a sign-in");
            back("sso-unavailable", &next)
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
    iss: Option<String>,
}

/// `GET /signin/sso/callback`: back from the provider.
pub(crate) async fn callback(
    state: crate::State,
    lang: Lang,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(q): Query<Callback>,
) -> Result<Response, PageError> {
    let Some(sso) = state.sso.as_deref() else {
        return Ok(Redirect::to("/signin").into_response());
    };
    let Some(pending) = cookie(&headers, FLOW_COOKIE)
        .as_deref()
        .and_then(Pending::decode)
    else {
        // No flow started in this browser (or it expired): start again.
        tracing::warn!("sso: a callback without a sign-in in progress");
        return Ok(back("sso-failed", "/"));
    };
    let next = safe_next(Some(&pending.next));
    // The state first: a redirect this browser's sign-in did not cause (another site's
    // link) neither ends the sign-in in progress nor writes its text to the log.
    let returned = q.state.as_deref().unwrap_or_default();
    if returned.len() > MAX_PARAM || !constant_eq(returned.as_bytes(), pending.state.as_bytes()) {
        tracing::warn!("sso: the state does not match the sign-in in progress");
        return Ok(back("sso-failed", &next));
    }
    if let Some(error) = &q.error {
        tracing::warn!(?error, description = ?q.error_description, "sso: the provider refused");
        return Ok(back("sso-failed", &next));
    }
    let Some(code) = q.code.as_deref().filter(|c| c.len() <= MAX_PARAM) else {
        return Ok(back("sso-failed", &next));
    };
    match signed_in(sso, code, &pending, q.iss.as_deref()).await {
        Ok(identity) => {
            match account_for(&state.store, sso.config(), &identity)
                .await
                .page(lang)?
            {
                Ok(user) => {
                    let ip = peer.ip().to_string();
                    let (token, _) = state.store.start_session(&user, &ip).await.page(lang)?;
                    tracing::info!(user = %user.name, "signed in through single sign-on");
                    Ok((
                        // Both cookies: a plain header array would keep only the last.
                        axum::response::AppendHeaders([
                            (
                                header::SET_COOKIE,
                                session_cookie(&token, ftop_store::SESSION_HOURS * 3600),
                            ),
                            (header::SET_COOKIE, flow_cookie("", 0)),
                        ]),
                        Redirect::to(&next),
                    )
                        .into_response())
                }
                Err(refusal) => {
                    tracing::warn!(subject = %identity.subject, email = ?identity.email, ?refusal, "sso: no session");
                    Ok(back(refusal.key(), &next))
                }
            }
        }
        Err(SsoError::Unavailable(e)) => {
            tracing::warn!(error = %e, "sso: provider unavailable");
            Ok(back("sso-unavailable", &next))
        }
        Err(SsoError::Refused(e)) => {
            tracing::warn!(error = %e, "sso: sign-in refused");
            Ok(back("sso-failed", &next))
        }
    }
}

/// The code traded and the ID token checked.
async fn signed_in(
    sso: &Sso,
    code: &str,
    pending: &Pending,
    iss: Option<&str>,
) -> Result<super::Identity, SsoError> {
    // RFC 9207: a provider that names itself in the response must be ours.
    if let Some(iss) = iss
        && iss.trim_end_matches('/') != sso.config().issuer.trim_end_matches('/')
    {
        return Err(SsoError::Refused(format!("response from issuer {iss:?}")));
    }
    let raw = sso.exchange(code, pending).await?;
    sso.verify(&raw, &pending.nonce).await
}

/// The sign-in page's message for `?error=` (anything it does not know: a wrong name or
/// password).
pub(crate) fn reason(lang: Lang, error: &str) -> &'static str {
    match error {
        "sso-failed" => lang.t("sso-failed"),
        "sso-unavailable" => lang.t("sso-unavailable"),
        "sso-only" => lang.t("sso-only"),
        "sso-no-account" => lang.t("sso-no-account"),
        "sso-inactive" => lang.t("sso-inactive"),
        "sso-other-identity" => lang.t("sso-other-identity"),
        "sso-no-role" => lang.t("sso-no-role"),
        _ => lang.t("bad-sign-in"),
    }
}
