//! The reads behind every tenant page and the task JSON, in as few round trips as the
//! engines allow: the tenant, the caller's access to it and the facts the playbook needs
//! come back from one query, its services from a second and the task states from a third
//! (on PostgreSQL the tenant, its services and, when asked for, its task states come back
//! from one statement, see `postgres/hot.rs`).

use crate::engagement::access::access_of;
use crate::engagement::tasks::{TaskView, states_json_sql};
use crate::engagement::tenants::{ServiceLine, Tenant};
use crate::engagement::users::User;
use crate::sqlite::local::Cols;
use crate::{Access, Result, Store};
use ftop_domain::catalogue::service as find_service;
use ftop_domain::instance::TenantFacts;
use ftop_domain::{Motion, OverallStatus, Priority, TenantId};

/// A tenant as one user sees it.
#[derive(Debug, Clone)]
pub struct TenantRead {
    /// What the user may do with it.
    pub access: Access,
    /// The tenant with its services.
    pub tenant: Tenant,
    /// What decides which playbook tasks apply.
    pub facts: TenantFacts,
}

pub(crate) const TENANT_COLS: &str = "SELECT t.*, c.name AS customer,
        (SELECT COUNT(*) FROM assignments a WHERE a.tenant_id = t.tenant_id AND a.role = 'csm') AS csm_count";

impl Store {
    /// The tenant, if `user` may see it (`None` when it does not exist or may not be
    /// seen), with the user's access and the tenant's playbook facts.
    pub async fn tenant_for(&self, user: &User, tenant_id: &str) -> Result<Option<TenantRead>> {
        let Ok(id) = TenantId::parse(tenant_id) else {
            return Ok(None);
        };
        let q = sql!(
            self,
            format!(
                "{TENANT_COLS},
                    (SELECT COUNT(*) FROM assignments a WHERE a.tenant_id = t.tenant_id AND a.user_id = $2) AS acc_assigned,
                    (SELECT COUNT(*) FROM tenant_partners p WHERE p.tenant_id = t.tenant_id AND p.partner_id = $3) AS acc_partner
                 FROM tenants t JOIN customers c ON c.id = t.customer_id WHERE t.tenant_id = $1"
            )
        );
        let partner = user.partner_id.unwrap_or(-1);
        let sq = sql!(self, SERVICES);
        if let Some(local) = self.local() {
            return local.with(|c| {
                let mut st = c.prepare_cached(q)?;
                let mut rows = st.query(rusqlite::params![id.as_str(), user.id, partner])?;
                let Some(r) = rows.next()? else {
                    return Ok(None);
                };
                let access = access_in(r, user)?;
                if access == Access::None {
                    return Ok(None);
                }
                let mut st = c.prepare_cached(sq)?;
                let mut lines = st.query([id.as_str()])?;
                let mut services = Vec::new();
                while let Some(l) = lines.next()? {
                    services.push(service_line(l)?);
                }
                read(r, access, services).map(Some)
            });
        }
        if let Some(pg) = self.pg_hot() {
            let r = self.tenant_for_pg(pg, user, id.as_str(), partner, false);
            return Ok(r.await?.map(|(r, _)| r));
        }
        let Some(r) = sqlx::query(q)
            .bind(id.as_str())
            .bind(user.id)
            .bind(partner)
            .fetch_optional(&self.pools.read)
            .await?
        else {
            return Ok(None);
        };
        let access = access_in(&r, user)?;
        if access == Access::None {
            return Ok(None);
        }
        let services = self.service_lines(id.as_str()).await?;
        read(&r, access, services).map(Some)
    }

    /// [`Store::tenant_for`] with the tenant's tasks as [`Store::tasks_of`] gives them:
    /// what the task list and the Playbook tab read. On PostgreSQL both come back from one
    /// statement (one round trip instead of two), in one snapshot.
    pub async fn tenant_with_tasks(
        &self,
        user: &User,
        tenant_id: &str,
    ) -> Result<Option<(TenantRead, Vec<TaskView>)>> {
        if let Some(pg) = self.pg_hot() {
            let Ok(id) = TenantId::parse(tenant_id) else {
                return Ok(None);
            };
            let partner = user.partner_id.unwrap_or(-1);
            let found = self.tenant_for_pg(pg, user, id.as_str(), partner, true);
            let Some((r, states)) = found.await? else {
                return Ok(None);
            };
            let tasks = self.tasks_from_json(&r.facts, states.as_deref())?;
            return Ok(Some((r, tasks)));
        }
        let Some(r) = self.tenant_for(user, tenant_id).await? else {
            return Ok(None);
        };
        let tasks = self.tasks_of(&r.tenant.tenant_id, &r.facts).await?;
        Ok(Some((r, tasks)))
    }

