//! One's own time entry corrected (`/tenants/{id}/time/{entry}/edit`: minutes, day, note;
//! a refused change comes back with what was typed) or deleted after a tick
//! (`POST /tenants/{id}/time/{entry}/delete`). Nobody changes another's time: an entry of
//! someone else is not found.

use crate::auth::PageViewer;
use crate::error::{AppError, PageError, PageResult};
use crate::extract::{Form, Path};
use crate::i18n::Lang;
use crate::pages::forms::{saved_or_again, value};
use crate::pages::layout::page;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ftop_store::{Actor, TimeEntry};
use maud::{Markup, html};

fn render(
    v: &crate::auth::Viewer,
    lang: Lang,
    (tenant, entry): (&str, &TimeEntry),
    typed: &[(String, String)],
    message: Option<Markup>,
    status: StatusCode,
) -> Response {
    let body = html! {
        h1 { (lang.t("time-edit")) }
        p.muted { (lang.t("task")) " " (entry.task_id) @if !entry.service.is_empty() { " (" (entry.service) ")" } }
        @if let Some(m) = message { (m) }
        form.filters method="post" action=(format!("/tenants/{tenant}/time/{}/edit", entry.id)) {
            input type="hidden" name="csrf" value=(v.csrf.clone().unwrap_or_default());
            label { (lang.t("minutes")) input type="number" name="minutes" min="1" max="1440" required value=(value(typed, "minutes")); }
            label { (lang.t("date")) input type="date" name="work_date" required value=(value(typed, "work_date")); }
            label { (lang.t("note")) input name="note" size="40" maxlength="2000" value=(value(typed, "note")); }
            button type="submit" { (lang.t("save")) }
            " "
            a href=(format!("/tenants/{tenant}?tab=time")) { (lang.t("cancel")) }
        }
    };
    (status, page(lang, v, lang.t("time-edit"), body)).into_response()
}

/// The caller's own entry of the tenant, or not found.
async fn own(
    state: &crate::App,
    v: &crate::auth::Viewer,
    lang: Lang,
    id: &str,
    entry: i64,
) -> Result<TimeEntry, PageError> {
    state
        .store
        .own_time_entry(&Actor::user(&v.user), id, entry)
        .await
        .page(lang)
}

/// `GET /tenants/{id}/time/{entry}/edit`.
pub(crate) async fn edit_page(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path((id, entry)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    crate::service::access::tenant(&state, &v, &id, crate::service::access::Need::Form, None)
        .await
        .page(lang)?;
    let e = own(&state, &v, lang, &id, entry).await?;
    let typed: Vec<(String, String)> = [
        ("minutes", e.minutes.to_string()),
        ("work_date", e.work_date.clone()),
        ("note", e.note.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let id = id.to_ascii_lowercase();
    Ok(render(&v, lang, (&id, &e), &typed, None, StatusCode::OK))
}

/// `POST /tenants/{id}/time/{entry}/edit`.
pub(crate) async fn save(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path((id, entry)): Path<(String, i64)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    super::record::may_write(&state, &v, lang, &id, Some(value(&form, "csrf"))).await?;
    let e = own(&state, &v, lang, &id, entry).await?;
    let id = id.to_ascii_lowercase();
    // A number that is not one is sent as none and refused by the minutes rule.
    let minutes = value(&form, "minutes").trim().parse().unwrap_or(0);
    let r = state
        .store
        .change_own_time(
            &Actor::user(&v.user),
            &id,
            entry,
            minutes,
            value(&form, "work_date"),
            value(&form, "note"),
        )
        .await;
    let done = format!("/tenants/{id}?tab=time&saved=time");
    saved_or_again(lang, r, &done, |m, status| {
        render(&v, lang, (&id, &e), &form, Some(m), status)
    })
}

/// `POST /tenants/{id}/time/{entry}/delete`, with `confirm=1`.
pub(crate) async fn delete(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path((id, entry)): Path<(String, i64)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    super::record::may_write(&state, &v, lang, &id, Some(value(&form, "csrf"))).await?;
    if value(&form, "confirm") != "1" {
        let e = AppError::field_error(ftop_domain::FieldError::of(
            "confirm",
            "invalid-confirm-removal",
        ));
        return super::record::back(&id, "time", Err::<String, _>(e), lang);
    }
    let r = state
        .store
        .delete_own_time(&Actor::user(&v.user), &id.to_ascii_lowercase(), entry)
        .await
        .map(|()| "saved=time".to_string());
    super::record::back(&id, "time", r, lang)
}
