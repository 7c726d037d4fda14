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
use crate::i18n::Lang;
use crate::pages::layout::page;
use crate::pages::record::markdown;
use crate::service::reader::{Index, ProcessView, index_of, locale_name, phase_name, process_view};
pub(crate) use crate::service::reader::{ReaderQuery, Reading};
use axum::Router;
use axum::extract::{Path, Query};
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
    let label = lang.pick("Playbook language", "Idioma de la guía", "操作手册语言");
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
    lang.pick(
        "Not available in {wanted}: shown in {shown}",
        "No disponible en {wanted}: se muestra en {shown}",
        "没有{wanted}版本，改为显示{shown}",
    )
    .replace("{wanted}", &locale_name(wanted))
    .replace("{shown}", &locale_name(shown))
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
        p { a href=(r.link("/playbook/translations")) { (lang.pick("Translations report", "Informe de traducciones", "翻译报告")) } }
        @for (key, items) in phases {
            section aria-labelledby=(format!("phase-{key}")) {
                h2.phase id=(format!("phase-{key}")) lang=(r.locale) { (phase_name(&pb, key, &r.locale).unwrap_or(key)) }
                (list(items))
            }
        }
        @if !others.is_empty() {
            section aria-labelledby="phase-none" {
                h2.phase id="phase-none" { (lang.pick("Other pages", "Otras páginas", "其他页面")) }
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
                        span.muted { " · " (lang.pick("tasks", "tareas", "任务")) " "
                            (rule.tasks.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")) }
                    }
                }
            }
        }
    }
}

