//! First pass over a page: front matter, then a flat list of blocks (headings, label lines,
//! tables, other lines), one line at a time. Tolerant by design: it never fails, it notes
//! what it had to repair in the diagnostics sink.

use crate::Limits;
use crate::diag::{Severity, Sink};
use crate::text::plain;
use crate::vocab::{LABELS, LabelKind, lookup_kind};

/// A table as written: header cells, separator and rows, cells not yet interpreted.
#[derive(Debug, Clone)]
pub(crate) struct RawTable<'a> {
    pub(crate) header: Vec<&'a str>,
    pub(crate) header_line: u32,
    pub(crate) rows: Vec<RawRow<'a>>,
}

/// One table row: its line, its text and its cells (trimmed, not yet cleaned).
#[derive(Debug, Clone)]
pub(crate) struct RawRow<'a> {
    pub(crate) line: u32,
    pub(crate) raw: &'a str,
    pub(crate) cells: Vec<&'a str>,
    /// A leading `||` was dropped.
    pub(crate) leading_double_pipe: bool,
}

/// A block of a page.
#[derive(Debug, Clone)]
pub(crate) enum Block<'a> {
    Heading {
        level: u8,
        text: String,
        line: u32,
    },
    Label {
        kind: LabelKind,
        value: String,
        line: u32,
        raw: &'a str,
    },
    Table(RawTable<'a>),
    Text {
        line: u32,
        raw: &'a str,
    },
    /// A fenced block with the info string `ftop-rules`. Its lines are not text of the page.
    Rules(RulesBlock<'a>),
}

/// An `ftop-rules` fenced block as written.
#[derive(Debug, Clone)]
pub(crate) struct RulesBlock<'a> {
    /// Line of the opening fence.
    pub(crate) line: u32,
    /// The opening fence as written.
    pub(crate) raw: &'a str,
    /// The lines between the fences, with their line numbers.
    pub(crate) lines: Vec<(u32, &'a str)>,
    /// False when no closing fence follows; the lines after the opening fence are then read
    /// as the page's own text, and `lines` is empty.
    pub(crate) closed: bool,
}

/// The result of scanning one page.
#[derive(Debug, Default)]
pub(crate) struct Scanned<'a> {
    pub(crate) metadata: Vec<(String, String)>,
    pub(crate) blocks: Vec<Block<'a>>,
    /// Text used to detect the language (prose lines, capped).
    pub(crate) sample: String,
    /// Lines that hold links (line number, text), for link checks.
    pub(crate) link_lines: Vec<(u32, &'a str)>,
}

/// Scans a page. `src` is the index of the source (for diagnostics), `file` its path.
pub(crate) fn scan<'a>(
    text: &'a str,
    src: usize,
    file: &str,
    limits: &Limits,
    sink: &mut Sink,
) -> Scanned<'a> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&'a str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut out = Scanned::default();
    let mut i = front_matter(&lines, &mut out.metadata, src, file, sink);
    let mut in_fence: Option<&str> = None;
    let mut in_conflict_theirs = false;
    let mut label_position = false;
    let mut depth_reported = false;
    // Per fence character (backtick, tilde): the shortest fence known to have no closing
    // line after the current one, so that many unclosed rules fences stay linear.
    let mut unclosed_from = [usize::MAX; 2];
    while i < lines.len() {
        let raw = lines[i];
        let no = (i + 1) as u32;
        let t = raw.trim_start_matches([' ', '\t']);
        i += 1;

        if let Some(fence) = in_fence {
            if t.starts_with(fence) {
                in_fence = None;
            }
            out.blocks.push(Block::Text { line: no, raw });
            continue;
        }
        if let Some(marker) = conflict_marker(t) {
            if marker == Marker::Ours {
                conflict_warning(sink, src, file, no, raw);
            }
            in_conflict_theirs = marker == Marker::Theirs;
            continue;
        }
        if in_conflict_theirs {
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            if let Some(block) = rules_block(&lines, i - 1, t, &mut unclosed_from) {
                if block.closed {
                    i += block.lines.len() + 1;
                }
                out.blocks.push(Block::Rules(block));
                continue;
            }
            in_fence = Some(&t[..3]);
            out.blocks.push(Block::Text { line: no, raw });
            continue;
        }
        if t.contains("](") {
            out.link_lines.push((no, raw));
        }
        let depth = nesting(raw);
        if depth > limits.max_depth && !depth_reported {
            depth_reported = true;
            sink.push(
                Severity::Error,
                "limit-nesting",
                format!(
                    "nesting depth {depth} exceeds the limit of {}; the line is read as plain text",
                    limits.max_depth
                ),
                src,
                file,
                no,
                raw,
                0,
            );
        }
        if t.is_empty() {
            out.blocks.push(Block::Text { line: no, raw });
            continue;
        }
        if let Some((level, htext)) = heading(t) {
            out.blocks.push(Block::Heading {
                level,
                text: htext,
                line: no,
            });
            label_position = true;
            continue;
        }
        if let Some(table) = table_at(&lines, i - 1, src, file, sink) {
            let (tbl, next) = table;
            i = next;
            out.blocks.push(Block::Table(tbl));
            label_position = false;
            continue;
        }
        if let Some(labels) = label_line(t, label_position, &lines, &mut i) {
            for (kind, value) in labels {
                out.blocks.push(Block::Label {
                    kind,
                    value,
                    line: no,
                    raw,
                });
            }
            continue;
        }
        label_position = false;
        if out.sample.len() < 480 && !t.starts_with('|') {
            out.sample.push_str(t);
            out.sample.push('\n');
        }
        out.blocks.push(Block::Text { line: no, raw });
    }
    out
}

