//! The Enterprise status of an enterprise tenant, for the Status tab and
//! `/api/v1/tenants/{id}/enterprise-status`.
//!
//! Which tenants have one: those eligible for the Enterprise additional benefits, with at
//! least 20,000 qualified seats in one service or the enterprise exception recorded
//! (`ftop_domain::enterprise::has_enterprise_status`). Any other tenant has none: its Status
//! tab shows no Enterprise section, and the API answers 404 `not-found` (reading and adding
//! alike) with a message that says the tenant is not an enterprise tenant, after the usual
//! checks (a tenant the caller may not see is 404 as always; a caller who may not add is
//! 403 first).
//!
//! Who reads it: everyone who sees the tenant (partners on their organisation's tenants,
//! guests). Who adds an entry (the spec: the assigned FastTrack architect or health
//! FastTrack manager keeps it): administrators and FastTrack managers (users of the manager
//! role, who run the portfolio) on any enterprise tenant, and a FastTrack engineer only when
//! assigned to the tenant as FastTrack manager, FastTrack architect, FastTrack architect 2
//! or Get Modern FastTrack architect. Partners and guests only read: the status is
//! FastTrack's account of the relationship, not the partner's delivery.

use crate::App;
use crate::auth::Viewer;
use crate::error::AppError;
use ftop_domain::enterprise::{EnterpriseDraft, has_enterprise_status};
use ftop_domain::{AssignmentRole, UserRole};
use ftop_store::{Assignment, EnterpriseStatus};

/// The assignment roles that keep a tenant's Enterprise status.
const KEEPERS: [AssignmentRole; 4] = [
    AssignmentRole::FastTrackManager,
    AssignmentRole::Architect,
    AssignmentRole::ArchitectV2,
    AssignmentRole::GetModernArchitect,
];

/// Whether `v` may add entries to the Enterprise status of a tenant with `assignments`.
pub(crate) fn may_add(v: &Viewer, assignments: &[Assignment]) -> bool {
    match v.user.role {
        UserRole::Admin | UserRole::Manager => true,
        UserRole::Engineer => assignments
            .iter()
            .any(|a| a.user_id == v.user.id && KEEPERS.contains(&a.role)),
        UserRole::Partner | UserRole::Guest => false,
    }
}

/// 404 for a tenant without an Enterprise status.
fn not_enterprise(id: &str) -> AppError {
    AppError::new(
        crate::error::Kind::NotFound,
        format!(
            "tenant {id} has no enterprise status: it is not an enterprise tenant (fewer than \
             20,000 qualified seats in every service and no enterprise exception)"
        ),
    )
}

/// The entries of the Enterprise status of a tenant `v` can see, newest (current) first.
pub(crate) async fn read(
    app: &App,
    v: &Viewer,
    id: &str,
) -> Result<Vec<EnterpriseStatus>, AppError> {
    let t = super::tenants::visible(app, v, id).await?;
    if !has_enterprise_status(&t.facts) {
        return Err(not_enterprise(&t.tenant.tenant_id));
    }
    Ok(app.store.enterprise_statuses(&t.tenant.tenant_id).await?)
}

/// Adds an entry (with the session's CSRF token when signed in with a cookie): who may
/// is checked before the tenant's kind and the fields.
pub(crate) async fn add(
    app: &App,
    v: &Viewer,
    id: &str,
    csrf: Option<&str>,
    d: &EnterpriseDraft,
) -> Result<EnterpriseStatus, AppError> {
    let tenant = authorize(app, v, id, csrf).await?;
    save(app, v, &tenant, d).await
}

/// Whether `v` may add to the Enterprise status of tenant `id` (the CSRF token, the
/// tenant visible, the role, an enterprise tenant): the tenant's ID in its normal form.
/// Called before what is asked is read, so a refused caller learns nothing of it.
pub(crate) async fn authorize(
    app: &App,
    v: &Viewer,
    id: &str,
    csrf: Option<&str>,
) -> Result<String, AppError> {
    v.check_csrf(csrf)?;
    let t = super::tenants::visible(app, v, id).await?;
    let assignments = app.store.assignments(&t.tenant.tenant_id).await?;
    if !may_add(v, &assignments) {
        return Err(AppError::forbidden("add to a tenant's enterprise status"));
    }
    if !has_enterprise_status(&t.facts) {
        return Err(not_enterprise(&t.tenant.tenant_id));
    }
    Ok(t.tenant.tenant_id)
}

/// Adds an entry to the Enterprise status of `tenant`, which [`authorize`] gave.
pub(crate) async fn save(
    app: &App,
    v: &Viewer,
    tenant: &str,
    d: &EnterpriseDraft,
) -> Result<EnterpriseStatus, AppError> {
    Ok(app
        .store
        .add_enterprise_status(&ftop_store::Actor::user(&v.user), tenant, d)
        .await?)
}
