//! The driver: scan and draft every page, settle locales and canonical keys across pages,
//! validate, and assemble the [`Playbook`].

use crate::dates::{Date, parse_date};
use crate::diag::{Severity, Sink};
use crate::locale::{PathInfo, detect, path_info};
use crate::model::{NextStep, Page, PageKind, Phase, Playbook, Process, Span, Step, Task};
use crate::page::{PageDraft, draft};
use crate::scan::{Scanned, scan};
use crate::text::slug;
use crate::vocab::{MOTIONS, PHASES, ROLES, SERVICES, english_name, lookup, phase_rank};
use crate::{Compilation, Options, Source};
use std::collections::HashMap;

/// A page after the per-page passes, with what the cross-page passes decide.
pub(crate) struct Parsed<'a> {
    pub(crate) src: usize,
    pub(crate) scanned: Scanned<'a>,
    pub(crate) draft: PageDraft,
    pub(crate) info: PathInfo,
    pub(crate) locale: String,
    pub(crate) stray: bool,
    pub(crate) last_changed: Option<Date>,
    pub(crate) phase_key: Option<String>,
}

const DATE_KEYS: &[&str] = &["updated", "last_updated", "date", "ms.date", "modified"];

/// Compiles pages into one playbook. Never panics; problems become diagnostics.
pub fn compile(sources: &[Source<'_>], opts: &Options) -> Compilation {
    let limits = &opts.limits;
    let mut sink = Sink::default();
    let mut parsed: Vec<Parsed<'_>> = Vec::with_capacity(sources.len());
    let mut tasks_left = limits.max_tasks;
    for (i, s) in sources.iter().enumerate() {
        if i >= limits.max_pages {
            sink.push(Severity::Error, "limit-pages", format!("more than {} pages; the rest are not compiled", limits.max_pages), i, s.path, 1, "", 0);
            break;
        }
        if s.text.len() > limits.max_file_bytes {
            sink.push(
                Severity::Error,
                "limit-file-size",
                format!("page is {} bytes, over the limit of {} bytes; it is not compiled", s.text.len(), limits.max_file_bytes),
                i,
                s.path,
                1,
                "",
                0,
            );
            continue;
        }
        let scanned = scan(s.text, i, s.path, limits, &mut sink);
        let d = draft(&scanned, i, s.path, tasks_left, &mut sink);
        tasks_left -= d.tasks.len().min(tasks_left);
        let info = path_info(s.root, s.path);
        let last_changed = d.history.iter().filter_map(|c| c.date).max().or_else(|| {
            DATE_KEYS.iter().find_map(|k| scanned.metadata.iter().find(|(mk, _)| mk == k).and_then(|(_, v)| parse_date(v)))
        });
        parsed.push(Parsed { src: i, scanned, draft: d, info, locale: String::new(), stray: false, last_changed, phase_key: None });
    }

    settle_locales(&mut parsed, sources, opts, &mut sink);
    let source_locale = source_locale(&parsed, opts);
    settle_phases(&mut parsed, &source_locale, sources, &mut sink);

    let mut playbook = assemble(&parsed, sources, &source_locale, &mut sink);
    crate::validate::validate(&parsed, sources, &mut playbook, opts, &source_locale, &mut sink);

    let mut diagnostics = sink.items;
    diagnostics.sort_by(|a, b| (a.source, a.line, a.col).cmp(&(b.source, b.line, b.col)));
    Compilation { playbook, diagnostics }
}

/// Decides each page's locale: the path's word, unless the text is clearly in another
/// language (an untranslated copy left among translations).
fn settle_locales(parsed: &mut [Parsed<'_>], sources: &[Source<'_>], opts: &Options, sink: &mut Sink) {
    let default = opts.default_locale.clone().unwrap_or_else(|| "en".to_string());
    for p in parsed.iter_mut() {
        let named = p.info.suffix.clone().or_else(|| p.info.folder.clone());
        let detected = detect(&p.scanned.sample).filter(|(_, sure)| *sure >= 3.0 && p.scanned.sample.len() >= 300);
        p.locale = match (&named, detected) {
            (Some(n), Some((d, _))) if base(n) != d => d.to_string(),
            (Some(n), _) => n.clone(),
            (None, Some((d, _))) => d.to_string(),
            (None, None) => default.clone(),
        };
        // A page whose language is not its folder's: an untranslated copy among translations.
        let expected = p.info.folder.clone().or_else(|| named.clone());
        if let Some(e) = expected.filter(|e| base(e) != base(&p.locale)) {
            p.stray = true;
            let line = p.draft.title_line.max(1);
            sink.push(
                Severity::Warning,
                "untranslated-copy",
                format!("the page sits among `{e}` pages but is written in `{}`; it is compiled as `{}` and left out of translation checks", p.locale, p.locale),
                p.src,
                sources[p.src].path,
                line,
                sources[p.src].text.lines().nth(line as usize - 1).unwrap_or(""),
                0,
            );
        }
    }
}

fn base(locale: &str) -> &str {
    locale.split('-').next().unwrap_or(locale)
}

fn source_locale(parsed: &[Parsed<'_>], opts: &Options) -> String {
    if let Some(l) = &opts.source_locale {
        return l.clone();
    }
    let mut counts: Vec<(String, usize)> = Vec::new();
    for p in parsed.iter().filter(|p| !p.stray) {
        match counts.iter_mut().find(|(l, _)| *l == p.locale) {
            Some((_, n)) => *n += 1,
            None => counts.push((p.locale.clone(), 1)),
        }
    }
    if counts.iter().any(|(l, _)| l == "en") {
        return "en".to_string();
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map(|(l, _)| l).unwrap_or_else(|| "en".to_string())
}

/// The phase key a page key starts with (`success-support-…` -> `success`).
fn phase_from_key(key: &str) -> Option<&'static str> {
    let file = key.rsplit('/').next().unwrap_or(key);
    let first = file.split(['-', '_']).next().unwrap_or("");
    PHASES.iter().map(|(k, _)| *k).find(|k| *k == first && *k != "multiple")
}

/// Canonical phase keys: the vocabulary, else the source page's, else the file name.
fn settle_phases(parsed: &mut [Parsed<'_>], source_locale: &str, sources: &[Source<'_>], sink: &mut Sink) {
    for p in parsed.iter_mut() {
        p.phase_key = p.draft.phase.as_deref().and_then(|ph| lookup(PHASES, ph)).map(str::to_string);
    }
    let source_phase: HashMap<String, String> = parsed
        .iter()
        .filter(|p| p.locale == source_locale && !p.stray)
        .filter_map(|p| p.phase_key.clone().map(|k| (p.info.key.clone(), k)))
        .collect();
    for p in parsed.iter_mut().filter(|p| p.phase_key.is_none()) {
        let has_work = !p.draft.tasks.is_empty() || p.draft.steps.iter().any(|s| s.has_labels);
        let aligned = source_phase.get(&p.info.key).cloned();
        let by_name = phase_from_key(&p.info.key).filter(|_| has_work || p.draft.phase.is_some()).map(str::to_string);
        match (&p.draft.phase, aligned.or(by_name)) {
            (_, Some(k)) => p.phase_key = Some(k),
            (Some(raw), None) => {
                p.phase_key = Some(slug(raw));
                if p.locale == source_locale {
                    let (line, text) = p.draft.phase_line.clone().unwrap_or((1, String::new()));
                    sink.push(
                        Severity::Warning,
                        "unknown-phase",
                        format!("phase `{raw}` is not one of the known phases; it gets the key `{}`", slug(raw)),
                        p.src,
                        sources[p.src].path,
                        line,
                        &text,
                        0,
                    );
                }
            }
            (None, None) => {}
        }
    }
}

/// Resolves keys with the vocabulary first, then the source-language task of the same ID.
struct Keys<'m> {
    source_tasks: HashMap<&'m str, (&'m str, &'m [String])>,
}

fn strip_parens(s: &str) -> &str {
    s.split(['(', '（']).next().unwrap_or(s).trim()
}

fn vocab_key(table: &'static [(&'static str, &'static [&'static str])], s: &str) -> Option<&'static str> {
    lookup(table, s).or_else(|| lookup(table, strip_parens(s)))
}

