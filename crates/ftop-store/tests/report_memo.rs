//! The report tabs kept between views (`reports/memo.rs`), on both engines: a view that
//! follows a change to anything a report reads shows the change, whether the change was
//! made through the store, by hand in SQL or by another instance on the same database.
//! The fixture is the reports' small portfolio (`common/fixtures.rs`); expected values
//! are worked out by hand in the comments.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fixtures::*;
use common::{TestDb, actor};
use ftop_domain::{AssignmentRole, EngagementScenario};
use ftop_store::{
    DeliveryUpdate, HealthCheck, Page, ReportFilter, Store, UsagePick, UsageSource, month_of,
};

common::both_engines!(
    a_kept_report_is_served_until_the_version_moves,
    views_that_arrive_together_read_the_report_once,
    every_table_the_reports_read_moves_the_version,
    views_follow_changes_made_through_the_store_and_by_hand,
    a_change_made_by_another_instance_is_seen_on_the_next_view,
    month_rows_changed_alone_are_seen,
);

fn on(day: &str) -> ReportFilter {
    ReportFilter {
        today: Some(d(day)),
        ..ReportFilter::default()
    }
}

/// The active users of the latest figures over every service.
async fn active_users(s: &Store, f: &ReportFilter) -> i64 {
    s.report_service_usage(f, UsageSource::Latest)
        .await
        .unwrap()
        .1
        .active_users
}

/// The active users credited to the CXP scenario.
async fn cxp_credit(s: &Store, f: &ReportFilter) -> i64 {
    s.report_scenario_credit(f)
        .await
        .unwrap()
        .iter()
        .find(|c| c.scenario == EngagementScenario::Cxp)
        .map_or(0, |c| c.counts.active_users)
}

/// Puts a tenant's service under the CXP scenario.
async fn set_cxp(s: &Store, tenant: &str, service: &str) {
    s.set_delivery(
        &actor(),
        tenant,
        service,
        0,
        &DeliveryUpdate {
            scenario: Some(EngagementScenario::Cxp),
            teams: vec![],
            start_date: String::new(),
        },
    )
    .await
    .unwrap();
}

/// How many services fail `check` (usage older than 30 days).
async fn failing(s: &Store, f: &ReportFilter, check: HealthCheck) -> i64 {
    s.report_data_health_counts(f, 30)
        .await
        .unwrap()
        .into_iter()
        .find(|(c, _)| *c == check)
        .map_or(0, |(_, n)| n)
}

/// Whether `sql` moved the reports' version.
async fn moves(db: &TestDb, sql: &str) -> bool {
    let before = db.store.report_version().await.unwrap();
    db.raw(sql).await;
    db.store.report_version().await.unwrap() != before
}

