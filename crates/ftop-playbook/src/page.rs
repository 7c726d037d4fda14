//! Reads one scanned page into a draft: title, page labels, sections, steps, task rows,
//! change history and next-step links, all still in the page's own words. Keys that need
//! the other pages (locale, alignment) are settled later, in `compile`.

use crate::dates::parse_date;
use crate::diag::{Severity, Sink};
use crate::model::Change;
use crate::scan::{Block, RawTable, RulesBlock, Scanned};
use crate::table::{TableKind, cell_text, classify, id_of, read_flag, split_services, task_rows};
use crate::text::{links, plain};
use crate::vocab::{
    LabelKind, MOTIONS, PHASES, ROLES, SECTIONS, SERVICES, SectionKind, lookup, lookup_kind,
    vocab_key,
};

/// A label value split into its items.
#[derive(Debug, Clone, Default)]
pub(crate) struct Labels {
    pub(crate) roles: Vec<String>,
    pub(crate) motions: Vec<String>,
    pub(crate) applies_to: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct StepDraft {
    pub(crate) title: String,
    pub(crate) line: u32,
    pub(crate) labels: Labels,
    pub(crate) has_labels: bool,
    pub(crate) body: String,
    pub(crate) tasks: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct TaskDraft<'a> {
    pub(crate) id: String,
    pub(crate) id_link: Option<String>,
    pub(crate) name: String,
    pub(crate) mandatory: bool,
    pub(crate) mandatory_raw: String,
    pub(crate) role: String,
    /// The role's key when the vocabulary knows it.
    pub(crate) role_key: Option<&'static str>,
    pub(crate) services: Vec<String>,
    /// Each service's key when the vocabulary knows it.
    pub(crate) service_keys: Vec<Option<&'static str>>,
    pub(crate) step: usize,
    pub(crate) line: u32,
    pub(crate) raw: &'a str,
}

#[derive(Debug, Clone)]
pub(crate) struct NextDraft {
    pub(crate) title: String,
    pub(crate) target: String,
    pub(crate) condition: Option<String>,
    pub(crate) text: String,
    pub(crate) line: u32,
    section: usize,
}

/// An `ftop-rules` block and what it targets when its rules name no task IDs.
#[derive(Debug, Clone)]
pub(crate) struct RulesDraft<'a> {
    pub(crate) block: RulesBlock<'a>,
    /// The step the block sits under; `None` for the whole page.
    pub(crate) step: Option<usize>,
    /// The section the block sits in when it is not under a step (index into the sections),
    /// so that it follows the section if the section turns out to be a step.
    section: Option<usize>,
}

#[derive(Debug, Clone)]
struct Section {
    kind: SectionKind,
    text: String,
    items: Vec<String>,
    has_steps: bool,
    has_history: bool,
    link_items: usize,
    nonlink_items: usize,
}

/// Everything one page says, before cross-page resolution.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageDraft<'a> {
    pub(crate) title: String,
    pub(crate) title_line: u32,
    pub(crate) phase: Option<String>,
    pub(crate) phase_line: Option<(u32, String)>,
    pub(crate) motions: Vec<String>,
    pub(crate) overview: String,
    pub(crate) objectives: Vec<String>,
    pub(crate) key_inputs: Vec<String>,
    pub(crate) key_outputs: Vec<String>,
    pub(crate) steps: Vec<StepDraft>,
    pub(crate) tasks: Vec<TaskDraft<'a>>,
    pub(crate) history: Vec<Change>,
    pub(crate) next: Vec<NextDraft>,
    pub(crate) rules: Vec<RulesDraft<'a>>,
}

/// Splits a label value into items: several bold runs, or text split on `/`, `,`, ` and `.
fn label_items(value: &str, split_and: bool) -> Vec<String> {
    let v = value.trim();
    let bold_runs: Vec<&str> = v
        .split("**")
        .skip(1)
        .step_by(2)
        .filter(|s| !s.trim().is_empty())
        .collect();
    let text = if bold_runs.len() > 1 {
        bold_runs.join(" / ")
    } else {
        plain(v)
    };
    let mut out = Vec::new();
    for part in text.split(['/', ',', '、', '，', ';', '|']) {
        let mut pieces = vec![part];
        if split_and {
            pieces = part.split(" and ").flat_map(|p| p.split(" or ")).collect();
        }
        for p in pieces {
            let p = p.trim().trim_matches(['*', '\\', ' ']).trim();
            if !p.is_empty() && p != "-" && !out.iter().any(|o: &String| o == p) {
                out.push(p.to_string());
            }
        }
    }
    out
}

