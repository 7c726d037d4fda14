//! Accounts that sign in through an OpenID Connect provider (the web layer's `sso` module
//! checks the provider's ID token; this is what the database keeps). The subject (`sub`)
//! the provider gave a user is recorded at their first sign-in through it and must be the
//! same at every later one, so an e-mail address re-issued at the provider cannot take
//! over an existing account. Accounts made at sign-in (just-in-time) have no local
//! password until an administrator sets one.

use super::user_of;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::{Errors, UserRole};
use serde_json::json;
use sqlx::Row;

/// What single sign-on needs to know of an account, enabled or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoAccount {
    /// The account.
    pub user: super::User,
    /// False when the account was deactivated: single sign-on does not reactivate it.
    pub active: bool,
    /// The provider's subject recorded at the first sign-in through it.
    pub subject: Option<String>,
}

const SSO_COLS: &str =
    "SELECT u.id, u.name, u.role, u.partner_id, p.name AS partner, u.partner_admin,
            u.disabled, u.sso_subject
     FROM users u LEFT JOIN partners p ON p.id = u.partner_id";

fn account_of(r: &sqlx::any::AnyRow) -> Result<SsoAccount> {
    Ok(SsoAccount {
        user: user_of(r)?,
        active: r.try_get::<i64, _>("disabled")? == 0,
        subject: r.try_get("sso_subject")?,
    })
}

/// A password hash that no password matches: accounts made by single sign-on.
const NO_PASSWORD: &str = "!sso";

impl Store {
    /// The account a provider's subject was recorded on.
    pub async fn sso_account_by_subject(&self, subject: &str) -> Result<Option<SsoAccount>> {
        let q = sql!(self, format!("{SSO_COLS} WHERE u.sso_subject = $1"));
        self.sso_account(q, subject).await
    }

    /// The accounts whose name is `name` compared without regard to ASCII case (names that
    /// are e-mail addresses are matched to the provider's `email` claim), an exact match
    /// first. Letters beyond ASCII must match exactly on both engines.
    pub async fn sso_accounts_named(&self, name: &str) -> Result<Vec<SsoAccount>> {
        let q = sql!(
            self,
            format!("{SSO_COLS} WHERE LOWER(u.name) = LOWER($1) ORDER BY u.id LIMIT 10")
        );
        let name = name.trim();
        let rows = sqlx::query(q)
            .bind(name)
            .fetch_all(&self.pools.read)
            .await?;
        let mut found = rows.iter().map(account_of).collect::<Result<Vec<_>>>()?;
        found.retain(|a| a.user.name.eq_ignore_ascii_case(name));
        found.sort_by_key(|a| a.user.name != name);
        Ok(found)
    }

    async fn sso_account(&self, q: &'static str, value: &str) -> Result<Option<SsoAccount>> {
        let r = sqlx::query(q)
            .bind(value)
            .fetch_optional(&self.pools.read)
            .await?;
        r.as_ref().map(account_of).transpose()
    }

    /// Ends the binding of an account to the provider's identity (audited): its next
    /// sign-in through the provider binds it again, by e-mail.
    pub async fn unlink_sso(&self, actor: &Actor, name: &str) -> Result<()> {
        let mut tx = self.pools.write.begin().await?;
        let r = sqlx::query(sql!(
            self,
            "UPDATE users SET sso_subject = NULL WHERE name = $1 AND sso_subject IS NOT NULL
             RETURNING id"
        ))
        .bind(name.trim())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(r) = r {
            let id: i64 = r.try_get(0)?;
            self.audit_user(&mut tx, actor, id, "unlink-sso", None)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Records the provider's subject on an account (audited).
    pub async fn link_sso_subject(&self, actor: &Actor, user_id: i64, subject: &str) -> Result<()> {
        let mut tx = self.pools.write.begin().await?;
        let n = sqlx::query(sql!(
            self,
            "UPDATE users SET sso_subject = $2 WHERE id = $1 AND sso_subject IS NULL"
        ))
        .bind(user_id)
        .bind(subject)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::Conflict(format!(
                "user {user_id} already has a single sign-on subject"
            )));
        }
        self.audit_user(
            &mut tx,
            actor,
            user_id,
            "link-sso",
            Some(json!({ "sso_subject": subject })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Makes an account at its first sign-in through the provider (just-in-time), with the
    /// provider's subject and no local password. The same rules as [`Store::add_user`] for
    /// the name, role and organisation; the organisation must exist.
    pub async fn add_sso_user(
        &self,
        actor: &Actor,
        name: &str,
        role: UserRole,
        partner: Option<&str>,
        partner_admin: bool,
        subject: &str,
    ) -> Result<super::User> {
        let name = name.trim();
        let mut e = Errors::default();
        super::new_user_problems(name, None, role, partner, partner_admin, &mut e);
        e.finish()?;
        // Taken, or differing from an existing name only in case (a lookalike).
        if !self.sso_accounts_named(name).await?.is_empty() {
            return Err(StoreError::Conflict(format!("user {name} exists")));
        }
        let partner_id = match partner {
            Some(p) => Some(self.partner_id(p).await?),
            None => None,
        };
        let mut tx = self.pools.write.begin().await?;
        let r = sqlx::query(sql!(
            self,
            "INSERT INTO users (name, role, partner_id, password_hash, created_at, partner_admin, sso_subject)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        ))
        .bind(name)
        .bind(role.key())
        .bind(partner_id)
        .bind(NO_PASSWORD)
        .bind(crate::now())
        .bind(i64::from(partner_admin))
        .bind(subject)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = r.try_get(0)?;
        let after = json!({
            "name": name, "role": role.key(), "partner": partner,
            "partner_admin": partner_admin, "sso_subject": subject,
        });
        self.audit_user(&mut tx, actor, id, "create", Some(after))
            .await?;
        tx.commit().await?;
        self.user_by_id(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("user {name}")))
    }
}
