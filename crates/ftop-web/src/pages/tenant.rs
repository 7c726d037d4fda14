//! The tenant page: Status, Playbook (phase, process, task; filters; inline status change),
//! Services and History tabs.

use crate::auth::PageViewer;
use crate::error::{AppError, PageError, PageResult};
use crate::extract::{Form, Path, Query};
use crate::i18n::Lang;
use crate::pages::layout::{flash, page};
use crate::pages::notice;
use crate::service::access::{self, Need};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use ftop_domain::TaskStatus;
use ftop_store::{Access, TaskUpdate};
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct TenantQuery {
    pub(crate) tab: Option<String>,
    pub(crate) service: Option<String>,
    pub(crate) phase: Option<String>,
    pub(crate) role: Option<String>,
    pub(crate) status: Option<String>,
    pub(crate) q: Option<String>,
    /// History tab: the kind of change shown (an audit entity name; empty or unknown: all).
    pub(crate) kind: Option<String>,
    /// History tab: whose changes are shown (empty: everyone's).
    pub(crate) who: Option<String>,
    pub(crate) saved: Option<String>,
    pub(crate) conflict: Option<u32>,
    /// The flag of a form's field errors (any value): their text is in the notice cookie.
    pub(crate) invalid: Option<String>,
    /// The field errors to show: the notice cookie's text when the flag is set, never
    /// anything of the URL ([`notice::shown`]).
    #[serde(skip)]
    pub(crate) notice: Option<String>,
    /// A form shown again with what was typed (never from the URL).
    #[serde(skip)]
    pub(crate) again: Option<super::again::Again>,
}

impl TenantQuery {
    /// A search or a filter is set (the Playbook tab then looks across every phase).
    pub(crate) fn searching(&self) -> bool {
        [&self.service, &self.role, &self.status, &self.q]
            .iter()
            .any(|v| v.as_deref().is_some_and(|v| !v.trim().is_empty()))
    }
}

pub(crate) async fn tenant(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(id): Path<String>,
    Query(mut q): Query<TenantQuery>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    q.notice = notice::shown(q.invalid.is_some(), &headers);
    let mut res = show(&state, &v, lang, &id, &q).await?;
    if q.notice.is_some() {
        notice::clear(&mut res);
    }
    Ok(res)
}

/// The tenant page with a form of tab `tab` shown again as it was typed (`again`: refused,
/// 422, or with a suggestion, 200).
pub(crate) async fn show_again(
    state: &crate::App,
    v: &crate::auth::Viewer,
    lang: Lang,
    id: &str,
    tab: &str,
    again: super::again::Again,
) -> Result<Response, PageError> {
    let status = again.status;
    let q = TenantQuery {
        tab: Some(tab.to_string()),
        again: Some(again),
        ..TenantQuery::default()
    };
    let mut res = show(state, v, lang, id, &q).await?;
    *res.status_mut() = status;
    Ok(res)
}

/// The tenant page, tab `q.tab`.
async fn show(
    state: &crate::App,
    v: &crate::auth::Viewer,
    lang: Lang,
    id: &str,
    q: &TenantQuery,
) -> Result<Response, PageError> {
    let tab = q.tab.as_deref().unwrap_or("status");
    // The Playbook tab's tasks come with the tenant (one round trip on PostgreSQL).
    let (r, tasks) = if tab == "playbook" {
        let (r, tasks) = crate::service::tenants::visible_with_tasks(state, v, id)
            .await
            .page(lang)?;
        (r, Some(tasks))
    } else {
        let r = crate::service::tenants::visible(state, v, id)
            .await
            .page(lang)?;
        (r, None)
    };
    let (access, t, facts) = (r.access, r.tenant, r.facts);
    let tabs = [
        ("status", lang.t("status")),
        ("playbook", lang.t("playbook")),
        ("services", lang.t("services")),
        ("usage", lang.t("usage")),
        ("time", lang.t("time")),
        ("contacts", lang.t("contacts")),
        ("assignments", lang.t("assignments")),
        ("partners", lang.t("partners")),
        ("eligibility", lang.t("eligibility")),
        ("history", lang.t("history")),
    ];
    let csrf = v.csrf.as_deref();
    let links = crate::service::assignments::links_partners(v);
    let content = tab_content(
        state,
        v,
        (tab, tasks),
        &t,
        &facts,
        q,
        lang,
        (access, links),
        csrf,
    )
    .await
    .page(lang)?;
    let body = html! {
        h1 { (t.name) }
        p.muted {
            (t.customer) " · " (t.tenant_id)
            @if crate::service::tenants::may_create(v).is_ok() {
                " · " a href={ "/tenants/" (t.tenant_id) "/edit" } { (lang.t("tenant-edit")) }
            }
        }
        @if access == Access::Read { (flash("ok", lang.t("read-only"))) }
        nav.tabs aria-label=(lang.t("tenant-tabs")) {
            @for (key, label) in tabs {
                a href=(format!("/tenants/{}?tab={key}", t.tenant_id)) aria-current=[(key == tab).then_some("page")] { (label) }
            }
        }
        (content)
    };
    Ok(page(lang, v, &t.name, body).into_response())
}

