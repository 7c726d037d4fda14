//! The sums PostgreSQL keeps for the usage reports (migration 23; BENCHMARKS.md, B10):
//! - `usage_latest_totals`: per service, the sums of the rollups with a figure (the latest
//!   figures), and `usage_latest_tenants`: how many tenants have one. The service usage
//!   and credit reports over every tenant read these instead of every rollup.
//! - `usage_tenant_months`: per tenant and month, the sums of its month rows over every
//!   service. The usage trend of some tenants reads these instead of their month rows.
//!
//! Kept in the transaction that writes the rollups and month rows, for the same tenant
//! keys ([`Store::refresh_rollups`], [`Store::refresh_months`]), which PostgreSQL's
//! writers take in turn (their advisory lock): the latest totals move by the difference
//! (the range's rollups subtracted before they are rebuilt, added after), the tenant
//! months are rebuilt from the range's month rows. A recompute rebuilds all of them. The
//! sums are those of the reports' own SQL ([`sum_columns`]). SQLite keeps none: its scan
//! in Rust (`reports/scan.rs`) answers these reports.

use crate::adoption::months::SUM_NAMES;
use crate::reports::usage::sum_columns;
use crate::{Backend, Result, Store};
use sqlx::{Any, Transaction};
use std::sync::LazyLock;

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

/// The tenant months of tenant keys `$1..=$2` rebuilt from their month rows.
fn rebuild_tenant_months() -> String {
    format!(
        "INSERT INTO usage_tenant_months (tkey, month, {})
         SELECT r.tkey, r.month, {} FROM usage_months r WHERE r.tkey >= $1 AND r.tkey <= $2
         GROUP BY r.tkey, r.month",
        SUM_NAMES.join(", "),
        sum_columns().join(", ")
    )
}

impl Store {
    /// Before the rollups of tenant keys `from..=to` (one service when given) are
    /// rebuilt (`before`), takes their sums out of the latest totals; after, puts the new
    /// ones in. PostgreSQL only.
    pub(crate) async fn move_latest_sums(
        &self,
        tx: &mut Transaction<'_, Any>,
        from: i64,
        to: i64,
        svc: Option<i64>,
        before: bool,
    ) -> Result<()> {
        if self.backend() != Backend::Postgres {
            return Ok(());
        }
        static TAKE: LazyLock<[String; 2]> =
            LazyLock::new(|| [move_latest("-"), move_tenants("-")]);
        static PUT: LazyLock<[String; 2]> = LazyLock::new(|| [move_latest(""), move_tenants("+")]);
        let [sums, tenants] = if before { &*TAKE } else { &*PUT };
        sqlx::query(sums)
            .bind(from)
            .bind(to)
            .bind(svc.unwrap_or(-1))
            .execute(&mut **tx)
            .await?;
        sqlx::query(tenants)
            .bind(from)
            .bind(to)
            .execute(&mut **tx)
            .await?;
        if !before {
            sqlx::query("DELETE FROM usage_latest_totals WHERE services = 0")
                .execute(&mut **tx)
                .await?;
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
        static REBUILD: LazyLock<String> = LazyLock::new(rebuild_tenant_months);
        sqlx::query(&REBUILD)
            .bind(from)
            .bind(to)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Empties the kept sums before every rollup and month row is rebuilt (a recompute
    /// also repairs sums a hand edit of the rollups left wrong). PostgreSQL only.
    pub(crate) async fn clear_report_sums(&self, tx: &mut Transaction<'_, Any>) -> Result<()> {
        if self.backend() != Backend::Postgres {
            return Ok(());
        }
        sqlx::raw_sql(
            "DELETE FROM usage_latest_totals; UPDATE usage_latest_tenants SET tenants = 0;
             DELETE FROM usage_tenant_months;",
        )
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}
