//! Who works on a tenant, for pages and the API: reading a tenant's assignments and
//! replacing them as a whole, with the rule of who may assign whom:
//!
//! - administrators and FastTrack managers assign anyone the role fits (FastTrack staff to
//!   FastTrack roles, the users of an attached partner organisation to partner roles);
//! - a partner admin assigns the users of their own organisation to partner roles, on the
//!   tenants of their organisation, and changes no other assignment;
//! - everyone else reads them.
//!
//! The store checks that each assignment fits (`plan_assignments`); this module checks the
//! caller may make each change the plan holds, then applies it in one transaction.

use crate::App;
use crate::auth::Viewer;
use crate::error::AppError;
use crate::service::access::{self, Need};
use ftop_domain::UserRole;
use ftop_store::{Actor, Assignment, AssignmentSpec, is_partner_role};
use serde::{Deserialize, Serialize};

/// An assignment as the API and the panel show it: `service` null for the whole tenant.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct AssignmentView {
    pub(crate) user: String,
    pub(crate) role: String,
    #[serde(default)]
    pub(crate) service: Option<String>,
    #[serde(default)]
    pub(crate) primary: bool,
}

impl From<&Assignment> for AssignmentView {
    fn from(a: &Assignment) -> Self {
        AssignmentView {
            user: a.user.clone(),
            role: a.role.key().to_string(),
            service: Some(a.service.clone()).filter(|s| !s.is_empty()),
            primary: a.primary,
        }
    }
}

/// Tenant `id`'s assignments, for a caller who may see the tenant.
pub(crate) async fn list(app: &App, v: &Viewer, id: &str) -> Result<Vec<AssignmentView>, AppError> {
    access::tenant(app, v, id, Need::Read, None).await?;
    let all = app.store.assignments(&id.to_ascii_lowercase()).await?;
    Ok(all.iter().map(AssignmentView::from).collect())
}

/// Whether the caller may make a change touching assignment `a`.
async fn may_change(app: &App, v: &Viewer, a: &Assignment) -> Result<bool, AppError> {
    let u = &v.user;
    Ok(match u.role {
        UserRole::Admin | UserRole::Manager => true,
        UserRole::Partner if u.partner_admin && is_partner_role(a.role) => {
            let member = app.store.user_by_id_any(a.user_id).await?;
            member.is_some_and(|m| m.partner_id.is_some() && m.partner_id == u.partner_id)
        }
        _ => false,
    })
}

/// Replaces tenant `id`'s assignments with `wanted` (each checked, all or nothing) and
/// returns the new set. `csrf`: the token a session caller sent.
pub(crate) async fn replace(
    app: &App,
    v: &Viewer,
    id: &str,
    csrf: Option<&str>,
    wanted: Vec<AssignmentView>,
) -> Result<Vec<AssignmentView>, AppError> {
    authorize(app, v, id, csrf).await?;
    let specs: Vec<AssignmentSpec> = wanted
        .into_iter()
        .map(|w| AssignmentSpec {
            user: w.user,
            role: w.role,
            service: w.service.unwrap_or_default(),
            primary: w.primary,
        })
        .collect();
    let plan = app.store.plan_assignments(id, &specs).await?;
    for a in plan.changes() {
        if !may_change(app, v, a).await? {
            return Err(AppError::forbidden(
                "change assignments outside your partner organisation's roles",
            ));
        }
    }
    let after = app
        .store
        .apply_assignments(&Actor::user(&v.user), &plan)
        .await?;
    Ok(after.iter().map(AssignmentView::from).collect())
}

/// Whether the caller assigns people at all (administrators, managers, partner admins).
pub(crate) fn assigns(v: &Viewer) -> bool {
    match v.user.role {
        UserRole::Admin | UserRole::Manager => true,
        UserRole::Partner => v.user.partner_admin,
        _ => false,
    }
}

/// May the caller change tenant `id`'s assignments at all? (CSRF first, then the tenant,
/// then the role.)
pub(crate) async fn authorize(
    app: &App,
    v: &Viewer,
    id: &str,
    csrf: Option<&str>,
) -> Result<(), AppError> {
    // Managers staff any tenant they see (a new tenant has no one assigned yet); a
    // partner admin works on the tenants their organisation may change.
    let need = match v.user.role {
        UserRole::Admin | UserRole::Manager => Need::Read,
        _ => Need::Write,
    };
    v.check_csrf(csrf)?;
    access::tenant(app, v, id, need, csrf).await?;
    if !assigns(v) {
        return Err(AppError::forbidden("assign people to tenants"));
    }
    Ok(())
}

/// Who attaches partner organisations to a tenant or removes them: administrators and
/// managers, on any tenant they see (like staffing it: a new tenant has no one assigned
/// yet); a partner never grants another organisation access.
pub(crate) async fn may_link_partners(
    app: &App,
    v: &Viewer,
    id: &str,
    csrf: Option<&str>,
) -> Result<(), AppError> {
    v.check_csrf(csrf)?;
    access::tenant(app, v, id, Need::Read, csrf).await?;
    if links_partners(v) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "attach or remove partner organisations",
        ))
    }
}

