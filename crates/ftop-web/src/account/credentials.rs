//! `/account`: change one's own password (the current one first) and manage one's own API
//! tokens (create with a label and a lifetime, shown once; list; revoke after a
//! confirmation). The rules are `service::people`'s, shared with `/api/v1/me/...`.

use crate::auth::{PageViewer, Viewer, session_cookie};
use crate::error::{AppError, PageError, PageResult};
use crate::extract::{Form, Path, Query};
use crate::i18n::Lang;
use crate::pages::forms::{form_error, value};
use crate::pages::layout::{flash, page};
use crate::service::people as service;
use axum::extract::ConnectInfo;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct AccountQuery {
    #[serde(default)]
    done: Option<String>,
}

/// `GET /account`.
pub(crate) async fn account_page(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<AccountQuery>,
) -> Result<Response, PageError> {
    let message = match q.done.as_deref() {
        Some("password") => Some(flash("ok", lang.t("account-password-changed"))),
        Some("revoked") => Some(flash("ok", lang.t("account-token-revoked"))),
        Some("digest") => Some(flash("ok", lang.t("digest-saved"))),
        _ => None,
    };
    account_view(&state, &v, lang, message, &[], StatusCode::OK).await
}

/// The account page with `message` on top and the token form holding `typed`.
pub(super) async fn account_view(
    state: &crate::App,
    v: &Viewer,
    lang: Lang,
    message: Option<Markup>,
    typed: &[(String, String)],
    status: StatusCode,
) -> Result<Response, PageError> {
    let tokens = service::own_tokens(state, v).await.page(lang)?;
    // The digest form keeps what was typed only when it was the form refused.
    let digest_typed = if value(typed, "time_zone").is_empty() {
        &[][..]
    } else {
        typed
    };
    let digest = super::digest::section(state, v, lang, digest_typed).await?;
    let csrf = v.csrf.clone().unwrap_or_default();
    let days = match value(typed, "days") {
        "" => ftop_store::DEFAULT_TOKEN_DAYS.to_string(),
        d => d.to_string(),
    };
    let body = html! {
        h1 { (lang.t("account")) }
        @if let Some(m) = message { (m) }
        p { a href="/account/sessions" { (lang.t("account-sessions")) } }
        section {
            h2 { (lang.t("account-password")) }
            form method="post" action="/account/password" {
                input type="hidden" name="csrf" value=(csrf);
                p { label { (lang.t("account-password-current")) " " input type="password" name="current" required autocomplete="current-password"; } }
                p { label { (lang.t("people-new-password")) " " input type="password" name="password" required minlength="12" autocomplete="new-password"; } }
                p.muted { (lang.t("people-password-rule")) " " (lang.t("account-password-sessions")) }
                button type="submit" { (lang.t("account-password-change")) }
            }
        }
        section {
            h2 { (lang.t("account-tokens")) }
            p { (lang.t("account-tokens-intro")) }
            table {
                thead { tr {
                    th scope="col" { (lang.t("account-token-label")) }
                    th scope="col" { (lang.t("account-session-created")) }
                    th scope="col" { (lang.t("account-token-expires")) }
                    th scope="col" { (lang.t("account-session-seen")) }
                    th {}
                } }
                tbody {
                    @for t in &tokens {
                        tr {
                            td { (t.label) }
                            td { time datetime=(t.created_at) { (lang.when(&t.created_at)) } }
                            td {
                                @match &t.expires_at {
                                    Some(e) => { time datetime=(e) { (lang.when(e)) } @if t.expired { " (" (lang.t("account-token-expired")) ")" } }
                                    None => { (lang.t("account-token-never")) }
                                }
                            }
                            td { @if let Some(u) = &t.last_used_at { time datetime=(u) { (lang.when(u)) } } }
                            td { a href={ "/account/tokens/" (t.id) "/revoke" } { (lang.t("account-token-revoke")) } }
                        }
                    }
                }
            }
            h3 { (lang.t("account-token-new")) }
            form.filters method="post" action="/account/tokens" {
                input type="hidden" name="csrf" value=(csrf);
                label { (lang.t("account-token-label")) " " input name="label" required maxlength="200" value=(value(typed, "label")); }
                label { (lang.t("account-token-days")) " " input type="number" name="days" min="1" max="3650" value=(days); }
                button type="submit" { (lang.t("account-token-create")) }
            }
        }
        (digest)
    };
    Ok((status, page(lang, v, lang.t("account"), body)).into_response())
}

/// `POST /account/password`: on success every session of the caller ends and this browser
/// gets a new one.
pub(crate) async fn change_password(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    v.check_csrf(Some(value(&form, "csrf"))).page(lang)?;
    let r = service::change_own_password(
        &state,
        &v,
        value(&form, "current"),
        value(&form, "password"),
    )
    .await;
    if let Err(e) = r {
        let m = form_error(lang, e)?;
        return account_view(
            &state,
            &v,
            lang,
            Some(m),
            &[],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let (token, _) = state
        .store
        .start_session(&v.user, &peer.ip().to_string())
        .await
        .page(lang)?;
    Ok((
        [(
            header::SET_COOKIE,
            session_cookie(&token, ftop_store::SESSION_HOURS * 3600),
        )],
        Redirect::to("/account?done=password"),
    )
        .into_response())
}

/// `POST /account/tokens`: creates a token and shows it this once.
pub(crate) async fn create_token(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    v.check_csrf(Some(value(&form, "csrf"))).page(lang)?;
    let days = match value(&form, "days").trim() {
        "" => Ok(None),
        d => d.parse::<i64>().map(Some).map_err(|_| {
            AppError::field_error(
                ftop_domain::FieldError::of("days", "invalid-token-days").with("max", 3650),
            )
        }),
    };
    let made = match days {
        Ok(days) => service::create_own_token(&state, &v, value(&form, "label"), days).await,
        Err(e) => Err(e),
    };
    match made {
        Ok(token) => {
            let shown = html! {
                div.flash.ok role="status" {
                    p { (lang.t("account-token-shown-once")) }
                    p { code { (token) } }
                }
            };
            // Never cached, never kept: the page carries the token only this once.
            account_view(&state, &v, lang, Some(shown), &[], StatusCode::CREATED).await
        }
        Err(e) => {
            let m = form_error(lang, e)?;
            account_view(
                &state,
                &v,
                lang,
                Some(m),
                &form,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `GET /account/tokens/{id}/revoke`: the confirmation.
pub(crate) async fn confirm_revoke(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let tokens = service::own_tokens(&state, &v).await.page(lang)?;
    let Some(t) = tokens.iter().find(|t| t.id == id) else {
        return Err(PageError::new(lang, AppError::not_found("token")));
    };
    let body = html! {
        section {
            h1 { (lang.t("account-token-revoke")) }
            p { (lang.t_with("account-token-revoke-confirm", &[("label", t.label.clone().into())])) }
            form method="post" action={ "/account/tokens/" (id) "/revoke" } {
                input type="hidden" name="csrf" value=(v.csrf.clone().unwrap_or_default());
                button type="submit" { (lang.t("account-token-revoke")) }
                " "
                a href="/account" { (lang.t("account-token-keep")) }
            }
        }
    };
    Ok(page(lang, &v, lang.t("account-token-revoke"), body).into_response())
}

/// `POST /account/tokens/{id}/revoke`.
pub(crate) async fn revoke_token(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    v.check_csrf(Some(value(&form, "csrf"))).page(lang)?;
    service::revoke_own_token(&state, &v, id).await.page(lang)?;
    Ok(Redirect::to("/account?done=revoked").into_response())
}