/// An `ftop-rules` fence opening at `lines[at]` (`t` is the line without its indentation):
/// the block up to its closing fence (a line of at least as many of the same character and
/// nothing else), or an unclosed block.
fn rules_block<'a>(
    lines: &[&'a str],
    at: usize,
    t: &str,
    unclosed_from: &mut [usize; 2],
) -> Option<RulesBlock<'a>> {
    let fence = t.as_bytes()[0];
    let n = t.bytes().take_while(|&b| b == fence).count();
    let info = t[n..].split_whitespace().next()?;
    if !info.eq_ignore_ascii_case("ftop-rules") || (fence == b'`' && t[n..].contains('`')) {
        return None;
    }
    let mut block = RulesBlock {
        line: (at + 1) as u32,
        raw: lines[at],
        lines: Vec::new(),
        closed: false,
    };
    let slot = usize::from(fence == b'~');
    if n >= unclosed_from[slot] {
        return Some(block);
    }
    let closes = |l: &str| {
        let l = l.trim();
        l.len() >= n && l.bytes().all(|b| b == fence)
    };
    match lines[at + 1..].iter().position(|l| closes(l)) {
        Some(len) => {
            block.closed = true;
            block.lines = (at + 1..at + 1 + len)
                .map(|j| ((j + 1) as u32, lines[j]))
                .collect();
        }
        None => unclosed_from[slot] = n,
    }
    Some(block)
}

/// A merge-conflict marker line: `<<<<<<<` opens the kept side, a line of only `=` (seven or
/// more) opens the ignored side, `>>>>>>>` ends the block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Ours,
    Theirs,
    End,
}

/// The conflict marker `t` (a line without its indentation) is, if any.
fn conflict_marker(t: &str) -> Option<Marker> {
    if t.starts_with("<<<<<<<") {
        Some(Marker::Ours)
    } else if t.starts_with(">>>>>>>") {
        Some(Marker::End)
    } else if t.starts_with("=======") && t.trim_end().bytes().all(|b| b == b'=') {
        Some(Marker::Theirs)
    } else {
        None
    }
}

