//! Monitoring through the real router on a real SQLite database: `GET /metrics` after real
//! requests (series by route template, never the raw path; pools; group commit; sign-in
//! failures and throttles; imported rows), who may read it on the main address and on the
//! separate one, and the request ID in the response header, in the log lines of the request
//! and on error pages and JSON error bodies.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use common::{Harness, PASSWORD, Reply, Who, enc};
use ftop_domain::UserRole;
use http_body_util::BodyExt;
use std::net::SocketAddr;
use tower::ServiceExt;

const T: &str = "871e613c-59df-73c1-b016-f93aac00dccd";
const NOT_THERE: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

async fn harness() -> Harness {
    let mut h = Harness::new().await;
    h.tenant(T, "t.onmicrosoft.com", &[("exchange", 300, Some(300))])
        .await;
    h.person("admin", UserRole::Admin, None).await;
    h.person("maria", UserRole::Manager, None).await;
    h
}

/// Sends through `router` (one router for the whole test, as a server has).
async fn send(router: &Router, mut req: Request<Body>) -> Reply {
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(h: &Harness, router: &Router, who: Who<'_>, path: &str) -> Reply {
    send(
        router,
        h.request(who, "GET", path).body(Body::empty()).unwrap(),
    )
    .await
}

/// One wrong (or right) sign-in through the form: where it sent the browser.
async fn sign_in(router: &Router, name: &str, password: &str) -> String {
    let form = send(router, Request::get("/signin").body(Body::empty()).unwrap()).await;
    let pre = form.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let token = pre.split_once('=').unwrap().1.to_string();
    let r = send(
        router,
        Request::post("/signin")
            .header(header::COOKIE, &pre)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "name={}&password={}&csrf={token}",
                enc(name),
                enc(password)
            )))
            .unwrap(),
    )
    .await;
    r.location().to_string()
}

/// The value of the series written exactly as `series` (name and labels), if present.
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

fn must(text: &str, series: &str) -> f64 {
    value(text, series).unwrap_or_else(|| panic!("no series {series}:\n{text}"))
}

async fn scrape(h: &Harness, router: &Router) -> String {
    let r = get(h, router, Who::Bearer("admin"), "/metrics").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.headers[header::CONTENT_TYPE],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    r.body
}

