//! What people record on a tenant from the Status and Time tabs: the overall status, notes
//! (Markdown, rendered through a sanitizer) and time entries.

use crate::auth::{PageViewer, Viewer};
use crate::error::{AppError, Kind, PageError, PageResult};
use crate::extract::{Form, Path};
use crate::i18n::Lang;
use crate::pages::again::{self, Again};
use crate::service::access::{self, Need};
use axum::response::{IntoResponse, Redirect, Response};
use ftop_domain::{NoteCategory, OverallStatus};
use ftop_store::{Actor, EngagementUpdate, Note, NoteDraft, Tenant, TimeEntry};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

/// Markdown of a note as safe HTML: rendered, then cleaned of scripts, handlers, styles and
/// anything else a sanitizer does not allow.
pub(crate) fn markdown(text: &str) -> PreEscaped<String> {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(text));
    PreEscaped(
        ammonia::Builder::default()
            .link_rel(Some("noopener noreferrer nofollow"))
            .clean(&html)
            .to_string(),
    )
}

/// The page flavour of the tenant access rule ([`access::tenant`]) for a form that changes
/// tenant `id`: the form's CSRF token, then write access; an error page when not.
pub(crate) async fn may_write(
    state: &crate::App,
    v: &Viewer,
    lang: Lang,
    id: &str,
    csrf: Option<&str>,
) -> Result<(), PageError> {
    access::tenant(state, v, id, Need::Write, csrf)
        .await
        .page(lang)?;
    Ok(())
}

/// Back to a tab of the tenant page with the outcome: a flag on success, the field errors,
/// or the conflict notice.
pub(crate) fn back<E: Into<AppError>>(
    id: &str,
    tab: &str,
    result: Result<String, E>,
    lang: Lang,
) -> Result<Response, PageError> {
    back_to(&format!("/tenants/{id}?tab={tab}"), result, lang)
}

/// Back to `base` (a path with a query) with the outcome of a form: what the user can fix
/// (field errors, a conflict) as a message on the page (field errors: the flag `invalid=1`
/// and the text in the notice cookie, [`super::notice`]); anything else is an error page.
pub(crate) fn back_to<E: Into<AppError>>(
    base: &str,
    result: Result<String, E>,
    lang: Lang,
) -> Result<Response, PageError> {
    // The path came from the request (an ID may carry spaces or control characters the
    // store tolerates): keep only what a Location header may hold.
    let base: String = base
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect();
    let base = base.as_str();
    match result.map_err(Into::into) {
        Ok(flag) => Ok(Redirect::to(&format!("{base}&{flag}")).into_response()),
        // The text goes in the notice cookie; the URL carries only the flag.
        Err(e) if e.kind == Kind::Invalid => Ok(super::notice::redirect(
            &format!("{base}&{}", super::notice::FLAG),
            &e.fields_line(lang),
        )),
        Err(e) if e.kind == Kind::Conflict => {
            Ok(Redirect::to(&format!("{base}&conflict=1")).into_response())
        }
        Err(e) => Err(PageError::new(lang, e)),
    }
}

