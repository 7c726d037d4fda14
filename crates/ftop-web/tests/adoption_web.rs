//! Adoption through the real router on a real SQLite database: the usage upload API (all or
//! nothing, skip-invalid, administrators only), the tenant adoption JSON with hand-computed
//! AU and milestones, the dashboard with its charts, drill-down and CSV (partners see only
//! their tenants), the tenant's Usage tab, and forecast dates on the Services tab and API.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::http::StatusCode;
use common::{Harness, Reply};
use ftop_domain::{AssignmentRole, UserRole};
use ftop_store::Actor;
use serde_json::Value;

const T1: &str = "871e613c-59df-73c1-b016-f93aac00dccd";
const T2: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

struct World {
    h: Harness,
}

/// T1 (300 Exchange seats, managed by maria) and T2 (1000 seats, shared with the
/// partner pat's "Fabrikam Partners"); admin, maria and pat.
async fn world() -> World {
    let mut h = Harness::new().await;
    for (id, name, seats) in [
        (T1, "alpha.onmicrosoft.com", 300),
        (T2, "beta.onmicrosoft.com", 1000),
    ] {
        h.tenant_of(
            id,
            name,
            &format!("{name} customer"),
            &[("exchange", seats, Some(seats))],
        )
        .await;
    }
    for (name, role) in [
        ("admin", UserRole::Admin),
        ("maria", UserRole::Manager),
        ("pat", UserRole::Partner),
    ] {
        let partner = (role == UserRole::Partner).then_some("Fabrikam Partners");
        h.person(name, role, partner).await;
    }
    h.assign(T1, "maria", AssignmentRole::FastTrackManager)
        .await;
    // The partner works on T2 only.
    h.store
        .add_tenant_partner(&common::actor(), T2, "Fabrikam Partners", false)
        .await
        .unwrap();
    World { h }
}

impl World {
    async fn page(&self, who: &str, path: &str) -> Reply {
        self.h.page(who, path).await
    }

    async fn api(&self, who: &str, method: &str, path: &str, ctype: &str, body: &str) -> Reply {
        self.h.api_raw(who, method, path, ctype, body).await
    }

    async fn form(&self, who: &str, path: &str, form: &str) -> Reply {
        self.h.form(who, path, form).await
    }

    async fn upload(&self, who: &str, csv: &str, skip: bool) -> Reply {
        let path = format!(
            "/api/v1/usage{}",
            if skip { "?skip_invalid=true" } else { "" }
        );
        self.api(who, "POST", &path, "text/csv", csv).await
    }

