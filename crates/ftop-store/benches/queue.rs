//! Benchmark B9: the work queue ("Needs me", issue 17) of a user assigned to 2,000 tenants
//! of a 50,000-tenant portfolio, beside a floor measured in the same run: a bare `SELECT`
//! of that user's assignments through a pool of the same driver on the same database.
//!
//! Every kind of item appears: next actions of the latest notes, missed forecasts, stale
//! statuses, blocked tasks, AU drops and new subscriptions, on the user's tenants and on
//! everyone else's (a second user is assigned to every tenant).
//!
//! Run: `cargo bench -p ftop-store --bench queue -- [--tenants 50000] [--mine 2000]
//! [--runs 200] [--database postgres://ADMIN_URL [--keep]] [--dir DIR]`; `--reuse URL`
//! times the portfolio an earlier run left (`--keep` or `--dir`) instead of building one.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fresh;
use ftop_domain::UserRole;
use ftop_domain::adoption::{Day, day_of};
use ftop_store::{Actor, QueueKind, Store};
use sqlx::Connection;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 * p) as usize).min(v.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// CPU time this process has used (user and system), from `/proc/self/stat`: what the
/// machine's load does not inflate (SQLite runs in the process; with PostgreSQL it is the
/// client's share only). Zero where there is no `/proc`.
fn cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |x| x.1);
    let f: Vec<u64> = after
        .split_whitespace()
        .map(|v| v.parse().unwrap_or(0))
        .collect();
    // utime and stime are the 14th and 15th fields, in clock ticks (100 a second).
    let ticks = f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

fn date(today: time::Date, days: i64) -> String {
    (today + time::Duration::days(days)).to_string()
}

