//! Customers, tenants and their service lines: what a tenant is (here), how a new one is
//! checked (`check.rs`) and written (`create.rs`). Reading and listing are in `list.rs`, changes to the engagement
//! fields and service lines in `update.rs`, the all-or-nothing CSV import in `import.rs`.

mod check;
mod create;
mod edit;
mod grid;
mod grid_details;
mod import;
mod import_copy;
mod list;
mod update;

pub use edit::TenantEdit;
pub use grid::{
    ColumnCondition, ColumnKind, GridColumn, OPERATORS, PriorityFilter, REFUSALS, RefusedCondition,
    Test,
};
pub use grid_details::{GridDetails, NextAction};

use check::{Valid, check_seats, e_push};

use crate::Result;
use crate::sqlite::local::Cols;
use ftop_domain::{Motion, OverallStatus, Priority};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A service line of a tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceLine {
    /// Service key.
    pub service: String,
    /// Display name.
    pub name: String,
    /// Total entitlements.
    pub entitlements: i64,
    /// Qualified entitlements.
    pub qualified: i64,
    /// Version of the line and its status rows.
    pub version: i64,
}

/// A tenant with everything the engagement needs at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tenant {
    /// Tenant ID (GUID, lower case).
    pub tenant_id: String,
    /// Tenant name (`contoso.onmicrosoft.com`).
    pub name: String,
    /// Customer name.
    pub customer: String,
    /// Motion, if set.
    pub motion: Option<Motion>,
    /// Priority.
    pub priority: Priority,
    /// Overall status.
    pub overall_status: OverallStatus,
    /// Date of the overall status (YYYY-MM-DD).
    pub status_date: Option<String>,
    /// Note on the overall status.
    pub status_note: String,
    /// Active (else inactive).
    pub active: bool,
    /// Added by exception below the program minimum.
    pub program_exception: bool,
    /// Why, as the administrator who granted the exception wrote it.
    pub exception_reason: Option<String>,
    /// Enterprise additional benefits by exception.
    pub enterprise_exception: bool,
    /// In the additional adoption benefit program.
    pub adoption_benefit: bool,
    /// Playbook version the tenant's tasks follow.
    pub playbook_version: i64,
    /// Version, for optimistic concurrency.
    pub version: i64,
    /// Created (UTC).
    pub created_at: String,
    /// Last changed (UTC).
    pub updated_at: String,
    /// Services, by key.
    pub services: Vec<ServiceLine>,
}

/// One row of a tenant list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TenantSummary {
    /// Tenant ID.
    pub tenant_id: String,
    /// Tenant name.
    pub name: String,
    /// Customer name.
    pub customer: String,
    /// Customer's ID.
    pub customer_id: i64,
    /// Overall status.
    pub overall_status: OverallStatus,
    /// Date of the overall status (YYYY-MM-DD), if set.
    pub status_date: Option<String>,
    /// Priority.
    pub priority: Priority,
    /// Active.
    pub active: bool,
    /// Joined the program (UTC, RFC 3339).
    pub created_at: String,
    /// Number of services.
    pub services: i64,
    /// Largest qualified seat count.
    pub seats: i64,
    /// People assigned (0: nobody owns it yet).
    pub assignees: i64,
    /// Predicted AU gain over the next six months, in basis points: the largest of its
    /// services' (stored with the adoption rollups); None without a prediction.
    pub gain_6m_bp: Option<i64>,
}

/// Filters for listing tenants.
#[derive(Debug, Clone, Default)]
pub struct TenantFilter {
    /// Text in the tenant name, ID or customer name.
    pub search: Option<String>,
    /// Only tenants this user is assigned to.
    pub assigned_to: Option<i64>,
    /// Only tenants of this partner organisation.
    pub partner_id: Option<i64>,
    /// Only active (true) or inactive (false) tenants.
    pub active: Option<bool>,
    /// Only this customer's tenants.
    pub customer_id: Option<i64>,
    /// Only these priorities.
    pub priority: Option<PriorityFilter>,
    /// Column filters, all of which must hold.
    pub columns: Vec<ColumnCondition>,
    /// Customers together: by customer name first, then the order.
    pub by_customer: bool,
    /// Order.
    pub sort: TenantSort,
    /// Largest first.
    pub descending: bool,
    /// At most this many (default 100).
    pub limit: Option<i64>,
    /// Skip this many.
    pub offset: Option<i64>,
}

