//! The notes library: the latest saved notes the viewer may see (partners: their
//! organisation's tenants), with filters, and the viewer's own drafts with an edit form
//! (update, save as a note, delete).

use crate::App;
use crate::auth::{Viewer, csrf_ok, page_viewer};
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::pages::layout::{flash, page};
use crate::pages::record::markdown;
use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, OriginalUri, Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use ftop_domain::{FieldError, NoteCategory, UserRole};
use ftop_store::{
    Access, Actor, LibraryFilter, LibraryNote, Note, NoteDraft, NoteWindow, StoreError, User,
};
use maud::{Markup, html};
use serde::Deserialize;
use std::sync::Arc;

/// This module's routes.
pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/notes", get(library))
        .route("/notes/drafts/{id}", post(draft))
}

/// Notes shown at most.
const LIMIT: i64 = 100;

/// The library's filters: the page's form and the API's query string.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct NoteFilters {
    /// A note category (key or name); empty for all.
    pub(crate) category: Option<String>,
    /// Only escalated notes (`1`, `true`, `on`, `yes`).
    pub(crate) escalated: Option<String>,
    /// Text in the body, the next action or the tenant's name.
    pub(crate) q: Option<String>,
    /// `all`, `30`, `60` or `90`.
    pub(crate) window: Option<String>,
    /// Only the viewer's own notes.
    pub(crate) mine: Option<String>,
}

impl NoteFilters {
    /// The store's filter for `user`, at most `limit` notes, and the values it could not
    /// read (the page ignores them; the API refuses them).
    pub(crate) fn filter(&self, user: &User, limit: i64) -> (LibraryFilter, Vec<FieldError>) {
        let mut problems = Vec::new();
        let given = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        let category = given(&self.category).and_then(|c| {
            let parsed = NoteCategory::parse(&c);
            if parsed.is_none() {
                problems.push(FieldError::new(
                    "category",
                    format!("`{c}` is not a note category"),
                ));
            }
            parsed
        });
        let window = given(&self.window)
            .and_then(|w| {
                let parsed = NoteWindow::parse(&w);
                if parsed.is_none() {
                    problems.push(FieldError::new(
                        "window",
                        format!("`{w}` is not a window: all, 30, 60 or 90"),
                    ));
                }
                parsed
            })
            .unwrap_or_default();
        let f = LibraryFilter {
            category,
            escalated: on(self.escalated.as_deref()),
            search: given(&self.q),
            window,
            author_id: on(self.mine.as_deref()).then_some(user.id),
            as_of: None,
            limit: Some(limit),
        };
        (f, problems)
    }
}

/// Filters and the outcome of a draft form sent back.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct LibraryQuery {
    #[serde(flatten)]
    filters: NoteFilters,
    saved: Option<String>,
    updated: Option<String>,
    deleted: Option<String>,
    conflict: Option<String>,
    invalid: Option<String>,
}

pub(crate) fn on(v: Option<&str>) -> bool {
    matches!(v, Some("1" | "true" | "on" | "yes"))
}

fn window_name(w: NoteWindow, lang: Lang) -> &'static str {
    lang.label(w)
}

/// `2025-01-31T09:15:02.123Z` as `2025-01-31 09:15 UTC`.
fn when(ts: &str) -> String {
    match ts.get(..16) {
        Some(s) => format!("{} UTC", s.replace('T', " ")),
        None => ts.to_string(),
    }
}

