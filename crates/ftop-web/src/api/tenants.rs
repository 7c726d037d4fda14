//! Tenants and their tasks over JSON.

use super::caller;
use crate::auth::csrf_ok;
use crate::error::ApiError;
use axum::Json;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use ftop_domain::{TaskStatus, UserRole};
use ftop_store::{Access, Actor, TaskUpdate, TenantFilter};
use serde::{Deserialize, Serialize};
use serde_json::json;

pub(crate) async fn me(state: crate::State, headers: HeaderMap) -> Result<Response, ApiError> {
    let v = caller(&state, &headers).await?;
    Ok(Json(json!({"user": v.user, "csrf": v.csrf})).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListQuery {
    q: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
    mine: Option<bool>,
}

pub(crate) async fn list(
    state: crate::State,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let v = caller(&state, &headers).await?;
    let partner = v.user.role == UserRole::Partner;
    let f = TenantFilter {
        search: q.q,
        assigned_to: (q.mine == Some(true)).then_some(v.user.id),
        partner_id: partner.then_some(v.user.partner_id.unwrap_or(-1)),
        limit: Some(q.limit.unwrap_or(100).clamp(1, 1000)),
        offset: Some(q.offset.unwrap_or(0).max(0)),
        ..TenantFilter::default()
    };
    let rows = state.store.tenants(&f).await?;
    let total = state.store.tenant_matches(&f).await?;
    Ok(Json(json!({"total": total, "tenants": rows})).into_response())
}

async fn readable(
    state: &crate::App,
    v: &crate::auth::Viewer,
    id: &str,
) -> Result<Access, ApiError> {
    match state.store.access(&v.user, id).await? {
        Access::None => Err(ApiError::not_found(&format!("tenant {id}"))),
        a => Ok(a),
    }
}

pub(crate) async fn show(
    state: crate::State,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let v = caller(&state, &headers).await?;
    let r = seen(&state, &v, &id).await?;
    Ok(Json(json!({"tenant": r.tenant, "can_edit": r.access == Access::Write})).into_response())
}

/// The tenant if the caller may see it, else 404.
async fn seen(
    state: &crate::App,
    v: &crate::auth::Viewer,
    id: &str,
) -> Result<ftop_store::TenantRead, ApiError> {
    state
        .store
        .tenant_for(&v.user, id)
        .await?
        .ok_or_else(|| ApiError::not_found(&format!("tenant {id}")))
}

/// The task list as the API sends it, serialized straight from the views.
#[derive(Serialize)]
struct TaskList<'a> {
    tenant_id: &'a str,
    tasks: &'a [ftop_store::TaskView],
}

pub(crate) async fn tasks(
    state: crate::State,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let v = caller(&state, &headers).await?;
    let r = seen(&state, &v, &id).await?;
    let tasks = state.store.tasks_of(&r.tenant.tenant_id, &r.facts).await?;
    let list = TaskList {
        tenant_id: &r.tenant.tenant_id,
        tasks: &tasks,
    };
    Ok(super::json_body(&list, 128 + tasks.len() * 512))
}

#[derive(Debug, Deserialize)]
pub(crate) struct TaskPatch {
    #[serde(default)]
    service: String,
    version: i64,
    status: Option<String>,
    percent: Option<i64>,
}

pub(crate) async fn update_task(
    state: crate::State,
    headers: HeaderMap,
    Path((id, task)): Path<(String, u32)>,
    body: Result<Json<TaskPatch>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, ApiError> {
    let v = caller(&state, &headers).await?;
    let sent = headers.get("x-csrf-token").and_then(|h| h.to_str().ok());
    if !csrf_ok(&v, sent) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "csrf",
            "send the session's CSRF token in X-CSRF-Token",
        ));
    }
    match readable(&state, &v, &id).await? {
        Access::Write => {}
        _ => return Err(ApiError::forbidden("change this tenant")),
    }
    let Json(p) = body.map_err(|e| {
        let mut err = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            "the body is not a valid task change",
        );
        err.fields
            .push(ftop_domain::FieldError::new("body", e.body_text()));
        err
    })?;
    let status = match p.status.as_deref() {
        None => None,
        Some(s) => Some(TaskStatus::parse(s).ok_or_else(|| {
            let mut err = ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                "some fields are invalid",
            );
            err.fields.push(ftop_domain::FieldError::new(
                "status",
                format!("`{s}` is not a task status"),
            ));
            err
        })?),
    };
    let u = TaskUpdate {
        task_id: task,
        service: p.service,
        version: p.version,
        status,
        percent: p.percent,
        role: None,
    };
    let t = state.store.set_task(&Actor::user(&v.user), &id, &u).await?;
    Ok(Json(json!({"task": t})).into_response())
}

pub(crate) async fn openapi() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        include_str!("../../assets/openapi.json"),
    )
        .into_response()
}
