//! Customers, tenants and their service lines: what a tenant is, how a new one is
//! checked and written. Reading and listing are in `list.rs`, changes to the engagement
//! fields and service lines in `update.rs`, the all-or-nothing CSV import in `import.rs`.

mod import;
mod list;
mod update;

use crate::audit::Change;
use crate::sqlite::local::Cols;
use crate::{Actor, Result, Store};
use ftop_domain::catalogue::service as find_service;
use ftop_domain::taxonomy::rebalance;
use ftop_domain::{
    Errors, FieldError, Invalid, Motion, OverallStatus, Priority, TenantId, tenant_name,
};
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

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
    /// Overall status.
    pub overall_status: OverallStatus,
    /// Priority.
    pub priority: Priority,
    /// Active.
    pub active: bool,
    /// Number of services.
    pub services: i64,
    /// Largest qualified seat count.
    pub seats: i64,
    /// People assigned (0: nobody owns it yet).
    pub assignees: i64,
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

struct Valid {
    id: TenantId,
    name: String,
    customer: String,
    services: Vec<(String, i64, i64)>,
}

fn check_seats(
    e: &mut Errors,
    prefix: &str,
    service: &str,
    total: i64,
    qualified: Option<i64>,
) -> Option<(String, i64, i64)> {
    let Some(s) = find_service(service) else {
        e.push(
            FieldError::of(
                format!("{prefix}service"),
                "invalid-service-unknown-example",
            )
            .quoting("value", service),
        );
        return None;
    };
    let q = qualified.unwrap_or(total);
    if total < 0 {
        e.push(FieldError::of(
            format!("{prefix}entitlements"),
            "invalid-not-negative",
        ));
        return None;
    }
    if q < 0 || q > total {
        e.push(
            FieldError::of(
                format!("{prefix}qualified_entitlements"),
                "invalid-qualified-range",
            )
            .with("total", total),
        );
        return None;
    }
    Some((s.key.to_string(), total, q))
}

fn validate_new(t: &NewTenant) -> std::result::Result<Valid, Invalid> {
    let mut e = Errors::default();
    let id = TenantId::parse(&t.tenant_id)
        .map_err(|x| e_push(&mut e, x))
        .ok();
    let name = tenant_name(&t.name).map_err(|x| e_push(&mut e, x)).ok();
    let customer = t.customer.trim().to_string();
    if customer.is_empty() {
        e.push(FieldError::of("customer", "invalid-customer-name"));
    } else {
        ftop_domain::limits::check(&mut e, "customer", &customer, ftop_domain::limits::CUSTOMER);
    }
    let mut services = Vec::new();
    for (i, (s, total, q)) in t.services.iter().enumerate() {
        if let Some(v) = check_seats(&mut e, &format!("services[{i}]."), s, *total, *q) {
            if services
                .iter()
                .any(|(k, _, _): &(String, i64, i64)| *k == v.0)
            {
                e.push(FieldError::of(
                    format!("services[{i}].service"),
                    "invalid-service-twice",
                ));
            }
            services.push(v);
        }
    }
    e.finish()?;
    match (id, name) {
        (Some(id), Some(name)) => Ok(Valid {
            id,
            name,
            customer,
            services,
        }),
        _ => Err(FieldError::of("tenant_id", "invalid-value").into()),
    }
}

fn e_push(e: &mut Errors, x: Invalid) {
    e.extend("", x);
}

fn summary_of(r: &AnyRow) -> Result<TenantSummary> {
    Ok(TenantSummary {
        tenant_id: r.try_get("tenant_id")?,
        name: r.try_get("name")?,
        customer: r.try_get("customer")?,
        overall_status: r.key("overall_status", OverallStatus::parse)?,
        priority: r.key("priority", Priority::parse)?,
        active: r.try_get::<i64, _>("active")? != 0,
        services: r.try_get("services")?,
        seats: r.try_get("seats")?,
        assignees: r.try_get("assignees")?,
    })
}