/// `GET /notes`.
pub(crate) async fn library(
    state: crate::State,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    Query(q): Query<LibraryQuery>,
) -> Response {
    let v = match page_viewer(&state, &headers, &uri).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let lang = Lang::of(&headers);
    // Values the page does not understand are ignored (all categories, any time).
    let (filter, _) = q.filters.filter(&v.user, LIMIT);
    let (category, window, escalated) = (filter.category, filter.window, filter.escalated);
    let mine = filter.author_id.is_some();
    let search = filter.search.clone();
    let notes = match state.store.notes_visible(&v.user, &filter).await {
        Ok(n) => n,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let writer = v.user.role != UserRole::Guest;
    let drafts = if writer {
        match drafts_of(&state, &v.user).await {
            Ok(d) => d,
            Err(e) => return ApiError::from(e).into_response(),
        }
    } else {
        Vec::new()
    };
    let title = lang.t("notes-library");
    let body = html! {
        h1 { (title) }
        (messages(&q, lang))
        form.filters method="get" action="/notes" role="search" {
            label { (lang.t("category"))
                select name="category" {
                    option value="" { (lang.t("all-categories")) }
                    @for c in NoteCategory::ALL { option value=(c.key()) selected[category == Some(*c)] { (lang.label(*c)) } }
                }
            }
            label { (lang.t("date"))
                select name="window" {
                    @for w in NoteWindow::ALL { option value=(w.key()) selected[w == window] { (window_name(w, lang)) } }
                }
            }
            label { (lang.t("search")) input type="search" name="q" value=(search.clone().unwrap_or_default()); }
            label { (lang.t("escalated-only")) input type="checkbox" name="escalated" value="1" checked[escalated]; }
            label { (lang.t("my-notes")) input type="checkbox" name="mine" value="1" checked[mine]; }
            button type="submit" { (lang.t("filter")) }
        }
        @if writer {
            p { a href="/notes/new" { (lang.t("new-note")) } }
            section id="drafts" {
                h2 { (lang.t("my-drafts")) }
                @if drafts.is_empty() {
                    p.muted { (lang.t("no-drafts")) }
                }
                @for d in &drafts {
                    (draft_form(&d.note, &d.tenant, &v, lang))
                }
            }
        }
        section id="saved-notes" {
            h2 { (lang.t("saved-notes")) " " span.muted { "(" (notes.len()) ")" } }
            @if notes.is_empty() {
                p.muted { (lang.t("no-note-matches")) }
            }
            @if notes.len() as i64 >= LIMIT {
                p.muted { (lang.t("notes-limit")) }
            }
            @for ln in &notes {
                @let n = &ln.note;
                article.note id=(format!("note-{}", n.id)) {
                    p.muted {
                        a href=(format!("/tenants/{}", n.tenant_id)) { (ln.tenant) }
                        " · " (n.author) " · " time datetime=(n.created_at) { (when(&n.created_at)) }
                        " · " (lang.label(n.category))
                        @if n.escalated { " · " strong.tripwire { (lang.t("escalated-marker")) } }
                    }
                    div.body { (markdown(&n.body)) }
                    @if !n.next_action.is_empty() {
                        p { strong { (lang.t("next-action")) ": " } (n.next_action)
                            @if let Some(d) = &n.next_action_date { " (" (d) ")" } }
                    }
                }
            }
        }
    };
    page(lang, &v, title, body).into_response()
}

fn messages(q: &LibraryQuery, lang: Lang) -> Markup {
    html! {
        @if q.saved.is_some() { (flash("ok", lang.t("note-saved"))) }
        @if q.updated.is_some() { (flash("ok", lang.t("draft-updated"))) }
        @if q.deleted.is_some() { (flash("ok", lang.t("draft-deleted"))) }
        @if q.conflict.is_some() {
            (flash("error", lang.t("draft-conflict")))
        }
        @if let Some(m) = &q.invalid { (flash("error", m)) }
    }
}

fn draft_form(d: &Note, tenant: &str, v: &Viewer, lang: Lang) -> Markup {
    html! {
        article.note.draft id=(format!("draft-{}", d.id)) {
            p.muted {
                a href=(format!("/tenants/{}", d.tenant_id)) { (tenant) }
                " · " time datetime=(d.updated_at) { (when(&d.updated_at)) }
                " · " a href=(format!("/notes/new?draft={}", d.id)) { (lang.t("open-in-editor")) }
            }
            form method="post" action=(format!("/notes/drafts/{}", d.id)) {
                input type="hidden" name="csrf" value=(v.csrf.as_deref().unwrap_or(""));
                input type="hidden" name="version" value=(d.version);
                p { label { (lang.t("category")) " "
                    select name="category" { @for c in NoteCategory::ALL { option value=(c.key()) selected[*c == d.category] { (lang.label(*c)) } } }
                } }
                p { label { (lang.t("note")) br; textarea name="body" rows="5" cols="80" { (d.body) } } }
                p { label { (lang.t("next-action")) " " input name="next_action" maxlength="500" size="60" value=(d.next_action); } }
                button type="submit" name="action" value="update" { (lang.t("save-draft")) } " "
                button type="submit" name="action" value="save" { (lang.t("save-as-note")) } " "
                button.link type="submit" name="action" value="delete" { (lang.t("delete-draft")) }
            }
        }
    }
}

/// The draft form.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct DraftForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    next_action: String,
    #[serde(default)]
    action: String,
}

