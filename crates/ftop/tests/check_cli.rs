//! The command-line contract of `ftop playbook check`: diagnostics, summary, exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test and tool code: a panic is the failure report

mod common;

use std::fs;

fn temp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("ftop-test-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn bundled_playbook_checks_clean() {
    let out = common::ftop(&["playbook", "check"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains(": 0 errors, 0 warnings"),
        "{stdout}{stderr}"
    );
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn corpus_checks_with_warnings_and_exit_zero() {
    let pb = common::corpus().join("playbook");
    let out = common::ftop(&["playbook", "check", pb.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("770 tasks: 0 errors"), "{stdout}");
    // rustc-style: `file:line:col: warning[code]: message`, then the line, then a caret.
    let first = stderr.lines().next().unwrap();
    let re_ok = first.contains(".md:") && first.contains(": warning[");
    assert!(re_ok, "{first}");
    for code in [
        "broken-link",
        "stale-translation",
        "untranslated-copy",
        "duplicate-task",
        "table-row",
    ] {
        assert!(
            stderr.contains(&format!("warning[{code}]")),
            "no {code} warning"
        );
    }
    assert!(
        stderr.contains("kick-off"),
        "broken kick-off links are reported"
    );
}

#[test]
fn errors_exit_one_with_file_line_and_column() {
    let d = temp_dir("errors");
    let deep = format!("# Deep\n\n{}deep quote\n", "> ".repeat(40));
    fs::write(d.join("deep.md"), deep).unwrap();
    fs::write(d.join("bad.md"), b"# Bad \xff bytes\n").unwrap();
    let out = common::ftop(&["playbook", "check", d.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("deep.md:3:1: error[limit-nesting]"),
        "{stderr}"
    );
    assert!(stderr.contains("bad.md:1:1: error[encoding]"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 errors"));
}

#[test]
fn usage_errors_exit_two() {
    assert_eq!(
        common::ftop(&["playbook", "check", "/no/such/folder"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        common::ftop(&["playbook", "check", "--no-such-flag"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        common::ftop(&["playbook", "export", "--format", "xml"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn export_has_the_documented_task_fields() {
    let doc = common::ftop_json(&["playbook", "export", "--format", "json"]);
    let t = &doc["tasks"][0];
    for field in [
        "id",
        "name",
        "mandatory",
        "role",
        "role_key",
        "services",
        "service_keys",
        "phase",
        "phase_key",
        "process",
        "process_key",
        "step",
        "locale",
        "file",
        "line",
    ] {
        assert!(!t[field].is_null(), "missing {field} in {t}");
    }
    assert!(
        t["id"]
            .as_str()
            .unwrap()
            .bytes()
            .all(|b| b.is_ascii_digit())
    );
    for part in ["phases", "processes", "diagnostics"] {
        assert!(doc[part].is_array(), "{part}");
    }
    let p = &doc["processes"][0];
    assert!(
        p["steps"].is_array() && p["next_steps"].is_array() && p["history"].is_array(),
        "{p}"
    );
}
