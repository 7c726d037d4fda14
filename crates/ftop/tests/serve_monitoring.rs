//! `ftop serve --metrics-addr ... --log-format json` as a real process: the separate address
//! serves /metrics without credentials (and nothing else), the main address refuses it
//! without an administrator, and the log lines are JSON objects carrying the request's ID.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{Kill, free_port, wait_for};
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

/// A plain HTTP/1.1 GET: (status, headers and body as one text).
fn get(port: u16, path: &str, request_id: &str) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: {request_id}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out.split(' ').nth(1).unwrap().parse().unwrap();
    (status, out)
}

#[test]
fn metrics_address_and_json_logs() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("m.db").display());
    let (port, mport) = (free_port(), free_port());
    let log = dir.path().join("log.jsonl");
    let server = Kill(
        Command::new(env!("CARGO_BIN_EXE_ftop"))
            .args([
                "--database",
                &url,
                "serve",
                "--addr",
                &format!("127.0.0.1:{port}"),
                "--metrics-addr",
                &format!("127.0.0.1:{mport}"),
                "--log-format",
                "json",
            ])
            // The request tracer's debug lines: one per request, inside its span.
            .env("FTOP_LOG", "info,tower_http=debug")
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for(port);
    wait_for(mport);

    let (s, r) = get(port, "/healthz", "e2e-health-1");
    assert_eq!(s, 200, "{r}");
    assert!(
        r.to_ascii_lowercase()
            .contains("x-request-id: e2e-health-1"),
        "{r}"
    );
    let (s, r) = get(port, "/metrics", "e2e-anon-2");
    assert_eq!(s, 401, "{r}");
    assert!(!r.contains("ftop_http"), "{r}");

    let (s, r) = get(mport, "/metrics", "x");
    assert_eq!(s, 200, "{r}");
    assert!(
        r.contains(r#"ftop_http_requests_total{method="GET",route="/healthz",status="200"} 1"#),
        "{r}"
    );
    assert!(
        r.contains(r#"ftop_http_requests_total{method="GET",route="/metrics",status="401"} 1"#),
        "{r}"
    );
    assert!(r.contains(r#"ftop_db_pool_max{pool="write"} 1"#), "{r}");
    let (s, _) = get(mport, "/healthz", "y");
    assert_eq!(s, 404, "the metrics address serves only /metrics");
    drop(server);

    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(
        lines.iter().any(|l| l["message"] == "ftop serving"),
        "{text}"
    );
    let of = |id: &str| {
        lines
            .iter()
            .filter(|l| l["span"]["id"] == id)
            .collect::<Vec<_>>()
    };
    let health = of("e2e-health-1");
    assert!(!health.is_empty(), "no log line of the request:\n{text}");
    for l in &health {
        assert_eq!(l["span"]["name"], "request", "{l}");
        assert_eq!(l["span"]["path"], "/healthz", "{l}");
        assert!(l["timestamp"].is_string() && l["level"].is_string(), "{l}");
    }
    assert!(!of("e2e-anon-2").is_empty(), "{text}");
}

/// An HTTP/1.1 request: (status, head, body).
fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String, String) {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let (head, body) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_string(), body.to_string())
}

/// The value of header `name` in `head` (the first one), case-insensitive.
fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// The PostgreSQL server of the tests (`FTOP_TEST_POSTGRES_URL`, else the one
/// `scripts/pg-test-server` starts), or why there is none.
fn postgres_server() -> Result<String, String> {
    if let Ok(u) = std::env::var("FTOP_TEST_POSTGRES_URL")
        && !u.is_empty()
    {
        return Ok(u);
    }
    let out = Command::new(common::repo().join("scripts/pg-test-server"))
        .output()
        .map_err(|e| format!("cannot run scripts/pg-test-server: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// A program on the PATH, or None.
fn program(name: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .chain(["/usr/sbin", "/sbin"])
        .map(|d| std::path::Path::new(d).join(name))
        .find(|p| p.is_file())
}

/// `ftop --database URL ARGS...` with `stdin`; its stdout, or the test fails with stderr.
fn ftop_on(url: &str, args: &[&str], stdin: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ftop"))
        .args(["--database", url])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "ftop {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// How many times an instance answered `GET route` with 200, from its /metrics.
fn served(port: u16, cookie: &str, route: &str) -> u64 {
    let (s, _, body) = http(port, "GET", "/metrics", &[("Cookie", cookie)], "");
    assert_eq!(s, 200, "{body}");
    let line = format!(r#"ftop_http_requests_total{{method="GET",route="{route}",status="200"}} "#);
    body.lines()
        .find_map(|l| l.strip_prefix(&line))
        .map_or(0, |n| n.trim().parse().unwrap())
}

/// Several instances of `ftop serve` against one PostgreSQL database behind HAProxy (from
/// Debian's packages): started together on an empty database they migrate it once; a
/// session made on one is valid on the other and through the load balancer (which sends
/// requests to both); a change through one is read at once through the other; a new
/// playbook version loaded into the database reaches both; the sign-in throttle counts
/// failures made on either. Skips with the reason when PostgreSQL or HAProxy is missing,
/// unless `FTOP_REQUIRE_POSTGRES=1` (CI), where it fails.
#[test]
fn several_instances_behind_haproxy_share_one_postgresql_database() {
    let required = std::env::var("FTOP_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
    let missing = |why: String| {
        assert!(!required, "several instances cannot be tested: {why}");
        eprintln!("SKIPPED (several instances): {why}");
    };
    let server = match postgres_server() {
        Ok(u) => u,
        Err(why) => return missing(why),
    };
    let (Some(haproxy), Some(psql)) = (program("haproxy"), program("psql")) else {
        return missing("haproxy or psql is not installed".into());
    };
    println!(
        "several instances: PostgreSQL {server}, {}",
        haproxy.display()
    );
    let name = format!("ftop_multi_{}", std::process::id());
    let sql = |db: &str, q: &str| {
        let out = Command::new(&psql).args([db, "-tAc", q]).output().unwrap();
        assert!(
            out.status.success(),
            "{q}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    sql(&server, &format!("DROP DATABASE IF EXISTS {name}"));
    sql(&server, &format!("CREATE DATABASE {name}"));
    let url = format!("{}/{name}", server.rsplit_once('/').unwrap().0);

    // Two instances started together on the empty database.
    let (pa, pb, lb) = (free_port(), free_port(), free_port());
    let serve = |port: u16| {
        Kill(
            Command::new(env!("CARGO_BIN_EXE_ftop"))
                .args([
                    "--database",
                    &url,
                    "serve",
                    "--addr",
                    &format!("127.0.0.1:{port}"),
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        )
    };
    let (_a, _b) = (serve(pa), serve(pb));
    wait_for(pa);
    wait_for(pb);
    let twice = sql(
        &url,
        "SELECT COUNT(*) FROM (SELECT version FROM schema_migrations GROUP BY version HAVING COUNT(*) > 1) d",
    );
    assert_eq!(twice, "0", "a migration was recorded twice");
    let versions = sql(&url, "SELECT COUNT(*) FROM schema_migrations");
    println!("several instances: both up, {versions} migrations applied once");

    // The load balancer, in front of both, checking their health.
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("haproxy.cfg");
    std::fs::write(
        &cfg,
        format!(
            "global\n  maxconn 256\ndefaults\n  mode http\n  timeout connect 5s\n  timeout client 30s\n  timeout server 30s\n\
             frontend ftop\n  bind 127.0.0.1:{lb}\n  default_backend instances\n\
             backend instances\n  balance roundrobin\n  option httpchk GET /healthz\n\
               server a 127.0.0.1:{pa} check inter 1s\n  server b 127.0.0.1:{pb} check inter 1s\n"
        ),
    )
    .unwrap();
    let _lb = Kill(
        Command::new(&haproxy)
            .args(["-db", "-f", cfg.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for(lb);

    // An administrator, a token, a tenant and the bundled playbook, through the CLI.
    ftop_on(
        &url,
        &["user", "add", "ada", "--role", "admin", "--password-stdin"],
        "correct horse battery staple\n",
    );
    let token = ftop_on(&url, &["token", "create", "ada"], "");
    let token = token.lines().last().unwrap().trim().to_string();
    ftop_on(&url, &["playbook", "load"], "");
    let tenant = "0f8fad5b-d9cb-469f-a165-70867728950e";
    ftop_on(
        &url,
        &[
            "tenant",
            "add",
            "--id",
            tenant,
            "--name",
            "contoso.onmicrosoft.com",
            "--customer",
            "Contoso",
            "--service",
            "exchange=300",
        ],
        "",
    );

    // A session made on A is valid on B, and through the load balancer on both.
    let form = "name=ada&password=correct+horse+battery+staple&csrf=pre";
    let (s, head, _) = http(
        pa,
        "POST",
        "/signin",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", "ftop_signin=pre"),
        ],
        form,
    );
    assert_eq!(s, 303, "{head}");
    let session = header(&head, "set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let (s, _, body) = http(pb, "GET", "/account", &[("Cookie", &session)], "");
    assert_eq!(s, 200, "the session made on A is unknown to B: {body}");
    let before = (
        served(pa, &session, "/account"),
        served(pb, &session, "/account"),
    );
    for _ in 0..6 {
        let (s, _, _) = http(lb, "GET", "/account", &[("Cookie", &session)], "");
        assert_eq!(s, 200);
    }
    let after = (
        served(pa, &session, "/account"),
        served(pb, &session, "/account"),
    );
    let (on_a, on_b) = (after.0 - before.0, after.1 - before.1);
    println!("several instances: the load balancer sent {on_a} requests to A and {on_b} to B");
    assert_eq!(on_a + on_b, 6);
    assert!(
        on_a >= 2 && on_b >= 2,
        "both instances serve: {on_a} and {on_b}"
    );

    // A change through A is read at once through B.
    let bearer = format!("Bearer {token}");
    let (s, _, body) = http(
        pa,
        "PUT",
        &format!("/api/v1/tenants/{tenant}/priority"),
        &[
            ("Authorization", &bearer),
            ("Content-Type", "application/json"),
        ],
        r#"{"priority": "high"}"#,
    );
    assert_eq!(s, 200, "{body}");
    let (s, _, body) = http(
        pb,
        "GET",
        &format!("/api/v1/tenants/{tenant}"),
        &[("Authorization", &bearer)],
        "",
    );
    assert_eq!(s, 200);
    assert!(
        body.contains("\"priority\":\"high-override\""),
        "B read a stale tenant: {body}"
    );

    // A new playbook version loaded into the database reaches both within seconds.
    let pb_dir = dir.path().join("en");
    std::fs::create_dir(&pb_dir).unwrap();
    for f in std::fs::read_dir(common::repo().join("playbook/en")).unwrap() {
        let f = f.unwrap().path();
        let mut text = std::fs::read_to_string(&f).unwrap();
        if f.file_name().unwrap() == "adoption-continuum.md" {
            text = text.replacen("\n# ", "\n# Revised: ", 1);
            if !text.contains("Revised: ") {
                text = text.replacen("# ", "# Revised: ", 1);
            }
        }
        std::fs::write(pb_dir.join(f.file_name().unwrap()), text).unwrap();
    }
    ftop_on(&url, &["playbook", "load", pb_dir.to_str().unwrap()], "");
    for port in [pa, pb] {
        let start = std::time::Instant::now();
        loop {
            let (_, _, body) = http(
                port,
                "GET",
                "/api/v1/playbook",
                &[("Authorization", &bearer)],
                "",
            );
            if body.contains("Revised: ") {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(40),
                "the new playbook never reached :{port}"
            );
            std::thread::sleep(Duration::from_millis(500));
        }
        println!("several instances: the new playbook reached :{port}");
    }

    // Wrong passwords on A and B alternately: the fifth failure throttles the name on both.
    for i in 0..5 {
        let port = if i % 2 == 0 { pa } else { pb };
        let (s, head, _) = http(
            port,
            "POST",
            "/signin",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Cookie", "ftop_signin=pre"),
            ],
            "name=ada&password=wrong+guess+here&csrf=pre",
        );
        assert_eq!(s, 303);
        let to = header(&head, "location").unwrap();
        assert!(to.contains("error=bad"), "attempt {i}: {to}");
    }
    for port in [pa, pb] {
        let (_, head, _) = http(
            port,
            "POST",
            "/signin",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Cookie", "ftop_signin=pre"),
            ],
            form,
        );
        let to = header(&head, "location").unwrap();
        assert!(
            to.contains("error=throttled"),
            "the throttle did not hold on :{port}: {to}"
        );
    }
    println!("several instances: the sign-in throttle held on both after failures on either");
    drop(_lb);
    drop((_a, _b));
    sql(
        &server,
        &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    );
}
