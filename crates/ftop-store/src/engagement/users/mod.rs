//! Local accounts: users, their roles and partner organisations, enabling and disabling.
//! Passwords (argon2id) are in `passwords.rs`, API bearer tokens in `tokens.rs`.

use crate::audit::Change;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::{Errors, FieldError, Invalid, UserRole};
use serde::Serialize;
use serde_json::json;
use sqlx::{Any, Row, Transaction};

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
    /// A partner user who administers the users of their organisation.
    pub partner_admin: bool,
}

pub(crate) fn user_of(r: &impl crate::sqlite::local::Cols) -> Result<User> {
    Ok(User {
        id: r.int("id")?,
        name: r.text("name")?,
        role: r.key("role", UserRole::parse)?,
        partner_id: r.opt_int("partner_id")?,
        partner: r.opt_text("partner")?,
        partner_admin: r.int("partner_admin")? != 0,
    })
}

/// What is wrong with a new account's name, password (accounts made by single sign-on
/// have none), role and organisation, in that order.
pub(crate) fn new_user_problems(
    name: &str,
    password: Option<&str>,
    role: UserRole,
    partner: Option<&str>,
    partner_admin: bool,
    e: &mut Errors,
) {
    if name.is_empty()
        || name.len() > 100
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || "._-@".contains(c))
    {
        e.push(FieldError::of("name", "invalid-user-name"));
    }
    if let Some(password) = password {
        ftop_domain::password_problems(name, password, e);
    }
    role_problems(role, partner, partner_admin, e);
}

/// The rule of roles and organisations: a partner user belongs to one, nobody else does,
/// and only partner users administer one.
pub(crate) fn role_problems(
    role: UserRole,
    partner: Option<&str>,
    partner_admin: bool,
    e: &mut Errors,
) {
    match (role, partner) {
        (UserRole::Partner, None) => {
            e.push(FieldError::of("partner", "invalid-partner-required"));
        }
        (r, Some(_)) if r != UserRole::Partner => {
            e.push(FieldError::of("partner", "invalid-partner-only"));
        }
        _ => {}
    }
    if partner_admin && role != UserRole::Partner {
        e.push(FieldError::of(
            "partner_admin",
            "invalid-partner-admin-only",
        ));
    }
}

const USER_COLS: &str =
    "SELECT u.id, u.name, u.role, u.partner_id, p.name AS partner, u.partner_admin, u.password_hash
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

mod admin;
mod passwords;
mod sso;
mod tokens;

pub use admin::{UserChange, UserEntry, UserFilter};
pub use passwords::hash_password;
pub use sso::SsoAccount;
pub(crate) use tokens::token_digest;
pub use tokens::{DEFAULT_TOKEN_DAYS, TokenInfo};

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
        self.add_user_with(actor, name, role, password, partner, false)
            .await
    }

    /// [`Store::add_user`], made a partner admin of their organisation at once when
    /// `partner_admin` (partner users only).
    pub async fn add_user_with(
        &self,
        actor: &Actor,
        name: &str,
        role: UserRole,
        password: &str,
        partner: Option<&str>,
        partner_admin: bool,
    ) -> Result<User> {
        let name = name.trim();
        let mut e = Errors::default();
        new_user_problems(name, Some(password), role, partner, partner_admin, &mut e);
        e.finish()?;
        // A deactivated account keeps its name.
        if self.user_any(name).await?.is_some() {
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
            "INSERT INTO users (name, role, partner_id, password_hash, created_at, partner_admin)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        ))
        .bind(name)
        .bind(role.key())
        .bind(partner_id)
        .bind(hash)
        .bind(crate::now())
        .bind(i64::from(partner_admin))
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = r.try_get(0)?;
        let after = json!({"name": name, "role": role.key(), "partner": partner, "partner_admin": partner_admin});
        self.audit_user(&mut tx, actor, id, "create", Some(after))
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
        self.known_user_as(name, "user").await
    }

    /// An enabled user by name; a field error on `field` when there is none.
    pub(crate) async fn known_user_as(&self, name: &str, field: &'static str) -> Result<User> {
        self.user_by_name(name).await?.ok_or_else(|| {
            StoreError::from(Invalid::from(
                FieldError::of(field, "invalid-user-unknown").quoting("value", name),
            ))
        })
    }

    /// A user by name, enabled or not.
    pub async fn user_any(&self, name: &str) -> Result<Option<User>> {
        let q = sql!(self, format!("{USER_COLS} WHERE u.name = $1"));
        let r = sqlx::query(q)
            .bind(name.trim())
            .fetch_optional(&self.pools.read)
            .await?;
        r.as_ref().map(user_of).transpose()
    }

    /// A user by ID, enabled or not.
    pub async fn user_by_id_any(&self, id: i64) -> Result<Option<User>> {
        let q = sql!(self, format!("{USER_COLS} WHERE u.id = $1"));
        let r = sqlx::query(q)
            .bind(id)
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
            self.end_access_in(&mut tx, id, true).await?;
        }
        let action = if disabled { "disable" } else { "enable" };
        let after = json!({"name": name.trim(), "disabled": disabled});
        self.audit_user(&mut tx, actor, id, action, Some(after))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends every session of user `id` (and with `tokens`, revokes every API token) in
    /// the transaction of a change to the user.
    pub(super) async fn end_access_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        id: i64,
        tokens: bool,
    ) -> Result<()> {
        sqlx::query(sql!(self, "DELETE FROM sessions WHERE user_id = $1"))
            .bind(id)
            .execute(&mut **tx)
            .await?;
        if tokens {
            sqlx::query(sql!(self, "DELETE FROM api_tokens WHERE user_id = $1"))
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// The audit entry of a change to user `id`.
    pub(super) async fn audit_user(
        &self,
        tx: &mut Transaction<'_, Any>,
        actor: &Actor,
        id: i64,
        action: &str,
        after: Option<serde_json::Value>,
    ) -> Result<()> {
        let change = Change {
            tenant: None,
            entity: "user",
            key: id.to_string(),
            action,
            before: None,
            after,
        };
        self.audit(tx, actor, change).await
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
