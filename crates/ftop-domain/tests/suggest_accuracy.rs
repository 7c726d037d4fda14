//! Suggest's accuracy on held-out notes (`BENCHMARKS.md`, B7).
//!
//! The notes are the example scenarios of the real playbook's L1/L2/L3 pages in
//! `../shared/corpus` (English, Spanish, Chinese), each labelled with its reason: a valid
//! example by the page it is on, an invalid one by the reason its table names. Half of each
//! reason's examples in each language play the notes already in the database (the model
//! learns from them with the taxonomy's definitions); the other half are held out and
//! suggested for. Beside it: the model that knows only the definitions (an empty database)
//! and the majority-class baseline (always the reason most training notes have).
//!
//! Run: `cargo test -p ftop-domain --test suggest_accuracy -- --nocapture`.

use ftop_domain::suggest::{MIN_CONFIDENCE, Model};
use ftop_domain::taxonomy::{L1, Reason};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

#[derive(Debug, Clone)]
struct Example {
    lang: &'static str,
    text: String,
    key: &'static str,
}

fn corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/playbook")
}

fn reasons() -> Vec<&'static Reason> {
    L1::ALL.iter().flat_map(|l| l.reasons()).collect()
}

/// The reason a page is about, from its file name (`l1l2l3-blocked-legal-regulatory-sc.md`).
fn page_reason(file: &str, suffix: &str) -> Option<&'static Reason> {
    let stem = file.strip_prefix("l1l2l3-")?.strip_suffix(".md")?;
    let stem = if suffix.is_empty() {
        stem
    } else {
        stem.strip_suffix(suffix)?
    };
    let stem = ["blocked-", "in-progress-", "no-intent-", "status-unknown-"]
        .iter()
        .find_map(|p| stem.strip_prefix(p))?;
    let plain = |s: &str| s.replace("and-", "");
    reasons().into_iter().find(|r| plain(r.key) == plain(stem))
}

/// The rows of the page's tables, each as (table number, cells), headers and rules left out.
fn table_rows(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut out = Vec::new();
    let mut table = 0;
    let mut in_table = false;
    let mut header = false;
    for line in text.lines() {
        let l = line.trim();
        if !l.starts_with('|') {
            in_table = false;
            continue;
        }
        if !in_table {
            in_table = true;
            header = true;
            table += 1;
            continue;
        }
        if header {
            header = false;
            if l.contains("--") {
                continue;
            }
        }
        let cells: Vec<String> = l
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().replace("**", ""))
            .collect();
        out.push((table, cells));
    }
    out
}

fn examples() -> Vec<Example> {
    let dir = corpus();
    assert!(
        dir.is_dir(),
        "the playbook corpus is missing at {}: this test measures Suggest on its examples",
        dir.display()
    );
    let mut out = Vec::new();
    for (lang, folder, suffix) in [
        ("en", "english", ""),
        ("es", "spanish", "-es"),
        ("zh", "simplified-chinese", "-sc"),
    ] {
        let mut pages = Vec::new();
        for entry in std::fs::read_dir(dir.join(folder)).expect("corpus folder") {
            let name = entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .to_string();
            if let Some(r) = page_reason(&name, suffix) {
                let text = std::fs::read_to_string(dir.join(folder).join(&name)).expect("page");
                pages.push((r, table_rows(&text)));
            }
        }
        // The reasons' names as this language's pages write them (the valid examples'
        // second column), to label the invalid examples, which name another reason.
        let mut names: HashMap<String, &'static Reason> = HashMap::new();
        for (r, rows) in &pages {
            for (table, cells) in rows {
                if *table == 1 && cells.len() >= 2 {
                    names.insert(cells[1].to_lowercase(), r);
                }
            }
        }
        for (r, rows) in pages {
            for (table, cells) in rows {
                let Some(text) = cells.first().filter(|t| t.chars().count() > 8) else {
                    continue;
                };
                let key = match table {
                    1 => Some(r),
                    _ => cells.get(1).and_then(|n| {
                        ftop_domain::taxonomy::reason(n)
                            .or_else(|| names.get(&n.to_lowercase()).copied())
                    }),
                };
                if let Some(k) = key {
                    out.push(Example {
                        lang,
                        text: text.clone(),
                        key: k.key,
                    });
                }
            }
        }
    }
    out
}

/// Splits each (language, reason) group's examples alternately into training and held out.
fn split(all: &[Example]) -> (Vec<Example>, Vec<Example>) {
    let mut groups: BTreeMap<(&str, &str), Vec<&Example>> = BTreeMap::new();
    for e in all {
        groups.entry((e.lang, e.key)).or_default().push(e);
    }
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for (_, mut g) in groups {
        g.sort_by(|a, b| a.text.cmp(&b.text));
        for (i, e) in g.into_iter().enumerate() {
            if i % 2 == 0 {
                train.push(e.clone());
            } else {
                test.push(e.clone());
            }
        }
    }
    (train, test)
}