/// The one warning of a conflict block, on its `<<<<<<<` line.
fn conflict_warning(sink: &mut Sink, src: usize, file: &str, no: u32, raw: &str) {
    let t = raw.trim_start_matches([' ', '\t']);
    sink.push(
        Severity::Warning,
        "merge-conflict",
        "unresolved merge conflict: the first side is kept and the second is ignored",
        src,
        file,
        no,
        raw,
        raw.len() - t.len(),
    );
}

/// Block-quote markers plus indentation in steps of four columns.
fn nesting(raw: &str) -> usize {
    let mut quotes = 0;
    let mut cols = 0;
    for b in raw.bytes() {
        match b {
            b'>' => quotes += 1,
            b' ' => cols += 1,
            b'\t' => cols += 4,
            _ => break,
        }
    }
    quotes + cols / 4
}

/// Parses the front matter, if the page starts with one; returns the first body line index.
fn front_matter(
    lines: &[&str],
    meta: &mut Vec<(String, String)>,
    src: usize,
    file: &str,
    sink: &mut Sink,
) -> usize {
    let first = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
    if lines.get(first).map(|l| l.trim()) != Some("---") {
        return 0;
    }
    let Some(close) = lines
        .iter()
        .enumerate()
        .skip(first + 1)
        .take(200)
        .find(|(_, l)| matches!(l.trim(), "---" | "..."))
        .map(|(i, _)| i)
    else {
        sink.push(
            Severity::Warning,
            "front-matter",
            "front matter is not closed by `---` within 200 lines; it is read as text",
            src,
            file,
            (first + 1) as u32,
            lines[first],
            0,
        );
        return 0;
    };
    for (idx, line) in lines.iter().enumerate().take(close).skip(first + 1) {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if let Some(item) = t.strip_prefix("- ")
            && let Some((_, v)) = meta.last_mut()
        {
            if !v.is_empty() {
                v.push_str(", ");
            }
            v.push_str(unquote(item.trim()));
            continue;
        }
        match t.split_once(':') {
            Some((k, v)) if !k.trim().is_empty() && !k.contains(' ') => {
                let key = k.trim().to_string();
                if meta.iter().any(|(mk, _)| *mk == key) {
                    sink.push(
                        Severity::Warning,
                        "front-matter",
                        format!("front-matter key `{key}` appears twice; the first value is kept"),
                        src,
                        file,
                        (idx + 1) as u32,
                        line,
                        0,
                    );
                    continue;
                }
                meta.push((key, unquote(v.trim()).to_string()));
            }
            _ => sink.push(
                Severity::Warning,
                "front-matter",
                "front-matter line is not `key: value`; it is ignored",
                src,
                file,
                (idx + 1) as u32,
                line,
                line.len() - line.trim_start().len(),
            ),
        }
    }
    close + 1
}

fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|s| s.strip_suffix(q)) {
            return inner;
        }
    }
    v
}

/// An ATX heading: `#`..`######` then a space (or nothing). Returns its level and plain text.
fn heading(t: &str) -> Option<(u8, String)> {
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let rest = &t[hashes..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let rest = rest.trim().trim_end_matches('#').trim_end();
    let text = plain(rest);
    if text.is_empty() {
        return None;
    }
    Some((hashes as u8, text))
}

/// Splits a table row into trimmed cells, honouring `\|`.
pub(crate) fn split_row(t: &str) -> (Vec<&str>, bool) {
    let t = t.trim();
    let double = t.starts_with("||");
    let inner = t.strip_prefix('|').unwrap_or(t);
    let inner = if double { &inner[1..] } else { inner };
    let inner = inner
        .strip_suffix('|')
        .filter(|s| !s.ends_with('\\'))
        .unwrap_or(inner);
    let mut cells = Vec::with_capacity(6);
    let bytes = inner.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'|' && (i == 0 || bytes[i - 1] != b'\\') {
            cells.push(inner[start..i].trim());
            start = i + 1;
        }
    }
    cells.push(inner[start..].trim());
    (cells, double)
}

