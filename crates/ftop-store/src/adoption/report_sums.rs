//! The sums kept for the usage reports (BENCHMARKS.md, B10):
//! - `usage_latest_totals`: per service, the sums of the rollups with a figure (the latest
//!   figures), and `usage_latest_tenants`: how many tenants have one (migration 23 on
//!   PostgreSQL, 24 on SQLite). The milestone, conversion, service usage and credit
//!   reports over every tenant read these instead of every rollup.
//! - `usage_tenant_months` (PostgreSQL only): per tenant and month, the sums of its month
//!   rows over every service. The usage trend of some tenants reads these instead of their
//!   month rows; SQLite's scan of the month rows in Rust (`reports/scan.rs`) answers it.
//!
//! Kept in the transaction that writes the rollups and month rows, for the same tenant
//! keys ([`Store::refresh_rollups`], [`Store::refresh_months`]), which PostgreSQL's
//! writers take in turn (their advisory lock): the latest totals move by the difference
//! (the range's rollups subtracted before they are rebuilt, added after), the tenant
//! months are rebuilt from the range's month rows. SQLite's usage import moves the latest
//! totals by the difference it computes in Rust ([`add_latest_blocking`]); a recompute
//! rebuilds all of them. The sums are those of the reports' own SQL ([`sum_columns`]) and
//! of `months::contribution`, their Rust twin.

use crate::adoption::months::SUM_NAMES;
use crate::reports::usage::sum_columns;
use crate::sql::Sql;
use crate::{Backend, Result, Store};
use sqlx::{Any, Transaction};

/// The latest figures of tenant keys `$1..=$2` (one service when `$3` is not negative),
/// as rollups `r`.
const FIGURES_IN_RANGE: &str = "r.tkey >= $1 AND r.tkey <= $2 AND ($3 < 0 OR r.svc = $3)
    AND r.as_of IS NOT NULL AND r.active_users IS NOT NULL";

/// The range's sums by service added to (`sign` empty) or taken from (`-`) the totals.
fn move_latest(sign: &str) -> String {
    let sums: Vec<String> = sum_columns()
        .into_iter()
        .map(|c| format!("{sign}({c})"))
        .collect();
    let add: Vec<String> = SUM_NAMES
        .iter()
        .map(|c| format!("{c} = usage_latest_totals.{c} + excluded.{c}"))
        .collect();
    format!(
        "INSERT INTO usage_latest_totals (svc, {})
         SELECT r.svc, {} FROM adoption_rollups r WHERE {FIGURES_IN_RANGE}
         GROUP BY r.svc ORDER BY r.svc
         ON CONFLICT (svc) DO UPDATE SET {}",
        SUM_NAMES.join(", "),
        sums.join(", "),
        add.join(", ")
    )
}

/// The range's tenants with a latest figure added to or taken from the count.
fn move_tenants(sign: &str) -> String {
    format!(
        "UPDATE usage_latest_tenants SET tenants = tenants {sign} (
            SELECT COUNT(*) FROM adoption_tenants k WHERE k.tkey >= $1 AND k.tkey <= $2
            AND EXISTS (SELECT 1 FROM adoption_rollups r WHERE r.tkey = k.tkey
                AND r.as_of IS NOT NULL AND r.active_users IS NOT NULL))"
    )
}

/// The tenant months of tenant keys `$1..=$2` worked out from their month rows, each
/// column named as in `usage_tenant_months`.
pub(crate) static TENANT_MONTH_SUMS: Sql = Sql::built(|| {
    let sums: Vec<String> = sum_columns()
        .into_iter()
        .zip(SUM_NAMES)
        .map(|(e, name)| format!("{e} AS {name}"))
        .collect();
    format!(
        "SELECT r.tkey, r.month, {} FROM usage_months r WHERE r.tkey >= $1 AND r.tkey <= $2
         GROUP BY r.tkey, r.month",
        sums.join(", ")
    )
});

/// The tenant months of tenant keys `$1..=$2` rebuilt from their month rows.
static TENANT_MONTHS: Sql = Sql::built(|| {
    format!(
        "INSERT INTO usage_tenant_months (tkey, month, {}) {}",
        SUM_NAMES.join(", "),
        TENANT_MONTH_SUMS.get(Backend::Postgres)
    )
});