/// Decides which label an unrecognised label is, from its value.
fn guess_label(value: &str, page_level: bool, seen: &[LabelKind]) -> LabelKind {
    let items = label_items(value, true);
    let all_in = |t: &'static [(&'static str, &'static [&'static str])]| {
        !items.is_empty() && items.iter().all(|i| lookup(t, i).is_some())
    };
    if page_level {
        if all_in(PHASES) {
            return LabelKind::Phase;
        }
        if all_in(MOTIONS) {
            return LabelKind::Motions;
        }
        return if seen.contains(&LabelKind::Phase) {
            LabelKind::Motions
        } else {
            LabelKind::Phase
        };
    }
    if all_in(MOTIONS) {
        return LabelKind::Motions;
    }
    if all_in(SERVICES) {
        return LabelKind::AppliesTo;
    }
    if all_in(ROLES) {
        return LabelKind::PrimaryRole;
    }
    // Motions name RFA in every language seen; without it, the label is a role or services.
    if items.iter().any(|i| i.eq_ignore_ascii_case("rfa")) {
        return LabelKind::Motions;
    }
    [LabelKind::PrimaryRole, LabelKind::AppliesTo]
        .into_iter()
        .find(|k| !seen.contains(k))
        .unwrap_or(LabelKind::Unknown)
}

