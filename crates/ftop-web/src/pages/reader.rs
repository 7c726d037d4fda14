//! The playbook reader: the compiled playbook as pages in the reader's language. An index of
//! phases and their processes, one page per process (steps with their guidance, tasks and
//! rules, then the next steps) and the translations report. Any signed-in user may read them.
//!
//! The language is `?lang=` when it names a UI language or a locale of the playbook, else
//! the UI language; a process missing in that language is shown in the source language, and
//! the page says so. Playbook prose is Markdown rendered through the sanitizer.

use crate::App;
use crate::auth::{Viewer, page_viewer};
use crate::i18n::Lang;
use crate::pages::layout::{flash, page};
use crate::pages::record::markdown;
use axum::Router;
use axum::extract::{OriginalUri, Path, Query};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use ftop_playbook::{Playbook, Process, Rule, Task, TaskDifference, TaskRef};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// This module's routes. `/playbook/translations` is a static segment, so it wins over
/// `/playbook/{key}` whatever the order (tested).
pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/playbook", get(index))
        .route("/playbook/translations", get(translations))
        .route("/playbook/{key}", get(process))
}

/// The reader's query string.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ReaderQuery {
    pub(crate) lang: Option<String>,
}

/// The language pages are read in, and whether the reader chose it (links then keep it).
pub(crate) struct Reading {
    pub(crate) locale: String,
    pub(crate) chosen: bool,
}

impl Reading {
    /// `?lang=` when it names a locale of the playbook or a UI language, else `ui`.
    pub(crate) fn of(pb: &Playbook, q: &ReaderQuery, ui: Lang) -> Reading {
        let asked = q.lang.as_deref().map(str::trim).and_then(|l| {
            pb.locales
                .iter()
                .find(|x| x.eq_ignore_ascii_case(l))
                .cloned()
                .or_else(|| {
                    Lang::ALL
                        .iter()
                        .find(|x| x.code().eq_ignore_ascii_case(l))
                        .map(|x| x.code().into())
                })
        });
        match asked {
            Some(locale) => Reading {
                locale,
                chosen: true,
            },
            None => Reading {
                locale: ui.code().into(),
                chosen: false,
            },
        }
    }

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

/// A locale's name in its own language when ftop knows it, else its code.
pub(crate) fn locale_name(code: &str) -> String {
    Lang::ALL
        .iter()
        .find(|l| l.code().eq_ignore_ascii_case(code))
        .map_or_else(|| code.to_string(), |l| l.name().to_string())
}

/// The version of process `key` to show: in `locale`, else in the source language, else any
/// (untranslated copies filed among another language's pages come last).
fn version<'a>(pb: &'a Playbook, key: &str, locale: &str) -> Option<&'a Process> {
    let all: Vec<&Process> = pb.processes.iter().filter(|p| p.key == key).collect();
    choose(pb, &all, locale)
}

/// [`version`] among the versions of one process.
fn choose<'a>(pb: &Playbook, versions: &[&'a Process], locale: &str) -> Option<&'a Process> {
    let own = |p: &&&Process| !pb.pages.get(p.page).is_some_and(|g| g.stray);
    let of = |l: &str| versions.iter().filter(own).find(|p| p.locale == l).copied();
    of(locale)
        .or_else(|| of(&pb.source_locale))
        .or_else(|| versions.first().copied())
}

/// A phase's name in `locale`, else in the source language.
pub(crate) fn phase_name<'a>(pb: &'a Playbook, key: &str, locale: &str) -> Option<&'a str> {
    let of = |l: &str| {
        pb.phases
            .iter()
            .find(|f| f.key == key && f.locale == l)
            .map(|f| f.name.as_str())
    };
    of(locale).or_else(|| of(&pb.source_locale))
}

/// The tasks under each step of a process (a step owns the rows up to the next step).
fn step_tasks<'a>(pb: &'a Playbook, p: &Process) -> Vec<Vec<&'a Task>> {
    let mine: Vec<&Task> = pb.tasks.iter().filter(|t| t.page == p.page).collect();
    (0..p.steps.len())
        .map(|i| {
            let start = p.steps[i].span.line;
            let end = p.steps.get(i + 1).map_or(u32::MAX, |n| n.span.line);
            let rows = mine.iter().copied();
            rows.filter(|t| t.line >= start && t.line < end).collect()
        })
        .collect()
}

/// The rules of a process: those of the whole page (written before its first step, or not
/// placed) and those of each step. Rules live on source-language pages; a translation shows
/// its source's rules at the step holding the tasks they name.
fn rules_of<'a>(
    pb: &'a Playbook,
    p: &Process,
    tasks: &[Vec<&Task>],
) -> (Vec<&'a Rule>, Vec<Vec<&'a Rule>>) {
    let mut whole = Vec::new();
    let mut by_step = vec![Vec::new(); p.steps.len()];
    let Some(src) = version(pb, &p.key, &pb.source_locale) else {
        return (whole, by_step);
    };
    if src.locale != pb.source_locale {
        return (whole, by_step);
    }
    for rule in pb.rules.iter().filter(|r| r.span.file == src.span.file) {
        let in_source = src
            .steps
            .iter()
            .rposition(|s| s.span.line <= rule.span.line);
        let step = if src.page == p.page {
            in_source
        } else {
            in_source.and_then(|_| {
                tasks.iter().position(|rows| {
                    rows.iter()
                        .any(|t| t.id.parse().is_ok_and(|id: u32| rule.tasks.contains(&id)))
                })
            })
        };
        match step {
            Some(i) => by_step[i].push(rule),
            None => whole.push(rule),
        }
    }
    (whole, by_step)
}