fn keys_of(table: &'static [(&'static str, &'static [&'static str])], items: &[String]) -> Vec<String> {
    items.iter().map(|i| vocab_key(table, i).map(str::to_string).unwrap_or_else(|| slug(i))).collect()
}

impl Keys<'_> {
    fn role(&self, role: &str, id: &str) -> String {
        if let Some(k) = vocab_key(ROLES, role) {
            return k.to_string();
        }
        if let Some((k, _)) = self.source_tasks.get(id) {
            return (*k).to_string();
        }
        slug(role)
    }

    /// Service keys, plus the services no rule could place.
    fn services(&self, services: &[String], id: &str) -> (Vec<String>, Vec<String>) {
        let aligned = self.source_tasks.get(id).map(|(_, s)| *s);
        let mut keys = Vec::with_capacity(services.len());
        let mut unknown = Vec::new();
        for (i, s) in services.iter().enumerate() {
            if let Some(k) = vocab_key(SERVICES, s) {
                keys.push(k.to_string());
                continue;
            }
            match aligned.filter(|a| a.len() == services.len()) {
                Some(a) => keys.push(a[i].clone()),
                None => {
                    unknown.push(s.clone());
                    keys.push(slug(s));
                }
            }
        }
        (keys, unknown)
    }
}

fn assemble(parsed: &[Parsed<'_>], sources: &[Source<'_>], source_locale: &str, sink: &mut Sink) -> Playbook {
    let mut pb = Playbook { source_locale: source_locale.to_string(), ..Playbook::default() };
    // Locales, source first.
    pb.locales.push(source_locale.to_string());
    for p in parsed {
        if !pb.locales.contains(&p.locale) {
            pb.locales.push(p.locale.clone());
        }
    }
    if !parsed.iter().any(|p| p.locale == source_locale) {
        pb.locales.remove(0);
    }
    // Source-language task keys first, for alignment.
    let mut source_role_keys: Vec<(usize, usize, String, Vec<String>)> = Vec::new();
    for (pi, p) in parsed.iter().enumerate().filter(|(_, p)| p.locale == source_locale && !p.stray) {
        for (ti, t) in p.draft.tasks.iter().enumerate() {
            let role = vocab_key(ROLES, &t.role).map(str::to_string).unwrap_or_else(|| slug(&t.role));
            source_role_keys.push((pi, ti, role, keys_of(SERVICES, &t.services)));
        }
    }
    let mut keys = Keys { source_tasks: HashMap::with_capacity(source_role_keys.len()) };
    for (pi, ti, role, services) in &source_role_keys {
        keys.source_tasks.entry(parsed[*pi].draft.tasks[*ti].id.as_str()).or_insert((role.as_str(), services.as_slice()));
    }
    // Phase names as each locale writes them.
    let mut phase_names: HashMap<(String, String), String> = HashMap::new();
    for p in parsed {
        if let (Some(k), Some(raw)) = (&p.phase_key, &p.draft.phase) {
            phase_names.entry((p.locale.clone(), k.clone())).or_insert_with(|| raw.clone());
        }
    }
    let phase_name = |locale: &str, key: &str| -> String {
        phase_names
            .get(&(locale.to_string(), key.to_string()))
            .cloned()
            .or_else(|| english_name(PHASES, key).map(title_case))
            .unwrap_or_else(|| key.to_string())
    };

    let mut processes = Vec::new();
    let total_tasks: usize = parsed.iter().map(|p| p.draft.tasks.len()).sum();
    pb.tasks.reserve(total_tasks);
    for p in parsed {
        let src = &sources[p.src];
        let d = &p.draft;
        let is_process = p.phase_key.is_some() || !d.tasks.is_empty() || d.steps.iter().any(|s| s.has_labels);
        let title = if d.title.is_empty() {
            p.scanned.metadata.iter().find(|(k, _)| k == "title").map(|(_, v)| v.clone()).unwrap_or_else(|| p.info.key.clone())
        } else {
            d.title.clone()
        };
        let page_index = pb.pages.len();
        pb.pages.push(Page {
            root: src.root.to_string(),
            file: src.path.to_string(),
            key: p.info.key.clone(),
            locale: p.locale.clone(),
            stray: p.stray,
            title: title.clone(),
            kind: if is_process { PageKind::Process } else { PageKind::Other },
            metadata: p.scanned.metadata.clone(),
            last_changed: p.last_changed,
            task_count: d.tasks.len(),
        });
        if !is_process {
            continue;
        }
        let phase_key = p.phase_key.clone().unwrap_or_default();
        let phase_written = match (&d.phase, &p.phase_key) {
            (Some(raw), _) => raw.clone(),
            (None, Some(k)) => phase_name(&p.locale, k),
            (None, None) => String::new(),
        };
        // Steps that carry labels or tasks; map draft indices to kept indices.
        let mut kept = vec![usize::MAX; d.steps.len()];
        let mut steps = Vec::new();
        for (i, s) in d.steps.iter().enumerate() {
            if !(s.has_labels || s.tasks > 0) {
                continue;
            }
            kept[i] = steps.len();
            steps.push(Step {
                title: s.title.clone(),
                role_keys: keys_of(ROLES, &s.labels.roles),
                roles: s.labels.roles.clone(),
                motion_keys: keys_of(MOTIONS, &s.labels.motions),
                motions: s.labels.motions.clone(),
                service_keys: keys_of(SERVICES, &s.labels.applies_to),
                applies_to: s.labels.applies_to.clone(),
                body: s.body.clone(),
                task_count: s.tasks,
                span: Span { file: src.path.to_string(), line: s.line },
            });
        }
        for t in &d.tasks {
            let (service_keys, unknown) = keys.services(&t.services, &t.id);
            for u in unknown {
                let at = t.raw.find(u.as_str()).unwrap_or(0);
                sink.push(
                    Severity::Warning,
                    "unknown-service",
                    format!("task {}: service `{u}` is not in the service catalogue; it gets the key `{}`", t.id, slug(&u)),
                    p.src,
                    src.path,
                    t.line,
                    &t.raw,
                    at,
                );
            }
            let step = &d.steps[t.step];
            pb.tasks.push(Task {
                id: t.id.clone(),
                name: t.name.clone(),
                mandatory: t.mandatory,
                mandatory_raw: t.mandatory_raw.clone(),
                role_key: keys.role(&t.role, &t.id),
                role: t.role.clone(),
                services: t.services.clone(),
                service_keys,
                phase: phase_written.clone(),
                phase_key: phase_key.clone(),
                process: title.clone(),
                process_key: p.info.key.clone(),
                step: step.title.clone(),
                locale: p.locale.clone(),
                file: src.path.to_string(),
                line: t.line,
                page: page_index,
                id_link: t.id_link.clone(),
            });
        }
        processes.push((
            pb.locales.iter().position(|l| *l == p.locale).unwrap_or(usize::MAX),
            p.phase_key.as_deref().map_or(usize::MAX, phase_rank),
            Process {
                key: p.info.key.clone(),
                title,
                locale: p.locale.clone(),
                phase: d.phase.clone(),
                phase_key: p.phase_key.clone(),
                motion_keys: keys_of(MOTIONS, &d.motions),
                motions: d.motions.clone(),
                overview: d.overview.clone(),
                objectives: d.objectives.clone(),
                key_inputs: d.key_inputs.clone(),
                key_outputs: d.key_outputs.clone(),
                steps,
                next_steps: d
                    .next
                    .iter()
                    .map(|n| NextStep {
                        title: n.title.clone(),
                        target: n.target.clone(),
                        target_key: None,
                        condition: n.condition.clone(),
                        text: n.text.clone(),
                        line: n.line,
                    })
                    .collect(),
                history: d.history.clone(),
                last_changed: p.last_changed,
                span: Span { file: src.path.to_string(), line: d.title_line.max(1) },
                page: page_index,
            },
        ));
    }
    processes.sort_by_key(|(l, r, _)| (*l, *r));
    pb.processes = processes.into_iter().map(|(_, _, p)| p).collect();
    // Phases per locale, in lifecycle order.
    for locale in &pb.locales {
        let mut keys: Vec<String> = Vec::new();
        for p in pb.processes.iter().filter(|p| &p.locale == locale) {
            if let Some(k) = &p.phase_key {
                if !keys.contains(k) {
                    keys.push(k.clone());
                }
            }
        }
        keys.sort_by_key(|k| phase_rank(k));
        for (order, key) in keys.into_iter().enumerate() {
            pb.phases.push(Phase { name: phase_name(locale, &key), key, locale: locale.clone(), order });
        }
    }
    pb
}

fn title_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
