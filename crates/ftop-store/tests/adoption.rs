//! Adoption analytics on both engines: usage import (all or nothing, skip-invalid,
//! idempotent, late and out-of-order rows), AU, buckets and milestones against seats that
//! change, rollups kept and rebuilt, forecasts and the portfolio counts.
//! Expected values are computed by hand in the comments.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fixtures::*;
use common::{TestDb, actor};
use ftop_domain::adoption::{
    Bucket, ForecastDates, ForecastStatus, Milestone, day_of, parse_day, rollup,
};
use ftop_domain::forecast_gain::forecast_gain;
use ftop_domain::{AssignmentRole, UserRole};
use ftop_store::{
    AdoptionFilter, AdoptionGroupBy, BucketFilter, DateWindow, MilestoneFilter, NewTenant,
    PortfolioScope, ServiceAdoption, Store, StoreError,
};
use time::Date;

async fn service(s: &Store, tenant: &str, key: &str) -> ServiceAdoption {
    s.adoption(tenant)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.service_key == key)
        .unwrap_or_else(|| panic!("no {key}"))
}

fn field_names(e: StoreError) -> Vec<String> {
    match e {
        StoreError::Invalid(i) => i.0.into_iter().map(|f| f.field).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

common::both_engines!(
    au_buckets_and_milestones_are_exact,
    milestones_use_the_seats_in_effect,
    late_rows_move_milestones,
    importing_again_changes_nothing,
    rows_sent_in_batches_keep_the_last_of_a_date_and_a_late_bad_row_refuses_them_all,
    a_bad_line_refuses_the_file,
    skip_invalid_imports_the_valid_rows,
    forecasts_are_validated_and_kept,
    portfolio_counts_and_their_rows,
    recompute_rebuilds_the_same_rollups,
    recompute_repairs_damaged_rollups,
    groupings_follow_partner_and_manager_changes,
    the_grid_filters_sorts_and_reads_its_displays,
    predicted_gain_follows_imports_seats_and_recompute,
    reports_on_a_small_portfolio,
    data_health_lists_each_check,
    usage_by_month_service_and_scenario,
    month_rows_follow_reimports_as_a_recompute_builds_them,
    predicted_gains_kept_by_imports_equal_a_recomputes,
    the_upgrade_fills_in_the_month_rows_of_services_that_have_none,
    a_service_whose_rows_straddle_two_batches_gets_the_months_and_gain_of_all_its_rows,
    concurrent_imports_keep_the_month_totals,
    reports_read_a_page_and_count_in_sql,
);

async fn au_buckets_and_milestones_are_exact(db: &TestDb) {
    let s = &db.store;
    tenant(
        s,
        T1,
        "contoso.onmicrosoft.com",
        &[
            ("exchange", 1000, 1000),
            ("teams", 250, 0),
            ("intune", 3, 3),
        ],
    )
    .await;
    let r = ok(
        s,
        &[
            // Exchange, 1,000 seats: 5%, exactly 10%, 9%, exactly 40%, 30%.
            (T1, "Exchange Online", "2024-01-31", "50"),
            (T1, "exchange", "2024-02-29", "100"),
            (T1, "EXO", "2024-03-31", "90"),
            (&T1.to_uppercase(), "exchange", "2024-04-30", "400"),
            (T1, "exchange", "2024-05-31", "300"),
            // Teams: no qualified seats, AU undefined.
            (T1, "teams", "2024-05-31", "40"),
            // Intune, 3 seats: 1 user is 33.33%.
            (T1, "intune", "2024-05-31", "1"),
            // SharePoint is not held: no seats.
            (T1, "sharepoint", "2024-05-31", "7"),
        ],
    )
    .await;
    assert_eq!(
        (r.rows, r.imported, r.changed, r.rejected, r.tenants),
        (8, 8, 8, 0, 1)
    );
    let ex = service(s, T1, "exchange").await;
    assert_eq!(ex.service, "Exchange");
    assert_eq!(ex.as_of, Some(d("2024-05-31")));
    assert_eq!(
        (ex.active_users, ex.qualified_entitlements),
        (Some(300), 1000)
    );
    assert_eq!(ex.au_percent, Some(30.0));
    assert_eq!(ex.bucket, Some(Bucket::From10To40));
    assert_eq!(ex.milestone_10, Some(d("2024-02-29")));
    assert_eq!(ex.milestone_40, Some(d("2024-04-30")));
    // 300 active users: enablement (100 users) is complete.
    assert!(ex.enablement_complete);
    assert!(ex.intended);
    let teams = service(s, T1, "teams").await;
    assert_eq!(
        (teams.active_users, teams.qualified_entitlements),
        (Some(40), 0)
    );
    assert_eq!((teams.au_percent, teams.bucket), (None, None));
    assert_eq!((teams.milestone_10, teams.milestone_40), (None, None));
    let intune = service(s, T1, "intune").await;
    assert_eq!(intune.au_percent, Some(33.33));
    assert_eq!(intune.bucket, Some(Bucket::From10To40));
    assert_eq!(intune.milestone_10, Some(d("2024-05-31")));
    assert_eq!(intune.milestone_40, None);
    // 1 of 3 seats is 10% or more of a tenant under 1,000 seats? The tenant's seats are
    // its largest service (1,000), so no: 1 user is short of 100.
    assert!(!intune.enablement_complete);
    let sp = service(s, T1, "sharepoint").await;
    assert_eq!(
        (sp.au_percent, sp.milestone_10, sp.intended),
        (None, None, false)
    );
    // Trend series.
    let series = s.usage_series(T1, "Exchange").await.unwrap();
    let pts: Vec<_> = series
        .iter()
        .map(|p| (p.date, p.active_users, p.qualified, p.au_percent))
        .collect();
    assert_eq!(
        pts,
        vec![
            (d("2024-01-31"), 50, 1000, Some(5.0)),
            (d("2024-02-29"), 100, 1000, Some(10.0)),
            (d("2024-03-31"), 90, 1000, Some(9.0)),
            (d("2024-04-30"), 400, 1000, Some(40.0)),
            (d("2024-05-31"), 300, 1000, Some(30.0)),
        ]
    );
    // Success: Teams is intended (status rows are Status Unknown) and has no AU.
    assert!(!s.adoption_success(T1).await.unwrap());
    assert!(matches!(
        s.adoption("00000000-0000-0000-0000-000000000000").await,
        Err(StoreError::NotFound(_))
    ));
}

async fn milestones_use_the_seats_in_effect(db: &TestDb) {
    let s = &db.store;
    tenant(
        s,
        T1,
        "contoso.onmicrosoft.com",
        &[("exchange", 2000, 1000)],
    )
    .await;
    // 1,000 seats in January, 500 from February: 80 users are 8%, then 16%.
    s.set_seats(&actor(), T1, "exchange", 1000, d("2024-01-01"))
        .await
        .unwrap();
    s.set_seats(&actor(), T1, "exchange", 500, d("2024-02-01"))
        .await
        .unwrap();
    ok(
        s,
        &[
            (T1, "exchange", "2024-01-31", "80"),
            (T1, "exchange", "2024-02-29", "80"),
        ],
    )
    .await;
    let ex = service(s, T1, "exchange").await;
    assert_eq!(ex.milestone_10, Some(d("2024-02-29")));
    assert_eq!(
        (ex.qualified_entitlements, ex.au_percent),
        (500, Some(16.0))
    );
    let series = s.usage_series(T1, "exchange").await.unwrap();
    assert_eq!(series[0].qualified, 1000);
    assert_eq!(series[1].qualified, 500);
    // A seat change recorded later, effective back in January (800 seats from Jan 15):
    // 80 users are exactly 10% on Jan 31, so the milestone moves earlier.
    s.set_seats(&actor(), T1, "exchange", 800, d("2024-01-15"))
        .await
        .unwrap();
    let ex = service(s, T1, "exchange").await;
    assert_eq!(ex.milestone_10, Some(d("2024-01-31")));
    // Seats before the first record use the first record: a December figure of 90 users
    // counts against 1,000 seats (9%).
    ok(s, &[(T1, "exchange", "2023-12-31", "90")]).await;
    let series = s.usage_series(T1, "exchange").await.unwrap();
    assert_eq!(
        (series[0].qualified, series[0].au_percent),
        (1000, Some(9.0))
    );
    assert_eq!(
        service(s, T1, "exchange").await.milestone_10,
        Some(d("2024-01-31"))
    );
    // set_service records the new seats from today; the history keeps every value.
    s.set_service(&actor(), T1, "exchange", 2000, Some(1500))
        .await
        .unwrap();
    let h = s.seat_history(T1, "exchange").await.unwrap();
    let today = ftop_store::today();
    assert_eq!(
        h,
        vec![
            (d("2024-01-01"), 1000),
            (d("2024-01-15"), 800),
            (d("2024-02-01"), 500),
            (today, 1500),
        ]
    );
    // The figures are older than today: their AU keeps the seats of their dates.
    assert_eq!(service(s, T1, "exchange").await.au_percent, Some(16.0));
    // Zero seats: no AU, no milestones.
    s.set_seats(&actor(), T1, "exchange", 0, d("2020-01-01"))
        .await
        .unwrap();
    s.set_seats(&actor(), T1, "exchange", 0, d("2024-01-15"))
        .await
        .unwrap();
    s.set_seats(&actor(), T1, "exchange", 0, d("2024-02-01"))
        .await
        .unwrap();
    let ex = service(s, T1, "exchange").await;
    assert_eq!((ex.au_percent, ex.bucket), (None, None));
    // Every figure now falls on 0 seats (from 2020, Jan 15 and Feb 1): no milestones.
    assert_eq!((ex.milestone_10, ex.milestone_40), (None, None));
}

async fn late_rows_move_milestones(db: &TestDb) {
    let s = &db.store;
    tenant(s, T1, "contoso.onmicrosoft.com", &[("teams", 1000, 1000)]).await;
    // Out of order in one file: March reaches 10% (150 = 15%), January does not.
    ok(
        s,
        &[
            (T1, "teams", "2024-03-31", "150"),
            (T1, "teams", "2024-01-31", "50"),
        ],
    )
    .await;
    let t = service(s, T1, "teams").await;
    assert_eq!(
        (t.as_of, t.milestone_10),
        (Some(d("2024-03-31")), Some(d("2024-03-31")))
    );
    // A late February row at 12% moves the milestone earlier; as_of stays in March.
    ok(s, &[(T1, "teams", "2024-02-29", "120")]).await;
    let t = service(s, T1, "teams").await;
    assert_eq!(
        (t.as_of, t.milestone_10),
        (Some(d("2024-03-31")), Some(d("2024-02-29")))
    );
    assert_eq!(t.active_users, Some(150));
    // The February figure replaced by 20 (2%): the milestone moves back to March.
    ok(s, &[(T1, "teams", "2024-02-29", "20")]).await;
    let t = service(s, T1, "teams").await;
    assert_eq!(t.milestone_10, Some(d("2024-03-31")));
    assert_eq!(s.usage_series(T1, "teams").await.unwrap().len(), 3);
    // Twice in one file: the later line wins. A late last figure changes as_of.
    ok(
        s,
        &[
            (T1, "teams", "2024-04-30", "500"),
            (T1, "teams", "2024-04-30", "390"),
        ],
    )
    .await;
    let t = service(s, T1, "teams").await;
    assert_eq!(
        (t.as_of, t.active_users),
        (Some(d("2024-04-30")), Some(390))
    );
    assert_eq!((t.bucket, t.milestone_40), (Some(Bucket::From10To40), None));
}

async fn importing_again_changes_nothing(db: &TestDb) {
    let s = &db.store;
    tenant(
        s,
        T1,
        "contoso.onmicrosoft.com",
        &[("exchange", 500, 500), ("teams", 500, 400)],
    )
    .await;
    let rows = [
        (T1, "exchange", "2024-01-31", "10"),
        (T1, "exchange", "2024-02-29", "60"),
        (T1, "teams", "2024-02-29", "200"),
    ];
    let first = ok(s, &rows).await;
    assert_eq!(first.changed, 3);
    let before = s.adoption(T1).await.unwrap();
    let second = ok(s, &rows).await;
    assert_eq!((second.imported, second.changed), (3, 0));
    assert_eq!(s.adoption(T1).await.unwrap(), before);
    assert_eq!(s.usage_series(T1, "exchange").await.unwrap().len(), 2);
    assert_eq!(s.usage_series(T1, "teams").await.unwrap().len(), 1);
}

/// An import larger than one batch (PostgreSQL sends each batch by COPY before the end):
/// the later of two rows for one date wins across batches, and a bad row after the first
/// batches still refuses the whole file.
async fn rows_sent_in_batches_keep_the_last_of_a_date_and_a_late_bad_row_refuses_them_all(
    db: &TestDb,
) {
    let s = &db.store;
    tenant(
        s,
        T1,
        "contoso.onmicrosoft.com",
        &[("exchange", 1000, 1000), ("teams", 500, 500)],
    )
    .await;
    // 30,000 Teams figures, one a day from 1970-01-01: more than one batch.
    let mut day = time::Date::from_calendar_date(1970, time::Month::January, 1).unwrap();
    let mut dates = Vec::new();
    for _ in 0..30_000 {
        dates.push(format!(
            "{}-{:02}-{:02}",
            day.year(),
            day.month() as u8,
            day.day()
        ));
        day = day.next_day().unwrap();
    }
    let mut rows = vec![(T1, "exchange", "2024-01-31", "10")];
    rows.extend(dates.iter().map(|d| (T1, "teams", d.as_str(), "7")));
    rows.push((T1, "exchange", "2024-01-31", "120"));
    let r = ok(s, &rows).await;
    assert_eq!((r.imported, r.rejected, r.tenants), (30_002, 0, 1));
    let ex = service(s, T1, "exchange").await;
    assert_eq!(ex.active_users, Some(120), "the later row of the date");
    assert_eq!(s.usage_series(T1, "teams").await.unwrap().len(), 30_000);

    let audit = s.audit_count().await.unwrap();
    let mut changed: Vec<_> = rows.iter().map(|r| (r.0, r.1, r.2, "9")).collect();
    changed.push((T1, "exchange", "2024-13-01", "9"));
    let (r, _) = import(s, &changed, false).await;
    assert_eq!(field_names(r.unwrap_err()), ["line 30004: date"]);
    assert_eq!(service(s, T1, "exchange").await.active_users, Some(120));
    assert!(
        s.usage_series(T1, "teams")
            .await
            .unwrap()
            .iter()
            .all(|p| p.active_users == 7)
    );
    assert_eq!(s.audit_count().await.unwrap(), audit);
}

async fn a_bad_line_refuses_the_file(db: &TestDb) {
    let s = &db.store;
    tenant(s, T1, "contoso.onmicrosoft.com", &[("exchange", 500, 500)]).await;
    let audit = s.audit_count().await.unwrap();
    let (r, _) = import(
        s,
        &[
            (T1, "exchange", "2024-01-31", "100"),
            (T2, "exchange", "2024-01-31", "100"),
            (T1, "Notes", "2024-01-31", "100"),
            (T1, "exchange", "2024-01-31", "-5"),
            (T1, "exchange", "2024-02-30", "5"),
            (T1, "exchange", "31/01/2024", "x"),
            ("not-a-guid", "exchange", "2024-01-31", "1"),
        ],
        false,
    )
    .await;
    assert_eq!(
        field_names(r.unwrap_err()),
        vec![
            "line 3: tenant_id",
            "line 4: service",
            "line 5: active_users",
            "line 6: date",
            "line 7: date",
            "line 7: active_users",
            "line 8: tenant_id",
        ]
    );
    assert!(s.usage_series(T1, "exchange").await.unwrap().is_empty());
    assert_eq!(service(s, T1, "exchange").await.as_of, None);
    assert_eq!(s.audit_count().await.unwrap(), audit);
}

async fn skip_invalid_imports_the_valid_rows(db: &TestDb) {
    let s = &db.store;
    tenant(s, T1, "contoso.onmicrosoft.com", &[("exchange", 500, 500)]).await;
    let (r, rejected) = import(
        s,
        &[
            (T1, "exchange", "2024-01-31", "100"),
            (T2, "exchange", "2024-01-31", "100"),
            (T1, "exchange", "2024-02-29", "-1"),
            (T1, "exchange", "2024-03-31", "250"),
        ],
        true,
    )
    .await;
    let r = r.unwrap();
    assert_eq!((r.rows, r.imported, r.rejected), (4, 2, 2));
    assert_eq!(rejected.len(), 2);
    assert_eq!(rejected[0].line, 3);
    assert_eq!(rejected[0].fields[0], T2);
    assert!(
        rejected[0].reason.contains("no tenant"),
        "{}",
        rejected[0].reason
    );
    assert_eq!(rejected[1].line, 4);
    assert!(
        rejected[1].reason.contains("negative"),
        "{}",
        rejected[1].reason
    );
    let ex = service(s, T1, "exchange").await;
    // 100 of 500 is 20% in January; 250 is exactly 50% in March.
    assert_eq!(ex.milestone_10, Some(d("2024-01-31")));
    assert_eq!(ex.milestone_40, Some(d("2024-03-31")));
    assert_eq!(ex.bucket, Some(Bucket::From40));
}

async fn forecasts_are_validated_and_kept(db: &TestDb) {
    let s = &db.store;
    tenant(s, T1, "contoso.onmicrosoft.com", &[("exchange", 500, 500)]).await;
    let today = ftop_store::today();
    let days = |n: i64| today + time::Duration::days(n);
    let good = ForecastDates {
        submitted: Some(days(-30)),
        target_10: Some(days(30)),
        target_40: Some(days(90)),
        target_max: Some(days(180)),
    };
    // No RFA: refused, nothing kept.
    let e = s
        .save_forecast(
            &actor(),
            T1,
            "exchange",
            &ForecastDates {
                submitted: None,
                ..good
            },
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(field_names(e), vec!["submitted"]);
    // 40% before 10%.
    let e = s
        .save_forecast(
            &actor(),
            T1,
            "exchange",
            &ForecastDates {
                target_40: Some(days(10)),
                ..good
            },
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(field_names(e), vec!["target_40"]);
    assert!(s.forecast_history(T1, "exchange").await.unwrap().is_empty());
    assert_eq!(s.forecast(T1, "exchange").await.unwrap(), None);
    // Accepted saves: one history row each, audited; a stale version is a conflict.
    let f = s
        .save_forecast(&actor(), T1, "exchange", &good, None)
        .await
        .unwrap();
    assert_eq!((f.version, f.dates), (1, good));
    let second = ForecastDates {
        target_40: None,
        ..good
    };
    let f = s
        .save_forecast(&actor(), T1, "Exchange Online", &second, Some(1))
        .await
        .unwrap();
    assert_eq!(f.version, 2);
    assert!(matches!(
        s.save_forecast(&actor(), T1, "exchange", &good, Some(1))
            .await,
        Err(StoreError::Conflict(_))
    ));
    let h = s.forecast_history(T1, "exchange").await.unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!((h[0].dates, h[1].dates), (second, good));
    let audit = s.audit_for(T1, 10).await.unwrap();
    assert_eq!(audit.iter().filter(|a| a.entity == "forecast").count(), 2);
    // A service the tenant does not hold has no forecast.
    assert!(matches!(
        s.save_forecast(&actor(), T1, "teams", &good, None).await,
        Err(StoreError::NotFound(_))
    ));
    // Against actual: 10% reached on a date before the (future) forecast date.
    ok(s, &[(T1, "exchange", &today.to_string(), "60")]).await;
    let ex = service(s, T1, "exchange").await;
    assert_eq!(ex.target_10, Some(days(30)));
    assert_eq!(ex.forecast_10, Some(ForecastStatus::ReachedBeforeForecast));
    assert_eq!(ex.forecast_40, None);
    // Seen a year later: reached before a forecast date that has passed.
    let later = AdoptionFilter {
        today: Some(days(365)),
        ..AdoptionFilter::default()
    };
    let w = DateWindow::month_of(today);
    let p = s.adoption_portfolio(&later, w).await.unwrap();
    assert_eq!(p.totals.forecast_10.met_early, 1);
    let p = s
        .adoption_portfolio(&AdoptionFilter::default(), w)
        .await
        .unwrap();
    assert_eq!(p.totals.forecast_10.reached_before_forecast, 1);
}

async fn portfolio_counts_and_their_rows(db: &TestDb) {
    let s = &db.store;
    tenant(
        s,
        T1,
        "contoso.onmicrosoft.com",
        &[("exchange", 1000, 1000), ("teams", 1000, 1000)],
    )
    .await;
    tenant(
        s,
        T2,
        "fabrikam.onmicrosoft.com",
        &[("exchange", 200, 200), ("intune", 100, 0)],
    )
    .await;
    s.add_tenant_partner(&actor(), T2, "Fabrikam Partners", false)
        .await
        .unwrap();
    let pid = s.partner(&actor(), "Fabrikam Partners").await.unwrap();
    s.add_user(
        &actor(),
        "maria",
        UserRole::Manager,
        "correct horse battery",
        None,
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
        true,
    )
    .await
    .unwrap();
    ok(
        s,
        &[
            // T1 exchange: 5% then 40% (June): top bucket, 10% and 40% in June.
            (T1, "exchange", "2026-05-31", "50"),
            (T1, "exchange", "2026-06-30", "400"),
            // T1 teams: 5%.
            (T1, "teams", "2026-06-30", "50"),
            // T2 exchange: 10% in May (20 of 200), 15% in June.
            (T2, "exchange", "2026-05-31", "20"),
            (T2, "exchange", "2026-06-30", "30"),
        ],
    )
    .await;
    // T2 intune: held, no seats, no figures.
    let june = DateWindow::month_of(d("2026-06-15"));
    assert_eq!((june.from, june.to), (d("2026-06-01"), d("2026-06-30")));
    let q2 = DateWindow::quarter_of(d("2026-05-15"));
    assert_eq!((q2.from, q2.to), (d("2026-04-01"), d("2026-06-30")));
    let all = AdoptionFilter::default();
    let p = s.adoption_portfolio(&all, june).await.unwrap();
    let t = p.totals;
    assert_eq!(
        (t.services, t.engaged, t.no_data, t.undefined),
        (4, 3, 1, 1)
    );
    assert_eq!((t.below_10, t.from_10_to_40, t.from_40), (1, 1, 1));
    assert_eq!((t.reached_10, t.reached_40), (2, 1));
    assert_eq!((t.reached_10_in_window, t.reached_40_in_window), (1, 1));
    assert_eq!(
        (t.tenants, t.tenants_engaged, t.tenants_reached_10),
        (2, 2, 2)
    );
    assert_eq!(t.conversion(Milestone::Ten), Some(66.67));
    assert_eq!(t.tenant_conversion(Milestone::Forty), Some(50.0));
    let ex = p
        .by_service
        .iter()
        .find(|g| g.service.as_deref() == Some("exchange"))
        .unwrap();
    assert_eq!(ex.name.as_deref(), Some("Exchange"));
    assert_eq!(
        (
            ex.counts.services,
            ex.counts.from_10_to_40,
            ex.counts.from_40
        ),
        (2, 1, 1)
    );
    // By partner: Fabrikam has T2; the rest has no partner.
    let g = s
        .adoption_groups(&all, june, AdoptionGroupBy::Partner)
        .await
        .unwrap();
    assert_eq!(g.len(), 2);
    assert_eq!(
        (g[0].id, g[0].name.as_deref()),
        (Some(pid), Some("Fabrikam Partners"))
    );
    assert_eq!((g[0].counts.services, g[0].counts.from_10_to_40), (2, 1));
    assert_eq!((g[1].id, g[1].counts.services), (None, 2));
    // By manager: maria owns T1.
    let g = s
        .adoption_groups(&all, june, AdoptionGroupBy::Manager)
        .await
        .unwrap();
    assert_eq!(
        (g[0].id, g[0].name.as_deref()),
        (Some(maria), Some("maria"))
    );
    assert_eq!((g[0].counts.from_40, g[0].counts.below_10), (1, 1));
    // The rows behind numbers: 10% reached in June; the top bucket; Fabrikam's.
    let rows = s
        .adoption_rows(&AdoptionFilter {
            reached: Some(MilestoneFilter {
                milestone: Milestone::Ten,
                from: Some(june.from),
                to: Some(june.to),
            }),
            ..AdoptionFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (
            rows[0].tenant_id.as_str(),
            rows[0].adoption.service_key.as_str()
        ),
        (T1, "exchange")
    );
    let rows = s
        .adoption_rows(&AdoptionFilter {
            bucket: Some(BucketFilter::Undefined),
            ..AdoptionFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].adoption.service_key, "intune");
    let rows = s
        .adoption_rows(&AdoptionFilter {
            partner_id: Some(pid),
            service: Some("Exchange Online".into()),
            ..AdoptionFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].adoption.milestone_10, Some(d("2026-05-31")));
    // A partner sees only its tenants.
    let partner = AdoptionFilter {
        scope: PortfolioScope {
            partner_id: Some(pid),
            assigned_to: None,
        },
        ..AdoptionFilter::default()
    };
    let p = s.adoption_portfolio(&partner, june).await.unwrap();
    assert_eq!((p.totals.tenants, p.totals.services), (1, 2));
    assert!(
        s.adoption_rows(&partner)
            .await
            .unwrap()
            .iter()
            .all(|r| r.tenant_id == T2)
    );
    let nobody = AdoptionFilter {
        scope: PortfolioScope {
            partner_id: Some(-1),
            assigned_to: None,
        },
        ..AdoptionFilter::default()
    };
    assert_eq!(
        s.adoption_portfolio(&nobody, june)
            .await
            .unwrap()
            .totals
            .services,
        0
    );
    // Forecast counts: T2 exchange forecast for 10% (future), reached already.
    let today = ftop_store::today();
    s.save_forecast(
        &actor(),
        T2,
        "exchange",
        &ForecastDates {
            submitted: Some(d("2026-01-01")),
            target_10: Some(today + time::Duration::days(10)),
            target_40: Some(today + time::Duration::days(20)),
            target_max: Some(today + time::Duration::days(30)),
        },
        None,
    )
    .await
    .unwrap();
    let p = s.adoption_portfolio(&all, june).await.unwrap();
    assert_eq!(p.totals.forecast_10.reached_before_forecast, 1);
    assert_eq!(p.totals.forecast_40.on_track, 1);
    let later = AdoptionFilter {
        today: Some(today + time::Duration::days(25)),
        forecast: Some((Milestone::Forty, ForecastStatus::Overdue)),
        ..AdoptionFilter::default()
    };
    let rows = s.adoption_rows(&later).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].adoption.forecast_40, Some(ForecastStatus::Overdue));
}

/// The groupings by partner and by manager see a change made after they were first read
/// (the SQLite fast path keeps its tenant maps between calls: migration 0004).
async fn groupings_follow_partner_and_manager_changes(db: &TestDb) {
    let s = &db.store;
    tenant(s, T1, "contoso.onmicrosoft.com", &[("exchange", 100, 100)]).await;
    tenant(s, T2, "fabrikam.onmicrosoft.com", &[("exchange", 100, 100)]).await;
    ok(
        s,
        &[
            (T1, "exchange", "2026-06-30", "50"),
            (T2, "exchange", "2026-06-30", "5"),
        ],
    )
    .await;
    let all = AdoptionFilter::default();
    let june = DateWindow::month_of(d("2026-06-15"));
    let groups = |by| async move {
        s.adoption_groups(&AdoptionFilter::default(), june, by)
            .await
            .unwrap()
            .into_iter()
            .map(|g| (g.name, g.counts.services, g.counts.from_40))
            .collect::<Vec<_>>()
    };
    assert_eq!(groups(AdoptionGroupBy::Partner).await, [(None, 2, 1)]);
    assert_eq!(groups(AdoptionGroupBy::Manager).await, [(None, 2, 1)]);
    s.add_tenant_partner(&actor(), T1, "Contoso Partners", false)
        .await
        .unwrap();
    assert_eq!(
        groups(AdoptionGroupBy::Partner).await,
        [(Some("Contoso Partners".into()), 1, 1), (None, 1, 0)]
    );
    s.add_user(
        &actor(),
        "ana",
        UserRole::Manager,
        "correct horse battery",
        None,
    )
    .await
    .unwrap();
    let ana = s.user_by_name("ana").await.unwrap().unwrap().id;
    let fm = AssignmentRole::FastTrackManager;
    s.assign(&actor(), T2, "ana", fm, "", true).await.unwrap();
    assert_eq!(
        groups(AdoptionGroupBy::Manager).await,
        [(Some("ana".into()), 1, 0), (None, 1, 1)]
    );
    // Moving ana from T2 to T1 moves the counts with her.
    s.unassign(&actor(), T2, ana, fm, "").await.unwrap();
    s.assign(&actor(), T1, "ana", fm, "", true).await.unwrap();
    assert_eq!(
        groups(AdoptionGroupBy::Manager).await,
        [(Some("ana".into()), 1, 1), (None, 1, 0)]
    );
    assert_eq!(
        s.adoption_portfolio(&all, june)
            .await
            .unwrap()
            .totals
            .services,
        2
    );
}

/// Every rollup, one line each, with its targets.
async fn rollup_dump(db: &TestDb) -> Vec<String> {
    db.raw(
        "SELECT CAST(tkey AS TEXT) || ' ' || CAST(svc AS TEXT) || ' ' || COALESCE(CAST(as_of AS TEXT), '-')
            || ' ' || COALESCE(CAST(active_users AS TEXT), '-') || ' ' || CAST(qualified AS TEXT)
            || ' ' || COALESCE(CAST(au_bp AS TEXT), '-') || ' ' || COALESCE(bucket, '-')
            || ' ' || COALESCE(CAST(milestone_10 AS TEXT), '-') || ' ' || COALESCE(CAST(milestone_40 AS TEXT), '-')
            || ' ' || COALESCE(CAST(target_10 AS TEXT), '-') || ' ' || COALESCE(CAST(target_40 AS TEXT), '-')
         FROM adoption_rollups ORDER BY tkey, svc",
    )
    .await
}

async fn recompute_repairs_damaged_rollups(db: &TestDb) {
    let s = &db.store;
    tenant(
        s,
        T1,
        "contoso.onmicrosoft.com",
        &[("exchange", 1000, 1000), ("teams", 400, 400)],
    )
    .await;
    tenant(s, T2, "fabrikam.onmicrosoft.com", &[("exchange", 200, 200)]).await;
    ok(
        s,
        &[
            (T1, "exchange", "2024-01-31", "50"),
            (T1, "exchange", "2024-02-29", "120"),
            (T1, "exchange", "2024-03-31", "410"),
            (T2, "exchange", "2024-02-29", "30"),
        ],
    )
    .await;
    let today = ftop_store::today();
    let dates = ForecastDates {
        submitted: Some(today - time::Duration::days(1)),
        target_10: Some(today + time::Duration::days(30)),
        target_40: Some(today + time::Duration::days(90)),
        target_max: Some(today + time::Duration::days(180)),
    };
    // Teams has seats and a forecast but no figures.
    s.save_forecast(&actor(), T1, "teams", &dates, None)
        .await
        .unwrap();
    let good = rollup_dump(db).await;
    assert_eq!(good.len(), 3, "{good:?}");
    let before = (s.adoption(T1).await.unwrap(), s.adoption(T2).await.unwrap());
    // Damage every kind of row: wrong usage columns, a target no forecast backs, a
    // seats-only row's seats, a rollup with usage columns for a service that has no
    // figures, and a rollup nothing backs.
    let key = |t: &str, svc: &str| {
        format!(
            "tkey = (SELECT tkey FROM adoption_tenants WHERE tenant_id = '{t}')
             AND svc = (SELECT svc FROM adoption_services WHERE service = '{svc}')"
        )
    };
    db.raw(&format!(
        "UPDATE adoption_rollups SET active_users = 99, milestone_40 = NULL, target_10 = 1 WHERE {}",
        key(T1, "exchange")
    ))
    .await;
    db.raw(&format!(
        "UPDATE adoption_rollups SET qualified = 7 WHERE {}",
        key(T1, "teams")
    ))
    .await;
    db.raw(&format!(
        "UPDATE adoption_rollups SET as_of = 19000, active_users = 5, bucket = 'below-10' WHERE {}",
        key(T2, "exchange")
    ))
    .await;
    db.raw(&format!(
        "DELETE FROM usage_figures WHERE tkey = (SELECT tkey FROM adoption_tenants WHERE tenant_id = '{T2}')"
    ))
    .await;
    // And a rollup nothing backs (T2 has no Teams line, figure or forecast).
    db.raw(&format!(
        "INSERT INTO adoption_rollups (tkey, svc, qualified, as_of, active_users)
         SELECT k.tkey, c.svc, 5, 19000, 1 FROM adoption_tenants k, adoption_services c
         WHERE k.tenant_id = '{T2}' AND c.service = 'teams'"
    ))
    .await;
    assert_eq!(rollup_dump(db).await.len(), 4);
    assert_ne!(rollup_dump(db).await, good);
    // T2's figures are gone: its rollup goes back to seats only.
    assert_eq!(s.recompute_adoption_rollups().await.unwrap(), 3);
    let repaired = rollup_dump(db).await;
    assert_eq!(repaired.len(), 3, "{repaired:?}");
    assert_eq!(repaired[..2], good[..2]);
    let t2 = repaired[2].split(' ').collect::<Vec<_>>();
    assert_eq!(
        t2[2..],
        ["-", "-", "200", "-", "-", "-", "-", "-", "-"],
        "{repaired:?}"
    );
    assert_eq!(s.adoption(T1).await.unwrap(), before.0);
    assert_ne!(s.adoption(T2).await.unwrap(), before.1);
    // A value of the wrong type (SQLite keeps what it is given) is repaired too.
    if db.url.starts_with("sqlite:") {
        db.raw(&format!(
            "UPDATE adoption_rollups SET milestone_10 = 'soon' WHERE {}",
            key(T1, "exchange")
        ))
        .await;
        assert_ne!(rollup_dump(db).await, repaired);
        assert_eq!(s.recompute_adoption_rollups().await.unwrap(), 3);
    }
    // Nothing to repair: the same again.
    assert_eq!(s.recompute_adoption_rollups().await.unwrap(), 3);
    assert_eq!(rollup_dump(db).await, repaired);
}

async fn recompute_rebuilds_the_same_rollups(db: &TestDb) {
    let s = &db.store;
    tenant(
        s,
        T1,
        "contoso.onmicrosoft.com",
        &[("exchange", 900, 900), ("teams", 900, 300)],
    )
    .await;
    tenant(s, T2, "fabrikam.onmicrosoft.com", &[("exchange", 50, 50)]).await;
    s.set_seats(&actor(), T1, "exchange", 600, d("2024-03-01"))
        .await
        .unwrap();
    // A pseudo-random series per service, imported in three out-of-order files.
    let mut seed = 12345u64;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as i64
    };
    let mut rows: Vec<(String, String, String, String)> = Vec::new();
    for (t, svc, max) in [
        (T1, "exchange", 200),
        (T1, "teams", 150),
        (T2, "exchange", 30),
    ] {
        for m in 1..=12u8 {
            let day =
                Date::from_calendar_date(2024, time::Month::try_from(m).unwrap(), 28).unwrap();
            rows.push((
                t.into(),
                svc.into(),
                day.to_string(),
                (next() % max).to_string(),
            ));
        }
    }
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|i| (i * 7919) % rows.len());
    for part in order.chunks(13) {
        let file: Vec<(&str, &str, &str, &str)> = part
            .iter()
            .map(|&i| {
                let r = &rows[i];
                (r.0.as_str(), r.1.as_str(), r.2.as_str(), r.3.as_str())
            })
            .collect();
        ok(s, &file).await;
    }
    // The maintained rollups agree with the domain's reference computation.
    for (t, svc) in [(T1, "exchange"), (T1, "teams"), (T2, "exchange")] {
        let figures: Vec<_> = rows
            .iter()
            .filter(|r| r.0 == t && r.1 == svc)
            .map(|r| {
                (
                    parse_day(r.2.as_bytes()).unwrap(),
                    r.3.parse::<i64>().unwrap(),
                )
            })
            .collect();
        let seats: Vec<_> = s
            .seat_history(t, svc)
            .await
            .unwrap()
            .into_iter()
            .map(|(d, q)| (day_of(d), q))
            .collect();
        let want = rollup(&figures, &seats).unwrap();
        let got = service(s, t, svc).await;
        assert_eq!(got.as_of.map(day_of), Some(want.as_of), "{t} {svc}");
        assert_eq!(got.active_users, Some(want.active_users));
        assert_eq!(got.qualified_entitlements, want.qualified);
        assert_eq!(got.bucket, want.bucket);
        assert_eq!(got.milestone_10.map(day_of), want.milestone_10, "{t} {svc}");
        assert_eq!(got.milestone_40.map(day_of), want.milestone_40, "{t} {svc}");
    }
    let before = (s.adoption(T1).await.unwrap(), s.adoption(T2).await.unwrap());
    assert_eq!(s.recompute_adoption_rollups().await.unwrap(), 3);
    let after = (s.adoption(T1).await.unwrap(), s.adoption(T2).await.unwrap());
    assert_eq!(before, after);
    assert_eq!(s.integrity_check().await.unwrap(), "ok");
}

/// The tenant grid: priority set by hand and back to the default, the priority filter and
/// order, column filters of each kind, and the displays' details with the tripwires
/// (computed by hand below).
async fn the_grid_filters_sorts_and_reads_its_displays(db: &TestDb) {
    use ftop_domain::Priority;
    use ftop_store::{
        ColumnCondition, EngagementUpdate, GridColumn, PriorityFilter, TenantFilter, TenantSort,
    };
    const T3: &str = "5a1b2c3d-0000-4000-8000-00000000abcd";
    let s = &db.store;
    let today = ftop_store::today();
    let ago = |n: i64| (today - time::Duration::days(n)).to_string();
    tenant(s, T1, "alpha.onmicrosoft.com", &[("exchange", 100, 100)]).await;
    tenant(
        s,
        T2,
        "bravo.onmicrosoft.com",
        &[("exchange", 200, 200), ("teams", 50, 50)],
    )
    .await;
    tenant(s, T3, "charlie.onmicrosoft.com", &[("exchange", 10, 10)]).await;
    // alpha: 10% forty days ago, 20% now (up 10 points); bravo: 50% then 40% (down 10);
    // charlie: 50% both times.
    ok(
        s,
        &[
            (T1, "exchange", &ago(40), "10"),
            (T1, "exchange", &ago(2), "20"),
            (T2, "exchange", &ago(40), "100"),
            (T2, "exchange", &ago(5), "80"),
            (T3, "exchange", &ago(40), "5"),
            (T3, "exchange", &ago(1), "5"),
        ],
    )
    .await;
    // bravo's Teams had 40 qualified seats sixty days ago, 50 since today.
    s.set_seats(&actor(), T2, "teams", 40, today - time::Duration::days(60))
        .await
        .unwrap();
    s.add_user(
        &actor(),
        "rita",
        UserRole::Manager,
        "correct horse battery",
        None,
    )
    .await
    .unwrap();
    s.assign(
        &actor(),
        T1,
        "rita",
        AssignmentRole::RegionalManager,
        "",
        false,
    )
    .await
    .unwrap();
    let writer = s
        .add_user(
            &actor(),
            "nora",
            UserRole::Manager,
            "correct horse battery",
            None,
        )
        .await
        .unwrap();
    let note = ftop_store::NoteDraft {
        tenant_id: T1.into(),
        category: Some(ftop_domain::NoteCategory::EngagementManagement),
        body: "Kick-off held".into(),
        next_action: "Send the migration plan".into(),
        next_action_date: Some("2027-01-15".into()),
        next_action_owner: "Rita".into(),
        ..Default::default()
    };
    s.add_note(&ftop_store::Actor::user(&writer), &note, true)
        .await
        .unwrap();

    let ids: Vec<String> = [T1, T2, T3].iter().map(|t| t.to_string()).collect();
    let d = s.grid_details(&ids, day_of(today), 500).await.unwrap();
    let (a, b, c) = (&d[T1], &d[T2], &d[T3]);
    assert_eq!(a.au.get("exchange"), Some(&2000));
    assert_eq!((a.au_gain, a.au_drop, a.more_seats), (true, false, false));
    assert_eq!(b.au.get("exchange"), Some(&4000));
    assert!(!b.au.contains_key("teams"), "no figures, no AU");
    assert_eq!((b.au_gain, b.au_drop, b.more_seats), (false, true, true));
    assert_eq!((c.au_gain, c.au_drop, c.more_seats), (false, false, false));
    assert_eq!(
        a.next_action
            .as_ref()
            .map(|n| (n.action.as_str(), n.date.as_deref(), n.owner.as_str())),
        Some(("Send the migration plan", Some("2027-01-15"), "Rita"))
    );
    assert_eq!(
        a.people,
        vec![(AssignmentRole::RegionalManager, "rita".to_string(), true)]
    );
    assert!(b.next_action.is_none() && b.people.is_empty());
    // Ten points is not significant above a ten-and-a-bit threshold.
    let d = s.grid_details(&ids, day_of(today), 1001).await.unwrap();
    assert!(!d[T1].au_gain && !d[T2].au_drop && d[T2].more_seats);

    // Priorities: charlie's default becomes Low; bravo and charlie set High by hand.
    let t3 = s.tenant(T3).await.unwrap();
    s.update_engagement(
        &actor(),
        T3,
        t3.version,
        &EngagementUpdate {
            priority: Some(Priority::Low),
            status_date: Some("2026-01-15".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let t = s
        .set_priority(&actor(), T2, Some(Priority::High))
        .await
        .unwrap();
    assert_eq!(t.priority, Priority::HighOverride);
    let t = s
        .set_priority(&actor(), T3, Some(Priority::HighOverride))
        .await
        .unwrap();
    assert_eq!(t.priority, Priority::HighOverride);
    let names = |f: TenantFilter| async move {
        s.tenants(&f)
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.name.trim_end_matches(".onmicrosoft.com").to_string())
            .collect::<Vec<_>>()
    };
    let by = |sort, priority, columns: Vec<ColumnCondition>| TenantFilter {
        sort,
        priority,
        columns,
        ..Default::default()
    };
    assert_eq!(
        names(by(TenantSort::Priority, None, vec![])).await,
        ["bravo", "charlie", "alpha"],
        "high first, then by name"
    );
    assert_eq!(
        names(by(TenantSort::Name, Some(PriorityFilter::High), vec![])).await,
        ["bravo", "charlie"]
    );
    assert_eq!(
        names(by(TenantSort::Name, Some(PriorityFilter::Low), vec![])).await,
        Vec::<String>::new()
    );
    // Back to each one's default: bravo's Medium, charlie's Low.
    assert_eq!(
        s.set_priority(&actor(), T2, None).await.unwrap().priority,
        Priority::Medium
    );
    assert_eq!(
        s.set_priority(&actor(), T3, None).await.unwrap().priority,
        Priority::Low
    );
    assert_eq!(
        names(by(TenantSort::Name, Some(PriorityFilter::Low), vec![])).await,
        ["charlie"]
    );
    assert_eq!(
        names(by(TenantSort::Priority, None, vec![])).await,
        ["alpha", "bravo", "charlie"]
    );
    // Setting and resetting are audited, each with the priority before and after.
    let history = s.audit_matching(T2, "tenant", "", 50).await.unwrap();
    let changes: Vec<(String, String)> = history
        .iter()
        .filter_map(|e| {
            let before = e.before.as_deref()?;
            let after = e.after.as_deref()?;
            let p = |j: &str| {
                serde_json::from_str::<serde_json::Value>(j).unwrap()["priority"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            };
            Some((p(before), p(after)))
        })
        .collect();
    assert_eq!(
        changes,
        [
            ("high-override".to_string(), "medium".to_string()),
            ("medium".to_string(), "high-override".to_string())
        ],
        "{history:?}"
    );

    // Column filters, each kind.
    let cond = |c: &str, op: &str, v: &str| {
        ColumnCondition::parse(GridColumn::parse(c).unwrap(), op, v).unwrap()
    };
    let only = |cs: Vec<ColumnCondition>| by(TenantSort::Name, None, cs);
    assert_eq!(
        names(only(vec![cond("au-exchange", "ge", "40")])).await,
        ["bravo", "charlie"]
    );
    assert_eq!(
        names(only(vec![cond("au-exchange", "lt", "40")])).await,
        ["alpha"]
    );
    assert_eq!(
        names(only(vec![
            cond("au-exchange", "gt", "20"),
            cond("name", "starts", "CH")
        ]))
        .await,
        ["charlie"]
    );
    assert_eq!(
        names(only(vec![cond(
            "customer",
            "contains",
            "alpha.onmicrosoft.com c"
        )]))
        .await,
        ["alpha"]
    );
    assert_eq!(
        names(only(vec![cond("name", "not-contains", "a")])).await,
        Vec::<String>::new()
    );
    assert_eq!(
        names(only(vec![cond("seats", "ge", "200")])).await,
        ["bravo"]
    );
    // Created just now (a test run across midnight UTC may see them a day old).
    assert_eq!(names(only(vec![cond("days", "le", "1")])).await.len(), 3);
    assert!(names(only(vec![cond("days", "ge", "2")])).await.is_empty());
    assert_eq!(
        names(only(vec![cond("status-date", "lt", "2026-02-01")])).await,
        ["charlie"]
    );
    assert_eq!(
        names(only(vec![cond("status-date", "ge", "2026-02-01")])).await,
        Vec::<String>::new()
    );
    let f = only(vec![cond("au-exchange", "ge", "40")]);
    assert_eq!(s.tenant_matches(&f).await.unwrap(), 2, "the count agrees");
    // Customers together.
    let f = TenantFilter {
        by_customer: true,
        sort: TenantSort::Priority,
        ..Default::default()
    };
    let rows = s.tenants(&f).await.unwrap();
    let customers: Vec<&str> = rows.iter().map(|t| t.customer.as_str()).collect();
    assert_eq!(
        customers,
        [
            "alpha.onmicrosoft.com customer",
            "bravo.onmicrosoft.com customer",
            "charlie.onmicrosoft.com customer"
        ]
    );
}

/// The domain's prediction from a service's stored figures (what the store should keep).
async fn expected_gain(s: &Store, tenant: &str, service: &str) -> Option<i64> {
    let figures: Vec<_> = s
        .usage_series(tenant, service)
        .await
        .unwrap()
        .iter()
        .map(|p| (day_of(p.date), p.active_users, p.qualified))
        .collect();
    forecast_gain(&figures).map(|f| f.gain_bp)
}

/// The predicted six-month gain (issue 17) is stored per service and per tenant (the
/// largest of its services) as figures arrive and seats change, the grid sorts by it, and
/// a recompute puts damaged values back.
async fn predicted_gain_follows_imports_seats_and_recompute(db: &TestDb) {
    use ftop_store::{TenantFilter, TenantSort};
    const T3: &str = "5a1b2c3d-0000-4000-8000-00000000abcd";
    let s = &db.store;
    tenant(
        s,
        T1,
        "alpha.onmicrosoft.com",
        &[("exchange", 1000, 1000), ("teams", 400, 400)],
    )
    .await;
    tenant(s, T2, "bravo.onmicrosoft.com", &[("exchange", 200, 200)]).await;
    // charlie has seats but no figures: no prediction.
    tenant(s, T3, "charlie.onmicrosoft.com", &[("exchange", 10, 10)]).await;
    let months = |m0: u8, values: &[i64]| -> Vec<(String, String)> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let m = time::Month::try_from(m0 + i as u8).unwrap();
                (
                    Date::from_calendar_date(2025, m, 1).unwrap().to_string(),
                    v.to_string(),
                )
            })
            .collect()
    };
    let rows_of = |t: &'static str, svc: &'static str, v: &[(String, String)]| {
        v.iter()
            .map(|(d, a)| (t, svc, d.clone(), a.clone()))
            .collect::<Vec<_>>()
    };
    // alpha exchange rises 2 points a month, alpha teams is flat at 25%, bravo is flat
    // at 50%.
    let mut rows = rows_of(
        T1,
        "exchange",
        &months(1, &[100, 120, 140, 160, 180, 200, 220]),
    );
    rows.extend(rows_of(T1, "teams", &months(1, &[100; 7])));
    rows.extend(rows_of(T2, "exchange", &months(1, &[100; 7])));
    let refs: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| (r.0, r.1, r.2.as_str(), r.3.as_str()))
        .collect();
    ok(s, &refs).await;
    let rising = expected_gain(s, T1, "exchange").await.unwrap();
    assert!(rising > 500 && rising < 1200, "{rising}");
    let g1 = s.predicted_gain(T1).await.unwrap();
    assert_eq!(
        g1.services,
        [("exchange".into(), Some(rising)), ("teams".into(), Some(0))]
    );
    assert_eq!(g1.gain_6m_bp, Some(rising));
    let g2 = s.predicted_gain(T2).await.unwrap();
    assert_eq!(g2.gain_6m_bp, Some(0));
    assert_eq!(s.predicted_gain(T3).await.unwrap().gain_6m_bp, None);

    // The grid: highest predicted gain first, tenants without one last either way.
    let names = |descending| async move {
        let f = TenantFilter {
            sort: TenantSort::Gain,
            descending,
            ..Default::default()
        };
        s.tenants(&f)
            .await
            .unwrap()
            .into_iter()
            .map(|t| (t.name.split('.').next().unwrap().to_string(), t.gain_6m_bp))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(true).await,
        [
            ("alpha".into(), Some(rising)),
            ("bravo".into(), Some(0)),
            ("charlie".into(), None)
        ]
    );
    assert_eq!(
        names(false).await,
        [
            ("bravo".into(), Some(0)),
            ("alpha".into(), Some(rising)),
            ("charlie".into(), None)
        ]
    );

    // A later import: bravo climbs steeply, alpha's exchange falls back.
    let mut rows = rows_of(T2, "exchange", &months(8, &[130, 160]));
    rows.extend(rows_of(T1, "exchange", &months(8, &[120, 60, 30])));
    let refs: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| (r.0, r.1, r.2.as_str(), r.3.as_str()))
        .collect();
    ok(s, &refs).await;
    let bravo = expected_gain(s, T2, "exchange").await.unwrap();
    let alpha_ex = expected_gain(s, T1, "exchange").await.unwrap();
    assert!(bravo > 0 && alpha_ex < 0, "{bravo} {alpha_ex}");
    assert_eq!(s.predicted_gain(T2).await.unwrap().gain_6m_bp, Some(bravo));
    // alpha's total is now its flat teams (0), the larger of its two.
    let g1 = s.predicted_gain(T1).await.unwrap();
    assert_eq!(g1.services[0], ("exchange".into(), Some(alpha_ex)));
    assert_eq!(g1.gain_6m_bp, Some(0));
    assert_eq!(names(true).await[0], ("bravo".into(), Some(bravo)));

    // Fewer seats from before bravo's figures: a higher AU, the gain follows.
    s.set_seats(&actor(), T2, "exchange", 100, d("2024-12-01"))
        .await
        .unwrap();
    let bravo_seats = expected_gain(s, T2, "exchange").await.unwrap();
    assert_ne!(bravo_seats, bravo);
    assert_eq!(
        s.predicted_gain(T2).await.unwrap().gain_6m_bp,
        Some(bravo_seats)
    );

    // Damaged stored gains are put back by a recompute.
    let good = (
        s.predicted_gain(T1).await.unwrap(),
        s.predicted_gain(T2).await.unwrap(),
        s.predicted_gain(T3).await.unwrap(),
    );
    db.raw("UPDATE adoption_rollups SET gain_6m_bp = 4242")
        .await;
    db.raw("UPDATE adoption_tenants SET gain_6m_bp = NULL")
        .await;
    assert_ne!(s.predicted_gain(T1).await.unwrap(), good.0);
    s.recompute_adoption_rollups().await.unwrap();
    let again = (
        s.predicted_gain(T1).await.unwrap(),
        s.predicted_gain(T2).await.unwrap(),
        s.predicted_gain(T3).await.unwrap(),
    );
    assert_eq!(again, good);
}

