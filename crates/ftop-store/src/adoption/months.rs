//! Usage by month (issue 17's trends): `usage_months` holds, per tenant, service and
//! calendar month, the month's last figure (its day, active users and the seats it
//! carries); `usage_month_totals` holds per month and service what the trend reports count
//! (pairs, pairs with seats, active users, seats, active users capped at the seats, pairs
//! at or above 10% and 40%). Both are kept in the transaction that changes figures or
//! seats, for the same tenant keys as the rollups: the touched tenants' month rows are
//! rebuilt from their figures and the totals moved by the difference (their old rows
//! subtracted, the new ones added), so a report reads a few hundred totals and never the
//! figures. The statements are the same on both engines ([`Store::refresh_months`]) but
//! for the rebuild of the rows, which PostgreSQL does with its calendar ([`REBUILD_PG`]). The
//! SQLite bulk paths keep the rows from the figures they pass instead of reading the
//! tenants' figures again: the usage import's writer (`sqlite/usage_writer.rs`, with
//! [`contribution`] and [`add_totals_blocking`]) and the recompute's scan
//! (`sqlite/recompute.rs`, which rebuilds the totals).

use crate::adoption::rollups::reaches_sql;
use crate::reports::memo::MOVE_VERSION;
use crate::sql::Sql;
use crate::{Backend, Result, Store};
use ftop_domain::adoption::{Bucket, Day, Milestone, reaches};
use sqlx::{Any, Transaction};
use time::{Date, Month};

/// The month number of a date: year × 12 + month − 1.
pub fn month_of(d: Date) -> i64 {
    i64::from(d.year()) * 12 + i64::from(u8::from(d.month())) - 1
}

/// The month number of day `d` (days since 1970), as [`month_of`] of its date; the same
/// civil-calendar arithmetic as the SQL of [`figures_with_month`].
pub(crate) fn month_of_day(d: Day) -> i64 {
    let z = i64::from(d) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let mp = (5 * (doe - (365 * yoe + yoe / 4 - yoe / 100)) + 2) / 153;
    let year = yoe + era * 400 + i64::from(mp >= 10);
    let month0 = if mp < 10 { mp + 2 } else { mp - 10 };
    year * 12 + month0
}

/// The columns of the kept sums (`usage_month_totals` after its key, and PostgreSQL's
/// `adoption/report_sums.rs`), in the order of [`contribution`].
pub(crate) const SUM_NAMES: [&str; 8] = [
    "services",
    "with_seats",
    "active_users",
    "seated_active",
    "qualified",
    "capped_active",
    "at_10",
    "at_40",
];

/// What one month row adds to its month's totals, in the order of the columns of
/// `usage_month_totals` after the key: services, with_seats, active_users, seated_active,
/// qualified, capped_active, at_10, at_40 (the Rust twin of [`move_totals`]).
pub(crate) fn contribution(active: i64, qualified: i64) -> [i64; 8] {
    let seated = qualified > 0;
    [
        1,
        i64::from(seated),
        active,
        if seated { active } else { 0 },
        if seated { qualified } else { 0 },
        if seated { active.min(qualified) } else { 0 },
        i64::from(reaches(active, qualified, Milestone::Ten.percent())),
        i64::from(reaches(active, qualified, Milestone::Forty.percent())),
    ]
}

/// Adds the changes `deltas` of the totals, by (month, service), to the stored totals,
/// then drops totals no row backs (`services` 0); moves the reports' version (the month
/// rows written before may have changed with no total moving).
pub(crate) fn add_totals_blocking(
    conn: &rusqlite::Connection,
    deltas: &[((i64, i64), [i64; 8])],
) -> Result<()> {
    let mut st = conn.prepare_cached(&format!(
        "INSERT INTO usage_month_totals (month, svc, services, with_seats, active_users,
            seated_active, qualified, capped_active, at_10, at_40)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) {ADD_ON_CONFLICT}"
    ))?;
    for ((month, svc), d) in deltas {
        if d.iter().all(|v| *v == 0) {
            continue;
        }
        st.execute(rusqlite::params![
            month, svc, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]
        ])?;
    }
    conn.execute(EMPTY, ())?;
    conn.execute(MOVE_VERSION, ())?;
    Ok(())
}

/// The head of a plain insert of month rows (rows of a pair that has none stored yet),
/// followed by the `VALUES` rows.
pub(crate) const MONTH_INSERT_HEAD: &str =
    "INSERT INTO usage_months (tkey, svc, month, day, active_users, qualified) VALUES ";

/// A month row that replaces the stored one.
pub(crate) const MONTH_UPSERT: &str =
    "INSERT INTO usage_months (tkey, svc, month, day, active_users, qualified)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (tkey, svc, month) DO UPDATE SET
        day = excluded.day, active_users = excluded.active_users, qualified = excluded.qualified";

