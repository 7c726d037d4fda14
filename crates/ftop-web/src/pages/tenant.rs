//! The tenant page: Status, Playbook (phase, process, task; filters; inline status change),
//! Services and History tabs.

use crate::auth::{csrf_ok, page_viewer};
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::pages::layout::{flash, page};
use axum::extract::{Form, OriginalUri, Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use ftop_domain::TaskStatus;
use ftop_store::{Access, StoreError, TaskUpdate};
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct TenantQuery {
    tab: Option<String>,
    service: Option<String>,
    phase: Option<String>,
    status: Option<String>,
    q: Option<String>,
    saved: Option<String>,
    conflict: Option<u32>,
    invalid: Option<String>,
}

pub(crate) async fn tenant(
    state: crate::State,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<TenantQuery>,
) -> Response {
    let v = match page_viewer(&state, &headers, &uri).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let lang = Lang::of(&headers);
    let store = &state.store;
    let access = match store.access(&v.user, &id).await {
        Ok(Access::None) | Err(_) => return super::not_found(headers).await,
        Ok(a) => a,
    };
    let t = match store.tenant(&id).await {
        Ok(t) => t,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let tab = q.tab.as_deref().unwrap_or("status");
    let tabs = [
        ("status", lang.t("status")),
        ("playbook", lang.t("playbook")),
        ("services", lang.t("services")),
        ("time", lang.t("time")),
        ("contacts", lang.pick("Contacts", "Contactos", "联系人")),
        ("partners", lang.pick("Partners", "Asociados", "合作伙伴")),
        ("eligibility", lang.pick("Eligibility", "Idoneidad", "资格")),
        ("history", lang.t("history")),
    ];
    let editable = access == Access::Write;
    let csrf = v.csrf.as_deref();
    let content = match tab {
        "playbook" => playbook_tab(&state, &t.tenant_id, &q, lang, access, csrf).await,
        "services" => {
            let mut statuses = Vec::new();
            for s in &t.services {
                if let Ok(st) = store.service_status(&t.tenant_id, &s.service).await {
                    statuses.push(st);
                }
            }
            html! { (messages(&q, lang)) (super::engagement::services_tab(&t, &statuses, lang, csrf, editable)) }
        }
        "contacts" => {
            let contacts = store.contacts(&t.tenant_id).await.unwrap_or_default();
            html! { (messages(&q, lang)) (super::engagement::contacts_tab(&t, &contacts, lang, csrf, editable)) }
        }
        "partners" => {
            let partners = store
                .tenant_partners(&t.tenant_id)
                .await
                .unwrap_or_default();
            html! { (messages(&q, lang)) (super::engagement::partners_tab(&t, &partners, lang, csrf, editable)) }
        }
        "eligibility" => super::engagement::eligibility_tab(&t, lang),
        "history" => history_tab(&state, &t.tenant_id, lang).await,
        "time" => {
            let entries = store.time_entries(&t.tenant_id).await.unwrap_or_default();
            let tasks = store.tenant_tasks(&t.tenant_id).await.unwrap_or_default();
            html! { (messages(&q, lang)) (super::record::time_tab(&t.tenant_id, &entries, &tasks, lang, csrf, editable)) }
        }
        _ => {
            let f = ftop_store::NoteFilter {
                tenant_id: Some(t.tenant_id.clone()),
                ..Default::default()
            };
            let notes = store.notes(&f).await.unwrap_or_default();
            html! { (messages(&q, lang)) (status_tab(&t, lang)) (super::record::status_forms(&t, &notes, lang, csrf, editable)) }
        }
    };
    let body = html! {
        h1 { (t.name) }
        p.muted { (t.customer) " · " (t.tenant_id) }
        @if access == Access::Read { (flash("ok", lang.t("read-only"))) }
        nav.tabs aria-label="tenant" {
            @for (key, label) in tabs {
                a href=(format!("/tenants/{}?tab={key}", t.tenant_id)) aria-current=[(key == tab).then_some("page")] { (label) }
            }
        }
        (content)
    };
    page(lang, &v, &t.name, body).into_response()
}

/// Outcome messages of a form sent back to the page.
fn messages(q: &TenantQuery, lang: Lang) -> Markup {
    html! {
        @if q.saved.is_some() { (flash("ok", lang.t("saved"))) }
        @if q.conflict.is_some() { (flash("error", lang.t("conflict"))) }
        @if let Some(m) = &q.invalid { (flash("error", m)) }
    }
}

fn status_tab(t: &ftop_store::Tenant, lang: Lang) -> Markup {
    html! {
        dl.facts {
            dt { (lang.t("overall-status")) } dd id="overall-status" { (t.overall_status.name()) }
            dt { (lang.t("status-date")) } dd { (t.status_date.clone().unwrap_or_else(|| "—".into())) }
            dt { (lang.t("status-note")) } dd { (t.status_note) }
            dt { (lang.t("priority")) } dd { (t.priority.name()) }
            dt { (lang.t("services")) } dd { (t.services.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ")) }
        }
    }
}

async fn history_tab(state: &crate::App, tenant: &str, lang: Lang) -> Markup {
    let log = state.store.audit_for(tenant, 200).await.unwrap_or_default();
    html! {
        table id="history" {
            thead { tr { th { (lang.t("when")) } th { (lang.t("who")) } th { (lang.t("what")) } } }
            tbody {
                @for e in &log {
                    tr { td { (e.at) } td { (e.actor) } td { (e.entity) " " (e.action) " " code { (e.after.clone().unwrap_or_default()) } } }
                }
            }
        }
    }
}

async fn playbook_tab(
    state: &crate::App,
    tenant: &str,
    q: &TenantQuery,
    lang: Lang,
    access: Access,
    csrf: Option<&str>,
) -> Markup {
    let tasks = match state.store.tenant_tasks(tenant).await {
        Ok(t) => t,
        Err(e) => return html! { (flash("error", &e.to_string())) },
    };
    let services: Vec<String> = {
        let mut s: Vec<String> = tasks
            .iter()
            .map(|t| t.service.clone())
            .filter(|s| !s.is_empty())
            .collect();
        s.sort();
        s.dedup();
        s
    };
    let phases: Vec<(String, String)> = {
        let mut p: Vec<(String, String)> = Vec::new();
        for t in &tasks {
            if !p.iter().any(|(k, _)| *k == t.phase) {
                p.push((t.phase.clone(), t.phase_name.clone()));
            }
        }
        p
    };
    let needle =
        q.q.as_deref()
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty());
    let shown: Vec<&ftop_store::TaskView> = tasks
        .iter()
        .filter(|t| {
            q.service.as_deref().is_none_or(|s| {
                s.is_empty() || (s == "tenant" && t.service.is_empty()) || t.service == s
            })
        })
        .filter(|t| {
            q.phase
                .as_deref()
                .is_none_or(|p| p.is_empty() || t.phase == p)
        })
        .filter(|t| {
            q.status
                .as_deref()
                .is_none_or(|s| s.is_empty() || t.status.key() == s)
        })
        .filter(|t| {
            needle
                .as_ref()
                .is_none_or(|n| t.name.to_lowercase().contains(n) || t.task_id.to_string() == *n)
        })
        .collect();
    let editable = access == Access::Write;
    // Playbook text in the reader's language where the playbook has it, else English.
    let localized: std::collections::HashMap<u32, (String, String, String)> =
        match state.store.playbook() {
            Ok((_, pb, _)) if pb.source_locale != lang.code() => pb
                .tasks
                .iter()
                .filter(|t| t.locale.as_ref() == lang.code())
                .filter_map(|t| {
                    Some((
                        t.id.parse().ok()?,
                        (t.name.clone(), t.process.to_string(), t.step.to_string()),
                    ))
                })
                .collect(),
            _ => std::collections::HashMap::new(),
        };
    let text = |t: &ftop_store::TaskView| -> (String, String, String) {
        localized
            .get(&t.task_id)
            .cloned()
            .unwrap_or_else(|| (t.name.clone(), t.process.clone(), t.step.clone()))
    };
    html! {
        @if let Some(id) = &q.saved { (flash("ok", &format!("{} {id}: {}", lang.t("task"), lang.t("saved")))) }
        @if q.conflict.is_some() { (flash("error", lang.t("conflict"))) }
        @if let Some(m) = &q.invalid { (flash("error", m)) }
        form.filters method="get" {
            input type="hidden" name="tab" value="playbook";
            label { (lang.t("services"))
                select name="service" {
                    option value="" { (lang.t("all-services")) }
                    option value="tenant" selected[q.service.as_deref() == Some("tenant")] { (lang.t("tenant-wide")) }
                    @for s in &services { option value=(s) selected[q.service.as_deref() == Some(s.as_str())] { (s) } }
                }
            }
            label { (lang.t("phase"))
                select name="phase" {
                    option value="" { "—" }
                    @for (key, name) in &phases { option value=(key) selected[q.phase.as_deref() == Some(key.as_str())] { (name) } }
                }
            }
            label { (lang.t("status"))
                select name="status" {
                    option value="" { "—" }
                    @for s in TaskStatus::ALL { option value=(s.key()) selected[q.status.as_deref() == Some(s.key())] { (s.name()) } }
                }
            }
            label { (lang.t("search")) input type="search" name="q" value=(q.q.clone().unwrap_or_default()); }
            button type="submit" { (lang.t("filter")) }
        }
        table id="tasks" {
            thead { tr { th { (lang.t("task")) } th { (lang.t("phase")) } th { (lang.t("services")) } th { (lang.t("role")) } th { (lang.t("status")) } } }
            tbody {
                @for t in &shown {
                    tr id=(format!("task-{}-{}", t.task_id, if t.service.is_empty() { "tenant" } else { &t.service })) {
                        td {
                            (t.task_id) " "
                            @if t.mandatory { span.mandatory title=(lang.t("mandatory")) aria-label=(lang.t("mandatory")) { "*" } " " }
                            @let (name, process, step) = text(t);
                            (name)
                            br; span.muted { (process) " › " (step) }
                        }
                        td { (t.phase_name) }
                        td { @if t.service.is_empty() { (lang.t("tenant-wide")) } @else { (t.service) } }
                        td { (t.role_name) }
                        td {
                            @if editable {
                                form method="post" action=(format!("/tenants/{tenant}/tasks/{}", t.task_id)) {
                                    input type="hidden" name="csrf" value=(csrf.unwrap_or(""));
                                    input type="hidden" name="service" value=(t.service);
                                    input type="hidden" name="version" value=(t.version);
                                    select name="status" aria-label=(format!("{} {}", lang.t("status"), t.task_id)) {
                                        (status_options(t.status))
                                    }
                                    " " button type="submit" { (lang.t("save")) }
                                }
                            } @else {
                                span.status { (t.status.name()) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The `<option>`s of the status picker with `selected` on `current`: rendered once per
/// status for the life of the process, since a playbook tab shows hundreds of pickers.
fn status_options(current: TaskStatus) -> maud::PreEscaped<&'static str> {
    static OPTIONS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let all = OPTIONS.get_or_init(|| {
        TaskStatus::ALL
            .iter()
            .map(|sel| {
                html! { @for s in TaskStatus::ALL { option value=(s.key()) selected[s == sel] { (s.name()) } } }
                    .into_string()
            })
            .collect()
    });
    let i = TaskStatus::ALL
        .iter()
        .position(|s| *s == current)
        .unwrap_or(0);
    maud::PreEscaped(all.get(i).map_or("", String::as_str))
}

#[derive(Debug, Deserialize)]
pub(crate) struct TaskForm {
    csrf: String,
    service: String,
    version: i64,
    status: String,
}

/// `POST /tenants/{id}/tasks/{task}`: changes a task's status, then back to the playbook.
pub(crate) async fn set_task(
    state: crate::State,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    Path((id, task)): Path<(String, u32)>,
    Form(f): Form<TaskForm>,
) -> Response {
    let v = match page_viewer(&state, &headers, &uri).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if !csrf_ok(&v, Some(&f.csrf)) {
        return (StatusCode::FORBIDDEN, "missing or wrong CSRF token").into_response();
    }
    match state.store.access(&v.user, &id).await {
        Ok(Access::Write) => {}
        Ok(Access::Read) => {
            return (
                StatusCode::FORBIDDEN,
                "read-only: you are not assigned to this tenant",
            )
                .into_response();
        }
        _ => return super::not_found(headers).await,
    }
    let back = format!("/tenants/{id}?tab=playbook");
    let anchor = format!(
        "#task-{task}-{}",
        if f.service.is_empty() {
            "tenant"
        } else {
            &f.service
        }
    );
    let Some(status) = TaskStatus::parse(&f.status) else {
        return Redirect::to(&format!("{back}&invalid=status{anchor}")).into_response();
    };
    let u = TaskUpdate {
        task_id: task,
        service: f.service.clone(),
        version: f.version,
        status: Some(status),
        percent: None,
        role: None,
    };
    match state
        .store
        .set_task(&ftop_store::Actor::user(&v.user), &id, &u)
        .await
    {
        Ok(_) => Redirect::to(&format!("{back}&saved={task}{anchor}")).into_response(),
        Err(StoreError::Conflict(_)) => {
            Redirect::to(&format!("{back}&conflict={task}{anchor}")).into_response()
        }
        Err(StoreError::Invalid(inv)) => {
            let m = inv
                .0
                .iter()
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
                .join("; ");
            Redirect::to(&format!(
                "{back}&invalid={}{anchor}",
                crate::auth::urlencode(&m)
            ))
            .into_response()
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}
