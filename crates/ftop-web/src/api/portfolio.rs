//! The portfolio summary over JSON: what `/portfolio` shows, from the same function.

use super::caller;
use crate::error::ApiError;
use crate::pages::portfolio::{PortfolioQuery, summary};
use axum::Json;
use axum::extract::Query;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// `GET /portfolio[?mine=true]`: the tenants the caller may see (partners: their
/// organisation's), or only those assigned to them, counted by overall status, service,
/// primary FastTrack Manager and current phase.
pub(crate) async fn portfolio(
    state: crate::State,
    headers: HeaderMap,
    Query(q): Query<PortfolioQuery>,
) -> Result<Response, ApiError> {
    let v = caller(&state, &headers).await?;
    let mine = q.mine();
    let s = summary(&state, &v, mine).await?;
    Ok(Json(json!({"mine": mine, "summary": s})).into_response())
}