#[path = "../benches/common/usage_gen.rs"]
mod usage_gen;

/// Benchmark B8 (`BENCHMARKS.md`): the predicted six-month AU gain, backtested on the
/// usage history a store holds, beside the naive "no change" baseline.
///
/// The history is benchmark B5's realistic generator (`benches/common/usage_gen.rs`: 300
/// tenants × 10 services × 24 monthly figures) imported into a store; each series is then
/// read back and, from each month t with six months of history before it and six after
/// (t = 7th to 18th month), the AU of month t + 6 is predicted from the figures up to t
/// and compared with the figure. Prints mean and median absolute errors in AU points.
///
/// Run: `cargo test -p ftop-store --test adoption predicted_gain_backtest -- --nocapture`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn predicted_gain_backtest() {
    use ftop_domain::adoption::au_basis_points;
    use ftop_domain::forecast_gain::{PHI, forecast_gain_with};
    const TENANTS: u64 = 300;
    const MONTHS: u32 = 24;
    const AHEAD: usize = 6;
    let db = common::sqlite().await;
    let s = &db.store;
    let dates = usage_gen::dates(MONTHS);
    let mut lines: Vec<(String, String, String, String)> = Vec::new();
    /// A tenant ID with its services (key, seats, qualified seats).
    type Generated = (String, Vec<(String, i64, i64)>);
    let mut tenants: Vec<Generated> = Vec::new();
    usage_gen::generate(TENANTS, MONTHS, |_, id, svc, seats, qualified, active| {
        if tenants.last().is_none_or(|t| t.0 != id) {
            tenants.push((id.to_string(), Vec::new()));
        }
        if let Some(t) = tenants.last_mut() {
            t.1.push((svc.to_string(), seats, qualified));
        }
        for (d, a) in dates.iter().zip(active) {
            lines.push((id.into(), svc.into(), d.clone(), a.to_string()));
        }
    });
    for (i, (id, services)) in tenants.iter().enumerate() {
        s.add_tenant(
            &actor(),
            &NewTenant {
                tenant_id: id.clone(),
                name: format!("bench{i:06}.onmicrosoft.com"),
                customer: format!("Bench Customer {i:06}"),
                services: services
                    .iter()
                    .map(|(k, t, q)| (k.clone(), *t, Some(*q)))
                    .collect(),
            },
        )
        .await
        .unwrap();
    }
    let refs: Vec<(&str, &str, &str, &str)> = lines
        .iter()
        .map(|r| (r.0.as_str(), r.1.as_str(), r.2.as_str(), r.3.as_str()))
        .collect();
    ok(s, &refs).await;

    // Absolute errors in AU points: the naive baseline, then the method with damping
    // factors 0 (the fitted level, no trend), 0.8, the chosen PHI and 1 (undamped).
    let phis = [0.0, 0.8, PHI, 1.0];
    let mut naive: Vec<f64> = Vec::new();
    let mut method: Vec<Vec<f64>> = vec![Vec::new(); phis.len()];
    let mut series = 0;
    for (id, services) in &tenants {
        let stored = s.predicted_gain(id).await.unwrap();
        for (svc, _, _) in services {
            let figures: Vec<_> = s
                .usage_series(id, svc)
                .await
                .unwrap()
                .iter()
                .map(|p| (day_of(p.date), p.active_users, p.qualified))
                .collect();
            assert_eq!(figures.len(), MONTHS as usize);
            series += 1;
            // The stored gain is the method on the whole history.
            let whole = forecast_gain(&figures).map(|f| f.gain_bp);
            assert!(
                stored.services.contains(&(svc.clone(), whole)),
                "{id} {svc}"
            );
            let au = |i: usize| au_basis_points(figures[i].1, figures[i].2).unwrap() as f64;
            for t in 6..figures.len() - AHEAD {
                let actual = au(t + AHEAD);
                naive.push((au(t) - actual).abs() / 100.0);
                for (k, phi) in phis.iter().enumerate() {
                    let f = forecast_gain_with(&figures[..=t], *phi).unwrap();
                    assert!((0..=10_000).contains(&f.predicted_bp));
                    method[k].push((f.predicted_bp as f64 - actual).abs() / 100.0);
                }
            }
        }
    }
    let mae = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let median = |v: &[f64]| {
        let mut v = v.to_vec();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        }
    };
    println!(
        "B8 backtest: {series} series ({TENANTS} tenants x 10 services x {MONTHS} months), {} forecasts 6 months ahead",
        naive.len()
    );
    println!("| predictor | MAE (AU points) | median abs. error (AU points) |");
    println!("|---|---:|---:|");
    println!(
        "| naive: last AU carried forward (gain 0) | {:.2} | {:.2} |",
        mae(&naive),
        median(&naive)
    );
    for (k, phi) in phis.iter().enumerate() {
        let label = if *phi == PHI {
            format!("damped trend, phi = {phi} (ftop)")
        } else {
            format!("damped trend, phi = {phi}")
        };
        println!(
            "| {label} | {:.2} | {:.2} |",
            mae(&method[k]),
            median(&method[k])
        );
    }
    let chosen = phis.iter().position(|p| *p == PHI).unwrap();
    assert!(mae(&method[chosen]) < mae(&naive));
    assert!(median(&method[chosen]) < median(&naive));
}

