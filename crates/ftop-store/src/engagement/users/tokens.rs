//! API bearer tokens: created for a user with an expiry, stored as SHA-256 digests (the
//! token itself is shown once), listed, revoked, and looked up on every API call.

use super::{USER_COLS, User, user_of};
use crate::audit::Change;
use crate::{Actor, Result, Store};
use ftop_domain::{FieldError, Invalid};
use rand::RngCore;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// How long an API token lasts unless told otherwise.
pub const DEFAULT_TOKEN_DAYS: i64 = 90;

/// An API token as `ftop token list` shows it (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    /// ID (for `ftop token revoke`).
    pub id: i64,
    /// Whose it is.
    pub user: String,
    /// What it is for.
    pub label: String,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Expires (RFC 3339), or never.
    pub expires_at: Option<String>,
    /// Whether it has expired.
    pub expired: bool,
    /// Last used (RFC 3339).
    pub last_used_at: Option<String>,
}

/// The SHA-256 of a token in lower-case hex: what the database keeps of session cookies
/// and API tokens.
pub(crate) fn token_digest(token: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let d = Sha256::digest(token.as_bytes());
    let mut out = String::with_capacity(64);
    for b in d {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

impl Store {
    /// Creates an API token for a user that expires after
    /// [`DEFAULT_TOKEN_DAYS`]; returns the token (shown once, stored hashed).
    pub async fn create_token(&self, actor: &Actor, user: &str, label: &str) -> Result<String> {
        self.create_token_expiring(actor, user, label, Some(DEFAULT_TOKEN_DAYS))
            .await
    }

    /// Creates an API token that expires after `days` (None: never).
    pub async fn create_token_expiring(
        &self,
        actor: &Actor,
        user: &str,
        label: &str,
        days: Option<i64>,
    ) -> Result<String> {
        if let Some(d) = days
            && !(1..=3650).contains(&d)
        {
            return Err(Invalid::from(
                FieldError::of("days", "invalid-token-days").with("max", 3650),
            )
            .into());
        }
        let expires = days.map(|d| {
            (time::OffsetDateTime::now_utc() + time::Duration::days(d))
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default()
        });
        let u = self.known_user(user).await?;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let token = format!(
            "ftop_{}",
            bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
        );
        let mut tx = self.pools.write.begin().await?;
        sqlx::query(sql!(
            self,
            "INSERT INTO api_tokens (user_id, label, token_hash, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        ))
        .bind(u.id)
        .bind(label)
        .bind(token_digest(&token))
        .bind(crate::now())
        .bind(&expires)
        .execute(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: None,
                entity: "token",
                key: u.id.to_string(),
                action: "create",
                before: None,
                after: Some(json!({"user": u.name, "label": label, "expires_at": expires})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The user a bearer token belongs to (a token past its expiry belongs to no one).
    pub async fn user_by_token(&self, token: &str) -> Result<Option<User>> {
        let q = user_query!(
            self,
            "u.id = (SELECT t.user_id FROM api_tokens t WHERE t.token_hash = $1
                     AND (t.expires_at IS NULL OR t.expires_at > $2))"
        );
        let hash = token_digest(token.trim());
        let now = crate::now();
        if let Some(local) = self.local() {
            return local.with(|c| {
                let mut st = c.prepare_cached(q)?;
                let mut rows = st.query([&hash, &now])?;
                rows.next()?.map(user_of).transpose()
            });
        }
        if let Some(pg) = self.pg_hot() {
            let mut c = crate::postgres::hot::acquire(pg).await?;
            let r = sqlx::query(q)
                .bind(&hash)
                .bind(&now)
                .fetch_optional(&mut *c)
                .await;
            return crate::postgres::hot::checked(&mut c, r)?
                .as_ref()
                .map(user_of)
                .transpose();
        }
        let r = sqlx::query(q)
            .bind(hash)
            .bind(now)
            .fetch_optional(&self.pools.read)
            .await?;
        r.as_ref().map(user_of).transpose()
    }

    /// API tokens, of one user or of all, oldest first.
    pub async fn tokens(&self, user: Option<&str>) -> Result<Vec<TokenInfo>> {
        let rows = sqlx::query(sql!(
            self,
            "SELECT t.id, u.name, t.label, t.created_at, t.expires_at, t.last_used_at
             FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE $1 IS NULL OR u.name = $1 ORDER BY t.id"
        ))
        .bind(user.map(str::trim))
        .fetch_all(&self.pools.read)
        .await?;
        let now = crate::now();
        rows.iter()
            .map(|r| {
                let expires_at: Option<String> = r.try_get("expires_at")?;
                Ok(TokenInfo {
                    id: r.try_get("id")?,
                    user: r.try_get("name")?,
                    label: r.try_get("label")?,
                    created_at: r.try_get("created_at")?,
                    expired: expires_at.as_deref().is_some_and(|e| e <= now.as_str()),
                    expires_at,
                    last_used_at: r.try_get("last_used_at")?,
                })
            })
            .collect()
    }

    /// Revokes (deletes) an API token by ID; false when there is none.
    pub async fn revoke_token(&self, actor: &Actor, id: i64) -> Result<bool> {
        self.revoke_token_of(actor, None, id).await
    }

    /// Revokes API token `id` if it belongs to user `owner` (any user's with `None`);
    /// false when there is no such token.
    pub async fn revoke_token_of(
        &self,
        actor: &Actor,
        owner: Option<i64>,
        id: i64,
    ) -> Result<bool> {
        let mut tx = self.pools.write.begin().await?;
        let n = sqlx::query(sql!(
            self,
            "DELETE FROM api_tokens WHERE id = $1 AND ($2 IS NULL OR user_id = $2)"
        ))
        .bind(id)
        .bind(owner)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Ok(false);
        }
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: None,
                entity: "token",
                key: id.to_string(),
                action: "revoke",
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}
