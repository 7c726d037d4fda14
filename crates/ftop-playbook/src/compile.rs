//! The driver: scan and draft every page, settle locales and canonical keys across pages,
//! validate, and assemble the [`Playbook`].

use crate::dates::{Date, parse_date};
use crate::diag::{Severity, Sink};
use crate::locale::{PathInfo, detect, path_info};
use crate::model::{NextStep, Page, PageKind, Phase, Playbook, Process, Span, Step, Task};
use crate::page::{PageDraft, TaskDraft, draft};
use crate::scan::{Scanned, scan};
use crate::text::slug;
use crate::vocab::{MOTIONS, PHASES, ROLES, SERVICES, english_name, lookup, phase_rank, vocab_key};
use crate::{Compilation, Options, Source};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

/// A page after the per-page passes, with what the cross-page passes decide.
pub(crate) struct Parsed<'a> {
    pub(crate) src: usize,
    pub(crate) scanned: Scanned<'a>,
    pub(crate) draft: PageDraft<'a>,
    pub(crate) info: PathInfo,
    pub(crate) locale: String,
    pub(crate) stray: bool,
    pub(crate) last_changed: Option<Date>,
    pub(crate) phase_key: Option<String>,
    /// The language the text is clearly written in, if it could be told.
    pub(crate) detected: Option<&'static str>,
}

const DATE_KEYS: &[&str] = &["updated", "last_updated", "date", "ms.date", "modified"];

/// Compiles pages into one playbook. Never panics; problems become diagnostics.
pub fn compile(sources: &[Source<'_>], opts: &Options) -> Compilation {
    let limits = &opts.limits;
    let mut sink = Sink::default();
    let mut parsed: Vec<Parsed<'_>> = Vec::with_capacity(sources.len());
    let pages = &sources[..sources.len().min(limits.max_pages)];
    if sources.len() > limits.max_pages {
        let s = &sources[limits.max_pages];
        let msg = format!(
            "more than {} pages; the rest are not compiled",
            limits.max_pages
        );
        sink.push(
            Severity::Error,
            "limit-pages",
            msg,
            limits.max_pages,
            s.path,
            1,
            "",
            0,
        );
    }
    // The per-page passes are independent: run them on every core for large playbooks.
    let mut pages: Vec<&Source<'_>> = pages.iter().collect();
    let results = par_map(&mut pages, |i, s| read_page(i, s, limits));
    for (p, page_sink) in results {
        sink.items.extend(page_sink.items);
        parsed.extend(p);
    }
    enforce_task_limit(&mut parsed, sources, limits.max_tasks, &mut sink);

    settle_locales(&mut parsed, sources, opts, &mut sink);
    let source_locale = source_locale(&parsed, opts);
    settle_phases(&mut parsed, &source_locale, sources, &mut sink);
    // Rules read the drafts' tasks by step, which assembling moves into the model.
    let rules = crate::rules::resolve(&parsed, sources, &source_locale, &mut sink);

    let mut playbook = assemble(&mut parsed, sources, &source_locale, &mut sink);
    playbook.rules = rules;
    crate::validate::validate(
        &parsed,
        sources,
        &mut playbook,
        opts,
        &source_locale,
        &mut sink,
    );

    let mut diagnostics = sink.items;
    diagnostics.sort_by_key(|a| (a.source, a.line, a.col));
    Compilation {
        playbook,
        diagnostics,
    }
}

/// Scans, drafts and dates one page, and detects its language.
fn read_page<'a>(i: usize, s: &Source<'a>, limits: &crate::Limits) -> (Option<Parsed<'a>>, Sink) {
    let mut sink = Sink::default();
    if s.text.len() > limits.max_file_bytes {
        let msg = format!(
            "page is {} bytes, over the limit of {} bytes; it is not compiled",
            s.text.len(),
            limits.max_file_bytes
        );
        sink.push(Severity::Error, "limit-file-size", msg, i, s.path, 1, "", 0);
        return (None, sink);
    }
    let scanned = scan(s.text, i, s.path, limits, &mut sink);
    let d = draft(&scanned, i, s.path, &mut sink);
    // The blocks are read only by the draft: free them here, on this page's thread.
    let scanned = Scanned {
        blocks: Vec::new(),
        ..scanned
    };
    let info = path_info(s.root, s.path);
    let last_changed = d.history.iter().filter_map(|c| c.date).max().or_else(|| {
        DATE_KEYS.iter().find_map(|k| {
            scanned
                .metadata
                .iter()
                .find(|(mk, _)| mk == k)
                .and_then(|(_, v)| parse_date(v))
        })
    });
    let detected = detect(&scanned.sample)
        .filter(|(_, sure)| *sure >= 3.0 && scanned.sample.len() >= 300)
        .map(|(d, _)| d);
    let p = Parsed {
        src: i,
        scanned,
        draft: d,
        info,
        locale: String::new(),
        stray: false,
        last_changed,
        phase_key: None,
        detected,
    };
    (Some(p), sink)
}