// ---- Reports (issue 17) ----

async fn reports_on_a_small_portfolio(db: &TestDb) {
    use ftop_domain::taxonomy::L1;
    use ftop_domain::{EngagementScenario, OverallStatus};
    use ftop_store::ReportFilter;
    let (p1, maria) = reports_fixture(db).await;
    let s = &db.store;
    let today = d("2026-06-30");
    let all = ReportFilter {
        today: Some(today),
        ..ReportFilter::default()
    };
    let with = |f: ReportFilter| ReportFilter {
        today: Some(today),
        ..f
    };

    // Milestones: every service with usage (charlie has none).
    let m = s.report_milestones(&all, None).await.unwrap();
    let got: Vec<_> = m
        .iter()
        .map(|r| {
            (
                r.tenant_id.as_str(),
                r.service_key.as_str(),
                r.active_users,
                r.qualified_entitlements,
                r.au_percent,
                r.bucket,
                r.needed_10,
                r.needed_40,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            // Exactly 10%: the 10-40 bucket, none needed for 10%, 400 - 100 for 40%.
            (
                T1,
                "exchange",
                100,
                1000,
                Some(10.0),
                Some(Bucket::From10To40),
                0,
                300
            ),
            // 19 of 200: 20 - 19 = 1 for 10%, 80 - 19 = 61 for 40%.
            (
                T1,
                "teams",
                19,
                200,
                Some(9.5),
                Some(Bucket::Below10),
                1,
                61
            ),
            // 121 of 300: past both (30 and 120).
            (
                T2,
                "exchange",
                121,
                300,
                Some(40.33),
                Some(Bucket::From40),
                0,
                0
            ),
            // No qualified seats: nothing needed.
            (T2, "intune", 5, 0, None, None, 0, 0),
        ]
    );
    assert!(m.iter().all(|r| r.as_of == today));
    let keys = |rows: Vec<ftop_store::MilestoneRow>| -> Vec<(String, String)> {
        rows.into_iter()
            .map(|r| (r.tenant_id, r.service_key))
            .collect()
    };
    let pair = |t: &str, s: &str| (t.to_string(), s.to_string());
    let exchange = ReportFilter {
        service: Some("exchange".into()),
        ..all.clone()
    };
    assert_eq!(
        keys(s.report_milestones(&exchange, None).await.unwrap()),
        vec![pair(T1, "exchange"), pair(T2, "exchange")]
    );
    let partner = with(ReportFilter {
        partner: Some(p1),
        ..ReportFilter::default()
    });
    assert_eq!(
        keys(s.report_milestones(&partner, None).await.unwrap()),
        vec![pair(T1, "exchange"), pair(T1, "teams")]
    );
    // A partner's scope is the same set.
    let scoped = with(ReportFilter {
        scope: PortfolioScope {
            partner_id: Some(p1),
            assigned_to: None,
        },
        ..ReportFilter::default()
    });
    assert_eq!(s.report_milestones(&scoped, None).await.unwrap().len(), 2);
    let managed = with(ReportFilter {
        manager: Some(maria),
        ..ReportFilter::default()
    });
    assert_eq!(s.report_milestones(&managed, None).await.unwrap().len(), 2);
    assert_eq!(
        keys(
            s.report_milestones(&all, Some(Some(Bucket::Below10)))
                .await
                .unwrap()
        ),
        vec![pair(T1, "teams")]
    );
    assert_eq!(
        keys(s.report_milestones(&all, Some(None)).await.unwrap()),
        vec![pair(T2, "intune")]
    );
    let team = with(ReportFilter {
        team: Some("BLUE team".into()),
        ..ReportFilter::default()
    });
    assert_eq!(
        keys(s.report_milestones(&team, None).await.unwrap()),
        vec![pair(T2, "exchange")]
    );
    // A LIKE wildcard in a team name is a plain character.
    let wild = with(ReportFilter {
        team: Some("Red%".into()),
        ..ReportFilter::default()
    });
    assert!(s.report_milestones(&wild, None).await.unwrap().is_empty());
    let red = with(ReportFilter {
        team: Some("red_team".into()),
        ..ReportFilter::default()
    });
    assert_eq!(s.report_milestones(&red, None).await.unwrap().len(), 1);
    let cxp = with(ReportFilter {
        scenario: Some(EngagementScenario::Cxp),
        ..ReportFilter::default()
    });
    assert_eq!(
        keys(s.report_milestones(&cxp, None).await.unwrap()),
        vec![pair(T2, "exchange")]
    );
    // The default scenario counts for services never set.
    let assist = with(ReportFilter {
        scenario: Some(EngagementScenario::CustomerLedFtpAssist),
        ..ReportFilter::default()
    });
    assert_eq!(s.report_milestones(&assist, None).await.unwrap().len(), 3);
    let in_progress = with(ReportFilter {
        service_status: Some(L1::InProgress),
        ..ReportFilter::default()
    });
    assert_eq!(
        keys(s.report_milestones(&in_progress, None).await.unwrap()),
        vec![pair(T1, "exchange")]
    );
    let blocked = with(ReportFilter {
        status: Some(OverallStatus::Blocked),
        ..ReportFilter::default()
    });
    assert_eq!(
        keys(s.report_milestones(&blocked, None).await.unwrap()),
        vec![pair(T2, "exchange"), pair(T2, "intune")]
    );

    // Stale status notes on 2026-06-30: alpha's is exactly 14 days old (current), bravo's
    // 15 (stale), charlie never had one (first).
    let stale = s.report_stale_status_notes(&all).await.unwrap();
    let got: Vec<_> = stale
        .iter()
        .map(|r| (r.tenant_id.as_str(), r.last_status_note_at, r.days))
        .collect();
    assert_eq!(
        got,
        vec![(T3, None, None), (T2, Some(d("2026-06-15")), Some(15))]
    );
    // A day earlier bravo's is 14 days old too.
    let before = ReportFilter {
        today: Some(d("2026-06-29")),
        ..ReportFilter::default()
    };
    let got: Vec<_> = s
        .report_stale_status_notes(&before)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.tenant_id)
        .collect();
    assert_eq!(got, vec![T3.to_string()]);
    // Assigned to maria: alpha only, which is current.
    let mine = with(ReportFilter {
        scope: PortfolioScope {
            partner_id: None,
            assigned_to: Some(maria),
        },
        ..ReportFilter::default()
    });
    assert!(s.report_stale_status_notes(&mine).await.unwrap().is_empty());
    assert_eq!(
        s.report_stale_status_notes(&scoped).await.unwrap()[0].tenant_id,
        T3
    );
    // A service filter keeps the tenants holding a matching service.
    let got = s.report_stale_status_notes(&team).await.unwrap();
    assert_eq!((got.len(), got[0].tenant_id.as_str()), (1, T2));

    // Compliance: alpha has partner-led services (the default scenario) and no primary
    // tenant RM; charlie's is the partner's pete; bravo is no partner's.
    let rm = s.report_rm_not_partner(&all).await.unwrap();
    assert_eq!(
        rm.iter()
            .map(|r| (r.tenant_id.as_str(), r.rm.clone()))
            .collect::<Vec<_>>(),
        vec![(T1, None)]
    );
    s.assign(
        &actor(),
        T1,
        "maria",
        AssignmentRole::RegionalManager,
        "",
        true,
    )
    .await
    .unwrap();
    let rm = s.report_rm_not_partner(&all).await.unwrap();
    assert_eq!(rm[0].rm.as_deref(), Some("maria"));
    // A partner user as primary RM puts it in order.
    s.assign(
        &actor(),
        T1,
        "pete",
        AssignmentRole::RegionalManager,
        "",
        true,
    )
    .await
    .unwrap();
    assert!(s.report_rm_not_partner(&all).await.unwrap().is_empty());
    // Scenario: alpha teams moved to CSS-led is listed; bravo's CXP is no partner's.
    s.set_delivery(
        &actor(),
        T1,
        "teams",
        0,
        &ftop_store::DeliveryUpdate {
            scenario: Some(EngagementScenario::CssLed),
            teams: vec![],
            start_date: String::new(),
        },
    )
    .await
    .unwrap();
    let sc = s.report_scenario_not_partner_led(&all).await.unwrap();
    assert_eq!(
        sc.iter()
            .map(|r| (r.tenant_id.as_str(), r.service_key.as_str(), r.scenario))
            .collect::<Vec<_>>(),
        vec![(T1, "teams", EngagementScenario::CssLed)]
    );
    // Without pete, maria is alpha's primary RM again: alpha is listed while one of its
    // services (exchange, never set) is partner-led, not once both are written CSS-led,
    // and again once exchange is set back to the default scenario.
    let pete = s.user_by_name("pete").await.unwrap().unwrap().id;
    s.unassign(&actor(), T1, pete, AssignmentRole::RegionalManager, "")
        .await
        .unwrap();
    let listed = |rm: Vec<ftop_store::RmNotPartnerRow>| {
        rm.into_iter()
            .map(|r| (r.tenant_id, r.rm))
            .collect::<Vec<_>>()
    };
    let alpha = vec![(T1.to_string(), Some("maria".to_string()))];
    // Every tenant (the flag each tenant keeps, migration 22), the partner's, and the
    // rule applied service by service (a service filter) alike: over all services, a
    // tenant is listed when it is for one of them.
    let partners = with(ReportFilter {
        partner: Some(p1),
        ..ReportFilter::default()
    });
    let both = async || {
        let every = listed(s.report_rm_not_partner(&all).await.unwrap());
        let theirs = listed(s.report_rm_not_partner(&partners).await.unwrap());
        assert_eq!(every, theirs);
        let mut by_service = Vec::new();
        for svc in ["exchange", "intune", "sharepoint", "teams"] {
            let one = with(ReportFilter {
                service: Some(svc.into()),
                ..ReportFilter::default()
            });
            by_service.extend(listed(s.report_rm_not_partner(&one).await.unwrap()));
        }
        by_service.sort();
        by_service.dedup();
        assert_eq!(
            every, by_service,
            "the flag and the rule service by service"
        );
        every
    };
    assert_eq!(both().await, alpha);
    let css = |scenario| ftop_store::DeliveryUpdate {
        scenario: Some(scenario),
        teams: vec![],
        start_date: String::new(),
    };
    let written = s
        .set_delivery(
            &actor(),
            T1,
            "exchange",
            0,
            &css(EngagementScenario::CssLed),
        )
        .await
        .unwrap();
    assert!(both().await.is_empty());
    s.set_delivery(
        &actor(),
        T1,
        "exchange",
        written.version,
        &css(EngagementScenario::DEFAULT),
    )
    .await
    .unwrap();
    assert_eq!(both().await, alpha);

    // The 10% forecast on 2026-06-30, by date.
    let fc = s.report_forecast(&all, Milestone::Ten).await.unwrap();
    let got: Vec<_> = fc
        .iter()
        .map(|r| {
            (
                r.tenant_id.as_str(),
                r.service_key.as_str(),
                r.target,
                r.status,
                r.due_today,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            // Past and still below 10%: overdue (flagged).
            (T1, "teams", d("2026-06-01"), ForecastStatus::Overdue, false),
            // Today, reached today: due today.
            (
                T1,
                "exchange",
                today,
                ForecastStatus::ReachedBeforeForecast,
                true
            ),
            // Future, already reached (flagged).
            (
                T2,
                "exchange",
                d("2026-07-31"),
                ForecastStatus::ReachedBeforeForecast,
                false
            ),
            // Future, not reached.
            (
                T3,
                "sharepoint",
                d("2026-08-15"),
                ForecastStatus::OnTrack,
                false
            ),
        ]
    );
    assert_eq!(fc[1].reached, Some(today));
    assert!(
        s.report_forecast(&all, Milestone::Forty)
            .await
            .unwrap()
            .is_empty()
    );
    // The next day the date of today has passed: met early.
    let next = ReportFilter {
        today: Some(d("2026-07-01")),
        ..ReportFilter::default()
    };
    let fc = s.report_forecast(&next, Milestone::Ten).await.unwrap();
    assert_eq!(
        (fc[1].status, fc[1].due_today),
        (ForecastStatus::MetEarly, false)
    );

    // New subscriptions: every service line starts unclassified; alpha exchange was
    // classified in progress.
    let ns = s.report_new_subscriptions(&all).await.unwrap();
    assert_eq!(
        ns.iter()
            .map(|r| (r.tenant_id.as_str(), r.service_key.as_str(), r.entitlements))
            .collect::<Vec<_>>(),
        vec![
            (T1, "teams", 200),
            (T2, "exchange", 300),
            (T2, "intune", 50),
            (T3, "sharepoint", 100),
        ]
    );
    assert_eq!(s.report_new_subscriptions(&partner).await.unwrap().len(), 2);
    // The partner's counts (read by its tenants' keys) and its page, by name.
    assert_eq!(
        s.report_new_subscription_counts(&partner).await.unwrap(),
        vec![("sharepoint".to_string(), 1), ("teams".to_string(), 1)]
    );
    let (page, counts) = s
        .report_new_subscriptions_counted(&partner, ftop_store::Page::of(1, 1))
        .await
        .unwrap();
    assert_eq!(counts.len(), 2);
    assert_eq!(
        (page.rows.len(), page.rows[0].tenant_id.as_str(), page.total),
        (1, T3, 2)
    );
}

async fn data_health_lists_each_check(db: &TestDb) {
    use ftop_store::{HealthCheck, ReportFilter};
    reports_fixture(db).await;
    let s = &db.store;
    // Charlie's SharePoint claims 150 qualified seats of 100 entitlements.
    db.raw(&format!(
        "UPDATE tenant_services SET qualified = 150 WHERE tenant_id = '{T3}'"
    ))
    .await;
    let on = |day: &str| ReportFilter {
        today: Some(d(day)),
        ..ReportFilter::default()
    };
    let rows = |v: Vec<ftop_store::DataHealthRow>| -> Vec<(HealthCheck, String, String)> {
        v.into_iter()
            .map(|r| (r.check, r.tenant_id, r.service_key))
            .collect()
    };
    let row = |c, t: &str, s: &str| (c, t.to_string(), s.to_string());
    // On 2026-07-30 the figures of 2026-06-30 are exactly 30 days old: still recent. Only
    // charlie (never a figure) lacks usage; bravo's Intune has no qualified seats. Alpha's
    // Exchange is In Progress without a target date.
    assert_eq!(
        rows(s.report_data_health(&on("2026-07-30"), 30).await.unwrap()),
        vec![
            row(HealthCheck::NoRecentUsage, T3, "sharepoint"),
            row(HealthCheck::QualifiedAboveEntitled, T3, "sharepoint"),
            row(HealthCheck::InProgressWithoutTarget, T1, "exchange"),
        ]
    );
    // A day later they are 31 days old.
    let late = s.report_data_health(&on("2026-07-31"), 30).await.unwrap();
    assert_eq!(
        rows(late.clone())[..4],
        [
            row(HealthCheck::NoRecentUsage, T1, "exchange"),
            row(HealthCheck::NoRecentUsage, T1, "teams"),
            row(HealthCheck::NoRecentUsage, T2, "exchange"),
            row(HealthCheck::NoRecentUsage, T3, "sharepoint"),
        ]
    );
    assert_eq!(late[0].last_figure, Some(d("2026-06-30")));
    assert_eq!(late[3].last_figure, None);
    assert_eq!((late[4].qualified, late[4].entitlements), (150, 100));
    // Filters apply: bravo's only.
    let bravo = ReportFilter {
        status: Some(ftop_domain::OverallStatus::Blocked),
        ..on("2026-07-31")
    };
    assert_eq!(
        rows(s.report_data_health(&bravo, 30).await.unwrap()),
        vec![row(HealthCheck::NoRecentUsage, T2, "exchange")]
    );
}

/// The month counts of a trend as (month, pairs, with seats, active users, seats, AU%,
/// capped AU%, at 10%, at 40%, rate 10%, rate 40%).
type TrendRow = (
    String,
    i64,
    i64,
    i64,
    i64,
    Option<f64>,
    Option<f64>,
    i64,
    i64,
    Option<f64>,
    Option<f64>,
);

fn trend_rows(t: &[ftop_store::MonthUsage]) -> Vec<TrendRow> {
    t.iter()
        .map(|m| {
            let c = &m.counts;
            (
                m.month.clone(),
                c.services,
                c.with_seats,
                c.active_users,
                c.qualified_entitlements,
                c.au_percent,
                c.capped_au_percent,
                c.at_10,
                c.at_40,
                c.rate_10,
                c.rate_40,
            )
        })
        .collect()
}

/// Usage trend, service usage and credit by scenario over the reports' fixture plus
/// earlier figures: a month's last figure counts (not its first), exactly 10% and 40%
/// reach the milestones, more active users than seats is capped at 100% only in the
/// capped AU; the monthly totals follow a seat change and survive a recompute.
async fn usage_by_month_service_and_scenario(db: &TestDb) {
    use ftop_domain::EngagementScenario;
    use ftop_store::{ReportFilter, UsageCounts, UsagePick, UsageSource, month_of};
    let (p1, _) = reports_fixture(db).await;
    let s = &db.store;
    ok(
        s,
        &[
            // alpha exchange: April ends at 5%; May's first day 9.9%, its last exactly 10%.
            (T1, "exchange", "2026-04-30", "50"),
            (T1, "exchange", "2026-05-01", "99"),
            (T1, "exchange", "2026-05-31", "100"),
            // alpha teams: exactly 40% in May.
            (T1, "teams", "2026-05-15", "80"),
            // bravo exchange: 400 active users on 300 seats in May.
            (T2, "exchange", "2026-05-20", "400"),
        ],
    )
    .await;
    let all = ReportFilter::default();
    let trend = s.report_usage_trend(&all).await.unwrap();
    let (apr, may, jun) = (
        "2026-04".to_string(),
        "2026-05".to_string(),
        "2026-06".to_string(),
    );
    assert_eq!(
        trend_rows(&trend),
        vec![
            // 50 of 1,000.
            (
                apr.clone(),
                1,
                1,
                50,
                1000,
                Some(5.0),
                Some(5.0),
                0,
                0,
                Some(0.0),
                Some(0.0)
            ),
            // 100/1,000 + 80/200 + 400/300: 580 of 1,500 = 38.67%; capped 100 + 80 + 300
            // = 480 of 1,500 = 32%; all three at 10%, teams and bravo at 40%.
            (
                may.clone(),
                3,
                3,
                580,
                1500,
                Some(38.67),
                Some(32.0),
                3,
                2,
                Some(100.0),
                Some(66.67)
            ),
            // 100/1,000 + 19/200 + 121/300 (+ intune 5 without seats): 240 of 1,500 = 16%.
            (
                jun.clone(),
                4,
                3,
                245,
                1500,
                Some(16.0),
                Some(16.0),
                2,
                1,
                Some(66.67),
                Some(33.33)
            ),
        ]
    );
    assert_eq!(trend[1].number, month_of(d("2026-05-01")));
    // The partner's tenants (alpha, charlie without usage), counted from the month rows.
    let partner = ReportFilter {
        partner: Some(p1),
        ..ReportFilter::default()
    };
    let t = s.report_usage_trend(&partner).await.unwrap();
    assert_eq!(
        trend_rows(&t),
        vec![
            (
                apr.clone(),
                1,
                1,
                50,
                1000,
                Some(5.0),
                Some(5.0),
                0,
                0,
                Some(0.0),
                Some(0.0)
            ),
            // 180 of 1,200 = 15%.
            (
                may.clone(),
                2,
                2,
                180,
                1200,
                Some(15.0),
                Some(15.0),
                2,
                1,
                Some(100.0),
                Some(50.0)
            ),
            // 119 of 1,200 = 9.92%.
            (
                jun.clone(),
                2,
                2,
                119,
                1200,
                Some(9.92),
                Some(9.92),
                1,
                0,
                Some(50.0),
                Some(0.0)
            ),
        ]
    );
    assert!(t.iter().all(|m| m.counts.tenants == 1));
    // One service, from the totals.
    let exchange = ReportFilter {
        service: Some("exchange".into()),
        ..ReportFilter::default()
    };
    let t = s.report_usage_trend(&exchange).await.unwrap();
    assert_eq!(
        t.iter()
            .map(|m| (
                m.month.as_str(),
                m.counts.tenants,
                m.counts.active_users,
                m.counts.capped_au_percent
            ))
            .collect::<Vec<_>>(),
        // May: 500 of 1,300 uncapped, 400 of 1,300 = 30.77% capped.
        vec![
            ("2026-04", 1, 50, Some(5.0)),
            ("2026-05", 2, 500, Some(30.77)),
            ("2026-06", 2, 221, Some(17.0))
        ]
    );
    assert_eq!(t[1].counts.au_percent, Some(38.46));

    // Service usage today (the latest figures), by service and in total.
    let (by, total) = s
        .report_service_usage(&all, UsageSource::Latest)
        .await
        .unwrap();
    let got: Vec<_> = by
        .iter()
        .map(|c| {
            (
                c.service_key.clone().unwrap(),
                c.tenants,
                c.with_seats,
                c.active_users,
                c.qualified_entitlements,
                c.au_percent,
                c.buckets,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            // 221 of 1,300 = 17%: alpha exactly 10% (10-40), bravo 40.33%.
            ("exchange".into(), 2, 2, 221, 1300, Some(17.0), [0, 1, 1, 0]),
            ("intune".into(), 1, 0, 5, 0, None, [0, 0, 0, 1]),
            ("teams".into(), 1, 1, 19, 200, Some(9.5), [1, 0, 0, 0]),
        ]
    );
    assert_eq!(
        (
            total.tenants,
            total.services,
            total.with_seats,
            total.active_users,
            total.au_percent,
            total.buckets
        ),
        (2, 4, 3, 245, Some(16.0), [1, 1, 1, 1])
    );
    // May's last figures: bravo's 400 of 300 is 133.33% uncapped, 100% capped.
    let may_n = month_of(d("2026-05-15"));
    let (by, _) = s
        .report_service_usage(&all, UsageSource::Month(may_n))
        .await
        .unwrap();
    assert_eq!(
        by.iter()
            .map(|c| (
                c.service_key.clone().unwrap(),
                c.au_percent,
                c.capped_au_percent,
                c.buckets
            ))
            .collect::<Vec<_>>(),
        vec![
            ("exchange".into(), Some(38.46), Some(30.77), [0, 1, 1, 0]),
            ("teams".into(), Some(40.0), Some(40.0), [0, 0, 1, 0]),
        ]
    );

    // The rows behind "at 40% in May": alpha teams and bravo exchange, a page at a time.
    let at40 = UsagePick {
        at: Some(Milestone::Forty),
        ..UsagePick::default()
    };
    let (rows, n) = s
        .report_usage_rows(&all, UsageSource::Month(may_n), at40, 10, 0, None)
        .await
        .unwrap();
    assert_eq!(n, 2);
    let mut got: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.tenant_id.as_str(),
                r.service_key.as_str(),
                r.as_of,
                r.au_percent,
                r.capped_au_percent,
            )
        })
        .collect();
    got.sort_by_key(|g| (g.0, g.1));
    let mut want = vec![
        (T1, "teams", d("2026-05-15"), Some(40.0), Some(40.0)),
        (T2, "exchange", d("2026-05-20"), Some(133.33), Some(100.0)),
    ];
    want.sort_by_key(|g| (g.0, g.1));
    assert_eq!(got, want);
    let (page, n) = s
        .report_usage_rows(&all, UsageSource::Month(may_n), at40, 1, 1, None)
        .await
        .unwrap();
    assert_eq!((page.len(), n), (1, 2));
    assert_eq!(page[0], rows[1]);
    // Today's AU-undefined bucket: bravo intune.
    let (rows, n) = s
        .report_usage_rows(
            &all,
            UsageSource::Latest,
            UsagePick {
                bucket: Some(None),
                ..UsagePick::default()
            },
            10,
            0,
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        (n, rows[0].service_key.as_str(), rows[0].tenant_id.as_str()),
        (1, "intune", T2)
    );

    // Credit by scenario: bravo exchange is CXP (FastTrack's), the others have the
    // default, partner-assisted scenario (the partner's).
    let credit = s.report_scenario_credit(&all).await.unwrap();
    let got: Vec<_> = credit
        .iter()
        .map(|c| {
            (
                c.scenario,
                c.credited_to,
                c.counts.services,
                c.counts.active_users,
                c.counts.au_percent,
            )
        })
        .collect();
    let mut want = vec![
        // alpha exchange 100/1,000 + teams 19/200 + bravo intune 5 (no seats): 119 of 1,200.
        (
            EngagementScenario::CustomerLedFtpAssist,
            "partner",
            3,
            124,
            Some(9.92),
        ),
        (EngagementScenario::Cxp, "fasttrack", 1, 121, Some(40.33)),
    ];
    want.sort_by_key(|w| EngagementScenario::ALL.iter().position(|s| *s == w.0));
    assert_eq!(got, want);

    // The same numbers under filters (on SQLite from the scan of the rollups, on
    // PostgreSQL from the SQL). The partner's tenant alpha: exchange exactly 10% and
    // teams 9.5%, 119 of 1,200.
    let summary = |c: &UsageCounts| {
        (
            c.tenants,
            c.services,
            c.active_users,
            c.qualified_entitlements,
            c.au_percent,
            c.buckets,
        )
    };
    let (by, total) = s
        .report_service_usage(&partner, UsageSource::Latest)
        .await
        .unwrap();
    assert_eq!(summary(&total), (1, 2, 119, 1200, Some(9.92), [1, 1, 0, 0]));
    assert_eq!(
        by.iter()
            .map(|c| c.service_key.clone().unwrap())
            .collect::<Vec<_>>(),
        vec!["exchange".to_string(), "teams".to_string()]
    );
    // Bravo's exchange alone is CXP: 121 of 300.
    let cxp = ReportFilter {
        scenario: Some(EngagementScenario::Cxp),
        ..ReportFilter::default()
    };
    let (by, total) = s
        .report_service_usage(&cxp, UsageSource::Latest)
        .await
        .unwrap();
    assert_eq!(summary(&total), (1, 1, 121, 300, Some(40.33), [0, 0, 1, 0]));
    assert_eq!(by.len(), 1);
    let credit = s.report_scenario_credit(&cxp).await.unwrap();
    assert_eq!(
        credit.iter().map(|c| c.scenario).collect::<Vec<_>>(),
        vec![EngagementScenario::Cxp]
    );
    // The default scenario for exchange: alpha's 100 of 1,000 (bravo's is CXP).
    let default_exchange = ReportFilter {
        scenario: Some(EngagementScenario::DEFAULT),
        service: Some("exchange".into()),
        ..ReportFilter::default()
    };
    let (_, total) = s
        .report_service_usage(&default_exchange, UsageSource::Latest)
        .await
        .unwrap();
    assert_eq!(summary(&total), (1, 1, 100, 1000, Some(10.0), [0, 1, 0, 0]));
    let credit = s.report_scenario_credit(&default_exchange).await.unwrap();
    assert_eq!(
        credit
            .iter()
            .map(|c| (c.scenario, summary(&c.counts)))
            .collect::<Vec<_>>(),
        vec![(
            EngagementScenario::DEFAULT,
            (1, 1, 100, 1000, Some(10.0), [0, 1, 0, 0])
        )]
    );
    // Exchange alone: bravo's only pair kept is written CXP, so bravo is no tenant of
    // the default scenario.
    let exchange = ReportFilter {
        service: Some("exchange".into()),
        ..ReportFilter::default()
    };
    let credit = s.report_scenario_credit(&exchange).await.unwrap();
    assert_eq!(
        credit
            .iter()
            .map(|c| (c.scenario, summary(&c.counts)))
            .collect::<Vec<_>>(),
        vec![
            (
                EngagementScenario::DEFAULT,
                (1, 1, 100, 1000, Some(10.0), [0, 1, 0, 0])
            ),
            (
                EngagementScenario::Cxp,
                (1, 1, 121, 300, Some(40.33), [0, 0, 1, 0])
            ),
        ]
    );
    // The counts tell how many rows are behind each number, as the rows' own count does.
    let (_, total) = s
        .report_service_usage(&all, UsageSource::Latest)
        .await
        .unwrap();
    for pick in [
        UsagePick::default(),
        UsagePick {
            bucket: Some(None),
            ..UsagePick::default()
        },
        UsagePick {
            bucket: Some(Some(Bucket::From10To40)),
            at: Some(Milestone::Ten),
        },
        UsagePick {
            bucket: Some(Some(Bucket::From10To40)),
            at: Some(Milestone::Forty),
        },
        at40,
    ] {
        let (_, n) = s
            .report_usage_rows(&all, UsageSource::Latest, pick, 10, 0, None)
            .await
            .unwrap();
        assert_eq!(total.picked(pick), n, "{pick:?}");
    }
    // A team filter is read by the SQL on both engines: bravo's exchange (Blue Team).
    let blue = ReportFilter {
        team: Some("blue team".into()),
        ..ReportFilter::default()
    };
    let (_, total) = s
        .report_service_usage(&blue, UsageSource::Latest)
        .await
        .unwrap();
    assert_eq!(summary(&total), (1, 1, 121, 300, Some(40.33), [0, 0, 1, 0]));
    let credit = s.report_scenario_credit(&blue).await.unwrap();
    assert_eq!(
        credit
            .iter()
            .map(|c| (c.scenario, c.counts.services))
            .collect::<Vec<_>>(),
        vec![(EngagementScenario::Cxp, 1)]
    );
    // The trend of one scenario (on SQLite a scan of every month row): bravo's exchange,
    // 400 in May, 121 in June.
    let t = s.report_usage_trend(&cxp).await.unwrap();
    assert_eq!(
        t.iter()
            .map(|m| (m.month.as_str(), m.counts.tenants, m.counts.active_users))
            .collect::<Vec<_>>(),
        vec![("2026-05", 1, 400), ("2026-06", 1, 121)]
    );
    // A stored scenario that is not one of the keys (written by hand) matches no scenario
    // on either path, as the SQL compares keys exactly.
    db.raw("UPDATE service_delivery SET scenario = 'CXP' WHERE scenario = 'cxp'")
        .await;
    let (_, total) = s
        .report_service_usage(&cxp, UsageSource::Latest)
        .await
        .unwrap();
    let (_, n) = s
        .report_usage_rows(&cxp, UsageSource::Latest, UsagePick::default(), 10, 0, None)
        .await
        .unwrap();
    assert_eq!((total.services, n), (0, 0));
    db.raw("UPDATE service_delivery SET scenario = 'cxp' WHERE scenario = 'CXP'")
        .await;

    // Bravo exchange has 150 seats from May 1st: May 400 of 150 (capped 150), June 121 of
    // 150 (80.67%).
    s.set_seats(&actor(), T2, "exchange", 150, d("2026-05-01"))
        .await
        .unwrap();
    let want_after = vec![
        (
            apr.clone(),
            1,
            1,
            50,
            1000,
            Some(5.0),
            Some(5.0),
            0,
            0,
            Some(0.0),
            Some(0.0),
        ),
        // 580 of 1,350 = 42.96%; capped 100 + 80 + 150 = 330 of 1,350 = 24.44%.
        (
            may.clone(),
            3,
            3,
            580,
            1350,
            Some(42.96),
            Some(24.44),
            3,
            2,
            Some(100.0),
            Some(66.67),
        ),
        // 240 of 1,350 = 17.78%.
        (
            jun.clone(),
            4,
            3,
            245,
            1350,
            Some(17.78),
            Some(17.78),
            2,
            1,
            Some(66.67),
            Some(33.33),
        ),
    ];
    assert_eq!(
        trend_rows(&s.report_usage_trend(&all).await.unwrap()),
        want_after
    );
    // Damaged totals are rebuilt by a recompute; the same trend comes back.
    db.raw("UPDATE usage_month_totals SET at_10 = 99").await;
    db.raw("DELETE FROM usage_months WHERE active_users = 50")
        .await;
    s.recompute_adoption_rollups().await.unwrap();
    assert_eq!(
        trend_rows(&s.report_usage_trend(&all).await.unwrap()),
        want_after
    );
}

