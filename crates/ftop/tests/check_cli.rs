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

/// Runs `ftop` with `args`, killing it and failing the test if it has not exited within
/// 30 seconds (a command that blocks on a named pipe would otherwise hang the suite).
fn ftop_bounded(args: &[&str]) -> (Option<i32>, String, String) {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let (out_path, err_path) = (dir.path().join("stdout"), dir.path().join("stderr"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_ftop"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out_path).unwrap())
        .stderr(fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("run ftop");
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("ftop {args:?} did not finish within 30 s (blocked on a named pipe?)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (
        status.code(),
        fs::read_to_string(&out_path).unwrap(),
        fs::read_to_string(&err_path).unwrap(),
    )
}

fn mkfifo(path: &std::path::Path) {
    let st = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(st.success(), "mkfifo {}", path.display());
}

const GOOD_PAGE: &str = "# Kickoff\n\nPhase: **Initiate**\n\n## Approach\n\n### Prepare\n\n\
Primary Role: **FastTrack Manager**\n\n\
| Task ID | Task Name | (M)andatory / (O)ptional | FastTrack Role | Services |\n\
| --- | --- | --- | --- | --- |\n\
| 3616 | Complete initial outreach | M | FastTrack Manager | All Services |\n";

#[test]
fn a_named_pipe_given_as_path_is_refused_without_blocking() {
    let d = tempfile::tempdir().unwrap();
    let pipe = d.path().join("pipe.md");
    mkfifo(&pipe);
    let (code, stdout, stderr) = ftop_bounded(&["playbook", "check", pipe.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    assert!(stderr.contains("pipe.md"), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
}

#[test]
fn a_named_pipe_in_a_folder_is_reported_and_the_other_pages_checked() {
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("kickoff.md"), GOOD_PAGE).unwrap();
    mkfifo(&d.path().join("pipe.md"));
    let (code, stdout, stderr) = ftop_bounded(&["playbook", "check", d.path().to_str().unwrap()]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains("pipe.md:1:1: error[file-type]: not a regular file"),
        "{stderr}"
    );
    assert!(stdout.contains("1 pages"), "{stdout}");
    assert!(stdout.contains("1 tasks: 1 errors, 0 warnings"), "{stdout}");
}

/// The page size limit (1 MiB) counts the bytes of the file, not the text after invalid
/// UTF-8 is replaced (each replacement character is three bytes).
#[test]
fn the_page_size_limit_counts_the_bytes_read() {
    let limit = 1usize << 20;
    let d = tempfile::tempdir().unwrap();
    // Under the limit on disk, three times over it once each invalid byte is replaced.
    let mut invalid = GOOD_PAGE.as_bytes().to_vec();
    invalid.extend(std::iter::repeat_n(0xFFu8, 600_000));
    invalid.push(b'\n');
    fs::write(d.path().join("invalid.md"), &invalid).unwrap();
    // One byte over the limit.
    let mut big = GOOD_PAGE.to_string();
    big.push_str(&"x".repeat(limit + 1 - big.len()));
    assert_eq!(big.len(), limit + 1);
    fs::write(d.path().join("big.md"), &big).unwrap();
    // Exactly at the limit: compiled.
    let mut at = GOOD_PAGE.replace("3616", "3617");
    at.push_str(&"y".repeat(limit - at.len()));
    fs::write(d.path().join("at.md"), &at).unwrap();

    let (code, stdout, stderr) = ftop_bounded(&["playbook", "check", d.path().to_str().unwrap()]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains("invalid.md:14:1: error[encoding]"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("invalid.md:1:1: error[limit-file-size]"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "big.md:1:1: error[limit-file-size]: the page is larger than the limit of {limit} bytes"
        )),
        "{stderr}"
    );
    assert!(
        !stderr.contains("at.md:1:1: error[limit-file-size]"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("1800"),
        "no size after replacement: {stderr}"
    );
    // invalid.md and at.md are compiled (tasks 3616 and 3617), big.md is not.
    assert!(stdout.contains("2 pages"), "{stdout}");
    assert!(stdout.contains("2 errors"), "{stdout}");
}