#[tokio::test]
async fn requests_are_counted_and_timed_by_route_template_and_status() {
    let h = harness().await;
    let router = ftop_web::router(ftop_web::App::new(h.store.clone()));
    for _ in 0..2 {
        let r = get(
            &h,
            &router,
            Who::Bearer("admin"),
            &format!("/api/v1/tenants/{T}"),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let path = format!("/api/v1/tenants/{NOT_THERE}");
    assert_eq!(
        get(&h, &router, Who::Bearer("admin"), &path).await.status,
        StatusCode::NOT_FOUND
    );
    let r = get(&h, &router, Who::Session("maria"), &format!("/tenants/{T}")).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = get(&h, &router, Who::Anon, "/no/such/page/12345").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let text = scrape(&h, &router).await;
    let route = r#"route="/api/v1/tenants/{id}""#;
    assert_eq!(
        must(
            &text,
            &format!(r#"ftop_http_requests_total{{method="GET",{route},status="200"}}"#)
        ),
        2.0
    );
    assert_eq!(
        must(
            &text,
            &format!(r#"ftop_http_requests_total{{method="GET",{route},status="404"}}"#)
        ),
        1.0
    );
    assert_eq!(
        must(
            &text,
            r#"ftop_http_requests_total{method="GET",route="/tenants/{id}",status="200"}"#
        ),
        1.0
    );
    assert_eq!(
        must(
            &text,
            r#"ftop_http_requests_total{method="GET",route="unmatched",status="404"}"#
        ),
        1.0
    );
    // The latency histogram: every request in the +Inf bucket and the count.
    let h2 = format!(r#"{{method="GET",{route},status_class="2xx"}}"#);
    assert_eq!(
        must(
            &text,
            &format!("ftop_http_request_duration_seconds_count{h2}")
        ),
        2.0
    );
    assert_eq!(
        must(
            &text,
            &format!(
                r#"ftop_http_request_duration_seconds_bucket{{method="GET",{route},status_class="2xx",le="+Inf"}}"#
            )
        ),
        2.0
    );
    assert!(
        must(
            &text,
            &format!("ftop_http_request_duration_seconds_sum{h2}")
        ) > 0.0
    );
    // IDs and raw paths never become labels.
    for raw in [T, NOT_THERE, "12345"] {
        assert!(!text.contains(raw), "`{raw}` in the metrics:\n{text}");
    }
    // The pools of the SQLite store: one writer, four readers at most.
    assert_eq!(must(&text, r#"ftop_db_pool_max{pool="write"}"#), 1.0);
    assert_eq!(must(&text, r#"ftop_db_pool_max{pool="read"}"#), 4.0);
    let open = must(&text, r#"ftop_db_pool_connections{pool="read"}"#);
    let idle = must(&text, r#"ftop_db_pool_idle{pool="read"}"#);
    let busy = must(&text, r#"ftop_db_pool_in_use{pool="read"}"#);
    assert!(open >= 1.0, "{text}");
    assert_eq!(open, idle + busy, "{text}");
    // Help and type lines are there for Prometheus.
    assert!(
        text.contains("# TYPE ftop_http_requests_total counter"),
        "{text}"
    );
    assert!(
        text.contains("# TYPE ftop_http_request_duration_seconds histogram"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_commit_imports_and_sign_ins_are_counted() {
    let h = harness().await;
    let router = ftop_web::router(ftop_web::App::new(h.store.clone()));
    let before = scrape(&h, &router).await;
    assert_eq!(must(&before, "ftop_group_commit_batch_size_count"), 0.0);
    assert_eq!(must(&before, "ftop_sign_in_failures_total"), 0.0);
    assert!(
        !before.contains("ftop_import_rows_total{"),
        "no import yet, no series:\n{before}"
    );

    // Three task changes through the API: each waits for its commit, so three batches.
    let tasks = h.store.tenant_tasks(T).await.unwrap();
    for t in tasks.iter().take(3) {
        let req = h
            .request(
                Who::Bearer("admin"),
                "PATCH",
                &format!("/api/v1/tenants/{T}/tasks/{}", t.task_id),
            )
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"version": 0, "status": "in-progress"}"#))
            .unwrap();
        let r = send(&router, req).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    // A usage file: 2 rows written, 1 left out.
    let csv = format!(
        "tenant_id,service,date,active_users\n{T},exchange,2026-01-31,20\n\
         {T},exchange,2026-02-28,30\n{NOT_THERE},exchange,2026-02-28,30\n"
    );
    let req = h
        .request(
            Who::Bearer("admin"),
            "POST",
            "/api/v1/usage?skip_invalid=true",
        )
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from(csv))
        .unwrap();
    let r = send(&router, req).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["report"]["imported"], 2, "{}", r.body);

    // Wrong passwords until the throttle answers (bounded), then one right one.
    let mut failures = 0;
    let mut throttled = false;
    for _ in 0..50 {
        let to = sign_in(&router, "maria", "not her password").await;
        if to.contains("error=bad") {
            failures += 1;
        } else {
            throttled = true;
            break;
        }
    }
    assert!(
        failures >= 1 && throttled,
        "{failures} failures, never throttled"
    );

    let text = scrape(&h, &router).await;
    assert_eq!(must(&text, "ftop_group_commit_batch_size_count"), 3.0);
    assert_eq!(must(&text, "ftop_group_commit_batch_size_sum"), 3.0);
    assert_eq!(
        must(&text, r#"ftop_group_commit_batch_size_bucket{le="1"}"#),
        3.0,
        "{text}"
    );
    assert_eq!(must(&text, "ftop_group_commit_queue_depth"), 0.0);
    assert_eq!(
        must(
            &text,
            r#"ftop_import_rows_total{kind="usage",outcome="imported"}"#
        ),
        2.0
    );
    assert_eq!(
        must(
            &text,
            r#"ftop_import_rows_total{kind="usage",outcome="rejected"}"#
        ),
        1.0
    );
    assert_eq!(
        must(&text, "ftop_sign_in_failures_total"),
        f64::from(failures)
    );
    assert_eq!(must(&text, "ftop_sign_in_throttled_total"), 1.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_views_are_counted_by_how_they_were_answered() {
    let h = harness().await;
    let router = ftop_web::router(ftop_web::App::new(h.store.clone()));
    // The same report twice with nothing changed between: read, then kept.
    let view = || async {
        let r = get(
            &h,
            &router,
            Who::Bearer("admin"),
            "/api/v1/reports/service-usage",
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        scrape(&h, &router).await
    };
    let (read, kept) = (
        r#"ftop_report_views_total{answer="read"}"#,
        r#"ftop_report_views_total{answer="kept"}"#,
    );
    let first = view().await;
    assert!(must(&first, read) >= 1.0, "{first}");
    assert!(must(&first, "ftop_reports_kept") >= 1.0, "{first}");
    assert!(
        first.contains("# TYPE ftop_report_views_total counter"),
        "{first}"
    );
    let second = view().await;
    assert_eq!(must(&second, read), must(&first, read), "{second}");
    assert!(must(&second, kept) > must(&first, kept), "{second}");
}

#[tokio::test]
async fn only_administrators_read_metrics_on_the_main_address() {
    let h = harness().await;
    let router = ftop_web::router(ftop_web::App::new(h.store.clone()));
    let r = get(&h, &router, Who::Anon, "/metrics").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"]["code"], "unauthenticated");
    assert!(!r.body.contains("ftop_"), "{}", r.body);
    for who in [Who::Bearer("maria"), Who::Session("maria")] {
        let r = get(&h, &router, who, "/metrics").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who:?}");
        assert!(!r.body.contains("ftop_http"), "{}", r.body);
    }
    let req = Request::get("/metrics")
        .header(header::AUTHORIZATION, "Bearer nobody-has-this-token")
        .body(Body::empty())
        .unwrap();
    let r = send(&router, req).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        get(&h, &router, Who::Session("admin"), "/metrics")
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_separate_metrics_address_needs_no_credentials_and_shares_the_counts() {
    let h = harness().await;
    let metrics = ftop_web::Metrics::new(&h.store);
    let main = ftop_web::router_with(ftop_web::App::new(h.store.clone()), metrics.clone());
    let side = ftop_web::metrics_router(metrics);
    let r = get(&h, &main, Who::Anon, "/healthz").await;
    assert_eq!(r.status, StatusCode::OK);
    let r = send(&side, Request::get("/metrics").body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        must(
            &r.body,
            r#"ftop_http_requests_total{method="GET",route="/healthz",status="200"}"#
        ),
        1.0
    );
    // Nothing else lives there.
    let r = send(&side, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

fn is_fresh_id(id: &str) -> bool {
    id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

#[tokio::test]
async fn every_response_carries_a_request_id_which_a_caller_may_choose() {
    let h = harness().await;
    let router = ftop_web::router(ftop_web::App::new(h.store.clone()));
    let mine = |id: &str| {
        Request::get("/healthz")
            .header("x-request-id", id)
            .body(Body::empty())
            .unwrap()
    };
    let a = get(&h, &router, Who::Anon, "/healthz").await;
    let b = get(&h, &router, Who::Anon, "/healthz").await;
    let (a, b) = (&a.headers["x-request-id"], &b.headers["x-request-id"]);
    assert!(is_fresh_id(a.to_str().unwrap()), "{a:?}");
    assert_ne!(a, b, "a fresh ID per request");
    let r = send(&router, mine("lb-4711.a:b_c")).await;
    assert_eq!(r.headers["x-request-id"], "lb-4711.a:b_c");
    // Too long, or characters that do not belong in a log line or a page: replaced.
    for bad in ["x".repeat(65), "<b>hi</b>".into(), "a b".into()] {
        let r = send(&router, mine(&bad)).await;
        let got = r.headers["x-request-id"].to_str().unwrap();
        assert!(is_fresh_id(got), "{bad:?} -> {got}");
    }
}

#[tokio::test]
async fn the_request_id_is_in_its_log_lines_and_on_its_error_page_and_body() {
    let h = harness().await;
    let router = ftop_web::router(ftop_web::App::new(h.store.clone()));
    let log = common::log::capture();
    // A request that logs (a sign-in), with the caller's ID.
    let form = send(
        &router,
        Request::get("/signin").body(Body::empty()).unwrap(),
    )
    .await;
    let pre = form.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let token = pre.split_once('=').unwrap().1.to_string();
    let r = send(
        &router,
        Request::post("/signin")
            .header("x-request-id", "signin-0001")
            .header(header::COOKIE, &pre)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "name=maria&password={}&csrf={token}",
                enc(PASSWORD)
            )))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers["x-request-id"], "signin-0001");

    // Internal failures, on the API and on a page.
    h.sql("DROP TABLE notes;");
    let req = h
        .request(
            Who::Bearer("admin"),
            "GET",
            &format!("/api/v1/tenants/{T}/notes"),
        )
        .header("x-request-id", "api-fail-0002")
        .body(Body::empty())
        .unwrap();
    let api = send(&router, req).await;
    assert_eq!(api.status, StatusCode::INTERNAL_SERVER_ERROR);
    let e = &api.json()["error"];
    assert_eq!(e["request_id"], "api-fail-0002", "{}", api.body);
    let reference = e["reference"].as_str().unwrap().to_string();

    let page = get(&h, &router, Who::Session("admin"), &format!("/tenants/{T}")).await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    let page_id = page.headers["x-request-id"].to_str().unwrap().to_string();
    assert!(is_fresh_id(&page_id), "{page_id}");
    assert!(
        page.body.contains(&format!("Request ID: {page_id}")),
        "{}",
        page.body
    );
    // A 404 page shows it too (every error page does).
    let nf = get(&h, &router, Who::Session("admin"), "/tenants/x/y/z").await;
    assert_eq!(nf.status, StatusCode::NOT_FOUND);
    let nf_id = nf.headers["x-request-id"].to_str().unwrap();
    assert!(nf.body.contains(nf_id), "{}", nf.body);

    let text = log.text();
    let line = |needle: &str| {
        text.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no log line with `{needle}`:\n{text}"))
            .to_string()
    };
    assert!(line("signed in").contains("signin-0001"), "{text}");
    let api_line = line(&reference);
    assert!(api_line.contains("api-fail-0002"), "{api_line}");
    assert!(api_line.contains("no such table"), "{api_line}");
    let page_line = text
        .lines()
        .find(|l| l.contains("internal error") && l.contains(&page_id))
        .unwrap_or_else(|| panic!("the page's failure is not logged under {page_id}:\n{text}"));
    assert!(page_line.contains("no such table"), "{page_line}");
    // Every line logged inside a request names its request.
    for l in text.lines().filter(|l| l.contains("request{")) {
        assert!(l.contains("request{id="), "{l}");
    }
}
