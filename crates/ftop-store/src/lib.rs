//! ftop's storage: one [`Store`] over two engines, SQLite (the embedded default: one file,
//! WAL, full fsync) and PostgreSQL (for several `ftop serve` instances behind a load
//! balancer). The SQL is shared; what differs (connection set-up, migrations, integrity
//! checks) lives in `db.rs` and `migrations/{sqlite,postgres}`.
//!
//! Every change is written in one transaction together with its audit-log entry; a change
//! made against a stale version is refused with [`StoreError::Conflict`].

#[macro_use]
mod sql;

mod adoption;
mod audit;
pub mod backup;
pub mod csv_lines;
mod db;
mod engagement;
mod error;
mod migrate;
mod postgres;
mod reports;
pub mod tenant_csv;
pub use migrate::latest_version as schema_version;
mod sqlite;
mod stats;

pub use adoption::forecasts::{Forecast, ForecastSave};
pub use adoption::gains::PredictedGain;
pub use adoption::model::{
    AdoptionCounts, AdoptionFilter, AdoptionGroup, AdoptionGroupBy, AdoptionPortfolio, AdoptionRow,
    BucketFilter, DateWindow, ForecastCounts, MilestoneFilter, ServiceAdoption,
};
pub use adoption::months::{month_key, month_of, month_start};
pub use adoption::usage::{UsageImport, UsagePoint, UsageRejected, UsageReport};
pub use audit::AuditEntry;
pub use backup::{BackupError, BackupProgress, BackupReport, RestoreReport};
pub use db::Backend;
pub use engagement::access::Access;
pub use engagement::customers::{CombinedService, Customer};
pub use engagement::delivery::{Delivery, DeliveryUpdate, MAX_TEAMS};
pub use engagement::digests::{DigestFrequency, DigestSend, DigestSettings};
pub use engagement::enterprise::EnterpriseStatus;
pub use engagement::entitlements::ServiceStatus;
pub use engagement::migration::Migration;
pub use engagement::notes::{Note, NoteDraft, NoteFilter};
pub use engagement::people::{
    Assignment, AssignmentPlan, AssignmentSpec, Contact, Move, NewContact, Organisation,
    is_partner_role,
};
pub use engagement::playbooks::{LoadReport, PlaybookSource};
pub use engagement::portfolio::{
    LibraryFilter, LibraryNote, NoteWindow, OwnerCount, PhaseCount, PortfolioScope,
    PortfolioSummary, ServiceCount, StatusCount,
};
pub use engagement::queue::{
    MilestoneReached, QueueItem, QueueKind, STALE_STATUS_DAYS, UPCOMING_DAYS,
};
pub use engagement::sessions::{
    SESSION_HOURS, SESSION_IDLE_MINUTES, SIGN_IN_RECORDS_HOURS, Session, SessionInfo, Slot,
};
pub use engagement::tasks::{TaskUpdate, TaskView};
pub use engagement::tenants::{
    ColumnCondition, ColumnKind, EngagementUpdate, GridColumn, GridDetails, ImportReport,
    ImportRow, NewTenant, NextAction, OPERATORS, PriorityFilter, REFUSALS, RefusedCondition,
    ServiceLine, Tenant, TenantEdit, TenantFilter, TenantSort, TenantSummary, Test,
};
pub use engagement::time_entries::TimeEntry;
pub use engagement::users::{
    DEFAULT_TOKEN_DAYS, SsoAccount, TokenInfo, User, UserChange, UserEntry, UserFilter,
    hash_password,
};
pub use engagement::viewing::TenantRead;
pub use error::{Result, StoreError};
pub use reports::{
    BucketCount, DataHealthRow, ForecastDay, ForecastRow, HealthCheck, MilestoneRow,
    NewSubscriptionRow, PARTNER_LED, Page, Paged, ReportFilter, RmNotPartnerRow, STALE_AFTER_DAYS,
    ScenarioNotPartnerLedRow, StaleNoteRow, memo::ReportMemoStats,
};
pub use reports::{
    MonthUsage, ScenarioCredit, UsageCounts, UsagePick, UsageRow, UsageSource, credited_to,
};
pub use stats::{BATCH_BUCKETS, GroupCommitStats, PoolStats, StoreStats};

use db::Pools;
use ftop_domain::{FieldError, Invalid};
use std::sync::{Arc, RwLock};

/// Who makes a change, as the audit log records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Display name (`alice`, `cli:root`).
    pub name: String,
    /// The user's ID when a signed-in user acts.
    pub user_id: Option<i64>,
}

impl Actor {
    /// A signed-in user.
    pub fn user(u: &User) -> Actor {
        Actor {
            name: u.name.clone(),
            user_id: Some(u.id),
        }
    }
    /// The command line or another system actor.
    pub fn system(name: impl Into<String>) -> Actor {
        Actor {
            name: name.into(),
            user_id: None,
        }
    }
}

