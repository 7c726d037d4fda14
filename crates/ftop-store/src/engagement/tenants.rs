//! Customers, tenants, their services and entitlements, the engagement fields, and the
//! all-or-nothing CSV import.

use crate::audit::Change;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::catalogue::service as find_service;
use ftop_domain::taxonomy::rebalance;
use ftop_domain::{Errors, Invalid, Motion, OverallStatus, Priority, TenantId, tenant_name};
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use std::collections::BTreeMap;

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

const TENANT_LIST: &str = "SELECT t.tenant_id, t.name, c.name AS customer, t.overall_status, t.priority, t.active,
        (SELECT COUNT(*) FROM tenant_services s WHERE s.tenant_id = t.tenant_id) AS services,
        (SELECT COALESCE(MAX(s.qualified), 0) FROM tenant_services s WHERE s.tenant_id = t.tenant_id) AS seats,
        (SELECT COUNT(*) FROM assignments a WHERE a.tenant_id = t.tenant_id) AS assignees
     FROM tenants t JOIN customers c ON c.id = t.customer_id";

const TENANT_WHERE: &str = "WHERE ($1 IS NULL OR LOWER(t.name) LIKE $1 OR t.tenant_id LIKE $1 OR LOWER(c.name) LIKE $1)
       AND ($2 IS NULL OR t.tenant_id IN (SELECT a.tenant_id FROM assignments a WHERE a.user_id = $2))
       AND ($3 IS NULL OR t.tenant_id IN (SELECT p.tenant_id FROM tenant_partners p WHERE p.partner_id = $3))
       AND ($4 IS NULL OR t.active = $4)";

