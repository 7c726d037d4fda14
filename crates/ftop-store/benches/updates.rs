//! Benchmark B3: durable task-status updates through the store (full fsync on SQLite:
//! WAL + synchronous=FULL), from C concurrent clients, beside the raw commit rate of the same
//! disk measured in the same run: a one-row UPDATE + COMMIT loop through the same driver and
//! settings, and a bare write + fsync loop on a file.
//!
//! Run: `cargo bench -p ftop-store --bench updates -- [--updates 6000] [--clients 8] [--database URL]`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use ftop_domain::TaskStatus;
mod common;

use common::{fresh, sources};
use ftop_store::{Actor, NewTenant, Store, TaskUpdate};
use sqlx::Connection;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 * p) as usize).min(v.len() - 1)]
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
    let total: usize = arg("--updates")
        .and_then(|v| v.parse().ok())
        .unwrap_or(6000);
    let clients: usize = arg("--clients").and_then(|v| v.parse().ok()).unwrap_or(8);
    let dir = tempfile::tempdir().unwrap();
    let url = fresh(&arg("--database"), dir.path(), "updates").await;
    let actor = Actor::system("bench");
    let store = Store::open(&url).await.unwrap();
    store.load_playbook(&actor, &sources()).await.unwrap();
    // Tenants until there are enough distinct tasks for every update.
    let mut work: Vec<(String, u32, String)> = Vec::new();
    let mut n = 0;
    while work.len() < total {
        let id = format!("{n:08x}-0000-4000-8000-00000000beef");
        store
            .add_tenant(
                &actor,
                &NewTenant {
                    tenant_id: id.clone(),
                    name: format!("u{n}.onmicrosoft.com"),
                    customer: "Bench".into(),
                    services: vec![("exchange".into(), 500, None), ("teams".into(), 500, None)],
                },
            )
            .await
            .unwrap();
        for t in store.tenant_tasks(&id).await.unwrap() {
            work.push((id.clone(), t.task_id, t.service));
        }
        n += 1;
    }
    work.truncate(total);
    let work = Arc::new(work);

    // ftop: C clients, each takes the next task and sets it Complete (version 0 -> 1).
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let t = Instant::now();
    let mut handles = Vec::new();
    for _ in 0..clients {
        let (store, work, next, actor) = (store.clone(), work.clone(), next.clone(), actor.clone());
        handles.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((tenant, task, service)) = work.get(i) else {
                    break;
                };
                let s = Instant::now();
                let u = TaskUpdate {
                    task_id: *task,
                    service: service.clone(),
                    version: 0,
                    status: Some(TaskStatus::Complete),
                    percent: None,
                    role: None,
                };
                store.set_task(&actor, tenant, &u).await.unwrap();
                lat.push(s.elapsed());
            }
            lat
        }));
    }
    let mut lat = Vec::new();
    for h in handles {
        lat.extend(h.await.unwrap());
    }
    let elapsed = t.elapsed();
    let rate = total as f64 / elapsed.as_secs_f64();
    let (p50, p99) = (pct(&mut lat, 0.50), pct(&mut lat, 0.99));
    let backend = store.backend();
    drop(store);

    // Floor: raw durable commits through the same driver and settings.
    let raw_url = match backend {
        ftop_store::Backend::Sqlite => {
            format!("sqlite://{}?mode=rwc", dir.path().join("raw.db").display())
        }
        ftop_store::Backend::Postgres => url.clone(),
    };
    let mut c = sqlx::AnyConnection::connect(&raw_url).await.unwrap();
    if backend == ftop_store::Backend::Sqlite {
        sqlx::raw_sql("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;")
            .execute(&mut c)
            .await
            .unwrap();
    }
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS raw_commit (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)",
    )
    .execute(&mut c)
    .await
    .unwrap();
    sqlx::raw_sql("INSERT INTO raw_commit (id, n) VALUES (1, 0)")
        .execute(&mut c)
        .await
        .unwrap();
    let raw_n = total.min(3000);
    let t = Instant::now();
    for _ in 0..raw_n {
        let mut tx = c.begin().await.unwrap();
        sqlx::raw_sql("UPDATE raw_commit SET n = n + 1 WHERE id = 1")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let raw_rate = raw_n as f64 / t.elapsed().as_secs_f64();

    // The disk itself: write + fsync.
    let mut f = std::fs::File::create(dir.path().join("fsync.bin")).unwrap();
    let t = Instant::now();
    for _ in 0..raw_n {
        f.write_all(&[0u8; 256]).unwrap();
        f.sync_all().unwrap();
    }
    let fsync_rate = raw_n as f64 / t.elapsed().as_secs_f64();

    println!(
        "backend: {backend:?}; {total} updates from {clients} concurrent clients, each committed durably before it returns"
    );
    println!(
        "ftop set_task: {rate:.0} updates/s (target >= 1000); latency p50 {:.2} ms, p99 {:.2} ms (target <= 50 ms)",
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3
    );
    println!(
        "floor, raw one-row UPDATE + COMMIT through the same driver: {raw_rate:.0} commits/s -> ftop at {:.0}% of it",
        rate / raw_rate * 100.0
    );
    println!("disk, write + fsync: {fsync_rate:.0}/s");
}