async fn reports_read_a_page_and_count_in_sql(db: &TestDb) {
    use ftop_store::{BucketCount, ForecastDay, HealthCheck, Page, ReportFilter};
    reports_fixture(db).await;
    let s = &db.store;
    let today = d("2026-06-30");
    let all = ReportFilter {
        today: Some(today),
        ..ReportFilter::default()
    };
    let keys = |rows: &[ftop_store::MilestoneRow]| -> Vec<(String, String)> {
        rows.iter()
            .map(|r| (r.tenant_id.clone(), r.service_key.clone()))
            .collect()
    };
    let pair = |t: &str, s: &str| (t.to_string(), s.to_string());

    // Milestones, by tenant name and service: alpha exchange, alpha teams, bravo
    // exchange, bravo intune. Rows 2-3 of 4 (a full page: the total is counted).
    let p = s
        .report_milestones_page(&all, &[], Page::of(2, 1))
        .await
        .unwrap();
    assert_eq!(keys(&p.rows), vec![pair(T1, "teams"), pair(T2, "exchange")]);
    assert_eq!(p.total, 4);
    // The last row (a short page), then past the end (nothing read: counted).
    let p = s
        .report_milestones_page(&all, &[], Page::of(2, 3))
        .await
        .unwrap();
    assert_eq!((keys(&p.rows), p.total), (vec![pair(T2, "intune")], 4));
    let p = s
        .report_milestones_page(&all, &[], Page::of(2, 10))
        .await
        .unwrap();
    assert_eq!((p.rows.len(), p.total), (0, 4));
    // Two buckets together (conversion at 10%: 10-40% and 40% and more).
    let p = s
        .report_milestones_page(
            &all,
            &[Some(Bucket::From10To40), Some(Bucket::From40)],
            Page::of(1, 0),
        )
        .await
        .unwrap();
    assert_eq!((keys(&p.rows), p.total), (vec![pair(T1, "exchange")], 2));
    // AU undefined with a bucket.
    let p = s
        .report_milestones_page(&all, &[None, Some(Bucket::Below10)], Page::of(5, 0))
        .await
        .unwrap();
    assert_eq!(
        (keys(&p.rows), p.total),
        (vec![pair(T1, "teams"), pair(T2, "intune")], 2)
    );
    // The chart's counts by service and bucket, one row per pair present.
    let c = |k: &str, b: Option<Bucket>| BucketCount {
        service_key: k.to_string(),
        bucket: b,
        count: 1,
    };
    let mut counts = s.report_milestone_counts(&all).await.unwrap();
    counts.sort_by_key(|c| (c.service_key.clone(), c.bucket.map(|b| b.key())));
    assert_eq!(
        counts,
        vec![
            c("exchange", Some(Bucket::From10To40)),
            c("exchange", Some(Bucket::From40)),
            c("intune", None),
            c("teams", Some(Bucket::Below10)),
        ]
    );

    // Stale notes: charlie (never), then bravo (15 days); the second alone.
    let p = s
        .report_stale_status_notes_page(&all, Page::of(1, 1))
        .await
        .unwrap();
    assert_eq!(
        (
            p.rows
                .iter()
                .map(|r| r.tenant_id.as_str())
                .collect::<Vec<_>>(),
            p.total
        ),
        (vec![T2], 2)
    );

    // Forecast dates by day on 2026-06-30: June 1 overdue, today (reached: not early,
    // due), July 31 reached early, August 15 on track.
    let day = |t: &str, overdue: i64, reached_early: i64| ForecastDay {
        target: d(t),
        forecasts: 1,
        overdue,
        reached_early,
    };
    assert_eq!(
        s.report_forecast_days(&all, Milestone::Ten).await.unwrap(),
        vec![
            day("2026-06-01", 1, 0),
            day("2026-06-30", 0, 0),
            day("2026-07-31", 0, 1),
            day("2026-08-15", 0, 0),
        ]
    );
    // The dates ahead of today: two, the first page of one.
    let p = s
        .report_forecast_page(
            &all,
            Milestone::Ten,
            Some((d("2026-07-01"), Date::MAX)),
            Page::of(1, 0),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            p.rows
                .iter()
                .map(|r| r.tenant_id.as_str())
                .collect::<Vec<_>>(),
            p.total
        ),
        (vec![T2], 2)
    );

    // New subscriptions: one each of teams (alpha), exchange and intune (bravo),
    // sharepoint (charlie); rows 3-4 by name.
    assert_eq!(
        s.report_new_subscription_counts(&all).await.unwrap(),
        vec![
            ("exchange".to_string(), 1),
            ("intune".to_string(), 1),
            ("sharepoint".to_string(), 1),
            ("teams".to_string(), 1),
        ]
    );
    let p = s
        .report_new_subscriptions_page(&all, Page::of(2, 2))
        .await
        .unwrap();
    assert_eq!(
        (
            p.rows
                .iter()
                .map(|r| (r.tenant_id.as_str(), r.service_key.as_str()))
                .collect::<Vec<_>>(),
            p.total
        ),
        (vec![(T2, "intune"), (T3, "sharepoint")], 4)
    );

    // Compliance: a page of one is the full list's first, the total its length.
    for (page, full) in [
        (
            s.report_rm_not_partner_page(&all, Page::of(1, 0))
                .await
                .unwrap()
                .total,
            s.report_rm_not_partner(&all).await.unwrap().len(),
        ),
        (
            s.report_scenario_not_partner_led_page(&all, Page::of(1, 0))
                .await
                .unwrap()
                .total,
            s.report_scenario_not_partner_led(&all).await.unwrap().len(),
        ),
    ] {
        assert_eq!(page, full as i64);
    }

    // Data health on 2026-07-31 with charlie's seats above its entitlements: no recent
    // usage on 4 services, seats above entitlements on 1, In Progress without a target
    // on 1. A page across the first two checks.
    db.raw(&format!(
        "UPDATE tenant_services SET qualified = 150 WHERE tenant_id = '{T3}'"
    ))
    .await;
    let late = ReportFilter {
        today: Some(d("2026-07-31")),
        ..ReportFilter::default()
    };
    assert_eq!(
        s.report_data_health_counts(&late, 30).await.unwrap(),
        vec![
            (HealthCheck::NoRecentUsage, 4),
            (HealthCheck::QualifiedAboveEntitled, 1),
            (HealthCheck::InProgressWithoutTarget, 1),
        ]
    );
    let p = s
        .report_data_health_page(&late, 30, None, Page::of(2, 3))
        .await
        .unwrap();
    assert_eq!(
        (
            p.rows
                .iter()
                .map(|r| (r.check, r.tenant_id.as_str()))
                .collect::<Vec<_>>(),
            p.total
        ),
        (
            vec![
                (HealthCheck::NoRecentUsage, T3),
                (HealthCheck::QualifiedAboveEntitled, T3)
            ],
            6
        )
    );
    // The seats row keeps its service's last figure (none for charlie).
    assert_eq!(p.rows[1].last_figure, None);
    let p = s
        .report_data_health_page(
            &late,
            30,
            Some(HealthCheck::InProgressWithoutTarget),
            Page::of(10, 0),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            p.rows
                .iter()
                .map(|r| (r.check, r.tenant_id.as_str(), r.service_key.as_str()))
                .collect::<Vec<_>>(),
            p.total
        ),
        (
            vec![(HealthCheck::InProgressWithoutTarget, T1, "exchange")],
            1
        )
    );
}

