//! A customer as a caller sees it: its tenants the caller may see, their seats added up,
//! and the Active Usage of each service across them. A customer none of whose tenants the
//! caller may see does not exist for them (404), like a tenant.

use crate::App;
use crate::auth::Viewer;
use crate::error::AppError;
use ftop_store::{CombinedService, Customer, TenantFilter, TenantSort, TenantSummary};

/// The most tenants a customer's page lists.
pub(crate) const MAX_TENANTS: i64 = 1000;

/// What a customer's page and `GET /api/v1/customers/{id}` show.
pub(crate) struct CustomerView {
    pub(crate) customer: Customer,
    /// Its tenants the caller may see, by name (at most [`MAX_TENANTS`]).
    pub(crate) tenants: Vec<TenantSummary>,
    /// How many there are in all.
    pub(crate) total: i64,
    /// Their qualified seats added up (each tenant's largest service), over all of them.
    pub(crate) seats: i64,
    /// Each service with figures, across all of them.
    pub(crate) services: Vec<CombinedService>,
}

/// The customer with this ID as `v` sees it, or 404.
pub(crate) async fn read(app: &App, v: &Viewer, id: i64) -> Result<CustomerView, AppError> {
    let not_found = || AppError::not_found(&format!("customer {id}"));
    let customer = app.store.customer(id).await?.ok_or_else(not_found)?;
    let f = TenantFilter {
        customer_id: Some(id),
        partner_id: super::tenants::partner_scope(&v.user),
        sort: TenantSort::Name,
        limit: Some(MAX_TENANTS),
        ..TenantFilter::default()
    };
    let total = app.store.tenant_matches(&f).await?;
    if total == 0 {
        return Err(not_found());
    }
    let tenants = app.store.tenants(&f).await?;
    // Over all of them, not only those listed.
    let (seats, services) = app.store.customer_totals(id, f.partner_id).await?;
    Ok(CustomerView {
        customer,
        tenants,
        total,
        seats,
        services,
    })
}
