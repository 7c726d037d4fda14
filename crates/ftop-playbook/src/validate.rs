//! Checks across pages: links that lead nowhere, task IDs that contradict each other,
//! translations older than their source. Also resolves next-step links to process keys.

use crate::compile::{Parsed, par_map};
use crate::diag::{Severity, Sink};
use crate::model::Playbook;
use crate::text::links;
use crate::vocab::fold;
use crate::{Options, Source};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Joins `target` to the folder of `from` and normalises `.` and `..`.
/// Returns None when the path climbs above the root.
pub(crate) fn resolve(from: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn percent_decode(s: &str) -> String {
    s.replace("%20", " ")
}

fn is_external(t: &str) -> bool {
    t.is_empty()
        || t.starts_with('#')
        || t.contains("://")
        || t.starts_with("mailto:")
        || t.starts_with("tel:")
        || t.starts_with('/')
        || t.starts_with("xref:")
}

pub(crate) fn validate(
    parsed: &[Parsed<'_>],
    sources: &[Source<'_>],
    pb: &mut Playbook,
    opts: &Options,
    source_locale: &str,
    sink: &mut Sink,
) {
    check_links(parsed, sources, pb, opts, sink);
    check_duplicates(pb, parsed, sources, sink);
    check_staleness(parsed, sources, source_locale, sink);
}

fn check_links(
    parsed: &[Parsed<'_>],
    sources: &[Source<'_>],
    pb: &mut Playbook,
    opts: &Options,
    sink: &mut Sink,
) {
    let pages: HashMap<(&str, &str), &str> = parsed
        .iter()
        .map(|p| {
            (
                (sources[p.src].root, sources[p.src].path),
                p.info.key.as_str(),
            )
        })
        .collect();
    let assets: Option<HashSet<(&str, &str)>> = opts
        .assets
        .as_ref()
        .map(|a| a.iter().map(|(r, p)| (r.as_str(), p.as_str())).collect());
    let assets_lower: Option<HashSet<(String, String)>> = opts.assets.as_ref().map(|a| {
        a.iter()
            .map(|(r, p)| (r.clone(), p.to_lowercase()))
            .collect()
    });
    let known = Known {
        pages,
        assets,
        assets_lower,
    };
    // Pages are checked on their own (in parallel); results are gathered in page order.
    let mut refs: Vec<&Parsed<'_>> = parsed.iter().collect();
    let checked = par_map(&mut refs, |_, p| {
        check_page_links(p, &sources[p.src], &known)
    });
    let mut next_keys: HashMap<(usize, u32), String> = HashMap::default();
    for (page_index, (keys, page_sink)) in checked.into_iter().enumerate() {
        next_keys.extend(
            keys.into_iter()
                .map(|(line, key)| ((page_index, line), key)),
        );
        sink.items.extend(page_sink.items);
    }
    for proc_ in &mut pb.processes {
        for n in &mut proc_.next_steps {
            n.target_key = next_keys.get(&(proc_.page, n.line)).cloned();
        }
    }
}

/// What links may point to.
struct Known<'k> {
    /// (root, path) -> page key.
    pages: HashMap<(&'k str, &'k str), &'k str>,
    assets: Option<HashSet<(&'k str, &'k str)>>,
    assets_lower: Option<HashSet<(String, String)>>,
}

/// Does `line` hold `[!include` in any letter case?
fn has_include(line: &str) -> bool {
    const NEEDLE: &[u8] = b"[!include";
    line.as_bytes()
        .windows(NEEDLE.len())
        .any(|w| w.eq_ignore_ascii_case(NEEDLE))
}

/// Checks the links of one page. Returns the page keys that links resolve to, by line, and
/// the diagnostics.
fn check_page_links(
    p: &Parsed<'_>,
    src: &Source<'_>,
    known: &Known<'_>,
) -> (Vec<(u32, String)>, Sink) {
    let mut sink = Sink::default();
    let mut next_keys = Vec::new();
    for (line, raw) in &p.scanned.link_lines {
        let code = if has_include(raw) {
            "include-not-found"
        } else {
            "broken-link"
        };
        for l in links(raw) {
            let t = l.target;
            if is_external(t) {
                continue;
            }
            let warn = |sink: &mut Sink, msg: String| {
                sink.push(
                    Severity::Warning,
                    code,
                    msg,
                    p.src,
                    src.path,
                    *line,
                    raw,
                    l.at + 1,
                )
            };
            if t.contains('@') && !t.contains('/') {
                warn(
                    &mut sink,
                    format!("link target `{t}` looks like an e-mail address; write `mailto:{t}`"),
                );
                continue;
            }
            if t.contains('\\') {
                warn(
                    &mut sink,
                    format!("link target `{t}` uses backslashes; use `/`"),
                );
                continue;
            }
            let path = t.split(['#', '?']).next().unwrap_or(t);
            let path = percent_decode(path);
            let Some(resolved) = resolve(src.path, &path) else {
                warn(
                    &mut sink,
                    format!("link target `{t}` points outside the playbook"),
                );
                continue;
            };
            let file = resolved.rsplit('/').next().unwrap_or(&resolved);
            let has_ext = file.contains('.');
            let is_page = resolved.ends_with(".md") || !has_ext;
            if is_page {
                let with_md = format!("{resolved}.md");
                let found = known.pages.get(&(src.root, resolved.as_str())).or_else(|| {
                    if has_ext {
                        None
                    } else {
                        known.pages.get(&(src.root, with_md.as_str()))
                    }
                });
                match found {
                    Some(key) => next_keys.push((*line, (*key).to_string())),
                    None => warn(&mut sink, format!("link target `{t}` does not exist")),
                }
            } else if let (Some(assets), Some(lower)) = (&known.assets, &known.assets_lower)
                && !assets.contains(&(src.root, resolved.as_str()))
            {
                if lower.contains(&(src.root.to_string(), resolved.to_lowercase())) {
                    warn(
                        &mut sink,
                        format!("link target `{t}` differs in letter case from the file on disk"),
                    );
                } else {
                    warn(&mut sink, format!("link target `{t}` does not exist"));
                }
            }
        }
    }
    (next_keys, sink)
}

fn check_duplicates(pb: &Playbook, parsed: &[Parsed<'_>], sources: &[Source<'_>], sink: &mut Sink) {
    let mut first: HashMap<(&str, &str), usize> =
        HashMap::with_capacity_and_hasher(pb.tasks.len(), Default::default());
    for (i, t) in pb.tasks.iter().enumerate() {
        let page = &parsed[t.page];
        if page.stray {
            continue;
        }
        let Some(&f) = first.get(&(&*t.locale, t.id.as_str())) else {
            first.insert((&*t.locale, t.id.as_str()), i);
            continue;
        };
        let a = &pb.tasks[f];
        let mut diffs = Vec::new();
        if a.mandatory != t.mandatory {
            diffs.push(format!("flag {} vs {}", a.mandatory_raw, t.mandatory_raw));
        }
        if a.role_key != t.role_key {
            diffs.push(format!("role `{}` vs `{}`", a.role, t.role));
        }
        if fold(&a.name) != fold(&t.name) {
            diffs.push(format!("name `{}` vs `{}`", a.name, t.name));
        }
        if diffs.is_empty() {
            continue;
        }
        let line_text = sources[page.src]
            .text
            .lines()
            .nth(t.line as usize - 1)
            .unwrap_or("");
        sink.push(
            Severity::Warning,
            "duplicate-task",
            format!(
                "task {} appears again with conflicting data ({}); first at {}:{}",
                t.id,
                diffs.join(", "),
                a.file,
                a.line
            ),
            page.src,
            &t.file,
            t.line,
            line_text,
            0,
        );
    }
}

fn check_staleness(
    parsed: &[Parsed<'_>],
    sources: &[Source<'_>],
    source_locale: &str,
    sink: &mut Sink,
) {
    let source_pages: HashMap<&str, &Parsed<'_>> = parsed
        .iter()
        .filter(|p| p.locale == source_locale && !p.stray)
        .map(|p| (p.info.key.as_str(), p))
        .collect();
    for p in parsed
        .iter()
        .filter(|p| p.locale != source_locale && !p.stray)
    {
        let Some(s) = source_pages.get(p.info.key.as_str()) else {
            continue;
        };
        let (Some(mine), Some(theirs)) = (p.last_changed, s.last_changed) else {
            continue;
        };
        if mine < theirs {
            let line = p.draft.title_line.max(1);
            let text = sources[p.src]
                .text
                .lines()
                .nth(line as usize - 1)
                .unwrap_or("");
            sink.push(
                Severity::Warning,
                "stale-translation",
                format!(
                    "translation last changed {mine}, but its source {} changed {theirs}",
                    sources[s.src].path
                ),
                p.src,
                sources[p.src].path,
                line,
                text,
                0,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(resolve("a/b.md", "c.md").as_deref(), Some("a/c.md"));
        assert_eq!(resolve("a/b.md", "../c.md").as_deref(), Some("c.md"));
        assert_eq!(resolve("b.md", "../c.md"), None);
        assert_eq!(resolve("b.md", "./x/./y.md").as_deref(), Some("x/y.md"));
    }
}
