//! The ftop playbook compiler.
//!
//! A playbook is a folder of Markdown pages (YAML front matter, an H1 title, label lines such
//! as `Phase: **Assess**`, steps as headings, task tables), possibly in several languages.
//! [`compile`] turns the pages into one validated [`Playbook`] plus [`Diagnostic`]s that point
//! to file, line and column. The compiler is pure: the caller reads the files and passes their
//! text; nothing here does I/O or async work, and no input makes it panic.
//!
//! ```
//! use ftop_playbook::{compile, Options, Source};
//! let page = "# Kickoff\n\nPhase: **Initiate**\n\n## Approach\n\n### Prepare\n\n\
//!             Primary Role: **FastTrack Manager**\n\n\
//!             | Task ID | Task Name | (M)andatory / (O)ptional | FastTrack Role | Services |\n\
//!             | --- | --- | --- | --- | --- |\n\
//!             | 3616 | Complete initial outreach | M | FastTrack Manager | All Services |\n";
//! let out = compile(&[Source::new("en", "kickoff.md", page)], &Options::default());
//! assert_eq!(out.playbook.tasks[0].id, "3616");
//! assert_eq!(&*out.playbook.tasks[0].phase_key, "initiate");
//! assert!(out.diagnostics.is_empty());
//! ```

mod compile;
mod dates;
mod diag;
mod locale;
mod model;
mod page;
mod rules;
mod scan;
mod table;
mod text;
mod translations;
mod validate;
mod vocab;

pub use compile::compile;
pub use dates::{Date, parse_date};
pub use diag::{Diagnostic, Severity};
pub use model::{
    Change, Cmp, Condition, NextStep, Page, PageKind, Phase, Playbook, Process, Rule, RuleAction,
    Span, Step, Task,
};
pub use text::slug;
pub use translations::{
    LocaleReport, PageStaleness, TaskDifference, TaskRef, TranslationReport, translations,
};

/// One page to compile.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// Name of the root folder the caller compiled (its last path component), or "".
    /// It may name the language (`english`, `es`).
    pub root: &'a str,
    /// Path relative to the root, `/`-separated.
    pub path: &'a str,
    /// The page's text.
    pub text: &'a str,
}

impl<'a> Source<'a> {
    /// A page at `path` under the root folder named `root`.
    pub fn new(root: &'a str, path: &'a str, text: &'a str) -> Self {
        Source { root, path, text }
    }
}

/// Input limits. Over a limit, the compiler reports an error and compiles what it can.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest page, in bytes.
    pub max_file_bytes: usize,
    /// Deepest nesting of block quotes and indentation (in steps of four columns).
    pub max_depth: usize,
    /// Most task rows in one compilation.
    pub max_tasks: usize,
    /// Most pages in one compilation.
    pub max_pages: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 1 << 20,
            max_depth: 16,
            max_tasks: 250_000,
            max_pages: 50_000,
        }
    }
}

/// Compilation options.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Input limits.
    pub limits: Limits,
    /// The source language; by default English when present, else the language with most pages.
    pub source_locale: Option<String>,
    /// Locale for pages whose language cannot be told; by default `en`.
    pub default_locale: Option<String>,
    /// Other files beside the pages (images), as `(root, path)`, so that links to them can be
    /// checked. `None` skips those checks.
    pub assets: Option<Vec<(String, String)>>,
}

/// The result of a compilation: the model and what was said about the input.
#[derive(Debug, Clone, Default)]
pub struct Compilation {
    /// The compiled playbook.
    pub playbook: Playbook,
    /// Diagnostics, by file order then line.
    pub diagnostics: Vec<Diagnostic>,
}

impl Compilation {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }
}

/// The built-in vocabulary: canonical keys of phases, services, roles and motions, and the
/// names (in the languages the compiler knows) that map to them.
pub mod vocabulary {
    use crate::vocab;

    /// A vocabulary table: (key, lower-case names).
    pub type Table = &'static [(&'static str, &'static [&'static str])];

    /// Phases in lifecycle order.
    pub fn phases() -> Table {
        vocab::PHASES
    }
    /// The service catalogue, including the pseudo-services `core-onboarding` and
    /// `all-services`.
    pub fn services() -> Table {
        vocab::SERVICES
    }
    /// Playbook roles.
    pub fn roles() -> Table {
        vocab::ROLES
    }
    /// Motions.
    pub fn motions() -> Table {
        vocab::MOTIONS
    }
    /// The key of a name or key in `table` (`"OneDrive for Business"` or `"onedrive"` ->
    /// `"onedrive"`), ignoring case, surrounding stars and a parenthesised note.
    pub fn key_of(table: Table, name: &str) -> Option<&'static str> {
        let t = name.trim();
        if let Some((k, _)) = table.iter().find(|(k, _)| k.eq_ignore_ascii_case(t)) {
            return Some(k);
        }
        vocab::vocab_key(table, name)
    }
}
