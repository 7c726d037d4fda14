//! Fault test: SIGKILL in the middle of a stream of acknowledged task-status updates. After
//! a restart every acknowledged update is present and the database passes its integrity
//! check.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn ftop(db: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ftop"));
    c.arg("--database").arg(db);
    c
}

#[test]
fn sigkill_mid_stream_loses_no_acknowledged_update() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("fault.db").display());
    // Tenants, and the tasks that apply to them.
    let mut lines = Vec::new();
    for n in 0..12u32 {
        let id = format!("{n:08x}-0000-4000-8000-00000000abcd");
        let out = ftop(&db)
            .args([
                "tenant",
                "add",
                "--id",
                &id,
                "--name",
                &format!("t{n}.onmicrosoft.com"),
                "--customer",
                "Fault Test",
            ])
            .args(["--service", "Exchange=500", "--service", "Teams=400"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let list = ftop(&db).args(["task", "list", &id]).output().unwrap();
        for l in String::from_utf8_lossy(&list.stdout).lines() {
            let cols: Vec<&str> = l.split_whitespace().collect();
            let service = if ["exchange", "teams"].contains(&cols[1]) {
                cols[1]
            } else {
                ""
            };
            lines.push(format!("{id} {} complete {service}", cols[0]));
        }
    }
    assert!(lines.len() > 1000, "{} updates", lines.len());

    let mut child = ftop(&db)
        .args(["task", "apply"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    // Feed every line from another thread; the pipe blocks when the process lags.
    let feed = lines.clone();
    let writer = std::thread::spawn(move || {
        for l in feed {
            if writeln!(stdin, "{l}").is_err() {
                break; // killed
            }
        }
    });
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for l in BufReader::new(stdout).lines() {
            let Ok(l) = l else { break };
            if tx.send(l).is_err() {
                break;
            }
        }
    });
    let mut acked = Vec::new();
    let start = Instant::now();
    while acked.len() < 400 {
        let l = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("acknowledgements stopped");
        assert!(l.starts_with("ok "), "unexpected output: {l}");
        acked.push(l);
        assert!(start.elapsed() < Duration::from_secs(300));
    }
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(!status.success());
    writer.join().unwrap();
    // Acknowledgements already written before the kill count too.
    reader.join().unwrap();
    acked.extend(rx.try_iter().filter(|l| l.starts_with("ok ")));
    assert!(
        acked.len() < lines.len(),
        "the kill came after the stream ended"
    );

    // Restart: every acknowledged update is there.
    let mut present = HashSet::new();
    let tenants: HashSet<String> = acked
        .iter()
        .map(|l| l.split(' ').nth(1).unwrap().to_string())
        .collect();
    for t in &tenants {
        let out = ftop(&db).args(["task", "list", t]).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        for l in String::from_utf8_lossy(&out.stdout).lines() {
            let cols: Vec<&str> = l.split_whitespace().collect();
            let service = if ["exchange", "teams"].contains(&cols[1]) {
                cols[1]
            } else {
                ""
            };
            if l.contains("Complete") {
                present.insert(format!("{t} {} {service}", cols[0]));
            }
        }
    }
    for a in &acked {
        // `ok TENANT TASK SERVICE complete vN` (SERVICE may be empty: two spaces).
        let cols: Vec<&str> = a.split(' ').collect();
        let key = format!("{} {} {}", cols[1], cols[2], cols[3]);
        assert!(present.contains(&key), "acknowledged update lost: {a}");
    }
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_ftop"))
        .args(["--database", &db, "tenant", "list"])
        .output()
        .unwrap();
    assert!(check.status.success());
    // The file itself is sound.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let verdict = rt.block_on(async {
        let store = ftop_store::Store::open(&db).await.unwrap();
        store.integrity_check().await.unwrap()
    });
    assert_eq!(verdict, "ok");
    eprintln!(
        "{} acknowledged before SIGKILL, all present; integrity check: ok",
        acked.len()
    );
}
