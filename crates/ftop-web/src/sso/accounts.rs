//! From a checked identity to an ftop account: found by the provider's subject recorded at
//! an earlier sign-in (qualified by the issuer: a subject is unique only at its provider),
//! else (the first time) by verified e-mail or made just in time when the operator turned
//! that on. With a role map, the provider's groups decide the role at every sign-in and an
//! identity none of them matches is refused. Every change is audited as the `sso` actor.

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
    /// The account is bound to another identity of the provider, or the e-mail names
    /// several accounts.
    OtherIdentity,
    /// The claims give no role (or a partner no organisation ftop knows).
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

/// The key an identity is recorded by: issuer and subject.
pub(crate) fn subject_key(cfg: &SsoConfig, id: &Identity) -> String {
    format!("{}#{}", cfg.issuer.trim_end_matches('/'), id.subject)
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

/// The e-mail address to match or name a new account by: only one the provider says is
/// verified (or, when the operator trusts the provider's addresses, one it says nothing
/// about).
fn email<'a>(cfg: &SsoConfig, id: &'a Identity) -> Option<&'a str> {
    let verified = match id.email_verified {
        Some(v) => v,
        None => cfg.trust_email,
    };
    id.email.as_deref().filter(|_| verified)
}

/// The account `id` signs in as, found, linked, made or brought up to date.
pub(crate) async fn account_for(
    store: &Store,
    cfg: &SsoConfig,
    id: &Identity,
) -> Result<Result<User, Refusal>, StoreError> {
    let actor = Actor::system("sso");
    let key = subject_key(cfg, id);
    let found = match store.sso_account_by_subject(&key).await? {
        Some(a) => Some(a),
        None => match (cfg.match_by, email(cfg, id)) {
            (MatchBy::Email, Some(mail)) => {
                let named = store.sso_accounts_named(mail).await?;
                // Names differing only in case: an exact match decides, else nobody.
                let exact = named.iter().filter(|a| a.user.name == mail).count();
                let one = match (named.len(), exact) {
                    (0, _) => None,
                    (1, _) | (_, 1) => named.into_iter().next(),
                    _ => {
                        tracing::warn!(%mail, "sso: the address names several accounts");
                        return Ok(Err(Refusal::OtherIdentity));
                    }
                };
                match one {
                    Some(a) if a.subject.is_some() => return Ok(Err(Refusal::OtherIdentity)),
                    Some(a) => {
                        if a.active {
                            store.link_sso_subject(&actor, a.user.id, &key).await?;
                        }
                        Some(a)
                    }
                    None => None,
                }
            }
            _ => None,
        },
    };
    let rule = grant(cfg, id);
    let Some(SsoAccount { user, active, .. }) = found else {
        return create(store, cfg, id, &key, rule).await;
    };
    if !active {
        return Ok(Err(Refusal::Inactive));
    }
    if cfg.roles.is_empty() {
        // Roles are managed in ftop.
        return Ok(Ok(user));
    }
    // The provider's groups decide: none of them (left the group, or a claim too large
    // to be sent) is no access.
    let Some(rule) = rule else {
        return Ok(Err(Refusal::NoRole));
    };
    // A partner stays in their organisation: a claim never moves them to another one (an
    // administrator does); one who becomes a partner joins the organisation the claim names.
    let org = match (rule.role, &user.partner) {
        (UserRole::Partner, Some(current)) => {
            if organisation(cfg, id).is_some_and(|o| &o != current) {
                tracing::warn!(user = %user.name, "sso: the organisation claim differs; not moved");
            }
            Some(current.clone())
        }
        (UserRole::Partner, None) => match organisation(cfg, id) {
            Some(o) => Some(o),
            None => return Ok(Err(Refusal::NoRole)),
        },
        _ => None,
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
    tracing::info!(user = %user.name, role = rule.role.key(), "sso: role set from the provider's groups");
    Ok(store.user_by_id(user.id).await?.ok_or(Refusal::Inactive))
}

/// An account made at the first sign-in, when the operator allows it: named by the
/// verified e-mail address (else the subject), with the role the groups give.
async fn create(
    store: &Store,
    cfg: &SsoConfig,
    id: &Identity,
    key: &str,
    rule: Option<&RoleRule>,
) -> Result<Result<User, Refusal>, StoreError> {
    if !cfg.create_users {
        return Ok(Err(Refusal::NoAccount));
    }
    let Some(rule) = rule else {
        return Ok(Err(Refusal::NoRole));
    };
    let org = organisation(cfg, id).filter(|_| rule.role == UserRole::Partner);
    if rule.role == UserRole::Partner && org.is_none() {
        return Ok(Err(Refusal::NoRole));
    }
    let name = email(cfg, id).unwrap_or(&id.subject);
    let actor = Actor::system("sso");
    match store
        .add_sso_user(
            &actor,
            name,
            rule.role,
            org.as_deref(),
            rule.partner_admin,
            key,
        )
        .await
    {
        Ok(u) => Ok(Ok(u)),
        Err(e) => unfit(&id.subject, e).map(Err),
    }
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
