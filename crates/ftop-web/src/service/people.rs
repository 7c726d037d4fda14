//! Users and partner organisations, for pages and the API alike: who may administer whom,
//! and the checks a change passes before the store makes it.
//!
//! - Administrators administer every user and every partner organisation.
//! - A partner admin (a partner user with the partner-admin flag) administers the users of
//!   their own organisation only: they list them, add partner users to it, change their
//!   partner-admin flag, reset their passwords and deactivate them. Other users do not
//!   exist for them (404).
//! - Managers see the organisations (to attach them to tenants) but change none.
//! - Nobody deactivates themselves or changes their own role or organisation (an
//!   administrator cannot lock the last door behind them by mistake).
//!
//! Password checks and hashes take a turn from the same bound as sign-in (`auth.rs`).

use crate::App;
use crate::auth::{Viewer, hash_turn};
use crate::error::AppError;
use ftop_domain::{Errors, FieldError, UserRole};
use ftop_store::{Actor, Organisation, TokenInfo, UserChange, UserEntry, UserFilter};

/// Whose accounts the caller administers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Everyone (administrators).
    All,
    /// The users of one partner organisation (its partner admins): ID and name.
    Organisation(i64, String),
}

/// The caller's [`Scope`], or 403.
pub(crate) fn scope(v: &Viewer) -> Result<Scope, AppError> {
    let u = &v.user;
    match (u.role, u.partner_id, &u.partner) {
        (UserRole::Admin, _, _) => Ok(Scope::All),
        (UserRole::Partner, Some(id), Some(name)) if u.partner_admin => {
            Ok(Scope::Organisation(id, name.clone()))
        }
        _ => Err(AppError::forbidden("administer users")),
    }
}

/// Whether the caller administers any users (the navigation shows "Users").
pub(crate) fn administers_users(v: &Viewer) -> bool {
    scope(v).is_ok()
}

/// A user the caller administers, or 404 (users outside the scope are not revealed).
async fn in_scope(app: &App, scope: &Scope, name: &str) -> Result<UserEntry, AppError> {
    let found = app.store.user_entry(name).await?;
    match (found, scope) {
        (Some(u), Scope::All) => Ok(u),
        (Some(u), Scope::Organisation(_, org)) if u.partner.as_deref() == Some(org) => Ok(u),
        _ => Err(AppError::not_found(&format!("user {}", name.trim()))),
    }
}

/// The users the caller administers that match `search`, one page of them, and how many
/// match in all.
pub(crate) async fn list(
    app: &App,
    v: &Viewer,
    search: Option<String>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<UserEntry>, i64), AppError> {
    let partner_id = match scope(v)? {
        Scope::All => None,
        Scope::Organisation(id, _) => Some(id),
    };
    let f = UserFilter {
        search,
        partner_id,
        limit,
        offset,
    };
    Ok(app.store.user_list(&f).await?)
}

/// One user the caller administers.
pub(crate) async fn one(app: &App, v: &Viewer, name: &str) -> Result<UserEntry, AppError> {
    in_scope(app, &scope(v)?, name).await
}

/// A new account as a form or JSON body gives it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub(crate) struct NewUser {
    pub(crate) name: String,
    pub(crate) role: String,
    pub(crate) password: String,
    #[serde(default)]
    pub(crate) partner: Option<String>,
    #[serde(default)]
    pub(crate) partner_admin: bool,
}

/// A role by its key exactly (`manager`), or the field error on `role`.
fn role_of(key: &str) -> Result<UserRole, FieldError> {
    UserRole::ALL
        .iter()
        .copied()
        .find(|r| r.key() == key)
        .ok_or_else(|| FieldError::of("role", "invalid-user-role").quoting("value", key))
}

/// Creates an account. A partner admin creates partner users of their own organisation
/// only (the role and organisation sent must say so, or be left out in a form).
pub(crate) async fn create(app: &App, v: &Viewer, n: NewUser) -> Result<UserEntry, AppError> {
    let scope = scope(v)?;
    let role = role_of(&n.role).map_err(AppError::field_error)?;
    let partner = n
        .partner
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    if let Scope::Organisation(_, org) = &scope
        && (role != UserRole::Partner || partner.is_some_and(|p| p != org))
    {
        return Err(AppError::forbidden(
            "add users outside your partner organisation",
        ));
    }
    let partner = match &scope {
        Scope::Organisation(_, org) => Some(org.as_str()),
        Scope::All => partner,
    };
    if n.partner_admin && role != UserRole::Partner {
        return Err(AppError::field_error(FieldError::of(
            "partner_admin",
            "invalid-partner-admin-only",
        )));
    }
    if let Some(p) = partner {
        // An organisation is a record created first, never made up by a typo here.
        if !app.store.organisations().await?.iter().any(|o| o.name == p) {
            return Err(AppError::field_error(
                FieldError::of("partner", "invalid-partner-unknown").quoting("value", p),
            ));
        }
    }
    let actor = Actor::user(&v.user);
    let user = {
        let _turn = hash_turn().await?;
        app.store
            .add_user_with(&actor, &n.name, role, &n.password, partner, n.partner_admin)
            .await?
    };
    one(app, v, &user.name).await
}