struct Score {
    right: usize,
    right_l1: usize,
    offered: usize,
    offered_right: usize,
    n: usize,
}

fn score(m: &Model, test: &[Example]) -> Score {
    let mut s = Score {
        right: 0,
        right_l1: 0,
        offered: 0,
        offered_right: 0,
        n: test.len(),
    };
    for e in test {
        let Some(b) = m.best(&e.text) else { continue };
        let ok = b.reason.key == e.key;
        s.right += usize::from(ok);
        let truth = ftop_domain::taxonomy::reason(e.key).expect("known reason");
        s.right_l1 += usize::from(b.l1 == truth.l1);
        if b.confidence >= MIN_CONFIDENCE {
            s.offered += 1;
            s.offered_right += usize::from(ok);
        }
    }
    s
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

#[test]
fn suggest_beats_the_majority_class_on_held_out_notes() {
    let all = examples();
    assert!(all.len() > 300, "examples found: {}", all.len());
    let (train, test) = split(&all);
    let model = Model::train(train.iter().map(|e| (e.text.as_str(), e.key)));
    assert_eq!(model.examples(), train.len());
    let cold = Model::train([]);

    let mut counts: HashMap<&str, usize> = HashMap::new();
    for e in &train {
        *counts.entry(e.key).or_default() += 1;
    }
    let (majority, _) = counts
        .iter()
        .max_by_key(|(k, n)| (**n, std::cmp::Reverse(**k)))
        .expect("training notes");
    let majority_right = test.iter().filter(|e| e.key == *majority).count();
    let majority_l1 = ftop_domain::taxonomy::reason(majority).expect("reason").l1;
    let majority_l1_right = test
        .iter()
        .filter(|e| ftop_domain::taxonomy::reason(e.key).is_some_and(|r| r.l1 == majority_l1))
        .count();

    println!(
        "Suggest on held-out notes: {} training, {} held out, {} reasons",
        train.len(),
        test.len(),
        reasons().len()
    );
    println!(
        "| | L2 accuracy | L1 accuracy | offered (confidence >= {MIN_CONFIDENCE}) | right when offered |"
    );
    println!("|---|---|---|---|---|");
    println!(
        "| majority class (`{majority}`) | {:.1}% | {:.1}% | | |",
        pct(majority_right, test.len()),
        pct(majority_l1_right, test.len())
    );
    for (name, m) in [("definitions only", &cold), ("definitions + notes", &model)] {
        let s = score(m, &test);
        println!(
            "| {name} | {:.1}% | {:.1}% | {:.1}% | {:.1}% |",
            pct(s.right, s.n),
            pct(s.right_l1, s.n),
            pct(s.offered, s.n),
            pct(s.offered_right, s.offered)
        );
    }
    for lang in ["en", "es", "zh"] {
        let part: Vec<Example> = test.iter().filter(|e| e.lang == lang).cloned().collect();
        let s = score(&model, &part);
        println!(
            "| {lang}: definitions + notes ({} held out) | {:.1}% | {:.1}% | {:.1}% | {:.1}% |",
            s.n,
            pct(s.right, s.n),
            pct(s.right_l1, s.n),
            pct(s.offered, s.n),
            pct(s.offered_right, s.offered)
        );
    }

    // How the confidence threshold trades what is offered against how often it is right
    // (the threshold in use is MIN_CONFIDENCE, chosen before this measurement).
    let best: Vec<(bool, f64)> = test
        .iter()
        .filter_map(|e| {
            model
                .best(&e.text)
                .map(|b| (b.reason.key == e.key, b.confidence))
        })
        .collect();
    for t in [0.5, 0.7, 0.9, 0.99] {
        let offered: Vec<&(bool, f64)> = best.iter().filter(|(_, c)| *c >= t).collect();
        let right = offered.iter().filter(|(ok, _)| *ok).count();
        println!(
            "confidence >= {t}: offered {:.1}%, right when offered {:.1}%",
            pct(offered.len(), test.len()),
            pct(right, offered.len())
        );
    }

    let trained = score(&model, &test);
    let baseline = pct(majority_right, test.len());
    let accuracy = pct(trained.right, trained.n);
    assert!(
        accuracy >= 3.0 * baseline,
        "accuracy {accuracy:.1}% against a baseline of {baseline:.1}%"
    );
    // Learning from the notes helps beyond the definitions.
    let cold_accuracy = pct(score(&cold, &test).right, test.len());
    assert!(
        accuracy > cold_accuracy,
        "{accuracy:.1}% vs {cold_accuracy:.1}%"
    );
    // What is offered is right more often than the model overall.
    assert!(pct(trained.offered_right, trained.offered) > accuracy);
}