fn is_list_item(t: &str) -> Option<&str> {
    let t = t.trim_start();
    if let Some(rest) = t
        .strip_prefix("- ")
        .or_else(|| t.strip_prefix("* "))
        .or_else(|| t.strip_prefix("+ "))
    {
        return Some(rest);
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && t[digits..].starts_with(". ") {
        return Some(&t[digits + 2..]);
    }
    None
}

/// Starts a step and marks the current section as holding steps; returns its index.
fn open_step(
    page: &mut PageDraft<'_>,
    sections: &mut [Section],
    title: String,
    line: u32,
) -> usize {
    page.steps.push(StepDraft {
        title,
        line,
        labels: Labels::default(),
        has_labels: false,
        body: String::new(),
        tasks: 0,
    });
    if let Some(s) = sections.last_mut() {
        s.has_steps = true;
    }
    page.steps.len() - 1
}

/// Labels or a task table under a section heading with no step: the section is the step
/// (named after the section, else the page).
fn section_step(
    page: &mut PageDraft<'_>,
    sections: &mut [Section],
    heading: &Option<(String, u32)>,
    line: u32,
) -> usize {
    let (title, l) = heading
        .clone()
        .unwrap_or_else(|| (page.title.clone(), line));
    let step = open_step(page, sections, title, l);
    // Rules blocks already read in this section sit under the section's heading: the step's.
    if heading.is_some() {
        let section = sections.len().checked_sub(1);
        for r in page
            .rules
            .iter_mut()
            .filter(|r| r.step.is_none() && r.section.is_some() && r.section == section)
        {
            r.step = Some(step);
        }
    }
    step
}

/// Builds the draft of one page from its blocks.
pub(crate) fn draft<'a>(
    scanned: &Scanned<'a>,
    src: usize,
    file: &str,
    sink: &mut Sink,
) -> PageDraft<'a> {
    let blocks = &scanned.blocks;
    let mut page = PageDraft::default();
    let mut sections: Vec<Section> = Vec::new();
    let mut current_step: Option<usize> = None;
    let mut section_heading: Option<(String, u32)> = None;
    let mut before_first_section = true;
    let mut page_labels_seen: Vec<LabelKind> = Vec::new();
    let mut step_labels_seen: Vec<LabelKind> = Vec::new();
    let mut in_labels_of_step = false;

    for (bi, block) in blocks.iter().enumerate() {
        match block {
            Block::Heading {
                level, text, line, ..
            } => {
                let kind = lookup_kind(SECTIONS, text);
                let next_is_table = blocks[bi + 1..]
                    .iter()
                    .find(|b| match b {
                        Block::Text { raw, .. } => !raw.trim().is_empty(),
                        Block::Rules(_) => false,
                        _ => true,
                    })
                    .is_some_and(|b| matches!(b, Block::Table(_)));
                if *level == 1 && page.title.is_empty() {
                    page.title = text.clone();
                    page.title_line = *line;
                    continue;
                }
                if *level <= 2 || kind.is_some() {
                    before_first_section = false;
                    current_step = None;
                    section_heading = Some((text.clone(), *line));
                    sections.push(Section {
                        kind: kind.unwrap_or(SectionKind::Other),
                        text: String::new(),
                        items: Vec::new(),
                        has_steps: false,
                        has_history: false,
                        link_items: 0,
                        nonlink_items: 0,
                    });
                    in_labels_of_step = false;
                    continue;
                }
                if next_is_table && current_step.is_some() {
                    continue; // a caption such as "#### FTOP Tasks"
                }
                current_step = Some(open_step(&mut page, &mut sections, text.clone(), *line));
                step_labels_seen.clear();
                in_labels_of_step = true;
            }
            Block::Label {
                kind,
                value,
                line,
                raw,
                ..
            } => {
                if before_first_section {
                    let k = if *kind == LabelKind::Unknown {
                        guess_label(value, true, &page_labels_seen)
                    } else {
                        *kind
                    };
                    page_labels_seen.push(k);
                    match k {
                        LabelKind::Phase => {
                            let v = plain(value);
                            if !v.is_empty() {
                                page.phase = Some(v.clone());
                                page.phase_line = Some((*line, raw.to_string()));
                            }
                        }
                        LabelKind::Motions => page.motions.extend(label_items(value, false)),
                        _ => {}
                    }
                    continue;
                }
                // Labels under a section heading with no step: the section is the step.
                let step_idx = match current_step {
                    Some(i) => i,
                    None => {
                        let i = section_step(&mut page, &mut sections, &section_heading, *line);
                        current_step = Some(i);
                        step_labels_seen.clear();
                        i
                    }
                };
                if !in_labels_of_step {
                    step_labels_seen.clear(); // a second metadata block
                    in_labels_of_step = true;
                }
                let k = if *kind == LabelKind::Unknown {
                    guess_label(value, false, &step_labels_seen)
                } else {
                    *kind
                };
                step_labels_seen.push(k);
                let step = &mut page.steps[step_idx];
                step.has_labels = true;
                let add = |dst: &mut Vec<String>, items: Vec<String>| {
                    for i in items {
                        if !dst.contains(&i) {
                            dst.push(i);
                        }
                    }
                };
                match k {
                    LabelKind::PrimaryRole => add(&mut step.labels.roles, label_items(value, true)),
                    LabelKind::Motions => add(&mut step.labels.motions, label_items(value, false)),
                    LabelKind::AppliesTo => {
                        add(&mut step.labels.applies_to, label_items(value, false))
                    }
                    LabelKind::Phase if page.phase.is_none() => page.phase = Some(plain(value)),
                    _ => {}
                }
            }
            Block::Table(t) => {
                in_labels_of_step = false;
                match classify(t) {
                    TableKind::Tasks(cols) => {
                        let step_idx = *current_step.get_or_insert_with(|| {
                            section_step(&mut page, &mut sections, &section_heading, t.header_line)
                        });
                        task_table(t, &cols, step_idx, &mut page, src, file, sink);
                    }
                    TableKind::History(cols) => {
                        if let Some(s) = sections.last_mut() {
                            s.has_history = true;
                        }
                        for r in &t.rows {
                            let get = |c: Option<usize>| {
                                c.and_then(|c| r.cells.get(c))
                                    .map(|s| cell_text(s))
                                    .unwrap_or_default()
                            };
                            let date_raw = get(Some(cols.date));
                            if date_raw.is_empty() && get(cols.change).is_empty() {
                                continue;
                            }
                            page.history.push(Change {
                                date: parse_date(&date_raw),
                                date_raw,
                                author: get(cols.author),
                                change: get(cols.change),
                                line: r.line,
                            });
                        }
                    }
                    TableKind::TasksWithoutId => sink.push(
                        Severity::Warning,
                        "table-without-id",
                        "this task table has no Task ID column; its rows are not tasks",
                        src,
                        file,
                        t.header_line,
                        t.header.join(" | ").as_str(),
                        0,
                    ),
                    TableKind::Other => {}
                }
            }
            Block::Rules(block) => page.rules.push(RulesDraft {
                block: block.clone(),
                step: current_step,
                section: if current_step.is_some() || before_first_section {
                    None
                } else {
                    sections.len().checked_sub(1)
                },
            }),
            Block::Text { raw, line } => {
                if let Some(i) = current_step {
                    let step = &mut page.steps[i];
                    if !(step.body.is_empty() && raw.trim().is_empty()) {
                        step.body.push_str(raw);
                        step.body.push('\n');
                    }
                    if !raw.trim().is_empty() {
                        in_labels_of_step = false;
                    }
                    continue;
                }
                let section_idx = sections.len().wrapping_sub(1);
                let Some(section) = sections.last_mut() else {
                    continue;
                };
                section.text.push_str(raw);
                section.text.push('\n');
                let t = raw.trim();
                if let Some(item) = is_list_item(raw) {
                    let depth = raw.len() - raw.trim_start().len();
                    if depth <= 3 || section.items.is_empty() {
                        section.items.push(item.trim().to_string());
                    } else if let Some(last) = section.items.last_mut() {
                        last.push('\n');
                        last.push_str(raw);
                    }
                }
                let lk: Vec<_> = links(t)
                    .into_iter()
                    .filter(|l| {
                        !l.image && !l.target.contains("://") && !l.target.starts_with("mailto:")
                    })
                    .collect();
                if !t.is_empty() {
                    if lk.is_empty() {
                        section.nonlink_items += 1
                    } else {
                        section.link_items += 1
                    }
                }
                if (section.kind == SectionKind::NextSteps || section.kind == SectionKind::Other)
                    && let Some(l) = lk.first()
                {
                    let text = plain(is_list_item(t).unwrap_or(t));
                    let title = plain(l.label);
                    page.next.push(NextDraft {
                        condition: condition(&text, &title),
                        title,
                        target: l.target.to_string(),
                        text,
                        line: *line,
                        section: section_idx,
                    });
                }
            }
        }
    }
    infer_sections(&mut sections);
    for s in &sections {
        match s.kind {
            SectionKind::Overview if page.overview.is_empty() => {
                page.overview = s.text.trim().to_string()
            }
            SectionKind::Objectives => page.objectives.extend(s.items.iter().cloned()),
            SectionKind::KeyInputs => page.key_inputs.extend(s.items.iter().cloned()),
            SectionKind::KeyOutputs => page.key_outputs.extend(s.items.iter().cloned()),
            _ => {}
        }
    }
    // Next-step links count only in the Next Steps section (named or inferred).
    page.next.retain(|n| {
        sections
            .get(n.section)
            .is_some_and(|s| s.kind == SectionKind::NextSteps)
    });
    for s in &mut page.steps {
        let trimmed = s.body.trim_end().len();
        s.body.truncate(trimmed);
    }
    page
}