/// Orders of a tenant list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TenantSort {
    /// By tenant name.
    #[default]
    Name,
    /// By customer, then name.
    Customer,
    /// By overall status, then name.
    Status,
    /// By seats, then name.
    Seats,
    /// By priority (high first, overridden or not), then name.
    Priority,
    /// By days in the program (fewest first; descending: longest in the program first),
    /// then name.
    Joined,
    /// By the date of the overall status, then name.
    StatusDate,
    /// By the predicted six-month AU gain (tenants without a prediction last either
    /// way), then name.
    Gain,
}

/// A new tenant.
#[derive(Debug, Clone, Default)]
pub struct NewTenant {
    /// Tenant ID (GUID).
    pub tenant_id: String,
    /// Tenant name.
    pub name: String,
    /// Customer name (created if new).
    pub customer: String,
    /// Services and seats.
    pub services: Vec<(String, i64, Option<i64>)>,
}

/// Engagement fields to change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct EngagementUpdate {
    /// Motion.
    pub motion: Option<Motion>,
    /// Priority.
    pub priority: Option<Priority>,
    /// Overall status; its date defaults to today when the status changes.
    pub overall_status: Option<OverallStatus>,
    /// Status date (YYYY-MM-DD).
    pub status_date: Option<String>,
    /// Status note.
    pub status_note: Option<String>,
    /// Active.
    pub active: Option<bool>,
    /// Program exception.
    pub program_exception: Option<bool>,
    /// Enterprise exception.
    pub enterprise_exception: Option<bool>,
    /// Adoption benefit program.
    pub adoption_benefit: Option<bool>,
}

impl EngagementUpdate {
    /// Nothing to change.
    pub fn is_empty(&self) -> bool {
        let EngagementUpdate {
            motion,
            priority,
            overall_status,
            status_date,
            status_note,
            active,
            program_exception,
            enterprise_exception,
            adoption_benefit,
        } = self;
        motion.is_none()
            && priority.is_none()
            && overall_status.is_none()
            && status_date.is_none()
            && status_note.is_none()
            && active.is_none()
            && program_exception.is_none()
            && enterprise_exception.is_none()
            && adoption_benefit.is_none()
    }
}

/// One line of a tenant import file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// Line number in the file (for error messages).
    pub line: u64,
    /// `tenant_id` column.
    pub tenant_id: String,
    /// `tenant_name` column.
    pub tenant_name: String,
    /// `customer` column.
    pub customer: String,
    /// `service` column (name or key).
    pub service: String,
    /// `entitlements` column.
    pub entitlements: String,
    /// `qualified_entitlements` column (empty: same as entitlements).
    pub qualified: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Rows read.
    pub rows: u64,
    /// Tenants created.
    pub tenants_created: u64,
    /// Tenants whose name or customer changed.
    pub tenants_updated: u64,
    /// Services added to tenants.
    pub services_created: u64,
    /// Services whose seats changed.
    pub services_updated: u64,
    /// Rows that changed nothing.
    pub unchanged: u64,
}

fn summary_of(r: &AnyRow) -> Result<TenantSummary> {
    Ok(TenantSummary {
        tenant_id: r.try_get("tenant_id")?,
        name: r.try_get("name")?,
        customer: r.try_get("customer")?,
        customer_id: r.try_get("customer_id")?,
        overall_status: r.key("overall_status", OverallStatus::parse)?,
        status_date: r.try_get("status_date")?,
        priority: r.key("priority", Priority::parse)?,
        active: r.try_get::<i64, _>("active")? != 0,
        created_at: r.try_get("created_at")?,
        services: r.try_get("services")?,
        seats: r.try_get("seats")?,
        assignees: r.try_get("assignees")?,
        gain_6m_bp: r.try_get("gain_6m_bp")?,
    })
}
