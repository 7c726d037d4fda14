//! The playbook reader: the compiled playbook as pages in the reader's language. An index of
//! phases and their processes, one page per process (steps with their guidance, tasks and
//! rules, then the next steps) and the translations report. Any signed-in user may read them.
//!
//! The language is `?lang=` when it names a UI language or a locale of the playbook, else
//! the UI language; a process missing in that language is shown in the source language, and
//! the page says so. Playbook prose is Markdown rendered through the sanitizer.

use crate::App;
use crate::auth::PageViewer;
use crate::error::{AppError, PageError, PageResult};
use crate::extract::{Path, Query};
use crate::i18n::Lang;
use crate::pages::layout::page;
use crate::pages::record::markdown;
use crate::service::reader::{Index, ProcessView, index_of, locale_name, phase_name, process_view};
pub(crate) use crate::service::reader::{ReaderQuery, Reading};
use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use ftop_playbook::{Playbook, Process, Rule, Task, TaskDifference, TaskRef};
use maud::{Markup, PreEscaped, html};
use std::sync::Arc;

/// This module's routes. `/playbook/translations` is a static segment, so it wins over
/// `/playbook/{key}` whatever the order (tested).
pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/playbook", get(index))
        .route("/playbook/translations", get(translations))
        .route("/playbook/{key}", get(process))
}

impl Reading {
    /// A reader link to `path`, keeping a chosen language.
    fn link(&self, path: &str) -> String {
        if self.chosen {
            format!("{path}?lang={}", enc(&self.locale))
        } else {
            path.to_string()
        }
    }
}

/// Percent-encodes a path segment or query value (a `/` in a key stays in one segment).
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn process_path(key: &str) -> String {
    format!("/playbook/{}", enc(key))
}

/// The playbook every reader page reads.
fn playbook(state: &App, lang: Lang) -> Result<Arc<Playbook>, PageError> {
    let (_, pb, _) = state.store.playbook().page(lang)?;
    Ok(pb)
}

/// The playbook's languages as links to the same page in each.
fn language_switch(pb: &Playbook, r: &Reading, lang: Lang, path: &str) -> Markup {
    let label = lang.t("playbook-language");
    html! {
        nav.langs aria-label=(label) {
            (label) ":"
            @for l in &pb.locales {
                " "
                @if *l == r.locale {
                    strong lang=(l) aria-current="true" { (locale_name(l)) }
                } @else {
                    a href=(format!("{path}?lang={}", enc(l))) lang=(l) hreflang=(l) { (locale_name(l)) }
                }
            }
        }
    }
}

/// "Not available in Español: shown in English", in the UI language.
fn fallback_note(lang: Lang, wanted: &str, shown: &str) -> String {
    lang.t_with(
        "not-available-in",
        &[
            ("wanted", locale_name(wanted).into()),
            ("shown", locale_name(shown).into()),
        ],
    )
}

/// `GET /playbook`: phases in lifecycle order, each with its processes.
pub(crate) async fn index(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<ReaderQuery>,
) -> Result<Response, PageError> {
    let pb = playbook(&state, lang)?;
    let r = Reading::of(&pb, &q, lang);
    let Index { phases, others } = index_of(&pb, &r.locale);
    let list = |items: Vec<&Process>| {
        html! {
            ul {
                @for p in items {
                    li {
                        a href=(r.link(&process_path(&p.key))) lang=(p.locale) hreflang=(p.locale) { (p.title) }
                        @if p.locale != r.locale { " " span.muted { "(" (fallback_note(lang, &r.locale, &p.locale)) ")" } }
                    }
                }
            }
        }
    };
    let body = html! {
        h1 { (lang.t("playbook")) }
        (language_switch(&pb, &r, lang, "/playbook"))
        @if !pb.locales.contains(&r.locale) {
            p role="note" { (fallback_note(lang, &r.locale, &pb.source_locale)) }
        }
        p { a href=(r.link("/playbook/translations")) { (lang.t("translations-report")) } }
        @for (key, items) in phases {
            section aria-labelledby=(format!("phase-{key}")) {
                h2.phase id=(format!("phase-{key}")) lang=(r.locale) { (phase_name(&pb, key, &r.locale).unwrap_or(key)) }
                (list(items))
            }
        }
        @if !others.is_empty() {
            section aria-labelledby="phase-none" {
                h2.phase id="phase-none" { (lang.t("other-pages")) }
                (list(others))
            }
        }
    };
    Ok(page(lang, &v, lang.t("playbook"), body).into_response())
}

/// One Markdown item, sanitized, without the paragraph around a single paragraph.
fn inline(md: &str) -> PreEscaped<String> {
    let html = markdown(md).0;
    match html
        .trim_end()
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => PreEscaped(inner.to_string()),
        _ => PreEscaped(html),
    }
}

/// A titled list of Markdown items.
fn items(title: &str, list: &[String], loc: &str) -> Markup {
    html! {
        @if !list.is_empty() {
            section { h2 { (title) } ul lang=(loc) { @for i in list { li { (inline(i)) } } } }
        }
    }
}

