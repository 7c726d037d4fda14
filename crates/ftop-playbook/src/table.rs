//! Second look at a table: is it a task table or a change history, which column holds what,
//! and the rows repaired where authors broke them (cells merged, rows joined, pipes missing).

use crate::dates::parse_date;
use crate::scan::{RawRow, RawTable};
use crate::text::{fold_space, inline, plain};
use crate::vocab::{Column, SERVICES, TASK_HEADERS, fold, lookup, lookup_kind};

/// Which column holds what in a task table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TaskColumns {
    pub(crate) id: usize,
    pub(crate) name: Option<usize>,
    pub(crate) flag: Option<usize>,
    pub(crate) role: Option<usize>,
    pub(crate) services: Option<usize>,
    pub(crate) width: usize,
    /// The letters that mean mandatory and optional, read from the flag header.
    pub(crate) letters: (char, char),
}

/// Which column holds what in a change-history table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HistoryColumns {
    pub(crate) date: usize,
    pub(crate) author: Option<usize>,
    pub(crate) change: Option<usize>,
}

/// What a table is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TableKind {
    Tasks(TaskColumns),
    History(HistoryColumns),
    /// Looks like a task table (its header names task columns) but has no ID column.
    TasksWithoutId,
    Other,
}

/// Is `s` a task ID: 2 to 7 digits, possibly written as a link or in bold.
pub(crate) fn id_of(s: &str) -> Option<(String, Option<String>)> {
    let t = s.trim();
    if !t.is_empty() && t.len() <= 7 && t.bytes().all(|b| b.is_ascii_digit()) {
        return (t.len() >= 2).then(|| (t.to_string(), None));
    }
    if !t.starts_with(['[', '*', '_']) {
        return None;
    }
    let i = inline(t);
    let txt = i.text.trim();
    (txt.len() >= 2 && txt.len() <= 7 && txt.bytes().all(|b| b.is_ascii_digit()))
        .then(|| (txt.to_string(), i.link))
}

fn is_flag_cell(s: &str) -> bool {
    // Trimmed byte by byte: the marks are ASCII, so this is the same as trimming chars.
    let marks = |b: &u8| matches!(b, b'*' | b'_' | b' ' | b'(' | b')');
    let bytes = s.trim().as_bytes();
    let start = bytes.iter().position(|b| !marks(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !marks(b))
        .map_or(start, |e| e + 1);
    // One char is at most four bytes.
    if end - start > 4 {
        return false;
    }
    let mut chars = s.trim()[start..end].chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic())
}

fn is_service_cell(s: &str) -> bool {
    if s.len() > 200 || s.is_empty() {
        return false;
    }
    // Without allocating: every part must be a service, or join its neighbour into one
    // (`Classroom/SDS`).
    let mut parts = s
        .split(['/', ',', ';', '、', '，'])
        .map(|p| p.trim().trim_matches('*').trim())
        .peekable();
    let mut any = false;
    while let Some(p) = parts.next() {
        if p.is_empty() || p == "-" {
            continue;
        }
        if lookup(SERVICES, p).is_none() {
            let Some(next) = parts.next() else {
                return false;
            };
            if lookup(SERVICES, &format!("{p}/{next}")).is_none() {
                return false;
            }
        }
        any = true;
    }
    any
}

/// Does any part of the cell name a known service?
fn has_known_service(s: &str) -> bool {
    s.len() <= 200
        && s.split(['/', ',', ';', '、', '，'])
            .any(|p| lookup(SERVICES, p.trim().trim_matches('*').trim()).is_some())
}