/// The content of one tab; a store failure fails the page (never an empty tab).
#[allow(clippy::too_many_arguments)]
async fn tab_content(
    state: &crate::App,
    v: &crate::auth::Viewer,
    (tab, tasks): (&str, Option<Vec<ftop_store::TaskView>>),
    t: &ftop_store::Tenant,
    facts: &ftop_domain::instance::TenantFacts,
    q: &TenantQuery,
    lang: Lang,
    (access, links_partners): (Access, bool),
    csrf: Option<&str>,
) -> Result<Markup, AppError> {
    let store = &state.store;
    let editable = access == Access::Write;
    Ok(match tab {
        "playbook" => {
            let tasks = match tasks {
                Some(tasks) => tasks,
                None => store.tasks_of(&t.tenant_id, facts).await?,
            };
            super::tasks_tab::playbook_tab(state, &t.tenant_id, tasks, q, lang, access, csrf)?
        }
        "services" => {
            let mut statuses = Vec::new();
            let mut extras = Vec::new();
            let adoption = store.adoption(&t.tenant_id).await?;
            let assignments = store.assignments(&t.tenant_id).await?;
            let can_change = crate::service::delivery::may_change(v);
            let deliveries = store.deliveries(&t.tenant_id).await?;
            // The data migration of each eligible service, beside the tasks before it.
            let mut migrations = store.migrations(&t.tenant_id).await?;
            let (tasks, names) = if migrations.is_empty() {
                (Vec::new(), Default::default())
            } else {
                let names = match store.playbook() {
                    Ok((_, pb, _)) => crate::service::reader::task_names(&pb, lang),
                    Err(_) => Default::default(),
                };
                (store.tasks_of(&t.tenant_id, facts).await?, names)
            };
            for (s, d) in t.services.iter().zip(&deliveries) {
                let st = match store.service_status(&t.tenant_id, &s.service).await {
                    Ok(st) => st,
                    // A service removed meanwhile is left out.
                    Err(ftop_store::StoreError::NotFound(_)) => continue,
                    Err(e) => return Err(e.into()),
                };
                statuses.push(st);
                let credit = crate::service::delivery::credited(d, &assignments);
                let f = super::forecast::load(store, &t.tenant_id, &s.service, &adoption).await?;
                let migration = migrations
                    .iter()
                    .position(|m| m.service == s.service)
                    .map(|i| migrations.swap_remove(i));
                let migration = migration.map(|m| {
                    let p = crate::service::migration::prerequisites(&m.service, &tasks, &names);
                    let again = q.again.as_ref();
                    super::migration::section(&t.tenant_id, &m, &p, again, lang, (csrf, editable))
                });
                extras.push(html! {
                    (super::delivery::section(&t.tenant_id, d, credit, lang, csrf, can_change))
                    @if let Some(m) = migration { (m) }
                    (super::forecast::section(&t.tenant_id, &s.service, &f, lang, csrf, editable))
                });
            }
            // The owner of a row is picked from the people assigned to the tenant.
            let mut owners: Vec<String> = assignments.into_iter().map(|a| a.user).collect();
            owners.sort();
            owners.dedup();
            let again = q.again.as_ref();
            html! { (messages(q, lang)) (super::services_tab::services_tab(t, &statuses, &extras, &owners, again, lang, csrf, editable)) }
        }
        "contacts" => {
            let contacts = store.contacts(&t.tenant_id).await?;
            html! { (messages(q, lang)) (super::engagement::contacts_tab(t, &contacts, lang, csrf, editable)) }
        }
        "assignments" => {
            html! { (messages(q, lang)) (super::assignments::assignments_tab(state, v, t, lang).await?) }
        }
        "partners" => {
            let partners = store.tenant_partners(&t.tenant_id).await?;
            let links = links_partners;
            // The organisations not yet on the tenant, to pick from (never typed).
            let offered: Vec<String> = if links {
                store
                    .organisations()
                    .await?
                    .into_iter()
                    .map(|o| o.name)
                    .filter(|n| !partners.iter().any(|(p, _)| p == n))
                    .collect()
            } else {
                Vec::new()
            };
            html! { (messages(q, lang)) (super::engagement::partners_tab(t, &partners, &offered, lang, csrf, links)) }
        }
        "eligibility" => {
            let admin = (v.user.role == ftop_domain::UserRole::Admin).then_some(csrf);
            html! { (messages(q, lang)) (super::engagement::eligibility_tab(t, lang, admin)) }
        }
        "usage" => super::usage_tab::usage_tab(store, &t.tenant_id, lang).await?,
        "history" => history_tab(state, &t.tenant_id, q, lang).await?,
        "time" => {
            let entries = store.time_entries(&t.tenant_id).await?;
            let tasks = store.tasks_of(&t.tenant_id, facts).await?;
            html! { (messages(q, lang)) (super::record::time_tab(&t.tenant_id, &entries, &tasks, q.again.as_ref(), lang, (csrf, &v.user.name), editable)) }
        }
        _ => {
            let f = ftop_store::NoteFilter {
                tenant_id: Some(t.tenant_id.clone()),
                ..Default::default()
            };
            let notes = store.notes(&f).await?;
            // Enterprise tenants only: their Enterprise status.
            let enterprise = if ftop_domain::enterprise::has_enterprise_status(facts) {
                let entries = store.enterprise_statuses(&t.tenant_id).await?;
                let assignments = store.assignments(&t.tenant_id).await?;
                let may_add = crate::service::enterprise::may_add(v, &assignments);
                Some(super::enterprise::section(
                    &t.tenant_id,
                    &entries,
                    q.again.as_ref(),
                    lang,
                    csrf,
                    may_add,
                ))
            } else {
                None
            };
            html! {
                (messages(q, lang)) (status_tab(t, lang))
                @if let Some(e) = enterprise { (e) }
                (super::record::status_forms(t, &notes, q.again.as_ref(), lang, csrf, editable))
            }
        }
    })
}

