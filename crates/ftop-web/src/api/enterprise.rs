//! `/tenants/{id}/enterprise-status`: the Enterprise status of an enterprise tenant (the
//! current entry, the earlier ones, whether an update is overdue) and adding an entry.
//! A tenant that is not an enterprise tenant answers 404; who may add: see
//! `service/enterprise.rs`.

use super::{Body, body, csrf_header};
use crate::auth::ApiViewer;
use crate::error::AppError;
use crate::extract::Path;
use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use ftop_domain::enterprise::EnterpriseDraft;
use serde::Deserialize;
use serde_json::json;

/// `GET /tenants/{id}/enterprise-status`.
pub(crate) async fn statuses(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let mut all = crate::service::enterprise::read(&state, &v, &id).await?;
    let earlier = if all.is_empty() {
        Vec::new()
    } else {
        all.split_off(1)
    };
    let current = all.pop();
    let overdue = current
        .as_ref()
        .is_some_and(|c| c.overdue(ftop_store::today()));
    Ok(Json(json!({"current": current, "earlier": earlier, "overdue": overdue})).into_response())
}

/// An entry as sent: missing or null text is empty (the check names what is required).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EntryBody {
    #[serde(default)]
    reasons: Vec<String>,
    rag: Option<String>,
    summary: Option<String>,
    overview: Option<String>,
    activities: Option<String>,
    risks: Option<String>,
    brand: Option<String>,
    awareness: Option<String>,
    next_update: Option<String>,
}

/// `POST /tenants/{id}/enterprise-status`: adds an entry, which becomes the current status
/// (201).
pub(crate) async fn add(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    b: Body<EntryBody>,
) -> Result<Response, AppError> {
    // Who may before what is asked (403 and 404 before 400 and 422).
    let tenant =
        crate::service::enterprise::authorize(&state, &v, &id, csrf_header(&headers)).await?;
    let b = body(b)?;
    let d = EnterpriseDraft {
        reasons: b.reasons,
        rag: b.rag.unwrap_or_default(),
        summary: b.summary.unwrap_or_default(),
        overview: b.overview.unwrap_or_default(),
        activities: b.activities.unwrap_or_default(),
        risks: b.risks.unwrap_or_default(),
        brand: b.brand.unwrap_or_default(),
        awareness: b.awareness.unwrap_or_default(),
        next_update: b.next_update.unwrap_or_default(),
    };
    let e = crate::service::enterprise::save(&state, &v, &tenant, &d).await?;
    Ok((StatusCode::CREATED, Json(json!({"status": e}))).into_response())
}