/// A next-step item's condition: `If no gaps exist, proceed to [X]` -> "If no gaps exist";
/// `[X](x.md): when the customer asks` -> "when the customer asks".
fn condition(text: &str, title: &str) -> Option<String> {
    let pos = text.find(title)?;
    let before = text[..pos].trim();
    let after = text[pos + title.len()..]
        .trim()
        .trim_start_matches(['.', '。'])
        .trim();
    if let Some(rest) = after
        .strip_prefix(':')
        .or_else(|| after.strip_prefix('：'))
        .or_else(|| after.strip_prefix("—"))
        .or_else(|| after.strip_prefix("-"))
    {
        let c = rest.trim().trim_end_matches(['.', '。']).trim();
        return (!c.is_empty()).then(|| c.to_string());
    }
    let cut = before.rfind([',', '，']).map(|i| before[..i].trim())?;
    (!cut.is_empty()).then(|| cut.to_string())
}

/// Names the sections the vocabulary did not know, from their place and content.
fn infer_sections(sections: &mut [Section]) {
    let has = |s: &[Section], k: SectionKind| s.iter().any(|x| x.kind == k);
    for s in sections.iter_mut() {
        if s.kind == SectionKind::Other && s.has_history {
            s.kind = SectionKind::RefreshSummary;
        }
    }
    if !has(sections, SectionKind::Approach)
        && let Some(s) = sections
            .iter_mut()
            .find(|s| s.kind == SectionKind::Other && s.has_steps)
    {
        s.kind = SectionKind::Approach;
    }
    // Without an approach section, the first sections are still the overview and objectives.
    let approach = sections
        .iter()
        .position(|s| s.kind == SectionKind::Approach)
        .unwrap_or(sections.len().min(2));
    if !has(sections, SectionKind::NextSteps)
        && let Some(s) = sections.iter_mut().skip(approach + 1).find(|s| {
            s.kind == SectionKind::Other && s.link_items > 0 && s.link_items >= s.nonlink_items
        })
    {
        s.kind = SectionKind::NextSteps;
    }
    let mut before = [SectionKind::Overview, SectionKind::Objectives]
        .into_iter()
        .filter(|k| !has(sections, *k))
        .collect::<Vec<_>>()
        .into_iter();
    for s in sections[..approach]
        .iter_mut()
        .filter(|s| s.kind == SectionKind::Other)
    {
        match before.next() {
            Some(k) => s.kind = k,
            None => break,
        }
    }
    let mut after = [SectionKind::KeyInputs, SectionKind::KeyOutputs]
        .into_iter()
        .filter(|k| !has(sections, *k))
        .collect::<Vec<_>>()
        .into_iter();
    for s in sections
        .iter_mut()
        .skip(approach + 1)
        .filter(|s| s.kind == SectionKind::Other && !s.has_steps)
    {
        match after.next() {
            Some(k) => s.kind = k,
            None => break,
        }
    }
}