/// Changes to an account; absent fields stay as they are.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub(crate) struct UserPatch {
    #[serde(default)]
    pub(crate) role: Option<String>,
    /// `""` or `null` removes the organisation (with a role other than partner).
    #[serde(default, deserialize_with = "some_or_null")]
    pub(crate) partner: Option<Option<String>>,
    #[serde(default)]
    pub(crate) partner_admin: Option<bool>,
    #[serde(default)]
    pub(crate) active: Option<bool>,
    /// A new password (the user's sessions end; their tokens stay).
    #[serde(default)]
    pub(crate) password: Option<String>,
    /// `false` ends the account's binding to an identity of the single sign-on provider
    /// (the next sign-in through it binds again, by e-mail); `true` is refused (bindings
    /// are made by signing in). Absent keeps the binding; `null` is refused, as the
    /// document declares a boolean.
    #[serde(default, deserialize_with = "a_boolean")]
    pub(crate) sso_linked: Option<bool>,
}

/// A field that, when present, must be a boolean (`null` refused).
fn a_boolean<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    <bool as serde::Deserialize>::deserialize(d).map(Some)
}

/// `"partner": null` is `Some(None)` (remove), a missing field `None` (keep).
fn some_or_null<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<String>>, D::Error> {
    <Option<String> as serde::Deserialize>::deserialize(d).map(Some)
}

/// Applies a [`UserPatch`] to user `name`: every field is checked before anything changes.
pub(crate) async fn update(
    app: &App,
    v: &Viewer,
    name: &str,
    p: UserPatch,
) -> Result<UserEntry, AppError> {
    let scope = scope(v)?;
    let target = in_scope(app, &scope, name).await?;
    let mut e = Errors::default();
    let role = match p.role.as_deref().map(role_of).transpose() {
        Ok(r) => r.filter(|r| *r != target.role),
        Err(f) => {
            e.push(f);
            None
        }
    };
    let partner = p
        .partner
        .clone()
        .map(|x| x.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()))
        .filter(|x| *x != target.partner);
    let myself = target.name == v.user.name;
    let admin_flag = p.partner_admin.filter(|a| *a != target.partner_admin);
    if myself && (role.is_some() || partner.is_some() || admin_flag.is_some()) {
        e.push(FieldError::of("role", "invalid-user-self-role"));
    }
    if myself && p.active == Some(false) {
        e.push(FieldError::of("active", "invalid-user-self-active"));
    }
    // One's own password is changed with the current one (`/account`, `/me/password`).
    if myself && p.password.is_some() {
        e.push(FieldError::of("password", "invalid-user-self-password"));
    }
    if let Some(pw) = &p.password {
        ftop_domain::password_problems(&target.name, pw, &mut e);
    }
    if p.sso_linked == Some(true) && !target.sso_linked {
        e.push(FieldError::of("sso_linked", "invalid-sso-link"));
    }
    e.finish().map_err(|i| AppError::invalid(i.0))?;
    if matches!(scope, Scope::Organisation(..)) && (role.is_some() || partner.is_some()) {
        return Err(AppError::forbidden(
            "move users out of your partner organisation",
        ));
    }
    // An account an administrator deactivated comes back only through an administrator.
    if matches!(scope, Scope::Organisation(..)) && p.active == Some(true) && !target.active {
        return Err(AppError::forbidden("reactivate users"));
    }
    let actor = Actor::user(&v.user);
    let change = UserChange {
        role,
        partner,
        partner_admin: admin_flag,
    };
    // The turn for hashing is taken before the first write, so a busy server refuses the
    // whole change instead of making half of it.
    let _turn = match &p.password {
        Some(_) => Some(hash_turn().await?),
        None => None,
    };
    if change.role.is_some() || change.partner.is_some() || change.partner_admin.is_some() {
        app.store.change_user(&actor, &target.name, &change).await?;
    }
    if let Some(pw) = &p.password {
        app.store.set_password(&actor, &target.name, pw).await?;
    }
    if let Some(active) = p.active.filter(|a| *a != target.active) {
        app.store
            .set_user_disabled(&actor, &target.name, !active)
            .await?;
    }
    if p.sso_linked == Some(false) && target.sso_linked {
        app.store.unlink_sso(&actor, &target.name).await?;
    }
    one(app, v, &target.name).await
}