fn task_table(caption: &str, rows: &[&Task], loc: &str, lang: Lang) -> Markup {
    html! {
        table.tasks {
            caption { (lang.pick("Tasks", "Tareas", "任务")) ": " span lang=(loc) { (caption) } }
            thead { tr {
                th scope="col" { "ID" }
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
                            @else { span.muted { (lang.pick("Optional", "Opcional", "可选")) } }
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
        nav aria-label=(lang.pick("Breadcrumb", "Ruta de navegación", "导航路径")) {
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
            dt { (lang.pick("Motions", "Modalidades", "模式")) }
            dd lang=(loc) { @if p.motions.is_empty() { (none) } @else { (p.motions.join(" / ")) } }
        }
        @if !whole.is_empty() {
            section { h2 { (lang.pick("Rules", "Reglas", "规则")) } (rule_list(&whole, lang)) }
        }
        @if !p.overview.trim().is_empty() {
            section {
                h2 { (lang.pick("Overview", "Descripción general", "概述")) }
                div.guidance lang=(loc) { (markdown(&p.overview)) }
            }
        }
        (items(lang.pick("Objectives", "Objetivos", "目标"), &p.objectives, loc))
        (items(lang.pick("Key inputs", "Entradas clave", "关键输入"), &p.key_inputs, loc))
        (items(lang.pick("Key outputs", "Resultados clave", "关键输出"), &p.key_outputs, loc))
        @if !p.steps.is_empty() {
            section {
                h2 { (lang.pick("Steps", "Pasos", "步骤")) }
                @for (i, s) in p.steps.iter().enumerate() {
                    section.step aria-labelledby=(format!("step-{}", i + 1)) {
                        h3 id=(format!("step-{}", i + 1)) lang=(loc) { (s.title) }
                        dl.facts {
                            dt { (lang.pick("Primary roles", "Roles principales", "主要角色")) }
                            dd lang=(loc) { @if s.roles.is_empty() { (none) } @else { (s.roles.join(", ")) } }
                            @if !s.motions.is_empty() {
                                dt { (lang.pick("Motions", "Modalidades", "模式")) } dd lang=(loc) { (s.motions.join(" / ")) }
                            }
                            dt { (lang.t("services")) }
                            dd lang=(loc) { @if s.applies_to.is_empty() { (none) } @else { (s.applies_to.join(", ")) } }
                        }
                        @if !s.body.trim().is_empty() { div.guidance lang=(loc) { (markdown(&s.body)) } }
                        @if let Some(rows) = tasks.get(i).filter(|t| !t.is_empty()) {
                            (task_table(&s.title, rows, loc, lang))
                        }
                        @if let Some(rules) = by_step.get(i).filter(|r| !r.is_empty()) {
                            h4 { (lang.pick("Rules", "Reglas", "规则")) }
                            (rule_list(rules, lang))
                        }
                    }
                }
            }
        }
        @if !p.next_steps.is_empty() {
            section {
                h2 { (lang.pick("Next steps", "Pasos siguientes", "后续步骤")) }
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
    html! { p.muted { (lang.pick("None.", "Ninguno.", "无。")) } }
}

fn task_refs(rows: &[TaskRef], lang: Lang) -> Markup {
    if rows.is_empty() {
        return none(lang);
    }
    html! {
        table {
            thead { tr { th scope="col" { "ID" } th scope="col" { (lang.t("task")) } th scope="col" { (lang.pick("Where", "Dónde", "位置")) } } }
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
                th scope="col" { "ID" }
                th scope="col" { (locale_name(source)) }
                th scope="col" { (locale_name(here)) }
                th scope="col" { (lang.pick("Where", "Dónde", "位置")) }
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
    let title = lang.pick(
        "Playbook translations",
        "Traducciones de la guía",
        "操作手册翻译",
    );
    let h3 = |text: &'static str, n: usize| html! { h3 { (text) " (" (n) ")" } };
    let body = html! {
        nav aria-label=(lang.pick("Breadcrumb", "Ruta de navegación", "导航路径")) {
            a href=(r.link("/playbook")) { (lang.t("playbook")) }
        }
        h1 { (title) }
        p {
            (lang.pick("Source language", "Idioma de origen", "源语言")) ": "
            strong lang=(src) { (locale_name(src)) } " (" (src) ") · "
            (rep.source_pages) " " (lang.pick("pages", "páginas", "个页面")) " · "
            (rep.source_tasks) " " (lang.pick("tasks", "tareas", "个任务"))
        }
        @if rep.locales.is_empty() {
            p.muted { (lang.pick("The playbook has no other language.", "La guía no tiene otros idiomas.", "操作手册没有其他语言。")) }
        }
        @for l in &rep.locales {
            @let id = format!("locale-{}", enc(&l.locale));
            section aria-labelledby=(id) {
                h2 id=(id) { span lang=(l.locale) { (locale_name(&l.locale)) } " (" (l.locale) ")" }
                p {
                    (l.pages) " " (lang.pick("pages", "páginas", "个页面")) " · "
                    (l.tasks) " " (lang.pick("tasks", "tareas", "个任务")) " · "
                    a href=(format!("/playbook?lang={}", enc(&l.locale))) { (lang.pick("Read", "Leer", "阅读")) }
                }
                (h3(lang.pick("Missing tasks", "Tareas que faltan", "缺少的任务"), l.missing_tasks.len()))
                (task_refs(&l.missing_tasks, lang))
                (h3(lang.pick("Extra tasks", "Tareas adicionales", "多出的任务"), l.extra_tasks.len()))
                (task_refs(&l.extra_tasks, lang))
                (h3(lang.pick("Flag differences", "Diferencias de obligatoriedad", "必需标记差异"), l.flag_differences.len()))
                (differences(&l.flag_differences, src, &l.locale, lang))
                (h3(lang.pick("Role differences", "Diferencias de rol", "角色差异"), l.role_differences.len()))
                (differences(&l.role_differences, src, &l.locale, lang))
                (h3(lang.pick("Stale pages", "Páginas desactualizadas", "过时的页面"), l.stale_pages.len()))
                @if l.stale_pages.is_empty() { (none(lang)) } @else {
                    table {
                        thead { tr {
                            th scope="col" { (lang.pick("Page", "Página", "页面")) }
                            th scope="col" { (lang.pick("Last changed", "Último cambio", "最后更改")) }
                            th scope="col" { (lang.pick("Source page", "Página de origen", "源页面")) }
                            th scope="col" { (lang.pick("Source changed", "Cambio en el origen", "源更改")) }
                        } }
                        tbody { @for s in &l.stale_pages { tr {
                            th scope="row" { code { (s.file) } }
                            td { (s.last_changed.to_string()) }
                            td { code { (s.source_file) } }
                            td { (s.source_last_changed.to_string()) }
                        } } }
                    }
                }
                (h3(lang.pick("Missing pages", "Páginas que faltan", "缺少的页面"), l.missing_pages.len()))
                (pages(&l.missing_pages, lang))
                (h3(lang.pick("Extra pages", "Páginas adicionales", "多出的页面"), l.extra_pages.len()))
                (pages(&l.extra_pages, lang))
            }
        }
    };
    Ok(page(lang, &v, title, body).into_response())
}