/// The role rule of [`may_link_partners`] (for pages deciding whether to show the form).
pub(crate) fn links_partners(v: &Viewer) -> bool {
    matches!(v.user.role, UserRole::Admin | UserRole::Manager)
}

/// Bulk reassignment: administrators and managers.
pub(crate) fn may_reassign(v: &Viewer) -> Result<(), AppError> {
    match v.user.role {
        UserRole::Admin | UserRole::Manager => Ok(()),
        _ => Err(AppError::forbidden("reassign people in bulk")),
    }
}

/// One row of a reassignment preview: an assignment of the person leaving, and whether it
/// is selected to move.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MoveView {
    pub(crate) id: i64,
    pub(crate) tenant_id: String,
    pub(crate) tenant_name: String,
    pub(crate) role: String,
    pub(crate) service: Option<String>,
    pub(crate) primary: bool,
    pub(crate) selected: bool,
}

/// What moving `from`'s assignments to `to` would do, with `exclude` (assignment IDs) left
/// out: every row, and how many are selected and deselected.
pub(crate) async fn preview(
    app: &App,
    v: &Viewer,
    from: &str,
    to: &str,
    exclude: &[i64],
) -> Result<(Vec<MoveView>, usize, usize), AppError> {
    may_reassign(v)?;
    let mut e = Vec::new();
    if app.store.user_by_name(to).await?.is_none() {
        e.push(ftop_domain::FieldError::of("to", "invalid-user-unknown").quoting("value", to));
    }
    // The person leaving may be deactivated already.
    if app.store.user_any(from).await?.is_none() {
        e.push(ftop_domain::FieldError::of("from", "invalid-user-unknown").quoting("value", from));
    }
    if !e.is_empty() {
        return Err(AppError::invalid(e));
    }
    let rows: Vec<MoveView> = app
        .store
        .reassignment_preview(from)
        .await?
        .into_iter()
        .map(|m| MoveView {
            selected: !exclude.contains(&m.id),
            id: m.id,
            tenant_id: m.tenant_id,
            tenant_name: m.tenant_name,
            role: m.role.key().to_string(),
            service: Some(m.service).filter(|s| !s.is_empty()),
            primary: m.primary,
        })
        .collect();
    let selected = rows.iter().filter(|r| r.selected).count();
    let deselected = rows.len() - selected;
    Ok((rows, selected, deselected))
}

/// Moves `from`'s assignments but `exclude` to `to` in one transaction; how many moved.
/// `csrf`: the token a session caller sent.
pub(crate) async fn reassign(
    app: &App,
    v: &Viewer,
    csrf: Option<&str>,
    from: &str,
    to: &str,
    exclude: &[i64],
) -> Result<u64, AppError> {
    v.check_csrf(csrf)?;
    may_reassign(v)?;
    Ok(app
        .store
        .reassign(&Actor::user(&v.user), from, to, exclude)
        .await?)
}

/// The partner organisations on tenant `id`, by name, for a caller who may see it.
pub(crate) async fn tenant_partners(
    app: &App,
    v: &Viewer,
    id: &str,
) -> Result<Vec<String>, AppError> {
    access::tenant(app, v, id, Need::Read, None).await?;
    let list = app.store.tenant_partners(&id.to_ascii_lowercase()).await?;
    Ok(list.into_iter().map(|(name, _)| name).collect())
}

/// Sets the partner organisations on tenant `id` to `names` (each an existing
/// organisation): those missing are attached, those not named removed, each audited.
/// Managers and administrators who may change the tenant, as on its Partners tab.
pub(crate) async fn set_tenant_partners(
    app: &App,
    v: &Viewer,
    id: &str,
    csrf: Option<&str>,
    names: Vec<String>,
) -> Result<Vec<String>, AppError> {
    may_link_partners(app, v, id, csrf).await?;
    let known: Vec<String> = app
        .store
        .organisations()
        .await?
        .into_iter()
        .map(|o| o.name)
        .collect();
    let mut wanted: Vec<String> = Vec::new();
    let mut bad = Vec::new();
    for (i, n) in names.iter().enumerate() {
        let n = n.trim();
        if !known.iter().any(|k| k == n) {
            bad.push(
                ftop_domain::FieldError::of(format!("partners[{i}]"), "invalid-partner-unknown")
                    .quoting("value", n),
            );
        } else if !wanted.iter().any(|w| w == n) {
            wanted.push(n.to_string());
        }
    }
    if !bad.is_empty() {
        return Err(AppError::invalid(bad));
    }
    let actor = Actor::user(&v.user);
    let id = id.to_ascii_lowercase();
    let current = tenant_partners(app, v, &id).await?;
    for n in wanted.iter().filter(|n| !current.contains(n)) {
        app.store.add_tenant_partner(&actor, &id, n, false).await?;
    }
    for n in current.iter().filter(|c| !wanted.contains(c)) {
        app.store.remove_tenant_partner(&actor, &id, n).await?;
    }
    tenant_partners(app, v, &id).await
}
