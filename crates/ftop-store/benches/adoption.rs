//! Benchmark B5 helpers (driven by `scripts/bench-adoption`): generate the data, add
//! partners and managers, time the dashboard queries, and write a sample of the rollups for
//! comparison with DuckDB.
//!
//! ```sh
//! cargo bench -p ftop-store --bench adoption -- gen --tenants 100000 --months 24 --out DIR
//! cargo bench -p ftop-store --bench adoption -- groups --database sqlite://DIR/ftop.db
//! cargo bench -p ftop-store --bench adoption -- queries --database sqlite://DIR/ftop.db --runs 50
//! cargo bench -p ftop-store --bench adoption -- sample --database sqlite://DIR/ftop.db --every 997 --out FILE
//! cargo bench -p ftop-store --bench adoption -- reportdata --database sqlite://DIR/ftop.db
//! cargo bench -p ftop-store --bench adoption -- reports --database URL --runs 30
//! ```
//!
//! `reportdata` gives the tenants what the report tabs list (BENCHMARKS.md, B10): status
//! notes of every age, services whose scenario is not partner-led, forecast dates, a
//! Regional Manager on some tenants. `reports` times each report's store reads as its
//! page makes them (the first page of rows and the chart's counts), over every tenant and
//! as partner 7 sees them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use ftop_domain::adoption::Milestone;
use ftop_store::{
    AdoptionFilter, AdoptionGroupBy, BucketFilter, DateWindow, HealthCheck, MilestoneFilter, Page,
    PortfolioScope, ReportFilter, Store, UsagePick, UsageSource,
};
use sqlx::{Connection, Row};
use std::io::Write;
use std::time::{Duration, Instant};

#[path = "common/usage_gen.rs"]
mod usage_gen;
use usage_gen::SERVICES;

const PARTNERS: i64 = 40;
const MANAGERS: i64 = 30;

fn generate(tenants: u64, months: u32, out: &str) {
    std::fs::create_dir_all(out).unwrap();
    let mut t = std::io::BufWriter::with_capacity(
        1 << 20,
        std::fs::File::create(format!("{out}/tenants.csv")).unwrap(),
    );
    let mut u = std::io::BufWriter::with_capacity(
        1 << 22,
        std::fs::File::create(format!("{out}/usage.csv")).unwrap(),
    );
    writeln!(
        t,
        "tenant_id,tenant_name,customer,service,entitlements,qualified_entitlements"
    )
    .unwrap();
    writeln!(u, "tenant_id,service,date,active_users").unwrap();
    let dates = usage_gen::dates(months);
    let mut rows = 0u64;
    usage_gen::generate(tenants, months, |i, id, s, seats, qualified, active| {
        writeln!(
            t,
            "{id},bench{i:06}.onmicrosoft.com,Bench Customer {i:06},{s},{seats},{qualified}"
        )
        .unwrap();
        for (d, a) in dates.iter().zip(active) {
            writeln!(u, "{id},{s},{d},{a}").unwrap();
            rows += 1;
        }
    });
    t.flush().unwrap();
    u.flush().unwrap();
    eprintln!(
        "{out}: {tenants} tenants x {} services, {rows} usage rows",
        SERVICES.len()
    );
}

