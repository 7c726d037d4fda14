//! The restore drill: `ftop serve` on an SQLite file under a write load through the API
//! (task updates and notes from several clients at once), `ftop backup` in the middle of
//! it, `ftop restore` into a fresh path, and every change acknowledged before the backup
//! began is in the restored database, which passes its integrity check. Then what the two
//! commands refuse.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::free_port;
use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WORKERS: usize = 4;

fn ftop(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ftop"))
        .arg("--database")
        .arg(db)
        .args(args)
        .output()
        .expect("run ftop")
}

fn ok(db: &str, args: &[&str]) -> String {
    let o = ftop(db, args);
    assert!(
        o.status.success(),
        "ftop {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Kills the server when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One HTTP/1.1 request on its own connection: the status and the body.
fn http(port: u16, method: &str, path: &str, token: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect to ftop serve");
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {out:?}"));
    let body = out.split_once("\r\n\r\n").map_or("", |b| b.1).to_string();
    (status, body)
}

fn wait_until_healthy(port: u16, log: &Path) {
    let start = Instant::now();
    loop {
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            let mut out = String::new();
            let _ = s.read_to_string(&mut out);
            if out.starts_with("HTTP/1.1 200") {
                return;
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "ftop serve did not come up; its log:\n{}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// One change a client made: a task set to complete, or a note with a unique body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Change {
    Task {
        tenant: String,
        task: String,
        service: String,
    },
    Note {
        tenant: String,
        body: String,
    },
}

#[test]
fn a_backup_taken_under_load_restores_every_change_acknowledged_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let live = format!("sqlite://{}", dir.path().join("live.db").display());
    // Tenants (one per client), an admin and their API token.
    let mut work: Vec<Vec<(String, String, String)>> = Vec::new();
    for w in 0..WORKERS {
        let id = format!("{w:08x}-0000-4000-8000-00000000b0b0");
        ok(
            &live,
            &[
                "tenant",
                "add",
                "--id",
                &id,
                "--name",
                &format!("drill{w}.onmicrosoft.com"),
                "--customer",
                "Drill",
                "--service",
                "Exchange=500",
                "--service",
                "Teams=400",
            ],
        );
        let tasks = ok(&live, &["task", "list", &id])
            .lines()
            .map(|l| {
                let cols: Vec<&str> = l.split_whitespace().collect();
                let service = if ["exchange", "teams"].contains(&cols[1]) {
                    cols[1]
                } else {
                    ""
                };
                (id.clone(), cols[0].to_string(), service.to_string())
            })
            .collect::<Vec<_>>();
        assert!(tasks.len() > 100, "{} tasks", tasks.len());
        work.push(tasks);
    }
    let mut add = Command::new(env!("CARGO_BIN_EXE_ftop"))
        .args([
            "--database",
            &live,
            "user",
            "add",
            "drill",
            "--role",
            "admin",
        ])
        .arg("--password-stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all(b"backup test: quietly unusual passphrase 7391\n")
        .unwrap();
    let o = add.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let token = ok(&live, &["token", "create", "drill"])
        .lines()
        .last()
        .unwrap()
        .trim()
        .to_string();

    let port = free_port();
    let log = dir.path().join("serve.log");
    let _server = Server(
        Command::new(env!("CARGO_BIN_EXE_ftop"))
            .args(["--database", &live, "serve", "--addr"])
            .arg(format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap(),
    );
    wait_until_healthy(port, &log);

    // The load: each client completes its tenant's tasks one by one and writes a note
    // after every second task; each acknowledged change is logged with when its answer came.
    let acked: Arc<Mutex<Vec<(Instant, Change)>>> = Arc::default();
    let refused: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = work
        .into_iter()
        .enumerate()
        .map(|(w, tasks)| {
            let (acked, refused, stop, token) =
                (acked.clone(), refused.clone(), stop.clone(), token.clone());
            std::thread::spawn(move || {
                for (n, (tenant, task, service)) in tasks.into_iter().enumerate() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let body =
                        format!(r#"{{"service":"{service}","version":0,"status":"complete"}}"#);
                    let path = format!("/api/v1/tenants/{tenant}/tasks/{task}");
                    let (status, answer) = http(port, "PATCH", &path, &token, &body);
                    if status == 200 {
                        let c = Change::Task {
                            tenant: tenant.clone(),
                            task,
                            service,
                        };
                        acked.lock().unwrap().push((Instant::now(), c));
                    } else {
                        refused.lock().unwrap().push(format!("{status} {answer}"));
                    }
                    if n % 2 == 1 {
                        let text = format!("drill note {w}-{n}");
                        let body = format!(r#"{{"body":"{text}"}}"#);
                        let path = format!("/api/v1/tenants/{tenant}/notes");
                        let (status, answer) = http(port, "POST", &path, &token, &body);
                        if status == 201 {
                            let c = Change::Note { tenant, body: text };
                            acked.lock().unwrap().push((Instant::now(), c));
                        } else {
                            refused.lock().unwrap().push(format!("{status} {answer}"));
                        }
                    }
                }
            })
        })
        .collect();
    let acks = || acked.lock().unwrap().len();
    let start = Instant::now();
    while acks() < 120 {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the load does not get through: {} acknowledged; refused: {:?}",
            acks(),
            refused.lock().unwrap().iter().take(3).collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    // The backup, while the clients go on writing.
    let backup = dir.path().join("drill.backup");
    let began = Instant::now();
    let before: HashSet<Change> = acked
        .lock()
        .unwrap()
        .iter()
        .filter(|(t, _)| *t < began)
        .map(|(_, c)| c.clone())
        .collect();
    let out = ftop(&live, &["backup", backup.to_str().unwrap()]);
    let ended = Instant::now();
    assert!(
        out.status.success(),
        "backup failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("integrity check: ok"), "{said}");
    // Let the load run on a little, then stop it and the server.
    let after_backup = acks();
    while acks() < after_backup + 20 && ended.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(20));
    }
    stop.store(true, Ordering::SeqCst);
    for c in clients {
        c.join().unwrap();
    }
    drop(_server);
    let all = acked.lock().unwrap().clone();
    let during = all
        .iter()
        .filter(|(t, _)| *t >= began && *t <= ended)
        .count();
    let later = all.iter().filter(|(t, _)| *t > ended).count();
    assert!(later > 0, "the load went on after the backup");

    // Restore into a fresh path, as on a replacement machine.
    let fresh = dir.path().join("restored").join("ftop.db");
    std::fs::create_dir(fresh.parent().unwrap()).unwrap();
    let fresh_url = format!("sqlite://{}", fresh.display());
    let said = ok(&fresh_url, &["restore", backup.to_str().unwrap()]);
    assert!(said.contains("integrity check: ok"), "{said}");

    let rt = tokio::runtime::Runtime::new().unwrap();
    let (present, verdict) = rt.block_on(async {
        let store = ftop_store::Store::open(&fresh_url).await.unwrap();
        store.refresh_playbook().await.unwrap();
        let verdict = store.integrity_check().await.unwrap();
        let mut present = HashSet::new();
        for w in 0..WORKERS {
            let tenant = format!("{w:08x}-0000-4000-8000-00000000b0b0");
            for t in store.tenant_tasks(&tenant).await.unwrap() {
                if t.status == ftop_domain::TaskStatus::Complete {
                    present.insert(Change::Task {
                        tenant: tenant.clone(),
                        task: t.task_id.to_string(),
                        service: t.service.clone(),
                    });
                }
            }
            let f = ftop_store::NoteFilter {
                tenant_id: Some(tenant.clone()),
                limit: Some(1_000_000),
                ..Default::default()
            };
            for n in store.notes(&f).await.unwrap() {
                present.insert(Change::Note {
                    tenant: tenant.clone(),
                    body: n.body,
                });
            }
        }
        (present, verdict)
    });
    assert_eq!(verdict, "ok");
    let lost: Vec<&Change> = before.iter().filter(|c| !present.contains(c)).collect();
    assert!(
        lost.is_empty(),
        "{} of {} changes acknowledged before the backup are missing, e.g. {:?}",
        lost.len(),
        before.len(),
        lost.first()
    );
    eprintln!(
        "restore drill: {} changes acknowledged before the backup, all restored; {during} \
         acknowledged while it ran, {later} after; integrity check: {verdict}",
        before.len()
    );
}

/// A database with its migrations (and the bundled playbook), made by a quick command.
fn made_db(dir: &Path, name: &str) -> (String, PathBuf) {
    let path = dir.join(name);
    let url = format!("sqlite://{}", path.display());
    ok(&url, &["tenant", "list"]);
    (url, path)
}

fn refused_with(o: &Output, code: i32, words: &[&str]) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(code), "stderr: {err}");
    for w in words {
        assert!(err.contains(w), "`{w}` not in: {err}");
    }
}

#[test]
fn backup_and_restore_refuse_what_they_must() {
    let dir = tempfile::tempdir().unwrap();
    let (url, _) = made_db(dir.path(), "live.db");
    let backup = dir.path().join("b.db");
    let b = backup.to_str().unwrap();
    ok(&url, &["backup", b]);
    // Backup: an existing file without --force.
    let before = std::fs::read(&backup).unwrap();
    refused_with(
        &ftop(&url, &["backup", b]),
        1,
        &["already exists", "--force"],
    );
    assert_eq!(std::fs::read(&backup).unwrap(), before);
    ok(&url, &["backup", "--force", b]);

    // Restore: an existing target without --force.
    let (other, other_path) = made_db(dir.path(), "other.db");
    refused_with(
        &ftop(&other, &["restore", b]),
        1,
        &["already exists", "--force"],
    );
    // With --force the current database is kept beside it.
    let said = ok(&other, &["restore", "--force", b]);
    assert!(said.contains(".before-restore-"), "{said}");
    let kept: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("other.db.before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(other_path.exists());

    // Restore: a file that is not a database.
    let fresh = format!("sqlite://{}", dir.path().join("fresh.db").display());
    let text = dir.path().join("readme.txt");
    std::fs::write(&text, "this is a text file and nothing else\n".repeat(10)).unwrap();
    refused_with(
        &ftop(&fresh, &["restore", text.to_str().unwrap()]),
        1,
        &["is not an SQLite database"],
    );
    // Restore: a corrupted backup (pages past the header overwritten).
    let mut bytes = std::fs::read(&backup).unwrap();
    let len = bytes.len();
    assert!(len > 16 * 4096, "{len} bytes");
    for (i, x) in bytes[4096..len - 4096].iter_mut().enumerate() {
        *x = (i % 251) as u8;
    }
    let bad = dir.path().join("bad.db");
    std::fs::write(&bad, &bytes).unwrap();
    refused_with(
        &ftop(&fresh, &["restore", bad.to_str().unwrap()]),
        1,
        &["cannot be restored"],
    );
    assert!(!dir.path().join("fresh.db").exists(), "nothing restored");

    // PostgreSQL: the commands point to pg_dump / pg_restore.
    let pg = "postgres://nobody@127.0.0.1:1/none";
    refused_with(
        &ftop(pg, &["backup", "x.db"]),
        2,
        &["pg_dump", "docs/operations.md"],
    );
    refused_with(
        &ftop(pg, &["restore", b]),
        2,
        &["pg_restore", "docs/operations.md"],
    );
    // The help says what the commands do.
    let help = ok(&url, &["backup", "--help"]);
    assert!(help.contains("consistent snapshot") && help.contains("--force"));
    let help = ok(&url, &["restore", "--help"]);
    assert!(help.contains("before-restore") && help.contains("integrity check"));
}
