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