/// The database, open and migrated.
#[derive(Debug, Clone)]
pub struct Store {
    pools: Pools,
    current: Arc<RwLock<Option<Arc<engagement::playbooks::Current>>>>,
    /// SQLite with a file: what the rusqlite paths keep for this file (see `sqlite/`).
    sqlite: Option<Arc<sqlite::SqliteSide>>,
    /// Group commit of task changes (see `engagement/task_commit.rs`).
    task_writer: Arc<engagement::task_commit::TaskWriter>,
    /// PostgreSQL: where the bulk paths open their own connection (see `postgres/`).
    pg_url: Option<postgres::Url>,
    /// The report tabs kept with the data version they were read at (`reports/memo.rs`).
    memo: Arc<reports::memo::ReportMemo>,
    /// The write-back of worked-out phases (`engagement/portfolio/kept.rs`).
    phases_writing: Arc<engagement::portfolio::PhaseWriteBack>,
}

impl Store {
    /// Opens (creating an SQLite file if needed) and migrates the database at `url`.
    pub async fn open(url: &str) -> Result<Store> {
        let pools = db::connect(url).await?;
        let mut store = Store {
            pools,
            current: Arc::default(),
            sqlite: None,
            task_writer: Arc::default(),
            pg_url: None,
            memo: Arc::default(),
            phases_writing: Arc::default(),
        };
        migrate::run(&store).await?;
        if store.pools.backend == Backend::Postgres {
            store.pg_url = Some(postgres::Url(url.to_string()));
        }
        if db::sqlite_file(url).is_some() {
            use sqlx::Row;
            // The file as SQLite names it (absolute), for the connections opened later.
            let file: String =
                sqlx::query("SELECT file FROM pragma_database_list WHERE name = 'main'")
                    .fetch_one(&store.pools.read)
                    .await?
                    .try_get(0)?;
            if !file.is_empty() {
                store.sqlite = Some(Arc::new(sqlite::SqliteSide::new(file)));
            }
        }
        Ok(store)
    }

    /// Which engine this store runs on.
    pub fn backend(&self) -> Backend {
        self.pools.backend
    }

    /// SQLite only: the point reads on the calling thread (see `sqlite/local.rs`).
    pub(crate) fn local(&self) -> Option<&sqlite::local::LocalReads> {
        self.sqlite.as_ref().and_then(|s| s.local.as_ref())
    }

    /// PostgreSQL only: the native pool of the hot reads (see `postgres/hot.rs`).
    pub(crate) fn pg_hot(&self) -> Option<&postgres::hot::HotPool> {
        self.pools.pg.as_deref()
    }

    /// Checks the database's integrity: SQLite's `PRAGMA integrity_check` and foreign keys;
    /// on PostgreSQL, that every table is readable. Returns what the engine reported.
    pub async fn integrity_check(&self) -> Result<String> {
        use sqlx::Row;
        match self.pools.backend {
            Backend::Sqlite => {
                let row = sqlx::query("PRAGMA integrity_check")
                    .fetch_one(&self.pools.read)
                    .await?;
                let out: String = row.try_get(0)?;
                let fk = sqlx::query("PRAGMA foreign_key_check")
                    .fetch_all(&self.pools.read)
                    .await?;
                if out != "ok" || !fk.is_empty() {
                    return Err(StoreError::Internal(format!(
                        "integrity check failed: {out}; {} foreign-key violations",
                        fk.len()
                    )));
                }
                Ok(out)
            }
            Backend::Postgres => {
                // Every table of the schema, from the catalogue: a list kept by hand had
                // fallen behind the migrations.
                let tables = sqlx::query(
                    "SELECT CAST(tablename AS TEXT) FROM pg_tables WHERE schemaname = current_schema()
                     ORDER BY tablename",
                )
                .fetch_all(&self.pools.read)
                .await?;
                for r in &tables {
                    let t: String = r.try_get(0)?;
                    let q = format!("SELECT COUNT(*) FROM \"{}\"", t.replace('"', "\"\""));
                    sqlx::raw_sql(&q).execute(&self.pools.read).await?;
                }
                Ok("ok".to_string())
            }
        }
    }

    /// The quick start-up check: on SQLite `PRAGMA quick_check` (every page of every table
    /// and index readable and well formed; cheaper than [`Store::integrity_check`], which
    /// also compares indexes with their tables); on PostgreSQL, that every table is
    /// readable. A damaged file is an `Internal` error naming what SQLite found (at most
    /// the first lines).
    pub async fn quick_check(&self) -> Result<()> {
        use sqlx::Row;
        match self.pools.backend {
            Backend::Sqlite => {
                let rows = sqlx::query("PRAGMA quick_check(5)")
                    .fetch_all(&self.pools.read)
                    .await?;
                let found: Vec<String> = rows
                    .iter()
                    .map(|r| r.try_get::<String, _>(0))
                    .collect::<std::result::Result<_, _>>()?;
                if found != ["ok"] {
                    return Err(StoreError::Internal(format!(
                        "the database file is damaged: {}",
                        found.join("; ")
                    )));
                }
                Ok(())
            }
            Backend::Postgres => self.integrity_check().await.map(|_| ()),
        }
    }

    /// Answers when the database is reachable.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pools.read).await?;
        Ok(())
    }
}

/// Now, as stored: UTC RFC 3339 with microseconds.
pub(crate) fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Today's date (UTC).
pub fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

pub(crate) fn parse_date(field: &str, s: &str) -> std::result::Result<time::Date, Invalid> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s.trim(), &fmt).map_err(|_| {
        FieldError::of(field, "invalid-date")
            .quoting("value", s)
            .into()
    })
}

pub(crate) fn fmt_date(d: time::Date) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    d.format(&fmt).unwrap_or_default()
}
