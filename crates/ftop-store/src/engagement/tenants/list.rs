//! Reading tenants: one by ID, and pages of those matching a filter, also narrowed to the
//! tenants behind one number of the portfolio (overall status, primary FastTrack Manager,
//! service, current phase).

use super::{Tenant, TenantFilter, TenantSort, TenantSummary, grid, summary_of};
use crate::adoption::filter::Params;
use crate::engagement::people::primary_manager;
use crate::engagement::portfolio::{InPhase, PortfolioScope, kept_in_phase};
use crate::{Result, Store, StoreError};
use ftop_domain::{OverallStatus, TenantId};
use sqlx::Row;

const TENANT_LIST: &str = "SELECT t.tenant_id, t.name, c.name AS customer, t.customer_id, t.overall_status,
        t.status_date, t.priority, t.active, t.created_at,
        (SELECT COUNT(*) FROM tenant_services s WHERE s.tenant_id = t.tenant_id) AS services,
        (SELECT COALESCE(MAX(s.qualified), 0) FROM tenant_services s WHERE s.tenant_id = t.tenant_id) AS seats,
        (SELECT COUNT(*) FROM assignments a WHERE a.tenant_id = t.tenant_id) AS assignees,
        (SELECT g.gain_6m_bp FROM adoption_tenants g WHERE g.tenant_id = t.tenant_id) AS gain_6m_bp
     FROM tenants t JOIN customers c ON c.id = t.customer_id";

/// A tenant's stored predicted gain (an index lookup; PostgreSQL's ORDER BY cannot name
/// the list's alias inside an expression).
const GAIN: &str = "(SELECT g.gain_6m_bp FROM adoption_tenants g WHERE g.tenant_id = t.tenant_id)";

