//! What the store keeps, for the reports, beside the rows it is worked out from, on both
//! engines. Each is kept by triggers, whatever writes the rows (the store, a bulk import,
//! a hand edit), and always equals what it is worked out from:
//! - each service line's day of its latest usage figure (`tenant_services.last_figure`,
//!   migration 21), read by the data health report's "no recent usage" check: it follows
//!   its rollup through imports, recomputes, hand edits and lines added after their
//!   figures, and equals what a join of the line to its rollup reads;
//! - each tenant's "RM is not the partner" flag (`tenants.rm_not_partner`, migration 22),
//!   read by that compliance list: it follows partners, service lines, scenarios,
//!   assignments and user roles, and equals the rule it keeps.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::TestDb;
use common::fixtures::*;
use ftop_domain::{AssignmentRole, EngagementScenario, UserRole};
use ftop_store::{DeliveryUpdate, HealthCheck, ReportFilter, UserChange};

common::both_engines!(
    each_line_keeps_the_day_of_its_latest_figure,
    each_tenant_keeps_its_rm_not_partner_flag,
    a_recompute_repairs_what_is_kept,
    the_usage_sums_follow_their_rows,
);

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

/// Every tenant's kept flag as "tenant flag", by tenant, after checking it against the
/// rule it keeps (the view of migration 22).
async fn flags(db: &TestDb) -> Vec<String> {
    let kept = db
        .raw(
            "SELECT t.tenant_id || ' ' || CAST(t.rm_not_partner AS TEXT) FROM tenants t
             ORDER BY t.tenant_id",
        )
        .await;
    let rule = db
        .raw(
            "SELECT v.tenant_id || ' ' || CAST(v.listed AS TEXT) FROM tenant_rm_not_partner v
             ORDER BY v.tenant_id",
        )
        .await;
    assert_eq!(kept, rule, "the kept flags and the rule differ");
    kept
}

/// Asserts the flags of bravo, charlie and alpha (the order of their IDs).
async fn flagged(db: &TestDb, [t2, t3, t1]: [u8; 3], when: &str) {
    assert_eq!(
        flags(db).await,
        vec![
            format!("{T2} {t2}"),
            format!("{T3} {t3}"),
            format!("{T1} {t1}")
        ],
        "{when}"
    );
}

fn scenario(s: EngagementScenario) -> DeliveryUpdate {
    DeliveryUpdate {
        scenario: Some(s),
        teams: vec![],
        start_date: String::new(),
    }
}

async fn role(db: &TestDb, name: &str, role: UserRole) {
    let partner = (role != UserRole::Partner).then_some(None);
    let partner = partner.or(Some(Some("P1".to_string())));
    db.store
        .change_user(
            &common::actor(),
            name,
            &UserChange {
                role: Some(role),
                partner,
                partner_admin: None,
            },
        )
        .await
        .unwrap();
}

