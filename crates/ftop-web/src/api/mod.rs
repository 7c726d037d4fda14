//! `/api/v1`: the same operations as the pages, as JSON. Session cookie (with the
//! `X-CSRF-Token` header on changes) or `Authorization: Bearer TOKEN`.

pub(crate) mod adoption;
mod customers;
mod enterprise;
mod library;
mod migration;
mod people;
mod playbook;
mod portfolio;
mod query;
mod queue;
mod records;
mod reports;
mod suggest;
mod tenants;

use crate::App;
use crate::error::AppError;
use axum::Router;
use axum::http::HeaderMap;
use axum::routing::get;
use std::sync::Arc;

pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/me", get(tenants::me))
        .route("/me/queue", get(queue::queue))
        .route("/customers/{id}", get(customers::show))
        .route("/tenants", get(tenants::list).post(tenants::create))
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
            "/tenants/{id}/time/{entry}",
            axum::routing::patch(records::change_time).delete(records::delete_time),
        )
        .route(
            "/tenants/{id}/priority",
            axum::routing::put(records::set_priority),
        )
        .route(
            "/tenants/{id}/suggest",
            axum::routing::post(suggest::suggest),
        )
        .route(
            "/tenants/{id}/services/{service}/delivery",
            get(records::delivery).put(records::set_delivery),
        )
        .route(
            "/tenants/{id}/services/{service}/migration",
            get(migration::migration).put(migration::set_migration),
        )
        .route(
            "/tenants/{id}/enterprise-status",
            get(enterprise::statuses).post(enterprise::add),
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
            axum::routing::delete(records::delete_contact).put(records::update_contact),
        )
        .route("/tenants/{id}/history", get(records::history))
        .route(
            "/tenants/{id}/exception",
            axum::routing::put(records::set_exception),
        )
        .route(
            "/tenants/{id}/partners",
            get(people::tenant_partners).put(people::set_tenant_partners),
        )
        .route(
            "/tenants/{id}/assignments",
            get(people::assignments).put(people::set_assignments),
        )
        .route("/tenants/{id}/adoption", get(adoption::adoption))
        .route(
            "/tenants/{id}/services/{service}/forecast",
            get(adoption::forecast).put(adoption::set_forecast),
        )
        .route("/tenants/{id}/tasks", get(tenants::tasks))
        .route(
            "/tenants/{id}/tasks/{task}",
            axum::routing::patch(tenants::update_task),
        )
        .route("/portfolio", get(portfolio::portfolio))
        .route("/adoption", get(adoption::portfolio))
        .route("/adoption/rows", get(adoption::rows))
        .route("/reports/milestones", get(reports::milestones))
        .route(
            "/reports/stale-status-notes",
            get(reports::stale_status_notes),
        )
        .route("/reports/compliance", get(reports::compliance))
        .route("/reports/forecast", get(reports::forecast))
        .route(
            "/reports/new-subscriptions",
            get(reports::new_subscriptions),
        )
        .route("/reports/data-health", get(reports::data_health))
        .route("/reports/conversion", get(reports::conversion))
        .route("/reports/service-usage", get(reports::service_usage))
        .route("/reports/usage-trend", get(reports::usage_trend))
        .route("/reports/performance", get(reports::performance))
        .route("/notes", get(library::notes))
        .route("/notes/templates", get(library::templates))
        .route(
            "/notes/drafts",
            get(library::drafts).post(library::add_draft),
        )
        .route(
            "/notes/drafts/{draft}",
            get(library::draft)
                .put(library::update_draft)
                .delete(library::delete_draft),
        )
        .route("/playbook", get(playbook::index))
        .route("/playbook/translations", get(playbook::translations))
        .route("/playbook/processes/{key}", get(playbook::process))
        .route("/users", get(people::list).post(people::create))
        .route("/reassignments", axum::routing::post(people::reassignments))
        .route("/users/{name}", get(people::show).patch(people::update))
        .route(
            "/partners",
            get(people::partners).post(people::create_partner),
        )
        .route(
            "/partners/{partner}",
            axum::routing::patch(people::rename_partner),
        )
        .route("/me/password", axum::routing::put(people::change_password))
        .route("/me/tokens", get(people::tokens).post(people::create_token))
        .route(
            "/me/tokens/{token}",
            axum::routing::delete(people::revoke_token),
        )
        .route("/openapi.json", get(tenants::openapi))
        .fallback(|| async { AppError::not_found("route") })
}

/// The CSRF token a session caller sends with a change.
pub(crate) fn csrf_header(headers: &HeaderMap) -> Option<&str> {
    headers.get("x-csrf-token").and_then(|h| h.to_str().ok())
}

/// A JSON body, or 422 naming what is wrong with it.
pub(crate) type Body<T> = Result<crate::extract::Json<T>, crate::extract::Rejected>;

/// The value of a [`Body`], or 422 `invalid` with the field `body`.
pub(crate) fn body<T>(b: Body<T>) -> Result<T, AppError> {
    b.map(|crate::extract::Json(x)| x).map_err(|e| e.error)
}

/// A JSON response written into one buffer of about `size_hint` bytes (large lists such as
/// a tenant's tasks would otherwise grow the body in many small steps).
pub(crate) fn json_body<T: serde::Serialize>(
    value: &T,
    size_hint: usize,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut buf = Vec::with_capacity(size_hint);
    match serde_json::to_writer(&mut buf, value) {
        Ok(()) => (
            [(
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("application/json"),
            )],
            buf,
        )
            .into_response(),
        Err(e) => AppError::internal(format!("JSON serialization failed: {e}")).into_response(),
    }
}