/// Imports running at once over the same tenants and months, from two stores on one
/// database as two instances would (PostgreSQL runs their writers together; SQLite
/// queues them): the monthly totals, kept by differences, equal those a recompute
/// rebuilds from the month rows afterwards.
async fn concurrent_imports_keep_the_month_totals(db: &TestDb) {
    reports_fixture(db).await;
    let s = &db.store;
    let other = Store::open(&db.url).await.unwrap();
    let all = ftop_store::ReportFilter::default();
    for round in 0..6 {
        let (a, b) = (format!("{}", 100 + round), format!("{}", 200 + round));
        let first = [
            (T1, "exchange", "2026-05-31", a.as_str()),
            (T2, "exchange", "2026-05-20", a.as_str()),
        ];
        let second = [
            (T2, "exchange", "2026-05-21", b.as_str()),
            (T1, "exchange", "2026-05-30", b.as_str()),
        ];
        let (x, y) = tokio::join!(import(s, &first, false), import(&other, &second, false));
        x.0.unwrap();
        y.0.unwrap();
    }
    // Two imports at once of a tenant with no figures yet, the same day: the one that
    // goes second finds the other's figure stored (on PostgreSQL it must not take the
    // path for tenants without figures, whose plain insert would fail on it).
    const T3: &str = "5a1b2c3d-0000-4000-8000-0000000000c3";
    tenant(s, T3, "newcomer.onmicrosoft.com", &[("exchange", 10, 10)]).await;
    let (x, y) = tokio::join!(
        import(s, &[(T3, "exchange", "2026-05-31", "3")], false),
        import(&other, &[(T3, "exchange", "2026-05-31", "4")], false)
    );
    x.0.unwrap();
    y.0.unwrap();
    let kept = trend_rows(&s.report_usage_trend(&all).await.unwrap());
    assert!(!kept.is_empty());
    s.recompute_adoption_rollups().await.unwrap();
    assert_eq!(kept, trend_rows(&s.report_usage_trend(&all).await.unwrap()));
}

