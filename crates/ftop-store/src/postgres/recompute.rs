//! PostgreSQL's `ftop usage recompute`: every row derived from the usage figures, seats
//! and forecasts worked out again and written only where it differs (BENCHMARKS.md, B5).
//!
//! The generic recompute empties the rollups and month rows and writes all of them again:
//! millions of rows deleted and inserted, every index and trigger with them, when a
//! recompute usually finds almost nothing wrong. Here each derived table's rows are worked
//! out over every tenant by the statements that keep them after an import ([`REFRESH`],
//! [`SEATS_ONLY`] and [`FORECAST_TARGETS`] into a scratch copy of the rollups;
//! [`MONTH_ROWS_PG`] and [`TENANT_MONTH_SUMS`] as they are), set beside the stored rows in
//! one full join, and only the differences are written: rows missing are added, rows
//! nothing backs are deleted, rows that differ are updated. Like SQLite's recompute
//! (`sqlite/recompute.rs`), what is right is left alone and what is wrong (a hand edit, a
//! lost write) is repaired. The small totals are rebuilt outright.

use crate::adoption::months::{ADD, MONTH_ROWS_PG, SUM_NAMES};
use crate::adoption::report_sums::{CLEAR_LATEST, TENANT_MONTH_SUMS};
use crate::adoption::rollups::{FORECAST_TARGETS, REFRESH, REPAIR_KEPT, SEATS_ONLY, today_day};
use crate::{Backend, Result, Store};
use sqlx::{Any, Row, Transaction};

/// A table kept from the figures: its name, its key and the columns a recompute sets.
struct Derived {
    table: &'static str,
    keys: &'static [&'static str],
    values: &'static [&'static str],
}

const ROLLUPS: Derived = Derived {
    table: "adoption_rollups",
    keys: &["tkey", "svc"],
    // The predicted gain is not compared here: `refresh_gains` sets it from the figures
    // afterwards, writing only the gains that differ.
    values: &[
        "as_of",
        "active_users",
        "qualified",
        "au_bp",
        "bucket",
        "milestone_10",
        "milestone_40",
        "target_10",
        "target_40",
    ],
};

const MONTHS: Derived = Derived {
    table: "usage_months",
    keys: &["tkey", "svc", "month"],
    values: &["day", "active_users", "qualified"],
};

const TENANT_MONTH_ROWS: Derived = Derived {
    table: "usage_tenant_months",
    keys: &["tkey", "month"],
    values: &SUM_NAMES,
};

/// Every tenant key, every service.
const ALL: [i64; 3] = [i64::MIN, i64::MAX, -1];

impl Store {
    /// Recomputes every adoption rollup, month row and kept sum in `tx` (which holds the
    /// rollup writers' turn); returns the number of rollup rows.
    pub(crate) async fn recompute_postgres(&self, tx: &mut Transaction<'_, Any>) -> Result<i64> {
        // A forecast saved meanwhile (its targets go onto the rollups without the turn)
        // waits for the recompute, which reads the forecasts once and writes the targets
        // much later: the generic recompute's deletion of every rollup made it wait too.
        // Taken before any key is added, which a forecast's save may also add.
        sqlx::query("LOCK TABLE forecasts IN SHARE MODE")
            .execute(&mut **tx)
            .await?;
        self.ensure_keys(tx).await?;
        sqlx::query(super::SORT_MEMORY).execute(&mut **tx).await?;
        let pg = Backend::Postgres;
        let today = [i64::from(today_day())];
        let want = "ftop_want_rollups";
        sqlx::raw_sql(&format!(
            "CREATE TEMPORARY TABLE {want} (LIKE adoption_rollups INCLUDING DEFAULTS)
                ON COMMIT DROP;
             ALTER TABLE {want} ADD PRIMARY KEY (tkey, svc);"
        ))
        .execute(&mut **tx)
        .await?;
        let fill: [(&str, &[i64]); 3] = [
            (REFRESH.get(pg), &ALL),
            (SEATS_ONLY, &today),
            (FORECAST_TARGETS, &[]),
        ];
        for (statement, binds) in fill {
            let text = statement.replace(ROLLUPS.table, want);
            let mut q = sqlx::query(&text);
            for v in binds {
                q = q.bind(*v);
            }
            q.execute(&mut **tx).await?;
        }
        sync(tx, &ROLLUPS, want, &[]).await?;
        sqlx::raw_sql(&format!("DROP TABLE {want}"))
            .execute(&mut **tx)
            .await?;
        self.refresh_gains(tx, ALL[0], ALL[1], None).await?;
        sqlx::raw_sql(CLEAR_LATEST).execute(&mut **tx).await?;
        self.move_latest_sums(tx, ALL[0], ALL[1], None, false)
            .await?;
        let months = format!("({})", MONTH_ROWS_PG.get(pg));
        sync(tx, &MONTHS, &months, &ALL).await?;
        sqlx::query("DELETE FROM usage_month_totals")
            .execute(&mut **tx)
            .await?;
        let mut add = sqlx::query(ADD.get(pg));
        for v in ALL {
            add = add.bind(v);
        }
        add.execute(&mut **tx).await?;
        let sums = format!("({})", TENANT_MONTH_SUMS.get(pg));
        sync(tx, &TENANT_MONTH_ROWS, &sums, &ALL[..2]).await?;
        for q in REPAIR_KEPT {
            sqlx::query(q).execute(&mut **tx).await?;
        }
        Ok(sqlx::query("SELECT COUNT(*) FROM adoption_rollups")
            .fetch_one(&mut **tx)
            .await?
            .try_get(0)?)
    }
}