/// One page of the tenants matching the filter, in an order (`ORDER BY ...`): the text
/// for `$store`'s engine.
macro_rules! tenant_page {
    ($store:expr, $order:literal) => {
        sql!(
            $store,
            format!("{TENANT_LIST} {TENANT_WHERE} {} LIMIT $5 OFFSET $6", $order)
        )
    };
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
        e.add(
            format!("{prefix}service"),
            format!("`{service}` is not a service of the catalogue (for example Exchange, SharePoint, Teams, Intune)"),
        );
        return None;
    };
    let q = qualified.unwrap_or(total);
    if total < 0 {
        e.add(format!("{prefix}entitlements"), "must be zero or more");
        return None;
    }
    if q < 0 || q > total {
        e.add(
            format!("{prefix}qualified_entitlements"),
            format!("must be between 0 and the entitlements ({total})"),
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
    if customer.is_empty() || customer.len() > 200 {
        e.add(
            "customer",
            "give the customer's name (at most 200 characters)",
        );
    }
    let mut services = Vec::new();
    for (i, (s, total, q)) in t.services.iter().enumerate() {
        if let Some(v) = check_seats(&mut e, &format!("services[{i}]."), s, *total, *q) {
            if services
                .iter()
                .any(|(k, _, _): &(String, i64, i64)| *k == v.0)
            {
                e.add(
                    format!("services[{i}].service"),
                    "this service is listed twice",
                );
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
        _ => Err(Invalid::one("tenant_id", "invalid")),
    }
}

fn e_push(e: &mut Errors, x: Invalid) {
    for f in x.0 {
        e.add(f.field, f.message);
    }
}

fn summary_of(r: &AnyRow) -> Result<TenantSummary> {
    Ok(TenantSummary {
        tenant_id: r.try_get("tenant_id")?,
        name: r.try_get("name")?,
        customer: r.try_get("customer")?,
        overall_status: enum_col(r, "overall_status", OverallStatus::parse)?,
        priority: enum_col(r, "priority", Priority::parse)?,
        active: r.try_get::<i64, _>("active")? != 0,
        services: r.try_get("services")?,
        seats: r.try_get("seats")?,
        assignees: r.try_get("assignees")?,
    })
}

pub(crate) fn enum_col<T>(r: &AnyRow, col: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
    let s: String = r.try_get(col)?;
    parse(&s).ok_or_else(|| StoreError::Internal(format!("stored {col} `{s}` is unknown")))
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
                Invalid::one("tenant_id", format!("tenant {id} already exists")).into()
            } else {
                Invalid::one(
                    "tenant_name",
                    format!("{} is already the name of tenant {id}", v.name),
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

    /// One tenant with its services.
    pub async fn tenant(&self, tenant_id: &str) -> Result<Tenant> {
        let id = TenantId::parse(tenant_id)
            .map_err(|_| StoreError::NotFound(format!("tenant {tenant_id}")))?;
        let r =
            sqlx::query(sql!(self,
            "SELECT t.*, c.name AS customer FROM tenants t JOIN customers c ON c.id = t.customer_id
             WHERE t.tenant_id = $1",
        ))
            .bind(id.as_str())
            .fetch_optional(&self.pools.read)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("tenant {id}")))?;
        let services = self.service_lines(id.as_str()).await?;
        crate::engagement::viewing::tenant_of(&r, services)
    }

    /// Tenants matching a filter, by name.
    pub async fn tenants(&self, f: &TenantFilter) -> Result<Vec<TenantSummary>> {
        let search = f
            .search
            .as_deref()
            .map(|s| format!("%{}%", s.trim().to_lowercase()));
        let q = match (f.sort, f.descending) {
            (TenantSort::Name, false) => tenant_page!(self, "ORDER BY t.name"),
            (TenantSort::Name, true) => tenant_page!(self, "ORDER BY t.name DESC"),
            (TenantSort::Customer, false) => tenant_page!(self, "ORDER BY c.name, t.name"),
            (TenantSort::Customer, true) => tenant_page!(self, "ORDER BY c.name DESC, t.name"),
            (TenantSort::Status, false) => tenant_page!(self, "ORDER BY t.overall_status, t.name"),
            (TenantSort::Status, true) => {
                tenant_page!(self, "ORDER BY t.overall_status DESC, t.name")
            }
            (TenantSort::Seats, false) => tenant_page!(self, "ORDER BY seats, t.name"),
            (TenantSort::Seats, true) => tenant_page!(self, "ORDER BY seats DESC, t.name"),
        };
        let rows = sqlx::query(q)
            .bind(search)
            .bind(f.assigned_to)
            .bind(f.partner_id)
            .bind(f.active.map(i64::from))
            .bind(f.limit.unwrap_or(100))
            .bind(f.offset.unwrap_or(0))
            .fetch_all(&self.pools.read)
            .await?;
        rows.iter().map(summary_of).collect()
    }

    /// Number of tenants matching a filter (its limit and offset ignored).
    pub async fn tenant_matches(&self, f: &TenantFilter) -> Result<i64> {
        let search = f
            .search
            .as_deref()
            .map(|s| format!("%{}%", s.trim().to_lowercase()));
        let q = sql!(
            self,
            format!(
                "SELECT COUNT(*) FROM tenants t JOIN customers c ON c.id = t.customer_id {TENANT_WHERE}"
            )
        );
        let r = sqlx::query(q)
            .bind(search)
            .bind(f.assigned_to)
            .bind(f.partner_id)
            .bind(f.active.map(i64::from))
            .fetch_one(&self.pools.read)
            .await?;
        Ok(r.try_get(0)?)
    }

    /// Number of tenants.
    pub async fn tenant_count(&self) -> Result<i64> {
        let r = sqlx::query("SELECT COUNT(*) FROM tenants")
            .fetch_one(&self.pools.read)
            .await?;
        Ok(r.try_get(0)?)
    }

    /// Changes engagement fields of a tenant last read at `version`.
    pub async fn update_engagement(
        &self,
        actor: &Actor,
        tenant_id: &str,
        version: i64,
        u: &EngagementUpdate,
    ) -> Result<Tenant> {
        let before = self.tenant(tenant_id).await?;
        let mut e = Errors::default();
        let status_date = match &u.status_date {
            Some(d) if !d.trim().is_empty() => match crate::parse_date("status_date", d) {
                Ok(d) => Some(crate::fmt_date(d)),
                Err(x) => {
                    e_push(&mut e, x);
                    None
                }
            },
            _ if u.overall_status.is_some_and(|s| s != before.overall_status) => {
                Some(crate::fmt_date(crate::today()))
            }
            _ => before.status_date.clone(),
        };
        if u.status_note
            .as_ref()
            .is_some_and(|n| n.chars().count() > 4000)
        {
            e.add("status_note", "at most 4,000 characters");
        }
        e.finish()?;
        let after = Tenant {
            motion: u.motion.or(before.motion),
            priority: u.priority.unwrap_or(before.priority),
            overall_status: u.overall_status.unwrap_or(before.overall_status),
            status_date,
            status_note: u.status_note.clone().unwrap_or(before.status_note.clone()),
            active: u.active.unwrap_or(before.active),
            program_exception: u.program_exception.unwrap_or(before.program_exception),
            enterprise_exception: u
                .enterprise_exception
                .unwrap_or(before.enterprise_exception),
            adoption_benefit: u.adoption_benefit.unwrap_or(before.adoption_benefit),
            ..before.clone()
        };
        let mut tx = self.pools.write.begin().await?;
        let done =
            sqlx::query(sql!(self,
            "UPDATE tenants SET motion = $1, priority = $2, overall_status = $3, status_date = $4,
                status_note = $5, active = $6, program_exception = $7, enterprise_exception = $8,
                adoption_benefit = $9, version = version + 1, updated_at = $10
             WHERE tenant_id = $11 AND version = $12",
        ))
            .bind(after.motion.map(|m| m.key()))
            .bind(after.priority.key())
            .bind(after.overall_status.key())
            .bind(&after.status_date)
            .bind(&after.status_note)
            .bind(i64::from(after.active))
            .bind(i64::from(after.program_exception))
            .bind(i64::from(after.enterprise_exception))
            .bind(i64::from(after.adoption_benefit))
            .bind(crate::now())
            .bind(&before.tenant_id)
            .bind(version)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "tenant {} changed since version {version}; reload and try again",
                before.tenant_id
            )));
        }
        let view = |t: &Tenant| {
            json!({"motion": t.motion.map(|m| m.key()), "priority": t.priority.key(),
            "overall_status": t.overall_status.key(), "status_date": t.status_date, "status_note": t.status_note,
            "active": t.active, "program_exception": t.program_exception,
            "enterprise_exception": t.enterprise_exception, "adoption_benefit": t.adoption_benefit})
        };
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: Some(&before.tenant_id),
                entity: "tenant",
                key: before.tenant_id.clone(),
                action: "update",
                before: Some(view(&before)),
                after: Some(view(&after)),
            },
        )
        .await?;
        tx.commit().await?;
        self.tenant(tenant_id).await
    }

    /// Sets a service's seats (adding the service if new). Status rows follow: growth goes
    /// to Status Unknown / New Subscription or Workload, shrinkage comes out of unknown
    /// rows first.
    pub async fn set_service(
        &self,
        actor: &Actor,
        tenant_id: &str,
        service: &str,
        entitlements: i64,
        qualified: Option<i64>,
    ) -> Result<Tenant> {
        let t = self.tenant(tenant_id).await?;
        let mut e = Errors::default();
        let v = check_seats(&mut e, "", service, entitlements, qualified);
        e.finish()?;
        let Some((key, total, q)) = v else {
            return Err(Invalid::one("service", "invalid").into());
        };
        let mut tx = self.pools.write.begin().await?;
        self.apply_service(&mut tx, actor, &t.tenant_id, &key, total, q)
            .await?;
        tx.commit().await?;
        self.tenant(tenant_id).await
    }

    /// Creates or changes one service line; returns 0 unchanged, 1 created, 2 updated.
    async fn apply_service(
        &self,
        tx: &mut Transaction<'_, Any>,
        actor: &Actor,
        tenant: &str,
        key: &str,
        total: i64,
        q: i64,
    ) -> Result<u8> {
        let existing = sqlx::query(sql!(self,
            "SELECT entitlements, qualified FROM tenant_services WHERE tenant_id = $1 AND service = $2",
        ))
        .bind(tenant)
        .bind(key)
        .fetch_optional(&mut **tx)
        .await?;
        let (action, before) = match existing {
            None => {
                self.insert_service(tx, tenant, key, total, q).await?;
                (1, None)
            }
            Some(r) => {
                let (old_t, old_q): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
                if old_t == total && old_q == q {
                    return Ok(0);
                }
                sqlx::query(sql!(self,
                    "UPDATE tenant_services SET entitlements = $1, qualified = $2, version = version + 1
                     WHERE tenant_id = $3 AND service = $4",
                ))
                .bind(total)
                .bind(q)
                .bind(tenant)
                .bind(key)
                .execute(&mut **tx)
                .await?;
                if old_q != q {
                    // Adoption: the new seats count from today.
                    self.record_seats(tx, tenant, key, q, crate::adoption::rollups::today_day())
                        .await?;
                }
                if old_t != total {
                    let rows = self.status_rows_in(tx, tenant, key).await?;
                    let rows = rebalance(&rows, total.max(0) as u64);
                    self.write_status_rows(tx, tenant, key, &rows).await?;
                }
                (2, Some(json!({"entitlements": old_t, "qualified": old_q})))
            }
        };
        self.audit(
            tx,
            actor,
            Change {
                tenant: Some(tenant),
                entity: "service",
                key: format!("{tenant}/{key}"),
                action: if action == 1 { "create" } else { "update" },
                before,
                after: Some(json!({"entitlements": total, "qualified": q})),
            },
        )
        .await?;
        Ok(action)
    }

    /// Imports tenant rows (one per tenant and service) all or nothing: every row is checked
    /// first and any error refuses the whole file; then one transaction applies it.
    /// Importing the same rows again changes nothing. `progress` is told rows applied.
    pub async fn import_tenants(
        &self,
        actor: &Actor,
        rows: &[ImportRow],
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<ImportReport> {
        // Check everything first.
        let mut e = Errors::default();
        let mut tenants: BTreeMap<String, (Valid, u64)> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        for r in rows {
            let at = format!("line {}: ", r.line);
            let id = match TenantId::parse(&r.tenant_id) {
                Ok(id) => Some(id),
                Err(x) => {
                    for f in x.0 {
                        e.add(format!("{at}{}", f.field), f.message);
                    }
                    None
                }
            };
            let name = match tenant_name(&r.tenant_name) {
                Ok(n) => Some(n),
                Err(x) => {
                    for f in x.0 {
                        e.add(format!("{at}{}", f.field), f.message);
                    }
                    None
                }
            };
            let customer = r.customer.trim().to_string();
            if customer.is_empty() {
                e.add(format!("{at}customer"), "give the customer's name");
            }
            let total = match r.entitlements.trim().parse::<i64>() {
                Ok(n) if n >= 0 => Some(n),
                _ => {
                    e.add(
                        format!("{at}entitlements"),
                        format!(
                            "`{}` is not a whole number of seats (0 or more)",
                            r.entitlements.trim()
                        ),
                    );
                    None
                }
            };
            let qualified = match r.qualified.trim() {
                "" => Some(None),
                q => match q.parse::<i64>() {
                    Ok(n) => Some(Some(n)),
                    Err(_) => {
                        e.add(
                            format!("{at}qualified_entitlements"),
                            format!("`{q}` is not a whole number of seats"),
                        );
                        None
                    }
                },
            };
            let seats = match (total, qualified) {
                (Some(t), Some(q)) => check_seats(&mut e, &at, &r.service, t, q),
                _ => None,
            };
            let (Some(id), Some(name), Some(seats)) = (id, name, seats) else {
                continue;
            };
            match tenants.get_mut(id.as_str()) {
                Some((v, first)) => {
                    if v.name != name || v.customer != customer {
                        e.add(
                            format!("{at}tenant_name"),
                            format!("tenant {id} has another name or customer on line {first}"),
                        );
                    }
                    if v.services.iter().any(|(k, _, _)| *k == seats.0) {
                        e.add(
                            format!("{at}service"),
                            format!("{} is listed twice for tenant {id}", seats.0),
                        );
                    }
                    v.services.push(seats);
                }
                None => {
                    order.push(id.to_string());
                    tenants.insert(
                        id.to_string(),
                        (
                            Valid {
                                id,
                                name,
                                customer,
                                services: vec![seats],
                            },
                            r.line,
                        ),
                    );
                }
            }
        }
        // Two tenant IDs may not share one name.
        let mut names: BTreeMap<&str, &str> = BTreeMap::new();
        for (id, (v, line)) in &tenants {
            if let Some(other) = names.insert(&v.name, id) {
                e.add(
                    format!("line {line}: tenant_name"),
                    format!("{} is also the name of tenant {other} in this file", v.name),
                );
            }
        }
        e.finish()?;

        let pv = self.current_version();
        let mut report = ImportReport {
            rows: rows.len() as u64,
            ..ImportReport::default()
        };
        let mut tx = self.pools.write.begin().await?;
        let mut done = 0u64;
        for id in &order {
            let Some((v, line)) = tenants.get(id) else {
                continue;
            };
            let existing = sqlx::query(sql!(self,
                "SELECT t.name, c.name AS customer FROM tenants t JOIN customers c ON c.id = t.customer_id
                 WHERE t.tenant_id = $1",
            ))
            .bind(v.id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            let name_taken = existing.is_none()
                && sqlx::query(sql!(self, "SELECT 1 FROM tenants WHERE name = $1"))
                    .bind(&v.name)
                    .fetch_optional(&mut *tx)
                    .await?
                    .is_some();
            if name_taken {
                return Err(Invalid::one(
                    format!("line {line}: tenant_name"),
                    format!("{} is already the name of another tenant", v.name),
                )
                .into());
            }
            match existing {
                None => {
                    self.insert_tenant(&mut tx, actor, v, pv, true)
                        .await
                        .map_err(|err| at_line(err, *line))?;
                    report.tenants_created += 1;
                    report.services_created += v.services.len() as u64;
                }
                Some(r) => {
                    let (name, customer): (String, String) = (r.try_get(0)?, r.try_get(1)?);
                    if name != v.name || customer != v.customer {
                        let taken = sqlx::query(sql!(
                            self,
                            "SELECT tenant_id FROM tenants WHERE name = $1 AND tenant_id <> $2",
                        ))
                        .bind(&v.name)
                        .bind(v.id.as_str())
                        .fetch_optional(&mut *tx)
                        .await?;
                        if let Some(t) = taken {
                            let other: String = t.try_get(0)?;
                            return Err(Invalid::one(
                                format!("line {line}: tenant_name"),
                                format!("{} is already the name of tenant {other}", v.name),
                            )
                            .into());
                        }
                        let cid = self.customer_id(&mut tx, &v.customer).await?;
                        sqlx::query(sql!(self,
                            "UPDATE tenants SET name = $1, customer_id = $2, version = version + 1, updated_at = $3
                             WHERE tenant_id = $4",
                        ))
                        .bind(&v.name)
                        .bind(cid)
                        .bind(crate::now())
                        .bind(v.id.as_str())
                        .execute(&mut *tx)
                        .await?;
                        self.audit(
                            &mut tx,
                            actor,
                            Change {
                                tenant: Some(v.id.as_str()),
                                entity: "tenant",
                                key: v.id.to_string(),
                                action: "update",
                                before: Some(json!({"name": name, "customer": customer})),
                                after: Some(json!({"name": v.name, "customer": v.customer})),
                            },
                        )
                        .await?;
                        report.tenants_updated += 1;
                    }
                    for (k, t, q) in &v.services {
                        match self
                            .apply_service(&mut tx, actor, v.id.as_str(), k, *t, *q)
                            .await?
                        {
                            0 => report.unchanged += 1,
                            1 => report.services_created += 1,
                            _ => report.services_updated += 1,
                        }
                    }
                }
            }
            done += v.services.len() as u64;
            progress(done);
        }
        tx.commit().await?;
        Ok(report)
    }
}

fn at_line(err: StoreError, line: u64) -> StoreError {
    match err {
        StoreError::Invalid(Invalid(fields)) => StoreError::Invalid(Invalid(
            fields
                .into_iter()
                .map(|f| {
                    ftop_domain::FieldError::new(format!("line {line}: {}", f.field), f.message)
                })
                .collect(),
        )),
        other => other,
    }
}