/// The month rows an import keeps (on SQLite, written by the import's writer from its
/// rows) are those a recompute builds from every figure: a figure earlier in a month than
/// the stored last one changes nothing, one on the same day replaces it, a later one
/// takes its place; the totals follow. Compared through the totals (no filter) and the
/// rows (a partner's tenants) before and after a recompute.
async fn month_rows_follow_reimports_as_a_recompute_builds_them(db: &TestDb) {
    use ftop_store::ReportFilter;
    let (p1, _) = reports_fixture(db).await;
    let s = &db.store;
    let all = ReportFilter::default();
    let partner = ReportFilter {
        partner: Some(p1),
        ..ReportFilter::default()
    };
    let steps: [&[(&str, &str, &str, &str)]; 4] = [
        &[
            (T1, "exchange", "2026-05-20", "100"),
            (T1, "exchange", "2026-06-03", "120"),
            (T1, "teams", "2026-05-02", "30"),
            (T2, "exchange", "2026-05-20", "40"),
        ],
        // Earlier in May than the stored last figure: May keeps the 20th.
        &[(T1, "exchange", "2026-05-10", "900")],
        // The same day, another value; a later day of June; a new month.
        &[
            (T1, "exchange", "2026-05-20", "150"),
            (T1, "exchange", "2026-06-30", "10"),
            (T1, "teams", "2026-07-01", "90"),
            (T2, "exchange", "2026-05-31", "400"),
        ],
        // Back to a value seen before on the 20th; nothing new elsewhere.
        &[
            (T1, "exchange", "2026-05-20", "100"),
            (T2, "exchange", "2026-05-31", "400"),
        ],
    ];
    for (i, rows) in steps.iter().enumerate() {
        ok(s, rows).await;
        let kept = (
            trend_rows(&s.report_usage_trend(&all).await.unwrap()),
            trend_rows(&s.report_usage_trend(&partner).await.unwrap()),
        );
        s.recompute_adoption_rollups().await.unwrap();
        let rebuilt = (
            trend_rows(&s.report_usage_trend(&all).await.unwrap()),
            trend_rows(&s.report_usage_trend(&partner).await.unwrap()),
        );
        assert_eq!(kept, rebuilt, "after step {i}");
    }
    // A month row no figure backs, a month row changed by hand and one deleted: a
    // recompute removes the first, repairs the second and writes the third again.
    let kept = (
        trend_rows(&s.report_usage_trend(&all).await.unwrap()),
        trend_rows(&s.report_usage_trend(&partner).await.unwrap()),
    );
    db.raw(&format!(
        "INSERT INTO usage_months (tkey, svc, month, day, active_users, qualified)
         SELECT k.tkey, v.svc, {}, 20400, 7, 70 FROM adoption_tenants k, adoption_services v
         WHERE k.tenant_id = '{T1}' AND v.service = 'exchange'",
        ftop_store::month_of(d("2025-11-03"))
    ))
    .await;
    db.raw("UPDATE usage_months SET active_users = active_users + 1 WHERE active_users = 400")
        .await;
    db.raw(&format!(
        "DELETE FROM usage_months WHERE tkey = (SELECT tkey FROM adoption_tenants
            WHERE tenant_id = '{T2}')"
    ))
    .await;
    // On SQLite the month rows have no trigger to move the reports' version (migration
    // 20): a hand edit moves it itself, as ftop's own writers do.
    db.raw("UPDATE report_version SET version = version + 1")
        .await;
    // SQLite's partner trend reads the month rows: it shows the edit. PostgreSQL's reads
    // the sums kept per tenant and month (migration 23), which follow ftop's writes, not
    // a hand edit of the rows, until a recompute.
    let edited = trend_rows(&s.report_usage_trend(&partner).await.unwrap());
    if db.url.starts_with("postgres") {
        assert_eq!(kept.1, edited);
        // And a tenant's sums by month deleted: written again by the recompute.
        db.raw(&format!(
            "DELETE FROM usage_tenant_months WHERE tkey = (SELECT tkey FROM adoption_tenants
                WHERE tenant_id = '{T1}')"
        ))
        .await;
        db.raw("UPDATE report_version SET version = version + 1")
            .await;
        assert_ne!(
            kept.1,
            trend_rows(&s.report_usage_trend(&partner).await.unwrap())
        );
    } else {
        assert_ne!(kept.1, edited);
    }
    s.recompute_adoption_rollups().await.unwrap();
    assert_eq!(
        kept,
        (
            trend_rows(&s.report_usage_trend(&all).await.unwrap()),
            trend_rows(&s.report_usage_trend(&partner).await.unwrap()),
        )
    );
    // May's last figures now: alpha exchange 100 on the 20th (not 900 on the 10th),
    // alpha teams 30, bravo exchange 400.
    let may = s.report_usage_trend(&all).await.unwrap();
    let may = may.iter().find(|m| m.month == "2026-05").unwrap();
    assert_eq!(may.counts.active_users, 100 + 30 + 400);
}