fn back(query: &str, anchor: &str) -> Response {
    Redirect::to(&format!("/notes?{query}{anchor}")).into_response()
}

/// `POST /notes/drafts/{id}`: `action=update` keeps the draft, `save` makes it a note of
/// the tenant (which needs write access to the tenant), `delete` removes it. Only the
/// author's own drafts; then back to /notes with a message.
pub(crate) async fn draft(
    state: crate::State,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Form<DraftForm>, FormRejection>,
) -> Response {
    let v = match page_viewer(&state, &headers, &uri).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let f = match form {
        Ok(Form(f)) => f,
        // A session's form must carry its CSRF token; an unreadable one does not.
        Err(_) if v.csrf.is_some() => {
            return (StatusCode::FORBIDDEN, "missing or wrong CSRF token").into_response();
        }
        Err(e) => return e.into_response(),
    };
    if !csrf_ok(&v, Some(&f.csrf)) {
        return (StatusCode::FORBIDDEN, "missing or wrong CSRF token").into_response();
    }
    if v.user.role == UserRole::Guest {
        return (StatusCode::FORBIDDEN, GUESTS).into_response();
    }
    let Ok(id) = id.parse::<i64>() else {
        return super::not_found(headers).await;
    };
    let anchor = format!("#draft-{id}");
    let invalid = |m: &str| back(&format!("invalid={}", crate::auth::urlencode(m)), "#drafts");
    let note = match own_draft(&state, &v.user, id).await {
        Ok(n) => n,
        Err(e) => return draft_failure(e, headers, &anchor).await,
    };
    let save = match f.action.as_str() {
        "delete" => {
            return match remove_draft(&state, &v.user, id).await {
                Ok(()) => back("deleted=1", "#drafts"),
                Err(e) => draft_failure(e, headers, &anchor).await,
            };
        }
        "save" => true,
        "update" => false,
        _ => return invalid("choose update, save or delete"),
    };
    let Ok(version) = f.version.trim().parse::<i64>() else {
        return invalid("version: reload the page and try again");
    };
    let d = NoteDraft {
        category: NoteCategory::parse(&f.category).or(Some(note.category)),
        body: f.body,
        next_action: f.next_action,
        ..as_draft(&note)
    };
    match change_draft(&state, &v.user, &note, version, &d, save).await {
        Ok(n) if save => back(&format!("saved={}", n.id), &format!("#note-{}", n.id)),
        Ok(n) => back(&format!("updated={}", n.id), &anchor),
        Err(e) => draft_failure(e, headers, &anchor).await,
    }
}

/// The page's answer when a draft could not be read or changed.
async fn draft_failure(e: DraftError, headers: HeaderMap, anchor: &str) -> Response {
    match e {
        DraftError::NotFound | DraftError::Store(StoreError::NotFound(_)) => {
            super::not_found(headers).await
        }
        DraftError::Forbidden(m) => (StatusCode::FORBIDDEN, m).into_response(),
        DraftError::Store(StoreError::Conflict(_)) => back("conflict=1", anchor),
        DraftError::Store(StoreError::Invalid(inv)) => {
            let m = inv
                .0
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect::<Vec<_>>()
                .join("; ");
            back(&format!("invalid={}", crate::auth::urlencode(&m)), anchor)
        }
        DraftError::Store(StoreError::Refused(m)) => back(
            &format!("invalid={}", crate::auth::urlencode(&m)),
            "#drafts",
        ),
        DraftError::Store(e) => ApiError::from(e).into_response(),
    }
}