async fn groups(url: &str) {
    sqlx::any::install_default_drivers();
    let mut c = sqlx::AnyConnection::connect(url).await.unwrap();
    let mut tx = c.begin().await.unwrap();
    let now = "2026-12-01T00:00:00Z";
    for p in 1..=PARTNERS {
        sqlx::query("INSERT INTO partners (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(p)
            .bind(format!("Bench Partner {p:02}"))
            .bind(now)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    for m in 1..=MANAGERS {
        sqlx::query(
            "INSERT INTO users (id, name, role, password_hash, created_at)
             VALUES ($1, $2, 'fm', 'x', $3) ON CONFLICT DO NOTHING",
        )
        .bind(100_000 + m)
        .bind(format!("bench-fm-{m:02}"))
        .bind(now)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    // Every tenant but one in ten has a partner (one in twenty has two); nine in ten
    // have a primary FastTrack Manager. PostgreSQL has no rowid: the tenants numbered in
    // the order they were imported instead.
    let tenants = if url.starts_with("postgres") {
        "(SELECT tenant_id, ROW_NUMBER() OVER (ORDER BY created_at, tenant_id) AS rowid FROM tenants) t"
    } else {
        "tenants"
    };
    sqlx::query(&format!(
        "INSERT INTO tenant_partners (tenant_id, partner_id)
         SELECT tenant_id, 1 + (rowid % 40) FROM {tenants} WHERE rowid % 10 <> 0
         UNION ALL SELECT tenant_id, 1 + ((rowid + 7) % 40) FROM {tenants} WHERE rowid % 20 = 1
         ON CONFLICT DO NOTHING"
    ))
    .execute(&mut *tx)
    .await
    .unwrap();
    let assign = format!(
        "INSERT INTO assignments (tenant_id, user_id, role, service, is_primary, created_at)
         SELECT tenant_id, 100001 + (rowid % 30), 'fm', '', 1, $1 FROM {tenants} WHERE rowid % 10 <> 3
         ON CONFLICT DO NOTHING"
    );
    sqlx::query(&assign)
        .bind(now)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[(((v.len() as f64) * p).ceil() as usize)
        .saturating_sub(1)
        .min(v.len() - 1)]
}

async fn queries(url: &str, runs: usize) {
    let store = Store::open(url).await.unwrap();
    let today = time::Date::from_calendar_date(2026, time::Month::December, 1).unwrap();
    let window =
        DateWindow::month_of(time::Date::from_calendar_date(2025, time::Month::June, 15).unwrap());
    let base = AdoptionFilter {
        today: Some(today),
        ..Default::default()
    };
    let drill = AdoptionFilter {
        service: Some("teams".into()),
        bucket: Some(BucketFilter::Bucket(
            ftop_domain::adoption::Bucket::From10To40,
        )),
        reached: Some(MilestoneFilter {
            milestone: Milestone::Ten,
            from: Some(window.from),
            to: Some(window.to),
        }),
        limit: Some(100),
        ..base.clone()
    };
    let partner = AdoptionFilter {
        partner_id: Some(7),
        limit: Some(100),
        offset: Some(200),
        ..base.clone()
    };
    let cases = [
        "portfolio (totals + by service)",
        "by partner",
        "by manager",
        "by service",
        "drill-down (teams, 10-40%, reached 10% in window)",
        "drill-down (partner 7, rows 200-299)",
        "report: usage trend (monthly totals)",
        "report: usage trend (partner 7, month rows)",
        "report: service usage (latest figures)",
        "report: service usage rows (latest month, at 10%, first 100)",
        "report: credit by scenario",
    ];
    let report_all = ftop_store::ReportFilter::default();
    let report_partner = ftop_store::ReportFilter {
        partner: Some(7),
        ..ftop_store::ReportFilter::default()
    };
    let last_month = store
        .report_usage_trend(&report_all)
        .await
        .unwrap()
        .last()
        .map_or(0, |m| m.number);
    let run = |i: usize| {
        let (s, base, drill, partner) = (&store, &base, &drill, &partner);
        let (all, by_partner) = (&report_all, &report_partner);
        async move {
            match i {
                0 => s
                    .adoption_portfolio(base, window)
                    .await
                    .unwrap()
                    .by_service
                    .len(),
                1 => s
                    .adoption_groups(base, window, AdoptionGroupBy::Partner)
                    .await
                    .unwrap()
                    .len(),
                2 => s
                    .adoption_groups(base, window, AdoptionGroupBy::Manager)
                    .await
                    .unwrap()
                    .len(),
                3 => s
                    .adoption_groups(base, window, AdoptionGroupBy::Service)
                    .await
                    .unwrap()
                    .len(),
                4 => s.adoption_rows(drill).await.unwrap().len(),
                5 => s.adoption_rows(partner).await.unwrap().len(),
                6 => s.report_usage_trend(all).await.unwrap().len(),
                7 => s.report_usage_trend(by_partner).await.unwrap().len(),
                8 => s
                    .report_service_usage(all, ftop_store::UsageSource::Latest)
                    .await
                    .unwrap()
                    .0
                    .len(),
                9 => s
                    .report_usage_rows(
                        all,
                        ftop_store::UsageSource::Month(last_month),
                        ftop_store::UsagePick {
                            at: Some(Milestone::Ten),
                            ..Default::default()
                        },
                        100,
                        0,
                        None,
                    )
                    .await
                    .unwrap()
                    .0
                    .len(),
                _ => s.report_scenario_credit(all).await.unwrap().len(),
            }
        }
    };
    for (i, name) in cases.iter().enumerate() {
        let n = run(i).await; // warm-up
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let t = Instant::now();
            run(i).await;
            times.push(t.elapsed());
        }
        let p50 = pct(&mut times, 0.5);
        let p95 = pct(&mut times, 0.95);
        println!(
            "query\t{name}\t{:.1}\t{:.1}\t{n}",
            p50.as_secs_f64() * 1e3,
            p95.as_secs_f64() * 1e3
        );
    }
}

async fn report_data(url: &str) {
    sqlx::any::install_default_drivers();
    let mut c = sqlx::AnyConnection::connect(url).await.unwrap();
    let mut tx = c.begin().await.unwrap();
    // Status notes: a third written recently, a third stale (older than 14 days on
    // 2026-12-01), a third never.
    for sql in [
        "UPDATE tenants SET status_date = '2026-11-25' WHERE rowid % 3 = 0",
        "UPDATE tenants SET status_date = printf('2026-%02d-%02d', 1 + rowid % 10, 1 + rowid % 28)
         WHERE rowid % 3 = 1",
        // One tenant in seven: Teams delivered customer-led (not partner-led).
        "INSERT INTO service_delivery (tenant_id, service, scenario, teams)
         SELECT ts.tenant_id, ts.service, 'customer-led', 'Team ' || (t.rowid % 12)
         FROM tenant_services ts JOIN tenants t ON t.tenant_id = ts.tenant_id
         WHERE t.rowid % 7 = 0 AND ts.service = 'teams'",
        // One tenant in four has an internal primary tenant Regional Manager; one in
        // twelve a partner one (in order).
        "INSERT INTO users (id, name, role, password_hash, created_at)
         VALUES (200001, 'bench-rm', 'fm', 'x', '2026-12-01T00:00:00Z'),
                (200002, 'bench-prm', 'partner', 'x', '2026-12-01T00:00:00Z')
         ON CONFLICT DO NOTHING",
        "INSERT INTO assignments (tenant_id, user_id, role, service, is_primary, created_at)
         SELECT tenant_id, CASE WHEN rowid % 3 = 0 THEN 200002 ELSE 200001 END, 'rm', '', 1,
            '2026-12-01T00:00:00Z' FROM tenants WHERE rowid % 4 = 0
         ON CONFLICT DO NOTHING",
        // One service in five has forecast dates (10% and 40%), spread over 2025-2027;
        // `ftop usage import` / `recompute` carry them to the rollups.
        "INSERT INTO forecasts (tenant_id, service, submitted, target_10, target_40, updated_at, updated_by)
         SELECT ts.tenant_id, ts.service, 20000, 20089 + (t.rowid * 7 + length(ts.service)) % 1000,
            20189 + (t.rowid * 7 + length(ts.service)) % 1000, '2026-12-01T00:00:00Z', 'bench'
         FROM tenant_services ts JOIN tenants t ON t.tenant_id = ts.tenant_id
         WHERE (t.rowid + length(ts.service)) % 5 = 0",
    ] {
        sqlx::query(sql).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
}

async fn reports(url: &str, runs: usize) {
    let store = Store::open(url).await.unwrap();
    let today = time::Date::from_calendar_date(2026, time::Month::December, 1).unwrap();
    let all = ReportFilter {
        today: Some(today),
        ..Default::default()
    };
    let partner = ReportFilter {
        scope: PortfolioScope {
            partner_id: Some(7),
            assigned_to: None,
        },
        ..all.clone()
    };
    let page = Page::of(1000, 0);
    let (before, after) = (today.previous_day().unwrap(), today.next_day().unwrap());
    let dmin = time::Date::MIN;
    let dmax = time::Date::MAX;
    let names = [
        "milestones",
        "stale status notes (all)",
        "compliance",
        "forecast 10%",
        "new subscriptions",
        "conversion",
        "data health",
        "performance",
        "service usage",
        "usage trend",
    ];
    let with_au = [
        Some(ftop_domain::adoption::Bucket::Below10),
        Some(ftop_domain::adoption::Bucket::From10To40),
        Some(ftop_domain::adoption::Bucket::From40),
    ];
    // What each report's page reads: the first page of each table and the chart's counts.
    let run = |i: usize, f: &ReportFilter| {
        let (s, f, with_au) = (&store, f.clone(), &with_au);
        async move {
            match i {
                0 => {
                    let (p, c) = s.report_milestones_counted(&f, &[], page).await.unwrap();
                    p.total + c.len() as i64
                }
                1 => {
                    s.report_stale_status_notes_page(&f, page)
                        .await
                        .unwrap()
                        .total
                }
                2 => {
                    s.report_rm_not_partner_page(&f, page).await.unwrap().total
                        + s.report_scenario_not_partner_led_page(&f, page)
                            .await
                            .unwrap()
                            .total
                }
                3 => {
                    let m = ftop_domain::adoption::Milestone::Ten;
                    let d = s.report_forecast_days(&f, m).await.unwrap();
                    let mut n = d.len() as i64;
                    for span in [(dmin, before), (today, today), (after, dmax)] {
                        n += s
                            .report_forecast_page(&f, m, Some(span), page)
                            .await
                            .unwrap()
                            .total;
                    }
                    n
                }
                4 => {
                    let (p, c) = s.report_new_subscriptions_counted(&f, page).await.unwrap();
                    p.total + c.len() as i64
                }
                5 => {
                    let (p, c) = s
                        .report_milestones_counted(&f, with_au, page)
                        .await
                        .unwrap();
                    p.total + c.len() as i64
                }
                // Performance: credit by scenario and the monthly trend.
                7 => {
                    let c = s.report_scenario_credit(&f).await.unwrap();
                    let t = s.report_usage_trend(&f).await.unwrap();
                    (c.len() + t.len()) as i64
                }
                // Service usage: by service and in total, and the first page of pairs.
                8 => {
                    let (by, total) = s
                        .report_service_usage(&f, UsageSource::Latest)
                        .await
                        .unwrap();
                    let (_, n) = s
                        .report_usage_rows(
                            &f,
                            UsageSource::Latest,
                            UsagePick::default(),
                            1000,
                            0,
                            Some(&total),
                        )
                        .await
                        .unwrap();
                    by.len() as i64 + n
                }
                // Usage trend (also on the conversion page).
                9 => s.report_usage_trend(&f).await.unwrap().len() as i64,
                _ => {
                    let check: Option<HealthCheck> = None;
                    let (p, c) = s
                        .report_data_health_counted(&f, 30, check, page)
                        .await
                        .unwrap();
                    p.total + c.len() as i64
                }
            }
        }
    };
    // Each report twice: views while the data stays the same (the kept report,
    // `reports/memo.rs`), and views that each follow a change (the version moved first,
    // outside the timing, as a change to the data does: the report is read again).
    sqlx::any::install_default_drivers();
    let mut raw = sqlx::AnyConnection::connect(url).await.unwrap();
    for changed in [false, true] {
        for (who, f) in [("all", &all), ("partner 7", &partner)] {
            for (i, name) in names.iter().enumerate() {
                let n = run(i, f).await; // warm-up
                let mut times = Vec::with_capacity(runs);
                for _ in 0..runs {
                    if changed {
                        sqlx::query("UPDATE report_version SET version = version + 1")
                            .execute(&mut raw)
                            .await
                            .unwrap();
                    }
                    let t = Instant::now();
                    run(i, f).await;
                    times.push(t.elapsed());
                }
                let p50 = pct(&mut times, 0.5);
                let p95 = pct(&mut times, 0.95);
                let when = if changed { ", after a change" } else { "" };
                println!(
                    "report\t{name}, {who}{when}\t{:.1}\t{:.1}\t{n}",
                    p50.as_secs_f64() * 1e3,
                    p95.as_secs_f64() * 1e3
                );
            }
        }
    }
}

async fn sample(url: &str, every: i64, out: &str) {
    sqlx::any::install_default_drivers();
    let mut c = sqlx::AnyConnection::connect(url).await.unwrap();
    let rows = sqlx::query(
        "SELECT k.tenant_id, c.service, r.as_of, r.active_users, r.qualified, r.au_bp, r.bucket,
            r.milestone_10, r.milestone_40
         FROM adoption_rollups r JOIN adoption_tenants k ON k.tkey = r.tkey
         JOIN adoption_services c ON c.svc = r.svc
         WHERE r.tkey % $1 = 0 ORDER BY k.tenant_id, c.service",
    )
    .bind(every)
    .fetch_all(&mut c)
    .await
    .unwrap();
    let mut w = std::io::BufWriter::new(std::fs::File::create(out).unwrap());
    writeln!(
        w,
        "tenant_id,service,as_of,active_users,qualified,au_bp,bucket,milestone_10,milestone_40"
    )
    .unwrap();
    let opt = |v: Option<i64>| v.map_or(String::new(), |v| v.to_string());
    for r in &rows {
        writeln!(
            w,
            "{},{},{},{},{},{},{},{},{}",
            r.get::<String, _>(0),
            r.get::<String, _>(1),
            opt(r.get(2)),
            opt(r.get(3)),
            r.get::<i64, _>(4),
            opt(r.get(5)),
            r.get::<Option<String>, _>(6).unwrap_or_default(),
            opt(r.get(7)),
            opt(r.get(8)),
        )
        .unwrap();
    }
    w.flush().unwrap();
    eprintln!("{out}: {} rollups", rows.len());
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let db = || arg("--database").expect("--database URL");
    match args
        .iter()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(String::as_str)
    {
        Some("gen") => generate(
            arg("--tenants").map_or(100_000, |v| v.parse().unwrap()),
            arg("--months").map_or(24, |v| v.parse().unwrap()),
            &arg("--out").expect("--out DIR"),
        ),
        Some("groups") => groups(&db()).await,
        Some("reportdata") => report_data(&db()).await,
        Some("reports") => reports(&db(), arg("--runs").map_or(30, |v| v.parse().unwrap())).await,
        Some("queries") => queries(&db(), arg("--runs").map_or(30, |v| v.parse().unwrap())).await,
        Some("sample") => {
            sample(
                &db(),
                arg("--every").map_or(997, |v| v.parse().unwrap()),
                &arg("--out").expect("--out FILE"),
            )
            .await
        }
        _ => eprintln!(
            "usage: adoption gen|groups|reportdata|queries|reports|sample [options] (see the source)"
        ),
    }
}