/// The portfolio, in a few set-based statements (`n` counts 1 to `tenants`): every tenant
/// has Exchange and Teams (500 seats), usage 40 days ago and yesterday, three saved notes,
/// an Exchange forecast, ten touched tasks and a status row per service; one in
/// `tenants / mine` is `ann`'s. Some of each kind are due: every 3rd tenant's latest note
/// names a next action in two days, every 4th status is three weeks old, every 6th
/// Exchange AU fell from 40% to 4%, every 7th 10% forecast passed five days ago, every
/// 11th tenant has a blocked task and every 13th a new subscription to classify.
fn portfolio(tenants: i64, every: i64, ann: i64, bob: i64, today: time::Date) -> Vec<String> {
    let t = i64::from(day_of(today));
    let n = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {tenants})"
    );
    let at = "'2026-01-01T00:00:00Z'";
    let (stale, fresh_status) = (date(today, -21), date(today, -3));
    let next = date(today, 2);
    let blocked = format!("{}T09:00:00Z", date(today, -4));
    vec![
        format!("INSERT INTO customers (id, name, created_at) {n} SELECT i, 'Bench Customer ' || i, {at} FROM n"),
        format!(
            "INSERT INTO tenants (tenant_id, name, customer_id, status_date, created_at, updated_at)
             {n} SELECT 'bench-' || i, 'bench' || i || '.onmicrosoft.com', i,
                CASE WHEN i % 4 = 0 THEN '{stale}' ELSE '{fresh_status}' END, {at}, {at} FROM n"
        ),
        format!(
            "INSERT INTO tenant_services (tenant_id, service, entitlements, qualified)
             {n} SELECT 'bench-' || i, 'exchange', 500, 500 FROM n
             UNION ALL SELECT 'bench-' || i, 'teams', 500, 500 FROM n"
        ),
        "INSERT INTO adoption_services (svc, service) VALUES (1, 'exchange'), (2, 'teams')".into(),
        format!("INSERT INTO adoption_tenants (tkey, tenant_id) {n} SELECT i, 'bench-' || i FROM n"),
        format!(
            "INSERT INTO usage_figures (tkey, svc, day, active_users, qualified)
             {n} SELECT i, 1, {}, 200, 500 FROM n
             UNION ALL SELECT i, 1, {}, CASE WHEN i % 6 = 0 THEN 20 ELSE 210 END, 500 FROM n
             UNION ALL SELECT i, 2, {}, 100, 500 FROM n
             UNION ALL SELECT i, 2, {}, 110, 500 FROM n",
            t - 40,
            t - 1,
            t - 40,
            t - 1
        ),
        format!(
            "INSERT INTO adoption_rollups (tkey, svc, as_of, active_users, qualified, au_bp, bucket)
             {n} SELECT i, 1, {}, CASE WHEN i % 6 = 0 THEN 20 ELSE 210 END, 500,
                CASE WHEN i % 6 = 0 THEN 400 ELSE 4200 END,
                CASE WHEN i % 6 = 0 THEN 'below-10' ELSE '40-plus' END FROM n
             UNION ALL SELECT i, 2, {}, 110, 500, 2200, '10-40' FROM n",
            t - 1,
            t - 1
        ),
        format!(
            "INSERT INTO assignments (tenant_id, user_id, role, service, is_primary, created_at)
             {n} SELECT 'bench-' || i, {bob}, 'fe', '', 0, {at} FROM n
             UNION ALL SELECT 'bench-' || i, {ann}, 'fm', '', 1, {at} FROM n WHERE i % {every} = 0"
        ),
        format!(
            "INSERT INTO notes (tenant_id, author_id, category, state, body, next_action,
                next_action_date, created_at, updated_at)
             {n} SELECT 'bench-' || i, {bob}, 'general', 'saved', 'Kick-off held', 'Send the plan',
                '{}', '2026-01-01T00:00:00Z', {at} FROM n
             UNION ALL SELECT 'bench-' || i, {bob}, 'general', 'saved', 'Plan sent', '', NULL,
                '2026-02-01T00:00:00Z', {at} FROM n
             UNION ALL SELECT 'bench-' || i, {bob}, 'general', 'saved', 'Pilot under way',
                CASE WHEN i % 3 = 0 THEN 'Review the pilot' ELSE '' END,
                CASE WHEN i % 3 = 0 THEN '{next}' ELSE NULL END,
                '2026-03-01T00:00:00Z', {at} FROM n",
            date(today, -60)
        ),
        format!(
            "INSERT INTO forecasts (tenant_id, service, submitted, target_10, target_40, updated_at, updated_by)
             {n} SELECT 'bench-' || i, 'exchange', {}, CASE WHEN i % 7 = 0 THEN {} ELSE {} END, {}, {at}, 'bob' FROM n",
            t - 90,
            t - 5,
            t + 30,
            t + 120
        ),
        format!(
            "INSERT INTO task_states (tenant_id, task_id, service, status, updated_at, updated_by)
             {n}, k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 10)
             SELECT 'bench-' || i, j, 'exchange',
                CASE WHEN j = 1 AND i % 11 = 0 THEN 'blocked-business' ELSE 'complete' END,
                '{blocked}', 'bob' FROM n, k"
        ),
        format!(
            "INSERT INTO entitlement_status (tenant_id, service, position, l1, l2, count)
             {n} SELECT 'bench-' || i, 'exchange', 0,
                CASE WHEN i % 13 = 0 THEN 'status-unknown' ELSE 'in-progress' END,
                CASE WHEN i % 13 = 0 THEN 'new-subscription-or-workload' ELSE NULL END, 500 FROM n
             UNION ALL SELECT 'bench-' || i, 'teams', 0, 'in-progress', NULL, 500 FROM n"
        ),
        // The forecasts' dates on the rollups, as saving a forecast carries them.
        "INSERT INTO adoption_rollups (tkey, svc, target_10, target_40)
         SELECT k.tkey, c.svc, f.target_10, f.target_40
         FROM forecasts f JOIN adoption_tenants k ON k.tenant_id = f.tenant_id
         JOIN adoption_services c ON c.service = f.service
         WHERE 1 = 1 ON CONFLICT (tkey, svc) DO UPDATE
            SET target_10 = excluded.target_10, target_40 = excluded.target_40"
            .to_string(),
    ]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let tenants: i64 = arg("--tenants").map_or(50_000, |v| v.parse().unwrap());
    let mine: i64 = arg("--mine").map_or(2_000, |v| v.parse().unwrap());
    let runs: usize = arg("--runs").map_or(200, |v| v.parse().unwrap());
    let admin = arg("--database");
    // `--dir DIR` keeps the SQLite file there (to look at its query plans).
    let dir = tempfile::tempdir().unwrap();
    let keep = arg("--dir").map(std::path::PathBuf::from);
    let reuse = arg("--reuse");
    let url = match &reuse {
        Some(url) => url.clone(),
        None => fresh(&admin, keep.as_deref().unwrap_or(dir.path()), "queue").await,
    };
    let store = Store::open(&url).await.unwrap();
    let actor = Actor::system("bench");
    for who in ["ann", "bob"].into_iter().filter(|_| reuse.is_none()) {
        store
            .add_user(
                &actor,
                who,
                UserRole::Manager,
                "quiet harbour lantern seven",
                None,
            )
            .await
            .unwrap();
    }
    let ann = store.user_by_name("ann").await.unwrap().unwrap();
    let bob = store.user_by_name("bob").await.unwrap().unwrap();
    let today = time::Date::from_calendar_date(2026, time::Month::December, 1).unwrap();
    let day: Day = day_of(today);

    let t = Instant::now();
    sqlx::any::install_default_drivers();
    let mut c = sqlx::AnyConnection::connect(&url).await.unwrap();
    let built = if reuse.is_some() {
        Vec::new()
    } else {
        portfolio(tenants, tenants / mine, ann.id, bob.id, today)
    };
    for q in built {
        sqlx::raw_sql(&q).execute(&mut c).await.unwrap();
    }
    let analyse = if url.starts_with("sqlite") {
        "ANALYZE"
    } else {
        "VACUUM ANALYZE"
    };
    sqlx::raw_sql(analyse).execute(&mut c).await.unwrap();
    c.close().await.unwrap();
    eprintln!(
        "portfolio: {tenants} tenants, {mine} of them ann's, in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    // The floor: a bare SELECT of ann's assignments through a pool of the same driver.
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(4)
        .connect(&url)
        .await
        .unwrap();
    let floor_sql = if url.starts_with("sqlite") {
        "SELECT tenant_id FROM assignments WHERE user_id = ?1"
    } else {
        "SELECT tenant_id FROM assignments WHERE user_id = $1"
    };
    let floor = || async {
        sqlx::query(floor_sql)
            .bind(ann.id)
            .fetch_all(&pool)
            .await
            .unwrap()
            .len()
    };
    let queue = || async { store.work_queue(&ann, day, 500).await.unwrap() };

    let items = queue().await;
    let mut kinds: BTreeMap<QueueKind, usize> = BTreeMap::new();
    for i in &items {
        *kinds.entry(i.kind).or_default() += 1;
    }
    assert_eq!(floor().await as i64, mine);
    assert_eq!(kinds.len(), QueueKind::ALL.len(), "every kind: {kinds:?}");
    eprintln!("queue: {} items {kinds:?}", items.len());

    // `--portfolio`: also the portfolio summary (issue 16) over every tenant and over
    // ann's, with the bundled playbook loaded (its phases), beside the queue.
    if args.iter().any(|a| a == "--portfolio") {
        if store.playbook().is_err() {
            let t = Instant::now();
            store
                .load_playbook(&actor, &common::sources())
                .await
                .unwrap();
            eprintln!("playbook loaded in {:.1} s", t.elapsed().as_secs_f64());
        }
        let mut raw = sqlx::AnyConnection::connect(&url).await.unwrap();
        // Unchanged data; after a change of one tenant's phase inputs (its gen moved, as
        // the triggers of migration 25 move it), outside the timing; and the first view
        // with no phase kept (after an upgrade or a new playbook version), once.
        for (who, scope) in [
            ("every tenant", ftop_store::PortfolioScope::default()),
            ("ann's", ftop_store::PortfolioScope::for_user(&ann, true)),
        ] {
            let scoped = match scope.assigned_to {
                Some(id) => format!(
                    " AND tenant_id IN (SELECT tenant_id FROM assignments WHERE user_id = {id})"
                ),
                None => String::new(),
            };
            for changed in [false, true] {
                let n = store.portfolio_summary(scope).await.unwrap().tenants;
                // The warm-up's phases are written back in the background: wait for them
                // (at most 10 s), as a second view a moment later would find them.
                for _ in 0..200 {
                    let stale: i64 = sqlx::query_scalar(&format!(
                        "SELECT COUNT(*) FROM tenant_phases
                         WHERE (phase_gen IS NULL OR phase_gen <> gen){scoped}"
                    ))
                    .fetch_one(&mut raw)
                    .await
                    .unwrap();
                    if stale == 0 {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                let mut v = Vec::with_capacity(runs);
                for i in 0..runs {
                    if changed {
                        sqlx::query(&format!(
                            "UPDATE tenant_phases SET gen = gen + 1 WHERE tenant_id = 'bench-{}'",
                            1 + (i as i64 * 25) % tenants
                        ))
                        .execute(&mut raw)
                        .await
                        .unwrap();
                    }
                    let t = Instant::now();
                    store.portfolio_summary(scope).await.unwrap();
                    v.push(t.elapsed());
                }
                let when = if changed { ", after a change" } else { "" };
                println!(
                    "portfolio summary, {who} ({n} tenants){when}\t{:.2}\t{:.2}",
                    ms(pct(&mut v, 0.5)),
                    ms(pct(&mut v, 0.95))
                );
            }
            sqlx::query("UPDATE tenant_phases SET phase_gen = NULL")
                .execute(&mut raw)
                .await
                .unwrap();
            let t = Instant::now();
            store.portfolio_summary(scope).await.unwrap();
            println!(
                "portfolio summary, {who}, no phase kept (once)\t{:.2}",
                ms(t.elapsed())
            );
        }
    }

    let (mut f, mut w) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    let (mut f_cpu, mut w_cpu) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..runs {
        let (t, c) = (Instant::now(), cpu());
        floor().await;
        f.push(t.elapsed());
        f_cpu += cpu() - c;
        let (t, c) = (Instant::now(), cpu());
        queue().await;
        w.push(t.elapsed());
        w_cpu += cpu() - c;
    }
    let engine = if url.starts_with("sqlite") {
        "sqlite"
    } else {
        "postgres"
    };
    println!("engine\twhat\tp50 ms\tp95 ms\tprocess CPU ms per call");
    println!(
        "{engine}\tfloor: SELECT of ann's {mine} assignments\t{:.2}\t{:.2}\t{:.2}",
        ms(pct(&mut f, 0.5)),
        ms(pct(&mut f, 0.95)),
        ms(f_cpu) / runs as f64
    );
    println!(
        "{engine}\twork_queue ({} items)\t{:.2}\t{:.2}\t{:.2}",
        items.len(),
        ms(pct(&mut w, 0.5)),
        ms(pct(&mut w, 0.95)),
        ms(w_cpu) / runs as f64
    );
    pool.close().await;
    drop(store);
    // `--keep`: leave the PostgreSQL database (to look at its query plans).
    if let Some(admin) = admin.filter(|_| reuse.is_none() && !args.iter().any(|a| a == "--keep")) {
        let mut c = sqlx::AnyConnection::connect(&admin).await.unwrap();
        let db = url.rsplit('/').next().unwrap();
        sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {db}"))
            .execute(&mut c)
            .await
            .unwrap();
    }
}