/// A separator row: `| --- | :-: |`, `|-|-|`, `---|---`.
fn is_separator(t: &str) -> bool {
    let t = t.trim();
    !t.is_empty()
        && t.contains('-')
        && (t.contains('|') || t.starts_with('-'))
        && t.bytes()
            .all(|b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t'))
}

fn looks_like_row(t: &str) -> bool {
    let t = t.trim();
    t.starts_with('|') || t.matches('|').count() >= 2
}

/// A table starting at `lines[i]`: a header row, at most one blank line, a separator, rows.
/// Returns the table and the index of the first line after it.
///
/// A merge-conflict block that opens among the rows (after the separator) does not end the
/// table: its first side's rows are kept, its second side is skipped, and the rows after its
/// end marker continue the table. The block's warning is given here.
fn table_at<'a>(
    lines: &[&'a str],
    i: usize,
    src: usize,
    file: &str,
    sink: &mut Sink,
) -> Option<(RawTable<'a>, usize)> {
    let header = lines[i];
    if !looks_like_row(header) || is_separator(header) {
        return None;
    }
    let mut j = i + 1;
    if lines.get(j).is_some_and(|l| l.trim().is_empty())
        && lines.get(j + 1).is_some_and(|l| is_separator(l))
    {
        j += 1;
    }
    let sep = lines.get(j).filter(|l| is_separator(l))?;
    let _ = sep;
    let (header_cells, _) = split_row(header);
    let mut rows = Vec::new();
    j += 1;
    // Inside a conflict block opened among this table's rows.
    let mut in_conflict = false;
    while let Some(line) = lines.get(j) {
        let t = line.trim();
        match conflict_marker(line.trim_start_matches([' ', '\t'])) {
            Some(Marker::Ours) => {
                conflict_warning(sink, src, file, (j + 1) as u32, line);
                in_conflict = true;
                j += 1;
                continue;
            }
            Some(Marker::Theirs) if in_conflict => {
                // Skip the second side up to its end marker (or to the end of the page, as
                // an unterminated second side is ignored everywhere else).
                j += 1;
                while lines.get(j).is_some_and(|l| {
                    conflict_marker(l.trim_start_matches([' ', '\t'])) != Some(Marker::End)
                }) {
                    j += 1;
                }
                j += 1;
                in_conflict = false;
                continue;
            }
            Some(Marker::End) if in_conflict => {
                in_conflict = false;
                j += 1;
                continue;
            }
            _ => {}
        }
        if t.is_empty() || !t.contains('|') || heading(t.trim_start()).is_some() {
            break;
        }
        let (cells, double) = split_row(t);
        rows.push(RawRow {
            line: (j + 1) as u32,
            raw: line,
            cells,
            leading_double_pipe: double,
        });
        j += 1;
    }
    Some((
        RawTable {
            header: header_cells,
            header_line: (i + 1) as u32,
            rows,
        },
        j,
    ))
}

/// Recognises a label line. In label position (right under a heading) any short bold-valued
/// `Name: **Value**` counts; elsewhere only a known label word does. A bold value left open
/// continues on the next lines. One bold line may hold two labels.
fn label_line(
    t: &str,
    label_position: bool,
    lines: &[&str],
    next: &mut usize,
) -> Option<Vec<(LabelKind, String)>> {
    // `**Name:** Value` / `**Name: Value**` / `Name: **Value**` / `Name: Value`
    let (name_raw, rest) = split_label(t)?;
    let name = name_raw.trim().trim_matches('*').trim();
    let chars = name.chars().count();
    if name.is_empty() || chars > 40 || name.contains(['|', '[', '(', '`']) {
        return None;
    }
    let words = name.split_whitespace().count();
    let cjk = name.chars().any(|c| (c as u32) >= 0x2E80);
    if words > 4 || (cjk && chars > 8) {
        return None;
    }
    let known = lookup_kind(LABELS, name);
    let mut value = rest.trim().to_string();
    // An unknown word counts only in label position, with a short bold value.
    let bold_value = value.starts_with("**") && value.chars().count() <= 120;
    if known.is_none() && !(label_position && bold_value) {
        return None;
    }
    // A bold value wrapped over the next lines.
    let mut guard = 0;
    while value.starts_with("**") && value.matches("**").count() % 2 == 1 && guard < 3 {
        let Some(l) = lines.get(*next) else { break };
        if l.trim().is_empty() {
            break;
        }
        value.push(' ');
        value.push_str(l.trim());
        *next += 1;
        guard += 1;
    }
    let value = value.trim_end_matches(['\\', ' ']).to_string();
    // `**Rol principal: A Aplica a: B**`: a second known label inside the value.
    let mut out = Vec::with_capacity(1);
    let cleaned = plain(&value);
    if let Some((pos, second, len)) = find_known_label(&cleaned) {
        let first_value = cleaned[..pos].trim().to_string();
        let second_value = cleaned[pos + len..].trim().to_string();
        out.push((known.unwrap_or(LabelKind::Unknown), first_value));
        out.push((second, second_value));
    } else {
        out.push((known.unwrap_or(LabelKind::Unknown), value));
    }
    Some(out)
}

fn split_label(t: &str) -> Option<(&str, &str)> {
    let pos = t.find([':', '：'])?;
    let colon_len = if t[pos..].starts_with('：') {
        '：'.len_utf8()
    } else {
        1
    };
    let (name, rest) = (&t[..pos], &t[pos + colon_len..]);
    if rest.starts_with("//") {
        return None; // a URL
    }
    // `**Name:** Value`: the closing stars follow the colon.
    let rest = if name.starts_with("**") && !name[2..].contains("**") {
        // `**Name:** Value` or `**Name: Value**`.
        let r = rest.strip_prefix("**").unwrap_or(rest);
        r.trim_end().strip_suffix("**").unwrap_or(r)
    } else {
        rest
    };
    Some((name, rest))
}

/// A known label word followed by a colon inside `v` (not at its start): byte position,
/// kind and length of `name:`.
fn find_known_label(v: &str) -> Option<(usize, LabelKind, usize)> {
    if !v.contains([':', '：']) {
        return None;
    }
    let lower = v.to_lowercase();
    if lower.len() != v.len() {
        return None; // case mapping changed byte offsets; do not guess
    }
    for (pos, c) in lower
        .char_indices()
        .filter(|(_, c)| *c == ':' || *c == '：')
    {
        let head = &lower[..pos];
        for (kind, names) in LABELS {
            for n in names.iter() {
                if head.ends_with(n) && head.len() > n.len() {
                    let start = pos - n.len();
                    if head[..start].ends_with(' ') {
                        return Some((start, *kind, n.len() + c.len_utf8()));
                    }
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(text: &str) -> (Vec<String>, Vec<(String, String)>) {
        let mut sink = Sink::default();
        let s = scan(text, 0, "t.md", &Limits::default(), &mut sink);
        let b = s
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level, text, .. } => Some(format!("h{level}:{text}")),
                Block::Label { kind, value, .. } => Some(format!("{kind:?}={}", plain(value))),
                Block::Table(t) => Some(format!("table:{}x{}", t.header.len(), t.rows.len())),
                Block::Text { .. } => None,
                Block::Rules(r) => Some(format!("rules:{}:{}", r.lines.len(), r.closed)),
            })
            .collect();
        (b, s.metadata)
    }

    #[test]
    fn front_matter_with_bom_comment_and_trailing_spaces() {
        let (b, m) = blocks(
            "\u{feff}---  \n# required metadata\ntitle: A\nms.date: 5/2/19  \n---  \n\n# Title\n",
        );
        assert_eq!(
            m,
            vec![
                ("title".into(), "A".into()),
                ("ms.date".into(), "5/2/19".into())
            ]
        );
        assert_eq!(b, vec!["h1:Title"]);
    }

    #[test]
    fn labels_in_many_shapes() {
        let (b, _) = blocks(
            "# T\n\nPhase: **Assess**\n\n### Step\n\nPrimary Role: **FastTrack Manager**  \nMotions: ****\nApplies To: **Exchange /\nSharePoint**\n**Fase:** Evaluar\n阶段：**评估**\n",
        );
        assert_eq!(
            b,
            vec![
                "h1:T",
                "Phase=Assess",
                "h3:Step",
                "PrimaryRole=FastTrack Manager",
                "Motions=",
                "AppliesTo=Exchange / SharePoint",
                "Phase=Evaluar",
                "Phase=评估"
            ]
        );
    }

    #[test]
    fn two_labels_in_one_bold_line() {
        let (b, _) = blocks(
            "### S\n\n**Rol principal: Ingeniero de FastTrack Aplica a: Office 365 ProPlus**\n",
        );
        assert_eq!(
            b,
            vec![
                "h3:S",
                "PrimaryRole=Ingeniero de FastTrack",
                "AppliesTo=Office 365 ProPlus"
            ]
        );
    }

    #[test]
    fn prose_with_colons_is_not_a_label() {
        let (b, _) =
            blocks("### S\n\nSome text here.\n\nNote: **important** thing to remember here\n");
        assert_eq!(b, vec!["h3:S"]);
    }

    #[test]
    fn tables_with_blank_line_before_separator_and_single_dashes() {
        let (b, _) = blocks(
            "| a | b |\n\n| - | - |\n| 1 | 2 |\n| 3 | 4\n\ntext\n| x | y | z |\n|-|-|\n| 1 | 2 | 3 |\n",
        );
        assert_eq!(b, vec!["table:2x2", "table:3x1"]);
    }

    #[test]
    fn merge_conflicts_keep_the_first_side() {
        let mut sink = Sink::default();
        let s = scan(
            "<<<<<<< HEAD\n# Ours\n=======\n# Theirs\n>>>>>>> branch\n",
            0,
            "t.md",
            &Limits::default(),
            &mut sink,
        );
        let heads: Vec<_> = s
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Heading { .. }))
            .collect();
        assert_eq!(heads.len(), 1);
        assert_eq!(sink.items[0].code, "merge-conflict");
    }

    #[test]
    fn headings_indented_bold_zwsp_and_fenced_code() {
        let (b, _) = blocks(
            "    ## Refresh Summary\n# **Bold**\n# \u{200b}\u{200b}Blocked\n```\n# not a heading\n```\n#hashtag\n",
        );
        assert_eq!(b, vec!["h2:Refresh Summary", "h1:Bold", "h1:Blocked"]);
    }

    #[test]
    fn rules_fences_are_blocks_of_their_own() {
        let (b, _) = blocks(
            "# T\n```ftop-rules\nonly when csm\n\n```\n``` ftop-rules extra\n````\n# H\n~~~~FTOP-RULES\n~~~\n~~~~~\n```ftop-rulesx\n```\n",
        );
        assert_eq!(
            b,
            vec![
                "h1:T",
                "rules:2:true",
                "rules:0:true",
                "h1:H",
                "rules:1:true"
            ]
        );
        // Unclosed: the block is empty and the lines after it are read as usual.
        let (b, _) = blocks("```ftop-rules\n# H\n```ftop-rules\n```ftop-rules\n");
        assert_eq!(
            b,
            vec!["rules:0:false", "h1:H", "rules:0:false", "rules:0:false"]
        );
        // A longer fence is not closed by a shorter one, nor a backtick fence by tildes.
        let (b, _) = blocks("````ftop-rules\n```\n~~~~\n````\n");
        assert_eq!(b, vec!["rules:2:true"]);
    }

    #[test]
    fn rows_split_on_unescaped_pipes() {
        assert_eq!(
            split_row("| a | b \\| c | d |").0,
            vec!["a", "b \\| c", "d"]
        );
        let (cells, double) = split_row("|| 3999 | x |");
        assert!(double);
        assert_eq!(cells, vec!["3999", "x"]);
    }
}