impl Store {
    /// Before the rollups of tenant keys `from..=to` (one service when given) are
    /// rebuilt (`before`), takes their sums out of the latest totals; after, puts the new
    /// ones in.
    pub(crate) async fn move_latest_sums(
        &self,
        tx: &mut Transaction<'_, Any>,
        from: i64,
        to: i64,
        svc: Option<i64>,
        before: bool,
    ) -> Result<()> {
        let b = self.backend();
        let (sums, tenants) = if before {
            (&TAKE_LATEST, &TAKE_TENANTS)
        } else {
            (&PUT_LATEST, &PUT_TENANTS)
        };
        sqlx::query(sums.get(b))
            .bind(from)
            .bind(to)
            .bind(svc.unwrap_or(-1))
            .execute(&mut **tx)
            .await?;
        sqlx::query(tenants.get(b))
            .bind(from)
            .bind(to)
            .execute(&mut **tx)
            .await?;
        if !before {
            sqlx::query(DROP_EMPTY).execute(&mut **tx).await?;
        }
        Ok(())
    }

    /// Rebuilds the tenant months of tenant keys `from..=to` from their month rows.
    /// PostgreSQL only.
    pub(crate) async fn rebuild_tenant_months(
        &self,
        tx: &mut Transaction<'_, Any>,
        from: i64,
        to: i64,
    ) -> Result<()> {
        if self.backend() != Backend::Postgres {
            return Ok(());
        }
        sqlx::query("DELETE FROM usage_tenant_months WHERE tkey >= $1 AND tkey <= $2")
            .bind(from)
            .bind(to)
            .execute(&mut **tx)
            .await?;
        sqlx::query(TENANT_MONTHS.get(Backend::Postgres))
            .bind(from)
            .bind(to)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Empties the kept sums before every rollup and month row is rebuilt (a recompute
    /// also repairs sums a hand edit of the rollups left wrong).
    pub(crate) async fn clear_report_sums(&self, tx: &mut Transaction<'_, Any>) -> Result<()> {
        sqlx::raw_sql(CLEAR_LATEST).execute(&mut **tx).await?;
        if self.backend() == Backend::Postgres {
            sqlx::query("DELETE FROM usage_tenant_months")
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }
}

/// The latest totals emptied.
pub(crate) const CLEAR_LATEST: &str =
    "DELETE FROM usage_latest_totals; UPDATE usage_latest_tenants SET tenants = 0;";
/// Services no latest figure backs any more.
const DROP_EMPTY: &str = "DELETE FROM usage_latest_totals WHERE services = 0";
static TAKE_LATEST: Sql = Sql::built(|| move_latest("-"));
static PUT_LATEST: Sql = Sql::built(|| move_latest(""));
static TAKE_TENANTS: Sql = Sql::built(|| move_tenants("-"));
static PUT_TENANTS: Sql = Sql::built(|| move_tenants("+"));

/// SQLite's usage import: adds the change of the latest figures' sums by service (`deltas`,
/// in the order of [`SUM_NAMES`]) and of the number of tenants with one to the kept
/// totals, in the import's transaction.
pub(crate) fn add_latest_blocking(
    conn: &rusqlite::Connection,
    deltas: &[(i64, [i64; 8])],
    tenants: i64,
) -> Result<()> {
    let add: Vec<String> = SUM_NAMES
        .iter()
        .map(|c| format!("{c} = usage_latest_totals.{c} + excluded.{c}"))
        .collect();
    let mut st = conn.prepare_cached(&format!(
        "INSERT INTO usage_latest_totals (svc, {}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (svc) DO UPDATE SET {}",
        SUM_NAMES.join(", "),
        add.join(", ")
    ))?;
    for (svc, d) in deltas {
        if d.iter().all(|v| *v == 0) {
            continue;
        }
        st.execute(rusqlite::params![
            svc, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]
        ])?;
    }
    conn.execute(DROP_EMPTY, ())?;
    if tenants != 0 {
        conn.execute(
            "UPDATE usage_latest_tenants SET tenants = tenants + ?1",
            [tenants],
        )?;
    }
    Ok(())
}

/// SQLite's full recompute: the latest totals rebuilt from every rollup, in its
/// transaction.
pub(crate) fn rebuild_latest_blocking(conn: &rusqlite::Connection) -> Result<()> {
    conn.execute_batch(CLEAR_LATEST)?;
    let all = (i64::MIN, i64::MAX);
    conn.execute(PUT_LATEST.get(Backend::Sqlite), (all.0, all.1, -1))?;
    conn.execute(PUT_TENANTS.get(Backend::Sqlite), all)?;
    conn.execute(DROP_EMPTY, ())?;
    Ok(())
}
