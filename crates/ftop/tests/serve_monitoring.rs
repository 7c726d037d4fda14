//! `ftop serve --metrics-addr ... --log-format json` as a real process: the separate address
//! serves /metrics without credentials (and nothing else), the main address refuses it
//! without an administrator, and the log lines are JSON objects carrying the request's ID.
//! Also the e-mail digests (issue 17) against a real SMTP server (aiosmtpd, from PyPI):
//! sent once per user and period in each user's language and time zone, a refused
//! delivery retried, the one-click unsubscribe link followed.

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
    // No SMTP server configured: said once.
    let off = lines
        .iter()
        .filter(|l| {
            l["message"]
                .as_str()
                .is_some_and(|m| m.contains("digests are off"))
        })
        .count();
    assert_eq!(off, 1, "{text}");
}

/// The Python that has aiosmtpd: `FTOP_AIOSMTPD_PYTHON` (scripts/test sets it to its
/// virtual environment's), else `python3` when it can import it. None: the digest test
/// skips, saying so, unless `FTOP_REQUIRE_SMTP=1` (CI), where it fails.
fn aiosmtpd_python() -> Option<String> {
    let candidates = std::env::var("FTOP_AIOSMTPD_PYTHON")
        .ok()
        .into_iter()
        .chain(["python3".to_string()]);
    for py in candidates {
        let ok = Command::new(&py)
            .args(["-c", "import aiosmtpd"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return Some(py);
        }
    }
    let why = "no Python with aiosmtpd (run scripts/test, or set FTOP_AIOSMTPD_PYTHON)";
    assert!(
        std::env::var("FTOP_REQUIRE_SMTP").as_deref() != Ok("1"),
        "{why}"
    );
    eprintln!("SKIPPED the digest test: {why}");
    None
}

/// The messages the SMTP server accepted so far, in order (quoted-printable undone).
fn delivered(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| unquote(&std::fs::read_to_string(p).unwrap()))
        .collect()
}

