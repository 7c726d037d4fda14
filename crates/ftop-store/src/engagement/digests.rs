//! E-mail digests (issue 17): each user's address, language, time zone and how often the
//! digest comes; the per-database secret that signs unsubscribe links; and the claims that
//! make a digest go out at most once per user and period however many instances run.
//!
//! A sender claims `(user, period)` before sending: a new row, or a failed one whose next
//! attempt is due, turned to `sending` in one transaction (the primary key and the guarded
//! update decide between instances). It then records `sent`, or `failed` with the error
//! and when to try again, or `abandoned` after the last attempt.

use crate::engagement::users::{User, user_of};
use crate::{Actor, Result, Store};
use ftop_domain::{Errors, FieldError};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;
use time::OffsetDateTime;

/// How often a user's digest comes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DigestFrequency {
    /// Mondays at 08:00 in the user's time zone (the default).
    Weekly,
    /// Every day at 08:00 in the user's time zone.
    Daily,
    /// Never (unsubscribed).
    None,
}

impl DigestFrequency {
    /// Every choice, as the account page offers them.
    pub const ALL: [DigestFrequency; 3] = [
        DigestFrequency::Weekly,
        DigestFrequency::Daily,
        DigestFrequency::None,
    ];

    /// The stored key.
    pub fn key(self) -> &'static str {
        match self {
            DigestFrequency::Weekly => "weekly",
            DigestFrequency::Daily => "daily",
            DigestFrequency::None => "none",
        }
    }

    /// The frequency of a key.
    pub fn parse(s: &str) -> Option<DigestFrequency> {
        Self::ALL.into_iter().find(|f| f.key() == s.trim())
    }
}

/// A user's digest settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DigestSettings {
    /// Where digests go (none: no digest).
    pub email: Option<String>,
    /// The language code the digest is written in (`en`, `es`, `zh`).
    pub language: String,
    /// The IANA time zone the schedule follows (`Europe/Madrid`).
    pub time_zone: String,
    /// How often.
    pub digest: DigestFrequency,
}

impl Default for DigestSettings {
    fn default() -> Self {
        DigestSettings {
            email: None,
            language: "en".into(),
            time_zone: "UTC".into(),
            digest: DigestFrequency::Weekly,
        }
    }
}

/// One claim's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DigestSend {
    /// The user.
    pub user_id: i64,
    /// The period (`weekly:2026-12-07`, `daily:2026-12-08`).
    pub period: String,
    /// `sending`, `sent`, `failed` (to be tried again) or `abandoned`.
    pub state: String,
    /// Attempts so far.
    pub attempts: i64,
    /// The last error, if any.
    pub last_error: Option<String>,
}

/// A moment as stored here: UTC, whole seconds, fixed width (compared as text).
pub(crate) fn stamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.format(&fmt).unwrap_or_default()
}

/// How long a `sending` claim may stand before another sender takes it over (the
/// instance that claimed it stopped mid-send).
const STALE_CLAIM: time::Duration = time::Duration::hours(1);

impl Store {
    /// A user's digest settings.
    pub async fn digest_settings(&self, user_id: i64) -> Result<DigestSettings> {
        let r = sqlx::query(sql!(
            self,
            "SELECT email, language, time_zone, digest FROM users WHERE id = $1"
        ))
        .bind(user_id)
        .fetch_optional(&self.pools.read)
        .await?;
        let Some(r) = r else {
            return Err(crate::StoreError::NotFound(format!("user {user_id}")));
        };
        Ok(DigestSettings {
            email: r.try_get(0)?,
            language: r.try_get(1)?,
            time_zone: r.try_get(2)?,
            digest: DigestFrequency::parse(&r.try_get::<String, _>(3)?)
                .unwrap_or(DigestFrequency::Weekly),
        })
    }

    /// Saves a user's digest settings (the time zone is checked by the caller, which knows
    /// the time zone database). An empty address is none.
    pub async fn set_digest_settings(
        &self,
        actor: &Actor,
        user_id: i64,
        s: &DigestSettings,
    ) -> Result<()> {
        let email = s.email.as_deref().map(str::trim).filter(|e| !e.is_empty());
        let mut e = Errors::default();
        if let Some(addr) = email {
            let ok = addr.len() <= 254
                && !addr.chars().any(|c| c.is_whitespace() || c.is_control())
                && addr
                    .split_once('@')
                    .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.contains('@'));
            if !ok {
                e.push(FieldError::of("email", "invalid-email").quoting("value", addr));
            }
        }
        if ftop_domain::text::Lang::parse(&s.language).is_none() {
            e.push(
                FieldError::of("lang", "invalid-language")
                    .quoting("value", &s.language)
                    .with("choices", "en, es, zh"),
            );
        }
        e.finish()?;
        let mut tx = self.pools.write.begin().await?;
        sqlx::query(sql!(
            self,
            "UPDATE users SET email = $2, language = $3, time_zone = $4, digest = $5 WHERE id = $1"
        ))
        .bind(user_id)
        .bind(email.map(str::to_string))
        .bind(s.language.trim())
        .bind(s.time_zone.trim())
        .bind(s.digest.key())
        .execute(&mut *tx)
        .await?;
        let after = json!({"email": email, "language": s.language.trim(),
            "time_zone": s.time_zone.trim(), "digest": s.digest.key()});
        self.audit_user(&mut tx, actor, user_id, "digest-settings", Some(after))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stops a user's digests (an unsubscribe link). False when the user does not exist.
    pub async fn unsubscribe_digest(&self, user_id: i64) -> Result<bool> {
        let mut tx = self.pools.write.begin().await?;
        let n = sqlx::query(sql!(self, "UPDATE users SET digest = 'none' WHERE id = $1"))
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Ok(false);
        }
        let actor = Actor {
            name: "unsubscribe-link".into(),
            user_id: None,
        };
        self.audit_user(
            &mut tx,
            &actor,
            user_id,
            "digest-settings",
            Some(json!({"digest": "none"})),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The enabled users who get digests (an address, and weekly or daily), with their
    /// settings.
    pub async fn digest_recipients(&self) -> Result<Vec<(User, DigestSettings)>> {
        let rows = sqlx::query(sql!(
            self,
            "SELECT u.id, u.name, u.role, u.partner_id, p.name AS partner, u.partner_admin,
                u.email, u.language, u.time_zone, u.digest
             FROM users u LEFT JOIN partners p ON p.id = u.partner_id
             WHERE u.disabled = 0 AND u.email IS NOT NULL AND u.email <> ''
               AND u.digest IN ('weekly', 'daily')
             ORDER BY u.id"
        ))
        .fetch_all(&self.pools.read)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let settings = DigestSettings {
                email: r.try_get("email")?,
                language: r.try_get("language")?,
                time_zone: r.try_get("time_zone")?,
                digest: DigestFrequency::parse(&r.try_get::<String, _>("digest")?)
                    .unwrap_or(DigestFrequency::Weekly),
            };
            out.push((user_of(&r)?, settings));
        }
        Ok(out)
    }

