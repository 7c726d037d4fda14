//! The notes editor of the library: a note for any tenant the viewer may write on, or one
//! of their drafts continued, with every field of a note and an optional template for the
//! categories that have one (Engagement Management, Technical Enablement).
//!
//! Works without JavaScript: every button submits the one form to `POST /notes/new` with an
//! `action`. `template` puts the chosen template in the body (after a confirmation step
//! when the body already holds text of the user's: inserting replaces it), `clear` empties
//! the form, `draft` keeps a private draft, `save` saves the note. Whatever the user typed
//! stays in the form when it comes back (with the template, after a refused save).

use crate::auth::{PageViewer, Viewer};
use crate::error::{AppError, Kind, PageError, PageResult};
use crate::extract::Rejected as FormRejection;
use crate::extract::{Form, Query};
use crate::i18n::Lang;
use crate::pages::layout::{flash, page};
use crate::pages::templates::{TEMPLATED, template, untouched};
use crate::service::drafts::{change_draft, own_draft};
use crate::service::library::on;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use ftop_domain::{FieldError, NoteCategory};
use ftop_store::{Note, NoteDraft, TenantSummary};
use maud::{Markup, html};
use serde::Deserialize;
use std::sync::Arc;

/// This module's routes.
pub(crate) fn routes() -> axum::Router<Arc<crate::App>> {
    axum::Router::new().route("/notes/new", axum::routing::get(editor).post(submit))
}

/// The editor's fields (the form, and the query string that opens it prefilled).
#[derive(Debug, Default, Clone, Deserialize)]
pub(crate) struct EditorForm {
    #[serde(default)]
    csrf: String,
    /// The draft being continued, if any.
    #[serde(default)]
    draft: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    tenant: String,
    #[serde(default)]
    category: String,
    /// The category whose template to insert.
    #[serde(default)]
    template: String,
    /// Service names or keys, separated by commas.
    #[serde(default)]
    services: String,
    #[serde(default)]
    task: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    escalated: String,
    #[serde(default)]
    next_action: String,
    #[serde(default)]
    next_action_date: String,
    #[serde(default)]
    next_action_owner: String,
    #[serde(default)]
    action: String,
}

impl EditorForm {
    fn of_draft(n: &Note) -> EditorForm {
        EditorForm {
            draft: n.id.to_string(),
            version: n.version.to_string(),
            tenant: n.tenant_id.clone(),
            category: n.category.key().into(),
            services: n.services.join(", "),
            task: n.task_id.map(|t| t.to_string()).unwrap_or_default(),
            body: n.body.clone(),
            escalated: if n.escalated {
                "1".into()
            } else {
                String::new()
            },
            next_action: n.next_action.clone(),
            next_action_date: n.next_action_date.clone().unwrap_or_default(),
            next_action_owner: n.next_action_owner.clone(),
            ..EditorForm::default()
        }
    }

    fn category(&self) -> Option<NoteCategory> {
        NoteCategory::parse(&self.category)
    }

    /// The note as the store takes it, or the fields that cannot be read.
    fn note(&self) -> Result<NoteDraft, Vec<FieldError>> {
        let task_id = match self.task.trim() {
            "" => None,
            t => match t.parse::<u32>() {
                Ok(id) => Some(id),
                Err(_) => {
                    return Err(vec![
                        FieldError::of("task_id", "invalid-task-id").quoting("value", t),
                    ]);
                }
            },
        };
        Ok(NoteDraft {
            tenant_id: self.tenant.trim().to_string(),
            category: self.category(),
            body: self.body.clone(),
            services: self
                .services
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            task_id,
            escalated: on(Some(self.escalated.as_str())),
            next_action: self.next_action.clone(),
            next_action_date: Some(self.next_action_date.trim().to_string())
                .filter(|d| !d.is_empty()),
            next_action_owner: self.next_action_owner.clone(),
        })
    }
}

