//! `/tenants/{id}/services/{service}/migration`: a service's data migration decision over
//! JSON (read by everyone who sees the tenant, replaced by those who may change it).

use super::{Body, body, csrf_header};
use crate::auth::ApiViewer;
use crate::error::AppError;
use crate::extract::Path;
use crate::service::migration::{self, DecisionText, RowText};
use axum::Json;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

/// `GET /tenants/{id}/services/{service}/migration`: the decision, what the rows must add
/// up to (`due`) and the version to send back.
pub(crate) async fn migration(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Path((id, service)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let m = migration::read(&state, &v, &id, &service).await?;
    Ok(Json(json!({"migration": m})).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TypeBody {
    migration_type: String,
    entitlements: u64,
    #[serde(default)]
    estimated_date: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    data_size_gb: Option<u64>,
    #[serde(default)]
    status: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MigrationBody {
    version: i64,
    performing: bool,
    #[serde(default)]
    desired_start: Option<String>,
    #[serde(default)]
    desired_end: Option<String>,
    #[serde(default)]
    rejection_reason: Option<String>,
    #[serde(default)]
    notes: Option<String>,
    #[serde(default)]
    types: Vec<TypeBody>,
}

/// `PUT /tenants/{id}/services/{service}/migration`: replaces the decision.
pub(crate) async fn set_migration(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path((id, service)): Path<(String, String)>,
    b: Body<MigrationBody>,
) -> Result<Response, AppError> {
    let csrf = csrf_header(&headers);
    // Who may change it before what is asked: a refused caller learns nothing of the body.
    crate::service::access::tenant(&state, &v, &id, crate::service::access::Need::Write, csrf)
        .await?;
    let b = body(b)?;
    let text = DecisionText {
        performing: Some(b.performing),
        desired_start: b.desired_start.unwrap_or_default(),
        desired_end: b.desired_end.unwrap_or_default(),
        rejection_reason: b.rejection_reason.unwrap_or_default(),
        notes: b.notes.unwrap_or_default(),
        types: b
            .types
            .into_iter()
            .map(|r| RowText {
                // Never a blank row: the entitlements are always given.
                migration_type: r.migration_type,
                entitlements: r.entitlements.to_string(),
                estimated_date: r.estimated_date.unwrap_or_default(),
                note: r.note.unwrap_or_default(),
                data_size_gb: r.data_size_gb.map(|g| g.to_string()).unwrap_or_default(),
                status: r.status.unwrap_or_default(),
            })
            .collect(),
    };
    let (d, _) = migration::parse(&text).map_err(AppError::invalid)?;
    let m = migration::change(&state, &v, (&id, &service), csrf, b.version, &d).await?;
    Ok(Json(json!({"migration": m})).into_response())
}