/// Classifies a table and maps its columns.
pub(crate) fn classify(t: &RawTable<'_>) -> TableKind {
    let width = t.header.len().max(1);
    // Twelve rows tell a column's kind as well as all of them.
    let rows: Vec<&RawRow<'_>> = t
        .rows
        .iter()
        .filter(|r| r.cells.iter().any(|c| !c.is_empty()))
        .take(12)
        .collect();
    let header_kinds: Vec<Option<Column>> = t
        .header
        .iter()
        .map(|h| lookup_kind(TASK_HEADERS, &plain(h)))
        .collect();
    let ratio = |col: usize, f: &dyn Fn(&str) -> bool| -> f32 {
        if rows.is_empty() {
            return 0.0;
        }
        let hits = rows
            .iter()
            .filter(|r| r.cells.get(col).is_some_and(|c| f(c)))
            .count();
        hits as f32 / rows.len() as f32
    };
    let best = |f: &dyn Fn(&str) -> bool, skip: &[usize]| -> Option<(usize, f32)> {
        (0..width)
            .filter(|c| !skip.contains(c))
            .map(|c| (c, ratio(c, f)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
    };
    let id = best(&|c| id_of(c).is_some(), &[])
        .filter(|(_, r)| *r >= 0.5)
        .map(|(c, _)| c);
    let Some(id) = id else {
        if let Some((date, _)) =
            best(&|c| parse_date(&plain(c)).is_some(), &[]).filter(|(_, r)| *r >= 0.5)
        {
            return TableKind::History(history_columns(t, date, width));
        }
        let named = header_kinds
            .iter()
            .filter(|k| matches!(k, Some(Column::Name | Column::Flag | Column::Role)))
            .count();
        return if named >= 2 {
            TableKind::TasksWithoutId
        } else {
            TableKind::Other
        };
    };
    let flag_by_content = best(&is_flag_cell, &[id])
        .filter(|(_, r)| *r >= 0.5)
        .map(|(c, _)| c);
    // Numbers alone do not make a task table: it needs a flag column or a header naming IDs.
    if flag_by_content.is_none() && header_kinds.get(id) != Some(&Some(Column::Id)) {
        return TableKind::Other;
    }
    let mut taken = vec![id];
    let by_header = |kind: Column, taken: &[usize]| -> Option<usize> {
        header_kinds
            .iter()
            .enumerate()
            .find(|(i, k)| **k == Some(kind) && !taken.contains(i))
            .map(|(i, _)| i)
    };
    let flag = flag_by_content.or_else(|| by_header(Column::Flag, &taken));
    taken.extend(flag);
    // Services: every part known; else the header; else most cells name at least one known
    // service (a translation that renamed some of them).
    let services = best(&is_service_cell, &taken)
        .filter(|(_, r)| *r >= 0.5)
        .map(|(c, _)| c)
        .or_else(|| by_header(Column::Services, &taken))
        .or_else(|| {
            best(&has_known_service, &taken)
                .filter(|(_, r)| *r >= 0.5)
                .map(|(c, _)| c)
        });
    taken.extend(services);
    let mut role = by_header(Column::Role, &taken);
    let mut name = by_header(Column::Name, &taken).filter(|n| Some(*n) != role);
    let rest: Vec<usize> = (0..width)
        .filter(|c| !taken.contains(c) && Some(*c) != role && Some(*c) != name)
        .collect();
    let avg_len = |c: usize| -> usize {
        rows.iter()
            .map(|r| r.cells.get(c).map_or(0, |s| s.chars().count()))
            .sum::<usize>()
            / rows.len().max(1)
    };
    let mut rest_sorted = rest.clone();
    rest_sorted.sort_by_key(|&c| std::cmp::Reverse(avg_len(c)));
    if name.is_none() {
        name = rest_sorted.first().copied();
        rest_sorted.retain(|c| Some(*c) != name);
    }
    if role.is_none() {
        role = rest_sorted.iter().copied().min();
        rest_sorted.retain(|c| Some(*c) != role);
    }
    // Five columns with unknown services: the column left over after the others is services.
    let services = services.or_else(|| rest_sorted.iter().copied().min());
    let letters = flag
        .and_then(|f| t.header.get(f))
        .map_or(('M', 'O'), |h| flag_letters(h));
    TableKind::Tasks(TaskColumns {
        id,
        name,
        flag,
        role,
        services,
        width,
        letters,
    })
}

fn history_columns(t: &RawTable<'_>, date: usize, width: usize) -> HistoryColumns {
    let headers: Vec<String> = t
        .header
        .iter()
        .map(|h| fold(&plain(h)).into_owned())
        .collect();
    let author_words = [
        "who",
        "author",
        "quién",
        "autor",
        "变更人",
        "作者",
        "changed by",
    ];
    let change_words = ["what", "qué", "变更内容", "change", "cambio"];
    let find = |words: &[&str]| -> Option<usize> {
        headers
            .iter()
            .position(|h| words.iter().any(|w| h.contains(w)))
            .filter(|&c| c != date)
    };
    let author = find(&author_words);
    let change = find(&change_words).filter(|c| Some(*c) != author);
    let others: Vec<usize> = (0..width)
        .filter(|&c| c != date && Some(c) != author && Some(c) != change)
        .collect();
    match (author, change) {
        (Some(a), Some(c)) => HistoryColumns {
            date,
            author: Some(a),
            change: Some(c),
        },
        (Some(a), None) => HistoryColumns {
            date,
            author: Some(a),
            change: others.first().copied(),
        },
        (None, Some(c)) => HistoryColumns {
            date,
            author: None,
            change: Some(c),
        },
        (None, None) if width >= 3 => HistoryColumns {
            date,
            author: others.first().copied(),
            change: others.get(1).copied(),
        },
        (None, None) => HistoryColumns {
            date,
            author: None,
            change: others.first().copied(),
        },
    }
}

/// `(M)andatory / (O)ptional` -> ('M', 'O'); `(E)rforderlich / (O)ptional` -> ('E', 'O').
fn flag_letters(header: &str) -> (char, char) {
    let mut found = Vec::new();
    let chars: Vec<char> = header.chars().collect();
    for w in chars.windows(3) {
        if w[0] == '(' && w[2] == ')' && w[1].is_alphabetic() {
            found.extend(w[1].to_uppercase());
        }
    }
    match found.as_slice() {
        [m, o, ..] if m != o => (*m, *o),
        _ => ('M', 'O'),
    }
}

/// Reads a flag cell: Some(true) mandatory, Some(false) optional, None unreadable.
pub(crate) fn read_flag(cell: &str, letters: (char, char)) -> Option<bool> {
    let t = plain(cell);
    let t = t.trim_matches(['(', ')', ' ']);
    let mut chars = t.chars();
    if let (Some(c), None) = (chars.next(), chars.clone().next()) {
        let c = c.to_uppercase().next().unwrap_or(c);
        if c == letters.0 {
            return Some(true);
        }
        if c == letters.1 {
            return Some(false);
        }
        return match c {
            'M' | 'E' | 'B' | 'R' | 'Y' => Some(true),
            'O' | 'N' => Some(false),
            _ => None,
        };
    }
    match fold(t).as_ref() {
        "mandatory" | "required" | "yes" | "obligatorio" | "obligatoria" | "必需" | "必选"
        | "是" | "必须" => Some(true),
        "optional" | "no" | "opcional" | "可选" | "否" => Some(false),
        _ => None,
    }
}

/// Splits a services cell on `/`, `,`, `;` and `、`, keeping names that contain a slash
/// (`Classroom/SDS`) whole.
pub(crate) fn split_services(cell: &str) -> Vec<String> {
    let text = inline(cell).text;
    let parts: Vec<&str> = text
        .split(['/', ',', ';', '、', '，'])
        .map(str::trim)
        .collect();
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    let mut i = 0;
    while i < parts.len() {
        // `Classroom/SDS`: rejoin only where a part alone is not a service.
        if i + 1 < parts.len()
            && (lookup(SERVICES, parts[i]).is_none() || lookup(SERVICES, parts[i + 1]).is_none())
        {
            let joined = format!("{}/{}", parts[i], parts[i + 1]);
            if lookup(SERVICES, &joined).is_some() {
                out.push(joined);
                i += 2;
                continue;
            }
        }
        if !parts[i].is_empty() && parts[i] != "-" {
            out.push(parts[i].to_string());
        }
        i += 1;
    }
    out
}

/// A task row with its cells aligned to the header.
#[derive(Debug, Clone)]
pub(crate) struct Row<'a> {
    pub(crate) line: u32,
    pub(crate) raw: &'a str,
    pub(crate) cells: Vec<&'a str>,
    /// What was repaired, for diagnostics.
    pub(crate) repairs: Vec<&'static str>,
}

/// Aligns each raw row with the header: splits rows written on one line, separates a flag
/// merged into the next cell, pads short rows.
pub(crate) fn task_rows<'a>(t: &RawTable<'a>, cols: &TaskColumns) -> Vec<Row<'a>> {
    let mut out = Vec::with_capacity(t.rows.len());
    for raw in &t.rows {
        let mut cells: &[&'a str] = &raw.cells;
        let mut pieces: Vec<Vec<&'a str>> = Vec::new();
        let mut repairs = Vec::new();
        if raw.leading_double_pipe {
            repairs.push("leading `||`");
        }
        // Two rows on one line: `... | Exchange|| 1328 | ...`.
        while cells.len() > cols.width {
            let split = (cols.width..cells.len().saturating_sub(1)).find(|&k| {
                cells[k].is_empty()
                    && k + 1 + cols.id < cells.len()
                    && id_of(cells[k + 1 + cols.id]).is_some()
            });
            match split {
                Some(k) => {
                    pieces.push(cells[..k].to_vec());
                    cells = &cells[k + 1..];
                }
                None => break,
            }
        }
        let mut last = cells.to_vec();
        if !pieces.is_empty() {
            repairs.push("two rows on one line");
        }
        while last.len() > cols.width && last.last().is_some_and(|c| c.is_empty()) {
            last.pop();
        }
        pieces.push(last);
        for mut cells in pieces {
            let mut rep = repairs.clone();
            if cells.len() + 1 == cols.width
                && let Some(f) = cols.flag
                && let Some(cell) = cells.get(f)
                && let Some((flag, rest)) = cell.split_once(' ')
                && is_flag_cell(flag)
                && !is_flag_cell(cell)
            {
                cells.insert(f + 1, rest.trim());
                cells[f] = flag;
                rep.push("flag merged into the next cell");
            }
            while cells.len() < cols.width {
                cells.push("");
            }
            out.push(Row {
                line: raw.line,
                raw: raw.raw,
                cells,
                repairs: rep,
            });
        }
    }
    out
}