/// Why guests get 403 on drafts.
pub(crate) const GUESTS: &str = "guests do not write notes";

/// Why a draft could not be read or changed.
#[derive(Debug)]
pub(crate) enum DraftError {
    /// Not a draft of the caller's, or on a tenant they may not see.
    NotFound,
    /// The caller may not (guests; saving on a tenant they may only read).
    Forbidden(&'static str),
    /// What the store said (invalid fields, a version conflict, a saved note).
    Store(StoreError),
}

impl From<StoreError> for DraftError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(_) => DraftError::NotFound,
            e => DraftError::Store(e),
        }
    }
}

impl From<DraftError> for ApiError {
    fn from(e: DraftError) -> Self {
        match e {
            DraftError::NotFound => ApiError::not_found("draft"),
            DraftError::Forbidden(m) => ApiError::new(StatusCode::FORBIDDEN, "forbidden", m),
            DraftError::Store(e) => ApiError::from(e),
        }
    }
}

/// The viewer's drafts, newest first, with their tenants' names (at most ten: the names
/// are read one by one).
pub(crate) async fn drafts_of(app: &App, user: &User) -> Result<Vec<LibraryNote>, StoreError> {
    let drafts = app.store.drafts(user.id).await?;
    let mut out = Vec::with_capacity(drafts.len());
    for d in drafts {
        let tenant = match app.store.tenant(&d.tenant_id).await {
            Ok(t) => t.name,
            Err(_) => d.tenant_id.clone(),
        };
        out.push(LibraryNote { note: d, tenant });
    }
    Ok(out)
}

/// Draft `id` when it is one of `user`'s own drafts (guests keep none; a saved note is
/// refused: it cannot change).
pub(crate) async fn own_draft(app: &App, user: &User, id: i64) -> Result<Note, DraftError> {
    if user.role == UserRole::Guest {
        return Err(DraftError::Forbidden(GUESTS));
    }
    let note = app.store.note(id).await?;
    if note.author_id != user.id {
        return Err(DraftError::NotFound);
    }
    if note.state != "draft" {
        return Err(DraftError::Store(StoreError::Refused(format!(
            "note {id} is saved; saved notes cannot change"
        ))));
    }
    Ok(note)
}

/// The editable fields of a note as they stand.
pub(crate) fn as_draft(n: &Note) -> NoteDraft {
    NoteDraft {
        tenant_id: n.tenant_id.clone(),
        category: Some(n.category),
        body: n.body.clone(),
        services: n.services.clone(),
        task_id: n.task_id,
        escalated: n.escalated,
        next_action: n.next_action.clone(),
        next_action_date: n.next_action_date.clone(),
        next_action_owner: n.next_action_owner.clone(),
    }
}

/// Changes draft `note` (from [`own_draft`], read at `version`) to `d`, and saves it as a
/// note of its tenant with `save`. Saving adds to the tenant's record: that needs write
/// access to the tenant, as on the tenant page; a draft may be kept on a tenant the author
/// can see.
pub(crate) async fn change_draft(
    app: &App,
    user: &User,
    note: &Note,
    version: i64,
    d: &NoteDraft,
    save: bool,
) -> Result<Note, DraftError> {
    match app.store.access(user, &note.tenant_id).await? {
        Access::Write => {}
        Access::Read if !save => {}
        Access::Read => {
            return Err(DraftError::Forbidden(
                "read-only: you are not assigned to this tenant",
            ));
        }
        Access::None => return Err(DraftError::NotFound),
    }
    let d = NoteDraft {
        tenant_id: note.tenant_id.clone(),
        ..d.clone()
    };
    Ok(app
        .store
        .update_draft(&Actor::user(user), note.id, version, &d, save)
        .await?)
}

/// Deletes one of `user`'s drafts.
pub(crate) async fn remove_draft(app: &App, user: &User, id: i64) -> Result<(), DraftError> {
    own_draft(app, user, id).await?;
    Ok(app.store.delete_draft(&Actor::user(user), id).await?)
}
