//! Tenants as a caller sees them: one tenant with the caller's access (404 when they may
//! not see it), and the partner scope of every tenant list.

use crate::App;
use crate::auth::Viewer;
use crate::error::AppError;
use ftop_domain::UserRole;
use ftop_store::{TaskView, TenantFilter, TenantRead, User};

/// The tenant, the caller's access and the playbook facts, or 404.
pub(crate) async fn visible(app: &App, v: &Viewer, id: &str) -> Result<TenantRead, AppError> {
    app.store
        .tenant_for(&v.user, id)
        .await?
        .ok_or_else(|| AppError::not_found(&format!("tenant {id}")))
}

/// [`visible`] with the tenant's tasks, as the task list and the Playbook tab show them.
pub(crate) async fn visible_with_tasks(
    app: &App,
    v: &Viewer,
    id: &str,
) -> Result<(TenantRead, Vec<TaskView>), AppError> {
    app.store
        .tenant_with_tasks(&v.user, id)
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

/// A new tenant as a form or JSON body gives it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub(crate) struct NewTenantBody {
    pub(crate) tenant_id: String,
    pub(crate) tenant_name: String,
    pub(crate) customer: String,
    #[serde(default)]
    pub(crate) services: Vec<NewService>,
}

/// One service line of a new tenant; qualified seats default to the entitlements.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub(crate) struct NewService {
    pub(crate) service: String,
    pub(crate) entitlements: i64,
    #[serde(default)]
    pub(crate) qualified_entitlements: Option<i64>,
}

/// Who creates tenants: administrators and managers.
pub(crate) fn may_create(v: &Viewer) -> Result<(), AppError> {
    if matches!(v.user.role, UserRole::Admin | UserRole::Manager) {
        Ok(())
    } else {
        Err(AppError::forbidden("create tenants"))
    }
}

/// Creates a tenant (administrators and managers). A tenant ID that exists is a conflict
/// (409); anything else wrong, the fields at fault (422).
pub(crate) async fn create(
    app: &App,
    v: &Viewer,
    b: NewTenantBody,
) -> Result<ftop_store::Tenant, AppError> {
    may_create(v)?;
    ftop_domain::limits::count(
        "services",
        b.services.len() as u64,
        ftop_domain::limits::LIST_ITEMS,
    )
    .map_err(AppError::field_error)?;
    let t = ftop_store::NewTenant {
        tenant_id: b.tenant_id,
        name: b.tenant_name,
        customer: b.customer,
        services: b
            .services
            .into_iter()
            .map(|s| (s.service, s.entitlements, s.qualified_entitlements))
            .collect(),
    };
    match app
        .store
        .add_tenant(&ftop_store::Actor::user(&v.user), &t)
        .await
    {
        Err(ftop_store::StoreError::Invalid(i))
            if i.0.iter().any(|f| f.id == "invalid-tenant-exists") =>
        {
            Err(AppError {
                fields: i.0,
                ..AppError::new(
                    crate::error::Kind::Conflict,
                    "a tenant with this ID exists already",
                )
            })
        }
        r => Ok(r?),
    }
}

/// Changes to a tenant's record as a form or JSON body gives them (absent: unchanged).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub(crate) struct TenantEditBody {
    pub(crate) tenant_name: Option<String>,
    pub(crate) customer: Option<String>,
    pub(crate) services: Option<Vec<NewService>>,
}

impl TenantEditBody {
    /// The store's edit, with the list's size checked.
    pub(crate) fn into_edit(self) -> Result<ftop_store::TenantEdit, AppError> {
        let services = self.services.unwrap_or_default();
        ftop_domain::limits::count(
            "services",
            services.len() as u64,
            ftop_domain::limits::LIST_ITEMS,
        )
        .map_err(AppError::field_error)?;
        Ok(ftop_store::TenantEdit {
            name: self.tenant_name,
            customer: self.customer,
            services: services
                .into_iter()
                .map(|s| (s.service, s.entitlements, s.qualified_entitlements))
                .collect(),
        })
    }
}

/// Changes a tenant's record and engagement fields at `version`, all or nothing. Its record
/// (name, customer, services) is changed by administrators and managers on any tenant they
/// see, like creating one; its engagement fields need write access. Record fields sent as
/// they are stored change nothing and need no such role (a tenant read and sent back).
pub(crate) async fn change(
    app: &App,
    v: &Viewer,
    id: &str,
    csrf: Option<&str>,
    version: i64,
    edit: &ftop_store::TenantEdit,
    u: &ftop_store::EngagementUpdate,
) -> Result<ftop_store::Tenant, AppError> {
    v.check_csrf(csrf)?;
    let current = visible(app, v, id).await?;
    let edit = changed_only(&current.tenant, edit);
    if (!u.is_empty() || edit.is_empty()) && current.access != ftop_store::Access::Write {
        return Err(AppError::read_only());
    }
    if !edit.is_empty() {
        may_create(v)?;
    }
    Ok(app
        .store
        .change_tenant(&ftop_store::Actor::user(&v.user), id, version, &edit, u)
        .await?)
}

/// `edit` without what the tenant already is.
fn changed_only(t: &ftop_store::Tenant, edit: &ftop_store::TenantEdit) -> ftop_store::TenantEdit {
    let same_service = |(s, total, q): &(String, i64, Option<i64>)| {
        t.services.iter().any(|l| {
            l.service == *s && l.entitlements == *total && l.qualified == q.unwrap_or(*total)
        })
    };
    ftop_store::TenantEdit {
        name: edit.name.clone().filter(|n| n.trim() != t.name),
        customer: edit.customer.clone().filter(|c| c.trim() != t.customer),
        services: edit
            .services
            .iter()
            .filter(|s| !same_service(s))
            .cloned()
            .collect(),
    }
}

/// Grants (with a reason) or ends a tenant's eligibility exception: administrators only.
pub(crate) async fn set_exception(
    app: &App,
    v: &Viewer,
    id: &str,
    csrf: Option<&str>,
    exception: bool,
    reason: Option<&str>,
) -> Result<ftop_store::Tenant, AppError> {
    v.check_csrf(csrf)?;
    visible(app, v, id).await?;
    if v.user.role != UserRole::Admin {
        return Err(AppError::forbidden("grant eligibility exceptions"));
    }
    Ok(app
        .store
        .set_tenant_exception(&ftop_store::Actor::user(&v.user), id, exception, reason)
        .await?)
}

/// Sets a tenant's priority by hand or back to its default, as a form or body names it:
/// `high`, `medium` or `low` (overridden) or `default`. Whoever may change the tenant;
/// who may is checked before what is asked.
pub(crate) async fn set_priority(
    app: &App,
    v: &Viewer,
    id: &str,
    csrf: Option<&str>,
    choice: &str,
) -> Result<ftop_store::Tenant, AppError> {
    v.check_csrf(csrf)?;
    let current = visible(app, v, id).await?;
    if current.access != ftop_store::Access::Write {
        return Err(AppError::read_only());
    }
    let level = match choice.trim() {
        "default" => None,
        other => Some(
            ftop_domain::Priority::parse(other)
                .map(ftop_domain::Priority::level)
                .ok_or_else(|| {
                    AppError::field_error(
                        ftop_domain::FieldError::of("priority", "invalid-choice")
                            .quoting("value", other),
                    )
                })?,
        ),
    };
    Ok(app
        .store
        .set_priority(
            &ftop_store::Actor::user(&v.user),
            &current.tenant.tenant_id,
            level,
        )
        .await?)
}
