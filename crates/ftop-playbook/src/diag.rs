//! Diagnostics: what the compiler could not accept or had to guess, with a source position.

use serde::Serialize;
use std::fmt::Write as _;

/// How serious a diagnostic is. Errors make `ftop playbook check` fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something was recovered or looks wrong; the model is still usable.
    Warning,
    /// The input breaks a rule or a limit; part of it was not compiled.
    Error,
}

impl Severity {
    /// The word printed in rendered diagnostics.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One diagnostic: severity, stable code, message and where it applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable kebab-case code, e.g. `broken-link`.
    pub code: &'static str,
    /// Human-readable message.
    pub message: String,
    /// Index of the source in the slice given to [`crate::compile`].
    #[serde(skip)]
    pub source: usize,
    /// File path as given (relative to the root the caller passed).
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub col: u32,
    /// The offending line as written (without its line break).
    pub snippet: String,
}

impl Diagnostic {
    /// Renders the diagnostic as `file:line:col: severity[code]: message` followed by the
    /// offending line and a caret, as rustc prints them. `display_path` replaces `file`
    /// when the caller prefers the path the user typed.
    pub fn render(&self, display_path: Option<&str>) -> String {
        let mut out = String::with_capacity(self.message.len() + self.snippet.len() + 64);
        let file = display_path.unwrap_or(&self.file);
        let _ = writeln!(
            out,
            "{file}:{}:{}: {}[{}]: {}",
            self.line,
            self.col,
            self.severity.as_str(),
            self.code,
            self.message
        );
        if !self.snippet.is_empty() {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            let snippet: String = self
                .snippet
                .chars()
                .take(200)
                .map(|c| if c == '\t' { ' ' } else { c })
                .collect();
            let _ = writeln!(out, "{num} | {snippet}");
            let caret_at = (self.col.max(1) - 1) as usize;
            let _ = writeln!(out, "{pad} | {}^", " ".repeat(caret_at.min(200)));
        }
        out
    }
}

/// Collects diagnostics for one source while it is compiled.
#[derive(Debug, Default)]
pub(crate) struct Sink {
    pub(crate) items: Vec<Diagnostic>,
}

impl Sink {
    /// Records a diagnostic at `line` (1-based) and byte column `byte_col` (0-based) of `line_text`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
        source: usize,
        file: &str,
        line: u32,
        line_text: &str,
        byte_col: usize,
    ) {
        let byte_col = byte_col.min(line_text.len());
        let col = line_text
            .char_indices()
            .take_while(|(i, _)| *i < byte_col)
            .count() as u32
            + 1;
        self.items.push(Diagnostic {
            severity,
            code,
            message: message.into(),
            source,
            file: file.to_string(),
            line,
            col,
            snippet: line_text.trim_end().to_string(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_rustc_with_line_and_caret() {
        let mut sink = Sink::default();
        sink.push(
            Severity::Warning,
            "broken-link",
            "link target `x.md` does not exist",
            0,
            "en/a.md",
            12,
            "See [X](x.md) now",
            4,
        );
        let text = sink.items[0].render(None);
        assert_eq!(
            text,
            "en/a.md:12:5: warning[broken-link]: link target `x.md` does not exist\n12 | See [X](x.md) now\n   |     ^\n"
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let mut sink = Sink::default();
        sink.push(Severity::Error, "x", "m", 0, "f", 1, "阶段: **X**", 6);
        assert_eq!(sink.items[0].col, 3);
    }
}
