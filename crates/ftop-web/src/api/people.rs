//! Users, partner organisations and the caller's own credentials over JSON:
//! `GET/POST /users`, `GET/PATCH /users/{name}`, `GET/POST /partners`,
//! `PATCH /partners/{partner}`, `PUT /me/password`, `GET/POST /me/tokens`,
//! `DELETE /me/tokens/{token}`, and a tenant's assignments (`GET/PUT
//! /tenants/{id}/assignments`). The rules are `service::people`'s and
//! `service::assignments`', shared with the pages.

use super::query::{Params, Strict};
use super::{Body, body, csrf_header};
use crate::auth::ApiViewer;
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::service::assignments::{self as assignments_service, AssignmentView};
use crate::service::people::{self as service, NewUser, UserPatch};
use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct UsersQuery {
    search: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

/// `GET /users[?search=&limit=&offset=]`: the users the caller administers, by name.
pub(crate) async fn list(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Query(q): Query<UsersQuery>,
    Query(raw): Params,
) -> Result<Response, AppError> {
    Strict::of(&raw)
        .whole("limit", 1, 1000)
        .whole("offset", 0, i64::MAX)
        .finish()?;
    // Both were checked above.
    let number =
        |x: Option<String>, default: i64| x.and_then(|x| x.parse().ok()).unwrap_or(default);
    let (limit, offset) = (number(q.limit, 100), number(q.offset, 0));
    let (users, total) = service::list(&state, &v, q.search, limit, offset).await?;
    Ok(Json(json!({"users": users, "total": total})).into_response())
}

/// `POST /users` `{name, role, password, partner?, partner_admin?}` → 201 with the user.
pub(crate) async fn create(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    b: Body<NewUser>,
) -> Result<Response, AppError> {
    v.check_csrf(csrf_header(&headers))?;
    service::scope(&v)?;
    let user = service::create(&state, &v, body(b)?).await?;
    Ok((StatusCode::CREATED, Json(json!({"user": user}))).into_response())
}

/// `GET /users/{name}`.
pub(crate) async fn show(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Path(name): Path<String>,
) -> Result<Response, AppError> {
    let user = service::one(&state, &v, &name).await?;
    Ok(Json(json!({"user": user})).into_response())
}

/// `PATCH /users/{name}` `{role?, partner?, partner_admin?, active?, password?}`.
/// Deactivating ends the user's sessions and revokes their tokens at once.
pub(crate) async fn update(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path(name): Path<String>,
    b: Body<UserPatch>,
) -> Result<Response, AppError> {
    v.check_csrf(csrf_header(&headers))?;
    service::scope(&v)?;
    let user = service::update(&state, &v, &name, body(b)?).await?;
    Ok(Json(json!({"user": user})).into_response())
}

/// `GET /partners`: the partner organisations with their user and tenant counts.
pub(crate) async fn partners(
    state: crate::State,
    ApiViewer(v): ApiViewer,
) -> Result<Response, AppError> {
    let list = service::organisations(&state, &v).await?;
    Ok(Json(json!({"partners": list})).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct PartnerBody {
    name: String,
}

/// `POST /partners` `{name}` → 201 (administrators).
pub(crate) async fn create_partner(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    b: Body<PartnerBody>,
) -> Result<Response, AppError> {
    v.check_csrf(csrf_header(&headers))?;
    let b = body(b)?;
    let p = service::create_organisation(&state, &v, &b.name).await?;
    Ok((StatusCode::CREATED, Json(json!({"partner": p}))).into_response())
}

/// `PATCH /partners/{partner}` `{name}`: renames (administrators).
pub(crate) async fn rename_partner(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    b: Body<PartnerBody>,
) -> Result<Response, AppError> {
    v.check_csrf(csrf_header(&headers))?;
    let b = body(b)?;
    let p = service::rename_organisation(&state, &v, id, &b.name).await?;
    Ok(Json(json!({"partner": p})).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct PasswordBody {
    current: String,
    password: String,
}

/// `PUT /me/password` `{current, password}` → 204. The caller's sessions end (a session
/// caller signs in again); API tokens stay.
pub(crate) async fn change_password(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    b: Body<PasswordBody>,
) -> Result<Response, AppError> {
    v.check_csrf(csrf_header(&headers))?;
    let b = body(b)?;
    service::change_own_password(&state, &v, &b.current, &b.password).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /me/tokens`: the caller's API tokens (never the tokens themselves).
pub(crate) async fn tokens(
    state: crate::State,
    ApiViewer(v): ApiViewer,
) -> Result<Response, AppError> {
    let list = service::own_tokens(&state, &v).await?;
    Ok(Json(json!({"tokens": list})).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct TokenBody {
    label: String,
    #[serde(default)]
    days: Option<i64>,
}

/// `POST /me/tokens` `{label, days?}` → 201 with the token, shown this once.
pub(crate) async fn create_token(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    b: Body<TokenBody>,
) -> Result<Response, AppError> {
    v.check_csrf(csrf_header(&headers))?;
    let b = body(b)?;
    let token = service::create_own_token(&state, &v, &b.label, b.days).await?;
    let label = b.label.trim();
    let info = service::own_tokens(&state, &v)
        .await?
        .into_iter()
        .rev()
        .find(|t| t.label == label);
    Ok((
        StatusCode::CREATED,
        Json(json!({"token": token, "info": info})),
    )
        .into_response())
}

/// `DELETE /me/tokens/{token}` → 204, or 404 when the caller has no such token.
pub(crate) async fn revoke_token(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    v.check_csrf(csrf_header(&headers))?;
    service::revoke_own_token(&state, &v, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct AssignmentsBody {
    assignments: Vec<AssignmentView>,
}

/// `GET /tenants/{id}/assignments`: who works on the tenant (`service` null: tenant-wide).
pub(crate) async fn assignments(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let list = assignments_service::list(&state, &v, &id).await?;
    Ok(Json(json!({"assignments": list})).into_response())
}

/// `PUT /tenants/{id}/assignments` `{assignments: [{user, role, service, primary}]}`:
/// replaces the whole set in one change (exactly one primary per role and level).
pub(crate) async fn set_assignments(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    b: Body<AssignmentsBody>,
) -> Result<Response, AppError> {
    let b = body(b)?;
    ftop_domain::limits::count(
        "assignments",
        b.assignments.len() as u64,
        ftop_domain::limits::LIST_ITEMS,
    )
    .map_err(AppError::field_error)?;
    let list =
        assignments_service::replace(&state, &v, &id, csrf_header(&headers), b.assignments).await?;
    Ok(Json(json!({"assignments": list})).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct ReassignBody {
    from: String,
    to: String,
    #[serde(default)]
    exclude: Vec<i64>,
    #[serde(default)]
    apply: bool,
}

/// `POST /reassignments` `{from, to, exclude, apply}`: with `apply: false` (the default)
/// the preview (every assignment of `from`, those in `exclude` deselected, and the
/// counts); with `apply: true` the move, in one transaction, and how many moved. There
/// is no undo.
pub(crate) async fn reassignments(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    b: Body<ReassignBody>,
) -> Result<Response, AppError> {
    v.check_csrf(csrf_header(&headers))?;
    let b = body(b)?;
    ftop_domain::limits::count(
        "exclude",
        b.exclude.len() as u64,
        ftop_domain::limits::ID_LIST,
    )
    .map_err(AppError::field_error)?;
    if b.apply {
        let moved = assignments_service::reassign(
            &state,
            &v,
            csrf_header(&headers),
            &b.from,
            &b.to,
            &b.exclude,
        )
        .await?;
        return Ok(Json(json!({"moved": moved})).into_response());
    }
    let (moves, selected, deselected) =
        assignments_service::preview(&state, &v, &b.from, &b.to, &b.exclude).await?;
    Ok(Json(json!({
        "from": b.from,
        "to": b.to,
        "moves": moves,
        "selected": selected,
        "deselected": deselected,
    }))
    .into_response())
}

/// `GET /tenants/{id}/partners`: the partner organisations on the tenant.
pub(crate) async fn tenant_partners(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let list = assignments_service::tenant_partners(&state, &v, &id).await?;
    Ok(Json(json!({"partners": list})).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct TenantPartnersBody {
    partners: Vec<String>,
}

/// `PUT /tenants/{id}/partners` `{partners: [name]}`: the organisations on the tenant
/// become exactly these (managers and administrators).
pub(crate) async fn set_tenant_partners(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    b: Body<TenantPartnersBody>,
) -> Result<Response, AppError> {
    let b = body(b)?;
    ftop_domain::limits::count(
        "partners",
        b.partners.len() as u64,
        ftop_domain::limits::LIST_ITEMS,
    )
    .map_err(AppError::field_error)?;
    let list = assignments_service::set_tenant_partners(
        &state,
        &v,
        &id,
        csrf_header(&headers),
        b.partners,
    )
    .await?;
    Ok(Json(json!({"partners": list})).into_response())
}
