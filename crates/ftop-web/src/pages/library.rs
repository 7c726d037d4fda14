//! The notes library: the latest saved notes the viewer may see (partners: their
//! organisation's tenants), with filters, and the viewer's own drafts with an edit form
//! (update, save as a note, delete).

use crate::App;
use crate::auth::{PageViewer, Viewer};
use crate::error::{AppError, Kind, PageError, PageResult};
use crate::extract::Rejected as FormRejection;
use crate::extract::{Form, Path, Query};
use crate::i18n::Lang;
use crate::pages::layout::{flash, page};
use crate::pages::notice;
use crate::pages::record::markdown;
use crate::service::drafts::{as_draft, change_draft, drafts_of, own_draft, remove_draft};
use crate::service::library::NoteFilters;
use axum::Router;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use ftop_domain::{FieldError, NoteCategory, UserRole};
use ftop_store::{Note, NoteDraft, NoteWindow};
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

/// Filters and the outcome of a draft form sent back.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct LibraryQuery {
    #[serde(flatten)]
    filters: NoteFilters,
    saved: Option<String>,
    updated: Option<String>,
    deleted: Option<String>,
    conflict: Option<String>,
    /// The flag of a refused draft form (any value): the text is in the notice cookie.
    invalid: Option<String>,
    /// The message to show, from the notice cookie only ([`notice::shown`]).
    #[serde(skip)]
    notice: Option<String>,
}

fn window_name(w: NoteWindow, lang: Lang) -> &'static str {
    lang.label(w)
}

/// `GET /notes`.
pub(crate) async fn library(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(mut q): Query<LibraryQuery>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    q.notice = notice::shown(q.invalid.is_some(), &headers);
    // Values the page does not understand are ignored (all categories, any time).
    let (filter, _) = q.filters.filter(&v.user, LIMIT);
    let (category, window, escalated) = (filter.category, filter.window, filter.escalated);
    let mine = filter.author_id.is_some();
    let search = filter.search.clone();
    let notes = crate::service::library::notes(&state, &v.user, &filter)
        .await
        .page(lang)?;
    let writer = v.user.role != UserRole::Guest;
    let drafts = if writer {
        drafts_of(&state, &v.user).await.page(lang)?
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
                        " · " (n.author) " · " time datetime=(n.created_at) { (lang.when(&n.created_at)) }
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
    let mut res = page(lang, &v, title, body).into_response();
    if q.notice.is_some() {
        notice::clear(&mut res);
    }
    Ok(res)
}

fn messages(q: &LibraryQuery, lang: Lang) -> Markup {
    html! {
        @if q.saved.is_some() { (flash("ok", lang.t("note-saved"))) }
        @if q.updated.is_some() { (flash("ok", lang.t("draft-updated"))) }
        @if q.deleted.is_some() { (flash("ok", lang.t("draft-deleted"))) }
        @if q.conflict.is_some() {
            (flash("error", lang.t("draft-conflict")))
        }
        @if let Some(m) = &q.notice { (flash("error", m)) }
    }
}

fn draft_form(d: &Note, tenant: &str, v: &Viewer, lang: Lang) -> Markup {
    html! {
        article.note.draft id=(format!("draft-{}", d.id)) {
            p.muted {
                a href=(format!("/tenants/{}", d.tenant_id)) { (tenant) }
                " · " time datetime=(d.updated_at) { (lang.when(&d.updated_at)) }
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

/// Back to /notes with `message` in the notice cookie and only the flag in the URL.
fn refused(message: &str, anchor: &str) -> Response {
    notice::redirect(&format!("/notes?{}{anchor}", notice::FLAG), message)
}

/// `POST /notes/drafts/{id}`: `action=update` keeps the draft, `save` makes it a note of
/// the tenant (which needs write access to the tenant), `delete` removes it. Only the
/// author's own drafts; then back to /notes with a message.
pub(crate) async fn draft(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(id): Path<String>,
    form: Result<Form<DraftForm>, FormRejection>,
) -> Result<Response, PageError> {
    let f = match form {
        Ok(Form(f)) => f,
        // A session's form must carry its CSRF token; an unreadable one does not.
        Err(e) if e.does_not_fit() && v.csrf.is_some() => {
            return Err(PageError::new(lang, AppError::csrf()));
        }
        Err(e) => return Err(PageError::new(lang, e.error)),
    };
    v.check_csrf(Some(&f.csrf)).page(lang)?;
    v.writer().page(lang)?;
    let Ok(id) = id.parse::<i64>() else {
        return Err(PageError::new(lang, AppError::not_found("draft")));
    };
    let anchor = format!("#draft-{id}");
    let invalid = |e: FieldError| refused(&crate::error::fields_line(&[e], lang), "#drafts");
    let result = async {
        let note = own_draft(&state, &v.user, id).await?;
        let save = match f.action.as_str() {
            "delete" => {
                remove_draft(&state, &v.user, id).await?;
                return Ok::<_, AppError>(back("deleted=1", "#drafts"));
            }
            "save" => true,
            "update" => false,
            _ => return Ok(invalid(FieldError::of("action", "invalid-draft-action"))),
        };
        let Ok(version) = f.version.trim().parse::<i64>() else {
            return Ok(invalid(FieldError::of("version", "invalid-reload")));
        };
        let d = NoteDraft {
            category: NoteCategory::parse(&f.category).or(Some(note.category)),
            body: f.body,
            next_action: f.next_action,
            ..as_draft(&note)
        };
        let n = change_draft(&state, &v.user, &note, version, &d, save).await?;
        Ok(if save {
            back(&format!("saved={}", n.id), &format!("#note-{}", n.id))
        } else {
            back(&format!("updated={}", n.id), &anchor)
        })
    }
    .await;
    // What the user can act on goes back to the library as a message; the rest is a page.
    match result {
        Ok(r) => Ok(r),
        Err(e) if e.kind == Kind::Conflict => Ok(back("conflict=1", &anchor)),
        Err(e) if e.kind == Kind::Invalid => Ok(refused(&e.fields_line(lang), &anchor)),
        // The one refusal here: the draft was saved meanwhile.
        Err(e) if e.kind == Kind::Refused => Ok(refused(lang.t("note-saved-already"), "#drafts")),
        Err(e) => Err(PageError::new(lang, e)),
    }
}