async fn each_tenant_keeps_its_rm_not_partner_flag(db: &TestDb) {
    reports_fixture(db).await;
    let (s, a) = (&db.store, &common::actor());
    // Alpha is shared with P1, its services are partner-led (never set) and it has no
    // primary RM; bravo is no partner's; charlie's primary Partner RM is pete.
    flagged(db, [0, 0, 1], "after the fixture").await;

    // Pete (a partner user) as alpha's primary RM puts it in order, until he is no
    // longer a partner user; and again once he is.
    s.assign(a, T1, "pete", AssignmentRole::RegionalManager, "", true)
        .await
        .unwrap();
    flagged(db, [0, 0, 0], "pete alpha's primary RM").await;
    role(db, "pete", UserRole::Manager).await;
    flagged(db, [0, 0, 1], "pete a manager").await;
    role(db, "pete", UserRole::Partner).await;
    flagged(db, [0, 0, 0], "pete a partner again").await;
    let pete = s.user_by_name("pete").await.unwrap().unwrap().id;
    s.unassign(a, T1, pete, AssignmentRole::RegionalManager, "")
        .await
        .unwrap();
    flagged(db, [0, 0, 1], "pete unassigned").await;

    // Both of alpha's services written CSS-led: no partner-led service. A third service,
    // never set, is partner-led.
    for svc in ["exchange", "teams"] {
        s.set_delivery(a, T1, svc, 0, &scenario(EngagementScenario::CssLed))
            .await
            .unwrap();
    }
    flagged(db, [0, 0, 0], "alpha's services CSS-led").await;
    s.set_service(a, T1, "intune", 10, Some(10)).await.unwrap();
    flagged(db, [0, 0, 1], "alpha's new service").await;

    // Partners removed and added.
    s.remove_tenant_partner(a, T1, "P1").await.unwrap();
    s.add_tenant_partner(a, T2, "P1", false).await.unwrap();
    // Bravo's exchange is CXP-led, its intune never set (partner-led).
    flagged(db, [1, 0, 0], "alpha unshared, bravo shared").await;

    // Hand edits: bravo's intune written CXP-led too, charlie's assignments removed.
    db.raw(&format!(
        "INSERT INTO service_delivery (tenant_id, service, scenario) VALUES ('{T2}', 'intune', 'cxp')"
    ))
    .await;
    db.raw(&format!("DELETE FROM assignments WHERE tenant_id = '{T3}'"))
        .await;
    flagged(db, [0, 1, 0], "after hand edits").await;
    db.raw(&format!(
        "UPDATE service_delivery SET scenario = 'ftp-led' WHERE tenant_id = '{T2}' AND service = 'intune'"
    ))
    .await;
    flagged(db, [1, 1, 0], "bravo's intune FTP-led by hand").await;

    // PostgreSQL: a TRUNCATE of the partners leaves no tenant shared.
    if db.url.starts_with("postgres") {
        db.raw("TRUNCATE tenant_partners").await;
        flagged(db, [0, 0, 0], "after TRUNCATE").await;
    }
}

/// The sums of `table`'s rows `r` (rollups or month rows) grouped by `by`, as text, in
/// the order of the kept sums' columns.
fn sums_sql(table: &str, by: &str, filter: &str) -> String {
    format!(
        "SELECT {by} || ' ' || CAST(COUNT(*) AS TEXT) || ' '
            || CAST(SUM(CASE WHEN r.qualified > 0 THEN 1 ELSE 0 END) AS TEXT) || ' '
            || CAST(SUM(r.active_users) AS TEXT) || ' '
            || CAST(SUM(CASE WHEN r.qualified > 0 THEN r.active_users ELSE 0 END) AS TEXT) || ' '
            || CAST(SUM(CASE WHEN r.qualified > 0 THEN r.qualified ELSE 0 END) AS TEXT) || ' '
            || CAST(SUM(CASE WHEN r.qualified <= 0 THEN 0 WHEN r.active_users < r.qualified THEN r.active_users ELSE r.qualified END) AS TEXT) || ' '
            || CAST(SUM(CASE WHEN r.qualified > 0 AND r.active_users * 10 >= r.qualified THEN 1 ELSE 0 END) AS TEXT) || ' '
            || CAST(SUM(CASE WHEN r.qualified > 0 AND r.active_users * 10 >= r.qualified * 4 THEN 1 ELSE 0 END) AS TEXT)
         FROM {table} r WHERE {filter} GROUP BY {by} ORDER BY {by}"
    )
}

/// The kept sums of `table`, as [`sums_sql`] writes them.
fn kept_sql(table: &str, by: &str) -> String {
    let cols = [
        "services",
        "with_seats",
        "active_users",
        "seated_active",
        "qualified",
        "capped_active",
        "at_10",
        "at_40",
    ]
    .map(|c| format!("CAST(r.{c} AS TEXT)"))
    .join(" || ' ' || ");
    format!("SELECT {by} || ' ' || {cols} FROM {table} r ORDER BY {by}")
}

