//! Server-rendered pages. They work without JavaScript: every change is a form POST that
//! redirects back.

pub(crate) mod adoption;
pub(crate) mod again;
pub(crate) mod apidoc;
pub(crate) mod assignments;
pub(crate) mod charts;
pub(crate) mod contact_form;
pub(crate) mod csv;
pub(crate) mod customer;
pub(crate) mod delivery;
pub(crate) mod edit_tenant;
pub(crate) mod editor;
pub(crate) mod engagement;
pub(crate) mod enterprise;
pub(crate) mod forecast;
pub(crate) mod forms;
pub(crate) mod grid_display;
pub(crate) mod grid_filters;
pub(crate) mod history;
pub(crate) mod home;
pub(crate) mod layout;
pub(crate) mod library;
pub(crate) mod migration;
pub(crate) mod new_tenant;
pub(crate) mod notice;
pub(crate) mod people;
pub(crate) mod portfolio;
pub(crate) mod priority;
pub(crate) mod queue;
pub(crate) mod reader;
pub(crate) mod reassign;
pub(crate) mod record;
pub(crate) mod reports;
pub(crate) mod services_tab;
pub(crate) mod task_detail;
pub(crate) mod tasks_tab;
pub(crate) mod templates;
pub(crate) mod tenant;
pub(crate) mod tenant_import;
pub(crate) mod time_edit;
pub(crate) mod usage_tab;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// `GET /healthz`: 200 when the database answers.
pub(crate) async fn health(state: crate::State) -> Response {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
    }
}

/// `GET /assets/app.css`.
pub(crate) async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../assets/app.css"),
    )
        .into_response()
}

/// `GET /assets/htmx.min.js`: htmx 2 (0BSD), vendored, so pages get smoother with
/// JavaScript and nothing is fetched from elsewhere.
pub(crate) async fn htmx() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("../../assets/htmx.min.js"),
    )
        .into_response()
}

/// `GET /assets/ftop.js`: ftop's own script (dependent choices, live totals); pages work
/// without it.
pub(crate) async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../assets/ftop.js"),
    )
        .into_response()
}

/// Anything else: the 404 page.
pub(crate) async fn not_found(lang: crate::i18n::Lang) -> crate::error::PageError {
    crate::error::PageError::new(lang, crate::error::AppError::not_found("page"))
}