/// Undoes quoted-printable soft breaks and escapes (enough to read a message's text).
fn unquote(s: &str) -> String {
    let s = s.replace("=\r\n", "").replace("=\n", "");
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'='
            && i + 2 < b.len()
            && let Ok(x) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(x);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A plain HTTP/1.1 request with a form body: (status, response).
fn request(port: u16, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out.split(' ').nth(1).unwrap().parse().unwrap();
    (status, out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn digests_go_out_once_per_user_and_period_through_a_real_smtp_server() {
    use ftop_domain::UserRole;
    use ftop_store::{Actor, DigestFrequency, DigestSettings, EngagementUpdate, NewTenant, Store};
    let Some(python) = aiosmtpd_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mail = dir.path().join("mail");
    let smtp_port = free_port();
    let _smtp = Kill(
        Command::new(&python)
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{smtp_port}"),
            ])
            .args(["-c", "ftop_smtp_handler.Writer"])
            .arg(&mail)
            .env("PYTHONPATH", common::repo().join("tests/smtp"))
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for(smtp_port);

    // The portal, in this process, for the unsubscribe link.
    let url = format!("sqlite://{}", dir.path().join("d.db").display());
    let store = Store::open(&url).await.unwrap();
    let web_port = free_port();
    let app = ftop_web::App::new(store.clone());
    let addr: std::net::SocketAddr = format!("127.0.0.1:{web_port}").parse().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(ftop_web::serve(app.clone(), addr, async {
        let _ = stopped.await;
    }));
    tokio::task::spawn_blocking(move || wait_for(web_port))
        .await
        .unwrap();

    // Ana (English, New York) on Contoso, Beto (Spanish, Madrid) on Fabrikam, Carla
    // (English, UTC) on both; Ana's mailbox refuses its first delivery.
    let root = Actor::system("test");
    let tenants = [
        (
            "871e613c-59df-73c1-b016-f93aac00dccd",
            "contoso.onmicrosoft.com",
        ),
        (
            "0f8fad5b-d9cb-469f-a165-70867728950e",
            "fabrikam.onmicrosoft.com",
        ),
    ];
    for (id, name) in tenants {
        let t = store
            .add_tenant(
                &root,
                &NewTenant {
                    tenant_id: id.into(),
                    name: name.into(),
                    customer: "Contoso".into(),
                    services: vec![("exchange".into(), 100, None)],
                },
            )
            .await
            .unwrap();
        let u = EngagementUpdate {
            status_date: Some("2026-11-01".into()),
            ..Default::default()
        };
        store
            .update_engagement(&root, id, t.version, &u)
            .await
            .unwrap();
    }
    let people = [
        (
            "ana",
            "ana+refuse-once@example.com",
            "en",
            "America/New_York",
            &[0][..],
        ),
        ("beto", "beto@example.com", "es", "Europe/Madrid", &[1][..]),
        ("carla", "carla@example.com", "en", "UTC", &[0, 1][..]),
    ];
    for (name, email, language, zone, on) in people {
        let u = store
            .add_user(
                &root,
                name,
                UserRole::Engineer,
                "correct horse battery",
                None,
            )
            .await
            .unwrap();
        for &t in on {
            store
                .assign(
                    &root,
                    tenants[t].0,
                    name,
                    ftop_domain::AssignmentRole::FastTrackEngineer,
                    "",
                    false,
                )
                .await
                .unwrap();
        }
        let s = DigestSettings {
            email: Some(email.into()),
            language: language.into(),
            time_zone: zone.into(),
            digest: DigestFrequency::Weekly,
        };
        store.set_digest_settings(&root, u.id, &s).await.unwrap();
    }
    let mailer = ftop_web::digest::Mailer::new(
        &format!("smtp://127.0.0.1:{smtp_port}"),
        "ftop <ftop@example.com>",
        &format!("http://127.0.0.1:{web_port}"),
    )
    .unwrap();
    let run = |now: time::OffsetDateTime| {
        let (app, mailer) = (app.clone(), mailer.clone());
        async move { ftop_web::digest::run_due(&app, &mailer, now).await.unwrap() }
    };
    let wait_for_count = |n: usize| {
        let mail = mail.clone();
        async move {
            for _ in 0..100 {
                if mail.exists() && delivered(&mail).len() >= n {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            delivered(&mail)
        }
    };
    let to = |m: &String, who: &str| m.starts_with(&format!("X-Envelope-To: {who}"));

    // Monday 2026-12-07, 07:30 UTC: 08:30 in Madrid, still night in New York.
    let r = run(time::macros::datetime!(2026-12-07 07:30 UTC)).await;
    assert_eq!((r.sent, r.failed), (1, 0));
    let got = wait_for_count(1).await;
    assert_eq!(got.len(), 1);
    let beto = &got[0];
    assert!(to(beto, "beto@"), "{beto}");
    assert!(
        beto.contains("Content-Type: multipart/alternative"),
        "{beto}"
    );
    assert!(
        beto.contains("Content-Type: text/plain") && beto.contains("Content-Type: text/html"),
        "{beto}"
    );
    assert!(beto.contains("Hola, beto:"), "{beto}");
    assert!(beto.contains("Estado general por actualizar"), "{beto}");
    assert!(
        beto.contains("fabrikam.onmicrosoft.com") && !beto.contains("contoso.onmicrosoft.com"),
        "{beto}"
    );
    assert!(
        beto.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{beto}"
    );
    assert!(
        beto.contains(&format!(
            "List-Unsubscribe: <http://127.0.0.1:{web_port}/unsubscribe?token="
        )),
        "{beto}"
    );

    // 13:00 UTC: 08:00 in New York (Ana's server refuses once) and past 08:00 in UTC.
    let r = run(time::macros::datetime!(2026-12-07 13:00 UTC)).await;
    assert_eq!((r.sent, r.failed), (1, 1));
    let refused = std::fs::read_to_string(mail.join("refused.log")).unwrap();
    assert_eq!(refused.trim(), "ana+refuse-once@example.com");
    // Not yet due again at the same minute; a minute later it is, and goes through.
    let r = run(time::macros::datetime!(2026-12-07 13:00:30 UTC)).await;
    assert_eq!((r.sent, r.failed), (0, 0));
    let r = run(time::macros::datetime!(2026-12-07 13:01 UTC)).await;
    assert_eq!((r.sent, r.failed), (1, 0));
    // Later runs in the same period send nothing more.
    for now in [
        time::macros::datetime!(2026-12-07 13:05 UTC),
        time::macros::datetime!(2026-12-07 20:00 UTC),
    ] {
        let r = run(now).await;
        assert_eq!((r.sent, r.failed), (0, 0));
    }
    let got = wait_for_count(3).await;
    assert_eq!(got.len(), 3, "{got:#?}");
    let carla = got
        .iter()
        .find(|m| to(m, "carla@"))
        .expect("Carla's digest");
    let ana = got
        .iter()
        .find(|m| to(m, "ana+refuse-once@"))
        .expect("Ana's digest");
    assert!(
        ana.contains("Hello ana,") && ana.contains("Overall status to update"),
        "{ana}"
    );
    assert!(
        ana.contains("contoso.onmicrosoft.com") && !ana.contains("fabrikam.onmicrosoft.com"),
        "{ana}"
    );
    assert!(
        carla.contains("contoso.onmicrosoft.com") && carla.contains("fabrikam.onmicrosoft.com"),
        "{carla}"
    );
    let sends = store.digest_sends().await.unwrap();
    assert!(sends.iter().all(|s| s.state == "sent"), "{sends:?}");
    assert_eq!(
        sends.iter().map(|s| s.attempts).sum::<i64>(),
        4,
        "{sends:?}"
    );

    // Carla follows her link: a confirmation first, then one click stops the digests.
    let link = carla
        .lines()
        .find_map(|l| l.strip_prefix("List-Unsubscribe: <"))
        .unwrap()
        .trim_end()
        .trim_end_matches('>')
        .to_string();
    let path = link
        .split_once(&format!(":{web_port}"))
        .unwrap()
        .1
        .to_string();
    let (status, page) = tokio::task::spawn_blocking({
        let path = path.clone();
        move || request(web_port, "GET", &path, "")
    })
    .await
    .unwrap();
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("method=\"post\""), "{page}");
    let forged = path.replace("token=", "token=1");
    let (status, _) = tokio::task::spawn_blocking(move || request(web_port, "POST", &forged, ""))
        .await
        .unwrap();
    assert_eq!(status, 404);
    let (status, page) = tokio::task::spawn_blocking(move || {
        request(web_port, "POST", &path, "List-Unsubscribe=One-Click")
    })
    .await
    .unwrap();
    assert_eq!(status, 200, "{page}");

    // The next Monday: Ana and Beto once each, Carla no more.
    for now in [
        time::macros::datetime!(2026-12-14 13:00 UTC),
        time::macros::datetime!(2026-12-14 13:30 UTC),
    ] {
        run(now).await;
    }
    let got = wait_for_count(5).await;
    assert_eq!(got.len(), 5, "{got:#?}");
    let count = |who: &str| got.iter().filter(|m| to(m, who)).count();
    assert_eq!((count("ana+"), count("beto@"), count("carla@")), (2, 2, 1));
    let _ = stop.send(());
    server.await.unwrap().unwrap();
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

    // A report B keeps between views is read again after a change through A: the tenant,
    // once shared with a partner whose people are not its primary RM, joins B's
    // compliance list.
    let compliance = |port: u16| {
        let (s, _, body) = http(
            port,
            "GET",
            "/api/v1/reports/compliance",
            &[("Authorization", &bearer)],
            "",
        );
        assert_eq!(s, 200, "{body}");
        body
    };
    let kept = compliance(pb);
    assert!(kept.contains("\"rm_not_partner_total\":0"), "{kept}");
    assert_eq!(compliance(pb), kept);
    let json = [
        ("Authorization", bearer.as_str()),
        ("Content-Type", "application/json"),
    ];
    let (s, _, body) = http(
        pa,
        "POST",
        "/api/v1/partners",
        &json,
        r#"{"name": "Fabrikam"}"#,
    );
    assert_eq!(s, 201, "{body}");
    let (s, _, body) = http(
        pa,
        "PUT",
        &format!("/api/v1/tenants/{tenant}/partners"),
        &json,
        r#"{"partners": ["Fabrikam"]}"#,
    );
    assert_eq!(s, 200, "{body}");
    let now = compliance(pb);
    assert!(
        now.contains("\"rm_not_partner_total\":1") && now.contains(tenant),
        "B served the report it kept from before the change: {now}"
    );
    println!("several instances: a report kept by B follows a change made through A");

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
