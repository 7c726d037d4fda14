//! Benchmark B2: instantiate the bundled playbook for N tenants (default 50,000) with five
//! services each, beside two floors measured in the same run through the same driver:
//!  - raw bulk insert of the rows ftop writes for them (tenants, services, status rows), and
//!  - raw bulk insert of one row per applicable task instance (what a design that copies
//!    the playbook into every tenant would write).
//!
//! Run: `cargo bench -p ftop-store --bench instantiate -- [--tenants 50000] [--database URL]`
//! (always a fresh SQLite file in a temporary folder; a postgres:// URL names a server where
//! the benchmark also creates fresh databases, and then both engines are printed side by
//! side with PostgreSQL's import time over SQLite's). `--no-instance-floor` skips the
//! second floor (millions of single-row INSERTs: over half an hour on PostgreSQL).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{fresh, sources};
use ftop_store::{Actor, ImportRow, Store};
use sqlx::Connection;
use std::time::Instant;

const SERVICES: [&str; 8] = [
    "exchange",
    "sharepoint",
    "onedrive",
    "teams",
    "intune",
    "yammer",
    "m365-apps",
    "aadp",
];

fn rows(n: usize) -> Vec<ImportRow> {
    let mut out = Vec::with_capacity(n * 5);
    for t in 0..n {
        for k in 0..5 {
            out.push(ImportRow {
                line: (out.len() + 2) as u64,
                tenant_id: format!("{t:08x}-0000-4000-8000-{:012x}", t * 7 + 1),
                tenant_name: format!("tenant{t}.onmicrosoft.com"),
                customer: format!("Customer {}", t / 3),
                service: SERVICES[(t + k * 3) % SERVICES.len()].to_string(),
                entitlements: (150 + (t * 37) % 30_000).to_string(),
                qualified: String::new(),
            });
        }
    }
    out
}

/// One engine's figures.
struct Run {
    backend: ftop_store::Backend,
    instances: usize,
    ftop: std::time::Duration,
    floor_same: std::time::Duration,
    floor_copy: Option<std::time::Duration>,
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
    let n: usize = arg("--tenants")
        .and_then(|v| v.parse().ok())
        .unwrap_or(50_000);
    let dir = tempfile::tempdir().unwrap();
    let rows = rows(n);
    let instances = !args.iter().any(|a| a == "--no-instance-floor");
    let mut runs = vec![run(&None, dir.path(), n, &rows, instances).await];
    if let Some(url) = arg("--database") {
        runs.push(run(&Some(url), dir.path(), n, &rows, instances).await);
    }
    let s = |d: std::time::Duration| d.as_secs_f64();
    for r in &runs {
        println!(
            "backend: {:?}; {n} tenants x 5 services = {} rows; {} applicable task instances",
            r.backend,
            rows.len(),
            r.instances
        );
        println!(
            "ftop import (tenants, services, status rows, audit): {:.2} s",
            s(r.ftop)
        );
        println!(
            "floor, raw insert of the same tenant/service/status rows: {:.2} s  -> ratio {:.2} (target <= 2.0)",
            s(r.floor_same),
            s(r.ftop) / s(r.floor_same)
        );
        if let Some(copy) = r.floor_copy {
            println!(
                "floor, raw insert of every task instance (copying design): {:.2} s  -> ratio {:.3} (target <= 2.0)",
                s(copy),
                s(r.ftop) / s(copy)
            );
        }
    }
    if let [lite, pg] = &runs[..] {
        println!(
            "PostgreSQL import over SQLite import, same run: {:.2} s / {:.2} s = {:.2} (target <= 1.5)",
            s(pg.ftop),
            s(lite.ftop),
            s(pg.ftop) / s(lite.ftop)
        );
    }
}

