//! From a checked identity to an ftop account: found by the subject recorded at an earlier
//! sign-in, else (the first time) by e-mail or made just in time when the operator turned
//! that on; the role claim, when configured, keeps the account's role and organisation as
//! the provider says. Every change is audited as the `sso` actor.

use super::{Identity, MatchBy, RoleRule, SsoConfig};
use ftop_domain::UserRole;
use ftop_store::{Actor, SsoAccount, Store, StoreError, User, UserChange};

/// Why an identity gets no session (shown translated; the details are logged).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// No account matches and none may be made.
    NoAccount,
    /// The account was deactivated.
    Inactive,
    /// The account is bound to another identity of the provider.
    OtherIdentity,
    /// A new account needs a role (or a partner its organisation) the claims do not give.
    NoRole,
}

impl Refusal {
    /// The message key of the sign-in page.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Refusal::NoAccount => "sso-no-account",
            Refusal::Inactive => "sso-inactive",
            Refusal::OtherIdentity => "sso-other-identity",
            Refusal::NoRole => "sso-no-role",
        }
    }
}

/// What the claims grant: the most powerful matching rule.
fn grant<'a>(cfg: &'a SsoConfig, id: &Identity) -> Option<&'a RoleRule> {
    let values: Vec<&str> = match id.claims.get(&cfg.role_claim) {
        Some(serde_json::Value::String(s)) => vec![s.as_str()],
        Some(serde_json::Value::Array(a)) => a.iter().filter_map(|v| v.as_str()).collect(),
        _ => vec![],
    };
    let rank = |r: &RoleRule| match (r.role, r.partner_admin) {
        (UserRole::Admin, _) => 5,
        (UserRole::Manager, _) => 4,
        (UserRole::Engineer, _) => 3,
        (UserRole::Partner, true) => 2,
        (UserRole::Partner, false) => 1,
        (UserRole::Guest, _) => 0,
    };
    cfg.roles
        .iter()
        .filter(|r| values.contains(&r.value.as_str()))
        .max_by_key(|r| rank(r))
}

/// The organisation the claims name, for partner users.
fn organisation(cfg: &SsoConfig, id: &Identity) -> Option<String> {
    id.claims
        .get(&cfg.org_claim)
        .and_then(|v| v.as_str())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The e-mail address to match or name a new account by: only when the provider does
/// not say it is unverified.
fn email(id: &Identity) -> Option<&str> {
    id.email
        .as_deref()
        .filter(|_| id.email_verified != Some(false))
}

/// The account `id` signs in as, found, linked, made or brought up to date.
pub(crate) async fn account_for(
    store: &Store,
    cfg: &SsoConfig,
    id: &Identity,
) -> Result<Result<User, Refusal>, StoreError> {
    let actor = Actor::system("sso");
    let found = match store.sso_account_by_subject(&id.subject).await? {
        Some(a) => Some(a),
        None => match (cfg.match_by, email(id)) {
            (MatchBy::Email, Some(mail)) => match store.sso_account_by_name(mail).await? {
                Some(a) if a.subject.is_some() => return Ok(Err(Refusal::OtherIdentity)),
                Some(a) => {
                    if a.active {
                        store
                            .link_sso_subject(&actor, a.user.id, &id.subject)
                            .await?;
                    }
                    Some(a)
                }
                None => None,
            },
            _ => None,
        },
    };
    let rule = grant(cfg, id);
    let Some(SsoAccount { user, active, .. }) = found else {
        if !cfg.create_users {
            return Ok(Err(Refusal::NoAccount));
        }
        let Some(rule) = rule else {
            return Ok(Err(Refusal::NoRole));
        };
        let org = organisation(cfg, id);
        if rule.role == UserRole::Partner && org.is_none() {
            return Ok(Err(Refusal::NoRole));
        }
        let name = match cfg.match_by {
            MatchBy::Email => email(id).or(id.username.as_deref()),
            MatchBy::Subject => id.username.as_deref().or(email(id)),
        }
        .unwrap_or(&id.subject);
        let org = org.filter(|_| rule.role == UserRole::Partner);
        return match store
            .add_sso_user(
                &actor,
                name,
                rule.role,
                org.as_deref(),
                rule.partner_admin,
                &id.subject,
            )
            .await
        {
            Ok(u) => Ok(Ok(u)),
            Err(e) => unfit(&id.subject, e).map(Err),
        };
    };
    if !active {
        return Ok(Err(Refusal::Inactive));
    }
    // The provider's groups decide the role when they name one.
    let Some(rule) = rule else {
        return Ok(Ok(user));
    };
    let org = if rule.role == UserRole::Partner {
        match organisation(cfg, id).or_else(|| user.partner.clone()) {
            Some(o) => Some(o),
            None => return Ok(Err(Refusal::NoRole)),
        }
    } else {
        None
    };
    if user.role == rule.role && user.partner == org && user.partner_admin == rule.partner_admin {
        return Ok(Ok(user));
    }
    let change = UserChange {
        role: Some(rule.role),
        partner: Some(org),
        partner_admin: Some(rule.partner_admin),
    };
    if let Err(e) = store.change_user(&actor, &user.name, &change).await {
        return unfit(&user.name, e).map(Err);
    }
    tracing::info!(user = %user.name, role = rule.role.key(), "sso: role updated from the provider's claims");
    Ok(store.user_by_id(user.id).await?.ok_or(Refusal::Inactive))
}

/// A store refusal of what the claims ask for (an unknown organisation, a name ftop cannot
/// hold, a name taken) as the reader's reason, logged; other failures stay failures.
fn unfit(who: &str, e: StoreError) -> Result<Refusal, StoreError> {
    let refusal = match &e {
        StoreError::Invalid(_) | StoreError::NotFound(_) => Refusal::NoRole,
        StoreError::Conflict(_) => Refusal::OtherIdentity,
        _ => return Err(e),
    };
    tracing::warn!(%who, error = %e, "sso: the provider's claims do not fit an account");
    Ok(refusal)
}
