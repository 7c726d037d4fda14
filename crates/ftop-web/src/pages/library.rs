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
use ftop_domain::{NoteCategory, UserRole};
use ftop_store::{Access, Actor, LibraryFilter, Note, NoteDraft, NoteWindow, StoreError};
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
    category: Option<String>,
    escalated: Option<String>,
    q: Option<String>,
    window: Option<String>,
    mine: Option<String>,
    saved: Option<String>,
    updated: Option<String>,
    deleted: Option<String>,
    conflict: Option<String>,
    invalid: Option<String>,
}

fn on(v: Option<&str>) -> bool {
    matches!(v, Some("1" | "true" | "on" | "yes"))
}

fn window_name(w: NoteWindow, lang: Lang) -> &'static str {
    match w {
        NoteWindow::All => lang.pick("Any time", "Cualquier fecha", "全部时间"),
        NoteWindow::Last30 => lang.pick("Last 30 days", "Últimos 30 días", "最近 30 天"),
        NoteWindow::Days30To60 => lang.pick("30–60 days ago", "Hace 30–60 días", "30–60 天前"),
        NoteWindow::Days60To90 => lang.pick("60–90 days ago", "Hace 60–90 días", "60–90 天前"),
    }
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
    let category = q
        .category
        .as_deref()
        .filter(|c| !c.is_empty())
        .and_then(NoteCategory::parse);
    let window = q
        .window
        .as_deref()
        .and_then(NoteWindow::parse)
        .unwrap_or_default();
    let escalated = on(q.escalated.as_deref());
    let mine = on(q.mine.as_deref());
    let search = q.q.clone().filter(|s| !s.trim().is_empty());
    let filter = LibraryFilter {
        category,
        escalated,
        search: search.clone(),
        window,
        author_id: mine.then_some(v.user.id),
        as_of: None,
        limit: Some(LIMIT),
    };
    let notes = match state.store.notes_visible(&v.user, &filter).await {
        Ok(n) => n,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let writer = v.user.role != UserRole::Guest;
    let drafts = if writer {
        match state.store.drafts(v.user.id).await {
            Ok(d) => d,
            Err(e) => return ApiError::from(e).into_response(),
        }
    } else {
        Vec::new()
    };
    // At most ten drafts: their tenants' names one by one.
    let mut draft_tenants = Vec::with_capacity(drafts.len());
    for d in &drafts {
        let name = match state.store.tenant(&d.tenant_id).await {
            Ok(t) => t.name,
            Err(_) => d.tenant_id.clone(),
        };
        draft_tenants.push(name);
    }
    let title = lang.pick("Notes library", "Biblioteca de notas", "说明库");
    let body = html! {
        h1 { (title) }
        (messages(&q, lang))
        form.filters method="get" action="/notes" role="search" {
            label { (lang.t("category"))
                select name="category" {
                    option value="" { (lang.pick("All categories", "Todas las categorías", "所有类别")) }
                    @for c in NoteCategory::ALL { option value=(c.key()) selected[category == Some(*c)] { (c.name()) } }
                }
            }
            label { (lang.t("date"))
                select name="window" {
                    @for w in NoteWindow::ALL { option value=(w.key()) selected[w == window] { (window_name(w, lang)) } }
                }
            }
            label { (lang.t("search")) input type="search" name="q" value=(search.clone().unwrap_or_default()); }
            label { (lang.pick("Escalated only", "Solo escaladas", "仅已升级")) input type="checkbox" name="escalated" value="1" checked[escalated]; }
            label { (lang.pick("My notes", "Mis notas", "我的说明")) input type="checkbox" name="mine" value="1" checked[mine]; }
            button type="submit" { (lang.t("filter")) }
        }
        @if writer {
            section id="drafts" {
                h2 { (lang.pick("My drafts", "Mis borradores", "我的草稿")) }
                @if drafts.is_empty() {
                    p.muted { (lang.pick("You have no drafts.", "No tiene borradores.", "您没有草稿。")) }
                }
                @for (d, tenant) in drafts.iter().zip(&draft_tenants) {
                    (draft_form(d, tenant, &v, lang))
                }
            }
        }
        section id="saved-notes" {
            h2 { (lang.pick("Saved notes", "Notas guardadas", "已保存的说明")) " " span.muted { "(" (notes.len()) ")" } }
            @if notes.is_empty() {
                p.muted { (lang.pick("No note matches.", "Ninguna nota coincide.", "没有匹配的说明。")) }
            }
            @if notes.len() as i64 >= LIMIT {
                p.muted { (lang.pick(
                    "The latest 100 notes; narrow the filters to find older ones.",
                    "Las 100 notas más recientes; acote los filtros para encontrar notas anteriores.",
                    "最新的 100 条说明；缩小筛选范围以查找更早的说明。",
                )) }
            }
            @for ln in &notes {
                @let n = &ln.note;
                article.note id=(format!("note-{}", n.id)) {
                    p.muted {
                        a href=(format!("/tenants/{}", n.tenant_id)) { (ln.tenant) }
                        " · " (n.author) " · " time datetime=(n.created_at) { (when(&n.created_at)) }
                        " · " (n.category.name())
                        @if n.escalated { " · " strong.tripwire { (lang.pick("escalated", "escalada", "已升级")) } }
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
        @if q.saved.is_some() { (flash("ok", lang.pick("The note is saved.", "La nota está guardada.", "说明已保存。"))) }
        @if q.updated.is_some() { (flash("ok", lang.pick("Draft updated.", "Borrador actualizado.", "草稿已更新。"))) }
        @if q.deleted.is_some() { (flash("ok", lang.pick("Draft deleted.", "Borrador eliminado.", "草稿已删除。"))) }
        @if q.conflict.is_some() {
            (flash("error", lang.pick(
                "This draft changed elsewhere first. The page shows the current draft; apply your change again.",
                "Este borrador cambió antes en otro lugar. La página muestra el borrador actual; vuelva a aplicar el cambio.",
                "此草稿已在别处先被更改。页面显示当前草稿；请重新应用您的更改。",
            )))
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
            }
            form method="post" action=(format!("/notes/drafts/{}", d.id)) {
                input type="hidden" name="csrf" value=(v.csrf.as_deref().unwrap_or(""));
                input type="hidden" name="version" value=(d.version);
                p { label { (lang.t("category")) " "
                    select name="category" { @for c in NoteCategory::ALL { option value=(c.key()) selected[*c == d.category] { (c.name()) } } }
                } }
                p { label { (lang.t("note")) br; textarea name="body" rows="5" cols="80" { (d.body) } } }
                p { label { (lang.t("next-action")) " " input name="next_action" maxlength="500" size="60" value=(d.next_action); } }
                button type="submit" name="action" value="update" { (lang.t("save-draft")) } " "
                button type="submit" name="action" value="save" { (lang.pick("Save as note", "Guardar como nota", "保存为说明")) } " "
                button.link type="submit" name="action" value="delete" { (lang.pick("Delete draft", "Eliminar borrador", "删除草稿")) }
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
        return (StatusCode::FORBIDDEN, "guests do not write notes").into_response();
    }
    let Ok(id) = id.parse::<i64>() else {
        return super::not_found(headers).await;
    };
    let store = &state.store;
    let note = match store.note(id).await {
        Ok(n) if n.author_id == v.user.id => n,
        Ok(_) | Err(StoreError::NotFound(_)) => return super::not_found(headers).await,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let anchor = format!("#draft-{id}");
    let invalid = |m: &str| back(&format!("invalid={}", crate::auth::urlencode(m)), "#drafts");
    if note.state != "draft" {
        return invalid(&format!("note {id} is saved; saved notes cannot change"));
    }
    let actor = Actor::user(&v.user);
    let save = match f.action.as_str() {
        "delete" => {
            return match store.delete_draft(&actor, id).await {
                Ok(()) => back("deleted=1", "#drafts"),
                Err(StoreError::NotFound(_)) => super::not_found(headers).await,
                Err(StoreError::Refused(m)) => invalid(&m),
                Err(e) => ApiError::from(e).into_response(),
            };
        }
        "save" => true,
        "update" => false,
        _ => return invalid("choose update, save or delete"),
    };
    // Saving adds a note to the tenant's record: that needs write access to the tenant,
    // as on the tenant page. A draft may be kept only on a tenant the author can see.
    match store.access(&v.user, &note.tenant_id).await {
        Ok(Access::Write) => {}
        Ok(Access::Read) if !save => {}
        Ok(Access::Read) => {
            return (
                StatusCode::FORBIDDEN,
                "read-only: you are not assigned to this tenant",
            )
                .into_response();
        }
        Ok(Access::None) => return super::not_found(headers).await,
        Err(e) => return ApiError::from(e).into_response(),
    }
    let Ok(version) = f.version.trim().parse::<i64>() else {
        return invalid("version: reload the page and try again");
    };
    let d = NoteDraft {
        tenant_id: note.tenant_id.clone(),
        category: NoteCategory::parse(&f.category).or(Some(note.category)),
        body: f.body,
        services: note.services.clone(),
        task_id: note.task_id,
        escalated: note.escalated,
        next_action: f.next_action,
        next_action_date: note.next_action_date.clone(),
        next_action_owner: note.next_action_owner.clone(),
    };
    match store.update_draft(&actor, id, version, &d, save).await {
        Ok(n) if save => back(&format!("saved={}", n.id), &format!("#note-{}", n.id)),
        Ok(n) => back(&format!("updated={}", n.id), &anchor),
        Err(StoreError::Conflict(_)) => back("conflict=1", &anchor),
        Err(StoreError::Invalid(inv)) => {
            let m = inv
                .0
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect::<Vec<_>>()
                .join("; ");
            back(&format!("invalid={}", crate::auth::urlencode(&m)), &anchor)
        }
        Err(StoreError::Refused(m)) => invalid(&m),
        Err(StoreError::NotFound(_)) => super::not_found(headers).await,
        Err(e) => ApiError::from(e).into_response(),
    }
}