/// The Status tab's forms and the note history.
pub(crate) fn status_forms(
    t: &Tenant,
    notes: &[Note],
    again: Option<&Again>,
    lang: Lang,
    csrf: Option<&str>,
    editable: bool,
) -> Markup {
    let status = again::of(again, "status");
    let note = again::of(again, "note");
    let version = t.version.to_string();
    let chosen_status = again::value_or(status, "overall_status", t.overall_status.key());
    html! {
        @if editable {
            section {
                h2 { (lang.t("overall-status")) }
                @if let Some(a) = status { (a.message) }
                form.filters method="post" action=(format!("/tenants/{}/status", t.tenant_id)) {
                    input type="hidden" name="csrf" value=(csrf.unwrap_or(""));
                    input type="hidden" name="version" value=(again::value_or(status, "version", &version));
                    label { (lang.t("overall-status"))
                        select name="overall_status" aria-invalid=[again::invalid(status, "overall_status")] { @for s in OverallStatus::ALL { option value=(s.key()) selected[s.key() == chosen_status] { (lang.overall_status(*s)) } } }
                    }
                    label { (lang.t("status-note")) input name="status_note" value=(again::value_or(status, "status_note", &t.status_note)) size="50" aria-invalid=[again::invalid(status, "status_note")]; }
                    button type="submit" { (lang.t("save")) }
                }
            }
            section {
                h2 { (lang.t("new-note")) }
                @if let Some(a) = note { (a.message) }
                form method="post" action=(format!("/tenants/{}/notes", t.tenant_id)) {
                    input type="hidden" name="csrf" value=(csrf.unwrap_or(""));
                    @let category = again::value_or(note, "category", "");
                    p { label { (lang.t("category")) " "
                        select name="category" aria-invalid=[again::invalid(note, "category")] { @for c in NoteCategory::ALL { option value=(c.key()) selected[c.key() == category] { (lang.label(*c)) } } }
                    } }
                    p { label { (lang.t("note")) br; textarea name="body" rows="5" cols="80" required aria-invalid=[again::invalid(note, "body")] { (again::value_or(note, "body", "")) } } }
                    p { label { (lang.t("next-action")) " " input name="next_action" maxlength="500" size="60" value=(again::value_or(note, "next_action", "")) aria-invalid=[again::invalid(note, "next_action")]; } }
                    button type="submit" name="save" value="1" { (lang.t("save")) } " "
                    button type="submit" name="save" value="0" { (lang.t("save-draft")) }
                }
                p.muted {
                    a href=(format!("/notes/new?tenant={}&category=engagement-management", t.tenant_id)) {
                        (lang.t("open-full-editor"))
                    }
                }
            }
        }
        section {
            h2 { (lang.t("notes")) }
            @if notes.is_empty() { p.muted { "—" } }
            @for n in notes {
                article.note id=(format!("note-{}", n.id)) {
                    p.muted { time datetime=(n.created_at) { (lang.when(&n.created_at)) } " · " (n.author) " · " (lang.label(n.category)) @if n.escalated { " · !" } }
                    div.body { (markdown(&n.body)) }
                    @if !n.next_action.is_empty() { p { strong { (lang.t("next-action")) ": " } (n.next_action) } }
                }
            }
        }
    }
}

/// The Time tab.
/// Today (UTC) as `YYYY-MM-DD`, the default day of a time entry.
pub(crate) fn today_iso() -> String {
    let today = ftop_store::today();
    format!(
        "{:04}-{:02}-{:02}",
        today.year(),
        u8::from(today.month()),
        today.day()
    )
}