/// Asserts the kept sums (migrations 23 and 24) equal the sums of the rows they keep, and
/// are not empty: the latest totals on both engines, the tenant months on PostgreSQL.
async fn sums_agree(db: &TestDb, when: &str) {
    let figure = "r.as_of IS NOT NULL AND r.active_users IS NOT NULL";
    let latest = db
        .raw(&sums_sql("adoption_rollups", "CAST(r.svc AS TEXT)", figure))
        .await;
    assert!(!latest.is_empty(), "{when}");
    assert_eq!(
        db.raw(&kept_sql("usage_latest_totals", "CAST(r.svc AS TEXT)"))
            .await,
        latest,
        "{when}: latest totals"
    );
    assert_eq!(
        db.raw("SELECT CAST(tenants AS TEXT) FROM usage_latest_tenants")
            .await,
        db.raw(&format!(
            "SELECT CAST(COUNT(DISTINCT r.tkey) AS TEXT) FROM adoption_rollups r WHERE {figure}"
        ))
        .await,
        "{when}: tenants with a latest figure"
    );
    if db.url.starts_with("postgres") {
        let by = "CAST(r.tkey AS TEXT) || ' ' || CAST(r.month AS TEXT)";
        assert_eq!(
            db.raw(&kept_sql("usage_tenant_months", by)).await,
            db.raw(&sums_sql("usage_months", by, "1 = 1")).await,
            "{when}: tenant months"
        );
    }
}

/// The sums kept for the usage reports follow imports (SQLite's own writer and
/// PostgreSQL's SQL), a figure replaced on the day its milestone was reached (which
/// SQLite's writer rebuilds by SQL), re-imports, seat changes and recomputes; the
/// milestone counts over every tenant, which read them, follow too.
async fn the_usage_sums_follow_their_rows(db: &TestDb) {
    reports_fixture(db).await;
    let s = &db.store;
    sums_agree(db, "after the fixture").await;
    let exchange_at_10 = || async {
        let all = ReportFilter::default();
        s.report_milestone_counts(&all)
            .await
            .unwrap()
            .into_iter()
            .filter(|c| c.service_key == "exchange")
            .map(|c| (c.bucket.map(|b| b.key()), c.count))
            .collect::<Vec<_>>()
    };
    // alpha's exchange reached 10% on the day of its only figure (100 of 1,000); bravo's
    // is at 40%.
    assert_eq!(
        exchange_at_10().await,
        [(Some("10-40"), 1), (Some("40-plus"), 1)]
    );
    // That figure replaced by one below 10%.
    ok(s, &[(T1, "exchange", "2026-06-30", "99")]).await;
    sums_agree(db, "after the milestone's figure was replaced").await;
    assert_eq!(
        exchange_at_10().await,
        [(Some("40-plus"), 1), (Some("below-10"), 1)]
    );
    // A new month, an older figure, the same day with another value, a new tenant's.
    ok(
        s,
        &[
            (T1, "exchange", "2026-07-20", "300"),
            (T1, "teams", "2026-05-02", "30"),
            (T2, "exchange", "2026-06-30", "10"),
            (T3, "sharepoint", "2026-07-01", "45"),
        ],
    )
    .await;
    sums_agree(db, "after a second import").await;
    // Seats from June on: the figures since carry them.
    s.set_seats(&common::actor(), T1, "exchange", 400, d("2026-06-01"))
        .await
        .unwrap();
    sums_agree(db, "after a seat change").await;
    // Sums damaged by hand: a recompute rebuilds them.
    db.raw("UPDATE usage_latest_totals SET active_users = 0")
        .await;
    db.raw("UPDATE usage_latest_tenants SET tenants = 0").await;
    if db.url.starts_with("postgres") {
        db.raw("UPDATE usage_tenant_months SET services = 9").await;
    }
    s.recompute_adoption_rollups().await.unwrap();
    sums_agree(db, "after a recompute").await;
}

/// A kept day and flags damaged by hand (what no trigger sees): a recompute puts them
/// right.
async fn a_recompute_repairs_what_is_kept(db: &TestDb) {
    reports_fixture(db).await;
    let before = (lines(db).await, flags(db).await);
    db.raw("UPDATE tenant_services SET last_figure = 1").await;
    db.raw("UPDATE tenants SET rm_not_partner = 1 - rm_not_partner")
        .await;
    assert_ne!(lines(db).await, before.0);
    db.store.recompute_adoption_rollups().await.unwrap();
    assert_eq!((lines(db).await, flags(db).await), before);
    assert_eq!(joined(db).await, before.0);
}