/// Outcome messages of a form sent back to the page.
fn messages(q: &TenantQuery, lang: Lang) -> Markup {
    html! {
        @if q.saved.is_some() { (flash("ok", lang.t("saved"))) }
        @if q.conflict.is_some() { (flash("error", lang.t("conflict"))) }
        @if let Some(m) = &q.notice { (flash("error", m)) }
    }
}

fn status_tab(t: &ftop_store::Tenant, lang: Lang) -> Markup {
    html! {
        dl.facts {
            dt { (lang.t("overall-status")) } dd id="overall-status" { (lang.overall_status(t.overall_status)) }
            dt { (lang.t("status-date")) } dd { (t.status_date.clone().unwrap_or_else(|| "—".into())) }
            dt { (lang.t("status-note")) } dd { (t.status_note) }
            dt { (lang.t("priority")) } dd { (lang.label(t.priority)) }
            dt { (lang.t("services")) } dd { (t.services.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ")) }
        }
    }
}

/// The History tab: the latest 200 changes, narrowed to a kind and a person when asked.
async fn history_tab(
    state: &crate::App,
    tenant: &str,
    q: &TenantQuery,
    lang: Lang,
) -> Result<Markup, AppError> {
    use super::history::{KINDS, filters, table};
    // Unknown values narrow nothing (a link with an old or mistyped kind still shows the log).
    let kind = q
        .kind
        .as_deref()
        .filter(|k| KINDS.contains(k))
        .unwrap_or("");
    let who = q
        .who
        .as_deref()
        .map(str::trim)
        .filter(|w| w.chars().count() <= ftop_domain::limits::CONTACT_FIELD.max as usize)
        .unwrap_or("");
    let log = state.store.audit_matching(tenant, kind, who, 200).await?;
    let actors = state.store.audit_actors(tenant).await?;
    let names = match state.store.playbook() {
        Ok((_, pb, _)) => crate::service::reader::task_names(&pb, lang),
        Err(_) => Default::default(),
    };
    let narrowed = !kind.is_empty() || !who.is_empty();
    Ok(html! {
        (filters(tenant, (kind, who), &actors, lang))
        @if narrowed && log.is_empty() { p.muted { (lang.t("history-none-match")) } }
        @else { (table(&log, &names, lang)) }
    })
}

#[derive(Debug, Deserialize)]
pub(crate) struct TaskForm {
    csrf: String,
    service: String,
    version: i64,
    status: String,
    /// The phase tab the change was made on, to return to it.
    #[serde(default)]
    phase: String,
    /// Percent complete (the task page sends it).
    #[serde(default)]
    percent: String,
    /// "task": back to the task's page rather than the Playbook tab.
    #[serde(default)]
    return_to: String,
}

/// `POST /tenants/{id}/tasks/{task}`: changes a task's status, then back to the playbook.
pub(crate) async fn set_task(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path((id, task)): Path<(String, u32)>,
    Form(f): Form<TaskForm>,
) -> Result<Response, PageError> {
    access::tenant(&state, &v, &id, Need::Write, Some(&f.csrf))
        .await
        .page(lang)?;
    let phase = if !f.phase.is_empty()
        && f.phase.len() <= 40
        && f.phase
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        format!("&phase={}", f.phase)
    } else {
        String::new()
    };
    let Some(status) = TaskStatus::parse(&f.status) else {
        let e = AppError::field_error(ftop_domain::FieldError::of(
            "status",
            "invalid-choose-status",
        ));
        return back_from_task(&id, task, &f, &phase, Err(e), lang);
    };
    let percent = match f.percent.trim() {
        "" => None,
        p => match p.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                let e = AppError::field_error(ftop_domain::FieldError::of(
                    "percent",
                    "invalid-percent-whole",
                ));
                return back_from_task(&id, task, &f, &phase, Err(e), lang);
            }
        },
    };
    let u = TaskUpdate {
        task_id: task,
        service: f.service.clone(),
        version: f.version,
        status: Some(status),
        percent,
        role: None,
    };
    let r = state
        .store
        .set_task(&ftop_store::Actor::user(&v.user), &id, &u)
        .await
        .map(|_| format!("saved={task}"))
        .map_err(AppError::from);
    back_from_task(&id, task, &f, &phase, r, lang)
}

/// Back to the task's page, or to its row on the Playbook tab (phase kept).
fn back_from_task(
    id: &str,
    task: u32,
    f: &TaskForm,
    phase: &str,
    r: Result<String, AppError>,
    lang: Lang,
) -> Result<Response, PageError> {
    if f.return_to == "task" {
        let path = super::task_detail::detail_path(id, task, &f.service);
        return super::record::back_to(&path, r, lang);
    }
    let anchor = format!(
        "#task-{task}-{}",
        if f.service.is_empty() {
            "tenant"
        } else {
            &f.service
        }
    );
    let base = format!("/tenants/{id}?tab=playbook{phase}");
    let mut res = super::record::back_to(&base, r, lang)?;
    // The fragment keeps the changed row in view.
    if let Some(loc) = res.headers().get("location").and_then(|l| l.to_str().ok())
        && let Ok(v) = axum::http::HeaderValue::from_str(&format!("{loc}{anchor}"))
    {
        res.headers_mut().insert("location", v);
    }
    Ok(res)
}
