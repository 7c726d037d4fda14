//! The engagement commands from the command line: tenants, import, users, tokens, playbook
//! versions, tasks. Each test uses its own SQLite file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

struct Db {
    _dir: tempfile::TempDir,
    url: String,
}

fn db() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    Db { _dir: dir, url }
}

fn run(db: &Db, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ftop"))
        .env("FTOP_DATABASE_URL", &db.url)
        .args(args)
        .output()
        .unwrap()
}

fn ok(db: &Db, args: &[&str]) -> String {
    let o = run(db, args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

const T1: &str = "871e613c-59df-73c1-b016-f93aac00dccd";

#[test]
fn tenants_add_list_show() {
    let d = db();
    let out = ok(
        &d,
        &[
            "tenant",
            "add",
            "--id",
            T1,
            "--name",
            "contoso.onmicrosoft.com",
            "--customer",
            "Contoso",
            "--service",
            "Exchange=300:280",
            "--service",
            "teams=250",
        ],
    );
    assert!(out.contains("added tenant 871e613c"), "{out}");
    let list: serde_json::Value =
        serde_json::from_str(&ok(&d, &["tenant", "list", "--format", "json"])).unwrap();
    assert_eq!(list[0]["tenant_id"], T1);
    assert_eq!(list[0]["services"], 2);
    let show: serde_json::Value =
        serde_json::from_str(&ok(&d, &["tenant", "show", T1, "--format", "json"])).unwrap();
    assert_eq!(show["tenant"]["services"][0]["service"], "exchange");
    assert_eq!(show["tenant"]["services"][0]["qualified"], 280);
    assert_eq!(
        show["entitlement_status"][0]["rows"][0]["l1"],
        "status-unknown"
    );
    assert!(show["tasks"].as_array().unwrap().len() > 50);
    // Bad input: field errors, non-zero exit, nothing added.
    let bad = run(
        &d,
        &[
            "tenant",
            "add",
            "--id",
            "nope",
            "--name",
            "x",
            "--customer",
            "C",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("tenant_id:") && err.contains("tenant_name:"),
        "{err}"
    );
    assert!(ok(&d, &["tenant", "list"]).contains("1 tenants"));
}

#[test]
fn import_is_whole_or_nothing_and_repeatable() {
    let d = db();
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "tenant_id,tenant_name,customer,service,entitlements,qualified_entitlements,region\n\
         871e613c-59df-73c1-b016-f93aac00dccd,contoso.onmicrosoft.com,Contoso,Exchange,300,,EMEA\n\
         871e613c-59df-73c1-b016-f93aac00dccd,contoso.onmicrosoft.com,Contoso,spo,300,250,EMEA\n\
         0f8fad5b-d9cb-469f-a165-70867728950e,fabrikam.onmicrosoft.com,Fabrikam,Intune,1200,1000,APJ\n",
    )
    .unwrap();
    let bad = dir.path().join("bad.csv");
    let mut text = std::fs::read_to_string(&good).unwrap();
    text.push_str(
        "0f8fad5b-d9cb-469f-a165-70867728950e,fabrikam.onmicrosoft.com,Fabrikam,Teams,lots,,APJ\n",
    );
    std::fs::write(&bad, text).unwrap();
    let o = run(&d, &["import", "tenants", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("line 5: entitlements"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert!(ok(&d, &["tenant", "list"]).contains("0 tenants"));
    let first = ok(&d, &["import", "tenants", good.to_str().unwrap()]);
    assert!(
        first.contains("tenants: 2 created") && first.contains("services: 3 created"),
        "{first}"
    );
    let again = ok(&d, &["import", "tenants", good.to_str().unwrap()]);
    assert!(
        again
            .contains("tenants: 0 created, 0 updated; services: 0 created, 0 updated; 3 unchanged"),
        "{again}"
    );
    let missing = dir.path().join("nohdr.csv");
    std::fs::write(&missing, "id,name\n1,2\n").unwrap();
    let o = run(&d, &["import", "tenants", missing.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("no `tenant_id` column"));
}

#[test]
fn users_and_tokens() {
    let d = db();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ftop"))
        .env("FTOP_DATABASE_URL", &d.url)
        .args([
            "user",
            "add",
            "pat",
            "--role",
            "partner",
            "--partner",
            "Fabrikam Partners",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a long enough password\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = ok(&d, &["token", "create", "pat"]);
    let last = out.lines().last().unwrap();
    assert!(last.starts_with("ftop_") && last.len() == 69, "{last}");
    let o = run(&d, &["token", "create", "nobody"]);
    assert!(!o.status.success());
    let o = run(
        &d,
        &["user", "add", "x", "--role", "wizard", "--password-stdin"],
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("is not a role"));
}

#[test]
fn playbook_versions_and_task_updates() {
    let d = db();
    ok(
        &d,
        &[
            "tenant",
            "add",
            "--id",
            T1,
            "--name",
            "contoso.onmicrosoft.com",
            "--customer",
            "Contoso",
            "--service",
            "Exchange=300",
        ],
    );
    let again = ok(&d, &["playbook", "load"]);
    assert!(again.contains("already loaded"), "{again}");
    let list = ok(&d, &["task", "list", T1]);
    let first = list
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let set = ok(&d, &["task", "set", T1, &first, "--status", "complete"]);
    assert!(set.contains("is Complete (100%), version 1"), "{set}");
    // A stale version is refused.
    let o = run(
        &d,
        &[
            "task",
            "set",
            T1,
            &first,
            "--status",
            "in-progress",
            "--expect-version",
            "0",
        ],
    );
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("conflict"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The seven lines of a file in each line-ending style (LF, CRLF, CR), and LF and CRLF with
/// the sixth line blank (right before the bad seventh): errors count the header as line 1
/// whatever ends the lines.
fn line_endings(lines: &[String]) -> Vec<(&'static str, String)> {
    let mut blank = lines.to_vec();
    blank[5] = String::new();
    vec![
        ("lf", lines.join("\n") + "\n"),
        ("crlf", lines.join("\r\n") + "\r\n"),
        ("cr", lines.join("\r") + "\r"),
        ("lf-blank", blank.join("\n") + "\n"),
        ("crlf-blank", blank.join("\r\n") + "\r\n"),
    ]
}

#[test]
fn import_errors_name_the_line_of_the_file() {
    let d = db();
    let dir = tempfile::tempdir().unwrap();
    let mut lines = vec![
        "tenant_id,tenant_name,customer,service,entitlements,qualified_entitlements".to_string(),
    ];
    for service in ["Exchange", "spo", "Teams", "Intune", "Yammer"] {
        lines.push(format!(
            "{T1},contoso.onmicrosoft.com,Contoso,{service},300,"
        ));
    }
    lines.push(format!(
        "{T1},contoso.onmicrosoft.com,Contoso,OneDrive,lots,"
    ));
    assert_eq!(lines.len(), 7);
    for (style, text) in line_endings(&lines) {
        let f = dir.path().join(format!("{style}.csv"));
        std::fs::write(&f, text).unwrap();
        let o = run(&d, &["import", "tenants", f.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{style}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(": line 7: entitlements"), "{style}: {err}");
        assert!(!err.contains("line 6"), "{style}: {err}");
    }
}

#[test]
fn usage_import_errors_name_the_line_of_the_file() {
    let d = db();
    ok(
        &d,
        &[
            "tenant",
            "add",
            "--id",
            T1,
            "--name",
            "contoso.onmicrosoft.com",
            "--customer",
            "Contoso",
            "--service",
            "Exchange=1000",
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let mut lines = vec!["tenant_id,service,date,active_users".to_string()];
    for month in ["01-31", "02-29", "03-31", "04-30", "05-31"] {
        lines.push(format!("{T1},exchange,2024-{month},10"));
    }
    lines.push(format!("{T1},exchange,2024-06-30,-1"));
    assert_eq!(lines.len(), 7);
    for (style, text) in line_endings(&lines) {
        let f = dir.path().join(format!("{style}.csv"));
        std::fs::write(&f, text).unwrap();
        let o = run(&d, &["usage", "import", f.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{style}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(": line 7: active_users"), "{style}: {err}");
        assert!(!err.contains("line 6"), "{style}: {err}");
    }
}
