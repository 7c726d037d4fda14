//! The tenant page's Playbook tab: phase tabs (the current phase first), filters by service,
//! role and status, a text search, and the process › step › task tree with an inline status
//! change on every task the viewer may edit.

use crate::i18n::Lang;
use crate::pages::layout::flash;
use crate::pages::tenant::TenantQuery;
use ftop_domain::TaskStatus;
use ftop_store::{Access, TaskView};
use maud::{Markup, PreEscaped, html};
use std::borrow::Cow;
use std::collections::HashMap;

/// One phase tab: key, name, tasks settled, tasks in all, mandatory tasks still open.
struct PhaseTab<'a> {
    key: &'a str,
    name: &'a str,
    settled: usize,
    total: usize,
    open_mandatory: usize,
}

fn phase_tabs(tasks: &[TaskView]) -> Vec<PhaseTab<'_>> {
    let mut out: Vec<PhaseTab<'_>> = Vec::new();
    for t in tasks {
        let i = match out.iter().position(|p| p.key == t.phase) {
            Some(i) => i,
            None => {
                out.push(PhaseTab {
                    key: &t.phase,
                    name: &t.phase_name,
                    settled: 0,
                    total: 0,
                    open_mandatory: 0,
                });
                out.len() - 1
            }
        };
        let p = &mut out[i];
        p.total += 1;
        if t.status.settles() {
            p.settled += 1;
        } else if t.mandatory {
            p.open_mandatory += 1;
        }
    }
    out
}

/// Which phase the tab shows: the one asked for, every phase ("all") when the viewer
/// searches or filters without naming one, else the current phase (the first with a
/// mandatory task still open, or the last).
fn chosen_phase<'a>(q: &'a TenantQuery, tabs: &[PhaseTab<'a>]) -> &'a str {
    match q.phase.as_deref().filter(|p| !p.is_empty()) {
        Some("all") => "all",
        Some(p) if tabs.iter().any(|t| t.key == p) => p,
        Some(_) => "all",
        None if q.searching() => "all",
        None => tabs
            .iter()
            .find(|t| t.open_mandatory > 0)
            .or(tabs.last())
            .map_or("all", |t| t.key),
    }
}

/// The query string of the tab with `phase`, keeping the other filters.
fn href(q: &TenantQuery, phase: &str) -> String {
    let mut s = format!("?tab=playbook&phase={}", crate::auth::urlencode(phase));
    for (k, v) in [
        ("service", &q.service),
        ("role", &q.role),
        ("status", &q.status),
        ("q", &q.q),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            s.push_str(&format!("&{k}={}", crate::auth::urlencode(v)));
        }
    }
    s
}

fn keep(q: &TenantQuery, t: &TaskView, needle: Option<&str>) -> bool {
    let service = q.service.as_deref().unwrap_or("");
    let role = q.role.as_deref().unwrap_or("");
    let status = q.status.as_deref().unwrap_or("");
    (service.is_empty() || (service == "tenant" && t.service.is_empty()) || t.service == service)
        && (role.is_empty() || t.role == role)
        && (status.is_empty() || t.status.key() == status)
        && needle.is_none_or(|n| t.name.to_lowercase().contains(n) || t.task_id.to_string() == n)
}

