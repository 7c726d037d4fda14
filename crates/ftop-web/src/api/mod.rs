//! `/api/v1`: the same operations as the pages, as JSON. Session cookie (with the
//! `X-CSRF-Token` header on changes) or `Authorization: Bearer TOKEN`.

mod records;
mod tenants;

use crate::App;
use crate::auth::{Viewer, viewer};
use crate::error::ApiError;
use axum::Router;
use axum::http::HeaderMap;
use axum::routing::get;
use std::sync::Arc;

pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/me", get(tenants::me))
        .route("/tenants", get(tenants::list))
        .route(
            "/tenants/{id}",
            get(tenants::show).patch(records::update_engagement),
        )
        .route(
            "/tenants/{id}/notes",
            get(records::notes).post(records::add_note),
        )
        .route(
            "/tenants/{id}/time",
            get(records::time_entries).post(records::add_time),
        )
        .route(
            "/tenants/{id}/services/{service}/status",
            get(records::service_status).put(records::set_service_status),
        )
        .route(
            "/tenants/{id}/contacts",
            get(records::contacts).post(records::add_contact),
        )
        .route(
            "/tenants/{id}/contacts/{contact}",
            axum::routing::delete(records::delete_contact),
        )
        .route("/tenants/{id}/history", get(records::history))
        .route("/tenants/{id}/tasks", get(tenants::tasks))
        .route(
            "/tenants/{id}/tasks/{task}",
            axum::routing::patch(tenants::update_task),
        )
        .route("/openapi.json", get(tenants::openapi))
        .fallback(|| async { ApiError::not_found("route") })
}

/// The caller, or 401.
pub(crate) async fn caller(app: &App, headers: &HeaderMap) -> Result<Viewer, ApiError> {
    viewer(app, headers)
        .await
        .ok_or_else(ApiError::unauthenticated)
}