    /// The database's secret for `purpose` (32 random bytes, hex), made on first use; every
    /// instance on the database reads the same one.
    pub async fn server_secret(&self, purpose: &str) -> Result<String> {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let fresh: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        sqlx::query(sql!(
            self,
            "INSERT INTO server_secrets (purpose, secret) VALUES ($1, $2) ON CONFLICT (purpose) DO NOTHING"
        ))
        .bind(purpose)
        .bind(&fresh)
        .execute(&self.pools.write)
        .await?;
        let r = sqlx::query(sql!(
            self,
            "SELECT secret FROM server_secrets WHERE purpose = $1"
        ))
        .bind(purpose)
        .fetch_one(&self.pools.write)
        .await?;
        Ok(r.try_get(0)?)
    }

    /// Claims the digest of `user_id` for `period` at `now`: Some(attempt number) when this
    /// caller is to send it (a first attempt, a failed one due again, or a claim left
    /// standing for an hour), None when it was sent, is being sent elsewhere, waits for
    /// its next attempt or was given up.
    pub async fn claim_digest(
        &self,
        user_id: i64,
        period: &str,
        now: OffsetDateTime,
    ) -> Result<Option<i64>> {
        let at = stamp(now);
        let mut tx = self.pools.write.begin().await?;
        let n = sqlx::query(sql!(
            self,
            "INSERT INTO digest_sends (user_id, period, state, attempts, claimed_at)
             VALUES ($1, $2, 'sending', 1, $3) ON CONFLICT (user_id, period) DO NOTHING"
        ))
        .bind(user_id)
        .bind(period)
        .bind(&at)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 1 {
            tx.commit().await?;
            return Ok(Some(1));
        }
        let n = sqlx::query(sql!(
            self,
            "UPDATE digest_sends SET state = 'sending', attempts = attempts + 1, claimed_at = $3
             WHERE user_id = $1 AND period = $2
               AND ((state = 'failed' AND next_attempt <= $3)
                 OR (state = 'sending' AND claimed_at < $4))"
        ))
        .bind(user_id)
        .bind(period)
        .bind(&at)
        .bind(stamp(now - STALE_CLAIM))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            tx.commit().await?;
            return Ok(None);
        }
        let r = sqlx::query(sql!(
            self,
            "SELECT attempts FROM digest_sends WHERE user_id = $1 AND period = $2"
        ))
        .bind(user_id)
        .bind(period)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(r.try_get(0)?))
    }

    /// Records a claimed digest as sent.
    pub async fn digest_sent(&self, user_id: i64, period: &str, now: OffsetDateTime) -> Result<()> {
        sqlx::query(sql!(
            self,
            "UPDATE digest_sends SET state = 'sent', sent_at = $3, next_attempt = NULL
             WHERE user_id = $1 AND period = $2"
        ))
        .bind(user_id)
        .bind(period)
        .bind(stamp(now))
        .execute(&self.pools.write)
        .await?;
        Ok(())
    }

    /// Records a claimed digest's failed attempt: tried again at `retry_at`, or given up
    /// (`abandoned`) when None.
    pub async fn digest_failed(
        &self,
        user_id: i64,
        period: &str,
        error: &str,
        retry_at: Option<OffsetDateTime>,
    ) -> Result<()> {
        let (state, next) = match retry_at {
            Some(t) => ("failed", Some(stamp(t))),
            None => ("abandoned", None),
        };
        sqlx::query(sql!(
            self,
            "UPDATE digest_sends SET state = $3, next_attempt = $4, last_error = $5
             WHERE user_id = $1 AND period = $2"
        ))
        .bind(user_id)
        .bind(period)
        .bind(state)
        .bind(next)
        .bind(error.chars().take(1000).collect::<String>())
        .execute(&self.pools.write)
        .await?;
        Ok(())
    }

    /// Every claim's record, by user and period (operations and tests).
    pub async fn digest_sends(&self) -> Result<Vec<DigestSend>> {
        let rows = sqlx::query(sql!(
            self,
            "SELECT user_id, period, state, attempts, last_error FROM digest_sends
             ORDER BY user_id, period"
        ))
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DigestSend {
                    user_id: r.try_get(0)?,
                    period: r.try_get(1)?,
                    state: r.try_get(2)?,
                    attempts: r.try_get(3)?,
                    last_error: r.try_get(4)?,
                })
            })
            .collect()
    }
}
