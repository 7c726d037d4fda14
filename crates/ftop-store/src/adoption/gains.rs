//! The predicted six-month AU gain kept with the rollups (issue 17): per tenant and service
//! (`adoption_rollups.gain_6m_bp`, the domain's `forecast_gain` over the figures of the
//! rollup's last six months) and per tenant (`adoption_tenants.gain_6m_bp`, the largest
//! gain of its services, in points, so tenants of any size compare and the tenant grid
//! sorts on one stored column). Refreshed for the same tenant keys whenever their usage
//! rollups are: after an import (both writers), a seat change and a recompute (both
//! paths). The statements are shared by the `sqlx` path here and the SQLite bulk paths
//! (`refresh_rollups_blocking`, `totals_blocking`); there, gains that the rows at hand
//! decide are computed from them: the import's rows of services new to it, and every
//! figure in the recompute's scan.

use crate::sql::Sql;
use crate::{Result, Store};
use ftop_domain::adoption::Day;
use ftop_domain::forecast_gain::{WINDOW_DAYS, forecast_gain};
use serde::Serialize;
use sqlx::{Any, Row, Transaction};

/// The figures of the trend window of each rollup with figures among tenant keys
/// `$1..=$2` (one service when `$3` is not negative), with the gain stored now, in key
/// and day order.
static WINDOW: Sql = Sql::built(|| {
    format!(
        "SELECT r.tkey, r.svc, CAST(f.day AS BIGINT), CAST(f.active_users AS BIGINT),
            CAST(f.qualified AS BIGINT), r.gain_6m_bp
         FROM adoption_rollups r JOIN usage_figures f
            ON f.tkey = r.tkey AND f.svc = r.svc AND f.day >= r.as_of - {WINDOW_DAYS}
         WHERE r.tkey >= $1 AND r.tkey <= $2 AND ($3 < 0 OR r.svc = $3) AND r.as_of IS NOT NULL
         ORDER BY r.tkey, r.svc, f.day"
    )
});

/// Gains of rollups that no longer have figures.
const CLEAR: &str = "UPDATE adoption_rollups SET gain_6m_bp = NULL
     WHERE tkey >= $1 AND tkey <= $2 AND ($3 < 0 OR svc = $3) AND as_of IS NULL
       AND gain_6m_bp IS NOT NULL";

const SET: &str = "UPDATE adoption_rollups SET gain_6m_bp = $1 WHERE tkey = $2 AND svc = $3";

/// Gains [`set_many`] writes a statement at most.
const SET_ROWS: usize = 200;

/// Sets the gains of `n` rollups in one statement, from parameters (tenant key, service
/// key, gain) for each: one round trip and one statement (whose triggers fire once on
/// PostgreSQL) instead of `n`. The same text on both engines.
fn set_many(n: usize) -> String {
    let rows: Vec<String> = (0..n)
        .map(|i| {
            let b = 3 * i;
            format!(
                "(CAST(${} AS BIGINT), CAST(${} AS BIGINT), CAST(${} AS BIGINT))",
                b + 1,
                b + 2,
                b + 3
            )
        })
        .collect();
    format!(
        "UPDATE adoption_rollups SET gain_6m_bp = v.g
         FROM (SELECT column1 AS tkey, column2 AS svc, column3 AS g FROM (VALUES {}) AS x) v
         WHERE adoption_rollups.tkey = v.tkey AND adoption_rollups.svc = v.svc",
        rows.join(", ")
    )
}

/// The tenants' totals: the largest gain of their services.
const TOTALS: &str = "UPDATE adoption_tenants SET gain_6m_bp =
        (SELECT MAX(r.gain_6m_bp) FROM adoption_rollups r WHERE r.tkey = adoption_tenants.tkey)
     WHERE tkey >= $1 AND tkey <= $2 AND gain_6m_bp IS DISTINCT FROM
        (SELECT MAX(r.gain_6m_bp) FROM adoption_rollups r WHERE r.tkey = adoption_tenants.tkey)";

/// The smallest and largest tenant keys of the rollups in `$1..=$2`.
const BOUNDS: &str =
    "SELECT MIN(tkey), MAX(tkey) FROM adoption_rollups WHERE tkey >= $1 AND tkey <= $2";

/// Tenant keys a [`WINDOW`] read covers at most (a full recompute's figures are read a
/// slice at a time, not all at once).
const CHUNK_KEYS: i64 = 2_000;

