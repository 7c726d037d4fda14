//! Who delivers each service of a tenant: its engagement scenario (which decides whom the
//! service's Active Usage growth is credited to), the delivery teams and the engagement
//! start date. A service nobody has set has the default scenario, no teams and no date
//! (version 0).

use crate::audit::Change;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::{EngagementScenario, FieldError, Invalid, limits};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

/// Teams a service may list at most.
pub const MAX_TEAMS: usize = 20;

/// A service's delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    /// Service key.
    pub service: String,
    /// Who delivers it.
    pub scenario: EngagementScenario,
    /// The delivery teams, in the order given.
    pub teams: Vec<String>,
    /// When the customer asked to start onboarding this service (`YYYY-MM-DD`).
    pub start_date: Option<String>,
    /// Send it back when saving (0: never set).
    pub version: i64,
}

/// A change of a service's delivery: everything is replaced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryUpdate {
    /// The scenario (None: the default).
    pub scenario: Option<EngagementScenario>,
    /// The delivery teams (blank names are dropped).
    pub teams: Vec<String>,
    /// The engagement start date, `YYYY-MM-DD`, or empty.
    pub start_date: String,
}

impl Store {
    /// The delivery of every service of tenant `tenant_id`, in the tenant's service order
    /// (the default for a service never set), read in one query.
    pub async fn deliveries(&self, tenant_id: &str) -> Result<Vec<Delivery>> {
        let t = self.tenant(tenant_id).await?;
        let rows = sqlx::query(sql!(
            self,
            "SELECT service, scenario, start_date, teams, version FROM service_delivery
             WHERE tenant_id = $1",
        ))
        .bind(&t.tenant_id)
        .fetch_all(&self.pools.read)
        .await?;
        let mut stored = std::collections::HashMap::new();
        for r in &rows {
            let service: String = r.try_get("service")?;
            stored.insert(service.clone(), delivery_of(service, r)?);
        }
        Ok(t.services
            .iter()
            .map(|s| {
                stored.remove(&s.service).unwrap_or_else(|| Delivery {
                    service: s.service.clone(),
                    scenario: EngagementScenario::DEFAULT,
                    teams: Vec::new(),
                    start_date: None,
                    version: 0,
                })
            })
            .collect())
    }

    /// The delivery of `service` of tenant `tenant_id` (the default when never set).
    pub async fn delivery(&self, tenant_id: &str, service: &str) -> Result<Delivery> {
        self.deliveries(tenant_id)
            .await?
            .into_iter()
            .find(|d| d.service == service)
            .ok_or_else(|| StoreError::NotFound(format!("service {service} of tenant {tenant_id}")))
    }

    /// Replaces the delivery of `service`, read at `version` (0 when never set); refused
    /// when it changed meanwhile, audited.
    pub async fn set_delivery(
        &self,
        actor: &Actor,
        tenant_id: &str,
        service: &str,
        version: i64,
        u: &DeliveryUpdate,
    ) -> Result<Delivery> {
        let before = self.delivery(tenant_id, service).await?;
        let teams = valid_teams(&u.teams)?;
        let start = match u.start_date.trim() {
            "" => None,
            d => Some(crate::fmt_date(crate::parse_date("start_date", d)?)),
        };
        let scenario = u.scenario.unwrap_or(EngagementScenario::DEFAULT);
        let tenant = ftop_domain::TenantId::parse(tenant_id)?.to_string();
        if version != before.version {
            return Err(stale(service, version));
        }
        let mut tx = self.pools.write.begin().await?;
        let done = if version == 0 {
            sqlx::query(sql!(
                self,
                "INSERT INTO service_delivery (tenant_id, service, scenario, start_date, teams, version)
                 VALUES ($1, $2, $3, $4, $5, 1) ON CONFLICT (tenant_id, service) DO NOTHING",
            ))
            .bind(&tenant)
            .bind(service)
            .bind(scenario.key())
            .bind(&start)
            .bind(teams.join("\n"))
            .execute(&mut *tx)
            .await?
        } else {
            sqlx::query(sql!(
                self,
                "UPDATE service_delivery SET scenario = $3, start_date = $4, teams = $5,
                    version = version + 1
                 WHERE tenant_id = $1 AND service = $2 AND version = $6",
            ))
            .bind(&tenant)
            .bind(service)
            .bind(scenario.key())
            .bind(&start)
            .bind(teams.join("\n"))
            .bind(version)
            .execute(&mut *tx)
            .await?
        };
        if done.rows_affected() == 0 {
            return Err(stale(service, version));
        }
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: Some(&tenant),
                entity: "delivery",
                key: format!("{tenant}/{service}"),
                action: "update",
                before: Some(json!({
                    "scenario": before.scenario.key(),
                    "start_date": before.start_date,
                    "teams": before.teams.join(", "),
                })),
                after: Some(json!({
                    "scenario": scenario.key(),
                    "start_date": start,
                    "teams": teams.join(", "),
                })),
            },
        )
        .await?;
        tx.commit().await?;
        self.delivery(&tenant, service).await
    }
}

/// A stored row of `service_delivery`.
fn delivery_of(service: String, r: &sqlx::any::AnyRow) -> Result<Delivery> {
    let scenario: String = r.try_get("scenario")?;
    let teams: String = r.try_get("teams")?;
    Ok(Delivery {
        service,
        scenario: EngagementScenario::parse(&scenario).ok_or_else(|| {
            StoreError::Internal(format!(
                "stored engagement scenario `{scenario}` is unknown"
            ))
        })?,
        teams: teams
            .split('\n')
            .filter(|t| !t.is_empty())
            .map(String::from)
            .collect(),
        start_date: r.try_get("start_date")?,
        version: r.try_get("version")?,
    })
}

fn stale(service: &str, version: i64) -> StoreError {
    StoreError::Conflict(format!(
        "the delivery of {service} changed since version {version}; reload and try again"
    ))
}

/// The teams without blanks, each a short label, at most [`MAX_TEAMS`]; a field error names
/// a team by its place in the list given.
fn valid_teams(teams: &[String]) -> std::result::Result<Vec<String>, Invalid> {
    let mut bad = Vec::new();
    let mut kept = Vec::new();
    for (i, t) in teams.iter().enumerate() {
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        if let Err(e) = limits::text(&format!("teams[{i}]"), t, limits::CONTACT_FIELD) {
            bad.push(e);
        }
        if t.contains('\n') || t.contains('\r') {
            bad.push(FieldError::of(
                format!("teams[{i}]"),
                "invalid-team-one-line",
            ));
        }
        kept.push(t.to_string());
    }
    if kept.len() > MAX_TEAMS {
        bad.push(FieldError::of("teams", "invalid-too-many-items").with("max", MAX_TEAMS as i64));
    }
    if bad.is_empty() {
        Ok(kept)
    } else {
        Err(Invalid(bad))
    }
}