/// The reader's index in one language: the phases in lifecycle order with their processes
/// (phases without any left out), then the processes of no known phase. Every process
/// appears once, in the source language's order, in `locale` when it has that version.
pub(crate) struct Index<'a> {
    /// (phase key, its processes).
    pub(crate) phases: Vec<(&'a str, Vec<&'a Process>)>,
    /// Processes of no known phase.
    pub(crate) others: Vec<&'a Process>,
}

/// The [`Index`] of `pb` in `locale`.
pub(crate) fn index_of<'a>(pb: &'a Playbook, locale: &str) -> Index<'a> {
    // Every process once, in the source language's order, then those it lacks.
    let mut versions: HashMap<&str, Vec<&Process>> = HashMap::new();
    for p in &pb.processes {
        versions.entry(p.key.as_str()).or_default().push(p);
    }
    let mut seen = HashSet::new();
    let source_first = pb.processes.iter().filter(|p| p.locale == pb.source_locale);
    let shown: Vec<&Process> = source_first
        .chain(&pb.processes)
        .filter(|p| seen.insert(p.key.as_str()))
        .filter_map(|p| choose(pb, versions.get(p.key.as_str())?, locale))
        .collect();
    let mut phases: Vec<(usize, &str)> = pb
        .phases
        .iter()
        .map(|f| (f.order, f.key.as_str()))
        .collect();
    phases.sort_unstable();
    phases.dedup();
    let known: HashSet<&str> = phases.iter().map(|(_, k)| *k).collect();
    let others = shown
        .iter()
        .copied()
        .filter(|p| !p.phase_key.as_deref().is_some_and(|k| known.contains(k)))
        .collect();
    let phases = phases
        .into_iter()
        .map(|(_, key)| {
            let items: Vec<&Process> = shown
                .iter()
                .copied()
                .filter(|p| p.phase_key.as_deref() == Some(key))
                .collect();
            (key, items)
        })
        .filter(|(_, items)| !items.is_empty())
        .collect();
    Index { phases, others }
}

/// What a process page shows besides the process itself: the tasks and rules under each
/// step, the rules of the whole page and the phase's name.
pub(crate) struct ProcessView<'a> {
    /// The version shown (in the asked language, else the source language).
    pub(crate) process: &'a Process,
    /// The task rows of each step.
    pub(crate) tasks: Vec<Vec<&'a Task>>,
    /// Rules of the whole page.
    pub(crate) whole: Vec<&'a Rule>,
    /// Rules of each step.
    pub(crate) by_step: Vec<Vec<&'a Rule>>,
    /// The phase's name in the process's language.
    pub(crate) phase: Option<&'a str>,
}

/// Process `key` as read in `locale`; None when the playbook has no such process.
pub(crate) fn process_view<'a>(
    pb: &'a Playbook,
    key: &str,
    locale: &str,
) -> Option<ProcessView<'a>> {
    let p = version(pb, key, locale)?;
    let tasks = step_tasks(pb, p);
    let (whole, by_step) = rules_of(pb, p, &tasks);
    let phase = p
        .phase_key
        .as_deref()
        .and_then(|k| phase_name(pb, k, &p.locale));
    Some(ProcessView {
        process: p,
        tasks,
        whole,
        by_step,
        phase,
    })
}

/// Common start of the three handlers: the viewer, the UI language and the playbook.
async fn open(
    state: &App,
    headers: &HeaderMap,
    uri: &axum::http::Uri,
) -> Result<(Viewer, Lang, Arc<Playbook>), Response> {
    let v = page_viewer(state, headers, uri).await?;
    let lang = Lang::of(headers);
    match state.store.playbook() {
        Ok((_, pb, _)) => Ok((v, lang, pb)),
        Err(e) => {
            let body = html! { h1 { (lang.t("playbook")) } (flash("error", &e.to_string())) };
            Err(page(lang, &v, lang.t("playbook"), body).into_response())
        }
    }
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
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    Query(q): Query<ReaderQuery>,
) -> Response {
    let (v, lang, pb) = match open(&state, &headers, &uri).await {
        Ok(x) => x,
        Err(r) => return r,
    };
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
    page(lang, &v, lang.t("playbook"), body).into_response()
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
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    Path(key): Path<String>,
    Query(q): Query<ReaderQuery>,
) -> Response {
    let (v, lang, pb) = match open(&state, &headers, &uri).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let r = Reading::of(&pb, &q, lang);
    let Some(ProcessView {
        process: p,
        tasks,
        whole,
        by_step,
        phase,
    }) = process_view(&pb, &key, &r.locale)
    else {
        return super::not_found(headers).await;
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
    page(lang, &v, &p.title, body).into_response()
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
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    Query(q): Query<ReaderQuery>,
) -> Response {
    let (v, lang, pb) = match open(&state, &headers, &uri).await {
        Ok(x) => x,
        Err(r) => return r,
    };
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
    page(lang, &v, title, body).into_response()
}
