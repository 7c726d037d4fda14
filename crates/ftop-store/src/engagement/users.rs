//! Local accounts (argon2 password hashes), partner organisations and API bearer tokens
//! (stored as SHA-256 digests; the token itself is shown once).

use crate::audit::Change;
use crate::{Actor, Result, Store, StoreError};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use ftop_domain::{Errors, FieldError, Invalid, UserRole};
use rand::RngCore;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// ID.
    pub id: i64,
    /// Sign-in name.
    pub name: String,
    /// Role.
    pub role: UserRole,
    /// Partner organisation (partners only).
    pub partner_id: Option<i64>,
    /// Partner organisation name.
    pub partner: Option<String>,
}

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

/// Hashes a password with argon2id and a random salt (PHC string). The parameters are the
/// argon2 crate's defaults, recorded in each hash: m = 19,456 KiB (19 MiB of memory per
/// hash or check), t = 2 passes, p = 1 lane. The web layer bounds how many run at once.
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Internal(format!("could not hash the password: {e}")))
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

pub(crate) fn user_of(r: &impl crate::sqlite::local::Cols) -> Result<User> {
    Ok(User {
        id: r.int("id")?,
        name: r.text("name")?,
        role: r.key("role", UserRole::parse)?,
        partner_id: r.opt_int("partner_id")?,
        partner: r.opt_text("partner")?,
    })
}

const USER_COLS: &str =
    "SELECT u.id, u.name, u.role, u.partner_id, p.name AS partner, u.password_hash
     FROM users u LEFT JOIN partners p ON p.id = u.partner_id";

/// Enabled users matching a condition, by name (the text for `$store`'s engine).
macro_rules! user_query {
    ($store:expr, $cond:literal $(,)?) => {
        sql!(
            $store,
            format!(
                "{USER_COLS} WHERE {} AND u.disabled = 0 ORDER BY u.name",
                $cond
            )
        )
    };
}

