//! Adoption rollups: one row per tenant and service saying where it stands (latest
//! figure, AU, bucket, milestone dates, forecast targets), kept up to date as figures,
//! seats (`seats.rs`) and forecasts change, plus the small integer keys the usage table
//! uses.
//!
//! Each usage figure carries the seats in effect on its date (kept in step with
//! `seat_history` by `seats.rs`), so the rollup of a tenant's service is one grouped scan of its
//! figures, done by the engine: the same SQL maintains the touched rows after an import
//! and rebuilds all of them in [`Store::recompute_adoption_rollups`].

use crate::sql::Sql;
use crate::{Result, Store, StoreError};
use ftop_domain::adoption::{Bucket, Day, Milestone, day_of};
use ftop_domain::catalogue::SERVICES;
use sqlx::{Any, Row, Transaction};

/// Rebuilds the usage columns of the rollups of tenants `$1..=$2` (keys) and, when `$3`
/// is not negative, only of that service: the domain's rollup arithmetic
/// (`ftop_domain::adoption::RollupState`) in SQL, for the engine to run over the figures
/// where they are. Written from the domain's thresholds and bucket keys; AU in basis
/// points is rounded half up like `au_basis_points`. Tested against the domain below.
/// Both sides of the join name the range: PostgreSQL otherwise read every figure of the
/// table to join a range's latest ones (a whole-table scan per range, so an import's
/// refresh grew with the square of the tenants).
pub(crate) static REFRESH: Sql = Sql::built(refresh_sql);

/// The SQL twin of the domain's `reaches(active, seats, pct)` over columns `active` and
/// `seats`: seats > 0 and active × 100 ≥ pct × seats, in whole numbers on both engines.
/// Every SQL that decides whether AU reaches a milestone writes it through here.
pub(crate) fn reaches_sql(active: &str, seats: &str, pct: i64) -> String {
    format!("{seats} > 0 AND CAST({active} AS BIGINT) * 100 >= CAST({seats} AS BIGINT) * {pct}")
}

fn refresh_sql() -> String {
    let (ten, forty) = (Milestone::Ten.percent(), Milestone::Forty.percent());
    let reaches = reaches_sql;
    format!(
        "INSERT INTO adoption_rollups
            (tkey, svc, as_of, active_users, qualified, au_bp, bucket, milestone_10, milestone_40)
        SELECT a.tkey, a.svc, a.as_of, l.active_users, l.qualified,
            CASE WHEN l.qualified > 0
                THEN (CAST(l.active_users AS BIGINT) * 20000 + l.qualified) / (2 * CAST(l.qualified AS BIGINT)) END,
            CASE WHEN l.qualified <= 0 THEN NULL
                WHEN {top} THEN '{b40}' WHEN {mid} THEN '{b10}' ELSE '{b0}' END,
            a.m10, a.m40
        FROM (SELECT tkey, svc, MAX(day) AS as_of,
                MIN(CASE WHEN {r10} THEN day END) AS m10,
                MIN(CASE WHEN {r40} THEN day END) AS m40
              FROM usage_figures WHERE tkey >= $1 AND tkey <= $2 AND ($3 < 0 OR svc = $3)
              GROUP BY tkey, svc) a
        JOIN usage_figures l ON l.tkey = a.tkey AND l.svc = a.svc AND l.day = a.as_of
        WHERE l.tkey >= $1 AND l.tkey <= $2
        ON CONFLICT (tkey, svc) DO UPDATE SET as_of = excluded.as_of,
            active_users = excluded.active_users, qualified = excluded.qualified,
            au_bp = excluded.au_bp, bucket = excluded.bucket,
            milestone_10 = excluded.milestone_10, milestone_40 = excluded.milestone_40",
        top = reaches("l.active_users", "l.qualified", forty),
        mid = reaches("l.active_users", "l.qualified", ten),
        r10 = reaches("active_users", "qualified", ten),
        r40 = reaches("active_users", "qualified", forty),
        b40 = Bucket::From40.key(),
        b10 = Bucket::From10To40.key(),
        b0 = Bucket::Below10.key(),
    )
}