async fn every_table_the_reports_read_moves_the_version(db: &TestDb) {
    reports_fixture(db).await;
    let s = &db.store;
    // Reading moves nothing.
    let v = s.report_version().await.unwrap();
    s.report_service_usage(&on("2026-06-30"), UsageSource::Latest)
        .await
        .unwrap();
    s.report_rm_not_partner_page(&on("2026-06-30"), Page::of(10, 0))
        .await
        .unwrap();
    assert_eq!(s.report_version().await.unwrap(), v);
    for (table, column) in [
        ("tenants", "name"),
        ("tenant_services", "qualified"),
        ("service_delivery", "teams"),
        ("entitlement_status", "l1"),
        ("assignments", "role"),
        ("tenant_partners", "partner_id"),
        ("users", "name"),
        ("adoption_tenants", "tenant_id"),
        ("adoption_services", "service"),
        ("adoption_rollups", "tkey"),
        ("adoption_rollups", "svc"),
        ("adoption_rollups", "as_of"),
        ("adoption_rollups", "active_users"),
        ("adoption_rollups", "qualified"),
        ("adoption_rollups", "au_bp"),
        ("adoption_rollups", "bucket"),
        ("adoption_rollups", "milestone_10"),
        ("adoption_rollups", "milestone_40"),
        ("adoption_rollups", "target_10"),
        ("adoption_rollups", "target_40"),
        ("usage_month_totals", "at_10"),
    ] {
        let rows = db
            .raw(&format!("SELECT CAST(COUNT(*) AS TEXT) FROM {table}"))
            .await;
        assert_ne!(rows, ["0"], "{table} has rows to change");
        assert!(
            moves(db, &format!("UPDATE {table} SET {column} = {column}")).await,
            "an update of {table}"
        );
    }
    // A row added and one removed.
    assert!(
        moves(
            db,
            &format!(
                "INSERT INTO tenant_partners (tenant_id, partner_id)
                 SELECT '{T2}', id FROM partners"
            )
        )
        .await
    );
    assert!(
        moves(
            db,
            &format!("DELETE FROM tenant_partners WHERE tenant_id = '{T2}'")
        )
        .await
    );
    // The exceptions on SQLite (migration 20): the month rows (their writers move the
    // version themselves: `month_rows_changed_alone_are_seen`) and the predicted gains
    // of a rollup and of a tenant (no report reads them). PostgreSQL's statement
    // triggers take them all.
    let pg = db.url.starts_with("postgres");
    assert_eq!(moves(db, "UPDATE usage_months SET day = day").await, pg);
    assert_eq!(
        moves(db, "UPDATE adoption_rollups SET gain_6m_bp = gain_6m_bp").await,
        pg
    );
    assert_eq!(
        moves(db, "UPDATE adoption_tenants SET gain_6m_bp = gain_6m_bp").await,
        pg
    );
}

/// A kept report is what a view gets while the version stays: a change made behind the
/// version's back (the version put back by hand after it) is not seen until the version
/// moves.
async fn a_kept_report_is_served_until_the_version_moves(db: &TestDb) {
    reports_fixture(db).await;
    let s = &db.store;
    let f = on("2026-06-30");
    let teams = || async {
        s.report_milestones_counted(&f, &[], Page::of(50, 0))
            .await
            .unwrap()
            .0
            .rows
            .iter()
            .find(|r| r.tenant_id == T1 && r.service_key == "teams")
            .map(|r| r.active_users)
    };
    assert_eq!(teams().await, Some(19));
    let v = s.report_version().await.unwrap();
    db.raw(&format!(
        "UPDATE adoption_rollups SET active_users = 77
         WHERE tkey = (SELECT tkey FROM adoption_tenants WHERE tenant_id = '{T1}')
         AND svc = (SELECT svc FROM adoption_services WHERE service = 'teams')"
    ))
    .await;
    assert_ne!(s.report_version().await.unwrap(), v);
    db.raw(&format!("UPDATE report_version SET version = {v}"))
        .await;
    assert_eq!(teams().await, Some(19), "the kept report");
    db.raw("UPDATE report_version SET version = version + 1")
        .await;
    assert_eq!(teams().await, Some(77));
}

/// Views of one report that arrive together after a change read it once: the others
/// wait for that read and are answered with what it kept.
async fn views_that_arrive_together_read_the_report_once(db: &TestDb) {
    reports_fixture(db).await;
    let s = &db.store;
    let f = on("2026-06-30");
    let view = || async {
        s.report_service_usage(&f, UsageSource::Latest)
            .await
            .unwrap()
    };
    let first = view().await;
    db.raw("UPDATE report_version SET version = version + 1")
        .await;
    let before = s.report_memo_stats();
    let (a, b, c, d) = tokio::join!(view(), view(), view(), view());
    let after = s.report_memo_stats();
    for x in [&a, &b, &c, &d] {
        assert_eq!(*x, first);
    }
    assert_eq!(after.read - before.read, 1, "{before:?} {after:?}");
    assert_eq!(after.served - before.served, 3, "{before:?} {after:?}");
    // A view after them is answered with the kept report.
    view().await;
    assert_eq!(s.report_memo_stats().served - after.served, 1);
}