fn task_table<'a>(
    t: &RawTable<'a>,
    cols: &crate::table::TaskColumns,
    step_idx: usize,
    page: &mut PageDraft<'a>,
    src: usize,
    file: &str,
    sink: &mut Sink,
) {
    let mut warned_line = 0;
    for row in task_rows(t, cols) {
        if !row.repairs.is_empty() && row.line != warned_line {
            warned_line = row.line;
            let what = &row.repairs;
            sink.push(
                Severity::Warning,
                "table-row",
                format!("malformed table row repaired: {}", what.join(", ")),
                src,
                file,
                row.line,
                row.raw,
                0,
            );
        }
        let Some((id, id_link)) = row.cells.get(cols.id).and_then(|c| id_of(c)) else {
            if row.cells.iter().any(|c| !c.trim().is_empty()) {
                sink.push(
                    Severity::Warning,
                    "task-row",
                    "task row without a numeric task ID; it is skipped",
                    src,
                    file,
                    row.line,
                    row.raw,
                    0,
                );
            }
            continue;
        };
        let cell = |c: Option<usize>| c.and_then(|c| row.cells.get(c)).copied().unwrap_or("");
        let flag_raw = cell_text(cell(cols.flag));
        let mandatory = match read_flag(&flag_raw, cols.letters) {
            Some(m) => m,
            None => {
                let at = row.raw.find(cell(cols.flag)).unwrap_or(0);
                sink.push(
                    Severity::Warning,
                    "task-flag",
                    format!("task {id}: `{flag_raw}` is not a mandatory/optional flag; the task is taken as optional"),
                    src,
                    file,
                    row.line,
                    row.raw,
                    at,
                );
                false
            }
        };
        let name = cell_text(cell(cols.name));
        let role = cell_text(cell(cols.role));
        let services = split_services(cell(cols.services));
        page.tasks.push(TaskDraft {
            id,
            id_link,
            name,
            mandatory,
            mandatory_raw: flag_raw,
            role_key: vocab_key(ROLES, &role),
            role,
            service_keys: services.iter().map(|s| vocab_key(SERVICES, s)).collect(),
            services,
            step: step_idx,
            line: row.line,
            raw: row.raw,
        });
        page.steps[step_idx].tasks += 1;
    }
}