/// The predicted gains an import keeps (on SQLite computed from the rows of services new
/// to the import, read from the stored figures for the others) are those a recompute
/// computes from every figure: seven months for services with a figure before (alpha,
/// bravo) and one without (charlie), then a later month for two and a replaced figure.
async fn predicted_gains_kept_by_imports_equal_a_recomputes(db: &TestDb) {
    reports_fixture(db).await;
    let s = &db.store;
    let months = [
        "2026-01-31",
        "2026-02-28",
        "2026-03-31",
        "2026-04-30",
        "2026-05-31",
        "2026-06-30",
        "2026-07-31",
    ];
    let mut rows: Vec<(&str, &str, &str, String)> = Vec::new();
    for (i, day) in months.iter().enumerate() {
        rows.push((T1, "exchange", day, (40 + 30 * i).to_string()));
        rows.push((T1, "teams", day, (10 + 5 * i).to_string()));
        rows.push((T2, "exchange", day, (200 - 10 * i).to_string()));
        // Charlie's SharePoint has no figure before: new to the import.
        rows.push((T3, "sharepoint", day, (5 + 12 * i).to_string()));
    }
    let steps: Vec<Vec<(&str, &str, &str, String)>> = vec![
        rows,
        vec![
            (T1, "exchange", "2026-08-31", "300".to_string()),
            (T2, "exchange", "2026-07-31", "10".to_string()),
            (T3, "sharepoint", "2026-08-31", "90".to_string()),
        ],
    ];
    for (i, step) in steps.iter().enumerate() {
        let step: Vec<(&str, &str, &str, &str)> = step
            .iter()
            .map(|(t, s, d, a)| (*t, *s, *d, a.as_str()))
            .collect();
        ok(s, &step).await;
        let kept = (
            s.predicted_gain(T1).await.unwrap(),
            s.predicted_gain(T2).await.unwrap(),
            s.predicted_gain(T3).await.unwrap(),
        );
        assert!(
            kept.2.gain_6m_bp.is_some_and(|g| g > 0),
            "step {i}: {kept:?}"
        );
        s.recompute_adoption_rollups().await.unwrap();
        let rebuilt = (
            s.predicted_gain(T1).await.unwrap(),
            s.predicted_gain(T2).await.unwrap(),
            s.predicted_gain(T3).await.unwrap(),
        );
        assert_eq!(kept, rebuilt, "after step {i}");
    }
    // Damaged gains are repaired by a recompute.
    let kept = s.predicted_gain(T3).await.unwrap();
    db.raw("UPDATE adoption_rollups SET gain_6m_bp = 4321")
        .await;
    db.raw("UPDATE adoption_tenants SET gain_6m_bp = 4321")
        .await;
    s.recompute_adoption_rollups().await.unwrap();
    assert_eq!(kept, s.predicted_gain(T3).await.unwrap());
}

