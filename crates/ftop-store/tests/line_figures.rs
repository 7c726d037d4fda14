//! Each service line keeps the day of its latest usage figure (`tenant_services.last_figure`,
//! migration 21), on both engines: the copy follows its rollup whatever writes it (an
//! import, a recompute, a hand edit of the rollups, a line added after its figures), and
//! always equals what a join of the line to its rollup reads. The data health report's
//! "no recent usage" check reads it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::TestDb;
use common::fixtures::*;
use ftop_store::{HealthCheck, ReportFilter};

common::both_engines!(each_line_keeps_the_day_of_its_latest_figure);

/// Every line as "tenant service day" (day "-" when none), by tenant and service.
async fn lines(db: &TestDb) -> Vec<String> {
    db.raw(
        "SELECT ts.tenant_id || ' ' || ts.service || ' ' || COALESCE(CAST(ts.last_figure AS TEXT), '-')
         FROM tenant_services ts ORDER BY ts.tenant_id, ts.service",
    )
    .await
}

/// The same read through the rollups, as the report read it before migration 21.
async fn joined(db: &TestDb) -> Vec<String> {
    db.raw(
        "SELECT ts.tenant_id || ' ' || ts.service || ' ' || COALESCE(CAST(r.as_of AS TEXT), '-')
         FROM tenant_services ts
         LEFT JOIN adoption_tenants k ON k.tenant_id = ts.tenant_id
         LEFT JOIN adoption_services c ON c.service = ts.service
         LEFT JOIN adoption_rollups r ON r.tkey = k.tkey AND r.svc = c.svc
         ORDER BY ts.tenant_id, ts.service",
    )
    .await
}

/// Asserts the lines read `want` ((tenant, service, day or None)) and agree with the join.
async fn expect(db: &TestDb, want: &[(&str, &str, Option<&str>)], when: &str) {
    let want: Vec<String> = want
        .iter()
        .map(|(t, s, day)| {
            format!(
                "{t} {s} {}",
                day.map_or("-".into(), |x| day_num(x).to_string())
            )
        })
        .collect();
    let got = lines(db).await;
    assert_eq!(got, want, "{when}");
    assert_eq!(
        joined(db).await,
        got,
        "{when}: the copy and the join differ"
    );
}

/// A rollup's keys, as SQL.
fn keys(tenant: &str, service: &str) -> String {
    format!(
        "tkey = (SELECT tkey FROM adoption_tenants WHERE tenant_id = '{tenant}')
         AND svc = (SELECT svc FROM adoption_services WHERE service = '{service}')"
    )
}

async fn no_recent_usage(db: &TestDb, day: &str) -> i64 {
    let f = ReportFilter {
        today: Some(d(day)),
        ..ReportFilter::default()
    };
    db.store
        .report_data_health_counts(&f, 30)
        .await
        .unwrap()
        .into_iter()
        .find(|(c, _)| *c == HealthCheck::NoRecentUsage)
        .map_or(0, |(_, n)| n)
}

async fn each_line_keeps_the_day_of_its_latest_figure(db: &TestDb) {
    reports_fixture(db).await;
    let s = &db.store;
    // The fixture's import: one figure on 2026-06-30 for each line but charlie's.
    let mut want = vec![
        (T2, "exchange", Some("2026-06-30")),
        (T2, "intune", Some("2026-06-30")),
        (T3, "sharepoint", None),
        (T1, "exchange", Some("2026-06-30")),
        (T1, "teams", Some("2026-06-30")),
    ];
    expect(db, &want, "after the fixture").await;

    // A newer figure moves the day; an older one does not.
    ok(
        s,
        &[
            (T1, "teams", "2026-07-15", "20"),
            (T1, "exchange", "2026-05-31", "90"),
        ],
    )
    .await;
    want[4].2 = Some("2026-07-15");
    expect(db, &want, "after a second import").await;
    // On 2026-08-01, of the lines with qualified seats (not bravo's Intune), only
    // alpha's Teams (17 days) is recent; charlie never had a figure: 3 lines.
    assert_eq!(no_recent_usage(db, "2026-08-01").await, 3);

    // A recompute rebuilds the rollups and keeps the days.
    s.recompute_adoption_rollups().await.unwrap();
    expect(db, &want, "after a recompute").await;

    // Rollups edited by hand: removed, and set to another day.
    db.raw(&format!(
        "DELETE FROM adoption_rollups WHERE {}",
        keys(T2, "intune")
    ))
    .await;
    db.raw(&format!(
        "UPDATE adoption_rollups SET as_of = {} WHERE {}",
        day_num("2026-07-31"),
        keys(T2, "exchange")
    ))
    .await;
    want[1].2 = None;
    want[0].2 = Some("2026-07-31");
    expect(db, &want, "after hand edits of the rollups").await;
    assert_eq!(no_recent_usage(db, "2026-08-01").await, 2);

    // A rollup moved to another line's keys: the old line has none, the new one its day.
    db.raw(&format!(
        "DELETE FROM adoption_rollups WHERE {}",
        keys(T3, "sharepoint")
    ))
    .await;
    db.raw(&format!(
        "UPDATE adoption_rollups SET tkey = (SELECT tkey FROM adoption_tenants WHERE tenant_id = '{T3}'),
            svc = (SELECT svc FROM adoption_services WHERE service = 'sharepoint')
         WHERE {}",
        keys(T2, "exchange")
    ))
    .await;
    want[0].2 = None;
    want[2].2 = Some("2026-07-31");
    expect(db, &want, "after a rollup moved to other keys").await;

    // The recompute puts every rollup back from the figures.
    s.recompute_adoption_rollups().await.unwrap();
    want[0].2 = Some("2026-06-30");
    want[1].2 = Some("2026-06-30");
    want[2].2 = None;
    expect(db, &want, "after the second recompute").await;

    // Figures for a service charlie does not hold yet, then the line: it takes their day.
    ok(s, &[(T3, "exchange", "2026-07-20", "7")]).await;
    expect(db, &want, "figures without a line").await;
    s.set_service(&common::actor(), T3, "exchange", 40, Some(40))
        .await
        .unwrap();
    want.insert(2, (T3, "exchange", Some("2026-07-20")));
    expect(db, &want, "after the line was added").await;

    // PostgreSQL: a TRUNCATE of the rollups leaves every line without figures.
    if db.url.starts_with("postgres") {
        db.raw("TRUNCATE adoption_rollups").await;
        for w in &mut want {
            w.2 = None;
        }
        expect(db, &want, "after TRUNCATE").await;
        assert_eq!(no_recent_usage(db, "2026-08-01").await, 5);
    }
}