impl Store {
    /// Adds a user. Partners must name their organisation; the password must pass
    /// [`ftop_domain::password_problems`].
    pub async fn add_user(
        &self,
        actor: &Actor,
        name: &str,
        role: UserRole,
        password: &str,
        partner: Option<&str>,
    ) -> Result<User> {
        let name = name.trim();
        let mut e = Errors::default();
        if name.is_empty()
            || name.len() > 100
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || "._-@".contains(c))
        {
            e.push(FieldError::of("name", "invalid-user-name"));
        }
        ftop_domain::password_problems(name, password, &mut e);
        match (role, partner) {
            (UserRole::Partner, None) => {
                e.push(FieldError::of("partner", "invalid-partner-required"));
            }
            (r, Some(_)) if r != UserRole::Partner => {
                e.push(FieldError::of("partner", "invalid-partner-only"));
            }
            _ => {}
        }
        e.finish()?;
        if self.user_by_name(name).await?.is_some() {
            return Err(Invalid::from(
                FieldError::of("name", "invalid-user-exists").quoting("value", name),
            )
            .into());
        }
        let partner_id = match partner {
            Some(p) => Some(self.partner(actor, p).await?),
            None => None,
        };
        let hash = hash_password(password)?;
        let mut tx = self.pools.write.begin().await?;
        let r = sqlx::query(sql!(
            self,
            "INSERT INTO users (name, role, partner_id, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        ))
        .bind(name)
        .bind(role.key())
        .bind(partner_id)
        .bind(hash)
        .bind(crate::now())
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = r.try_get(0)?;
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: None,
                entity: "user",
                key: id.to_string(),
                action: "create",
                before: None,
                after: Some(json!({"name": name, "role": role.key(), "partner": partner})),
            },
        )
        .await?;
        tx.commit().await?;
        self.user_by_name(name)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("user {name}")))
    }

    /// A user by name.
    pub async fn user_by_name(&self, name: &str) -> Result<Option<User>> {
        let q = user_query!(self, "u.name = $1");
        let r = sqlx::query(q)
            .bind(name.trim())
            .fetch_optional(&self.pools.read)
            .await?;
        r.as_ref().map(user_of).transpose()
    }

    /// An enabled user by name; a field error on `user` when there is none.
    pub(crate) async fn known_user(&self, name: &str) -> Result<User> {
        self.user_by_name(name).await?.ok_or_else(|| {
            StoreError::from(Invalid::from(
                FieldError::of("user", "invalid-user-unknown").quoting("value", name),
            ))
        })
    }

    /// A user by ID.
    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        let q = user_query!(self, "u.id = $1");
        let r = sqlx::query(q)
            .bind(id)
            .fetch_optional(&self.pools.read)
            .await?;
        r.as_ref().map(user_of).transpose()
    }

    /// The user whose name and password match, or None. Takes the same time whether or
    /// not the user exists.
    pub async fn verify_password(&self, name: &str, password: &str) -> Result<Option<User>> {
        let q = user_query!(self, "u.name = $1");
        let r = sqlx::query(q)
            .bind(name.trim())
            .fetch_optional(&self.pools.read)
            .await?;
        // A fixed hash stands in for a missing user, so timing does not tell names apart.
        static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let dummy = DUMMY.get_or_init(|| hash_password("no such user").unwrap_or_default());
        let hash: String = match &r {
            Some(r) => r.try_get("password_hash")?,
            None => dummy.clone(),
        };
        let password = password.to_string();
        let ok = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&hash)
                .map(|h| {
                    Argon2::default()
                        .verify_password(password.as_bytes(), &h)
                        .is_ok()
                })
                .unwrap_or(false)
        })
        .await
        .unwrap_or(false);
        match r {
            Some(r) if ok => Ok(Some(user_of(&r)?)),
            _ => Ok(None),
        }
    }

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
                FieldError::of("expires", "invalid-token-days").with("max", 3650),
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
        let mut tx = self.pools.write.begin().await?;
        let n = sqlx::query(sql!(self, "DELETE FROM api_tokens WHERE id = $1"))
            .bind(id)
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

    /// Disables (or enables again) a user. Disabling ends every session and revokes every
    /// API token of the user at once: their next request is unauthenticated.
    pub async fn set_user_disabled(&self, actor: &Actor, name: &str, disabled: bool) -> Result<()> {
        let id = self.user_id_any(name).await?;
        let mut tx = self.pools.write.begin().await?;
        sqlx::query(sql!(self, "UPDATE users SET disabled = $2 WHERE id = $1"))
            .bind(id)
            .bind(i64::from(disabled))
            .execute(&mut *tx)
            .await?;
        if disabled {
            sqlx::query(sql!(self, "DELETE FROM sessions WHERE user_id = $1"))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(sql!(self, "DELETE FROM api_tokens WHERE user_id = $1"))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: None,
                entity: "user",
                key: id.to_string(),
                action: if disabled { "disable" } else { "enable" },
                before: None,
                after: Some(json!({"name": name.trim(), "disabled": disabled})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a user's password (after [`ftop_domain::password_problems`]) and ends the
    /// user's sessions.
    pub async fn set_password(&self, actor: &Actor, name: &str, password: &str) -> Result<()> {
        let mut e = Errors::default();
        ftop_domain::password_problems(name, password, &mut e);
        e.finish()?;
        let id = self.user_id_any(name).await?;
        let hash = hash_password(password)?;
        let mut tx = self.pools.write.begin().await?;
        sqlx::query(sql!(
            self,
            "UPDATE users SET password_hash = $2 WHERE id = $1"
        ))
        .bind(id)
        .bind(hash)
        .execute(&mut *tx)
        .await?;
        sqlx::query(sql!(self, "DELETE FROM sessions WHERE user_id = $1"))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: None,
                entity: "user",
                key: id.to_string(),
                action: "password",
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The ID of a user, enabled or not.
    async fn user_id_any(&self, name: &str) -> Result<i64> {
        let r = sqlx::query(sql!(self, "SELECT id FROM users WHERE name = $1"))
            .bind(name.trim())
            .fetch_optional(&self.pools.read)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("user {}", name.trim())))?;
        Ok(r.try_get(0)?)
    }

    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<User>> {
        let q = user_query!(self, "1 = 1");
        let rows = sqlx::query(q).fetch_all(&self.pools.read).await?;
        rows.iter().map(user_of).collect()
    }
}
