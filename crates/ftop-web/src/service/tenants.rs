//! Tenants as a caller sees them: one tenant with the caller's access (404 when they may
//! not see it), and the partner scope of every tenant list.

use crate::App;
use crate::auth::Viewer;
use crate::error::AppError;
use ftop_domain::UserRole;
use ftop_store::{TenantFilter, TenantRead, User};

/// The tenant, the caller's access and the playbook facts, or 404.
pub(crate) async fn visible(app: &App, v: &Viewer, id: &str) -> Result<TenantRead, AppError> {
    app.store
        .tenant_for(&v.user, id)
        .await?
        .ok_or_else(|| AppError::not_found(&format!("tenant {id}")))
}

/// The partner organisation a list is limited to: a partner's own (none: `-1`, which
/// matches nothing); None for everyone else.
pub(crate) fn partner_scope(user: &User) -> Option<i64> {
    (user.role == UserRole::Partner).then(|| user.partner_id.unwrap_or(-1))
}

/// The tenants the caller may write notes on (admins: all; partners: their organisation's;
/// managers and engineers: those assigned to them), at most 500: the editor's list.
pub(crate) fn writable_filter(user: &User) -> TenantFilter {
    TenantFilter {
        assigned_to: matches!(user.role, UserRole::Manager | UserRole::Engineer).then_some(user.id),
        partner_id: partner_scope(user),
        limit: Some(500),
        ..TenantFilter::default()
    }
}
