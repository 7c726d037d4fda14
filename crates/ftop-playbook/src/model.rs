//! The compiled playbook: the one model every other part of ftop reads.

use crate::dates::Date;
use serde::Serialize;
use std::sync::Arc;

/// A compiled playbook in one or more languages.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Playbook {
    /// The language the others are translated from.
    pub source_locale: String,
    /// Every locale with at least one page, source first.
    pub locales: Vec<String>,
    /// Phases per locale, in lifecycle order.
    pub phases: Vec<Phase>,
    /// Process pages, in phase order then file order.
    pub processes: Vec<Process>,
    /// Every task row, as it stands in a table, in page order.
    pub tasks: Vec<Task>,
    /// The rules of the source-language pages (`ftop-rules` blocks), in page then line order.
    pub rules: Vec<Rule>,
    /// Every page compiled (process pages and the others).
    pub pages: Vec<Page>,
}

/// A source location.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Span {
    /// Path relative to the root the caller gave.
    pub file: String,
    /// 1-based line.
    pub line: u32,
}

/// One lifecycle phase in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phase {
    /// Language-independent key (`assess`).
    pub key: String,
    /// Name as written in this locale (`Evaluación`).
    pub name: String,
    /// Locale of `name`.
    pub locale: String,
    /// Position in the lifecycle, 0-based.
    pub order: usize,
}

/// A process page: the unit of work inside a phase.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Process {
    /// Language-independent key, shared by the translations of this page.
    pub key: String,
    /// Title (the page's H1).
    pub title: String,
    /// Locale of the page.
    pub locale: String,
    /// Phase as written, if the page names one.
    pub phase: Option<String>,
    /// Canonical phase key, if known or inferred.
    pub phase_key: Option<String>,
    /// Motions (engagement models) named for the whole page.
    pub motions: Vec<String>,
    /// Their canonical keys.
    pub motion_keys: Vec<String>,
    /// The Overview section as Markdown.
    pub overview: String,
    /// Objectives, one Markdown item each.
    pub objectives: Vec<String>,
    /// Key inputs, one Markdown item each.
    pub key_inputs: Vec<String>,
    /// Key outputs, one Markdown item each.
    pub key_outputs: Vec<String>,
    /// The steps, in page order.
    pub steps: Vec<Step>,
    /// Links to the processes that follow, with their condition.
    pub next_steps: Vec<NextStep>,
    /// The page's change history (Refresh Summary), as written.
    pub history: Vec<Change>,
    /// Latest date of the history, else the front-matter date.
    pub last_changed: Option<Date>,
    /// Where the page starts (its H1).
    pub span: Span,
    /// Index of the process's page in [`Playbook::pages`].
    #[serde(skip)]
    pub page: usize,
}

/// A step of a process.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Step {
    /// Title (its heading).
    pub title: String,
    /// Primary roles as written.
    pub roles: Vec<String>,
    /// Their canonical keys.
    pub role_keys: Vec<String>,
    /// Motions as written.
    pub motions: Vec<String>,
    /// Their canonical keys.
    pub motion_keys: Vec<String>,
    /// Services the step applies to, as written.
    pub applies_to: Vec<String>,
    /// Their canonical keys.
    pub service_keys: Vec<String>,
    /// The step's guidance as Markdown.
    pub body: String,
    /// Number of task rows under the step.
    pub task_count: usize,
    /// Where the step's heading is.
    pub span: Span,
}

/// A link from a process to the process that follows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextStep {
    /// Link text.
    pub title: String,
    /// Link target as written.
    pub target: String,
    /// Key of the target process when the link resolves to a page of the playbook.
    pub target_key: Option<String>,
    /// The condition stated beside the link, if any.
    pub condition: Option<String>,
    /// The whole item as plain text.
    pub text: String,
    /// Where the link is.
    pub line: u32,
}

/// One row of a page's change history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The date, when it could be read.
    pub date: Option<Date>,
    /// The date as written.
    pub date_raw: String,
    /// Who made the change.
    pub author: String,
    /// What changed.
    pub change: String,
    /// Where the row is.
    pub line: u32,
}

