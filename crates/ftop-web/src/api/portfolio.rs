//! The portfolio summary over JSON: what `/portfolio` shows, from the same function.

use super::query::{Params, Strict};
use crate::auth::ApiViewer;
use crate::error::AppError;
use crate::extract::Query;
use crate::service::portfolio::{PortfolioQuery, summary};
use axum::Json;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// `GET /portfolio[?mine=true]`: the tenants the caller may see (partners: their
/// organisation's), or only those assigned to them, counted by overall status, service,
/// primary FastTrack Manager and current phase.
pub(crate) async fn portfolio(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Query(q): Query<PortfolioQuery>,
    Query(raw): Params,
) -> Result<Response, AppError> {
    Strict::of(&raw).flag("mine").finish()?;
    let mine = q.mine();
    let s = summary(&state, &v, mine).await?;
    Ok(Json(json!({"mine": mine, "summary": s})).into_response())
}