/// A database upgraded past migration 16 without a recompute has no month rows for the
/// services whose usage was not imported since; migration 19 fills them in from the
/// figures (each month's last) and rebuilds the totals, as a recompute would.
async fn the_upgrade_fills_in_the_month_rows_of_services_that_have_none(db: &TestDb) {
    use ftop_store::ReportFilter;
    let (p1, _) = reports_fixture(db).await;
    let s = &db.store;
    ok(
        s,
        &[
            (T1, "exchange", "2026-04-10", "70"),
            (T1, "exchange", "2026-04-28", "90"),
            (T1, "teams", "2026-05-02", "30"),
            (T2, "exchange", "2026-05-20", "40"),
        ],
    )
    .await;
    let all = ReportFilter::default();
    let partner = ReportFilter {
        partner: Some(p1),
        ..ReportFilter::default()
    };
    let trend = |s: &Store| {
        let (all, partner) = (all.clone(), partner.clone());
        let s = s.clone();
        async move {
            (
                trend_rows(&s.report_usage_trend(&all).await.unwrap()),
                trend_rows(&s.report_usage_trend(&partner).await.unwrap()),
            )
        }
    };
    let kept = trend(s).await;
    // As before the upgrade: T1's exchange never imported since migration 16 (no month
    // rows), the others' rows kept; totals as they were kept then.
    db.raw(&format!(
        "DELETE FROM usage_months WHERE tkey = (SELECT tkey FROM adoption_tenants
         WHERE tenant_id = '{T1}') AND svc = (SELECT svc FROM adoption_services
         WHERE service = 'exchange')"
    ))
    .await;
    db.raw("UPDATE usage_month_totals SET at_10 = 0, services = services + 5")
        .await;
    db.raw("DELETE FROM schema_migrations WHERE version = 19")
        .await;
    assert_ne!(kept, trend(s).await);
    let upgraded = Store::open(&db.url).await.unwrap();
    assert_eq!(kept, trend(&upgraded).await);
}

/// An import buffers 20,000 rows, then sorts and writes them: a service new to the import
/// whose rows straddle two batches, the second holding an earlier day of a month the first
/// wrote and a later one, ends with the month rows and predicted gain of all its rows, as a
/// recompute computes them.
async fn a_service_whose_rows_straddle_two_batches_gets_the_months_and_gain_of_all_its_rows(
    db: &TestDb,
) {
    use ftop_store::ReportFilter;
    let (p1, _) = reports_fixture(db).await;
    let s = &db.store;
    // 19,995 daily figures of alpha's Exchange first (from 1972), then charlie's
    // SharePoint: 5 rows in the first batch, 4 in the second.
    let start = d("1972-01-01");
    let mut owned: Vec<(String, String)> = (0..19_995)
        .map(|i| {
            (
                (start + time::Duration::days(i)).to_string(),
                (100 + i % 50).to_string(),
            )
        })
        .collect();
    let straddling = [
        ("2026-03-10", "20"),
        ("2026-03-20", "24"),
        ("2026-04-05", "30"),
        ("2026-05-05", "40"),
        ("2026-06-05", "45"),
        // The second batch: an earlier day of March, a later one, and more months.
        ("2026-03-15", "99"),
        ("2026-03-25", "26"),
        ("2026-07-05", "55"),
        ("2026-08-05", "60"),
    ];
    for (day, active) in straddling {
        owned.push((day.to_string(), active.to_string()));
    }
    let rows: Vec<(&str, &str, &str, &str)> = owned
        .iter()
        .enumerate()
        .map(|(i, (day, active))| {
            let (t, svc) = if i < 19_995 {
                (T1, "exchange")
            } else {
                (T3, "sharepoint")
            };
            (t, svc, day.as_str(), active.as_str())
        })
        .collect();
    ok(s, &rows).await;
    let partner = ReportFilter {
        partner: Some(p1),
        ..ReportFilter::default()
    };
    let kept = (
        trend_rows(
            &s.report_usage_trend(&ReportFilter::default())
                .await
                .unwrap(),
        ),
        trend_rows(&s.report_usage_trend(&partner).await.unwrap()),
        s.predicted_gain(T3).await.unwrap(),
    );
    // SharePoint's March: its last figure is the 25th's.
    let sharepoint = ReportFilter {
        partner: Some(p1),
        service: Some("sharepoint".to_string()),
        ..ReportFilter::default()
    };
    let march = s.report_usage_trend(&sharepoint).await.unwrap();
    let march = march.iter().find(|m| m.month == "2026-03").unwrap();
    assert_eq!(march.counts.active_users, 26);
    assert!(kept.2.gain_6m_bp.is_some(), "{kept:?}");
    s.recompute_adoption_rollups().await.unwrap();
    let rebuilt = (
        trend_rows(
            &s.report_usage_trend(&ReportFilter::default())
                .await
                .unwrap(),
        ),
        trend_rows(&s.report_usage_trend(&partner).await.unwrap()),
        s.predicted_gain(T3).await.unwrap(),
    );
    assert_eq!(kept, rebuilt);
}