/// Imports the rows on one engine (SQLite when `url` is None) and measures the floors.
async fn run(
    url: &Option<String>,
    dir: &std::path::Path,
    n: usize,
    rows: &[ImportRow],
    instance_floor: bool,
) -> Run {
    let actor = Actor::system("bench");
    // ftop: import = create tenants, services, status rows and audit entries, one transaction.
    let store = Store::open(&fresh(url, dir, "ftop").await).await.unwrap();
    store.load_playbook(&actor, &sources()).await.unwrap();
    let t = Instant::now();
    let report = store.import_tenants(&actor, rows, &|_| {}).await.unwrap();
    let ftop = t.elapsed();
    assert_eq!(report.tenants_created as usize, n);
    eprintln!(
        "{:?}: ftop import {:.2} s",
        store.backend(),
        ftop.as_secs_f64()
    );
    let (_, _, template) = store.playbook().unwrap();
    // Applicable task instances, as a copying design would store them.
    let mut instances: Vec<(String, u32, String)> = Vec::new();
    for r in rows.chunks(5) {
        let facts = ftop_domain::TenantFacts {
            services: r
                .iter()
                .map(|x| (x.service.clone(), x.entitlements.parse().unwrap()))
                .collect(),
            ..Default::default()
        };
        for a in template.applicable(&facts) {
            instances.push((r[0].tenant_id.clone(), a.key.task, a.key.service));
        }
    }
    let backend = store.backend();
    drop(store);

    // Floor 1: the same rows ftop wrote, by plain INSERTs in one transaction.
    let floor_db = fresh(url, dir, "floor").await;
    let floor_store = Store::open(&floor_db).await.unwrap(); // same schema
    drop(floor_store);
    let mut c = sqlx::AnyConnection::connect(&floor_db).await.unwrap();
    if backend == ftop_store::Backend::Sqlite {
        sqlx::raw_sql(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
        )
        .execute(&mut c)
        .await
        .unwrap();
    }
    let q = |s: &'static str| -> String {
        if backend == ftop_store::Backend::Sqlite {
            s.replace('$', "?")
        } else {
            s.to_string()
        }
    };
    let (ins_c, ins_t, ins_s, ins_r) = (
        q("INSERT INTO customers (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING"),
        q(
            "INSERT INTO tenants (tenant_id, name, customer_id, created_at, updated_at) VALUES ($1, $2, (SELECT id FROM customers WHERE name = $3), $4, $4)",
        ),
        q(
            "INSERT INTO tenant_services (tenant_id, service, entitlements, qualified) VALUES ($1, $2, $3, $3)",
        ),
        q(
            "INSERT INTO entitlement_status (tenant_id, service, position, l1, l2, count) VALUES ($1, $2, 0, 'status-unknown', 'new-subscription-or-workload', $3)",
        ),
    );
    let now = "2026-11-22T00:00:00Z";
    let t = Instant::now();
    let mut tx = c.begin().await.unwrap();
    for r in rows.chunks(5) {
        sqlx::query(&ins_c)
            .bind(&r[0].customer)
            .bind(now)
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query(&ins_t)
            .bind(&r[0].tenant_id)
            .bind(&r[0].tenant_name)
            .bind(&r[0].customer)
            .bind(now)
            .execute(&mut *tx)
            .await
            .unwrap();
        for x in r {
            let n: i64 = x.entitlements.parse().unwrap();
            sqlx::query(&ins_s)
                .bind(&x.tenant_id)
                .bind(&x.service)
                .bind(n)
                .execute(&mut *tx)
                .await
                .unwrap();
            sqlx::query(&ins_r)
                .bind(&x.tenant_id)
                .bind(&x.service)
                .bind(n)
                .execute(&mut *tx)
                .await
                .unwrap();
        }
    }
    tx.commit().await.unwrap();
    let floor_same = t.elapsed();

    // Floor 2: one row per applicable task instance.
    if !instance_floor {
        return Run {
            backend,
            instances: instances.len(),
            ftop,
            floor_same,
            floor_copy: None,
        };
    }
    sqlx::raw_sql("CREATE TABLE instances (tenant_id TEXT NOT NULL, task_id BIGINT NOT NULL, service TEXT NOT NULL, status TEXT NOT NULL, PRIMARY KEY (tenant_id, task_id, service))")
        .execute(&mut c)
        .await
        .unwrap();
    let ins_i = q(
        "INSERT INTO instances (tenant_id, task_id, service, status) VALUES ($1, $2, $3, 'not-started')",
    );
    let t = Instant::now();
    let mut tx = c.begin().await.unwrap();
    for (tenant, task, service) in &instances {
        sqlx::query(&ins_i)
            .bind(tenant)
            .bind(i64::from(*task))
            .bind(service)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let floor_copy = t.elapsed();
    Run {
        backend,
        instances: instances.len(),
        ftop,
        floor_same,
        floor_copy: Some(floor_copy),
    }
}
