//! Conformance: the tasks exported from the real three-language playbook match the
//! independent golden extraction in `../shared/corpus/golden` (precision and recall >= 0.99).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test and tool code: a panic is the failure report

mod common;

use std::collections::HashMap;

type Key = (String, String, String);

fn multiset<I: IntoIterator<Item = Key>>(items: I) -> HashMap<Key, usize> {
    let mut m = HashMap::new();
    for k in items {
        *m.entry(k).or_insert(0) += 1;
    }
    m
}

fn precision_recall(
    ours: &HashMap<Key, usize>,
    gold: &HashMap<Key, usize>,
) -> (f64, f64, Vec<Key>, Vec<Key>) {
    let tp: usize = ours
        .iter()
        .map(|(k, n)| (*n).min(*gold.get(k).unwrap_or(&0)))
        .sum();
    let n_ours: usize = ours.values().sum();
    let n_gold: usize = gold.values().sum();
    let extra = ours
        .keys()
        .filter(|k| gold.get(*k).unwrap_or(&0) < &ours[*k])
        .cloned()
        .collect();
    let missing = gold
        .keys()
        .filter(|k| ours.get(*k).unwrap_or(&0) < &gold[*k])
        .cloned()
        .collect();
    (
        tp as f64 / n_ours.max(1) as f64,
        tp as f64 / n_gold.max(1) as f64,
        extra,
        missing,
    )
}

fn services_norm(s: &str) -> String {
    s.split('/')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn exported_tasks_match_the_golden_extraction_in_three_languages() {
    let corpus = common::corpus();
    let root = corpus.join("playbook");
    let doc = common::ftop_json(&[
        "playbook",
        "export",
        root.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let tasks = doc["tasks"].as_array().expect("tasks array");
    for (lang, folder) in [
        ("en", "english"),
        ("es", "spanish"),
        ("zh", "simplified-chinese"),
    ] {
        let mut rdr = csv::Reader::from_path(corpus.join(format!("golden/partner-{lang}.csv")))
            .expect("golden csv");
        let headers = rdr.headers().expect("headers").clone();
        let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
        let (file, id, flag, role, services) = (
            col("file"),
            col("task_id"),
            col("mandatory"),
            col("role"),
            col("services"),
        );
        let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.expect("row")).collect();
        let gold = multiset(rows.iter().map(|r| {
            (
                r[file].to_string(),
                r[id].to_string(),
                (&r[flag] == "M").to_string(),
            )
        }));
        let mine: Vec<&serde_json::Value> = tasks
            .iter()
            .filter(|t| {
                t["file"]
                    .as_str()
                    .unwrap()
                    .starts_with(&format!("{folder}/"))
            })
            .collect();
        let ours = multiset(mine.iter().map(|t| {
            (
                t["file"].as_str().unwrap().to_string(),
                t["id"].as_str().unwrap().to_string(),
                t["mandatory"].as_bool().unwrap().to_string(),
            )
        }));
        let (p, r, extra, missing) = precision_recall(&ours, &gold);
        println!(
            "{lang}: precision {p:.4} recall {r:.4} ({} rows)",
            ours.values().sum::<usize>()
        );
        assert!(
            p >= 0.99 && r >= 0.99,
            "{lang}: precision {p:.4}, recall {r:.4}; extra {extra:?}; missing {missing:?}"
        );

        if lang == "en" {
            let gold = multiset(rows.iter().map(|r| {
                (
                    format!("{}#{}", &r[file], &r[id]),
                    r[role].to_string(),
                    services_norm(&r[services]),
                )
            }));
            let ours = multiset(mine.iter().map(|t| {
                let services: Vec<&str> = t["services"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_str().unwrap())
                    .collect();
                (
                    format!(
                        "{}#{}",
                        t["file"].as_str().unwrap(),
                        t["id"].as_str().unwrap()
                    ),
                    t["role"].as_str().unwrap().to_string(),
                    services_norm(&services.join("/")),
                )
            }));
            let (p, r, extra, missing) = precision_recall(&ours, &gold);
            println!("en role+services: precision {p:.4} recall {r:.4}");
            assert!(
                p >= 0.99 && r >= 0.99,
                "en role/services: precision {p:.4}, recall {r:.4}; extra {extra:?}; missing {missing:?}"
            );
        }
    }
}

#[test]
fn translated_rows_get_the_keys_of_their_english_rows() {
    let root = common::corpus().join("playbook");
    let doc = common::ftop_json(&["playbook", "export", root.to_str().unwrap()]);
    let tasks = doc["tasks"].as_array().unwrap();
    let mut english: HashMap<&str, (&str, &str)> = HashMap::new();
    for t in tasks.iter().filter(|t| t["locale"] == "en") {
        english.entry(t["id"].as_str().unwrap()).or_insert((
            t["role_key"].as_str().unwrap(),
            t["phase_key"].as_str().unwrap(),
        ));
    }
    let mut compared = 0;
    for t in tasks.iter().filter(|t| t["locale"] != "en") {
        let Some((role, _)) = english.get(t["id"].as_str().unwrap()) else {
            continue;
        };
        assert_eq!(
            t["role_key"].as_str().unwrap(),
            *role,
            "role key of {} in {}",
            t["id"],
            t["file"]
        );
        compared += 1;
    }
    assert!(compared > 400, "compared {compared} translated rows");
    // Phases: the Spanish and Chinese process pages name their phase in their own words.
    let phase_keys = |locale: &str| -> Vec<String> {
        let mut v: Vec<String> = doc["phases"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["locale"] == locale)
            .map(|p| p["key"].as_str().unwrap().to_string())
            .collect();
        v.dedup();
        v
    };
    assert_eq!(
        phase_keys("es")[..6],
        [
            "initiate",
            "assess",
            "remediate",
            "enable",
            "migrate",
            "success"
        ]
    );
    assert_eq!(phase_keys("zh")[..6], phase_keys("en")[..6]);
}