/// PostgreSQL writes the predicted gains of an import many a statement (`gains.rs`):
/// over 200 gains in one refresh (several statements) come out as SQLite's writer,
/// which computes them on its own path, stores them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_stores_many_gains_as_sqlite_does() {
    let Some(pg) = common::postgres().await else {
        return;
    };
    let lite = common::sqlite().await;
    let services: Vec<&str> = ftop_domain::catalogue::SERVICES
        .iter()
        .take(10)
        .map(|s| s.key)
        .collect();
    let held: Vec<(&str, i64, i64)> = services.iter().map(|k| (*k, 500, 400)).collect();
    let ids: Vec<String> = (0..25)
        .map(|i| format!("00000000-0000-4000-8000-{i:012}"))
        .collect();
    let mut rows = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        for (j, svc) in services.iter().enumerate() {
            for (m, day) in ["2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30"]
                .iter()
                .enumerate()
            {
                let active = 10 + 7 * m * (1 + (i + j) % 5) + i;
                rows.push((
                    id.clone(),
                    svc.to_string(),
                    day.to_string(),
                    active.to_string(),
                ));
            }
        }
    }
    let rows: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|(a, b, c, e)| (a.as_str(), b.as_str(), c.as_str(), e.as_str()))
        .collect();
    let mut gains = Vec::new();
    for db in [&pg, &lite] {
        for (i, id) in ids.iter().enumerate() {
            tenant(&db.store, id, &format!("t{i}.example.com"), &held).await;
        }
        ok(&db.store, &rows).await;
        let mut all = Vec::new();
        for id in &ids {
            all.push(db.store.predicted_gain(id).await.unwrap());
        }
        gains.push(all);
    }
    let with_gain = gains[0]
        .iter()
        .flat_map(|g| &g.services)
        .filter(|(_, g)| g.is_some())
        .count();
    assert!(with_gain > 200, "{with_gain} gains");
    assert_eq!(gains[0], gains[1]);
}