/// Replaces every month total with `totals` (a full recompute: totals kept by
/// differences are rebuilt from the month rows themselves).
pub(crate) fn replace_totals_blocking(
    conn: &rusqlite::Connection,
    totals: &[((i64, i64), [i64; 8])],
) -> Result<()> {
    conn.execute("DELETE FROM usage_month_totals", ())?;
    add_totals_blocking(conn, totals)
}

/// The first day of month number `m`.
pub fn month_start(m: i64) -> Option<Date> {
    let year = i32::try_from(m.div_euclid(12)).ok()?;
    let month = Month::try_from(u8::try_from(m.rem_euclid(12) + 1).ok()?).ok()?;
    Date::from_calendar_date(year, month, 1).ok()
}

/// `YYYY-MM` of month number `m`.
pub fn month_key(m: i64) -> String {
    format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1)
}

/// The figures of tenant keys `$1..=$2` (one service when `$3` is not negative) with the
/// month number of their day: days since 1970 turned into the civil year and month with
/// integer arithmetic only (H. Hinnant's `civil_from_days`, its era rounded down for days
/// before the year 0), as SQLite has no calendar functions over such days; the same month
/// as PostgreSQL's [`pg_month`] (both tested against the domain's).
fn figures_with_month() -> String {
    "SELECT tkey, svc, day,
        (yoe + era * 400 + CASE WHEN mp >= 10 THEN 1 ELSE 0 END) * 12
            + CASE WHEN mp < 10 THEN mp + 3 ELSE mp - 9 END - 1 AS month
     FROM (SELECT tkey, svc, day, era, yoe,
              (5 * (doe - (365 * yoe + yoe / 4 - yoe / 100)) + 2) / 153 AS mp
           FROM (SELECT tkey, svc, day, era, doe,
                    (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365 AS yoe
                 FROM (SELECT tkey, svc, day, era, z - era * 146097 AS doe
                       FROM (SELECT tkey, svc, day, z,
                                (CASE WHEN z >= 0 THEN z ELSE z - 146096 END) / 146097 AS era
                             FROM (SELECT tkey, svc, day, CAST(day AS BIGINT) + 719468 AS z
                                   FROM usage_figures
                                   WHERE tkey >= $1 AND tkey <= $2 AND ($3 < 0 OR svc = $3)) z0) z1)
                       z2) z3) z4"
        .to_string()
}

/// Totals met again are added to (or, negative, taken from) the stored ones.
const ADD_ON_CONFLICT: &str = "ON CONFLICT (month, svc) DO UPDATE SET
    services = usage_month_totals.services + excluded.services,
    with_seats = usage_month_totals.with_seats + excluded.with_seats,
    active_users = usage_month_totals.active_users + excluded.active_users,
    seated_active = usage_month_totals.seated_active + excluded.seated_active,
    qualified = usage_month_totals.qualified + excluded.qualified,
    capped_active = usage_month_totals.capped_active + excluded.capped_active,
    at_10 = usage_month_totals.at_10 + excluded.at_10,
    at_40 = usage_month_totals.at_40 + excluded.at_40";

/// The totals of the month rows of tenant keys `$1..=$2` (one service when `$3` is not
/// negative), added to the stored totals with `sign` (`-` before the rows are rebuilt,
/// empty after).
fn move_totals(sign: &str) -> String {
    let (ten, forty) = (Milestone::Ten.percent(), Milestone::Forty.percent());
    let reaches = |pct: i64| {
        format!(
            "CASE WHEN {} THEN 1 ELSE 0 END",
            reaches_sql("active_users", "qualified", pct)
        )
    };
    format!(
        "INSERT INTO usage_month_totals (month, svc, services, with_seats, active_users,
            seated_active, qualified, capped_active, at_10, at_40)
         SELECT month, svc, {sign}COUNT(*),
            {sign}SUM(CASE WHEN qualified > 0 THEN 1 ELSE 0 END),
            {sign}SUM(CAST(active_users AS BIGINT)),
            {sign}SUM(CASE WHEN qualified > 0 THEN CAST(active_users AS BIGINT) ELSE 0 END),
            {sign}SUM(CASE WHEN qualified > 0 THEN CAST(qualified AS BIGINT) ELSE 0 END),
            {sign}SUM(CASE WHEN qualified <= 0 THEN 0 WHEN active_users < qualified
                THEN CAST(active_users AS BIGINT) ELSE CAST(qualified AS BIGINT) END),
            {sign}SUM({r10}), {sign}SUM({r40})
         FROM usage_months WHERE tkey >= $1 AND tkey <= $2 AND ($3 < 0 OR svc = $3)
         GROUP BY month, svc {ADD_ON_CONFLICT}",
        r10 = reaches(ten),
        r40 = reaches(forty),
    )
}