/// The conditions of a list, each off when its value is NULL: $1 search (a LIKE pattern),
/// $2 assigned user, $3 partner organisation, $4 active, then the portfolio's numbers:
/// $5 overall status key, $6 primary FastTrack Manager (user ID), $7 no primary FastTrack
/// Manager (1), $8 entitled (more than zero) to this service key. The grid's own
/// conditions (priority, column filters) follow from $9 ([`grid_where`]), then a page's
/// limit and offset.
const TENANT_WHERE: &str = concat!(
    "WHERE ($1 IS NULL OR LOWER(t.name) LIKE $1 ESCAPE '\\' OR t.tenant_id LIKE $1 ESCAPE '\\' OR LOWER(c.name) LIKE $1 ESCAPE '\\')
       AND ($2 IS NULL OR t.tenant_id IN (SELECT a.tenant_id FROM assignments a WHERE a.user_id = $2))
       AND ($3 IS NULL OR t.tenant_id IN (SELECT p.tenant_id FROM tenant_partners p WHERE p.partner_id = $3))
       AND ($4 IS NULL OR t.active = $4)
       AND ($5 IS NULL OR t.overall_status = $5)
       AND ($6 IS NULL OR t.tenant_id IN (SELECT fm.tenant_id FROM assignments fm WHERE ",
    primary_manager!("fm"),
    " AND fm.user_id = $6))
       AND (COALESCE($7, 0) = 0 OR NOT EXISTS (SELECT 1 FROM assignments fm WHERE fm.tenant_id = t.tenant_id AND ",
    primary_manager!("fm"),
    "))
       AND ($8 IS NULL OR t.tenant_id IN (SELECT s.tenant_id FROM tenant_services s WHERE s.service = $8 AND s.entitlements > 0))"
);

/// The grid's own conditions of `f` (customer, priority, column filters) as `AND ...` with their
/// values, numbered after [`TENANT_WHERE`]'s eight.
fn grid_where(backend: crate::Backend, f: &TenantFilter, n: Narrow<'_>) -> (String, Params) {
    let mut p = Params::after(backend, 8);
    let mut text = String::new();
    if let Some(members) = n.phase {
        text.push_str(&phase_where(backend, members, &mut p));
    }
    if let Some(c) = f.customer_id {
        text.push_str(&format!(" AND t.customer_id = {}", p.int(c)));
    }
    if let Some(pr) = f.priority {
        text.push_str(&format!(" AND {}", grid::priority_sql(pr, &mut p)));
    }
    let today = crate::today();
    for c in &f.columns {
        text.push_str(&format!(" AND {}", c.sql(&mut p, today)));
    }
    (text, p)
}

/// The condition "in this phase" on `t`: a kept phase that counts and is that one, or one
/// of the tenants whose phase was worked out for this list (given as one JSON array, so
/// that any number of them is one value).
fn phase_where(backend: crate::Backend, members: &InPhase, p: &mut Params) -> String {
    let kept = kept_in_phase(&p.int(members.version), &p.int(members.index));
    if members.worked.is_empty() {
        return format!(" AND {kept}");
    }
    let ids = serde_json::to_string(&members.worked).unwrap_or_else(|_| "[]".into());
    let ids = p.text(ids);
    let listed = match backend {
        crate::Backend::Postgres => {
            format!("SELECT jsonb_array_elements_text(CAST({ids} AS jsonb))")
        }
        crate::Backend::Sqlite => format!("SELECT value FROM json_each({ids})"),
    };
    format!(" AND ({kept} OR t.tenant_id IN ({listed}))")
}

/// The order of a list: customers together first when asked, then the sort, then name.
fn order_by(f: &TenantFilter) -> String {
    let dir = if f.descending { " DESC" } else { "" };
    let first = match f.sort {
        TenantSort::Name => format!("t.name{dir}"),
        TenantSort::Customer => format!("c.name{dir}, t.name"),
        TenantSort::Status => format!("t.overall_status{dir}, t.name"),
        TenantSort::Seats => format!("seats{dir}, t.name"),
        TenantSort::Priority => format!("{}{dir}, t.name", grid::PRIORITY_RANK),
        // Days in the program: more days, joined earlier (the date the other way).
        TenantSort::Joined => {
            let by_date = if f.descending { "" } else { " DESC" };
            format!("t.created_at{by_date}, t.name")
        }
        // The stored total (`adoption/gains.rs`); tenants without one last either way.
        TenantSort::Gain => {
            format!("CASE WHEN {GAIN} IS NULL THEN 1 ELSE 0 END, {GAIN}{dir}, t.name")
        }
        // Tenants without a status date last either way.
        TenantSort::StatusDate => {
            format!("CASE WHEN t.status_date IS NULL THEN 1 ELSE 0 END, t.status_date{dir}, t.name")
        }
    };
    if f.by_customer {
        format!("c.name, c.id, {first}")
    } else {
        first
    }
}

/// What narrows a list to the tenants behind one number of the portfolio, beyond a
/// [`TenantFilter`] (each `None`: no condition).
#[derive(Debug, Clone, Copy, Default)]
struct Narrow<'a> {
    /// This overall status.
    status: Option<OverallStatus>,
    /// This primary FastTrack Manager (user ID); `Some(None)`: nobody.
    owner: Option<Option<i64>>,
    /// Entitled (more than zero) to this service key.
    service: Option<&'a str>,
    /// In this phase.
    phase: Option<&'a InPhase>,
}

/// A statement of this module with its values bound.
type Bound<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

impl Narrow<'_> {
    /// `q` with $1 to $8 bound: the filter's conditions, then the narrowing.
    fn bind<'q>(&self, q: Bound<'q>, f: &TenantFilter, search: Option<String>) -> Bound<'q> {
        q.bind(search)
            .bind(f.assigned_to)
            .bind(f.partner_id)
            .bind(f.active.map(i64::from))
            .bind(self.status.map(|s| s.key().to_string()))
            .bind(self.owner.flatten())
            .bind(self.owner.map(|o| i64::from(o.is_none())))
            .bind(self.service.map(str::to_string))
    }
}

