//! Versioned migrations, one set per engine, applied in order in one transaction and
//! recorded in `schema_migrations` with the SHA-256 of their text. A database newer than
//! this build is refused, and so is one where an applied migration's recorded checksum
//! differs from the text this build embeds: a migration, once committed, is never edited;
//! a change is a new migration.

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
    Migration {
        version: 5,
        name: "migration_checksums",
        sqlite: include_str!("../migrations/sqlite/0005_migration_checksums.sql"),
        postgres: include_str!("../migrations/postgres/0005_migration_checksums.sql"),
    },
    Migration {
        version: 6,
        name: "credentials",
        sqlite: include_str!("../migrations/sqlite/0006_credentials.sql"),
        postgres: include_str!("../migrations/postgres/0006_credentials.sql"),
    },
    Migration {
        version: 7,
        name: "partner_admins",
        sqlite: include_str!("../migrations/sqlite/0007_partner_admins.sql"),
        postgres: include_str!("../migrations/postgres/0007_partner_admins.sql"),
    },
    Migration {
        version: 8,
        name: "sso_subjects",
        sqlite: include_str!("../migrations/sqlite/0008_sso_subjects.sql"),
        postgres: include_str!("../migrations/postgres/0008_sso_subjects.sql"),
    },
    Migration {
        version: 9,
        name: "tenant_exceptions",
        sqlite: include_str!("../migrations/sqlite/0009_tenant_exceptions.sql"),
        postgres: include_str!("../migrations/postgres/0009_tenant_exceptions.sql"),
    },
    Migration {
        version: 10,
        name: "service_delivery",
        sqlite: include_str!("../migrations/sqlite/0010_service_delivery.sql"),
        postgres: include_str!("../migrations/postgres/0010_service_delivery.sql"),
    },
    Migration {
        version: 11,
        name: "service_migration",
        sqlite: include_str!("../migrations/sqlite/0011_service_migration.sql"),
        postgres: include_str!("../migrations/postgres/0011_service_migration.sql"),
    },
    Migration {
        version: 12,
        name: "enterprise_status",
        sqlite: include_str!("../migrations/sqlite/0012_enterprise_status.sql"),
        postgres: include_str!("../migrations/postgres/0012_enterprise_status.sql"),
    },
    Migration {
        version: 13,
        name: "default_priority",
        sqlite: include_str!("../migrations/sqlite/0013_default_priority.sql"),
        postgres: include_str!("../migrations/postgres/0013_default_priority.sql"),
    },
    Migration {
        version: 14,
        name: "digests",
        sqlite: include_str!("../migrations/sqlite/0014_digests.sql"),
        postgres: include_str!("../migrations/postgres/0014_digests.sql"),
    },
    Migration {
        version: 15,
        name: "predicted_gain",
        sqlite: include_str!("../migrations/sqlite/0015_predicted_gain.sql"),
        postgres: include_str!("../migrations/postgres/0015_predicted_gain.sql"),
    },
    Migration {
        version: 16,
        name: "usage_months",
        sqlite: include_str!("../migrations/sqlite/0016_usage_months.sql"),
        postgres: include_str!("../migrations/postgres/0016_usage_months.sql"),
    },
    Migration {
        version: 17,
        name: "work_queue",
        sqlite: include_str!("../migrations/sqlite/0017_work_queue.sql"),
        postgres: include_str!("../migrations/postgres/0017_work_queue.sql"),
    },
    Migration {
        version: 18,
        name: "report_indexes",
        sqlite: include_str!("../migrations/sqlite/0018_report_indexes.sql"),
        postgres: include_str!("../migrations/postgres/0018_report_indexes.sql"),
    },
    Migration {
        version: 19,
        name: "month_rows_unindexed",
        sqlite: include_str!("../migrations/sqlite/0019_month_rows_unindexed.sql"),
        postgres: include_str!("../migrations/postgres/0019_month_rows_unindexed.sql"),
    },
    Migration {
        version: 20,
        name: "report_version",
        sqlite: include_str!("../migrations/sqlite/0020_report_version.sql"),
        postgres: include_str!("../migrations/postgres/0020_report_version.sql"),
    },
    Migration {
        version: 21,
        name: "last_figure",
        sqlite: include_str!("../migrations/sqlite/0021_last_figure.sql"),
        postgres: include_str!("../migrations/postgres/0021_last_figure.sql"),
    },
    Migration {
        version: 22,
        name: "rm_not_partner",
        sqlite: include_str!("../migrations/sqlite/0022_rm_not_partner.sql"),
        postgres: include_str!("../migrations/postgres/0022_rm_not_partner.sql"),
    },
    Migration {
        version: 23,
        name: "report_sums",
        sqlite: include_str!("../migrations/sqlite/0023_report_sums.sql"),
        postgres: include_str!("../migrations/postgres/0023_report_sums.sql"),
    },
    Migration {
        version: 24,
        name: "latest_sums",
        sqlite: include_str!("../migrations/sqlite/0024_latest_sums.sql"),
        postgres: include_str!("../migrations/postgres/0024_latest_sums.sql"),
    },
    Migration {
        version: 25,
        name: "tenant_phases",
        sqlite: include_str!("../migrations/sqlite/0025_tenant_phases.sql"),
        postgres: include_str!("../migrations/postgres/0025_tenant_phases.sql"),
    },
];

