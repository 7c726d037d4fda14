//! One task of one tenant: where it sits in the playbook, its status and percent complete
//! (editable by those who may change the tenant), and the time entered against it with a
//! form to enter more.

use crate::auth::PageViewer;
use crate::error::{AppError, PageError, PageResult};
use crate::extract::{Path, Query};
use crate::i18n::Lang;
use crate::pages::layout::{flash, page};
use crate::pages::notice;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use ftop_domain::TaskStatus;
use ftop_store::Access;
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct DetailQuery {
    #[serde(default)]
    service: String,
    saved: Option<String>,
    conflict: Option<String>,
    /// The flag of a form's field errors (any value): their text is in the notice cookie.
    invalid: Option<String>,
    /// The field errors to show, from the notice cookie only ([`notice::shown`]).
    #[serde(skip)]
    notice: Option<String>,
}

/// `GET /tenants/{id}/tasks/{task}?service=KEY` (no service: the tenant-wide task).
pub(crate) async fn show(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path((id, task)): Path<(String, u32)>,
    Query(mut q): Query<DetailQuery>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    q.notice = notice::shown(q.invalid.is_some(), &headers);
    let store = &state.store;
    let (r, tasks) = crate::service::tenants::visible_with_tasks(&state, &v, &id)
        .await
        .page(lang)?;
    let Some(t) = tasks
        .iter()
        .find(|t| t.task_id == task && t.service == q.service)
    else {
        return Err(PageError::new(lang, AppError::not_found("task")));
    };
    let entries: Vec<_> = store
        .time_entries(&r.tenant.tenant_id)
        .await
        .page(lang)?
        .into_iter()
        .filter(|e| e.task_id == task && e.service == q.service)
        .collect();
    let total: i64 = entries.iter().map(|e| e.minutes).sum();
    let editable = r.access == Access::Write;
    let csrf = v.csrf.as_deref().unwrap_or("");
    let tid = &r.tenant.tenant_id;
    let title = format!("{} {}: {}", lang.t("task"), t.task_id, t.name);
    let body = html! {
        p.muted {
            a href=(format!("/tenants/{tid}?tab=playbook&phase={}", t.phase)) { (r.tenant.name) " › " (t.phase_name) }
        }
        h1 { (title) }
        (messages(&q, lang))
        dl.facts {
            dt { (lang.t("phase")) } dd { (t.phase_name) }
            dt { (lang.t("process")) } dd {
                a href=(format!("/playbook/{}", t.process_key)) { (t.process) }
            }
            dt { (lang.t("step")) } dd { (t.step) }
            dt { (lang.t("mandatory")) } dd { (if t.mandatory { lang.t("yes") } else { lang.t("no") }) }
            dt { (lang.t("role")) } dd { (t.role_name) }
            dt { (lang.t("services")) } dd { @if t.service.is_empty() { (lang.t("tenant-wide")) } @else { (t.service) } }
            dt { (lang.t("status")) } dd id="task-status" { (lang.task_status(t.status)) " · " (t.percent) "%" }
            @if let (Some(at), Some(by)) = (&t.updated_at, &t.updated_by) {
                dt { (lang.t("last-change")) } dd { time datetime=(at) { (lang.when(at)) } " · " (by) }
            }
        }
        @if editable {
            form.filters method="post" action=(format!("/tenants/{tid}/tasks/{}", t.task_id)) {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="service" value=(t.service);
                input type="hidden" name="version" value=(t.version);
                input type="hidden" name="return_to" value="task";
                label { (lang.t("status"))
                    select name="status" {
                        @for s in TaskStatus::ALL { option value=(s.key()) selected[*s == t.status] { (lang.task_status(*s)) } }
                    }
                }
                label { (lang.t("percent-complete"))
                    input type="number" name="percent" min="0" max="100" value=(t.percent);
                }
                button type="submit" { (lang.t("save")) }
            }
        }
        h2 { (lang.t("time")) " · " (lang.t_with("time-total", &[("minutes", total.into())])) }
        @if editable {
            form.filters method="post" action=(format!("/tenants/{tid}/time")) {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="task" value=(format!("{}|{}", t.task_id, t.service));
                input type="hidden" name="return_to" value="task";
                label { (lang.t("minutes")) input type="number" name="minutes" min="1" max="1440" value="30" required; }
                label { (lang.t("date")) input type="date" name="work_date" value=(super::record::today_iso()) required; }
                label { (lang.t("note")) input name="note" size="30"; }
                button type="submit" { (lang.t("save")) }
            }
        }
        table id="task-time" {
            thead { tr { th { (lang.t("date")) } th { (lang.t("who")) } th { (lang.t("minutes")) } th { (lang.t("note")) } } }
            tbody { @for e in &entries { tr { td { (e.work_date) } td { (e.user) } td { (e.minutes) } td { (e.note) } } } }
        }
    };
    let mut res = page(lang, &v, &title, body).into_response();
    if q.notice.is_some() {
        notice::clear(&mut res);
    }
    Ok(res)
}

fn messages(q: &DetailQuery, lang: Lang) -> Markup {
    html! {
        @if q.saved.is_some() { (flash("ok", lang.t("saved"))) }
        @if q.conflict.is_some() { (flash("error", lang.t("conflict"))) }
        @if let Some(m) = &q.notice { (flash("error", m)) }
    }
}

/// Where a change made on the task page returns to.
pub(crate) fn detail_path(id: &str, task: u32, service: &str) -> String {
    format!(
        "/tenants/{id}/tasks/{task}?service={}",
        crate::auth::urlencode(service)
    )
}