impl Store {
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
        self.tenant_page(
            f,
            Narrow::default(),
            f.limit.unwrap_or(100),
            f.offset.unwrap_or(0),
        )
        .await
    }

    /// Number of tenants matching a filter (its limit and offset ignored).
    pub async fn tenant_matches(&self, f: &TenantFilter) -> Result<i64> {
        self.tenant_count_of(f, Narrow::default()).await
    }

    /// The tenants behind one number of the portfolio that also match `f`: one page of
    /// them (`f`'s order, limit and offset) and how many there are in all. Each narrowing
    /// is off when `None`: `status`, the overall status; `owner`, the primary FastTrack
    /// Manager's user ID (`Some(None)`: tenants without one, the portfolio's unassigned
    /// row); `service`, a service key the tenant holds entitlements of (more than zero);
    /// `phase`, a phase key of the playbook in force as the tenant's current phase (`""`:
    /// every phase complete; a key the playbook lacks, or no playbook, matches nobody).
    /// The rows are what the portfolio counts ([`Store::portfolio_summary`] with
    /// the filter's partner organisation and assigned user as its scope).
    pub async fn tenants_narrowed(
        &self,
        f: &TenantFilter,
        status: Option<OverallStatus>,
        owner: Option<Option<i64>>,
        service: Option<&str>,
        phase: Option<&str>,
    ) -> Result<(Vec<TenantSummary>, i64)> {
        let members = match phase {
            None => None,
            Some(phase) => {
                let scope = PortfolioScope {
                    partner_id: f.partner_id,
                    assigned_to: f.assigned_to,
                };
                match self.tenants_in_phase(scope, phase).await? {
                    Some(m) => Some(m),
                    None => return Ok((Vec::new(), 0)),
                }
            }
        };
        let narrow = Narrow {
            status,
            owner,
            service,
            phase: members.as_ref(),
        };
        let (limit, offset) = (f.limit.unwrap_or(100).max(0), f.offset.unwrap_or(0).max(0));
        let rows = self.tenant_page(f, narrow, limit, offset).await?;
        let total = self.tenant_count_of(f, narrow).await?;
        Ok((rows, total))
    }

    /// One page of the tenants matching `f` and `narrow`, in `f`'s order.
    async fn tenant_page(
        &self,
        f: &TenantFilter,
        narrow: Narrow<'_>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<TenantSummary>> {
        let search = f.search.as_deref().map(crate::sql::like).transpose()?;
        let (extra, mut p) = grid_where(self.backend(), f, narrow);
        let order = order_by(f);
        let (limit, offset) = (p.int(limit), p.int(offset));
        let text = self.dialect_of(format!(
            "{TENANT_LIST} {TENANT_WHERE} {extra} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
        ));
        let q = p.bind(narrow.bind(sqlx::query(&text), f, search));
        let rows = q.fetch_all(&self.pools.read).await?;
        rows.iter().map(summary_of).collect()
    }

    /// Number of tenants matching `f` and `narrow`.
    async fn tenant_count_of(&self, f: &TenantFilter, narrow: Narrow<'_>) -> Result<i64> {
        let search = f.search.as_deref().map(crate::sql::like).transpose()?;
        let (extra, p) = grid_where(self.backend(), f, narrow);
        let text = self.dialect_of(format!(
            "SELECT COUNT(*) FROM tenants t JOIN customers c ON c.id = t.customer_id {TENANT_WHERE} {extra}"
        ));
        let r = p
            .bind(narrow.bind(sqlx::query(&text), f, search))
            .fetch_one(&self.pools.read)
            .await?;
        Ok(r.try_get(0)?)
    }

    /// A statement composed per call (PostgreSQL's dialect) in this store's dialect.
    pub(crate) fn dialect_of(&self, text: String) -> String {
        match self.backend() {
            crate::Backend::Postgres => text,
            crate::Backend::Sqlite => crate::sql::sqlite_placeholders(&text).into_owned(),
        }
    }

    /// Number of tenants.
    pub async fn tenant_count(&self) -> Result<i64> {
        let r = sqlx::query("SELECT COUNT(*) FROM tenants")
            .fetch_one(&self.pools.read)
            .await?;
        Ok(r.try_get(0)?)
    }
}