/// Services without figures (no rollup yet after the usage rollups are rebuilt): their
/// seats in effect today ($1).
pub(crate) const SEATS_ONLY: &str = "INSERT INTO adoption_rollups (tkey, svc, qualified)
     SELECT k.tkey, c.svc, COALESCE(
        (SELECT h.qualified FROM seat_history h WHERE h.tkey = k.tkey AND h.svc = c.svc
            AND h.effective <= $1 ORDER BY h.effective DESC LIMIT 1),
        (SELECT h.qualified FROM seat_history h WHERE h.tkey = k.tkey AND h.svc = c.svc
            ORDER BY h.effective LIMIT 1), s.qualified)
     FROM tenant_services s JOIN adoption_tenants k ON k.tenant_id = s.tenant_id
     JOIN adoption_services c ON c.service = s.service
     WHERE NOT EXISTS (SELECT 1 FROM adoption_rollups r WHERE r.tkey = k.tkey AND r.svc = c.svc)
     ON CONFLICT (tkey, svc) DO NOTHING";

/// Clears every rollup's targets before `FORECAST_TARGETS` sets them again from the
/// forecasts (a recompute that keeps the rollups it finds right).
const CLEAR_TARGETS: &str = "UPDATE adoption_rollups SET target_10 = NULL, target_40 = NULL
     WHERE target_10 IS NOT NULL OR target_40 IS NOT NULL";

/// Forecast targets onto the rollups (creating rollups for forecasts of other services).
pub(crate) const FORECAST_TARGETS: &str =
    "INSERT INTO adoption_rollups (tkey, svc, target_10, target_40)
     SELECT k.tkey, c.svc, f.target_10, f.target_40
     FROM forecasts f JOIN adoption_tenants k ON k.tenant_id = f.tenant_id
     JOIN adoption_services c ON c.service = f.service
     WHERE 1 = 1 ON CONFLICT (tkey, svc) DO UPDATE
        SET target_10 = excluded.target_10, target_40 = excluded.target_40";

/// What the triggers of migrations 21 and 22 keep for the reports, put right where it
/// differs from what it is worked out from (a recompute repairs everything derived):
/// each service line's day of its latest figure, and each tenant's "RM is not the
/// partner" flag. The same statements on both engines; they write nothing when all
/// agree (B10's data: about 1 s on SQLite, 100,000 tenants and 1,000,000 lines).
pub(crate) const REPAIR_KEPT: [&str; 2] = [
    "UPDATE tenant_services SET last_figure = (SELECT r.as_of FROM adoption_tenants k
        JOIN adoption_services c ON c.service = tenant_services.service
        JOIN adoption_rollups r ON r.tkey = k.tkey AND r.svc = c.svc
        WHERE k.tenant_id = tenant_services.tenant_id)
     WHERE last_figure IS DISTINCT FROM (SELECT r.as_of FROM adoption_tenants k
        JOIN adoption_services c ON c.service = tenant_services.service
        JOIN adoption_rollups r ON r.tkey = k.tkey AND r.svc = c.svc
        WHERE k.tenant_id = tenant_services.tenant_id)",
    "UPDATE tenants SET rm_not_partner =
        (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = tenants.tenant_id)
     WHERE rm_not_partner <>
        (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = tenants.tenant_id)",
];

/// Most tenants one refresh statement covers; a range may also hold untouched tenants
/// (refreshing them is harmless), at most about as many as touched ones.
const REFRESH_CHUNK: usize = 2_000;

pub(crate) fn today_day() -> Day {
    day_of(crate::today())
}

/// Groups sorted tenant keys into ranges for refresh statements.
pub(crate) fn key_ranges(sorted: &[i64]) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let start = sorted[i];
        let mut j = i + 1;
        while j < sorted.len()
            && j - i < REFRESH_CHUNK
            && (sorted[j] - start) as usize <= 2 * (j - i + 1) + 64
        {
            j += 1;
        }
        out.push((start, sorted[j - 1]));
        i = j;
    }
    out
}

impl Store {
    /// The key of a tenant in the adoption tables, created when missing.
    pub(crate) async fn tenant_key(
        &self,
        tx: &mut Transaction<'_, Any>,
        tenant: &str,
    ) -> Result<i64> {
        if let Some(r) = sqlx::query(sql!(
            self,
            "SELECT tkey FROM adoption_tenants WHERE tenant_id = $1"
        ))
        .bind(tenant)
        .fetch_optional(&mut **tx)
        .await?
        {
            return Ok(r.try_get(0)?);
        }
        let r = sqlx::query(sql!(
            self,
            "INSERT INTO adoption_tenants (tenant_id) VALUES ($1) RETURNING tkey"
        ))
        .bind(tenant)
        .fetch_one(&mut **tx)
        .await?;
        Ok(r.try_get(0)?)
    }