/// The partner organisations, for administrators and managers (who attach them to
/// tenants).
pub(crate) async fn organisations(app: &App, v: &Viewer) -> Result<Vec<Organisation>, AppError> {
    if !matches!(v.user.role, UserRole::Admin | UserRole::Manager) {
        return Err(AppError::forbidden("list partner organisations"));
    }
    Ok(app.store.organisations().await?)
}

/// Creates a partner organisation (administrators).
pub(crate) async fn create_organisation(
    app: &App,
    v: &Viewer,
    name: &str,
) -> Result<Organisation, AppError> {
    admin_only(v, "create partner organisations")?;
    Ok(app
        .store
        .create_organisation(&Actor::user(&v.user), name)
        .await?)
}

/// Renames a partner organisation (administrators).
pub(crate) async fn rename_organisation(
    app: &App,
    v: &Viewer,
    id: i64,
    name: &str,
) -> Result<Organisation, AppError> {
    admin_only(v, "rename partner organisations")?;
    Ok(app
        .store
        .rename_organisation(&Actor::user(&v.user), id, name)
        .await?)
}

fn admin_only(v: &Viewer, what: &str) -> Result<(), AppError> {
    if v.user.role == UserRole::Admin {
        Ok(())
    } else {
        Err(AppError::forbidden(what))
    }
}

/// Changes the caller's own password after checking the current one (a wrong one is a
/// field error on `current`). Every session of the caller ends; the page starts a new one.
pub(crate) async fn change_own_password(
    app: &App,
    v: &Viewer,
    current: &str,
    new: &str,
) -> Result<(), AppError> {
    session_only(v, "change the password")?;
    let mut e = Errors::default();
    if current.chars().count() as u64 > ftop_domain::limits::PASSWORD.max {
        e.push(
            FieldError::of("current", "invalid-too-long")
                .with("max", ftop_domain::limits::PASSWORD.max),
        );
    }
    ftop_domain::password_problems(&v.user.name, new, &mut e);
    e.finish().map_err(|i| AppError::invalid(i.0))?;
    let _turn = hash_turn().await?;
    if app
        .store
        .verify_password(&v.user.name, current)
        .await?
        .is_none()
    {
        return Err(AppError::field_error(FieldError::of(
            "current",
            "invalid-password-current",
        )));
    }
    app.store
        .set_password(&Actor::user(&v.user), &v.user.name, new)
        .await?;
    Ok(())
}

/// The caller's own API tokens.
pub(crate) async fn own_tokens(app: &App, v: &Viewer) -> Result<Vec<TokenInfo>, AppError> {
    Ok(app.store.tokens(Some(&v.user.name)).await?)
}

/// Creates an API token for the caller: `label` says what it is for (required), `days`
/// how long it lasts (1-3,650; none: [`ftop_store::DEFAULT_TOKEN_DAYS`]). The token is
/// returned once and never shown again.
pub(crate) async fn create_own_token(
    app: &App,
    v: &Viewer,
    label: &str,
    days: Option<i64>,
) -> Result<String, AppError> {
    session_only(v, "create API tokens")?;
    let label = label.trim();
    if label.is_empty() {
        return Err(AppError::field_error(FieldError::of(
            "label",
            "invalid-token-label",
        )));
    }
    ftop_domain::limits::text("label", label, ftop_domain::limits::TEXT)
        .map_err(AppError::field_error)?;
    let days = Some(days.unwrap_or(ftop_store::DEFAULT_TOKEN_DAYS));
    Ok(app
        .store
        .create_token_expiring(&Actor::user(&v.user), &v.user.name, label, days)
        .await?)
}

/// Revokes one of the caller's own tokens: 404 when they have no such token.
pub(crate) async fn revoke_own_token(app: &App, v: &Viewer, id: i64) -> Result<(), AppError> {
    if app
        .store
        .revoke_token_of(&Actor::user(&v.user), Some(v.user.id), id)
        .await?
    {
        Ok(())
    } else {
        Err(AppError::not_found("token"))
    }
}

/// Credentials come from a signed-in browser session, never from a token: a leaked token
/// must not be able to make itself a longer-lived one or take over the password.
fn session_only(v: &Viewer, what: &str) -> Result<(), AppError> {
    if v.csrf.is_some() {
        Ok(())
    } else {
        Err(AppError::new(
            crate::error::Kind::Forbidden,
            format!("{what} from a signed-in session, not with an API token"),
        ))
    }
}
