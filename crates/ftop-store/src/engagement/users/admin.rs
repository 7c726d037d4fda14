//! Administering accounts: the list administrators search (enabled and deactivated users
//! alike) and changes to a user's role, partner organisation and partner-admin flag.
//! Who may make which change is the web layer's rule (`ftop-web` `service/people.rs`);
//! what a valid account is (a partner user belongs to an organisation, no one else does)
//! is checked here, for every caller.

use super::user_of;
use crate::sqlite::local::Cols;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::{Errors, UserRole};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

/// A user as an administrator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserEntry {
    /// Sign-in name.
    pub name: String,
    /// Role.
    pub role: UserRole,
    /// Partner organisation (partner users only).
    pub partner: Option<String>,
    /// Administers the users of their partner organisation.
    pub partner_admin: bool,
    /// May sign in (a deactivated user has no sessions or tokens).
    pub active: bool,
    /// Bound to an identity of the single sign-on provider (at their first sign-in
    /// through it).
    pub sso_linked: bool,
    /// Created (RFC 3339).
    pub created_at: String,
}

/// What to change of a user; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct UserChange {
    /// New role.
    pub role: Option<UserRole>,
    /// New partner organisation (`Some(None)` removes it, for users who stop being partners).
    pub partner: Option<Option<String>>,
    /// New partner-admin flag.
    pub partner_admin: Option<bool>,
}

/// Which users a list shows.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    /// Text found in the name or the organisation's name.
    pub search: Option<String>,
    /// Only the users of this organisation (a partner admin's view).
    pub partner_id: Option<i64>,
    /// At most this many (1-1,000).
    pub limit: i64,
    /// Skipping this many.
    pub offset: i64,
}

fn entry_of(r: &impl Cols) -> Result<UserEntry> {
    Ok(UserEntry {
        name: r.text("name")?,
        role: r.key("role", UserRole::parse)?,
        partner: r.opt_text("partner")?,
        partner_admin: r.int("partner_admin")? != 0,
        active: r.int("disabled")? == 0,
        sso_linked: r.int("sso_linked")? != 0,
        created_at: r.text("created_at")?,
    })
}

/// The users a [`UserFilter`] selects (`$1` the search pattern, `$2` the organisation).
const LIST_WHERE: &str = "($1 IS NULL OR LOWER(u.name) LIKE $1 ESCAPE '\\'
                                 OR LOWER(p.name) LIKE $1 ESCAPE '\\')
                          AND ($2 IS NULL OR u.partner_id = $2)";

impl Store {
    /// Users, enabled or not, by name, with the total that match.
    pub async fn user_list(&self, f: &UserFilter) -> Result<(Vec<UserEntry>, i64)> {
        let pattern = match f.search.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => Some(crate::sql::like(s)?),
            _ => None,
        };
        let rows = sqlx::query(sql!(
            self,
            format!(
                "SELECT u.name, u.role, p.name AS partner, u.partner_admin, u.disabled, u.created_at,
                    CAST(CASE WHEN u.sso_subject IS NULL THEN 0 ELSE 1 END AS BIGINT) AS sso_linked
                 FROM users u LEFT JOIN partners p ON p.id = u.partner_id
                 WHERE {LIST_WHERE} ORDER BY u.name LIMIT $3 OFFSET $4"
            )
        ))
        .bind(&pattern)
        .bind(f.partner_id)
        .bind(f.limit.clamp(1, 1000))
        .bind(f.offset.max(0))
        .fetch_all(&self.pools.read)
        .await?;
        let total: i64 = sqlx::query(sql!(
            self,
            format!(
                "SELECT COUNT(*) FROM users u LEFT JOIN partners p ON p.id = u.partner_id
                 WHERE {LIST_WHERE}"
            )
        ))
        .bind(&pattern)
        .bind(f.partner_id)
        .fetch_one(&self.pools.read)
        .await?
        .try_get(0)?;
        Ok((rows.iter().map(entry_of).collect::<Result<_>>()?, total))
    }

    /// One user as an administrator sees it, enabled or not.
    pub async fn user_entry(&self, name: &str) -> Result<Option<UserEntry>> {
        let r = sqlx::query(sql!(
            self,
            "SELECT u.name, u.role, p.name AS partner, u.partner_admin, u.disabled, u.created_at,
                    CAST(CASE WHEN u.sso_subject IS NULL THEN 0 ELSE 1 END AS BIGINT) AS sso_linked
             FROM users u LEFT JOIN partners p ON p.id = u.partner_id WHERE u.name = $1"
        ))
        .bind(name.trim())
        .fetch_optional(&self.pools.read)
        .await?;
        r.as_ref().map(entry_of).transpose()
    }

    /// Changes a user's role, partner organisation or partner-admin flag (one audit entry
    /// with the values before and after). A partner user belongs to an existing
    /// organisation; other roles to none; only partner users administer one. A change of
    /// role or organisation ends the user's sessions (what they may see changed).
    pub async fn change_user(&self, actor: &Actor, name: &str, c: &UserChange) -> Result<()> {
        let r = sqlx::query(sql!(
            self,
            "SELECT u.id, u.name, u.role, u.partner_id, p.name AS partner, u.partner_admin
             FROM users u LEFT JOIN partners p ON p.id = u.partner_id WHERE u.name = $1"
        ))
        .bind(name.trim())
        .fetch_optional(&self.pools.read)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("user {}", name.trim())))?;
        let before = user_of(&r)?;
        let role = c.role.unwrap_or(before.role);
        let partner = match &c.partner {
            Some(p) => p.as_deref().map(str::trim).filter(|p| !p.is_empty()),
            // A user who stops being a partner leaves the organisation with the role.
            None if role != UserRole::Partner => None,
            None => before.partner.as_deref(),
        };
        // Administering one organisation does not carry over to another.
        let kept = partner == before.partner.as_deref() && before.partner_admin;
        let partner_admin = role == UserRole::Partner && c.partner_admin.unwrap_or(kept);
        let mut e = Errors::default();
        super::role_problems(role, partner, c.partner_admin == Some(true), &mut e);
        e.finish()?;
        let partner_id = match partner {
            Some(p) => Some(self.partner_id(p).await?),
            None => None,
        };
        let mut tx = self.pools.write.begin().await?;
        sqlx::query(sql!(
            self,
            "UPDATE users SET role = $2, partner_id = $3, partner_admin = $4 WHERE id = $1"
        ))
        .bind(before.id)
        .bind(role.key())
        .bind(partner_id)
        .bind(i64::from(partner_admin))
        .execute(&mut *tx)
        .await?;
        if role != before.role || partner_id != before.partner_id {
            self.end_access_in(&mut tx, before.id, false).await?;
        }
        let after = json!({
            "name": before.name,
            "role": role.key(),
            "partner": partner,
            "partner_admin": partner_admin,
            "before": {
                "role": before.role.key(),
                "partner": before.partner,
                "partner_admin": before.partner_admin,
            },
        });
        self.audit_user(&mut tx, actor, before.id, "update", Some(after))
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
