//! `GET /api/v1/me/queue`: the caller's work queue (issue 17), as the home page's "Needs
//! me" section lists it, every item.

use crate::App;
use crate::auth::ApiViewer;
use crate::error::AppError;
use axum::Json;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// `GET /api/v1/me/queue`: `{"items": [{"kind", "tenant_id", "tenant_name", "due",
/// "upcoming", "link", "service", "task_id", "milestone", "detail"}]}`.
pub(crate) async fn queue(
    state: axum::extract::State<std::sync::Arc<App>>,
    ApiViewer(v): ApiViewer,
) -> Result<Response, AppError> {
    let items = crate::pages::queue::items(&state, &v).await?;
    Ok(Json(json!({ "items": items })).into_response())
}
