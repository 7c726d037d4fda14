//! Sign-in sessions and sign-in throttling, in the database so that every instance behind
//! a load balancer sees them. The cookie carries a random token; only its digest is stored.

use crate::engagement::users::{User, user_of};
use crate::sqlite::local::Cols;
use crate::{Result, Store};
use rand::RngCore;
use sqlx::Row;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// How long a session lasts without a new sign-in.
pub const SESSION_HOURS: i64 = 12;

/// A signed-in session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The user.
    pub user: User,
    /// The token every state-changing form and request must carry.
    pub csrf: String,
}

fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn digest(token: &str) -> String {
    crate::engagement::users::token_digest(token)
}

fn session_of(r: &impl Cols) -> Result<Session> {
    Ok(Session {
        user: user_of(r)?,
        csrf: r.text("csrf")?,
    })
}

fn stamp(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

impl Store {
    /// Starts a session for a user who just signed in; returns the cookie token (always a
    /// new one) and the session.
    pub async fn create_session(&self, user: &User) -> Result<(String, Session)> {
        let token = random_token();
        let csrf = random_token();
        let now = OffsetDateTime::now_utc();
        sqlx::query(sql!(self,
            "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        ))
        .bind(digest(&token))
        .bind(user.id)
        .bind(&csrf)
        .bind(stamp(now))
        .bind(stamp(now + time::Duration::hours(SESSION_HOURS)))
        .execute(&self.pools.write)
        .await?;
        Ok((
            token,
            Session {
                user: user.clone(),
                csrf,
            },
        ))
    }

    /// The live session a cookie token names.
    pub async fn session(&self, token: &str) -> Result<Option<Session>> {
        // One round trip: the session, its user and the user's partner organisation.
        let q = sql!(
            self,
            "SELECT u.id, u.name, u.role, u.partner_id, p.name AS partner, s.csrf
             FROM sessions s JOIN users u ON u.id = s.user_id
             LEFT JOIN partners p ON p.id = u.partner_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0",
        );
        let (hash, now) = (digest(token), stamp(OffsetDateTime::now_utc()));
        if let Some(local) = self.local() {
            return local.with(|c| {
                let mut st = c.prepare_cached(q)?;
                let mut rows = st.query(rusqlite::params![hash, now])?;
                let Some(r) = rows.next()? else {
                    return Ok(None);
                };
                session_of(r).map(Some)
            });
        }
        let r = sqlx::query(q)
            .bind(hash)
            .bind(now)
            .fetch_optional(&self.pools.read)
            .await?;
        let Some(r) = r else { return Ok(None) };
        session_of(&r).map(Some)
    }

    /// Ends a session (sign-out).
    pub async fn end_session(&self, token: &str) -> Result<()> {
        sqlx::query(sql!(self, "DELETE FROM sessions WHERE token_hash = $1"))
            .bind(digest(token))
            .execute(&self.pools.write)
            .await?;
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
