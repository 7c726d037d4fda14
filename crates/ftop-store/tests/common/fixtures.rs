//! The adoption fixtures shared by the store's tests: tenants, usage imports and the
//! reports' small portfolio (expected values worked out by hand where they are used).

use super::{TestDb, actor};
use ftop_domain::adoption::{date_of, day_of, parse_day};
use ftop_domain::{AssignmentRole, UserRole};
use ftop_store::{NewTenant, Store, StoreError, UsageRejected, UsageReport};
use time::Date;

pub(crate) const T1: &str = "871e613c-59df-73c1-b016-f93aac00dccd";

pub(crate) const T2: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

pub(crate) fn d(s: &str) -> Date {
    date_of(parse_day(s.as_bytes()).unwrap()).unwrap()
}

pub(crate) async fn tenant(s: &Store, id: &str, name: &str, services: &[(&str, i64, i64)]) {
    s.add_tenant(
        &actor(),
        &NewTenant {
            tenant_id: id.into(),
            name: name.into(),
            customer: format!("{name} customer"),
            services: services
                .iter()
                .map(|(k, t, q)| (k.to_string(), *t, Some(*q)))
                .collect(),
        },
    )
    .await
    .unwrap();
}

/// Imports rows (tenant, service, date, active users) numbered from line 2.
pub(crate) async fn import(
    s: &Store,
    rows: &[(&str, &str, &str, &str)],
    skip: bool,
) -> (Result<UsageReport, StoreError>, Vec<UsageRejected>) {
    let mut imp = s.usage_import(&actor(), skip).await.unwrap();
    let mut rejected = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let f = [
            r.0.as_bytes(),
            r.1.as_bytes(),
            r.2.as_bytes(),
            r.3.as_bytes(),
        ];
        if let Some(x) = imp.push(i as u64 + 2, f).await.unwrap() {
            rejected.push(x);
        }
    }
    (imp.finish().await, rejected)
}

pub(crate) async fn ok(s: &Store, rows: &[(&str, &str, &str, &str)]) -> UsageReport {
    import(s, rows, false).await.0.unwrap()
}

pub(crate) const T3: &str = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b";

/// The day of a date, as the rollups keep it.
pub(crate) fn day_num(s: &str) -> i64 {
    i64::from(day_of(d(s)))
}

/// The reports' fixture, judged on 2026-06-30:
/// - alpha (T1): exchange 1,000 seats, teams 200; shared with P1; maria is its FM;
/// - bravo (T2): exchange 300, intune 50 held with no qualified seats; no partner;
///   overall status blocked; exchange delivered by "Blue Team" under the CXP scenario;
/// - charlie (T3): sharepoint 100, no usage; shared with P1; pete (a partner) is its
///   primary tenant Partner RM.
pub(crate) async fn reports_fixture(db: &TestDb) -> (i64, i64) {
    use ftop_store::DeliveryUpdate;
    let s = &db.store;
    tenant(
        s,
        T1,
        "alpha.onmicrosoft.com",
        &[("exchange", 1000, 1000), ("teams", 200, 200)],
    )
    .await;
    tenant(
        s,
        T2,
        "bravo.onmicrosoft.com",
        &[("exchange", 300, 300), ("intune", 50, 0)],
    )
    .await;
    tenant(
        s,
        T3,
        "charlie.onmicrosoft.com",
        &[("sharepoint", 100, 100)],
    )
    .await;
    for t in [T1, T3] {
        s.add_tenant_partner(&actor(), t, "P1", false)
            .await
            .unwrap();
    }
    let p1 = s.partner(&actor(), "P1").await.unwrap();
    s.add_user(
        &actor(),
        "maria",
        UserRole::Manager,
        "correct horse battery",
        None,
    )
    .await
    .unwrap();
    s.add_user(
        &actor(),
        "pete",
        UserRole::Partner,
        "correct horse battery",
        Some("P1"),
    )
    .await
    .unwrap();
    let maria = s.user_by_name("maria").await.unwrap().unwrap().id;
    s.assign(
        &actor(),
        T1,
        "maria",
        AssignmentRole::FastTrackManager,
        "",
        false,
    )
    .await
    .unwrap();
    s.assign(
        &actor(),
        T3,
        "pete",
        AssignmentRole::PartnerRegionalManager,
        "",
        true,
    )
    .await
    .unwrap();
    s.set_delivery(
        &actor(),
        T2,
        "exchange",
        0,
        &DeliveryUpdate {
            scenario: Some(ftop_domain::EngagementScenario::Cxp),
            teams: vec!["Blue Team".into(), "Red_Team".into()],
            start_date: String::new(),
        },
    )
    .await
    .unwrap();
    ok(
        s,
        &[
            // alpha exchange: 100 of 1,000 = exactly 10% (reached that day).
            (T1, "exchange", "2026-06-30", "100"),
            // alpha teams: 19 of 200 = 9.5%.
            (T1, "teams", "2026-06-30", "19"),
            // bravo exchange: 121 of 300 = 40.33%.
            (T2, "exchange", "2026-06-30", "121"),
            // bravo intune: no qualified seats, AU undefined.
            (T2, "intune", "2026-06-30", "5"),
        ],
    )
    .await;
    db.raw(&format!(
        "UPDATE tenants SET status_date = CASE tenant_id WHEN '{T1}' THEN '2026-06-16'
            WHEN '{T2}' THEN '2026-06-15' ELSE NULL END"
    ))
    .await;
    db.raw(&format!(
        "UPDATE tenants SET overall_status = 'blocked' WHERE tenant_id = '{T2}'"
    ))
    .await;
    db.raw(&format!(
        "UPDATE entitlement_status SET l1 = 'in-progress', l2 = NULL
         WHERE tenant_id = '{T1}' AND service = 'exchange'"
    ))
    .await;
    // 10% forecasts: alpha exchange today (reached today), alpha teams a month ago (not
    // reached), bravo exchange next month (already reached), charlie in August.
    for (t, svc, day) in [
        (T1, "exchange", "2026-06-30"),
        (T1, "teams", "2026-06-01"),
        (T2, "exchange", "2026-07-31"),
        (T3, "sharepoint", "2026-08-15"),
    ] {
        db.raw(&format!(
            "UPDATE adoption_rollups SET target_10 = {}
             WHERE tkey = (SELECT tkey FROM adoption_tenants WHERE tenant_id = '{t}')
             AND svc = (SELECT svc FROM adoption_services WHERE service = '{svc}')",
            day_num(day)
        ))
        .await;
    }
    (p1, maria)
}
