//! Sign-in throttling and the record of failed sign-ins, in the database so that every
//! instance behind a load balancer counts the same attempts.

use super::stamp;
use crate::{Result, Store};
use sqlx::Row;
use time::OffsetDateTime;

/// What the sign-in throttle says about an attempt (see [`Store::take_sign_in_slot`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The attempt may check a password; it is counted as a failure until cleared.
    Granted,
    /// Too many recent failures: try again after this many seconds.
    Wait(i64),
}

impl Store {
    /// Takes one sign-in attempt from the throttle of `key` (a name or a client address),
    /// atomically, BEFORE the password is checked: the attempt counts as a failure at once
    /// (cleared by [`Store::clear_sign_in_failures`] when the password is right), so
    /// concurrent attempts, on one instance or many, cannot all pass. The first
    /// `free - 1` failures cost nothing; from the `free`-th on, each failure makes the next
    /// attempt wait 2, 4, 8... seconds, capped at `cap_seconds`. An attempt refused while
    /// waiting changes nothing, so a flood does not lengthen the wait: the owner of a name
    /// under attack gets a turn at least every `cap_seconds`.
    pub async fn take_sign_in_slot(&self, key: &str, free: i64, cap_seconds: i64) -> Result<Slot> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        sqlx::query(sql!(
            self,
            "INSERT INTO sign_in_throttle (key, failures, next_at, updated_at) VALUES ($1, 0, 0, $2)
             ON CONFLICT (key) DO NOTHING"
        ))
        .bind(key)
        .bind(now)
        .execute(&self.pools.write)
        .await?;
        // One statement: the row lock (PostgreSQL) or the single writer (SQLite) makes
        // the check and the count one step. The growing wait: 2^(failures - free + 1)
        // seconds, capped (the shift stays small: failures beyond free + 20 take the cap).
        let r = sqlx::query(sql!(
            self,
            "UPDATE sign_in_throttle SET
                failures = failures + 1,
                updated_at = $2,
                next_at = $2 + CASE
                    WHEN failures + 1 < $3 THEN 0
                    WHEN failures + 1 >= $3 + 20 THEN $4
                    WHEN (CAST(1 AS BIGINT) << CAST(failures + 2 - $3 AS INTEGER)) > $4 THEN $4
                    ELSE (CAST(1 AS BIGINT) << CAST(failures + 2 - $3 AS INTEGER))
                END
             WHERE key = $1 AND next_at <= $2
             RETURNING failures"
        ))
        .bind(key)
        .bind(now)
        .bind(free)
        .bind(cap_seconds)
        .fetch_optional(&self.pools.write)
        .await?;
        if r.is_some() {
            return Ok(Slot::Granted);
        }
        let next: i64 = sqlx::query(sql!(
            self,
            "SELECT next_at FROM sign_in_throttle WHERE key = $1"
        ))
        .bind(key)
        .fetch_optional(&self.pools.write)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?
        .unwrap_or(now);
        Ok(Slot::Wait((next - now).max(1)))
    }

    /// A wrong password for an attempt taken from `key`'s throttle: the wait that taking
    /// it reserved starts now, when the failure is known, rather than when the check
    /// began (a slow check must not use up the wait).
    pub async fn sign_in_failed(&self, key: &str) -> Result<()> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        sqlx::query(sql!(
            self,
            "UPDATE sign_in_throttle SET next_at = $2 + (next_at - updated_at), updated_at = $2
             WHERE key = $1 AND next_at > updated_at"
        ))
        .bind(key)
        .bind(now)
        .execute(&self.pools.write)
        .await?;
        Ok(())
    }

    /// Recent failures counted for `key` (0 when none).
    pub async fn sign_in_failures_of(&self, key: &str) -> Result<i64> {
        Ok(sqlx::query(sql!(
            self,
            "SELECT failures FROM sign_in_throttle WHERE key = $1"
        ))
        .bind(key)
        .fetch_optional(&self.pools.read)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?
        .unwrap_or(0))
    }

    /// A right password: the attempt taken for `key` was no failure; a name's count starts
    /// again (its owner signed in).
    pub async fn clear_sign_in_failures(&self, key: &str, all: bool) -> Result<()> {
        let q = if all {
            sql!(self, "DELETE FROM sign_in_throttle WHERE key = $1")
        } else {
            sql!(
                self,
                "UPDATE sign_in_throttle SET failures = failures - 1 WHERE key = $1 AND failures > 0"
            )
        };
        sqlx::query(q).bind(key).execute(&self.pools.write).await?;
        Ok(())
    }

    /// Records a failed sign-in for `name` from `peer`.
    pub async fn record_sign_in_failure(&self, name: &str, peer: &str) -> Result<()> {
        sqlx::query(sql!(
            self,
            "INSERT INTO sign_in_failures (name, peer, at) VALUES ($1, $2, $3)"
        ))
        .bind(name.trim().to_lowercase())
        .bind(peer)
        .bind(stamp(OffsetDateTime::now_utc()))
        .execute(&self.pools.write)
        .await?;
        Ok(())
    }

    /// Failed sign-ins for `name` or from `peer` in the last `minutes`.
    pub async fn recent_sign_in_failures(
        &self,
        name: &str,
        peer: &str,
        minutes: i64,
    ) -> Result<(i64, i64)> {
        let since = stamp(OffsetDateTime::now_utc() - time::Duration::minutes(minutes));
        let by_name: i64 = sqlx::query(sql!(
            self,
            "SELECT COUNT(*) FROM sign_in_failures WHERE name = $1 AND at > $2"
        ))
        .bind(name.trim().to_lowercase())
        .bind(&since)
        .fetch_one(&self.pools.read)
        .await?
        .try_get(0)?;
        let by_peer: i64 = sqlx::query(sql!(
            self,
            "SELECT COUNT(*) FROM sign_in_failures WHERE peer = $1 AND at > $2"
        ))
        .bind(peer)
        .bind(&since)
        .fetch_one(&self.pools.read)
        .await?
        .try_get(0)?;
        Ok((by_name, by_peer))
    }
}
