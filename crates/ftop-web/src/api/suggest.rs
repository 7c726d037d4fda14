//! `POST /tenants/{id}/suggest`: the status and reason (L1/L2) a status note points to.

use super::{Body, body, csrf_header};
use crate::auth::ApiViewer;
use crate::error::AppError;
use crate::extract::Path;
use axum::Json;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use ftop_domain::suggest::{MIN_CONFIDENCE, NoSuggestion, Suggestion};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SuggestBody {
    note: String,
}

fn shown(s: &Suggestion) -> Value {
    json!({
        "l1": s.l1.key(),
        "l2": s.reason.key,
        "confidence": (s.confidence * 1000.0).round() / 1000.0,
    })
}

/// `POST /tenants/{id}/suggest` with `{"note": "..."}`: `suggestion` (`l1`, `l2`,
/// `confidence` from 0 to 1) when the model is at least `min_confidence` sure, else null
/// with `why` (`unsure`, with the `best` guess, or `no-known-words`). Needs the right to
/// change the tenant's status rows.
pub(crate) async fn suggest(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    b: Body<SuggestBody>,
) -> Result<Response, AppError> {
    let b = body(b)?;
    let outcome =
        crate::service::suggest::for_note(&state, &v, &id, &b.note, csrf_header(&headers)).await?;
    let mut answer = match outcome {
        Ok(s) => json!({"suggestion": shown(&s), "why": null, "best": null}),
        Err(NoSuggestion::Unsure(s)) => {
            json!({"suggestion": null, "why": "unsure", "best": shown(&s)})
        }
        Err(NoSuggestion::NothingKnown) => {
            json!({"suggestion": null, "why": "no-known-words", "best": null})
        }
    };
    answer["min_confidence"] = json!(MIN_CONFIDENCE);
    Ok(Json(answer).into_response())
}
