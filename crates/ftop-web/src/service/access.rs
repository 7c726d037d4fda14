//! Tenant access, the one rule for pages and the API: a caller who may not see the tenant
//! gets 404 (its existence is not revealed); a change needs the session's CSRF token (bearer
//! callers need none), then write access (else 403 read-only).

use crate::App;
use crate::auth::Viewer;
use crate::error::AppError;
use ftop_store::Access;

/// What the caller wants to do with the tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    Read,
    /// A change: `csrf` is the token the request carried (header or form field).
    Write,
    /// The form for a change (a page answering GET): write access, no token yet.
    Form,
}

/// The caller's access to tenant `id` when it allows `need`; `csrf` is checked first for
/// changes (a forged request learns nothing about the tenant).
pub(crate) async fn tenant(
    app: &App,
    v: &Viewer,
    id: &str,
    need: Need,
    csrf: Option<&str>,
) -> Result<Access, AppError> {
    if need == Need::Write {
        v.check_csrf(csrf)?;
    }
    match app.store.access(&v.user, id).await? {
        Access::None => Err(AppError::not_found(&format!("tenant {id}"))),
        Access::Read if need != Need::Read => Err(AppError::read_only()),
        a => Ok(a),
    }
}