/// PostgreSQL: a transaction that changes what the reports read holds no lock other
/// changes wait for (an import can take minutes); the version moves when each commits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_long_change_holds_back_no_other_change() {
    use sqlx::{Connection, Executor};
    let Some(db) = common::postgres().await else {
        return;
    };
    reports_fixture(&db).await;
    let s = &db.store;
    let mut long = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    let mut other = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    // A wait on a lock fails the other change instead of hanging the test.
    other.execute("SET lock_timeout = '5s'").await.unwrap();
    let v0 = s.report_version().await.unwrap();
    let mut tx = long.begin().await.unwrap();
    tx.execute("UPDATE tenants SET name = name").await.unwrap();
    tx.execute("UPDATE adoption_rollups SET active_users = active_users")
        .await
        .unwrap();
    // Not yet committed: the version has not moved.
    assert_eq!(s.report_version().await.unwrap(), v0);
    other
        .execute("UPDATE tenant_services SET qualified = qualified")
        .await
        .unwrap();
    other
        .execute("UPDATE entitlement_status SET l1 = l1")
        .await
        .unwrap();
    // Each of the other's two statements committed on its own.
    assert_eq!(s.report_version().await.unwrap(), v0 + 2);
    tx.commit().await.unwrap();
    // The long one moves it once, however many statements it made.
    assert_eq!(s.report_version().await.unwrap(), v0 + 3);
    let marks = || async {
        db.raw("SELECT CAST(COUNT(*) AS TEXT) FROM report_version_marks")
            .await
    };
    assert_eq!(marks().await, ["0"], "the marks are removed at commit");
    // A change rolled back moves nothing.
    let mut tx = long.begin().await.unwrap();
    tx.execute("UPDATE tenants SET name = name").await.unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(s.report_version().await.unwrap(), v0 + 3);
    // A mark rolled back with its savepoint, then a change after it: moved once.
    let mut tx = long.begin().await.unwrap();
    tx.execute("SAVEPOINT s").await.unwrap();
    tx.execute("UPDATE tenants SET name = name").await.unwrap();
    tx.execute("ROLLBACK TO SAVEPOINT s").await.unwrap();
    tx.execute("UPDATE tenant_services SET qualified = qualified")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(s.report_version().await.unwrap(), v0 + 4);
    assert_eq!(marks().await, ["0"]);
}

