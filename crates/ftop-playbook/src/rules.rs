//! `ftop-rules` blocks: one rule per line, `action [task-ids] when condition`. Parsed for
//! the source-language pages only, once the locales are settled; the task IDs a rule names
//! are checked against the source language's tasks, and a rule without IDs targets the tasks
//! of its step or page.

use crate::compile::Parsed;
use crate::diag::{Severity, Sink};
use crate::model::{Cmp, Condition, Rule, RuleAction, Span};
use crate::vocab::SERVICES;
use crate::{Source, vocabulary};
use rustc_hash::FxHashSet as HashSet;

/// A rule as parsed from its line, before its targets are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedRule {
    pub(crate) action: RuleAction,
    /// Task IDs as written, with the byte column of each.
    pub(crate) ids: Vec<(u32, usize)>,
    pub(crate) when: Condition,
    /// Byte column of the action word.
    pub(crate) at: usize,
}

/// What is wrong with a rule line: byte column, code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RuleError {
    pub(crate) at: usize,
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

/// Parses one line of a rules block. `Ok(None)` for a blank or comment line. A syntax error
/// stops at the first problem; unknown services are all reported.
pub(crate) fn parse_rule(line: &str) -> Result<Option<ParsedRule>, Vec<RuleError>> {
    let end = line.find('#').unwrap_or(line.len());
    let mut p = Parser {
        s: &line[..end],
        pos: 0,
        unknown_services: Vec::new(),
        depth: 0,
    };
    p.skip_space();
    if p.pos == p.s.len() {
        return Ok(None);
    }
    let rule = p.rule().map_err(|e| vec![e])?;
    if p.unknown_services.is_empty() {
        Ok(Some(rule))
    } else {
        Err(p.unknown_services)
    }
}

struct Parser<'s> {
    /// The line up to its comment.
    s: &'s str,
    /// Byte position in `s`.
    pos: usize,
    unknown_services: Vec<RuleError>,
    /// Parentheses and `not`s open around the current position.
    depth: usize,
}

/// Deepest nesting of parentheses and `not` in a condition.
const MAX_DEPTH: usize = 32;

const CONDITIONS: &str =
    "`csm`, `enterprise`, `adoption-benefit`, `service(...)`, `seats`, `not` or `(`";

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

impl<'s> Parser<'s> {
    fn syntax(&self, at: usize, message: impl Into<String>) -> RuleError {
        RuleError {
            at,
            code: "rule-syntax",
            message: message.into(),
        }
    }

    fn skip_space(&mut self) {
        let rest = &self.s[self.pos..];
        self.pos += rest.len() - rest.trim_start().len();
    }

    fn at_end(&mut self) -> bool {
        self.skip_space();
        self.pos == self.s.len()
    }

    /// The word at the current position (letters, digits, `-`, `_`), without consuming it.
    fn peek_word(&mut self) -> Option<(usize, &'s str)> {
        self.skip_space();
        let rest = &self.s[self.pos..];
        let len = rest
            .char_indices()
            .find(|(_, c)| !is_word_char(*c))
            .map_or(rest.len(), |(i, _)| i);
        (len > 0).then(|| (self.pos, &rest[..len]))
    }

    /// Consumes the word if it is `kw` (ASCII, any case).
    fn keyword(&mut self, kw: &str) -> bool {
        match self.peek_word() {
            Some((at, w)) if w.eq_ignore_ascii_case(kw) => {
                self.pos = at + w.len();
                true
            }
            _ => false,
        }
    }

