//! Who delivers a tenant's service (engagement scenario, delivery teams, engagement start
//! date) and whom its Active Usage growth is credited to, for the Services tab and
//! `/api/v1/tenants/{id}/services/{service}/delivery`.
//!
//! The scenario decides who is paid for a service's adoption, so only FastTrack managers
//! and administrators change it, on any tenant they can see; everyone who sees the tenant
//! reads it.

use crate::App;
use crate::auth::Viewer;
use crate::error::AppError;
use ftop_domain::{AssignmentRole, Credit, UserRole};
use ftop_store::{Delivery, DeliveryUpdate};

/// Whether `v` may change a service's delivery (managers and administrators).
pub(crate) fn may_change(v: &Viewer) -> bool {
    matches!(v.user.role, UserRole::Admin | UserRole::Manager)
}

/// The delivery of a service of a tenant `v` can see.
pub(crate) async fn read(
    app: &App,
    v: &Viewer,
    id: &str,
    service: &str,
) -> Result<Delivery, AppError> {
    let t = super::tenants::visible(app, v, id).await?;
    Ok(app.store.delivery(&t.tenant.tenant_id, service).await?)
}

/// Replaces the delivery of a service (managers and administrators, with the session's
/// CSRF token when signed in with a cookie).
pub(crate) async fn change(
    app: &App,
    v: &Viewer,
    (id, service): (&str, &str),
    csrf: Option<&str>,
    version: i64,
    u: &DeliveryUpdate,
) -> Result<Delivery, AppError> {
    let tenant = authorize(app, v, id, csrf).await?;
    save(app, v, (&tenant, service), version, u).await
}

/// Replaces the delivery of a service of `tenant`, which [`authorize`] gave.
pub(crate) async fn save(
    app: &App,
    v: &Viewer,
    (tenant, service): (&str, &str),
    version: i64,
    u: &DeliveryUpdate,
) -> Result<Delivery, AppError> {
    Ok(app
        .store
        .set_delivery(
            &ftop_store::Actor::user(&v.user),
            tenant,
            service,
            version,
            u,
        )
        .await?)
}

/// Whether `v` may change the deliveries of tenant `id` (the CSRF token, then the tenant
/// visible, then the role): the tenant's ID in its normal form.
pub(crate) async fn authorize(
    app: &App,
    v: &Viewer,
    id: &str,
    csrf: Option<&str>,
) -> Result<String, AppError> {
    v.check_csrf(csrf)?;
    let t = super::tenants::visible(app, v, id).await?;
    if !may_change(v) {
        return Err(AppError::forbidden(
            "change a service's engagement scenario",
        ));
    }
    Ok(t.tenant.tenant_id)
}

/// Whom the service's growth is credited to, with the primary assigned for it (the
/// service's own primary of the role, else the tenant's): the partner's regional manager
/// when a partner leads or assists, the FastTrack manager when FastTrack leads.
pub(crate) fn credited(
    d: &Delivery,
    assignments: &[ftop_store::Assignment],
) -> (Credit, Option<String>) {
    let credit = d.scenario.credit();
    let role = match credit {
        Credit::Partner => AssignmentRole::PartnerRegionalManager,
        Credit::FastTrack => AssignmentRole::FastTrackManager,
        Credit::Nobody => return (credit, None),
    };
    let primary = |service: &str| {
        assignments
            .iter()
            .find(|a| a.role == role && a.primary && a.service == service)
            .map(|a| a.user.clone())
    };
    (credit, primary(&d.service).or_else(|| primary("")))
}
