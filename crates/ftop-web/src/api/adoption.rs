//! Adoption of one tenant: Active Usage per service with its milestones, and the forecast
//! dates of each service with their history.

use super::records::{Body, allowed, body};
use crate::error::ApiError;
use axum::Json;
use axum::extract::Path;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use ftop_domain::adoption::ForecastDates;
use ftop_store::Actor;
use serde::Deserialize;
use serde_json::json;

/// `GET /tenants/{id}/adoption`: AU, bucket and milestone dates of every service.
pub(crate) async fn adoption(
    state: crate::State,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    allowed(&state, &headers, &id, false).await?;
    let id = id.trim().to_ascii_lowercase();
    let services = state.store.adoption(&id).await?;
    Ok(Json(json!({"tenant_id": id, "services": services})).into_response())
}

/// `GET /tenants/{id}/services/{service}/forecast`: the dates (null before the first
/// save), the version to send back, and every accepted save, newest first.
pub(crate) async fn forecast(
    state: crate::State,
    headers: HeaderMap,
    Path((id, service)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    allowed(&state, &headers, &id, false).await?;
    let f = state.store.forecast(&id, &service).await?;
    let history = state.store.forecast_history(&id, &service).await?;
    Ok(Json(json!({"forecast": f, "history": history})).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct ForecastBody {
    #[serde(default)]
    version: i64,
    #[serde(flatten)]
    dates: ForecastDates,
}

/// `PUT /tenants/{id}/services/{service}/forecast`: saves the dates (validated: RFA
/// required, targets in the future and in order); 409 on a stale version.
pub(crate) async fn set_forecast(
    state: crate::State,
    headers: HeaderMap,
    Path((id, service)): Path<(String, String)>,
    b: Body<ForecastBody>,
) -> Result<Response, ApiError> {
    let v = allowed(&state, &headers, &id, true).await?;
    let b = body(b)?;
    let f = state
        .store
        .save_forecast(
            &Actor::user(&v.user),
            &id,
            &service,
            &b.dates,
            Some(b.version),
        )
        .await?;
    Ok(Json(json!({"forecast": f})).into_response())
}