/// Waits until a session on this test's PostgreSQL database waits for a lock (at most
/// 10 s).
async fn someone_waits(db: &TestDb) {
    for _ in 0..200 {
        let n = db
            .raw(
                "SELECT CAST(COUNT(*) AS TEXT) FROM pg_stat_activity
                 WHERE datname = current_database() AND wait_event_type = 'Lock'",
            )
            .await;
        if n != ["0"] {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no transaction waited for a lock");
}

/// PostgreSQL: two transactions changing the same tenant's partners and assignments at
/// once leave its flag as the rule says (the second waits for the first, then reads the
/// rule with the first's change in it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_concurrent_changes_leave_the_right_flag() {
    use sqlx::{Connection, Executor};
    let Some(db) = common::postgres().await else {
        return;
    };
    reports_fixture(&db).await;
    let p1 = db
        .raw("SELECT CAST(id AS TEXT) FROM partners WHERE name = 'P1'")
        .await;
    let pete = db
        .raw("SELECT CAST(id AS TEXT) FROM users WHERE name = 'pete'")
        .await;
    // Bravo is shared with no partner; its Intune (never set) is partner-led.
    let mut a = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    let mut tx = a.begin().await.unwrap();
    tx.execute(
        format!(
            "INSERT INTO tenant_partners (tenant_id, partner_id) VALUES ('{T2}', {})",
            p1[0]
        )
        .as_str(),
    )
    .await
    .unwrap();
    // Meanwhile another makes pete bravo's primary Partner RM: it waits for the first.
    let url = db.url.clone();
    let other = tokio::spawn(async move {
        let mut b = sqlx::AnyConnection::connect(&url).await.unwrap();
        b.execute("SET lock_timeout = '20s'").await.unwrap();
        b.execute(
            format!(
                "INSERT INTO assignments (tenant_id, user_id, role, service, is_primary, created_at)
                 VALUES ('{T2}', {}, 'p-rm', '', 1, '2026-06-30T00:00:00Z')",
                pete[0]
            )
            .as_str(),
        )
        .await
        .unwrap();
    });
    someone_waits(&db).await;
    tx.commit().await.unwrap();
    other.await.unwrap();
    // Shared, with a Partner RM: in order (flags() checks the kept flags against the rule).
    flagged(&db, [0, 0, 1], "after both committed").await;
}

/// A connection in a transaction that holds the rollup writers' turn (`take_rollup_turn`),
/// as an import does; end it with `COMMIT`.
async fn holding_the_turn(db: &TestDb) -> sqlx::AnyConnection {
    use sqlx::{Connection, Executor};
    let mut a = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    a.execute("SET lock_timeout = '20s'").await.unwrap();
    a.execute("BEGIN").await.unwrap();
    a.execute("SELECT pg_advisory_xact_lock(7470728)")
        .await
        .unwrap();
    a
}

/// PostgreSQL: an import holding the rollup writers' turn moves a line's day (its
/// trigger locks the line) while a seat change on that line waits for the turn: the
/// change waits without holding the line, so neither waits for the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_seat_change_during_an_import_does_not_deadlock() {
    use sqlx::Executor;
    let Some(db) = common::postgres().await else {
        return;
    };
    reports_fixture(&db).await;
    let mut tx = holding_the_turn(&db).await;
    // A seat change on alpha's Exchange, through the store: it waits for the turn.
    let store = db.store.clone();
    let change = tokio::spawn(async move {
        store
            .set_service(&common::actor(), T1, "exchange", 1000, Some(900))
            .await
    });
    someone_waits(&db).await;
    // The "import" moves that line's day: its trigger writes the line.
    tx.execute(
        format!(
            "UPDATE adoption_rollups SET as_of = as_of + 1 WHERE {}",
            keys(T1, "exchange")
        )
        .as_str(),
    )
    .await
    .unwrap();
    tx.execute("COMMIT").await.unwrap();
    // The seat change then rebuilt the rollup from the figures: the line follows it.
    change.await.unwrap().unwrap();
    let day = db
        .raw(&format!(
            "SELECT CAST(last_figure AS TEXT) FROM tenant_services
             WHERE tenant_id = '{T1}' AND service = 'exchange'"
        ))
        .await;
    assert_eq!(day, [day_num("2026-06-30").to_string()]);
    assert_eq!(lines(&db).await, joined(&db).await);
}

/// PostgreSQL: a tenant edit that changes lines waits for the rollup writers' turn before
/// it locks the tenant, so a writer holding the turn whose new line's trigger locks that
/// tenant is not waiting for the edit while the edit waits for it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_tenant_edit_during_a_line_change_does_not_deadlock() {
    use sqlx::Executor;
    let Some(db) = common::postgres().await else {
        return;
    };
    reports_fixture(&db).await;
    let mut tx = holding_the_turn(&db).await;
    // Alpha's record and Teams seats changed through the store: it waits for the turn.
    let store = db.store.clone();
    let version = store.tenant(T1).await.unwrap().version;
    let edit = tokio::spawn(async move {
        store
            .change_tenant(
                &common::actor(),
                T1,
                version,
                &ftop_store::TenantEdit {
                    services: vec![("teams".into(), 200, Some(150))],
                    ..Default::default()
                },
                &ftop_store::EngagementUpdate::default(),
            )
            .await
    });
    someone_waits(&db).await;
    // The writer adds a line to alpha (shared with P1): its trigger locks alpha's row.
    tx.execute(
        format!(
            "INSERT INTO tenant_services (tenant_id, service, entitlements, qualified)
             VALUES ('{T1}', 'intune', 10, 10)"
        )
        .as_str(),
    )
    .await
    .unwrap();
    tx.execute("COMMIT").await.unwrap();
    edit.await.unwrap().unwrap();
    flagged(&db, [0, 0, 1], "after both").await;
}