/// Keeps at most `max` task rows in all; reports the first row over the limit.
fn enforce_task_limit(
    parsed: &mut [Parsed<'_>],
    sources: &[Source<'_>],
    max: usize,
    sink: &mut Sink,
) {
    let mut left = max;
    for p in parsed.iter_mut() {
        if p.draft.tasks.len() <= left {
            left -= p.draft.tasks.len();
            continue;
        }
        if let Some(first) = p.draft.tasks.get(left)
            && (left < max || sink.items.iter().all(|d| d.code != "limit-tasks"))
        {
            let msg =
                format!("the playbook has more than {max} task rows; the rest are not compiled");
            sink.push(
                Severity::Error,
                "limit-tasks",
                msg,
                p.src,
                sources[p.src].path,
                first.line,
                first.raw,
                0,
            );
        }
        p.draft.tasks.truncate(left);
        left = 0;
        for s in &mut p.draft.steps {
            s.tasks = 0;
        }
        for t in &p.draft.tasks {
            p.draft.steps[t.step].tasks += 1;
        }
    }
}

/// Decides each page's locale: the path's word, unless the text is clearly in another
/// language (an untranslated copy left among translations).
fn settle_locales(
    parsed: &mut [Parsed<'_>],
    sources: &[Source<'_>],
    opts: &Options,
    sink: &mut Sink,
) {
    let default = opts
        .default_locale
        .clone()
        .unwrap_or_else(|| "en".to_string());
    for p in parsed.iter_mut() {
        let named = p.info.suffix.clone().or_else(|| p.info.folder.clone());
        p.locale = match (&named, p.detected) {
            (Some(n), Some(d)) if base(n) != d => d.to_string(),
            (Some(n), _) => n.clone(),
            (None, Some(d)) => d.to_string(),
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
    counts
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(l, _)| l)
        .unwrap_or_else(|| "en".to_string())
}

/// The phase key a page key starts with (`success-support-…` -> `success`).
fn phase_from_key(key: &str) -> Option<&'static str> {
    let file = key.rsplit('/').next().unwrap_or(key);
    let first = file.split(['-', '_']).next().unwrap_or("");
    PHASES
        .iter()
        .map(|(k, _)| *k)
        .find(|k| *k == first && *k != "multiple")
}

/// Canonical phase keys: the vocabulary, else the source page's, else the file name.
fn settle_phases(
    parsed: &mut [Parsed<'_>],
    source_locale: &str,
    sources: &[Source<'_>],
    sink: &mut Sink,
) {
    for p in parsed.iter_mut() {
        p.phase_key = p
            .draft
            .phase
            .as_deref()
            .and_then(|ph| lookup(PHASES, ph))
            .map(str::to_string);
    }
    let source_phase: HashMap<String, String> = parsed
        .iter()
        .filter(|p| p.locale == source_locale && !p.stray)
        .filter_map(|p| p.phase_key.clone().map(|k| (p.info.key.clone(), k)))
        .collect();
    for p in parsed.iter_mut().filter(|p| p.phase_key.is_none()) {
        let has_work = !p.draft.tasks.is_empty() || p.draft.steps.iter().any(|s| s.has_labels);
        let aligned = source_phase.get(&p.info.key).cloned();
        let by_name = phase_from_key(&p.info.key)
            .filter(|_| has_work || p.draft.phase.is_some())
            .map(str::to_string);
        match (&p.draft.phase, aligned.or(by_name)) {
            (_, Some(k)) => p.phase_key = Some(k),
            (Some(raw), None) => {
                p.phase_key = Some(slug(raw));
                if p.locale == source_locale {
                    let (line, text) = p.draft.phase_line.clone().unwrap_or((1, String::new()));
                    sink.push(
                        Severity::Warning,
                        "unknown-phase",
                        format!(
                            "phase `{raw}` is not one of the known phases; it gets the key `{}`",
                            slug(raw)
                        ),
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
    /// Task ID -> index into `source_keys` (first row of that ID in the source language),
    /// for the IDs whose translated rows the vocabulary could not key on its own.
    source_index: HashMap<u32, usize>,
    /// Role key and service keys of those source rows.
    source_keys: &'m [(String, Vec<String>)],
}

fn keys_of(
    table: &'static [(&'static str, &'static [&'static str])],
    items: &[String],
) -> Vec<String> {
    items
        .iter()
        .map(|i| {
            vocab_key(table, i)
                .map(str::to_string)
                .unwrap_or_else(|| slug(i))
        })
        .collect()
}

impl Keys<'_> {
    fn source(&self, id: &str) -> Option<&(String, Vec<String>)> {
        let id: u32 = id.parse().ok()?;
        self.source_index.get(&id).map(|&i| &self.source_keys[i])
    }

    fn role(&self, t: &TaskDraft<'_>) -> String {
        let (role, id) = (&t.role, &t.id);
        if let Some(k) = t.role_key {
            return k.to_string();
        }
        if let Some((k, _)) = self.source(id) {
            return k.clone();
        }
        slug(role)
    }

    /// Service keys, plus the services no rule could place.
    fn services(&self, t: &TaskDraft<'_>) -> (Vec<String>, Vec<String>) {
        let services = &t.services;
        let mut keys = Vec::with_capacity(services.len());
        if t.service_keys.iter().all(Option::is_some) {
            keys.extend(t.service_keys.iter().flatten().map(|k| k.to_string()));
            return (keys, Vec::new());
        }
        let aligned = self.source(&t.id).map(|(_, s)| s.as_slice());
        let mut unknown = Vec::new();
        for (i, s) in services.iter().enumerate() {
            if let Some(k) = t.service_keys.get(i).copied().flatten() {
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

fn assemble(
    parsed: &mut [Parsed<'_>],
    sources: &[Source<'_>],
    source_locale: &str,
    sink: &mut Sink,
) -> Playbook {
    // Locales, source first.
    let mut locales = vec![source_locale.to_string()];
    for p in parsed.iter() {
        if !locales.contains(&p.locale) {
            locales.push(p.locale.clone());
        }
    }
    if !parsed.iter().any(|p| p.locale == source_locale) {
        locales.remove(0);
    }
    // Source-language keys of the tasks whose translations the vocabulary cannot key alone,
    // for alignment by task ID.
    let is_source = |p: &Parsed<'_>| p.locale == source_locale && !p.stray;
    let needed: HashSet<u32> = parsed
        .iter()
        .filter(|p| !is_source(p))
        .flat_map(|p| &p.draft.tasks)
        .filter(|t| t.role_key.is_none() || t.service_keys.iter().any(Option::is_none))
        .filter_map(|t| t.id.parse().ok())
        .collect();
    let mut source_keys: Vec<(String, Vec<String>)> = Vec::new();
    let mut source_index: HashMap<u32, usize> = HashMap::default();
    for t in parsed
        .iter()
        .filter(|p| !needed.is_empty() && is_source(p))
        .flat_map(|p| &p.draft.tasks)
    {
        let Some(id) = t.id.parse().ok().filter(|id| needed.contains(id)) else {
            continue;
        };
        source_index.entry(id).or_insert_with(|| {
            let role = t.role_key.map_or_else(|| slug(&t.role), str::to_string);
            let services = (t.services.iter().zip(&t.service_keys))
                .map(|(s, k)| k.map_or_else(|| slug(s), str::to_string))
                .collect();
            source_keys.push((role, services));
            source_keys.len() - 1
        });
    }
    // Phase names as each locale writes them.
    let mut phase_names: HashMap<(String, String), String> = HashMap::default();
    for p in parsed.iter() {
        if let (Some(k), Some(raw)) = (&p.phase_key, &p.draft.phase) {
            phase_names
                .entry((p.locale.clone(), k.clone()))
                .or_insert_with(|| raw.clone());
        }
    }
    let ctx = Context {
        keys: Keys {
            source_index,
            source_keys: &source_keys,
        },
        phase_names,
        locales: &locales,
    };

    // Each page on its own (in parallel), then gathered in page order.
    let assembled = par_map(parsed, |page_index, p| {
        assemble_page(page_index, p, &sources[p.src], &ctx)
    });
    let mut pb = Playbook {
        source_locale: source_locale.to_string(),
        ..Playbook::default()
    };
    let mut processes = Vec::new();
    pb.pages.reserve(assembled.len());
    pb.tasks
        .reserve(assembled.iter().map(|a| a.tasks.len()).sum());
    for a in assembled {
        pb.pages.push(a.page);
        pb.tasks.extend(a.tasks);
        processes.extend(a.process);
        sink.items.extend(a.sink.items);
    }
    processes.sort_by_key(|(order, _)| *order);
    pb.processes = processes.into_iter().map(|(_, p)| p).collect();
    // Phases per locale, in lifecycle order.
    for locale in &locales {
        let mut keys: Vec<String> = Vec::new();
        for p in pb.processes.iter().filter(|p| &p.locale == locale) {
            if let Some(k) = &p.phase_key
                && !keys.contains(k)
            {
                keys.push(k.clone());
            }
        }
        keys.sort_by_key(|k| phase_rank(k));
        for (order, key) in keys.into_iter().enumerate() {
            pb.phases.push(Phase {
                name: ctx.phase_name(locale, &key),
                key,
                locale: locale.clone(),
                order,
            });
        }
    }
    pb.locales = locales;
    pb
}

/// What assembling one page needs from the whole playbook.
struct Context<'m> {
    keys: Keys<'m>,
    /// (locale, phase key) -> the phase's name as that locale's pages write it.
    phase_names: HashMap<(String, String), String>,
    /// Every locale, source first.
    locales: &'m [String],
}

impl Context<'_> {
    fn phase_name(&self, locale: &str, key: &str) -> String {
        self.phase_names
            .get(&(locale.to_string(), key.to_string()))
            .cloned()
            .or_else(|| english_name(PHASES, key).map(title_case))
            .unwrap_or_else(|| key.to_string())
    }
}

/// One page turned into model parts.
struct Assembled {
    page: Page,
    /// A process page's process, with its sort order (locale position, phase rank).
    process: Option<((usize, usize), Process)>,
    tasks: Vec<Task>,
    sink: Sink,
}

/// Runs `f` on every item with its index, on every core when there are many items.
/// Threads take small batches from a shared queue, so an uneven mix of pages still keeps
/// every core busy. Results come back in item order.
pub(crate) fn par_map<T: Send, R: Send>(
    items: &mut [T],
    f: impl Fn(usize, &mut T) -> R + Sync,
) -> Vec<R> {
    const BATCH: usize = 16;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads <= 1 || items.len() < 64 {
        return items.iter_mut().enumerate().map(|(i, t)| f(i, t)).collect();
    }
    let len = items.len();
    let queue = std::sync::Mutex::new(items.chunks_mut(BATCH).enumerate());
    let work = || {
        let mut done: Vec<(usize, Vec<R>)> = Vec::new();
        loop {
            // A poisoned lock means another worker panicked; stop taking work.
            let next = match queue.lock() {
                Ok(mut q) => q.next(),
                Err(_) => None,
            };
            let Some((b, batch)) = next else { break };
            let out = batch
                .iter_mut()
                .enumerate()
                .map(|(j, t)| f(b * BATCH + j, t))
                .collect();
            done.push((b, out));
        }
        done
    };
    let mut batches: Vec<(usize, Vec<R>)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for h in helpers {
            all.extend(h.join().unwrap_or_default());
        }
        all
    });
    batches.sort_unstable_by_key(|(b, _)| *b);
    let mut out = Vec::with_capacity(len);
    for (_, b) in batches {
        out.extend(b);
    }
    out
}

/// Builds one page's model parts. The draft is not needed after this: its contents move
/// into the model.
fn assemble_page(
    page_index: usize,
    p: &mut Parsed<'_>,
    src: &Source<'_>,
    ctx: &Context<'_>,
) -> Assembled {
    let mut sink = Sink::default();
    let d = &mut p.draft;
    let is_process =
        p.phase_key.is_some() || !d.tasks.is_empty() || d.steps.iter().any(|s| s.has_labels);
    let title = if d.title.is_empty() {
        p.scanned
            .metadata
            .iter()
            .find(|(k, _)| k == "title")
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| p.info.key.clone())
    } else {
        d.title.clone()
    };
    let page = Page {
        root: src.root.to_string(),
        file: src.path.to_string(),
        key: p.info.key.clone(),
        locale: p.locale.clone(),
        stray: p.stray,
        title: title.clone(),
        kind: if is_process {
            PageKind::Process
        } else {
            PageKind::Other
        },
        metadata: std::mem::take(&mut p.scanned.metadata),
        last_changed: p.last_changed,
        task_count: d.tasks.len(),
    };
    if !is_process {
        return Assembled {
            page,
            process: None,
            tasks: Vec::new(),
            sink,
        };
    }
    // Shared by every task of the page.
    let phase_key: Arc<str> = p.phase_key.as_deref().unwrap_or_default().into();
    let phase_written: Arc<str> = match (&d.phase, &p.phase_key) {
        (Some(raw), _) => raw.as_str().into(),
        (None, Some(k)) => ctx.phase_name(&p.locale, k).into(),
        (None, None) => "".into(),
    };
    let process_title: Arc<str> = title.as_str().into();
    let process_key: Arc<str> = p.info.key.as_str().into();
    let locale: Arc<str> = p.locale.as_str().into();
    let file: Arc<str> = src.path.into();
    let step_titles: Vec<Arc<str>> = d
        .steps
        .iter()
        .map(|s| Arc::from(s.title.as_str()))
        .collect();
    // Steps that carry labels or tasks.
    let mut steps = Vec::new();
    for s in d.steps.iter_mut() {
        if !(s.has_labels || s.tasks > 0) {
            continue;
        }
        steps.push(Step {
            title: s.title.clone(),
            role_keys: keys_of(ROLES, &s.labels.roles),
            roles: s.labels.roles.clone(),
            motion_keys: keys_of(MOTIONS, &s.labels.motions),
            motions: s.labels.motions.clone(),
            service_keys: keys_of(SERVICES, &s.labels.applies_to),
            applies_to: s.labels.applies_to.clone(),
            body: std::mem::take(&mut s.body),
            task_count: s.tasks,
            span: Span {
                file: src.path.to_string(),
                line: s.line,
            },
        });
    }
    let mut tasks = Vec::with_capacity(d.tasks.len());
    for t in std::mem::take(&mut d.tasks) {
        let (service_keys, unknown) = ctx.keys.services(&t);
        for u in unknown {
            let at = t.raw.find(u.as_str()).unwrap_or(0);
            sink.push(
                Severity::Warning,
                "unknown-service",
                format!(
                    "task {}: service `{u}` is not in the service catalogue; it gets the key `{}`",
                    t.id,
                    slug(&u)
                ),
                p.src,
                src.path,
                t.line,
                t.raw,
                at,
            );
        }
        let role_key = ctx.keys.role(&t);
        tasks.push(Task {
            id: t.id,
            name: t.name,
            mandatory: t.mandatory,
            mandatory_raw: t.mandatory_raw,
            role_key,
            role: t.role,
            services: t.services,
            service_keys,
            phase: phase_written.clone(),
            phase_key: phase_key.clone(),
            process: process_title.clone(),
            process_key: process_key.clone(),
            step: step_titles[t.step].clone(),
            locale: locale.clone(),
            file: file.clone(),
            line: t.line,
            page: page_index,
            id_link: t.id_link,
        });
    }
    let order = (
        ctx.locales
            .iter()
            .position(|l| *l == p.locale)
            .unwrap_or(usize::MAX),
        p.phase_key.as_deref().map_or(usize::MAX, phase_rank),
    );
    let process = Process {
        key: p.info.key.clone(),
        title,
        locale: p.locale.clone(),
        phase: d.phase.clone(),
        phase_key: p.phase_key.clone(),
        motion_keys: keys_of(MOTIONS, &d.motions),
        motions: d.motions.clone(),
        overview: std::mem::take(&mut d.overview),
        objectives: std::mem::take(&mut d.objectives),
        key_inputs: std::mem::take(&mut d.key_inputs),
        key_outputs: std::mem::take(&mut d.key_outputs),
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
        history: std::mem::take(&mut d.history),
        last_changed: p.last_changed,
        span: Span {
            file: src.path.to_string(),
            line: d.title_line.max(1),
        },
        page: page_index,
    };
    Assembled {
        page,
        process: Some((order, process)),
        tasks,
        sink,
    }
}

fn title_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