    async fn exchange(&self, tenant: &str) -> Value {
        let r = self
            .api(
                "admin",
                "GET",
                &format!("/api/v1/tenants/{tenant}/adoption"),
                "",
                "",
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v = r.json();
        assert_eq!(v["tenant_id"], tenant);
        v["services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["service_key"] == "exchange")
            .unwrap()
            .clone()
    }
}

/// T1 has 300 qualified Exchange seats: 20 users is 6.67%, 30 exactly 10% (the milestone
/// counts), 130 is 43.33% (40% reached). The rows come out of order.
const T1_ROWS: &str = "tenant_id,service,date,active_users
871e613c-59df-73c1-b016-f93aac00dccd,Exchange Online,2026-03-31,130
871e613c-59df-73c1-b016-f93aac00dccd,exchange,2026-01-31,20
871e613c-59df-73c1-b016-f93aac00dccd,exchange,2026-02-28,30
0f8fad5b-d9cb-469f-a165-70867728950e,exchange,2026-03-31,50
";

#[tokio::test]
async fn uploaded_usage_gives_hand_computed_au_and_milestones() {
    let w = world().await;
    let r = w.upload("admin", T1_ROWS, false).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["report"]["rows"], 4);
    let e = w.exchange(T1).await;
    assert_eq!(e["as_of"], "2026-03-31");
    assert_eq!(e["active_users"], 130);
    assert_eq!(e["qualified_entitlements"], 300);
    assert_eq!(e["au_percent"], 43.33);
    assert_eq!(e["bucket"], "40-plus");
    assert_eq!(e["milestone_10"], "2026-02-28");
    assert_eq!(e["milestone_40"], "2026-03-31");
    // T2: 50 of 1,000 seats = 5%, below 10%, no milestone.
    let e = w.exchange(T2).await;
    assert_eq!(
        (e["au_percent"].as_f64(), e["bucket"].as_str()),
        (Some(5.0), Some("below-10"))
    );
    assert!(e["milestone_10"].is_null());

    // The same file again changes nothing.
    let r = w.upload("admin", T1_ROWS, false).await;
    assert_eq!(r.json()["report"]["changed"], 0, "{}", r.body);
    assert_eq!(w.exchange(T1).await["milestone_10"], "2026-02-28");
}

#[tokio::test]
async fn a_bad_row_refuses_the_file_or_is_skipped_and_only_admins_upload() {
    let w = world().await;
    let bad = "tenant_id,service,date,active_users
871e613c-59df-73c1-b016-f93aac00dccd,exchange,2026-01-31,40
871e613c-59df-73c1-b016-f93aac00dccd,exchange,2026-02-30,41
871e613c-59df-73c1-b016-f93aac00dccd,nosuchservice,2026-02-28,1
";
    let r = w.upload("admin", bad, false).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let fields: Vec<String> = r.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect();
    assert!(fields.iter().any(|f| f.starts_with("line 3")), "{fields:?}");
    assert!(fields.iter().any(|f| f.starts_with("line 4")), "{fields:?}");
    assert!(
        w.exchange(T1).await["as_of"].is_null(),
        "nothing was written"
    );

    let r = w.upload("admin", bad, true).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    assert_eq!(v["report"]["imported"], 1);
    let lines: Vec<i64> = v["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["line"].as_i64().unwrap())
        .collect();
    assert_eq!(lines, vec![3, 4]);
    // 40 of 300 = 13.33%: the 10% milestone on the one good row's date.
    assert_eq!(w.exchange(T1).await["milestone_10"], "2026-01-31");

    let r = w.upload("maria", T1_ROWS, false).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w.upload("admin", "tenant,when\nx,y\n", false).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("tenant_id"), "{}", r.body);
}

/// Windows (CRLF) and old Mac (CR) line ends, and blank lines, do not shift the line an
/// uploaded file's refused row is reported on: the header is line 1, as an editor counts.
#[tokio::test]
async fn refused_rows_are_named_by_the_editors_line_whatever_the_line_ends() {
    let w = world().await;
    let lines = [
        "tenant_id,service,date,active_users",
        "871e613c-59df-73c1-b016-f93aac00dccd,exchange,2026-01-31,40",
        "",
        "871e613c-59df-73c1-b016-f93aac00dccd,exchange,2026-02-30,41",
        "871e613c-59df-73c1-b016-f93aac00dccd,nosuchservice,2026-02-28,1",
    ];
    for end in ["\n", "\r\n", "\r"] {
        let body = lines.join(end) + end;
        let r = w.upload("admin", &body, true).await;
        assert_eq!(r.status, StatusCode::OK, "{end:?}: {}", r.body);
        let got: Vec<i64> = r.json()["rejected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["line"].as_i64().unwrap())
            .collect();
        assert_eq!(got, vec![4, 5], "line ends {end:?}");
    }
    // A line past the import line limit is refused with its own line number.
    let long = format!(
        "{}\r\n871e613c-59df-73c1-b016-f93aac00dccd,exchange,2026-01-31,1\r\n{}\r\n",
        lines[0],
        "x".repeat(70_000)
    );
    let r = w.upload("admin", &long, false).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let fields = r.json()["error"]["fields"].clone();
    assert_eq!(fields[0]["field"], "line 3", "{}", r.body);
    assert!(r.body.len() < 2_000, "the long value is not echoed");
}

#[tokio::test]
async fn the_dashboard_draws_buckets_links_every_number_and_exports_csv() {
    let w = world().await;
    w.upload("admin", T1_ROWS, false).await;
    let r = w.page("admin", "/adoption").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("<svg class=\"stacked\""), "bucket charts");
    assert!(
        r.body
            .contains("<title>Services by Active Usage bucket</title>")
    );
    assert!(
        r.body
            .contains("href=\"/adoption/rows?service=exchange&amp;bucket=40-plus\""),
        "{}",
        r.body
    );
    // Drill-down: the 40+ bucket is T1 alone.
    let r = w
        .page("admin", "/adoption/rows?service=exchange&bucket=40-plus")
        .await;
    assert!(r.body.contains("alpha.onmicrosoft.com") && !r.body.contains("beta.onmicrosoft.com"));
    // Reached 10% in March 2026 (T1 reached it in February): none.
    let r = w
        .page(
            "admin",
            "/adoption/rows?reached=10&from=2026-03-01&to=2026-03-31",
        )
        .await;
    assert!(!r.body.contains("alpha.onmicrosoft.com"), "{}", r.body);
    let r = w
        .page(
            "admin",
            "/adoption/rows?reached=10&from=2026-02-01&to=2026-02-28",
        )
        .await;
    assert!(r.body.contains("alpha.onmicrosoft.com"));
    // CSV of the service table and of the rows.
    let r = w.page("admin", "/adoption.csv?table=service").await;
    assert_eq!(r.status, StatusCode::OK);
    let exchange = r.body.lines().find(|l| l.starts_with("exchange,")).unwrap();
    // key,name,services,engaged,below_10,from_10_to_40,from_40,undefined,reached_10,...
    let cells: Vec<&str> = exchange.split(',').collect();
    assert_eq!(
        &cells[2..9],
        ["2", "2", "1", "0", "1", "0", "1"],
        "{exchange}"
    );
    let r = w.page("admin", "/adoption/rows.csv?bucket=below-10").await;
    assert!(r.body.starts_with("tenant_id,tenant,service_key"));
    assert!(
        r.body
            .contains(&format!("{T2},beta.onmicrosoft.com,exchange"))
    );
    // By partner: Fabrikam holds T2.
    let r = w.page("admin", "/adoption?by=partner").await;
    assert!(r.body.contains("id=\"adoption-by-partner\"") && r.body.contains("Fabrikam Partners"));
    // A bad filter is a clear error.
    let r = w.page("admin", "/adoption/rows?bucket=purple").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("bucket"));
    // A filter that is not a number is refused on the page, not with a bare 400.
    let r = w.page("admin", "/adoption/rows?partner=x&limit=5000").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        // Field labels from the catalogue.
        r.body.contains("Partner:") && r.body.contains("Limit:"),
        "{}",
        r.body
    );
    let r = w
        .api("admin", "GET", "/api/v1/adoption/rows?offset=-1", "", "")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "offset");
    // A second organisation on T2: the partner sees that it is shared, not with whom.
    w.h.store
        .add_tenant_partner(&Actor::system("test"), T2, "Contoso Consulting", false)
        .await
        .unwrap();
    let r = w.page("pat", "/adoption?by=partner").await;
    assert!(r.body.contains("Fabrikam Partners") && !r.body.contains("Contoso Consulting"));
    assert!(r.body.contains("(another partner organisation)"));
    let r = w.page("admin", "/adoption?by=partner").await;
    assert!(r.body.contains("Contoso Consulting"));
    // The partner sees only T2, in the page and through the API.
    let r = w.page("pat", "/adoption/rows").await;
    assert!(r.body.contains("beta.onmicrosoft.com") && !r.body.contains("alpha.onmicrosoft.com"));
    let r = w.api("pat", "GET", "/api/v1/adoption", "", "").await;
    assert_eq!(r.json()["totals"]["services"], 1, "{}", r.body);
    let r = w
        .api("admin", "GET", "/api/v1/adoption?by=manager", "", "")
        .await;
    assert_eq!(r.json()["totals"]["services"], 2);
    assert!(
        r.json()["groups"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["name"] == "maria")
    );
    let r = w
        .api(
            "admin",
            "GET",
            "/api/v1/adoption/rows?bucket=40-plus",
            "",
            "",
        )
        .await;
    assert_eq!(r.json()["rows"][0]["tenant_id"], T1);
}