pub(crate) fn time_tab(
    id: &str,
    entries: &[TimeEntry],
    tasks: &[ftop_store::TaskView],
    again: Option<&Again>,
    lang: Lang,
    (csrf, me): (Option<&str>, &str),
    editable: bool,
) -> Markup {
    // A task's name beside its ID (the playbook's, as the Playbook tab shows it).
    let task_name = |e: &TimeEntry| {
        tasks
            .iter()
            .find(|t| t.task_id == e.task_id && t.service == e.service)
            .or_else(|| tasks.iter().find(|t| t.task_id == e.task_id))
            .map(|t| t.name.clone())
            .unwrap_or_default()
    };
    let date = today_iso();
    let a = again::of(again, "time");
    let chosen_task = again::value_or(a, "task", "");
    html! {
        @if editable {
            @if let Some(a) = a { (a.message) }
            form.filters method="post" action=(format!("/tenants/{id}/time")) {
                input type="hidden" name="csrf" value=(csrf.unwrap_or(""));
                label { (lang.t("task"))
                    select name="task" required aria-invalid=[again::invalid(a, "task")] {
                        @for t in tasks {
                            @let key = format!("{}|{}", t.task_id, t.service);
                            option value=(key) selected[key == chosen_task] { (t.task_id) " " (t.name) @if !t.service.is_empty() { " (" (t.service) ")" } }
                        }
                    }
                }
                label { (lang.t("minutes")) input type="number" name="minutes" min="1" max="1440" value=(again::value_or(a, "minutes", "30")) required aria-invalid=[again::invalid(a, "minutes")]; }
                // A stopwatch that fills in the minutes; shown by the script (it needs it).
                span.timer hidden data-key=(format!("ftop-timer-{id}")) data-running=(lang.t_with("timer-running", &[("time", "__TIME__".into())])) {
                    button.timer-start type="button" { (lang.t("timer-start")) }
                    button.timer-stop type="button" hidden { (lang.t("timer-stop")) }
                    " " output.timer-shown aria-live="polite" {}
                }
                label { (lang.t("date")) input type="date" name="work_date" value=(again::value_or(a, "work_date", &date)) required aria-invalid=[again::invalid(a, "work_date")]; }
                label { (lang.t("note")) input name="note" size="30" value=(again::value_or(a, "note", "")) aria-invalid=[again::invalid(a, "note")]; }
                button type="submit" { (lang.t("save")) }
            }
        }
        table id="time" {
            thead { tr { th { (lang.t("date")) } th { (lang.t("who")) } th { (lang.t("task")) } th { (lang.t("minutes")) } th { (lang.t("note")) } @if editable { th {} } } }
            tbody { @for e in entries { tr {
                td { (e.work_date) } td { (e.user) }
                td { (e.task_id) " " (task_name(e)) @if !e.service.is_empty() { " (" (e.service) ")" } }
                td { (e.minutes) } td { (e.note) }
                @if editable { td {
                    // Authors correct or delete their own entries.
                    @if e.user == me {
                        a href=(format!("/tenants/{id}/time/{}/edit", e.id)) { (lang.t("edit")) }
                        " "
                        form.inline method="post" action=(format!("/tenants/{id}/time/{}/delete", e.id)) {
                            input type="hidden" name="csrf" value=(csrf.unwrap_or(""));
                            label { input type="checkbox" name="confirm" value="1" required; " " (lang.t("confirm-delete-time")) }
                            " "
                            button.link type="submit" { (lang.t("delete")) }
                        }
                    }
                } }
            } } }
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct StatusForm {
    csrf: String,
    version: i64,
    overall_status: String,
    status_note: String,
}

/// `POST /tenants/{id}/status`.
pub(crate) async fn set_status(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(id): Path<String>,
    Form(f): Form<StatusForm>,
) -> Result<Response, PageError> {
    may_write(&state, &v, lang, &id, Some(&f.csrf)).await?;
    let status_note = f.status_note.as_str();
    let u = EngagementUpdate {
        overall_status: OverallStatus::parse(&f.overall_status),
        status_note: Some(status_note.to_string()),
        ..Default::default()
    };
    let r = state
        .store
        .update_engagement(&Actor::user(&v.user), &id, f.version, &u)
        .await
        .map(|_| "saved=status".to_string());
    let typed = typed(&[
        ("version", &f.version.to_string()),
        ("overall_status", &f.overall_status),
        ("status_note", status_note),
    ]);
    back_or_again(&state, &v, lang, &id, ("status", "status"), typed, r).await
}

fn typed(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The answer to a form of the tenant page: saved, back to tab `tab` with the flag;
/// refused for its fields, the page again with form `form` as typed (422), or changed
/// meanwhile by someone else, the same with the notice to reload (409); anything else
/// as [`back`] has it (an error page).
async fn back_or_again<E: Into<AppError>>(
    state: &crate::App,
    v: &crate::auth::Viewer,
    lang: Lang,
    id: &str,
    (tab, form): (&str, &str),
    typed: Vec<(String, String)>,
    r: Result<String, E>,
) -> Result<Response, PageError> {
    match r.map_err(Into::into) {
        Err(e) if e.kind == Kind::Invalid => {
            // The inputs are named as the fields, but for the time entry's task.
            let bad = e
                .fields
                .iter()
                .map(|f| f.field.replace("task_id", "task"))
                .collect();
            let message = super::forms::form_error(lang, e)?;
            let a = Again::refused(form, typed, message, bad);
            super::tenant::show_again(state, v, lang, id, tab, a).await
        }
        // Changed meanwhile: the form again as typed, with the notice to reload.
        Err(e) if e.kind == Kind::Conflict => {
            // Only the overall status form is versioned: the tenant's version.
            let current = state
                .store
                .tenant(id)
                .await
                .map_err(AppError::from)
                .page(lang)?;
            let a = Again::conflict(form, typed, current.version, lang);
            super::tenant::show_again(state, v, lang, id, tab, a).await
        }
        r => back(id, tab, r, lang),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct NoteForm {
    csrf: String,
    category: String,
    body: String,
    #[serde(default)]
    next_action: String,
    save: String,
}

/// `POST /tenants/{id}/notes`.
pub(crate) async fn add_note(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(id): Path<String>,
    Form(f): Form<NoteForm>,
) -> Result<Response, PageError> {
    may_write(&state, &v, lang, &id, Some(&f.csrf)).await?;
    let d = NoteDraft {
        tenant_id: id.clone(),
        category: NoteCategory::parse(&f.category),
        body: f.body.clone(),
        next_action: f.next_action.clone(),
        ..Default::default()
    };
    let r = state
        .store
        .add_note(&Actor::user(&v.user), &d, f.save == "1")
        .await
        .map(|n| format!("saved=note-{}", n.id));
    let typed = typed(&[
        ("category", &f.category),
        ("body", &f.body),
        ("next_action", &f.next_action),
    ]);
    back_or_again(&state, &v, lang, &id, ("status", "note"), typed, r).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct TimeForm {
    csrf: String,
    task: String,
    minutes: String,
    work_date: String,
    #[serde(default)]
    note: String,
    /// "task": back to the task's page rather than the Time tab.
    #[serde(default)]
    return_to: String,
}

/// `POST /tenants/{id}/time`.
pub(crate) async fn add_time(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(id): Path<String>,
    Form(f): Form<TimeForm>,
) -> Result<Response, PageError> {
    may_write(&state, &v, lang, &id, Some(&f.csrf)).await?;
    let (task, service) = f.task.split_once('|').unwrap_or((&f.task, ""));
    let task: u32 = task.parse().unwrap_or(0);
    let minutes: i64 = f.minutes.trim().parse().unwrap_or(0);
    let r = state
        .store
        .add_time(
            &Actor::user(&v.user),
            &id,
            task,
            service,
            minutes,
            &f.work_date,
            &f.note,
        )
        .await
        .map(|e| format!("saved=time-{}", e.id));
    if f.return_to == "task" {
        return back_to(
            &super::task_detail::detail_path(&id, task, service),
            r,
            lang,
        );
    }
    let typed = typed(&[
        ("task", &f.task),
        ("minutes", &f.minutes),
        ("work_date", &f.work_date),
        ("note", &f.note),
    ]);
    back_or_again(&state, &v, lang, &id, ("time", "time"), typed, r).await
}

#[cfg(test)]
mod tests {
    use super::markdown;

    #[test]
    fn note_markdown_is_rendered_and_sanitized() {
        let out = markdown("**Kick-off** done.\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[click](javascript:alert(3)) and <a href=\"https://example.com\" onclick=\"x()\">site</a>").0;
        assert!(out.contains("<strong>Kick-off</strong>"), "{out}");
        for bad in ["<script", "onerror", "javascript:", "onclick", "alert(1)"] {
            assert!(!out.contains(bad), "{bad} survived: {out}");
        }
        assert!(out.contains("href=\"https://example.com\""), "{out}");
        assert!(
            out.contains("rel=\"noopener noreferrer nofollow\""),
            "{out}"
        );
    }
}
