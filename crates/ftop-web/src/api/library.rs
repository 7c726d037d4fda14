//! The notes library over JSON: the saved notes the caller may see with the page's filters
//! and search, the caller's drafts (list, write, change or save, delete) and the note
//! templates. The same functions as `/notes` and the notes editor underneath.

use super::query::{Params, Strict};
use super::{Body, body, csrf_header};
use crate::auth::{ApiViewer, Viewer};
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::i18n::Lang;
use crate::pages::templates::{TEMPLATED, template};
use crate::service::drafts::{as_draft, change_draft, create, drafts_of, own_draft, remove_draft};
use crate::service::library::NoteFilters;
use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use ftop_domain::{FieldError, NoteCategory};
use ftop_store::NoteDraft;
use serde::Deserialize;
use serde_json::json;

fn invalid(fields: Vec<FieldError>) -> AppError {
    AppError::invalid(fields)
}

/// The caller, when they may write notes (not guests); changes need the session's CSRF
/// token when the caller came with a cookie.
fn writer(v: Viewer, headers: &HeaderMap, change: bool) -> Result<Viewer, AppError> {
    if change {
        v.check_csrf(csrf_header(headers))?;
    }
    v.writer()?;
    Ok(v)
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct NotesQuery {
    #[serde(flatten)]
    filters: NoteFilters,
    limit: Option<String>,
}

/// `GET /notes`: saved notes the caller may see (partners: their organisation's tenants'),
/// newest first, with the library's filters.
pub(crate) async fn notes(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Query(q): Query<NotesQuery>,
    Query(raw): Params,
) -> Result<Response, AppError> {
    let mut strict = Strict::of(&raw);
    strict
        .whole("limit", 1, 1000)
        .flag("mine")
        .flag("escalated")
        .choice("window", &["all", "30", "60", "90"])
        .given("category");
    let mut problems = strict.into_fields();
    let limit = q
        .limit
        .as_deref()
        .and_then(|l| l.parse::<i64>().ok())
        .filter(|n| (1..=1000).contains(n))
        .unwrap_or(100);
    let (filter, more) = q.filters.filter(&v.user, limit);
    // The library's own reading names some of the same parameters: once each.
    for m in more {
        if !problems.iter().any(|p| p.field == m.field) {
            problems.push(m);
        }
    }
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let notes = crate::service::library::notes(&state, &v.user, &filter).await?;
    Ok(Json(json!({"notes": notes})).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct TemplateQuery {
    lang: Option<String>,
}

/// `GET /notes/templates[?lang=en|es|zh]`: the categories with a template and its text
/// (default: the caller's UI language).
pub(crate) async fn templates(
    _: ApiViewer,
    headers: HeaderMap,
    Query(q): Query<TemplateQuery>,
) -> Result<Response, AppError> {
    // Exactly a code of the document's list (`en`, `es`, `zh`).
    let lang = match q.lang.as_deref() {
        None => Lang::of(&headers),
        Some(l) => Lang::ALL
            .into_iter()
            .find(|x| x.code() == l)
            .ok_or_else(|| {
                invalid(vec![
                    FieldError::of("lang", "invalid-language")
                        .quoting("value", l)
                        .with("choices", "en, es, zh"),
                ])
            })?,
    };
    let list: Vec<_> = TEMPLATED
        .iter()
        .filter_map(|c| {
            template(*c, lang).map(|t| json!({"category": c.key(), "name": c.name(), "body": t}))
        })
        .collect();
    Ok(Json(json!({"lang": lang.code(), "templates": list})).into_response())
}

/// `GET /notes/drafts`: the caller's drafts, newest first, with their tenants' names.
pub(crate) async fn drafts(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let v = writer(v, &headers, false)?;
    Ok(Json(json!({"drafts": drafts_of(&state, &v.user).await?})).into_response())
}

/// `GET /notes/drafts/{draft}`.
pub(crate) async fn draft(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let v = writer(v, &headers, false)?;
    Ok(Json(json!({"draft": own_draft(&state, &v.user, id).await?})).into_response())
}

/// The fields of a note; on a change of a draft, those left out keep their value.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct DraftBody {
    tenant_id: Option<String>,
    version: Option<i64>,
    category: Option<String>,
    body: Option<String>,
    services: Option<Vec<String>>,
    task_id: Option<u32>,
    escalated: Option<bool>,
    next_action: Option<String>,
    next_action_date: Option<String>,
    next_action_owner: Option<String>,
    #[serde(default)]
    save: bool,
}

impl DraftBody {
    /// `base` with the fields this body sets.
    fn over(self, base: NoteDraft) -> Result<NoteDraft, AppError> {
        let category = match &self.category {
            None => base.category,
            Some(c) => Some(NoteCategory::parse(c).ok_or_else(|| {
                invalid(vec![
                    FieldError::of("category", "invalid-note-category").quoting("value", c),
                ])
            })?),
        };
        Ok(NoteDraft {
            tenant_id: base.tenant_id,
            category,
            body: self.body.unwrap_or(base.body),
            services: self.services.unwrap_or(base.services),
            task_id: self.task_id.or(base.task_id),
            escalated: self.escalated.unwrap_or(base.escalated),
            next_action: self.next_action.unwrap_or(base.next_action),
            next_action_date: self.next_action_date.or(base.next_action_date),
            next_action_owner: self.next_action_owner.unwrap_or(base.next_action_owner),
        })
    }
}

/// `POST /notes/drafts`: a new draft on a tenant the caller may change (as the editor's
/// "Save draft"); `"save": true` saves it as a note at once.
pub(crate) async fn add_draft(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    b: Body<DraftBody>,
) -> Result<Response, AppError> {
    let v = writer(v, &headers, true)?;
    let mut b = body(b)?;
    let Some(tenant) = b.tenant_id.take().filter(|t| !t.trim().is_empty()) else {
        return Err(invalid(vec![FieldError::of(
            "tenant_id",
            "invalid-note-tenant",
        )]));
    };
    crate::service::drafts::may_write_notes(&state, &v, &tenant).await?;
    let save = b.save;
    let d = b.over(NoteDraft {
        tenant_id: tenant,
        ..NoteDraft::default()
    })?;
    let n = create(&state, &v, &d, save).await?;
    let key = if save { "note" } else { "draft" };
    Ok((StatusCode::CREATED, Json(json!({ key: n }))).into_response())
}

/// `PUT /notes/drafts/{draft}`: changes the draft read at `version` (fields left out keep
/// their value); `"save": true` saves it as a note of its tenant, which needs write access
/// to the tenant.
pub(crate) async fn update_draft(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    b: Body<DraftBody>,
) -> Result<Response, AppError> {
    let v = writer(v, &headers, true)?;
    let b = body(b)?;
    let note = own_draft(&state, &v.user, id).await?;
    let Some(version) = b.version else {
        return Err(invalid(vec![FieldError::of(
            "version",
            "invalid-draft-version",
        )]));
    };
    let save = b.save;
    let d = b.over(as_draft(&note))?;
    let n = change_draft(&state, &v.user, &note, version, &d, save).await?;
    let key = if save { "note" } else { "draft" };
    Ok(Json(json!({ key: n })).into_response())
}

/// `DELETE /notes/drafts/{draft}`.
pub(crate) async fn delete_draft(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let v = writer(v, &headers, true)?;
    remove_draft(&state, &v.user, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