fn rule_list(rules: &[&Rule], lang: Lang) -> Markup {
    html! {
        ul.rules {
            @for rule in rules {
                li {
                    code { (rule.text) }
                    @if !rule.tasks.is_empty() {
                        span.muted { " · " (lang.t_with("rule-tasks", &[("tasks", rule.tasks.iter().map(u32::to_string).collect::<Vec<_>>().join(", ").into())])) }
                    }
                }
            }
        }
    }
}

fn task_table(caption: &str, rows: &[&Task], loc: &str, lang: Lang) -> Markup {
    html! {
        table.tasks {
            caption { (lang.t("tasks-heading")) ": " span lang=(loc) { (caption) } }
            thead { tr {
                th scope="col" { (lang.t("id")) }
                th scope="col" { (lang.t("task")) }
                th scope="col" { (lang.t("mandatory")) }
                th scope="col" { (lang.t("role")) }
                th scope="col" { (lang.t("services")) }
            } }
            tbody lang=(loc) {
                @for t in rows {
                    tr {
                        th scope="row" { (t.id) }
                        td { (t.name) }
                        td lang=(lang.code()) {
                            @if t.mandatory { span.mandatory { (lang.t("mandatory")) } }
                            @else { span.muted { (lang.t("optional")) } }
                        }
                        td { (t.role) }
                        td { (t.services.join(", ")) }
                    }
                }
            }
        }
    }
}

/// `GET /playbook/{key}`: one process.
pub(crate) async fn process(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(key): Path<String>,
    Query(q): Query<ReaderQuery>,
) -> Result<Response, PageError> {
    let pb = playbook(&state, lang)?;
    let r = Reading::of(&pb, &q, lang);
    let Some(ProcessView {
        process: p,
        tasks,
        whole,
        by_step,
        phase,
    }) = process_view(&pb, &key, &r.locale)
    else {
        return Err(PageError::new(lang, AppError::not_found("process")));
    };
    let loc = p.locale.as_str();
    let none = "—";
    let body = html! {
        nav aria-label=(lang.t("breadcrumb")) {
            a href=(r.link("/playbook")) { (lang.t("playbook")) }
            @if let Some(k) = &p.phase_key { @if let Some(name) = phase_name(&pb, k, &r.locale) {
                " › " a href=(format!("{}#phase-{k}", r.link("/playbook"))) lang=(r.locale) { (name) }
            } }
        }
        (language_switch(&pb, &r, lang, &process_path(&p.key)))
        h1 lang=(loc) { (p.title) }
        @if loc != r.locale { p role="note" { (fallback_note(lang, &r.locale, loc)) } }
        dl.facts {
            dt { (lang.t("phase")) } dd lang=(loc) { (phase.or(p.phase.as_deref()).unwrap_or(none)) }
            dt { (lang.t("motions")) }
            dd lang=(loc) { @if p.motions.is_empty() { (none) } @else { (p.motions.join(" / ")) } }
        }
        @if !whole.is_empty() {
            section { h2 { (lang.t("rules")) } (rule_list(&whole, lang)) }
        }
        @if !p.overview.trim().is_empty() {
            section {
                h2 { (lang.t("overview")) }
                div.guidance lang=(loc) { (markdown(&p.overview)) }
            }
        }
        (items(lang.t("objectives"), &p.objectives, loc))
        (items(lang.t("key-inputs"), &p.key_inputs, loc))
        (items(lang.t("key-outputs"), &p.key_outputs, loc))
        @if !p.steps.is_empty() {
            section {
                h2 { (lang.t("steps")) }
                @for (i, s) in p.steps.iter().enumerate() {
                    section.step aria-labelledby=(format!("step-{}", i + 1)) {
                        h3 id=(format!("step-{}", i + 1)) lang=(loc) { (s.title) }
                        dl.facts {
                            dt { (lang.t("primary-roles")) }
                            dd lang=(loc) { @if s.roles.is_empty() { (none) } @else { (s.roles.join(", ")) } }
                            @if !s.motions.is_empty() {
                                dt { (lang.t("motions")) } dd lang=(loc) { (s.motions.join(" / ")) }
                            }
                            dt { (lang.t("services")) }
                            dd lang=(loc) { @if s.applies_to.is_empty() { (none) } @else { (s.applies_to.join(", ")) } }
                        }
                        @if !s.body.trim().is_empty() { div.guidance lang=(loc) { (markdown(&s.body)) } }
                        @if let Some(rows) = tasks.get(i).filter(|t| !t.is_empty()) {
                            (task_table(&s.title, rows, loc, lang))
                        }
                        @if let Some(rules) = by_step.get(i).filter(|r| !r.is_empty()) {
                            h4 { (lang.t("rules")) }
                            (rule_list(rules, lang))
                        }
                    }
                }
            }
        }
        @if !p.next_steps.is_empty() {
            section {
                h2 { (lang.t("next-steps")) }
                ul.next lang=(loc) {
                    @for n in &p.next_steps {
                        li {
                            @if let Some(target) = &n.target_key {
                                a href=(r.link(&process_path(target))) { (n.title) }
                            } @else { (n.title) }
                            @if let Some(c) = &n.condition { " — " span.condition { (c) } }
                        }
                    }
                }
            }
        }
    };
    Ok(page(lang, &v, &p.title, body).into_response())
}

