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