/// One task row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Task {
    /// The numeric ID, as a string of digits.
    pub id: String,
    /// Task name (plain text).
    pub name: String,
    /// Mandatory (true) or optional (false).
    pub mandatory: bool,
    /// The flag as written.
    pub mandatory_raw: String,
    /// Responsible role as written.
    pub role: String,
    /// Canonical role key.
    pub role_key: String,
    /// Services as written.
    pub services: Vec<String>,
    /// Canonical service keys.
    pub service_keys: Vec<String>,
    /// Phase as written (or the locale's name of an inferred phase).
    pub phase: Arc<str>,
    /// Canonical phase key (empty when the page has no phase).
    pub phase_key: Arc<str>,
    /// Process title.
    pub process: Arc<str>,
    /// Process key.
    pub process_key: Arc<str>,
    /// Step title.
    pub step: Arc<str>,
    /// Locale of the page.
    pub locale: Arc<str>,
    /// Path of the page, relative to the root the caller gave.
    pub file: Arc<str>,
    /// 1-based line of the row.
    pub line: u32,
    /// Index of the task's page in [`Playbook::pages`].
    #[serde(skip)]
    pub page: usize,
    /// Link on the task ID, if it was written as a link.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_link: Option<String>,
}

/// What kind of page a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageKind {
    /// A process page: it names a phase or has steps with tasks.
    Process,
    /// Any other page (landing, guidance, reference).
    Other,
}

/// A page and what is known about it.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// Name of the root folder the page was found under.
    pub root: String,
    /// Path relative to the root the caller gave.
    pub file: String,
    /// Language-independent key: the path without locale folder or suffix.
    pub key: String,
    /// Locale of the content.
    pub locale: String,
    /// True when the page sits among another language's pages but is written in `locale`.
    pub stray: bool,
    /// Title (first H1, else the front-matter title).
    pub title: String,
    /// Kind of page.
    pub kind: PageKind,
    /// Front-matter entries in order, as written.
    pub metadata: Vec<(String, String)>,
    /// Latest history date, else the front-matter date.
    pub last_changed: Option<Date>,
    /// Number of task rows on the page.
    pub task_count: usize,
}

/// What a rule does to its tasks when its condition holds for a tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleAction {
    /// The tasks apply to a tenant only when the condition holds.
    Only,
    /// The tasks do not apply when the condition holds.
    Skip,
    /// The tasks apply but are Not Required when the condition holds.
    NotRequired,
}

/// A comparison of a rule's `seats` condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cmp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `=`
    Eq,
}

/// A rule's condition on a tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Condition {
    /// A customer success manager is assigned to the tenant.
    Csm,
    /// An approved Enterprise customer (20,000 seats or more, or an exception).
    Enterprise,
    /// The tenant is in the additional adoption benefit program.
    AdoptionBenefit,
    /// The tenant is entitled to at least one of these services (canonical keys).
    Service {
        /// Canonical service keys, in the order written, without repeats.
        any_of: Vec<String>,
    },
    /// The tenant's largest qualified seat count compared with a number.
    Seats {
        /// The comparison.
        op: Cmp,
        /// The number of seats.
        value: u64,
    },
    /// The inner condition does not hold.
    Not {
        /// The negated condition.
        inner: Box<Condition>,
    },
    /// Every condition holds.
    All {
        /// The conditions.
        of: Vec<Condition>,
    },
    /// At least one condition holds.
    Any {
        /// The conditions.
        of: Vec<Condition>,
    },
}

/// One line of an `ftop-rules` block: an action on tasks under a condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// What happens to the tasks when the condition holds.
    pub action: RuleAction,
    /// The task IDs it targets (named in the rule, else every task of the enclosing step or
    /// page), sorted, without repeats.
    pub tasks: Vec<u32>,
    /// The condition.
    pub when: Condition,
    /// The rule line as written, trimmed.
    pub text: String,
    /// File and line of the rule.
    pub span: Span,
}