/// Cleans a cell to plain text, folding white space.
pub(crate) fn cell_text(s: &str) -> String {
    let i = inline(s);
    if i.text.contains("  ") {
        fold_space(&i.text)
    } else {
        i.text.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::split_row;

    fn table(lines: &[&'static str]) -> RawTable<'static> {
        let header = split_row(lines[0]).0;
        let rows = lines[1..]
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let (cells, d) = split_row(l);
                RawRow {
                    line: i as u32 + 3,
                    raw: l,
                    cells,
                    leading_double_pipe: d,
                }
            })
            .collect();
        RawTable {
            header,
            header_line: 1,
            rows,
        }
    }

    #[test]
    fn five_column_task_table() {
        let t = table(&[
            "| Task ID | Task Name | (M)andatory / (O)ptional | FastTrack Role | Services |",
            "| 3979 | Handover | O | FastTrack Manager | All Services |",
            "| [4099](https://x) | Other | M | FastTrack Engineer | Exchange / SharePoint |",
        ]);
        let TableKind::Tasks(c) = classify(&t) else {
            panic!("not tasks")
        };
        assert_eq!(
            (c.id, c.name, c.flag, c.role, c.services),
            (0, Some(1), Some(2), Some(3), Some(4))
        );
    }

    #[test]
    fn reordered_columns_in_an_unknown_language_are_found_by_content() {
        let t = table(&[
            "| Dienste | Rolle | Nummer | Pflicht | Aufgabe |",
            "| Exchange | Techniker | 101 | E | Postfächer vorbereiten und prüfen |",
            "| Teams / Yammer | Leiter | 102 | O | Einführung planen mit dem Kunden |",
        ]);
        let TableKind::Tasks(c) = classify(&t) else {
            panic!("not tasks")
        };
        assert_eq!(
            (c.id, c.flag, c.services, c.name, c.role),
            (2, Some(3), Some(0), Some(4), Some(1))
        );
    }

    #[test]
    fn flags_follow_the_header_letters() {
        assert_eq!(flag_letters("(E)rforderlich / (O)ptional"), ('E', 'O'));
        assert_eq!(read_flag("**M**", ('M', 'O')), Some(true));
        assert_eq!(read_flag("*O*", ('M', 'O')), Some(false));
        assert_eq!(read_flag("E", ('E', 'O')), Some(true));
        assert_eq!(read_flag("X", ('M', 'O')), None);
    }

    #[test]
    fn merged_flag_and_joined_rows_are_repaired() {
        let t = table(&[
            "| Task ID | Task Name | (M)andatory / (O)ptional | FastTrack Role | Services |",
            "| 3184 | AAD Connect Health | O FastTrack Engineer | Core Onboarding |",
            "| 3143 | Preflight | O | FastTrack Engineer | Exchange|| 1328 | Remediate | O | FastTrack Engineer | Exchange |",
        ]);
        let TableKind::Tasks(c) = classify(&t) else {
            panic!("not tasks")
        };
        let rows = task_rows(&t, &c);
        let ids: Vec<_> = rows.iter().map(|r| r.cells[0]).collect();
        assert_eq!(ids, vec!["3184", "3143", "1328"]);
        assert_eq!(
            rows[0].cells[2..],
            ["O", "FastTrack Engineer", "Core Onboarding"]
        );
        assert_eq!(rows[2].cells[4], "Exchange");
    }

    #[test]
    fn history_tables_are_recognised_by_their_dates() {
        let t = table(&[
            "|Date|Who Changed|What Changed|",
            "|10/03/2019| Someone| Updated| ",
            "| 1/31/2020 | Other | Added |",
        ]);
        assert_eq!(
            classify(&t),
            TableKind::History(HistoryColumns {
                date: 0,
                author: Some(1),
                change: Some(2)
            })
        );
    }

    #[test]
    fn services_split_and_rejoin_slashed_names() {
        assert_eq!(
            split_services("Exchange / OneDrive for Business/SharePoint"),
            vec!["Exchange", "OneDrive for Business", "SharePoint"]
        );
        assert_eq!(split_services("Classroom/SDS"), vec!["Classroom/SDS"]);
        assert_eq!(split_services(""), Vec::<String>::new());
    }
}