/// `lo..=hi` in slices of [`CHUNK_KEYS`] keys.
fn chunks(lo: i64, hi: i64) -> impl Iterator<Item = (i64, i64)> {
    std::iter::successors(Some(lo), move |&from| {
        from.checked_add(CHUNK_KEYS).filter(|next| *next <= hi)
    })
    .map(move |from| (from, from.saturating_add(CHUNK_KEYS - 1).min(hi)))
}

/// One row of [`WINDOW`].
type WindowRow = (i64, i64, Day, i64, i64, Option<i64>);

/// The gains that differ from the stored ones, from [`WINDOW`]'s rows in order.
fn changed(rows: impl IntoIterator<Item = WindowRow>) -> Vec<(i64, i64, Option<i64>)> {
    let mut out = Vec::new();
    let mut cur: Option<((i64, i64), Option<i64>)> = None;
    let mut figures: Vec<(Day, i64, i64)> = Vec::new();
    let mut settle = |key: (i64, i64), stored: Option<i64>, figures: &mut Vec<(Day, i64, i64)>| {
        let gain = forecast_gain(figures).map(|f| f.gain_bp);
        if gain != stored {
            out.push((key.0, key.1, gain));
        }
        figures.clear();
    };
    for (tkey, svc, day, active, qualified, stored) in rows {
        match cur {
            Some((key, _)) if key == (tkey, svc) => {}
            Some((key, was)) => {
                settle(key, was, &mut figures);
                cur = Some(((tkey, svc), stored));
            }
            None => cur = Some(((tkey, svc), stored)),
        }
        figures.push((day, active, qualified));
    }
    if let Some((key, was)) = cur {
        settle(key, was, &mut figures);
    }
    out
}

/// The predicted gains of one tenant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PredictedGain {
    /// The tenant's total: the largest predicted gain of its services, in basis points.
    pub gain_6m_bp: Option<i64>,
    /// Each service with figures (key, predicted gain in basis points), in key order.
    pub services: Vec<(String, Option<i64>)>,
}