async fn views_follow_changes_made_through_the_store_and_by_hand(db: &TestDb) {
    let (p1, _) = reports_fixture(db).await;
    let s = &db.store;
    let f = on("2026-06-30");
    let page = Page::of(50, 0);
    let teams = || async {
        let (rows, _) = s.report_milestones_counted(&f, &[], page).await.unwrap();
        rows.rows
            .iter()
            .find(|r| r.tenant_id == T1 && r.service_key == "teams")
            .map(|r| r.active_users)
    };
    // Alpha's Teams: 19 active users, then 25 on the same day.
    assert_eq!(teams().await, Some(19));
    assert_eq!(teams().await, Some(19));
    ok(s, &[(T1, "teams", "2026-06-30", "25")]).await;
    assert_eq!(teams().await, Some(25));

    // Alpha is shared with P1 and has no primary RM: listed until pete (P1) is made its
    // primary Partner RM.
    let listed = || async {
        s.report_rm_not_partner_page(&f, page)
            .await
            .unwrap()
            .rows
            .iter()
            .map(|r| r.tenant_id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(listed().await, [T1]);
    s.assign(
        &actor(),
        T1,
        "pete",
        AssignmentRole::PartnerRegionalManager,
        "",
        true,
    )
    .await
    .unwrap();
    assert!(listed().await.is_empty());

    // CXP's credit: bravo's Exchange (121 active users); alpha's Exchange (100) joins it.
    assert_eq!(cxp_credit(s, &f).await, 121);
    set_cxp(s, T1, "exchange").await;
    assert_eq!(cxp_credit(s, &f).await, 121 + 100);

    // More qualified seats than entitlements on charlie's SharePoint, set by hand: one
    // more service fails that check.
    let before = failing(s, &f, HealthCheck::QualifiedAboveEntitled).await;
    db.raw(&format!(
        "UPDATE tenant_services SET qualified = entitlements + 1 WHERE tenant_id = '{T3}'"
    ))
    .await;
    assert_eq!(
        failing(s, &f, HealthCheck::QualifiedAboveEntitled).await,
        before + 1
    );

    // P1's June: alpha's 100 + 25 active users; charlie's first figure (40) adds to it.
    let partner = ReportFilter {
        partner: Some(p1),
        ..f.clone()
    };
    let june = || async {
        s.report_usage_trend(&partner)
            .await
            .unwrap()
            .iter()
            .find(|m| m.month == "2026-06")
            .map_or(0, |m| m.counts.active_users)
    };
    assert_eq!(june().await, 125);
    ok(s, &[(T3, "sharepoint", "2026-06-30", "40")]).await;
    assert_eq!(june().await, 165);
    // The day is part of what a report is kept under: the same filter judged on another
    // day is read again (alpha's figure of 2026-06-30 is 30 days old on 2026-07-30, not
    // more, so still recent; on 2026-07-31 it is not).
    let recent = failing(s, &on("2026-07-30"), HealthCheck::NoRecentUsage).await;
    assert!(failing(s, &on("2026-07-31"), HealthCheck::NoRecentUsage).await > recent);
}

async fn a_change_made_by_another_instance_is_seen_on_the_next_view(db: &TestDb) {
    reports_fixture(db).await;
    let s = &db.store;
    let other = Store::open(&db.url).await.unwrap();
    let f = on("2026-06-30");
    // 100 + 19 + 121 + 5 active users; charlie's SharePoint gets 40 through the other
    // instance.
    assert_eq!(active_users(s, &f).await, 245);
    assert_eq!(active_users(&other, &f).await, 245);
    ok(&other, &[(T3, "sharepoint", "2026-06-30", "40")]).await;
    assert_eq!(active_users(s, &f).await, 285);
    // And back: a scenario set on this instance is seen on the other.
    assert_eq!(cxp_credit(&other, &f).await, 121);
    set_cxp(s, T3, "sharepoint").await;
    assert_eq!(cxp_credit(&other, &f).await, 121 + 40);
}

/// A later figure of a month with the same value changes only that month's row (its day):
/// no month total moves, yet the rows behind May's numbers show the new day.
async fn month_rows_changed_alone_are_seen(db: &TestDb) {
    reports_fixture(db).await;
    let s = &db.store;
    let f = on("2026-06-30");
    let may = month_of(d("2026-05-01"));
    let day = || async {
        let (rows, _) = s
            .report_usage_rows(
                &f,
                UsageSource::Month(may),
                UsagePick::default(),
                50,
                0,
                None,
            )
            .await
            .unwrap();
        rows.iter()
            .find(|r| r.tenant_id == T1 && r.service_key == "exchange")
            .map(|r| r.as_of)
    };
    ok(s, &[(T1, "exchange", "2026-05-10", "50")]).await;
    assert_eq!(day().await, Some(d("2026-05-10")));
    let totals = db
        .raw("SELECT CAST(SUM(active_users + qualified) AS TEXT) FROM usage_month_totals")
        .await;
    ok(s, &[(T1, "exchange", "2026-05-20", "50")]).await;
    assert_eq!(
        db.raw("SELECT CAST(SUM(active_users + qualified) AS TEXT) FROM usage_month_totals")
            .await,
        totals,
        "no total moved"
    );
    assert_eq!(day().await, Some(d("2026-05-20")));
}