    /// [`Store::tenant_for`] on PostgreSQL's hot-read pool in one round trip: the tenant
    /// with the caller's access and its facts, joined to its services (a row per service;
    /// one row with no service when it has none); with `states`, also the tenant's task
    /// states as [`states_json_sql`] gives them, on one row only.
    async fn tenant_for_pg(
        &self,
        pg: &crate::postgres::hot::HotPool,
        user: &User,
        id: &str,
        partner: i64,
        states: bool,
    ) -> Result<Option<(TenantRead, Option<String>)>> {
        let q = if states {
            sql!(
                self,
                format!(
                    "{}",
                    pg_tenant(&format!(
                        "CASE WHEN row_number() OVER (ORDER BY s.service) = 1 THEN {} END",
                        states_json_sql()
                    ))
                )
            )
        } else {
            sql!(self, format!("{}", pg_tenant("NULL")))
        };
        let mut c = crate::postgres::hot::acquire(pg).await?;
        let r = sqlx::query(q)
            .bind(id)
            .bind(user.id)
            .bind(partner)
            .fetch_all(&mut *c)
            .await;
        let rows = crate::postgres::hot::checked(&mut c, r)?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let access = access_in(first, user)?;
        if access == Access::None {
            return Ok(None);
        }
        let mut json = None;
        for r in &rows {
            if let Some(text) = r.opt_text("states")? {
                json = Some(text);
            }
        }
        let mut services = Vec::with_capacity(rows.len());
        for r in &rows {
            if let Some(key) = r.opt_text("svc_service")? {
                services.push(line_of(
                    key,
                    r.int("svc_entitlements")?,
                    r.int("svc_qualified")?,
                    r.int("svc_version")?,
                ));
            }
        }
        Ok(Some((read(first, access, services)?, json)))
    }

    /// A tenant's services, by key.
    pub(crate) async fn service_lines(&self, tenant_id: &str) -> Result<Vec<ServiceLine>> {
        sqlx::query(sql!(self, SERVICES))
            .bind(tenant_id)
            .fetch_all(&self.pools.read)
            .await?
            .iter()
            .map(service_line)
            .collect()
    }
}

/// PostgreSQL's read of a tenant with the caller's access (`$2` the user, `$3` their
/// partner organisation) and its services, a row per service, with `states` as the
/// column `states`.
fn pg_tenant(states: &str) -> String {
    format!(
        "{TENANT_COLS},
            (SELECT COUNT(*) FROM assignments a WHERE a.tenant_id = t.tenant_id AND a.user_id = $2) AS acc_assigned,
            (SELECT COUNT(*) FROM tenant_partners p WHERE p.tenant_id = t.tenant_id AND p.partner_id = $3) AS acc_partner,
            s.service AS svc_service, s.entitlements AS svc_entitlements,
            s.qualified AS svc_qualified, s.version AS svc_version, {states} AS states
         FROM tenants t JOIN customers c ON c.id = t.customer_id
         LEFT JOIN tenant_services s ON s.tenant_id = t.tenant_id
         WHERE t.tenant_id = $1 ORDER BY s.service"
    )
}

const SERVICES: &str = "SELECT service, entitlements, qualified, version FROM tenant_services
     WHERE tenant_id = $1 ORDER BY service";

fn service_line(s: &impl Cols) -> Result<ServiceLine> {
    Ok(line_of(
        s.text("service")?,
        s.int("entitlements")?,
        s.int("qualified")?,
        s.int("version")?,
    ))
}

fn line_of(key: String, entitlements: i64, qualified: i64, version: i64) -> ServiceLine {
    ServiceLine {
        name: find_service(&key).map_or_else(|| key.clone(), |x| x.name.to_string()),
        service: key,
        entitlements,
        qualified,
        version,
    }
}

fn access_in(r: &impl Cols, user: &User) -> Result<Access> {
    Ok(access_of(
        user,
        r.int("acc_assigned")? > 0,
        r.int("acc_partner")? > 0,
    ))
}

fn read(r: &impl Cols, access: Access, services: Vec<ServiceLine>) -> Result<TenantRead> {
    let tenant = tenant_of(r, services)?;
    let facts = facts_of(&tenant, r.int("csm_count")? > 0);
    Ok(TenantRead {
        access,
        tenant,
        facts,
    })
}

/// The tenant from a row of [`TENANT_COLS`] and its services.
pub(crate) fn tenant_of(r: &impl Cols, services: Vec<ServiceLine>) -> Result<Tenant> {
    Ok(Tenant {
        tenant_id: r.text("tenant_id")?,
        name: r.text("name")?,
        customer: r.text("customer")?,
        motion: r.opt_text("motion")?.as_deref().and_then(Motion::parse),
        priority: r.key("priority", Priority::parse)?,
        overall_status: r.key("overall_status", OverallStatus::parse)?,
        status_date: r.opt_text("status_date")?,
        status_note: r.text("status_note")?,
        active: r.int("active")? != 0,
        program_exception: r.int("program_exception")? != 0,
        exception_reason: r.opt_text("exception_reason")?,
        enterprise_exception: r.int("enterprise_exception")? != 0,
        adoption_benefit: r.int("adoption_benefit")? != 0,
        playbook_version: r.int("playbook_version")?,
        version: r.int("version")?,
        created_at: r.text("created_at")?,
        updated_at: r.text("updated_at")?,
        services,
    })
}

/// The playbook facts of a tenant read with its services.
pub(crate) fn facts_of(t: &Tenant, csm: bool) -> TenantFacts {
    TenantFacts {
        services: t
            .services
            .iter()
            .map(|s| (s.service.clone(), s.qualified.max(0) as u64))
            .collect(),
        csm,
        enterprise_exception: t.enterprise_exception,
        adoption_benefit: t.adoption_benefit,
    }
}