static SUBTRACT: Sql = Sql::built(|| move_totals("-"));
pub(crate) static ADD: Sql = Sql::built(|| move_totals(""));

static DELETE: Sql =
    Sql::new("DELETE FROM usage_months WHERE tkey >= $1 AND tkey <= $2 AND ($3 < 0 OR svc = $3)");

/// The month rows of the range rebuilt from its figures: each month's last figure.
static REBUILD: Sql = Sql::built(|| {
    format!(
        "INSERT INTO usage_months (tkey, svc, month, day, active_users, qualified)
         SELECT f.tkey, f.svc, g.month, f.day, f.active_users, f.qualified
         FROM (SELECT tkey, svc, month, MAX(day) AS day FROM ({}) m GROUP BY tkey, svc, month) g
         JOIN usage_figures f ON f.tkey = g.tkey AND f.svc = g.svc AND f.day = g.day
         WHERE f.tkey >= $1 AND f.tkey <= $2",
        figures_with_month()
    )
});

/// Days [`pg_month`] moves its dates on: ten 400-year cycles of the Gregorian calendar
/// (146,097 days each), which keep every date's month and day, so a date of the year 0 or
/// before (as `parse_day` reads it) is a date of the common era for PostgreSQL, whose
/// calendar has no year 0.
const PG_SHIFT_CYCLES: i64 = 10;

/// PostgreSQL's month number of the day in column `day`, by its own calendar functions
/// (`date_part`, whose floating-point result holds a year or month exactly, is a third
/// faster than `EXTRACT`'s numeric one).
/// The same month as [`figures_with_month`]'s arithmetic, which PostgreSQL evaluates
/// far more slowly: it inlines the nested subqueries, repeating each step's expression
/// in the next (about 4 µs a row, 2 s per 480,000 figures).
fn pg_month(day: &str) -> String {
    let days = PG_SHIFT_CYCLES * 146_097;
    let months = PG_SHIFT_CYCLES * 400 * 12;
    format!(
        "(CAST(date_part('year', DATE '1970-01-01' + ({day} + {days})) AS BIGINT) * 12
          + CAST(date_part('month', DATE '1970-01-01' + ({day} + {days})) AS BIGINT) - {})",
        months + 1
    )
}

/// The month rows of the range on PostgreSQL: one ordered pass over the range's figures
/// keeps the last of each month (the join back to the figures of [`REBUILD`] cost more
/// than the rest).
pub(crate) static MONTH_ROWS_PG: Sql = Sql::built(|| {
    format!(
        "SELECT DISTINCT ON (tkey, svc, month) tkey, svc, month, day, active_users, qualified
         FROM (SELECT tkey, svc, day, active_users, qualified, {} AS month
               FROM usage_figures
               WHERE tkey >= $1 AND tkey <= $2 AND ($3 < 0 OR svc = $3)) m
         ORDER BY tkey, svc, month, day DESC",
        pg_month("day")
    )
});

/// [`REBUILD`] on PostgreSQL.
static REBUILD_PG: Sql = Sql::built(|| {
    format!(
        "INSERT INTO usage_months (tkey, svc, month, day, active_users, qualified) {}",
        MONTH_ROWS_PG.get(Backend::Postgres)
    )
});

/// Totals no pair backs any more.
const EMPTY: &str = "DELETE FROM usage_month_totals WHERE services = 0";

/// The statements of one refresh, in order.
fn steps(backend: Backend) -> [&'static Sql; 4] {
    let rebuild = match backend {
        Backend::Postgres => &REBUILD_PG,
        Backend::Sqlite => &REBUILD,
    };
    [&SUBTRACT, &DELETE, rebuild, &ADD]
}

/// The SQL bucket of a month row or rollup with columns `a` (active users) and `q`
/// (seats): NULL without seats.
pub(crate) fn bucket_sql(a: &str, q: &str) -> String {
    let reaches = |pct: i64| reaches_sql(a, q, pct);
    format!(
        "CASE WHEN {q} <= 0 THEN NULL WHEN {} THEN '{}' WHEN {} THEN '{}' ELSE '{}' END",
        reaches(Milestone::Forty.percent()),
        Bucket::From40.key(),
        reaches(Milestone::Ten.percent()),
        Bucket::From10To40.key(),
        Bucket::Below10.key(),
    )
}