#[tokio::test]
async fn the_usage_tab_draws_the_trend_against_the_milestone_lines() {
    let w = world().await;
    w.upload("admin", T1_ROWS, false).await;
    let r = w.page("admin", &format!("/tenants/{T1}?tab=usage")).await;
    assert_eq!(r.status, StatusCode::OK);
    let svg = &r.body[r.body.find("<svg class=\"trend\"").expect("a trend chart")..];
    let svg = &svg[..svg.find("</svg>").unwrap()];
    assert_eq!(svg.matches("class=\"threshold\"").count(), 2);
    assert_eq!(svg.matches("<circle").count(), 3, "three figures");
    assert!(svg.contains("2026-02-28: 10.00%"));
    assert!(r.body.contains("43.33%"));
    // Exchange is intended (its entitlements are not all No Intent) and at 43%: success.
    let success = &r.body[r.body.find("id=\"adoption-success\"").unwrap()..];
    assert!(success.contains("every service the customer intends to use is at 10% or more"));
    // T2 (5%) is not there yet.
    let r = w.page("admin", &format!("/tenants/{T2}?tab=usage")).await;
    assert!(
        r.body
            .contains("not yet: some intended services are under 10%")
    );
    let r = w
        .page(
            "admin",
            &format!("/tenants/{T1}/usage.csv?service=exchange"),
        )
        .await;
    assert_eq!(r.body.lines().count(), 4, "{}", r.body);
    assert!(r.body.contains("exchange,2026-02-28,30,300,10.00"));
    // The partner may not see T1 at all.
    assert_eq!(
        w.page("pat", &format!("/tenants/{T1}/usage.csv"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn forecast_dates_are_validated_kept_in_history_and_versioned() {
    let w = world().await;
    let today = ftop_store::today();
    let day = |n: i64| (today + time::Duration::days(n)).to_string();
    // No RFA: refused, naming the field.
    let r = w
        .form(
            "admin",
            &format!("/tenants/{T1}/services/exchange/forecast"),
            &format!("version=0&target_10={}&target_max={}", day(30), day(90)),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The URL carries only the flag; the message is in the notice cookie.
    assert_eq!(
        r.location(),
        format!("/tenants/{T1}?tab=services&invalid=1")
    );
    let (cookie, message) = r.notice().expect("the notice cookie");
    assert!(message.starts_with("Submitted (RFA)"), "{message}");
    let page = w.h.page_with_cookie("admin", r.location(), &cookie).await;
    assert!(
        page.body
            .contains("<p class=\"flash error\" role=\"alert\">Submitted (RFA)"),
        "{}",
        page.body
    );
    // 40% before 10%: refused.
    let r = w
        .form(
            "admin",
            &format!("/tenants/{T1}/services/exchange/forecast"),
            &format!(
                "version=0&submitted={}&target_10={}&target_40={}&target_max={}",
                day(0),
                day(60),
                day(30),
                day(90)
            ),
        )
        .await;
    assert!(r.location().ends_with("&invalid=1"), "{}", r.location());
    let (_, message) = r.notice().expect("the notice cookie");
    assert!(message.starts_with("Target for 40% AU"), "{message}");
    // A tenant ID with a stray newline is still that tenant, and the answer a clean redirect.
    let r = w
        .form(
            "admin",
            &format!("/tenants/{T1}%0A/services/exchange/forecast"),
            &format!("version=0&target_10={}&target_max={}", day(30), day(90)),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        r.location()
            .starts_with(&format!("/tenants/{T1}?tab=services&invalid=1")),
        "{}",
        r.location()
    );
    assert!(r.notice().is_some());
    let good = format!(
        "version=0&submitted={}&target_10={}&target_40={}&target_max={}",
        day(0),
        day(30),
        day(60),
        day(90)
    );
    let r = w
        .form(
            "admin",
            &format!("/tenants/{T1}/services/exchange/forecast"),
            &good,
        )
        .await;
    assert!(r.location().contains("saved=forecast"), "{}", r.location());
    let page = w
        .page("admin", &format!("/tenants/{T1}?tab=services"))
        .await
        .body;
    assert!(page.contains("Forecast history") && page.contains(&day(30)));
    // The same version again is stale: 409 through the API.
    let body = format!(
        "{{\"version\": 0, \"submitted\": \"{}\", \"target_10\": \"{}\", \"target_max\": \"{}\"}}",
        day(0),
        day(31),
        day(91)
    );
    let r = w
        .api(
            "admin",
            "PUT",
            &format!("/api/v1/tenants/{T1}/services/exchange/forecast"),
            "application/json",
            &body,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let body = body.replace("\"version\": 0", "\"version\": 1");
    let r = w
        .api(
            "admin",
            "PUT",
            &format!("/api/v1/tenants/{T1}/services/exchange/forecast"),
            "application/json",
            &body,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = w
        .api(
            "admin",
            "GET",
            &format!("/api/v1/tenants/{T1}/services/exchange/forecast"),
            "",
            "",
        )
        .await;
    let v = r.json();
    assert_eq!(v["history"].as_array().unwrap().len(), 2);
    assert_eq!(v["forecast"]["target_10"], day(31));
    assert_eq!(w.exchange(T1).await["target_10"], day(31));
}

// ---- Reports (issue 17) ----

impl World {
    async fn report(&self, who: &str, path: &str) -> Value {
        let r = self.api(who, "GET", path, "", "").await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        r.json()
    }
}

/// The tenant IDs of a JSON report's rows, in order.
fn ids(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["tenant_id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn report_api_contracts_are_exact_filtered_and_scoped() {
    let w = world().await;
    let r = w.upload("admin", T1_ROWS, false).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let fabrikam =
        w.h.store
            .partner(&Actor::system("test"), "Fabrikam Partners")
            .await
            .unwrap();
    // T1: 130 of 300 (43.33%), past both milestones; T2: 50 of 1,000 = 5%: 100 - 50 = 50
    // more for 10%, 400 - 50 = 350 for 40%.
    let v = w.report("admin", "/api/v1/reports/milestones").await;
    assert_eq!(
        v,
        serde_json::json!({"rows": [
            {"tenant_id": T1, "service_key": "exchange", "as_of": "2026-03-31",
             "active_users": 130, "qualified_entitlements": 300, "au_percent": 43.33,
             "needed_10": 0, "needed_40": 0},
            {"tenant_id": T2, "service_key": "exchange", "as_of": "2026-03-31",
             "active_users": 50, "qualified_entitlements": 1000, "au_percent": 5.0,
             "needed_10": 50, "needed_40": 350},
        ], "total": 2, "next_offset": null})
    );
    // A page at a time: the first row (the next starts at 1), then the second (the last).
    let v = w
        .report("admin", "/api/v1/reports/milestones?limit=1")
        .await;
    assert_eq!(
        (ids(&v, "rows"), &v["total"], &v["next_offset"]),
        (
            vec![T1.to_string()],
            &serde_json::json!(2),
            &serde_json::json!(1)
        )
    );
    let v = w
        .report("admin", "/api/v1/reports/milestones?limit=1&offset=1")
        .await;
    assert_eq!(
        (ids(&v, "rows"), &v["total"], &v["next_offset"]),
        (vec![T2.to_string()], &serde_json::json!(2), &Value::Null)
    );
    let v = w
        .report("admin", "/api/v1/reports/milestones?offset=5")
        .await;
    assert_eq!(
        (ids(&v, "rows").len(), &v["total"]),
        (0, &serde_json::json!(2))
    );
    // Filters narrow.
    let by_partner = format!("/api/v1/reports/milestones?partner={fabrikam}");
    assert_eq!(ids(&w.report("admin", &by_partner).await, "rows"), [T2]);
    let maria = w.h.who("maria").user.id;
    let by_manager = format!("/api/v1/reports/milestones?manager={maria}");
    assert_eq!(ids(&w.report("admin", &by_manager).await, "rows"), [T1]);
    assert_eq!(
        ids(
            &w.report("admin", "/api/v1/reports/milestones?bucket=below-10")
                .await,
            "rows"
        ),
        [T2]
    );
    assert!(
        ids(
            &w.report("admin", "/api/v1/reports/milestones?service=teams")
                .await,
            "rows"
        )
        .is_empty()
    );
    assert!(
        ids(
            &w.report("admin", "/api/v1/reports/milestones?status=paused")
                .await,
            "rows"
        )
        .is_empty()
    );
    assert!(
        ids(
            &w.report("admin", "/api/v1/reports/milestones?scenario=cxp")
                .await,
            "rows"
        )
        .is_empty()
    );
    assert_eq!(
        ids(
            &w.report(
                "admin",
                "/api/v1/reports/milestones?service_status=status-unknown"
            )
            .await,
            "rows"
        )
        .len(),
        2
    );
    // A partner sees its organisation's tenants only, whatever it asks.
    assert_eq!(
        ids(&w.report("pat", "/api/v1/reports/milestones").await, "rows"),
        [T2]
    );
    assert!(
        ids(
            &w.report(
                "pat",
                "/api/v1/reports/milestones?service=exchange&partner=999"
            )
            .await,
            "rows"
        )
        .is_empty()
    );
    // Empty or unknown values are refused.
    for bad in [
        "status=",
        "partner=0",
        "scenario=ftp",
        "service_status=",
        "bucket=x",
        &format!("team={}", "a".repeat(201)),
        "limit=0",
        "limit=10001",
        "limit=",
        "offset=-1",
        "offset=",
        "offset=100000001",
    ] {
        let r = w
            .api(
                "admin",
                "GET",
                &format!("/api/v1/reports/milestones?{bad}"),
                "",
                "",
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            r.body
        );
    }

    // Stale status notes: new tenants have none. Without `all`, those assigned to the
    // caller (the admin has none; maria has T1).
    let v = w
        .report("admin", "/api/v1/reports/stale-status-notes")
        .await;
    assert_eq!(
        v,
        serde_json::json!({"rows": [], "total": 0, "next_offset": null})
    );
    assert_eq!(
        ids(
            &w.report("maria", "/api/v1/reports/stale-status-notes")
                .await,
            "rows"
        ),
        [T1]
    );
    assert_eq!(
        ids(
            &w.report("pat", "/api/v1/reports/stale-status-notes?all=true")
                .await,
            "rows"
        ),
        [T2]
    );
    // T1's note is exactly 14 days old (current), T2's 15 (stale).
    let today = ftop_store::today();
    for (t, days) in [(T1, 14), (T2, 15)] {
        let version = w.h.store.tenant(t).await.unwrap().version;
        w.h.store
            .update_engagement(
                &Actor::system("test"),
                t,
                version,
                &ftop_store::EngagementUpdate {
                    status_date: Some((today - time::Duration::days(days)).to_string()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }
    let v = w
        .report("admin", "/api/v1/reports/stale-status-notes?all=true")
        .await;
    assert_eq!(
        v,
        serde_json::json!({"rows": [{"tenant_id": T2,
            "last_status_note_at": (today - time::Duration::days(15)).to_string(), "days": 15}],
            "total": 1, "next_offset": null})
    );
    let r = w
        .api(
            "admin",
            "GET",
            "/api/v1/reports/stale-status-notes?all=1",
            "",
            "",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

    // Compliance: T2 is Fabrikam's, its Exchange is partner-assisted by default and it
    // has no primary tenant RM.
    let v = w.report("admin", "/api/v1/reports/compliance").await;
    assert_eq!(ids(&v, "rm_not_partner"), [T2]);
    assert_eq!(v["rm_not_partner"][0]["rm"], Value::Null);
    assert_eq!(
        (
            &v["rm_not_partner_total"],
            &v["scenario_not_partner_led_total"]
        ),
        (&serde_json::json!(1), &serde_json::json!(0))
    );
    assert!(ids(&v, "scenario_not_partner_led").is_empty());
    // New subscriptions: every service line starts unclassified.
    let v = w.report("pat", "/api/v1/reports/new-subscriptions").await;
    assert_eq!(ids(&v, "rows"), [T2]);
    assert_eq!(v["rows"][0]["entitlements"], 1000);
    // Conversion: of the two Exchange services with AU, T1 (43.33%) is at 10% and 40%.
    let v = w.report("admin", "/api/v1/reports/conversion").await;
    let one = serde_json::json!({"services": 2, "at_10": 1, "at_40": 1, "rate_10": 50.0, "rate_40": 50.0});
    let mut ex = one.clone();
    ex["service_key"] = "exchange".into();
    let mut total = one;
    total["service_key"] = Value::Null;
    assert_eq!((&v["by_service"][0], &v["totals"]), (&ex, &total));
    assert_eq!(v["rows"][0]["capped_au_percent"], 43.33);
    // The counts are over every service, not the page's.
    let v = w
        .report("admin", "/api/v1/reports/conversion?limit=1&offset=1")
        .await;
    assert_eq!(
        (&v["totals"]["services"], ids(&v, "rows"), &v["total"]),
        (
            &serde_json::json!(2),
            vec![T2.to_string()],
            &serde_json::json!(2)
        )
    );
    // Data health: the March figures are old by today; T2 is Fabrikam's.
    let v = w
        .report("pat", "/api/v1/reports/data-health?days=3650")
        .await;
    assert_eq!(
        v,
        serde_json::json!({"rows": [], "total": 0, "next_offset": null})
    );
    let v = w.report("pat", "/api/v1/reports/data-health?days=1").await;
    assert_eq!(
        v,
        serde_json::json!({"rows": [{"tenant_id": T2, "tenant": "beta.onmicrosoft.com",
            "service_key": "exchange", "check": "no-recent-usage", "last_figure": "2026-03-31",
            "qualified": 1000, "entitlements": 1000}], "total": 1, "next_offset": null})
    );
    let r = w
        .api("admin", "GET", "/api/v1/reports/data-health?days=0", "", "")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let v = w
        .report("admin", "/api/v1/reports/forecast?milestone=40")
        .await;
    assert_eq!(
        (v["milestone"].as_str(), v["rows"].as_array().map(Vec::len)),
        (Some("40"), Some(0))
    );
}

/// The tenant IDs in the table `id` of a page, in order.
fn table_ids(html: &str, id: &str) -> Vec<String> {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no {id}"));
    let table = &html[start..];
    let table = &table[..table.find("</table>").unwrap()];
    table
        .split("href=\"/tenants/")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .filter(|s| !s.contains('/') && !s.contains('?'))
        .collect()
}

#[tokio::test]
async fn report_pages_link_numbers_to_their_tenants_and_csv_matches_the_table() {
    let w = world().await;
    w.upload("admin", T1_ROWS, false).await;
    let index = w.page("admin", "/reports").await;
    assert_eq!(index.status, StatusCode::OK);
    for tab in [
        "/reports/milestones",
        "/reports/stale-status-notes",
        "/reports/compliance",
        "/reports/forecast?milestone=10",
        "/reports/forecast?milestone=40",
        "/reports/new-subscriptions",
        "/reports/data-health",
        "/reports/conversion",
        "/reports/performance",
        "/reports/service-usage",
        "/reports/usage-trend",
    ] {
        assert!(index.body.contains(&format!("href=\"{tab}\"")), "{tab}");
        let p = w.page("admin", tab).await;
        assert_eq!(p.status, StatusCode::OK, "{tab}: {}", p.body);
    }
    assert!(
        index.body.contains("<a href=\"/reports\">"),
        "the top bar links the reports"
    );

    let page = w.page("admin", "/reports/milestones").await;
    assert!(
        page.body.contains("<svg class=\"stacked\""),
        "the bucket chart"
    );
    // Exchange below 10% is one service (T2): its number links to its rows.
    let drill = "/reports/milestones?service=exchange&amp;bucket=below-10#report-rows";
    assert!(
        page.body.contains(&format!("<a href=\"{drill}\">1</a>")),
        "{}",
        page.body
    );
    let rows = w.page("admin", &drill.replace("&amp;", "&")).await;
    assert_eq!(table_ids(&rows.body, "report-rows"), [T2]);
    // The CSV has the table's rows, in its order.
    let shown = table_ids(&page.body, "report-rows");
    assert_eq!(shown, [T1, T2]);
    let csv = w.page("admin", "/reports/milestones.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(
        lines[0],
        "tenant_id,tenant,service_key,as_of,active_users,qualified_entitlements,au_percent,needed_10,needed_40"
    );
    assert_eq!(
        lines[1],
        format!("{T1},alpha.onmicrosoft.com,exchange,2026-03-31,130,300,43.33,0,0")
    );
    assert_eq!(
        lines[2],
        format!("{T2},beta.onmicrosoft.com,exchange,2026-03-31,50,1000,5.00,50,350")
    );
    assert_eq!(lines.len(), shown.len() + 1);
    // The stale notes' CSV against its table, every tenant.
    let page = w.page("admin", "/reports/stale-status-notes?all=1").await;
    let csv = w
        .page("admin", "/reports/stale-status-notes.csv?all=1")
        .await;
    let csv_ids: Vec<String> = csv
        .body
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    assert_eq!(table_ids(&page.body, "report-rows"), csv_ids);
    assert_eq!(csv_ids, [T1, T2]);

    // The partner's pages hold its organisation's tenants only.
    for path in [
        "/reports/milestones",
        "/reports/stale-status-notes?all=1",
        "/reports/compliance",
        "/reports/new-subscriptions",
        "/reports/milestones.csv",
        "/reports/new-subscriptions.csv",
    ] {
        let p = w.page("pat", path).await;
        assert_eq!(p.status, StatusCode::OK, "{path}");
        assert!(!p.body.contains(T1), "{path} shows T1");
        assert!(p.body.contains(T2), "{path} lacks T2");
    }
}

#[tokio::test]
async fn forecast_tab_flags_dates_ahead_already_reached_and_guests_may_not_ask_for_all() {
    let mut w = world().await;
    w.upload("admin", T1_ROWS, false).await;
    let today = ftop_store::today();
    // T1 reached 10% on 2026-02-28: a date a month ahead is already reached (green). T2
    // (5%) is forecast two months ahead: on track, no flag.
    for (t, days) in [(T1, 30), (T2, 60)] {
        let dates = ftop_domain::adoption::ForecastDates {
            submitted: Some(today),
            target_10: Some(today + time::Duration::days(days)),
            target_40: None,
            target_max: Some(today + time::Duration::days(days + 90)),
        };
        w.h.store
            .save_forecast(&Actor::system("test"), t, "exchange", &dates, None)
            .await
            .unwrap();
    }
    let v = w
        .report("admin", "/api/v1/reports/forecast?milestone=10")
        .await;
    let statuses: Vec<(&str, &str, bool)> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["tenant_id"].as_str().unwrap(),
                r["status"].as_str().unwrap(),
                r["due_today"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            (T1, "reached-before-forecast", false),
            (T2, "on-track", false)
        ]
    );
    let months: i64 = v["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["reached_early"].as_i64().unwrap())
        .sum();
    assert_eq!(months, 1);
    let page = w.page("admin", "/reports/forecast?milestone=10").await;
    assert_eq!(page.body.matches("class=\"flag green\"").count(), 1);
    assert!(!page.body.contains("class=\"flag red\""));
    assert_eq!(table_ids(&page.body, "report-future"), [T1, T2]);
    // A month's number links to that month's dates.
    let month = format!(
        "{:04}-{:02}",
        (today + time::Duration::days(30)).year(),
        u8::from((today + time::Duration::days(30)).month())
    );
    assert!(
        page.body.contains(&format!("month={month}#report-dates")),
        "{}",
        page.body
    );
    let csv = w.page("admin", "/reports/forecast.csv?milestone=10").await;
    assert_eq!(csv.body.lines().count(), 3, "{}", csv.body);
    // Guests have no tenants of their own and may not list everyone's.
    w.h.person("gail", ftop_domain::UserRole::Guest, None).await;
    let r = w
        .api(
            "gail",
            "GET",
            "/api/v1/reports/stale-status-notes?all=true",
            "",
            "",
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = w
        .api("gail", "GET", "/api/v1/reports/stale-status-notes", "", "")
        .await;
    assert_eq!(
        r.json(),
        serde_json::json!({"rows": [], "total": 0, "next_offset": null})
    );
}

/// [`T1_ROWS`] plus T2 at 1,200 active users on its 1,000 seats in mid-February (120%
/// uncapped, 100% capped): by month, each service's last figure of the month counts.
const TREND_ROWS: &str = "tenant_id,service,date,active_users
0f8fad5b-d9cb-469f-a165-70867728950e,exchange,2026-02-15,1200
";

/// The first cell (a row heading or text) of each body row of table `id`.
fn first_cells(html: &str, id: &str) -> Vec<String> {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no {id}"));
    let table = &html[start..];
    let table = &table[..table.find("</table>").unwrap()];
    let body = &table[table.find("<tbody>").unwrap()..];
    body.split("<tr>")
        .skip(1)
        .map(|r| {
            let cell = &r[r.find("<td>").unwrap() + 4..];
            cell[..cell.find("</td>").unwrap()].to_string()
        })
        .collect()
}

#[tokio::test]
async fn usage_tabs_count_by_month_service_and_scenario_with_csv_filters_and_scope() {
    let w = world().await;
    for rows in [T1_ROWS, TREND_ROWS] {
        let r = w.upload("admin", rows, false).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let fabrikam =
        w.h.store
            .partner(&Actor::system("test"), "Fabrikam Partners")
            .await
            .unwrap();
    // The trend, by hand: January T1 20/300 = 6.67%; February T1 30/300 (exactly 10%) and
    // T2 1,200/1,000: 1,230 of 1,300 = 94.62% uncapped, (30 + 1,000) / 1,300 = 79.23%
    // capped, both at 10%, T2 at 40%; March T1 130/300 and T2 50/1,000: 180 of 1,300 =
    // 13.85%, T1 past both.
    let csv = w.page("admin", "/reports/usage-trend.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(
        lines,
        [
            "month,services,with_seats,active_users,qualified_entitlements,au_percent,capped_au_percent,at_10,at_40,rate_10,rate_40",
            "2026-01,1,1,20,300,6.67,6.67,0,0,0.00,0.00",
            "2026-02,2,2,1230,1300,94.62,79.23,2,1,100.00,50.00",
            "2026-03,2,2,180,1300,13.85,13.85,1,1,50.00,50.00",
        ]
    );
    let page = w.page("admin", "/reports/usage-trend").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.body.matches("<svg class=\"trend\"").count(),
        4,
        "AU, capped AU, 10%, 40%"
    );
    assert!(page.body.contains("role=\"img\""));
    // The table has the CSV's months, in order.
    assert_eq!(
        first_cells(&page.body, "report-months"),
        ["2026-01", "2026-02", "2026-03"]
    );
    // February's "at 40%" opens the service usage of February narrowed to it: T2.
    let drill = "/reports/service-usage?month=2026-02&amp;at=40#report-rows";
    assert!(
        page.body.contains(&format!("<a href=\"{drill}\">1</a>")),
        "{}",
        page.body
    );
    let feb = w.page("admin", &drill.replace("&amp;", "&")).await;
    assert_eq!(feb.status, StatusCode::OK, "{}", feb.body);
    assert_eq!(table_ids(&feb.body, "report-rows"), [T2]);
    let csv = w
        .page("admin", "/reports/service-usage.csv?month=2026-02&at=40")
        .await;
    assert_eq!(
        csv.body.lines().nth(1).unwrap(),
        format!("{T2},beta.onmicrosoft.com,exchange,2026-02-15,1200,1000,120.00,100.00,0,0")
    );
    // The partner's organisation's tenant only: T2 has no January.
    let p = w
        .page("admin", &format!("/reports/usage-trend?partner={fabrikam}"))
        .await;
    assert_eq!(
        first_cells(&p.body, "report-months"),
        ["2026-02", "2026-03"]
    );
    let p = w.page("pat", "/reports/usage-trend").await;
    assert_eq!(
        first_cells(&p.body, "report-months"),
        ["2026-02", "2026-03"]
    );

    // Service usage on the latest figures: Exchange, T1 at 43.33% (40% and more), T2 at 5%.
    let page = w.page("admin", "/reports/service-usage").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<svg class=\"stacked\""));
    let drill = "/reports/service-usage?service=exchange&amp;bucket=below-10#report-rows";
    assert!(
        page.body.contains(&format!("<a href=\"{drill}\">1</a>")),
        "{}",
        page.body
    );
    let below = w.page("admin", &drill.replace("&amp;", "&")).await;
    assert_eq!(table_ids(&below.body, "report-rows"), [T2]);
    let shown = table_ids(&page.body, "report-rows");
    assert_eq!(shown, [T1, T2]);
    let csv = w.page("admin", "/reports/service-usage.csv").await;
    let csv_ids: Vec<&str> = csv
        .body
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(csv_ids, shown);
    let narrowed = w
        .page(
            "admin",
            &format!("/reports/service-usage?partner={fabrikam}"),
        )
        .await;
    assert_eq!(table_ids(&narrowed.body, "report-rows"), [T2]);
    for path in [
        "/reports/service-usage",
        "/reports/service-usage.csv",
        "/reports/performance",
    ] {
        let p = w.page("pat", path).await;
        assert_eq!(p.status, StatusCode::OK, "{path}");
        assert!(!p.body.contains(T1), "{path} shows T1");
    }
    let p = w.page("pat", "/reports/service-usage").await;
    assert_eq!(table_ids(&p.body, "report-rows"), [T2]);

    // The API: a page of rows, with how many there are.
    let v = w
        .report("admin", "/api/v1/reports/service-usage?limit=1&offset=1")
        .await;
    assert_eq!(ids(&v, "rows"), [T2]);
    assert_eq!(v["total"], 2);
    assert_eq!(v["totals"]["au_percent"], 13.85);
    assert_eq!(v["totals"]["buckets"], serde_json::json!([1, 0, 1, 0]));
    for bad in ["limit=0", "limit=", "offset=-1", "at=20", "month=2026-13"] {
        let r = w
            .api(
                "admin",
                "GET",
                &format!("/api/v1/reports/service-usage?{bad}"),
                "",
                "",
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            r.body
        );
    }
    let v = w
        .report("admin", "/api/v1/reports/usage-trend?offset=1&limit=1")
        .await;
    assert_eq!(v["total"], 3);
    assert_eq!(v["rows"][0]["month"], "2026-02");
    assert_eq!(v["rows"][0]["capped_au_percent"], 79.23);
    assert_eq!(v["rows"][0]["au_percent"], 94.62);

    // Performance: T1 Exchange under CSS Led is FastTrack's, T2 (default scenario,
    // partner-assisted) the partner's.
    w.h.store
        .set_delivery(
            &Actor::system("test"),
            T1,
            "exchange",
            0,
            &ftop_store::DeliveryUpdate {
                scenario: Some(ftop_domain::EngagementScenario::CssLed),
                teams: vec![],
                start_date: String::new(),
            },
        )
        .await
        .unwrap();
    let v = w.report("admin", "/api/v1/reports/performance").await;
    let got: Vec<(String, String, i64, f64)> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["scenario"].as_str().unwrap().to_string(),
                r["credited_to"].as_str().unwrap().to_string(),
                r["active_users"].as_i64().unwrap(),
                r["au_percent"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("customer-led-ftp-assist".into(), "partner".into(), 50, 5.0),
            ("css-led".into(), "fasttrack".into(), 130, 43.33),
        ]
    );
    // Growth since the year's first month (January, 20 active users): 0, 1,210, 160 —
    // when the report is judged in 2026.
    let year = v["year"].as_i64().unwrap();
    let growth: Vec<Value> = v["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["ytd_growth"].clone())
        .collect();
    if year == 2026 {
        assert_eq!(
            growth,
            [
                serde_json::json!(0),
                serde_json::json!(1210),
                serde_json::json!(160)
            ]
        );
    } else {
        assert!(growth.iter().all(Value::is_null));
    }
    let page = w.page("admin", "/reports/performance").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<svg class=\"trend\""));
    let drill = "/reports/service-usage?scenario=css-led#report-rows";
    assert!(
        page.body.contains(&format!("<a href=\"{drill}\">1</a>")),
        "{}",
        page.body
    );
    let css = w.page("admin", drill).await;
    assert_eq!(table_ids(&css.body, "report-rows"), [T1]);
    let csv = w.page("admin", "/reports/performance.csv").await;
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(
        lines,
        [
            "scenario,credited_to,services,qualified_entitlements,active_users,au_percent,capped_au_percent",
            "customer-led-ftp-assist,partner,1,1000,50,5.00,5.00",
            "css-led,fasttrack,1,300,130,43.33,43.33",
        ]
    );
    assert_eq!(table_ids(&page.body, "report-scenarios").len(), 0);
    assert_eq!(
        first_cells(&page.body, "report-scenarios").len(),
        lines.len() - 1
    );
    // The conversion tab shows the same conversion by month.
    let conv = w.page("admin", "/reports/conversion").await;
    assert!(conv.body.contains("id=\"report-conversion-trend\""));
    assert!(
        conv.body
            .contains("/reports/service-usage?month=2026-02&amp;at=40#report-rows")
    );
}
