//! Local accounts (argon2 password hashes), partner organisations and API bearer tokens
//! (stored as SHA-256 digests; the token itself is shown once).

use crate::audit::Change;
use crate::{Actor, Result, Store, StoreError};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use ftop_domain::{Errors, Invalid, UserRole};
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

/// Hashes a password with argon2id and a random salt (PHC string).
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
    /// Finds or creates a partner organisation; returns its ID.
    pub async fn partner(&self, actor: &Actor, name: &str) -> Result<i64> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Invalid::one("partner", "give the partner organisation's name").into());
        }
        ftop_domain::limits::text("partner", name, ftop_domain::limits::PARTNER)
            .map_err(|f| Invalid(vec![f]))?;
        if let Some(r) = sqlx::query(sql!(self, "SELECT id FROM partners WHERE name = $1"))
            .bind(name)
            .fetch_optional(&self.pools.read)
            .await?
        {
            return Ok(r.try_get(0)?);
        }
        let mut tx = self.pools.write.begin().await?;
        let r = sqlx::query(sql!(
            self,
            "INSERT INTO partners (name, created_at) VALUES ($1, $2) RETURNING id"
        ))
        .bind(name)
        .bind(crate::now())
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = r.try_get(0)?;
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: None,
                entity: "partner",
                key: id.to_string(),
                action: "create",
                before: None,
                after: Some(json!({"name": name})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Adds a user. Partners must name their organisation; passwords need 8 characters.
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
            e.add(
                "name",
                "use 1 to 100 letters, digits, dots, dashes, underscores or @",
            );
        }
        if password.chars().count() < 8 {
            e.add("password", "use at least 8 characters");
        }
        match (role, partner) {
            (UserRole::Partner, None) => e.add(
                "partner",
                "a partner user belongs to a partner organisation",
            ),
            (r, Some(_)) if r != UserRole::Partner => e.add(
                "partner",
                "only partner users belong to a partner organisation",
            ),
            _ => {}
        }
        e.finish()?;
        if self.user_by_name(name).await?.is_some() {
            return Err(Invalid::one("name", format!("user {name} already exists")).into());
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

    /// Creates an API token for a user; returns the token (shown once, stored hashed).
    pub async fn create_token(&self, actor: &Actor, user: &str, label: &str) -> Result<String> {
        let u = self.user_by_name(user).await?.ok_or_else(|| {
            StoreError::from(Invalid::one("user", format!("no user named {user}")))
        })?;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let token = format!(
            "ftop_{}",
            bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
        );
        let mut tx = self.pools.write.begin().await?;
        sqlx::query(sql!(self,
            "INSERT INTO api_tokens (user_id, label, token_hash, created_at) VALUES ($1, $2, $3, $4)",
        ))
        .bind(u.id)
        .bind(label)
        .bind(token_digest(&token))
        .bind(crate::now())
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
                after: Some(json!({"user": u.name, "label": label})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The user a bearer token belongs to.
    pub async fn user_by_token(&self, token: &str) -> Result<Option<User>> {
        let q = user_query!(
            self,
            "u.id = (SELECT t.user_id FROM api_tokens t WHERE t.token_hash = $1)"
        );
        let hash = token_digest(token.trim());
        if let Some(local) = self.local() {
            return local.with(|c| {
                let mut st = c.prepare_cached(q)?;
                let mut rows = st.query([&hash])?;
                rows.next()?.map(user_of).transpose()
            });
        }
        let r = sqlx::query(q)
            .bind(hash)
            .fetch_optional(&self.pools.read)
            .await?;
        r.as_ref().map(user_of).transpose()
    }

    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<User>> {
        let q = user_query!(self, "1 = 1");
        let rows = sqlx::query(q).fetch_all(&self.pools.read).await?;
        rows.iter().map(user_of).collect()
    }
}