impl Store {
    /// Rebuilds the month rows of tenant keys `from..=to` (one service when given) from
    /// their figures and moves the totals by the difference, in `tx`.
    pub(crate) async fn refresh_months(
        &self,
        tx: &mut Transaction<'_, Any>,
        from: i64,
        to: i64,
        svc: Option<i64>,
    ) -> Result<()> {
        let svc = svc.unwrap_or(-1);
        for s in steps(self.backend()) {
            sqlx::query(s.get(self.backend()))
                .bind(from)
                .bind(to)
                .bind(svc)
                .execute(&mut **tx)
                .await?;
        }
        sqlx::query(EMPTY).execute(&mut **tx).await?;
        self.rebuild_tenant_months(tx, from, to).await?;
        self.month_rows_changed(tx).await
    }

    /// Empties the month rows and totals before a full rebuild (a recompute repairs
    /// totals that no longer match their rows).
    pub(crate) async fn clear_months(&self, tx: &mut Transaction<'_, Any>) -> Result<()> {
        sqlx::query("DELETE FROM usage_months")
            .execute(&mut **tx)
            .await?;
        sqlx::query("DELETE FROM usage_month_totals")
            .execute(&mut **tx)
            .await?;
        self.month_rows_changed(tx).await
    }

    /// Moves the reports' version after a change to the month rows, which have no trigger
    /// on SQLite (migration 20; PostgreSQL's statement trigger marks the transaction).
    async fn month_rows_changed(&self, tx: &mut Transaction<'_, Any>) -> Result<()> {
        if self.backend() == crate::Backend::Sqlite {
            sqlx::query(MOVE_VERSION).execute(&mut **tx).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::date;

    #[test]
    fn the_month_of_a_day_is_the_month_of_its_date() {
        for d in (-800_000..800_000).step_by(7).chain(-1000..1000) {
            let date = ftop_domain::adoption::date_of(d).unwrap();
            assert_eq!(month_of_day(d), month_of(date), "{date}");
        }
    }

    #[test]
    fn month_numbers_round_trip() {
        assert_eq!(month_of(date!(2026 - 01 - 31)), 2026 * 12);
        assert_eq!(month_of(date!(2026 - 12 - 01)), 2026 * 12 + 11);
        assert_eq!(month_key(2026 * 12 + 11), "2026-12");
        assert_eq!(month_start(2026 * 12 + 1), Some(date!(2026 - 02 - 01)));
    }

    #[test]
    fn the_sql_month_matches_the_calendar() {
        // The SQL run by SQLite over days from the year -2220 to 4160 (before the year 0
        // too), against the month of each day's date.
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE usage_figures (tkey INTEGER, svc INTEGER, day INTEGER,
                active_users INTEGER, qualified INTEGER)",
        )
        .unwrap();
        let days: Vec<i32> = (-1_530_000..800_000)
            .step_by(97)
            .chain(-720_000..-718_000)
            .collect();
        let mut ins = conn
            .prepare("INSERT INTO usage_figures VALUES (1, 1, ?1, 0, 0)")
            .unwrap();
        for d in &days {
            ins.execute([d]).unwrap();
        }
        let q = crate::Backend::Sqlite
            .sql(&figures_with_month())
            .into_owned();
        let mut st = conn.prepare(&q).unwrap();
        let got: Vec<(i32, i64)> = st
            .query_map((i64::MIN, i64::MAX, -1i64), |r| Ok((r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(got.len(), days.len());
        for (day, month) in got {
            let date = ftop_domain::adoption::date_of(day).unwrap();
            assert_eq!(month, month_of(date), "{date}");
            assert_eq!(month, month_of_day(day), "{date}");
        }
    }

    #[tokio::test]
    async fn postgresql_months_match_the_calendar() {
        // PostgreSQL's own month of the same days as above, by the expression its month
        // rows are rebuilt with.
        let Some(url) = crate::db::tests::postgres_url() else {
            return;
        };
        let pools = crate::db::connect(&url).await.unwrap();
        let q = format!(
            "SELECT CAST(d AS BIGINT), {} FROM (SELECT CAST(g AS INTEGER) AS d
                FROM generate_series(-1530000, 2932896, 97) g
                UNION ALL SELECT CAST(g AS INTEGER) FROM generate_series(-720000, -718000) g
                UNION ALL SELECT CAST(g AS INTEGER) FROM generate_series(2931000, 2932896) g) x",
            pg_month("d")
        );
        let rows: Vec<(i64, i64)> = sqlx::query_as(&q).fetch_all(&pools.read).await.unwrap();
        assert!(rows.len() > 40_000, "{}", rows.len());
        for (day, month) in rows {
            let day = Day::try_from(day).unwrap();
            let date = ftop_domain::adoption::date_of(day).unwrap();
            assert_eq!(month, month_of(date), "{date}");
        }
    }
}