    /// The key of a service (catalogue key) in the adoption tables, created when missing.
    pub(crate) async fn service_key(
        &self,
        tx: &mut Transaction<'_, Any>,
        service: &str,
    ) -> Result<i64> {
        if let Some(r) = sqlx::query(sql!(
            self,
            "SELECT svc FROM adoption_services WHERE service = $1"
        ))
        .bind(service)
        .fetch_optional(&mut **tx)
        .await?
        {
            return Ok(r.try_get(0)?);
        }
        let r = sqlx::query(sql!(
            self,
            "INSERT INTO adoption_services (service) VALUES ($1) RETURNING svc"
        ))
        .bind(service)
        .fetch_one(&mut **tx)
        .await?;
        Ok(r.try_get(0)?)
    }

    /// Keys for every catalogue service and every tenant; returns (service key, svc).
    pub(crate) async fn ensure_keys(
        &self,
        tx: &mut Transaction<'_, Any>,
    ) -> Result<Vec<(String, i64)>> {
        for s in SERVICES {
            sqlx::query(sql!(self,
                "INSERT INTO adoption_services (service) VALUES ($1) ON CONFLICT (service) DO NOTHING",
            ))
            .bind(s.key)
            .execute(&mut **tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO adoption_tenants (tenant_id) SELECT t.tenant_id FROM tenants t
             WHERE NOT EXISTS (SELECT 1 FROM adoption_tenants k WHERE k.tenant_id = t.tenant_id)
             ORDER BY t.tenant_id",
        )
        .execute(&mut **tx)
        .await?;
        let rows = sqlx::query("SELECT service, svc FROM adoption_services")
            .fetch_all(&mut **tx)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    /// On PostgreSQL, waits for this transaction's turn among the writers of rollups with
    /// figures, held until it ends (again in the same transaction: at once).
    ///
    /// The month totals and the report sums move by differences (`months.rs`,
    /// `report_sums.rs`): two writers refreshing overlapping tenants at once would each
    /// subtract what the other has already replaced. A rollup's new day also moves its
    /// service line's (migration 21's trigger), so a transaction that changes an existing
    /// tenant's lines takes its turn before it touches the first line or locks a tenant's
    /// row (`apply_service`, `set_seats`, `change_tenant`, `import_tenants`): otherwise it
    /// could hold a line or tenant an import's triggers wait for while it waits for the
    /// import's turn, or add a line without seeing the figures an import is writing.
    pub(crate) async fn take_rollup_turn(&self, tx: &mut Transaction<'_, Any>) -> Result<()> {
        if self.backend() == crate::Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock(7470728)")
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// Rebuilds the usage columns of the rollups of tenant keys `from..=to` (one service
    /// when given), their predicted gains and those tenants' totals (`gains.rs`), and
    /// their usage by month (`months.rs`).
    pub(crate) async fn refresh_rollups(
        &self,
        tx: &mut Transaction<'_, Any>,
        from: i64,
        to: i64,
        svc: Option<i64>,
    ) -> Result<()> {
        self.take_rollup_turn(tx).await?;
        self.move_latest_sums(tx, from, to, svc, true).await?;
        sqlx::query(REFRESH.get(self.backend()))
            .bind(from)
            .bind(to)
            .bind(svc.unwrap_or(-1))
            .execute(&mut **tx)
            .await?;
        self.move_latest_sums(tx, from, to, svc, false).await?;
        self.refresh_gains(tx, from, to, svc).await?;
        self.refresh_months(tx, from, to, svc).await
    }

    /// Rebuilds every adoption rollup from the usage figures, seats and forecasts, in one
    /// transaction (readers see the old rollups until it commits). Returns the number of
    /// rollup rows.
    pub async fn recompute_adoption_rollups(&self) -> Result<i64> {
        if self.backend() == crate::Backend::Sqlite {
            let mut guard = self.pools.write.acquire().await?;
            let file: String =
                sqlx::query("SELECT file FROM pragma_database_list WHERE name = 'main'")
                    .fetch_one(&mut *guard)
                    .await?
                    .try_get(0)?;
            if !file.is_empty() {
                let mut tx = sqlx::Connection::begin(&mut *guard).await?;
                self.ensure_keys(&mut tx).await?;
                tx.commit().await?;
                let today = i64::from(today_day());
                let n = tokio::task::spawn_blocking(move || -> Result<i64> {
                    let conn = crate::sqlite::bulk::open(&file, false)?;
                    conn.execute_batch("BEGIN IMMEDIATE")?;
                    let changed = crate::sqlite::recompute::recompute_usage(&conn, &file)?;
                    tracing::info!(changed, "usage rollups written or removed by recompute");
                    // Gains without figures cleared, the tenants' totals set (the
                    // rollups' gains came with the scan).
                    crate::adoption::gains::clear_blocking(&conn, &[(i64::MIN, i64::MAX)])?;
                    crate::adoption::gains::totals_blocking(&conn, &[(i64::MIN, i64::MAX)])?;
                    conn.execute(&crate::Backend::Sqlite.sql(SEATS_ONLY), [today])?;
                    conn.execute(CLEAR_TARGETS, ())?;
                    conn.execute(FORECAST_TARGETS, ())?;
                    for q in REPAIR_KEPT {
                        conn.execute(q, ())?;
                    }
                    crate::adoption::report_sums::rebuild_latest_blocking(&conn)?;
                    let n =
                        conn.query_row("SELECT COUNT(*) FROM adoption_rollups", (), |r| r.get(0))?;
                    conn.execute_batch("COMMIT")?;
                    Ok(n)
                })
                .await
                .map_err(|e| StoreError::Internal(format!("recompute failed: {e}")))??;
                drop(guard);
                return Ok(n);
            }
        }
        let mut tx = self.pools.write.begin().await?;
        self.take_rollup_turn(&mut tx).await?;
        if self.backend() == crate::Backend::Postgres {
            let n = self.recompute_postgres(&mut tx).await?;
            tx.commit().await?;
            return Ok(n);
        }
        self.ensure_keys(&mut tx).await?;
        sqlx::query("DELETE FROM adoption_rollups")
            .execute(&mut *tx)
            .await?;
        self.clear_months(&mut tx).await?;
        self.clear_report_sums(&mut tx).await?;
        self.refresh_rollups(&mut tx, i64::MIN, i64::MAX, None)
            .await?;
        sqlx::query(sql!(self, SEATS_ONLY))
            .bind(i64::from(today_day()))
            .execute(&mut *tx)
            .await?;
        sqlx::query(FORECAST_TARGETS).execute(&mut *tx).await?;
        for q in REPAIR_KEPT {
            sqlx::query(q).execute(&mut *tx).await?;
        }
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM adoption_rollups")
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        tx.commit().await?;
        Ok(n)
    }

    /// Sets the forecast targets a rollup carries (creating the rollup if needed).
    pub(crate) async fn rollup_targets(
        &self,
        tx: &mut Transaction<'_, Any>,
        tenant: &str,
        service: &str,
        target_10: Option<Day>,
        target_40: Option<Day>,
    ) -> Result<()> {
        let tkey = self.tenant_key(tx, tenant).await?;
        let svc = self.service_key(tx, service).await?;
        self.seats_only_rollup(tx, tkey, svc).await?;
        sqlx::query(sql!(self,
            "UPDATE adoption_rollups SET target_10 = $1, target_40 = $2 WHERE tkey = $3 AND svc = $4",
        ))
        .bind(target_10.map(i64::from))
        .bind(target_40.map(i64::from))
        .bind(tkey)
        .bind(svc)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

/// A stored day.
pub(crate) fn day_col(v: i64) -> Result<Day> {
    Day::try_from(v).map_err(|_| StoreError::Internal(format!("stored day {v} is out of range")))
}

/// A stored day as a date.
pub(crate) fn date_col(v: i64) -> Result<time::Date> {
    ftop_domain::adoption::date_of(day_col(v)?)
        .ok_or_else(|| StoreError::Internal(format!("stored day {v} is out of range")))
}

/// A stored optional day as a date.
pub(crate) fn date_opt(v: Option<i64>) -> Result<Option<time::Date>> {
    v.map(date_col).transpose()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
