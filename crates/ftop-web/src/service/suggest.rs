//! Suggest: the consumption status (L1) and reason (L2) a status note points to, for the
//! Services tab's button and `POST /api/v1/tenants/{id}/suggest`.
//!
//! The model (`ftop_domain::suggest`) learns from the taxonomy's definitions and from the
//! notes people filed under a reason in this database (at most [`MAX_NOTES`]), as far as
//! the caller may see them: a partner's model learns only from the notes of its
//! organisation's tenants (what a suggestion says about the words of other tenants' notes
//! would otherwise cross the partner boundary); everyone else sees every tenant and shares
//! one model. Training takes milliseconds for thousands of notes; each instance keeps each
//! model for [`REFRESH`] and trains it again on the first request after that, so notes
//! saved meanwhile (on any instance) are learnt from within minutes.

use crate::auth::Viewer;
use crate::error::AppError;
use crate::service::access::{self, Need};
use ftop_domain::suggest::{Model, NoSuggestion, Suggestion};
use ftop_domain::{FieldError, limits};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Notes learnt from at most.
pub(crate) const MAX_NOTES: u32 = 20_000;

/// How long a trained model is used before it is trained again.
pub(crate) const REFRESH: Duration = Duration::from_secs(300);

/// The models of this instance by scope (None: every tenant; Some: a partner
/// organisation's tenants) and when each was trained.
#[derive(Debug, Default)]
pub(crate) struct Cache(Mutex<HashMap<Scope, Trained>>);

/// Whose notes a model learns from: every tenant's (None) or a partner organisation's.
type Scope = Option<i64>;

/// A model and when it was trained.
type Trained = (Instant, Arc<Model>);

impl Cache {
    fn fresh(&self, scope: Option<i64>) -> Option<Arc<Model>> {
        let guard = self.0.lock().unwrap_or_else(|e| e.into_inner());
        guard
            .get(&scope)
            .filter(|(at, _)| at.elapsed() < REFRESH)
            .map(|(_, m)| m.clone())
    }

    fn keep(&self, scope: Option<i64>, model: Arc<Model>) {
        let mut guard = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // Models past their time are dropped as new ones come (one per organisation).
        guard.retain(|_, (at, _)| at.elapsed() < REFRESH);
        guard.insert(scope, (Instant::now(), model));
    }
}

/// The model for the tenants `v` may see, trained again when older than [`REFRESH`].
pub(crate) async fn model(state: &crate::App, v: &Viewer) -> Result<Arc<Model>, AppError> {
    let scope = crate::service::tenants::partner_scope(&v.user);
    if let Some(m) = state.suggester.fresh(scope) {
        return Ok(m);
    }
    let notes = state.store.labelled_notes(scope, MAX_NOTES).await?;
    let model = tokio::task::spawn_blocking(move || {
        Arc::new(Model::train(
            notes.iter().map(|(n, r)| (n.as_str(), r.as_str())),
        ))
    })
    .await
    .map_err(|e| AppError::internal(format!("training the suggestion model: {e}")))?;
    state.suggester.keep(scope, model.clone());
    Ok(model)
}

/// What Suggest proposes for `note`, written on tenant `id`'s Services tab by `v` (who
/// must be allowed to change the tenant). Refused (422, field `note`) when the note is
/// empty or longer than a status note may be.
pub(crate) async fn for_note(
    state: &crate::App,
    v: &Viewer,
    id: &str,
    note: &str,
    csrf: Option<&str>,
) -> Result<Result<Suggestion, NoSuggestion>, AppError> {
    access::tenant(state, v, id, Need::Write, csrf).await?;
    let note = note.trim();
    if note.is_empty() {
        return Err(AppError::field_error(FieldError::of(
            "note",
            "invalid-suggest-empty",
        )));
    }
    limits::text("note", note, limits::SHORT_NOTE).map_err(AppError::field_error)?;
    Ok(model(state, v).await?.suggest(note))
}