/// Makes `d.table` hold exactly the rows of `want` (a table, or a query in parentheses
/// with parameters `binds`), writing only the differences: the two are fully joined on the
/// key once, the rows to add, delete or update kept in a scratch table, then applied.
async fn sync(tx: &mut Transaction<'_, Any>, d: &Derived, want: &str, binds: &[i64]) -> Result<()> {
    let table = d.table;
    let diff = format!("ftop_diff_{table}");
    let (keys, values) = (d.keys.join(", "), d.values.join(", "));
    let k0 = d.keys[0];
    let on = |a: &str, b: &str| {
        d.keys
            .iter()
            .map(|k| format!("{a}.{k} = {b}.{k}"))
            .collect::<Vec<_>>()
            .join(" AND ")
    };
    let list = |f: &dyn Fn(&str) -> String, cols: &[&str]| {
        cols.iter().map(|c| f(c)).collect::<Vec<_>>().join(", ")
    };
    sqlx::raw_sql(&format!(
        "CREATE TEMPORARY TABLE {diff} (LIKE {table} INCLUDING DEFAULTS,
            gone BOOLEAN NOT NULL, added BOOLEAN NOT NULL) ON COMMIT DROP"
    ))
    .execute(&mut **tx)
    .await?;
    // A row to delete keeps its stored values (some columns are NOT NULL); the others
    // carry the values wanted.
    let find = format!(
        "INSERT INTO {diff} ({keys}, {values}, gone, added)
         SELECT {key_cols}, {value_cols}, w.{k0} IS NULL, t.{k0} IS NULL
         FROM {want} w FULL JOIN {table} t ON {on_wt}
         WHERE w.{k0} IS NULL OR t.{k0} IS NULL OR ({tv}) IS DISTINCT FROM ({wv})",
        key_cols = list(&|k| format!("COALESCE(w.{k}, t.{k})"), d.keys),
        value_cols = list(
            &|c| format!("CASE WHEN w.{k0} IS NULL THEN t.{c} ELSE w.{c} END"),
            d.values
        ),
        on_wt = on("w", "t"),
        tv = list(&|c| format!("t.{c}"), d.values),
        wv = list(&|c| format!("w.{c}"), d.values),
    );
    let mut found = sqlx::query(&find);
    for v in binds {
        found = found.bind(*v);
    }
    let differ = found.execute(&mut **tx).await?.rows_affected();
    if differ > 0 {
        tracing::info!(table, rows = differ, "recompute: rows that differ written");
        sqlx::raw_sql(&format!(
            "DELETE FROM {table} t USING {diff} x WHERE x.gone AND {on_xt};
             UPDATE {table} t SET {set} FROM {diff} x
                WHERE NOT x.gone AND NOT x.added AND {on_xt};
             INSERT INTO {table} ({keys}, {values}) SELECT {keys}, {values} FROM {diff}
                WHERE added;",
            on_xt = on("x", "t"),
            set = list(&|c| format!("{c} = x.{c}"), d.values),
        ))
        .execute(&mut **tx)
        .await?;
    }
    sqlx::raw_sql(&format!("DROP TABLE {diff}"))
        .execute(&mut **tx)
        .await?;
    Ok(())
}
