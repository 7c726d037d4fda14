//! The playbook as the reader pages and `/api/v1/playbook` read it: the language asked for
//! (`?lang=` naming a locale of the playbook or a UI language, else the UI language), the
//! index of phases and processes, one process with the tasks and rules under each step, and
//! the version to show when a process is missing in that language.

use crate::i18n::Lang;
use ftop_playbook::{Playbook, Process, Rule, Task};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

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

/// Every task's name by its ID, in `lang` where the playbook has that language, else in the
/// playbook's own (for the History tab, which names tasks beside their IDs).
pub(crate) fn task_names(pb: &Playbook, lang: Lang) -> HashMap<u32, String> {
    let mut names: HashMap<u32, String> = HashMap::new();
    for t in pb
        .tasks
        .iter()
        .filter(|t| t.locale.as_ref() == pb.source_locale.as_str())
    {
        if let Ok(id) = t.id.parse() {
            names.insert(id, t.name.clone());
        }
    }
    for t in pb.tasks.iter().filter(|t| t.locale.as_ref() == lang.code()) {
        if let Ok(id) = t.id.parse() {
            names.insert(id, t.name.clone());
        }
    }
    names
}