fn none(lang: Lang) -> Markup {
    html! { p.muted { (lang.t("none")) } }
}

fn task_refs(rows: &[TaskRef], lang: Lang) -> Markup {
    if rows.is_empty() {
        return none(lang);
    }
    html! {
        table {
            thead { tr { th scope="col" { (lang.t("id")) } th scope="col" { (lang.t("task")) } th scope="col" { (lang.t("where")) } } }
            tbody { @for t in rows { tr { th scope="row" { (t.id) } td { (t.name) } td { code { (t.file) ":" (t.line) } } } } }
        }
    }
}

fn differences(rows: &[TaskDifference], source: &str, here: &str, lang: Lang) -> Markup {
    if rows.is_empty() {
        return none(lang);
    }
    html! {
        table {
            thead { tr {
                th scope="col" { (lang.t("id")) }
                th scope="col" { (locale_name(source)) }
                th scope="col" { (locale_name(here)) }
                th scope="col" { (lang.t("where")) }
            } }
            tbody {
                @for d in rows {
                    tr {
                        th scope="row" { (d.id) }
                        td lang=(source) { (d.source) }
                        td lang=(here) { (d.translation) }
                        td { code { (d.source_file) ":" (d.source_line) } " · " code { (d.file) ":" (d.line) } }
                    }
                }
            }
        }
    }
}

fn pages(files: &[String], lang: Lang) -> Markup {
    if files.is_empty() {
        return none(lang);
    }
    html! { ul { @for f in files { li { code { (f) } } } } }
}

/// `GET /playbook/translations`: per language, what it lacks, adds or contradicts.
pub(crate) async fn translations(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<ReaderQuery>,
) -> Result<Response, PageError> {
    let pb = playbook(&state, lang)?;
    let r = Reading::of(&pb, &q, lang);
    let rep = ftop_playbook::translations(&pb);
    let src = rep.source_locale.as_str();
    let title = lang.t("playbook-translations");
    let h3 = |text: &'static str, n: usize| html! { h3 { (text) " (" (n) ")" } };
    let body = html! {
        nav aria-label=(lang.t("breadcrumb")) {
            a href=(r.link("/playbook")) { (lang.t("playbook")) }
        }
        h1 { (title) }
        p {
            (lang.t("source-language")) ": "
            strong lang=(src) { (locale_name(src)) } " (" (src) ") · "
            (lang.t_with("page-count", &[("count", rep.source_pages.into())])) " · "
            (lang.t_with("task-count", &[("count", rep.source_tasks.into())]))
        }
        @if rep.locales.is_empty() {
            p.muted { (lang.t("no-other-language")) }
        }
        @for l in &rep.locales {
            @let id = format!("locale-{}", enc(&l.locale));
            section aria-labelledby=(id) {
                h2 id=(id) { span lang=(l.locale) { (locale_name(&l.locale)) } " (" (l.locale) ")" }
                p {
                    (lang.t_with("page-count", &[("count", l.pages.into())])) " · "
                    (lang.t_with("task-count", &[("count", l.tasks.into())])) " · "
                    a href=(format!("/playbook?lang={}", enc(&l.locale))) { (lang.t("read")) }
                }
                (h3(lang.t("missing-tasks"), l.missing_tasks.len()))
                (task_refs(&l.missing_tasks, lang))
                (h3(lang.t("extra-tasks"), l.extra_tasks.len()))
                (task_refs(&l.extra_tasks, lang))
                (h3(lang.t("flag-differences"), l.flag_differences.len()))
                (differences(&l.flag_differences, src, &l.locale, lang))
                (h3(lang.t("role-differences"), l.role_differences.len()))
                (differences(&l.role_differences, src, &l.locale, lang))
                (h3(lang.t("stale-pages"), l.stale_pages.len()))
                @if l.stale_pages.is_empty() { (none(lang)) } @else {
                    table {
                        thead { tr {
                            th scope="col" { (lang.t("page")) }
                            th scope="col" { (lang.t("last-changed")) }
                            th scope="col" { (lang.t("source-page")) }
                            th scope="col" { (lang.t("source-changed")) }
                        } }
                        tbody { @for s in &l.stale_pages { tr {
                            th scope="row" { code { (s.file) } }
                            td { (s.last_changed.to_string()) }
                            td { code { (s.source_file) } }
                            td { (s.source_last_changed.to_string()) }
                        } } }
                    }
                }
                (h3(lang.t("missing-pages"), l.missing_pages.len()))
                (pages(&l.missing_pages, lang))
                (h3(lang.t("extra-pages"), l.extra_pages.len()))
                (pages(&l.extra_pages, lang))
            }
        }
    };
    Ok(page(lang, &v, title, body).into_response())
}