/// The Playbook tab of one tenant.
pub(crate) fn playbook_tab(
    state: &crate::App,
    tenant: &str,
    tasks: Vec<TaskView>,
    q: &TenantQuery,
    lang: Lang,
    access: Access,
    csrf: Option<&str>,
) -> Result<Markup, crate::error::AppError> {
    let mut services: Vec<&str> = tasks
        .iter()
        .map(|t| t.service.as_str())
        .filter(|s| !s.is_empty())
        .collect();
    services.sort_unstable();
    services.dedup();
    let mut roles: Vec<(&str, &str)> = Vec::new();
    for t in &tasks {
        if !t.role.is_empty() && !roles.iter().any(|(k, _)| *k == t.role) {
            roles.push((&t.role, &t.role_name));
        }
    }
    roles.sort_unstable();
    let tabs = phase_tabs(&tasks);
    let phase = chosen_phase(q, &tabs);
    let all = phase == "all";
    let needle =
        q.q.as_deref()
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty());
    let shown: Vec<&TaskView> = tasks
        .iter()
        .filter(|t| all || t.phase == phase)
        .filter(|t| keep(q, t, needle.as_deref()))
        .collect();
    // Playbook text in the reader's language where the playbook has it, else English.
    let pb = state.store.playbook().ok().map(|(_, pb, _)| pb);
    let localized: HashMap<&str, (&str, &str, &str)> = match &pb {
        Some(pb) if pb.source_locale != lang.code() => pb
            .tasks
            .iter()
            .filter(|t| t.locale.as_ref() == lang.code())
            .map(|t| (t.id.as_str(), (t.name.as_str(), &*t.process, &*t.step)))
            .collect(),
        _ => HashMap::new(),
    };
    let editable = access == Access::Write;
    let cols = if all { 5 } else { 4 };
    Ok(html! {
        @if let Some(task) = q.saved.as_deref().and_then(|t| t.parse::<u32>().ok()) { (flash("ok", &lang.t_with("task-saved", &[("task", task.into())]))) }
        @if q.conflict.is_some() { (flash("error", lang.t("conflict"))) }
        @if let Some(m) = &q.notice { (flash("error", m)) }
        nav.tabs.phases aria-label=(lang.t("phase")) {
            @for p in &tabs {
                a href=(href(q, p.key)) aria-current=[(p.key == phase).then_some("page")] {
                    (p.name) " " span.muted { (p.settled) "/" (p.total) }
                }
            }
            a href=(href(q, "all")) aria-current=[all.then_some("page")] { (lang.t("all-phases")) }
        }
        form.filters method="get" {
            input type="hidden" name="tab" value="playbook";
            input type="hidden" name="phase" value=(phase);
            label { (lang.t("services"))
                select name="service" {
                    option value="" { (lang.t("all-services")) }
                    option value="tenant" selected[q.service.as_deref() == Some("tenant")] { (lang.t("tenant-wide")) }
                    @for s in &services { option value=(s) selected[q.service.as_deref() == Some(*s)] { (s) } }
                }
            }
            label { (lang.t("role"))
                select name="role" {
                    option value="" { "—" }
                    @for (key, name) in &roles { option value=(key) selected[q.role.as_deref() == Some(*key)] { (name) } }
                }
            }
            label { (lang.t("status"))
                select name="status" {
                    option value="" { "—" }
                    @for s in TaskStatus::ALL { option value=(s.key()) selected[q.status.as_deref() == Some(s.key())] { (lang.task_status(*s)) } }
                }
            }
            label { (lang.t("search")) input type="search" name="q" value=(q.q.clone().unwrap_or_default()); }
            button type="submit" { (lang.t("filter")) }
        }
        @if shown.is_empty() {
            p.muted { (lang.t("no-task-matches")) }
        }
        table id="tasks" {
            thead { tr {
                th scope="col" { (lang.t("task")) }
                @if all { th scope="col" { (lang.t("phase")) } }
                th scope="col" { (lang.t("services")) }
                th scope="col" { (lang.t("role")) }
                th scope="col" { (lang.t("status")) }
            } }
            @for (i, t) in shown.iter().enumerate() {
                @let prev = i.checked_sub(1).map(|j| shown[j]);
                @let text = localized.get(t.task_id.to_string().as_str()).copied()
                    .unwrap_or((&t.name, &t.process, &t.step));
                @if prev.is_none_or(|p| p.process_key != t.process_key || p.phase != t.phase) {
                    tr.process { th colspan=(cols) scope="rowgroup" { (text.1) } }
                }
                @if prev.is_none_or(|p| p.step != t.step || p.process_key != t.process_key) {
                    tr.step { td colspan=(cols) { (text.2) } }
                }
                tr.task id=(format!("task-{}-{}", t.task_id, if t.service.is_empty() { "tenant" } else { &t.service })) {
                    td {
                        (t.task_id) " "
                        @if t.mandatory { span.mandatory title=(lang.t("mandatory")) aria-label=(lang.t("mandatory")) { "*" } " " }
                        a href=(format!("/tenants/{tenant}/tasks/{}?service={}", t.task_id, t.service)) { (text.0) }
                    }
                    @if all { td { (t.phase_name) } }
                    td { @if t.service.is_empty() { (lang.t("tenant-wide")) } @else { (t.service) } }
                    td { (t.role_name) }
                    td {
                        @if editable {
                            form method="post" action=(format!("/tenants/{tenant}/tasks/{}", t.task_id)) {
                                input type="hidden" name="csrf" value=(csrf.unwrap_or(""));
                                input type="hidden" name="service" value=(t.service);
                                input type="hidden" name="version" value=(t.version);
                                input type="hidden" name="phase" value=(phase);
                                select name="status" aria-label=(format!("{} {}", lang.t("status"), t.task_id)) {
                                    (status_options(lang, t.status))
                                }
                                " " button type="submit" { (lang.t("save")) }
                            }
                        } @else {
                            span.status { (lang.task_status(t.status)) }
                        }
                    }
                }
            }
        }
    })
}

/// The `<option>`s of the status picker with `selected` on `current`: rendered once per
/// status for the life of the process, since a playbook tab shows many pickers.
fn status_options(lang: Lang, current: TaskStatus) -> PreEscaped<Cow<'static, str>> {
    static OPTIONS: std::sync::OnceLock<Vec<Vec<String>>> = std::sync::OnceLock::new();
    let all = OPTIONS.get_or_init(|| {
        Lang::ALL
            .iter()
            .map(|l| {
                TaskStatus::ALL
                    .iter()
                    .map(|sel| {
                        html! { @for s in TaskStatus::ALL { option value=(s.key()) selected[s == sel] { (l.task_status(*s)) } } }
                            .into_string()
                    })
                    .collect()
            })
            .collect()
    });
    let i = TaskStatus::ALL
        .iter()
        .position(|s| *s == current)
        .unwrap_or(0);
    match Lang::ALL.iter().position(|l| *l == lang) {
        Some(l) => PreEscaped(Cow::Borrowed(all[l].get(i).map_or("", String::as_str))),
        // A language outside `Lang::ALL` (the tests' pseudo-language): not cached.
        None => PreEscaped(Cow::Owned(
            html! { @for s in TaskStatus::ALL { option value=(s.key()) selected[*s == current] { (lang.task_status(*s)) } } }
                .into_string(),
        )),
    }
}