/// What the editor says above the form.
#[derive(Debug, Default)]
struct Notice {
    /// Flash messages: (kind, text).
    flashes: Vec<(&'static str, String)>,
    /// Field errors of a refused draft or save.
    fields: Vec<FieldError>,
    /// Ask before a template replaces text the user wrote.
    confirm_template: bool,
}

/// The tenants offered in the tenant list: those the viewer may write on (admins: all;
/// partners: their organisation's; others: those assigned to them), at most 500.
async fn writable(state: &crate::App, v: &Viewer) -> Result<Vec<TenantSummary>, AppError> {
    let f = crate::service::tenants::writable_filter(&v.user);
    Ok(state.store.tenants(&f).await?)
}

fn render(
    state_tenants: &[TenantSummary],
    v: &Viewer,
    lang: Lang,
    f: &EditorForm,
    notice: &Notice,
) -> Markup {
    let category = f.category();
    let chosen_template = NoteCategory::parse(&f.template).or(category);
    let drafting = !f.draft.is_empty();
    let error_of = |field: &str| {
        notice
            .fields
            .iter()
            .filter(|e| e.field == field || e.field.starts_with(&format!("{field}[")))
            .map(|e| e.message(lang.0))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let field_error = |field: &str| {
        let m = error_of(field);
        html! { @if !m.is_empty() { span.error id=(format!("{field}-error")) { " " (m) } } }
    };
    html! {
        h1 { (lang.t("new-note")) }
        p { a href="/notes" { (lang.t("back-to-library")) } }
        @for (kind, text) in &notice.flashes { (flash(kind, text)) }
        @if !notice.fields.is_empty() {
            (flash("error", &crate::error::fields_line(&notice.fields, lang)))
        }
        form.editor id="note-editor" method="post" action="/notes/new" {
            input type="hidden" name="csrf" value=(v.csrf.as_deref().unwrap_or(""));
            input type="hidden" name="draft" value=(f.draft);
            input type="hidden" name="version" value=(f.version);
            p { label { (lang.t("category")) " "
                select name="category" {
                    @for c in NoteCategory::ALL { option value=(c.key()) selected[category == Some(*c)] { (lang.label(*c)) } }
                }
            } }
            p {
                label { (lang.t("tenant")) " "
                    @if drafting {
                        input name="tenant" value=(f.tenant) readonly size="40";
                    } @else {
                        input name="tenant" value=(f.tenant) list="editor-tenants" size="40" required
                            aria-describedby="tenant-help";
                        datalist id="editor-tenants" {
                            @for t in state_tenants { option value=(t.tenant_id) { (t.name) " · " (t.customer) } }
                        }
                    }
                }
                @if !drafting { " " span.muted id="tenant-help" { (lang.t("tenant-id")) } }
                (field_error("tenant"))
            }
            p { label { (lang.t("services")) " " input name="services" value=(f.services) size="40" aria-describedby="services-help"; }
                " " span.muted id="services-help" { (lang.t("separated-by-commas")) }
                (field_error("services")) }
            p { label { (lang.t("task-id")) " " input name="task" value=(f.task) inputmode="numeric" size="8"; } (field_error("task_id")) }
            fieldset.template {
                legend { (lang.t("template")) }
                label { (lang.t("template")) " "
                    select name="template" {
                        @for c in TEMPLATED { option value=(c.key()) selected[chosen_template == Some(c)] { (lang.label(c)) } }
                    }
                }
                " "
                button type="submit" name="action" value="template" formnovalidate aria-describedby="template-warning" { (lang.t("insert-template")) }
                p.muted id="template-warning" { (lang.t("template-overwrites")) }
                @if notice.confirm_template {
                    div.flash.error role="alert" {
                        p { (lang.t("template-replace-warning")) }
                        button type="submit" name="action" value="template-replace" formnovalidate { (lang.t("template-replace")) }
                        " "
                        button type="submit" name="action" value="keep" formnovalidate { (lang.t("template-keep")) }
                    }
                }
            }
            p { label { (lang.t("note")) br; textarea name="body" rows="14" cols="80" { (f.body) } } (field_error("body")) }
            p { label { input type="checkbox" name="escalated" value="1" checked[on(Some(f.escalated.as_str()))]; " " (lang.t("escalated")) } }
            p { label { (lang.t("next-action")) " " input name="next_action" maxlength="500" size="60" value=(f.next_action); } (field_error("next_action")) }
            p { label { (lang.t("next-action-date")) " " input type="date" name="next_action_date" value=(f.next_action_date); } (field_error("next_action_date")) }
            p { label { (lang.t("next-action-owner")) " " input name="next_action_owner" size="30" value=(f.next_action_owner); } }
            p.actions {
                button type="submit" name="action" value="save" { (lang.t("save")) } " "
                button type="submit" name="action" value="draft" { (lang.t("save-draft")) } " "
                button.link type="submit" name="action" value="clear" formnovalidate { (lang.t("clear-all")) }
            }
        }
    }
}

async fn show(
    state: &crate::App,
    v: &Viewer,
    lang: Lang,
    f: &EditorForm,
    notice: &Notice,
    status: StatusCode,
    htmx: bool,
) -> Result<Response, PageError> {
    let tenants = writable(state, v).await.page(lang)?;
    let body = render(&tenants, v, lang, f, notice);
    // htmx swaps only successful responses in: a boosted form gets its errors with 200.
    let status = if htmx { StatusCode::OK } else { status };
    Ok((status, page(lang, v, lang.t("new-note"), body)).into_response())
}

/// `GET /notes/new[?tenant=ID&category=KEY&task=ID]`, or `?draft=ID` to continue a draft.
pub(crate) async fn editor(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<EditorForm>,
) -> Result<Response, PageError> {
    v.writer().page(lang)?;
    let f = if q.draft.trim().is_empty() {
        EditorForm {
            tenant: q.tenant,
            category: NoteCategory::parse(&q.category)
                .unwrap_or(NoteCategory::EngagementManagement)
                .key()
                .into(),
            task: q.task,
            ..EditorForm::default()
        }
    } else {
        let Ok(id) = q.draft.trim().parse::<i64>() else {
            return Err(PageError::new(lang, AppError::not_found("draft")));
        };
        match own_draft(&state, &v.user, id).await {
            Ok(n) => EditorForm::of_draft(&n),
            // Saved meanwhile: no draft to continue.
            Err(e) if e.kind == Kind::Refused => {
                return Err(PageError::new(lang, AppError::not_found("draft")));
            }
            Err(e) => return Err(PageError::new(lang, e)),
        }
    };
    show(
        &state,
        &v,
        lang,
        &f,
        &Notice::default(),
        StatusCode::OK,
        false,
    )
    .await
}

/// `POST /notes/new`: the editor's buttons (see the module's documentation).
pub(crate) async fn submit(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    headers: HeaderMap,
    form: Result<Form<EditorForm>, FormRejection>,
) -> Result<Response, PageError> {
    let mut f = match form {
        Ok(Form(f)) => f,
        Err(e) if e.does_not_fit() && v.csrf.is_some() => {
            return Err(PageError::new(lang, AppError::csrf()));
        }
        Err(e) => return Err(PageError::new(lang, e.error)),
    };
    v.check_csrf(Some(&f.csrf)).page(lang)?;
    v.writer().page(lang)?;
    let htmx = headers.contains_key("hx-request");
    let mut notice = Notice::default();
    let action = std::mem::take(&mut f.action);
    match action.as_str() {
        "template" | "template-replace" => {
            let which = NoteCategory::parse(&f.template).or(f.category());
            match which.and_then(|c| template(c, lang).map(|t| (c, t))) {
                None => notice.flashes.push(("error", lang.t("no-template").into())),
                Some(_) if action == "template" && !untouched(&f.body) => {
                    notice.confirm_template = true;
                }
                Some((c, text)) => {
                    f.body = text.to_string();
                    f.category = c.key().into();
                    f.template = c.key().into();
                }
            }
            show(&state, &v, lang, &f, &notice, StatusCode::OK, htmx).await
        }
        "keep" => show(&state, &v, lang, &f, &notice, StatusCode::OK, htmx).await,
        "clear" => {
            // A continued draft stays the draft (and on its tenant); everything else goes.
            let cleared = EditorForm {
                draft: f.draft.clone(),
                version: f.version.clone(),
                tenant: if f.draft.is_empty() {
                    String::new()
                } else {
                    f.tenant.clone()
                },
                category: f.category.clone(),
                ..EditorForm::default()
            };
            show(&state, &v, lang, &cleared, &notice, StatusCode::OK, htmx).await
        }
        "draft" | "save" => keep(&state, &v, lang, f, action == "save", htmx).await,
        _ => {
            notice
                .flashes
                .push(("error", lang.t("choose-a-button").into()));
            show(
                &state,
                &v,
                lang,
                &f,
                &notice,
                StatusCode::UNPROCESSABLE_ENTITY,
                htmx,
            )
            .await
        }
    }
}

/// Keeps the form as a draft (`save` false) or saves it as a note; back to the library on
/// success, else the form again with what went wrong.
async fn keep(
    state: &crate::App,
    v: &Viewer,
    lang: Lang,
    f: EditorForm,
    save: bool,
    htmx: bool,
) -> Result<Response, PageError> {
    let refused = |fields: Vec<FieldError>| Notice {
        fields,
        ..Notice::default()
    };
    let d = match f.note() {
        Ok(d) => d,
        Err(fields) => {
            return show(
                state,
                v,
                lang,
                &f,
                &refused(fields),
                StatusCode::UNPROCESSABLE_ENTITY,
                htmx,
            )
            .await;
        }
    };
    let result = if f.draft.is_empty() {
        // A new note: the tenant must be one the viewer may write on, as on the tenant page.
        if d.tenant_id.is_empty() {
            Err(AppError::field_error(FieldError::of(
                "tenant",
                "invalid-choose-tenant",
            )))
        } else {
            match crate::service::drafts::create(state, v, &d, save).await {
                Err(e) if e.kind == Kind::NotFound => Err(AppError::field_error(
                    FieldError::of("tenant", "invalid-tenant-not-visible")
                        .quoting("value", &d.tenant_id),
                )),
                r => r,
            }
        }
    } else {
        let (Ok(id), Ok(version)) = (
            f.draft.trim().parse::<i64>(),
            f.version.trim().parse::<i64>(),
        ) else {
            return Err(PageError::new(
                lang,
                AppError::bad_request("draft and version must be numbers"),
            ));
        };
        match own_draft(state, &v.user, id).await {
            Ok(note) => change_draft(state, &v.user, &note, version, &d, save).await,
            Err(e) => Err(e),
        }
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    let e = match result {
        Ok(n) if save => {
            return Ok(
                Redirect::to(&format!("/notes?saved={}#note-{}", n.id, n.id)).into_response(),
            );
        }
        Ok(n) => {
            return Ok(
                Redirect::to(&format!("/notes?updated={}#draft-{}", n.id, n.id)).into_response(),
            );
        }
        Err(e) => e,
    };
    // What the user can act on comes back in the form; the rest is an error page.
    let flash = |text: String| Notice {
        flashes: vec![("error", text)],
        ..Notice::default()
    };
    match e.kind {
        Kind::Invalid => show(state, v, lang, &f, &refused(e.fields), status, htmx).await,
        Kind::Conflict => {
            let notice = flash(lang.t("editor-draft-conflict").into());
            show(state, v, lang, &f, &notice, StatusCode::CONFLICT, htmx).await
        }
        // The one refusal here: the draft was saved meanwhile.
        Kind::Refused => {
            let notice = flash(lang.t("note-saved-already").into());
            show(state, v, lang, &f, &notice, status, htmx).await
        }
        Kind::Forbidden | Kind::ReadOnly => {
            let text = if e.kind == Kind::ReadOnly {
                lang.t("read-only")
            } else {
                lang.t("error-forbidden-text")
            };
            let notice = flash(text.into());
            show(state, v, lang, &f, &notice, StatusCode::FORBIDDEN, htmx).await
        }
        Kind::NotFound => {
            show(
                state,
                v,
                lang,
                &f,
                &refused(vec![FieldError::of("draft", "invalid-draft-not-found")]),
                StatusCode::NOT_FOUND,
                htmx,
            )
            .await
        }
        _ => Err(PageError::new(lang, e)),
    }
}