impl Store {
    async fn customer_id(&self, tx: &mut Transaction<'_, Any>, name: &str) -> Result<i64> {
        if let Some(r) = sqlx::query(sql!(self, "SELECT id FROM customers WHERE name = $1"))
            .bind(name)
            .fetch_optional(&mut **tx)
            .await?
        {
            return Ok(r.try_get(0)?);
        }
        let r = sqlx::query(sql!(
            self,
            "INSERT INTO customers (name, created_at) VALUES ($1, $2) RETURNING id"
        ))
        .bind(name)
        .bind(crate::now())
        .fetch_one(&mut **tx)
        .await?;
        Ok(r.try_get(0)?)
    }

    pub(crate) async fn insert_service(
        &self,
        tx: &mut Transaction<'_, Any>,
        tenant: &str,
        service: &str,
        total: i64,
        qualified: i64,
    ) -> Result<()> {
        sqlx::query(sql!(
            self,
            "INSERT INTO tenant_services (tenant_id, service, entitlements, qualified, version)
             VALUES ($1, $2, $3, $4, 1)",
        ))
        .bind(tenant)
        .bind(service)
        .bind(total)
        .bind(qualified)
        .execute(&mut **tx)
        .await?;
        let rows = rebalance(&[], total.max(0) as u64);
        self.insert_status_rows(tx, tenant, service, &rows).await?;
        // Adoption: the seats' history starts today.
        self.record_seats(
            tx,
            tenant,
            service,
            qualified,
            crate::adoption::rollups::today_day(),
        )
        .await
    }

    async fn insert_tenant(
        &self,
        tx: &mut Transaction<'_, Any>,
        actor: &Actor,
        v: &Valid,
        playbook_version: i64,
        checked: bool,
    ) -> Result<()> {
        let exists = if checked {
            None
        } else {
            sqlx::query(sql!(
                self,
                "SELECT tenant_id, name FROM tenants WHERE tenant_id = $1 OR name = $2"
            ))
            .bind(v.id.as_str())
            .bind(&v.name)
            .fetch_optional(&mut **tx)
            .await?
        };
        if let Some(r) = exists {
            let id: String = r.try_get(0)?;
            return Err(if id == v.id.as_str() {
                Invalid::from(
                    FieldError::of("tenant_id", "invalid-tenant-exists")
                        .with("value", id.to_string()),
                )
                .into()
            } else {
                Invalid::from(
                    FieldError::of("tenant_name", "invalid-tenant-name-taken")
                        .quoting("value", &v.name)
                        .with("tenant", id.to_string()),
                )
                .into()
            });
        }
        let customer = self.customer_id(tx, &v.customer).await?;
        let now = crate::now();
        sqlx::query(sql!(self,
            "INSERT INTO tenants (tenant_id, name, customer_id, playbook_version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5)",
        ))
        .bind(v.id.as_str())
        .bind(&v.name)
        .bind(customer)
        .bind(playbook_version)
        .bind(&now)
        .execute(&mut **tx)
        .await?;
        for (s, total, q) in &v.services {
            self.insert_service(tx, v.id.as_str(), s, *total, *q)
                .await?;
        }
        self.audit(
            tx,
            actor,
            Change {
                tenant: Some(v.id.as_str()),
                entity: "tenant",
                key: v.id.to_string(),
                action: "create",
                before: None,
                after: Some(json!({"name": v.name, "customer": v.customer,
                    "services": v.services.iter().map(|(s, t, q)| json!({"service": s, "entitlements": t, "qualified": q})).collect::<Vec<_>>()})),
            },
        )
        .await
    }

    /// Adds a tenant (and its customer, if new) with its services. Each service starts with
    /// all its entitlements in Status Unknown / New Subscription or Workload.
    pub async fn add_tenant(&self, actor: &Actor, t: &NewTenant) -> Result<Tenant> {
        let v = validate_new(t)?;
        let pv = self.current_version();
        let mut tx = self.pools.write.begin().await?;
        self.insert_tenant(&mut tx, actor, &v, pv, false).await?;
        tx.commit().await?;
        self.tenant(v.id.as_str()).await
    }
}
