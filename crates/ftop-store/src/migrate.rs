//! Versioned migrations, one set per engine, applied in order inside a transaction each and
//! recorded in `schema_migrations`. A database newer than this build is refused.

use crate::db::Backend;
use crate::{Result, Store, StoreError};
use sqlx::Row;

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "engagements",
        sqlite: include_str!("../migrations/sqlite/0001_engagements.sql"),
        postgres: include_str!("../migrations/postgres/0001_engagements.sql"),
    },
    Migration {
        version: 2,
        name: "sessions",
        sqlite: include_str!("../migrations/sqlite/0002_sessions.sql"),
        postgres: include_str!("../migrations/postgres/0002_sessions.sql"),
    },
    Migration {
        version: 3,
        name: "adoption",
        sqlite: include_str!("../migrations/sqlite/0003_adoption.sql"),
        postgres: include_str!("../migrations/postgres/0003_adoption.sql"),
    },
    Migration {
        version: 4,
        name: "dashboard_groups",
        sqlite: include_str!("../migrations/sqlite/0004_dashboard_groups.sql"),
        postgres: include_str!("../migrations/postgres/0004_dashboard_groups.sql"),
    },
];

/// Every table, for checks that visit them all.
pub(crate) const TABLES: &[&str] = &[
    "customers",
    "partners",
    "tenants",
    "tenant_services",
    "entitlement_status",
    "tenant_partners",
    "users",
    "api_tokens",
    "assignments",
    "contacts",
    "task_states",
    "notes",
    "time_entries",
    "audit_log",
    "playbooks",
    "playbook_upgrades",
    "sessions",
    "sign_in_failures",
    "adoption_tenants",
    "adoption_services",
    "usage_figures",
    "seat_history",
    "adoption_rollups",
    "forecasts",
    "forecast_history",
];

pub(crate) async fn run(store: &Store) -> Result<()> {
    let pool = &store.pools.write;
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )
    .execute(pool)
    .await?;
    // Several instances may start at once on PostgreSQL: one migrates, the others wait.
    let mut tx = pool.begin().await?;
    if store.backend() == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock(7470726)")
            .execute(&mut *tx)
            .await?;
    }
    let applied: Vec<i64> = sqlx::query("SELECT version FROM schema_migrations ORDER BY version")
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.try_get::<i64, _>(0))
        .collect::<std::result::Result<_, _>>()?;
    let known = MIGRATIONS.last().map_or(0, |m| m.version);
    if let Some(v) = applied.iter().find(|v| **v > known) {
        return Err(StoreError::Config(format!(
            "the database is at schema version {v}, newer than this ftop knows ({known}); upgrade ftop"
        )));
    }
    for m in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
        let sql = match store.backend() {
            Backend::Sqlite => m.sqlite,
            Backend::Postgres => m.postgres,
        };
        sqlx::raw_sql(sql).execute(&mut *tx).await?;
        sqlx::query(sql!(
            store,
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        ))
        .bind(m.version)
        .bind(m.name)
        .bind(crate::now())
        .execute(&mut *tx)
        .await?;
        tracing::info!(version = m.version, name = m.name, "applied migration");
    }
    tx.commit().await?;
    Ok(())
}
