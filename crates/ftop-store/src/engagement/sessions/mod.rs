//! Sign-in sessions, in the database so that every instance behind a load balancer sees
//! them. The cookie carries a random token; only its digest is stored. Sign-in throttling
//! and failed sign-ins are in `throttle.rs`.

use crate::engagement::users::{User, user_of};
use crate::sqlite::local::Cols;
use crate::{Result, Store};
use rand::RngCore;
use sqlx::Row;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

mod throttle;

pub use throttle::Slot;

/// Absolute timeout: how long a session lasts without a new sign-in, however busy.
pub const SESSION_HOURS: i64 = 12;
/// Idle timeout: a session unused this long ends.
pub const SESSION_IDLE_MINUTES: i64 = 120;
/// How stale `last_seen_at` may get before a request writes it again (one write per
/// session per minute at most, not one per request).
const TOUCH_AFTER_SECONDS: i64 = 60;
/// Failed sign-in rows and throttle rows older than this are purged.
pub const SIGN_IN_RECORDS_HOURS: i64 = 24;

/// One of a user's live sessions, as the user may see it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SessionInfo {
    /// A public ID (the first 16 hex digits of the stored digest of the cookie token).
    pub id: String,
    /// When it began (RFC 3339).
    pub created_at: String,
    /// When it was last used (RFC 3339).
    pub last_seen_at: String,
    /// The client address it signed in from.
    pub address: String,
    /// Whether it is the session asking.
    pub current: bool,
}
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
        self.start_session(user, "").await
    }

    /// [`Store::create_session`] remembering the client's address.
    pub async fn start_session(&self, user: &User, address: &str) -> Result<(String, Session)> {
        let token = random_token();
        let csrf = random_token();
        let now = OffsetDateTime::now_utc();
        sqlx::query(sql!(self,
            "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at, last_seen_at, address)
             VALUES ($1, $2, $3, $4, $5, $4, $6)",
        ))
        .bind(digest(&token))
        .bind(user.id)
        .bind(&csrf)
        .bind(stamp(now))
        .bind(stamp(now + time::Duration::hours(SESSION_HOURS)))
        .bind(address)
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

    /// The live session a cookie token names: not past its absolute timeout, used within
    /// the idle timeout, of an enabled user. Using it moves its idle deadline.
    pub async fn session(&self, token: &str) -> Result<Option<Session>> {
        // One round trip: the session, its user and the user's partner organisation.
        let q = sql!(
            self,
            "SELECT u.id, u.name, u.role, u.partner_id, p.name AS partner, u.partner_admin, s.csrf,
                    (s.last_seen_at < $4) AS stale
             FROM sessions s JOIN users u ON u.id = s.user_id
             LEFT JOIN partners p ON p.id = u.partner_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0
               AND COALESCE(s.last_seen_at, s.created_at) > $3",
        );
        let now = OffsetDateTime::now_utc();
        let hash = digest(token);
        let idle = stamp(now - time::Duration::minutes(SESSION_IDLE_MINUTES));
        let touch = stamp(now - time::Duration::seconds(TOUCH_AFTER_SECONDS));
        let now = stamp(now);
        let found = if let Some(local) = self.local() {
            local.with(|c| {
                let mut st = c.prepare_cached(q)?;
                let mut rows = st.query(rusqlite::params![hash, now, idle, touch])?;
                let Some(r) = rows.next()? else {
                    return Ok(None);
                };
                let stale: Option<bool> = r.get("stale")?;
                session_of(r).map(|s| Some((s, stale.unwrap_or(true))))
            })?
        } else if let Some(pg) = self.pg_hot() {
            let mut c = crate::postgres::hot::acquire(pg).await?;
            let r = sqlx::query(q)
                .bind(&hash)
                .bind(&now)
                .bind(&idle)
                .bind(&touch)
                .fetch_optional(&mut *c)
                .await;
            match crate::postgres::hot::checked(&mut c, r)? {
                None => None,
                Some(r) => {
                    let stale: Option<bool> = r.try_get("stale")?;
                    Some((session_of(&r)?, stale.unwrap_or(true)))
                }
            }
        } else {
            let r = sqlx::query(q)
                .bind(&hash)
                .bind(&now)
                .bind(&idle)
                .bind(&touch)
                .fetch_optional(&self.pools.read)
                .await?;
            match r {
                None => None,
                Some(r) => {
                    let stale: Option<bool> = r.try_get("stale")?;
                    Some((session_of(&r)?, stale.unwrap_or(true)))
                }
            }
        };
        let Some((s, stale)) = found else {
            return Ok(None);
        };
        if stale {
            sqlx::query(sql!(
                self,
                "UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1"
            ))
            .bind(&hash)
            .bind(&now)
            .execute(&self.pools.write)
            .await?;
        }
        Ok(Some(s))
    }

    /// The live sessions of a user, newest first; `current` marks the one whose cookie
    /// token is `token`.
    pub async fn sessions_of(&self, user_id: i64, token: Option<&str>) -> Result<Vec<SessionInfo>> {
        let now = OffsetDateTime::now_utc();
        let idle = stamp(now - time::Duration::minutes(SESSION_IDLE_MINUTES));
        let rows = sqlx::query(sql!(
            self,
            "SELECT token_hash, created_at, COALESCE(last_seen_at, created_at) AS seen,
                    COALESCE(address, '') AS address
             FROM sessions
             WHERE user_id = $1 AND expires_at > $2 AND COALESCE(last_seen_at, created_at) > $3
             ORDER BY created_at DESC",
        ))
        .bind(user_id)
        .bind(stamp(now))
        .bind(idle)
        .fetch_all(&self.pools.read)
        .await?;
        let mine = token.map(digest);
        rows.iter()
            .map(|r| {
                let hash: String = r.try_get("token_hash")?;
                Ok(SessionInfo {
                    id: hash.chars().take(16).collect(),
                    created_at: r.try_get("created_at")?,
                    last_seen_at: r.try_get("seen")?,
                    address: r.try_get("address")?,
                    current: mine.as_deref() == Some(hash.as_str()),
                })
            })
            .collect()
    }

    /// Ends one of a user's sessions by its public ID; false when the user has none such.
    pub async fn end_session_of(&self, user_id: i64, id: &str) -> Result<bool> {
        if id.len() != 16 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(false);
        }
        let r = sqlx::query(sql!(
            self,
            "DELETE FROM sessions WHERE user_id = $1 AND substr(token_hash, 1, 16) = $2"
        ))
        .bind(user_id)
        .bind(id.to_ascii_lowercase())
        .execute(&self.pools.write)
        .await?;
        Ok(r.rows_affected() > 0)
    }

    /// Deletes expired and idle sessions, failed sign-in rows and throttle rows older than
    /// [`SIGN_IN_RECORDS_HOURS`]. Returns how many rows went.
    pub async fn purge_expired(&self) -> Result<u64> {
        let now = OffsetDateTime::now_utc();
        let idle = stamp(now - time::Duration::minutes(SESSION_IDLE_MINUTES));
        let old = now - time::Duration::hours(SIGN_IN_RECORDS_HOURS);
        let mut n = sqlx::query(sql!(
            self,
            "DELETE FROM sessions WHERE expires_at <= $1 OR COALESCE(last_seen_at, created_at) <= $2"
        ))
        .bind(stamp(now))
        .bind(idle)
        .execute(&self.pools.write)
        .await?
        .rows_affected();
        n += sqlx::query(sql!(self, "DELETE FROM sign_in_failures WHERE at <= $1"))
            .bind(stamp(old))
            .execute(&self.pools.write)
            .await?
            .rows_affected();
        n += sqlx::query(sql!(
            self,
            "DELETE FROM sign_in_throttle WHERE updated_at <= $1 AND next_at <= $2"
        ))
        .bind(old.unix_timestamp())
        .bind(now.unix_timestamp())
        .execute(&self.pools.write)
        .await?
        .rows_affected();
        Ok(n)
    }

    /// Ends every session of a user (disabled, new password).
    pub async fn end_sessions_of(&self, user_id: i64) -> Result<u64> {
        Ok(
            sqlx::query(sql!(self, "DELETE FROM sessions WHERE user_id = $1"))
                .bind(user_id)
                .execute(&self.pools.write)
                .await?
                .rows_affected(),
        )
    }

    /// Ends a session (sign-out).
    pub async fn end_session(&self, token: &str) -> Result<()> {
        sqlx::query(sql!(self, "DELETE FROM sessions WHERE token_hash = $1"))
            .bind(digest(token))
            .execute(&self.pools.write)
            .await?;
        Ok(())
    }
}
