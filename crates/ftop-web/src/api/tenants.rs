//! Tenants and their tasks over JSON.

use super::{Body, body, csrf_header};
use crate::auth::ApiViewer;
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::service::access::{self, Need};
use crate::service::tenants::{partner_scope, visible, visible_with_tasks};
use axum::Json;
use axum::response::{IntoResponse, Response};
use ftop_domain::TaskStatus;
use ftop_store::{Access, Actor, TaskUpdate, TenantFilter};
use serde::{Deserialize, Serialize};
use serde_json::json;

pub(crate) async fn me(ApiViewer(v): ApiViewer) -> Response {
    Json(json!({"user": v.user, "csrf": v.csrf})).into_response()
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListQuery {
    q: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
    mine: Option<bool>,
    /// `name` (default) or `gain`: highest predicted six-month AU gain first.
    sort: Option<String>,
}

pub(crate) async fn list(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let mut bad = Vec::new();
    if q.limit.is_some_and(|l| !(1..=1000).contains(&l)) {
        bad.push(ftop_domain::FieldError::of("limit", "invalid-limit").with("max", 1000));
    }
    if q.offset.is_some_and(|o| o < 0) {
        bad.push(ftop_domain::FieldError::of(
            "offset",
            "invalid-not-negative",
        ));
    }
    let sort = match q.sort.as_deref() {
        None | Some("name") => ftop_store::TenantSort::Name,
        Some("gain") => ftop_store::TenantSort::Gain,
        Some(other) => {
            bad.push(ftop_domain::FieldError::of("sort", "invalid-choice").quoting("value", other));
            ftop_store::TenantSort::Name
        }
    };
    if !bad.is_empty() {
        return Err(AppError::invalid(bad));
    }
    let f = TenantFilter {
        sort,
        descending: sort == ftop_store::TenantSort::Gain,
        search: q.q,
        assigned_to: (q.mine == Some(true)).then_some(v.user.id),
        partner_id: partner_scope(&v.user),
        limit: Some(q.limit.unwrap_or(100)),
        offset: Some(q.offset.unwrap_or(0)),
        ..TenantFilter::default()
    };
    let rows = state.store.tenants(&f).await?;
    let total = state.store.tenant_matches(&f).await?;
    Ok(Json(json!({"total": total, "tenants": rows})).into_response())
}

pub(crate) async fn show(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let r = visible(&state, &v, &id).await?;
    Ok(Json(json!({"tenant": r.tenant, "can_edit": r.access == Access::Write})).into_response())
}

/// The task list as the API sends it, serialized straight from the views.
#[derive(Serialize)]
struct TaskList<'a> {
    tenant_id: &'a str,
    tasks: &'a [ftop_store::TaskView],
}

pub(crate) async fn tasks(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (r, tasks) = visible_with_tasks(&state, &v, &id).await?;
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
    ApiViewer(v): ApiViewer,
    headers: axum::http::HeaderMap,
    Path((id, task)): Path<(String, u32)>,
    b: Body<TaskPatch>,
) -> Result<Response, AppError> {
    access::tenant(&state, &v, &id, Need::Write, csrf_header(&headers)).await?;
    let p = body(b).map_err(|mut e| {
        e.message = "the body is not a valid task change".into();
        e
    })?;
    let status = match p.status.as_deref() {
        None => None,
        Some(s) => Some(TaskStatus::parse(s).ok_or_else(|| {
            AppError::field_error(
                ftop_domain::FieldError::of("status", "invalid-task-status").quoting("value", s),
            )
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

/// `POST /tenants` `{tenant_id, tenant_name, customer, services: [{service, entitlements,
/// qualified_entitlements}]}` → 201 with the tenant; an ID that exists: 409.
pub(crate) async fn create(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: axum::http::HeaderMap,
    b: super::Body<crate::service::tenants::NewTenantBody>,
) -> Result<Response, AppError> {
    v.check_csrf(super::csrf_header(&headers))?;
    crate::service::tenants::may_create(&v)?;
    let t = crate::service::tenants::create(&state, &v, super::body(b)?).await?;
    Ok((axum::http::StatusCode::CREATED, Json(json!({"tenant": t}))).into_response())
}
