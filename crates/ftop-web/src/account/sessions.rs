//! The caller's own sessions: `/account/sessions` (a page listing them with a button to end
//! each, behind a confirmation) and `GET /api/v1/me/sessions`,
//! `DELETE /api/v1/me/sessions/{id}`. Everyone signed in may see and end their own
//! sessions, and only those.

use crate::api::csrf_header;
use crate::auth::{ApiViewer, PageViewer, SESSION_COOKIE, cookie};
use crate::error::{AppError, PageError, PageResult};
use crate::pages::layout::page;
use axum::Json;
use axum::extract::{Form, Path};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;
use serde_json::json;

/// `GET /account/sessions`.
pub(crate) async fn sessions_page(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let mine = cookie(&headers, SESSION_COOKIE);
    let list = state
        .store
        .sessions_of(v.user.id, mine.as_deref())
        .await
        .page(lang)?;
    let body = html! {
        section {
            h1 { (lang.t("account-sessions")) }
            p { (lang.t("account-sessions-intro")) }
            table {
                thead { tr {
                    th { (lang.t("account-session-created")) }
                    th { (lang.t("account-session-seen")) }
                    th { (lang.t("account-session-address")) }
                    th {}
                } }
                tbody {
                    @for s in &list {
                        tr {
                            td { time datetime=(s.created_at) { (lang.when(&s.created_at)) } }
                            td { time datetime=(s.last_seen_at) { (lang.when(&s.last_seen_at)) } }
                            td { (s.address) }
                            td {
                                @if s.current { (lang.t("account-session-current")) " " }
                                a href={ "/account/sessions/" (s.id) "/end" } { (lang.t("account-session-end")) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(page(lang, &v, lang.t("account-sessions"), body).into_response())
}

/// `GET /account/sessions/{id}/end`: the confirmation.
pub(crate) async fn confirm_end(
    PageViewer { v, lang }: PageViewer,
    Path(id): Path<String>,
) -> Response {
    let body = html! {
        section {
            h1 { (lang.t("account-session-end")) }
            p { (lang.t("account-session-end-confirm")) }
            form method="post" action={ "/account/sessions/" (id) "/end" } {
                input type="hidden" name="csrf" value=(v.csrf.clone().unwrap_or_default());
                button type="submit" { (lang.t("account-session-end")) }
                " "
                a href="/account/sessions" { (lang.t("account-session-keep")) }
            }
        }
    };
    page(lang, &v, lang.t("account-session-end"), body).into_response()
}

#[derive(Debug, Deserialize)]
pub(crate) struct Csrf {
    csrf: String,
}

/// `POST /account/sessions/{id}/end`.
pub(crate) async fn end(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(id): Path<String>,
    Form(f): Form<Csrf>,
) -> Result<Response, PageError> {
    v.check_csrf(Some(&f.csrf)).page(lang)?;
    if !state
        .store
        .end_session_of(v.user.id, &id)
        .await
        .page(lang)?
    {
        return Err(PageError::new(lang, AppError::not_found("session")));
    }
    Ok(Redirect::to("/account/sessions").into_response())
}

/// `GET /api/v1/me/sessions`.
pub(crate) async fn api_list(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let mine = cookie(&headers, SESSION_COOKIE).filter(|_| v.csrf.is_some());
    let list = state.store.sessions_of(v.user.id, mine.as_deref()).await?;
    Ok(Json(json!({ "sessions": list })).into_response())
}

/// `DELETE /api/v1/me/sessions/{id}`: 204, or 404 when the caller has no such session.
pub(crate) async fn api_end(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    v.check_csrf(csrf_header(&headers))?;
    if state.store.end_session_of(v.user.id, &id).await? {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(AppError::not_found("session"))
    }
}