impl Store {
    /// Brings the stored gains of tenant keys `from..=to` (one service when given) and
    /// those tenants' totals up to date with their figures.
    pub(crate) async fn refresh_gains(
        &self,
        tx: &mut Transaction<'_, Any>,
        from: i64,
        to: i64,
        svc: Option<i64>,
    ) -> Result<()> {
        let svc = svc.unwrap_or(-1);
        let bounds = sqlx::query(sql!(self, BOUNDS))
            .bind(from)
            .bind(to)
            .fetch_one(&mut **tx)
            .await?;
        let (lo, hi): (Option<i64>, Option<i64>) = (bounds.try_get(0)?, bounds.try_get(1)?);
        let slices: Vec<(i64, i64)> = match (lo, hi) {
            (Some(lo), Some(hi)) => chunks(lo, hi).collect(),
            _ => Vec::new(),
        };
        for (a, b) in slices {
            let rows = sqlx::query(WINDOW.get(self.backend()))
                .bind(a)
                .bind(b)
                .bind(svc)
                .fetch_all(&mut **tx)
                .await?;
            let rows = rows
                .iter()
                .map(|r| -> Result<WindowRow> {
                    let day: i64 = r.try_get(2)?;
                    Ok((
                        r.try_get(0)?,
                        r.try_get(1)?,
                        crate::adoption::rollups::day_col(day)?,
                        r.try_get(3)?,
                        r.try_get(4)?,
                        r.try_get(5)?,
                    ))
                })
                .collect::<Result<Vec<_>>>()?;
            for part in changed(rows).chunks(SET_ROWS) {
                let text = set_many(part.len());
                let text = self.backend().sql(&text);
                let mut q = sqlx::query(&text);
                for &(tkey, svc, gain) in part {
                    q = q.bind(tkey).bind(svc).bind(gain);
                }
                q.execute(&mut **tx).await?;
            }
        }
        sqlx::query(sql!(self, CLEAR))
            .bind(from)
            .bind(to)
            .bind(svc)
            .execute(&mut **tx)
            .await?;
        sqlx::query(sql!(self, TOTALS))
            .bind(from)
            .bind(to)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// The stored predicted gains of a tenant (none for an unknown tenant).
    pub async fn predicted_gain(&self, tenant_id: &str) -> Result<PredictedGain> {
        let total = sqlx::query(sql!(
            self,
            "SELECT gain_6m_bp FROM adoption_tenants WHERE tenant_id = $1"
        ))
        .bind(tenant_id)
        .fetch_optional(&self.pools.read)
        .await?;
        let Some(total) = total else {
            return Ok(PredictedGain::default());
        };
        let rows = sqlx::query(sql!(
            self,
            "SELECT v.service, r.gain_6m_bp FROM adoption_rollups r
             JOIN adoption_tenants k ON k.tkey = r.tkey JOIN adoption_services v ON v.svc = r.svc
             WHERE k.tenant_id = $1 AND r.as_of IS NOT NULL ORDER BY v.service"
        ))
        .bind(tenant_id)
        .fetch_all(&self.pools.read)
        .await?;
        Ok(PredictedGain {
            gain_6m_bp: total.try_get(0)?,
            services: rows
                .iter()
                .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
                .collect::<Result<_>>()?,
        })
    }
}

/// [`Store::refresh_gains`] on a `rusqlite` connection in an open transaction (the SQLite
/// import's writer, for services that had figures before), for each range of tenant keys,
/// without the tenants' totals ([`totals_blocking`]).
pub(crate) fn refresh_rollups_blocking(
    conn: &rusqlite::Connection,
    ranges: &[(i64, i64)],
) -> Result<()> {
    let sqlite = crate::Backend::Sqlite;
    let mut window = conn.prepare_cached(WINDOW.get(sqlite))?;
    let mut clear = conn.prepare_cached(&sqlite.sql(CLEAR))?;
    let mut bounds = conn.prepare_cached(&sqlite.sql(BOUNDS))?;
    for &(from, to) in ranges {
        let (lo, hi): (Option<i64>, Option<i64>) =
            bounds.query_row((from, to), |r| Ok((r.get(0)?, r.get(1)?)))?;
        if let (Some(lo), Some(hi)) = (lo, hi) {
            for (a, b) in chunks(lo, hi) {
                let rows = window
                    .query_map((a, b, -1i64), |r| {
                        Ok((
                            r.get(0)?,
                            r.get(1)?,
                            r.get(2)?,
                            r.get(3)?,
                            r.get(4)?,
                            r.get(5)?,
                        ))
                    })?
                    .collect::<rusqlite::Result<Vec<WindowRow>>>()?;
                set_blocking(conn, &changed(rows))?;
            }
        }
        clear.execute((from, to, -1i64))?;
    }
    Ok(())
}

/// Clears the gains of rollups without figures among each range of tenant keys.
pub(crate) fn clear_blocking(conn: &rusqlite::Connection, ranges: &[(i64, i64)]) -> Result<()> {
    let mut clear = conn.prepare_cached(&crate::Backend::Sqlite.sql(CLEAR))?;
    for &(from, to) in ranges {
        clear.execute((from, to, -1i64))?;
    }
    Ok(())
}

/// Writes rollups' gains `(tenant key, service key, gain)`.
pub(crate) fn set_blocking(
    conn: &rusqlite::Connection,
    gains: &[(i64, i64, Option<i64>)],
) -> Result<()> {
    let mut set = conn.prepare_cached(&crate::Backend::Sqlite.sql(SET))?;
    for (tkey, svc, gain) in gains {
        set.execute((gain, tkey, svc))?;
    }
    Ok(())
}

/// The tenants' totals (their services' largest gain) of each range of tenant keys.
pub(crate) fn totals_blocking(conn: &rusqlite::Connection, ranges: &[(i64, i64)]) -> Result<()> {
    let mut totals = conn.prepare_cached(&crate::Backend::Sqlite.sql(TOTALS))?;
    for &(from, to) in ranges {
        totals.execute((from, to))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn key_ranges_are_read_in_slices() {
        assert_eq!(chunks(5, 5).collect::<Vec<_>>(), [(5, 5)]);
        assert_eq!(
            chunks(1, 4_500).collect::<Vec<_>>(),
            [(1, 2_000), (2_001, 4_000), (4_001, 4_500)]
        );
        assert_eq!(
            chunks(i64::MAX - 10, i64::MAX).collect::<Vec<_>>(),
            [(i64::MAX - 10, i64::MAX)]
        );
    }

    #[test]
    fn only_gains_that_differ_are_written() {
        let rows = vec![
            // Flat, stored 0: unchanged.
            (1, 1, 100, 10, 100, Some(0)),
            (1, 1, 130, 10, 100, Some(0)),
            (1, 1, 160, 10, 100, Some(0)),
            // Rising, nothing stored yet.
            (1, 2, 100, 10, 100, None),
            (1, 2, 130, 20, 100, None),
            (1, 2, 160, 30, 100, None),
            // No seats: no prediction, one was stored.
            (2, 1, 160, 5, 0, Some(12)),
        ];
        let out = changed(rows);
        assert_eq!(out.len(), 2, "{out:?}");
        assert_eq!((out[0].0, out[0].1), (1, 2));
        assert!(out[0].2.unwrap() > 0);
        assert_eq!(out[1], (2, 1, None));
    }
}