    /// Consumes `c` if it comes next.
    fn punct(&mut self, c: char) -> bool {
        self.skip_space();
        if self.s[self.pos..].starts_with(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    /// A short description of what comes next, for messages.
    fn found(&mut self) -> String {
        self.skip_space();
        match self.peek_word() {
            Some((_, w)) => format!("`{w}`"),
            None => match self.s[self.pos..].chars().next() {
                Some(c) => format!("`{c}`"),
                None => "the end of the rule".to_string(),
            },
        }
    }

    fn rule(&mut self) -> Result<ParsedRule, RuleError> {
        let (at, word) = self.peek_word().ok_or_else(|| {
            let found = self.found();
            self.syntax(
                self.pos,
                format!("expected an action (`only`, `skip` or `not-required`), found {found}"),
            )
        })?;
        let action = match word.to_ascii_lowercase().as_str() {
            "only" => RuleAction::Only,
            "skip" => RuleAction::Skip,
            "not-required" => RuleAction::NotRequired,
            _ => {
                return Err(self.syntax(
                    at,
                    format!("unknown action `{word}`: expected `only`, `skip` or `not-required`"),
                ));
            }
        };
        self.pos = at + word.len();
        let ids = self.ids()?;
        let when = self.or_expr()?;
        if !self.at_end() {
            let found = self.found();
            return Err(self.syntax(
                self.pos,
                format!("expected `and`, `or` or the end of the rule, found {found}"),
            ));
        }
        Ok(ParsedRule {
            action,
            ids,
            when,
            at,
        })
    }

    /// Task IDs (none, or a comma-separated list) and the `when` after them.
    fn ids(&mut self) -> Result<Vec<(u32, usize)>, RuleError> {
        let mut ids = Vec::new();
        if self.keyword("when") {
            return Ok(ids);
        }
        loop {
            let Some((at, word)) = self.peek_word() else {
                let found = self.found();
                let what = if ids.is_empty() {
                    "task IDs or `when`"
                } else {
                    "a task ID after `,`"
                };
                return Err(self.syntax(self.pos, format!("expected {what}, found {found}")));
            };
            ids.push(self.id(at, word)?);
            if !self.punct(',') {
                break;
            }
        }
        if self.keyword("when") {
            return Ok(ids);
        }
        if self.at_end() {
            return Err(self.syntax(
                self.pos,
                "missing `when`: expected `when` and a condition after the task IDs",
            ));
        }
        let found = self.found();
        let message = match self.peek_word() {
            Some((_, w)) if w.bytes().all(|b| b.is_ascii_digit()) => {
                format!("expected `,` between task IDs, found `{w}`")
            }
            _ => {
                format!("missing `when`: expected `,` or `when` after the task IDs, found {found}")
            }
        };
        Err(self.syntax(self.pos, message))
    }

    fn id(&mut self, at: usize, word: &str) -> Result<(u32, usize), RuleError> {
        if !word.bytes().all(|b| b.is_ascii_digit()) {
            let lower = word.to_ascii_lowercase();
            let message = if word.as_bytes()[0].is_ascii_digit() {
                format!("`{word}` is not a numeric task ID")
            } else if matches!(
                lower.as_str(),
                "csm" | "enterprise" | "adoption-benefit" | "service" | "seats" | "not"
            ) {
                format!("missing `when` before the condition `{word}`")
            } else {
                format!("expected a numeric task ID or `when`, found `{word}`")
            };
            return Err(self.syntax(at, message));
        }
        let id = word
            .parse()
            .map_err(|_| self.syntax(at, format!("task ID `{word}` is too large")))?;
        self.pos = at + word.len();
        Ok((id, at))
    }

    fn or_expr(&mut self) -> Result<Condition, RuleError> {
        let mut of = vec![self.and_expr()?];
        while self.keyword("or") {
            of.push(self.and_expr()?);
        }
        Ok(if of.len() == 1 {
            of.remove(0)
        } else {
            Condition::Any { of }
        })
    }

    fn and_expr(&mut self) -> Result<Condition, RuleError> {
        let mut of = vec![self.unary()?];
        while self.keyword("and") {
            of.push(self.unary()?);
        }
        Ok(if of.len() == 1 {
            of.remove(0)
        } else {
            Condition::All { of }
        })
    }

    fn unary(&mut self) -> Result<Condition, RuleError> {
        self.skip_space();
        if self.depth >= MAX_DEPTH {
            return Err(self.syntax(
                self.pos,
                format!("the condition is nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        self.depth += 1;
        let c = self.unary_inner();
        self.depth -= 1;
        c
    }

    fn unary_inner(&mut self) -> Result<Condition, RuleError> {
        let open = self.pos;
        if self.punct('(') {
            let inner = self.or_expr()?;
            if !self.punct(')') {
                let found = self.found();
                return Err(self.syntax(
                    self.pos,
                    format!(
                        "expected `)` to close the `(` at column {}, found {found}",
                        column(self.s, open)
                    ),
                ));
            }
            return Ok(inner);
        }
        let Some((at, word)) = self.peek_word() else {
            let found = self.found();
            return Err(self.syntax(
                self.pos,
                format!("expected a condition ({CONDITIONS}), found {found}"),
            ));
        };
        self.pos = at + word.len();
        match word.to_ascii_lowercase().as_str() {
            "not" => Ok(Condition::Not {
                inner: Box::new(self.unary()?),
            }),
            "csm" => Ok(Condition::Csm),
            "enterprise" => Ok(Condition::Enterprise),
            "adoption-benefit" => Ok(Condition::AdoptionBenefit),
            "service" => self.service(at),
            "seats" => self.seats(),
            "and" | "or" | "when" => Err(self.syntax(
                at,
                format!("expected a condition ({CONDITIONS}), found `{word}`"),
            )),
            _ => Err(self.syntax(
                at,
                format!("unknown condition `{word}`: expected {CONDITIONS}"),
            )),
        }
    }

    /// `service(` names `)`, the word `service` already read at `at`.
    fn service(&mut self, at: usize) -> Result<Condition, RuleError> {
        if !self.punct('(') {
            let found = self.found();
            return Err(self.syntax(
                self.pos,
                format!("expected `(` and service names after `service`, found {found}"),
            ));
        }
        let mut any_of: Vec<String> = Vec::new();
        loop {
            self.skip_space();
            let start = self.pos;
            let rest = &self.s[start..];
            let len = rest.find([',', ')', '(']).unwrap_or(rest.len());
            let name = rest[..len].trim_end();
            if name.is_empty() {
                let found = self.found();
                return Err(self.syntax(start, format!("expected a service name, found {found}")));
            }
            self.pos = start + len;
            match vocabulary::key_of(SERVICES, name) {
                Some(k) => {
                    if !any_of.iter().any(|a| a == k) {
                        any_of.push(k.to_string());
                    }
                }
                None => self.unknown_services.push(RuleError {
                    at: start,
                    code: "rule-unknown-service",
                    message: format!(
                        "unknown service `{name}`: use a service key such as `outlook-mobile` or a name from the service catalogue"
                    ),
                }),
            }
            if self.punct(',') {
                continue;
            }
            if self.punct(')') {
                return Ok(Condition::Service { any_of });
            }
            let found = self.found();
            return Err(self.syntax(
                self.pos,
                format!(
                    "expected `,` or `)` to close the `service(` at column {}, found {found}",
                    column(self.s, at)
                ),
            ));
        }
    }

    /// `seats` op integer, the word `seats` already read.
    fn seats(&mut self) -> Result<Condition, RuleError> {
        self.skip_space();
        let rest = &self.s[self.pos..];
        let (op, len) = if rest.starts_with("<=") {
            (Cmp::Le, 2)
        } else if rest.starts_with(">=") {
            (Cmp::Ge, 2)
        } else if rest.starts_with('<') {
            (Cmp::Lt, 1)
        } else if rest.starts_with('>') {
            (Cmp::Gt, 1)
        } else if rest.starts_with('=') {
            (Cmp::Eq, 1)
        } else {
            let found = self.found();
            return Err(self.syntax(
                self.pos,
                format!(
                    "expected a comparison (`<`, `<=`, `>`, `>=` or `=`) after `seats`, found {found}"
                ),
            ));
        };
        self.pos += len;
        match self.peek_word() {
            Some((at, w)) if w.bytes().all(|b| b.is_ascii_digit()) => {
                let value = w
                    .parse()
                    .map_err(|_| self.syntax(at, format!("seat count `{w}` is too large")))?;
                self.pos = at + w.len();
                Ok(Condition::Seats { op, value })
            }
            _ => {
                let found = self.found();
                Err(self.syntax(
                    self.pos,
                    format!("expected a whole number of seats, found {found}"),
                ))
            }
        }
    }
}

/// 1-based character column of byte `at` in `s`.
fn column(s: &str, at: usize) -> usize {
    s[..at.min(s.len())].chars().count() + 1
}

/// Parses the rules blocks of the source-language pages and resolves their targets.
pub(crate) fn resolve(
    parsed: &[Parsed<'_>],
    sources: &[Source<'_>],
    source_locale: &str,
    sink: &mut Sink,
) -> Vec<Rule> {
    let is_source = |p: &&Parsed<'_>| p.locale == source_locale && !p.stray;
    if !parsed
        .iter()
        .filter(is_source)
        .any(|p| !p.draft.rules.is_empty())
    {
        return Vec::new();
    }
    let known: HashSet<u32> = parsed
        .iter()
        .filter(is_source)
        .flat_map(|p| &p.draft.tasks)
        .filter_map(|t| t.id.parse().ok())
        .collect();
    let mut rules = Vec::new();
    for p in parsed.iter().filter(is_source) {
        let file = sources[p.src].path;
        for block in &p.draft.rules {
            let b = &block.block;
            if !b.closed {
                let at = b.raw.len() - b.raw.trim_start().len();
                sink.push(
                    Severity::Error,
                    "rule-syntax",
                    "this `ftop-rules` block is not closed; add a closing fence (```) after its last rule",
                    p.src,
                    file,
                    b.line,
                    b.raw,
                    at,
                );
                continue;
            }
            for &(line, raw) in &b.lines {
                let rule = match parse_rule(raw) {
                    Ok(Some(r)) => r,
                    Ok(None) => continue,
                    Err(errors) => {
                        for e in errors {
                            sink.push(
                                Severity::Error,
                                e.code,
                                e.message,
                                p.src,
                                file,
                                line,
                                raw,
                                e.at,
                            );
                        }
                        continue;
                    }
                };
                let mut tasks: Vec<u32> = if rule.ids.is_empty() {
                    let targets: Vec<u32> = p
                        .draft
                        .tasks
                        .iter()
                        .filter(|t| block.step.is_none() || block.step == Some(t.step))
                        .filter_map(|t| t.id.parse().ok())
                        .collect();
                    if targets.is_empty() {
                        let scope = match block.step.and_then(|s| p.draft.steps.get(s)) {
                            Some(s) => format!("its step `{}` has no tasks", s.title),
                            None => "its page has no tasks".to_string(),
                        };
                        sink.push(
                            Severity::Warning,
                            "rule-no-tasks",
                            format!(
                                "this rule names no task IDs and {scope}; it applies to nothing"
                            ),
                            p.src,
                            file,
                            line,
                            raw,
                            rule.at,
                        );
                        continue;
                    }
                    targets
                } else {
                    let mut ids = Vec::with_capacity(rule.ids.len());
                    for &(id, at) in &rule.ids {
                        if known.contains(&id) {
                            ids.push(id);
                        } else {
                            sink.push(
                                Severity::Error,
                                "rule-unknown-task",
                                format!(
                                    "task {id} is not a task of the playbook (in `{source_locale}`)"
                                ),
                                p.src,
                                file,
                                line,
                                raw,
                                at,
                            );
                        }
                    }
                    if ids.is_empty() {
                        continue;
                    }
                    ids
                };
                tasks.sort_unstable();
                tasks.dedup();
                rules.push(Rule {
                    action: rule.action,
                    tasks,
                    when: rule.when,
                    text: raw.trim().to_string(),
                    span: Span {
                        file: file.to_string(),
                        line,
                    },
                });
            }
        }
    }
    rules
}
