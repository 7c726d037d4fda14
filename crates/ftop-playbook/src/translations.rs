//! The translations report: per language, the tasks missing or extra against the source
//! language, flag and role disagreements, and pages older than their source.

use crate::dates::Date;
use crate::model::{Playbook, Task};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::Serialize;
use std::collections::BTreeMap;

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct TranslationReport {
    /// The language the others are compared with.
    pub source_locale: String,
    /// Pages and distinct task IDs of the source language.
    pub source_pages: usize,
    /// Distinct task IDs of the source language.
    pub source_tasks: usize,
    /// One entry per other language.
    pub locales: Vec<LocaleReport>,
}

/// What one language lacks, adds or contradicts.
#[derive(Debug, Clone, Serialize)]
pub struct LocaleReport {
    /// The language.
    pub locale: String,
    /// Its pages (untranslated copies left out).
    pub pages: usize,
    /// Its distinct task IDs.
    pub tasks: usize,
    /// Source tasks with no row in this language.
    pub missing_tasks: Vec<TaskRef>,
    /// Task IDs this language has and the source lacks.
    pub extra_tasks: Vec<TaskRef>,
    /// Tasks whose mandatory flag differs from the source.
    pub flag_differences: Vec<TaskDifference>,
    /// Tasks whose responsible role differs from the source.
    pub role_differences: Vec<TaskDifference>,
    /// Pages whose latest change is older than their source page's.
    pub stale_pages: Vec<PageStaleness>,
    /// Source pages with no page in this language.
    pub missing_pages: Vec<String>,
    /// Pages with no source page.
    pub extra_pages: Vec<String>,
}

/// A task, named by ID with where it stands.
#[derive(Debug, Clone, Serialize)]
pub struct TaskRef {
    /// Task ID.
    pub id: String,
    /// Name as written there.
    pub name: String,
    /// File (relative to its root).
    pub file: String,
    /// Line.
    pub line: u32,
}

/// A disagreement between a translated task and its source.
#[derive(Debug, Clone, Serialize)]
pub struct TaskDifference {
    /// Task ID.
    pub id: String,
    /// The source language's value.
    pub source: String,
    /// This language's value.
    pub translation: String,
    /// Where the source row is.
    pub source_file: String,
    /// Its line.
    pub source_line: u32,
    /// Where the translated row is.
    pub file: String,
    /// Its line.
    pub line: u32,
}

/// A translated page older than its source.
#[derive(Debug, Clone, Serialize)]
pub struct PageStaleness {
    /// The translated page.
    pub file: String,
    /// Its latest change.
    pub last_changed: Date,
    /// The source page.
    pub source_file: String,
    /// The source page's latest change.
    pub source_last_changed: Date,
}

fn task_ref(t: &Task) -> TaskRef {
    TaskRef {
        id: t.id.clone(),
        name: t.name.clone(),
        file: t.file.to_string(),
        line: t.line,
    }
}

fn id_order(id: &str) -> (usize, &str) {
    (id.len(), id)
}

/// Compares every language of the playbook with its source language.
pub fn translations(pb: &Playbook) -> TranslationReport {
    let stray: HashSet<usize> = pb
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.stray)
        .map(|(i, _)| i)
        .collect();
    let mut by_locale: HashMap<&str, BTreeMap<(usize, &str), &Task>> = HashMap::default();
    for t in pb.tasks.iter().filter(|t| !stray.contains(&t.page)) {
        by_locale
            .entry(&*t.locale)
            .or_default()
            .entry(id_order(&t.id))
            .or_insert(t);
    }
    let empty = BTreeMap::new();
    let source = by_locale.get(pb.source_locale.as_str()).unwrap_or(&empty);
    let pages_of = |locale: &str| -> Vec<(usize, &crate::model::Page)> {
        pb.pages
            .iter()
            .enumerate()
            .filter(|(i, p)| p.locale == locale && !stray.contains(i))
            .collect()
    };
    let source_pages = pages_of(&pb.source_locale);
    let source_by_key: HashMap<&str, &crate::model::Page> = source_pages
        .iter()
        .map(|(_, p)| (p.key.as_str(), *p))
        .collect();
    let mut locales = Vec::new();
    for locale in pb.locales.iter().filter(|l| **l != pb.source_locale) {
        let mine = by_locale.get(locale.as_str()).unwrap_or(&empty);
        let pages = pages_of(locale);
        if pages.is_empty() {
            continue;
        }
        let mut report = LocaleReport {
            locale: locale.clone(),
            pages: pages.len(),
            tasks: mine.len(),
            missing_tasks: source
                .iter()
                .filter(|(k, _)| !mine.contains_key(k))
                .map(|(_, t)| task_ref(t))
                .collect(),
            extra_tasks: mine
                .iter()
                .filter(|(k, _)| !source.contains_key(k))
                .map(|(_, t)| task_ref(t))
                .collect(),
            flag_differences: Vec::new(),
            role_differences: Vec::new(),
            stale_pages: Vec::new(),
            missing_pages: Vec::new(),
            extra_pages: Vec::new(),
        };
        for (k, t) in mine {
            let Some(s) = source.get(k) else { continue };
            let diff = |a: String, b: String| TaskDifference {
                id: t.id.clone(),
                source: a,
                translation: b,
                source_file: s.file.to_string(),
                source_line: s.line,
                file: t.file.to_string(),
                line: t.line,
            };
            if s.mandatory != t.mandatory {
                report
                    .flag_differences
                    .push(diff(s.mandatory_raw.clone(), t.mandatory_raw.clone()));
            }
            if s.role_key != t.role_key {
                report
                    .role_differences
                    .push(diff(s.role.clone(), t.role.clone()));
            }
        }
        let keys: HashSet<&str> = pages.iter().map(|(_, p)| p.key.as_str()).collect();
        for (_, p) in &pages {
            match source_by_key.get(p.key.as_str()) {
                None => report.extra_pages.push(p.file.clone()),
                Some(s) => {
                    if let (Some(a), Some(b)) = (p.last_changed, s.last_changed)
                        && a < b
                    {
                        report.stale_pages.push(PageStaleness {
                            file: p.file.clone(),
                            last_changed: a,
                            source_file: s.file.to_string(),
                            source_last_changed: b,
                        });
                    }
                }
            }
        }
        report.missing_pages = source_pages
            .iter()
            .filter(|(_, p)| !keys.contains(p.key.as_str()))
            .map(|(_, p)| p.file.clone())
            .collect();
        locales.push(report);
    }
    TranslationReport {
        source_locale: pb.source_locale.clone(),
        source_pages: source_pages.len(),
        source_tasks: source.len(),
        locales,
    }
}