impl Migration {
    /// The text for `backend`.
    fn text(&self, backend: Backend) -> &'static str {
        match backend {
            Backend::Sqlite => self.sqlite,
            Backend::Postgres => self.postgres,
        }
    }
}

/// The SHA-256 of a migration's text, in hex.
fn checksum(text: &str) -> String {
    use sha2::{Digest, Sha256};
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

pub(crate) async fn run(store: &Store) -> Result<()> {
    let pool = &store.pools.write;
    // Several instances may start at once on PostgreSQL: one migrates, the others wait.
    // The lock comes first: two `CREATE TABLE IF NOT EXISTS` at once collide in
    // PostgreSQL's catalogue (a duplicate key of pg_type), so even the bookkeeping table is
    // made under it.
    let mut tx = pool.begin().await?;
    if store.backend() == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock(7470726)")
            .execute(&mut *tx)
            .await?;
    }
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )
    .execute(&mut *tx)
    .await?;
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
        sqlx::raw_sql(m.text(store.backend()))
            .execute(&mut *tx)
            .await?;
        sqlx::query(sql!(
            store,
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)"
        ))
        .bind(m.version)
        .bind(m.name)
        .bind(crate::now())
        .execute(&mut *tx)
        .await?;
        tracing::info!(version = m.version, name = m.name, "applied migration");
    }
    check_texts(store, &mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Records the checksum of every applied migration that has none yet (applied before
/// migration 5, or just now), then compares each recorded checksum with the text this
/// build embeds.
async fn check_texts(store: &Store, tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<()> {
    let backend = store.backend();
    for m in MIGRATIONS {
        sqlx::query(sql!(
            store,
            "UPDATE schema_migrations SET checksum = $1 WHERE version = $2 AND checksum IS NULL"
        ))
        .bind(checksum(m.text(backend)))
        .bind(m.version)
        .execute(&mut **tx)
        .await?;
    }
    let recorded = sqlx::query("SELECT version, checksum FROM schema_migrations ORDER BY version")
        .fetch_all(&mut **tx)
        .await?;
    for r in recorded {
        let (version, sum): (i64, Option<String>) = (r.try_get(0)?, r.try_get(1)?);
        let Some(m) = MIGRATIONS.iter().find(|m| m.version == version) else {
            continue;
        };
        if sum.as_deref() != Some(checksum(m.text(backend)).as_str()) {
            return Err(StoreError::Config(format!(
                "migration {:04}_{} was changed after it was applied to this database: its \
                 recorded checksum differs from this ftop's text. Applied migrations must not \
                 be edited; restore its text and put the change in a new migration",
                m.version, m.name
            )));
        }
    }
    Ok(())
}

/// The SQLite migrations this build knows: version, name and the SHA-256 of the text, for
/// checking a backup before it is restored (see `backup/verify.rs`).
pub(crate) fn sqlite_checksums() -> Vec<(i64, &'static str, String)> {
    MIGRATIONS
        .iter()
        .map(|m| (m.version, m.name, checksum(m.sqlite)))
        .collect()
}

/// The schema version this build migrates to: the last migration's number.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}
