//! `ftop playbook translations` on the real three-language playbook.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test and tool code: a panic is the failure report

mod common;

#[test]
fn reports_the_three_tasks_spanish_and_chinese_lack_and_stale_pages() {
    let pb = common::corpus().join("playbook");
    let paths: Vec<String> = ["english", "spanish", "simplified-chinese"]
        .iter()
        .map(|f| pb.join(f).display().to_string())
        .collect();
    let mut args = vec!["playbook", "translations"];
    args.extend(paths.iter().map(String::as_str));
    args.extend(["--format", "json"]);
    let report = common::ftop_json(&args);
    assert_eq!(report["source_locale"], "en");
    let locales = report["locales"].as_array().unwrap();
    assert_eq!(locales.len(), 2, "{report}");
    for l in locales {
        let missing: Vec<&str> = l["missing_tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap())
            .collect();
        assert_eq!(missing, ["4110", "4111", "4112"], "{}", l["locale"]);
        assert!(l["extra_tasks"].as_array().unwrap().is_empty());
        assert!(l["flag_differences"].as_array().unwrap().is_empty());
        let stale = l["stale_pages"].as_array().unwrap();
        assert!(
            stale.len() >= 10,
            "{} stale pages in {}",
            stale.len(),
            l["locale"]
        );
        for s in stale {
            assert!(
                s["last_changed"].as_str().unwrap() < s["source_last_changed"].as_str().unwrap()
            );
        }
    }
    let es = locales.iter().find(|l| l["locale"] == "es").unwrap();
    let stale_files: Vec<&str> = es["stale_pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["file"].as_str().unwrap())
        .collect();
    assert!(
        stale_files.contains(&"approach-get-modern-es.md"),
        "{stale_files:?}"
    );

    // The text form says the same.
    args.truncate(args.len() - 2);
    let out = common::ftop(&args);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("missing tasks (3): 4110, 4111, 4112"),
        "{text}"
    );
}
