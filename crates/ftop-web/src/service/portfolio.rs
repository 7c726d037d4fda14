//! The portfolio summary, the one function behind `/portfolio`, its CSV downloads and
//! `/api/v1/portfolio`; and the tenants behind each of its numbers, which the home grid
//! lists when a number's link narrows it (`drill`, `grid`).

use crate::App;
use crate::auth::Viewer;
use crate::error::AppError;
use ftop_domain::{FieldError, OverallStatus};
use ftop_store::{GridDetails, PortfolioScope, PortfolioSummary, TenantFilter, TenantSummary};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

/// The query string of both routes.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PortfolioQuery {
    mine: Option<String>,
    pub(crate) table: Option<String>,
}

impl PortfolioQuery {
    /// Only the tenants assigned to the viewer (`mine=1`, `true`, `on` or `yes`).
    pub(crate) fn mine(&self) -> bool {
        matches!(self.mine.as_deref(), Some("1" | "true" | "on" | "yes"))
    }
}

/// The summary `v` may see (partners: their organisation's tenants; everyone else: all),
/// or only the tenants assigned to them: what the page, the CSV and the API show.
pub(crate) async fn summary(
    app: &App,
    v: &Viewer,
    mine: bool,
) -> Result<PortfolioSummary, AppError> {
    Ok(app
        .store
        .portfolio_summary(PortfolioScope::for_user(&v.user, mine))
        .await?)
}

/// The query parameters that narrow the home grid to the tenants behind one number of the
/// portfolio (each also combines with the grid's view and search): `active` (`1` or `0`),
/// `status` (an overall status key), `owner` (the primary FastTrack Manager's user ID, or
/// `none` for the tenants without one), `service` (a service key: tenants with
/// entitlements of it) and `phase` (a phase key of the playbook as the current phase, or
/// `complete` for the tenants that completed every phase).
#[derive(Debug, Default, Clone, Deserialize)]
pub(crate) struct DrillQuery {
    active: Option<String>,
    status: Option<String>,
    owner: Option<String>,
    service: Option<String>,
    phase: Option<String>,
}

/// The `phase` value of the tenants that completed every phase.
const COMPLETE: &str = "complete";

/// The narrowing of [`DrillQuery`], read: what the portfolio's numbers link to and what
/// the grid shows (with the names it shows them by).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Drill {
    /// Active (true) or inactive tenants only.
    pub(crate) active: Option<bool>,
    /// This overall status.
    pub(crate) status: Option<OverallStatus>,
    /// This primary FastTrack Manager's user ID; `Some(None)`: tenants without one.
    pub(crate) owner: Option<Option<i64>>,
    /// Tenants with entitlements of this service (key).
    pub(crate) service: Option<String>,
    /// Tenants whose current phase this is (key); `""`: every phase complete.
    pub(crate) phase: Option<String>,
    /// The phase's name in the playbook's source language (read by [`drill`]).
    pub(crate) phase_name: Option<String>,
}

impl Drill {
    /// Whether anything narrows the grid.
    pub(crate) fn is_empty(&self) -> bool {
        self.active.is_none()
            && self.status.is_none()
            && self.owner.is_none()
            && self.service.is_none()
            && self.phase.is_none()
    }

    /// The query parameters of this narrowing, in a fixed order (values not yet encoded).
    pub(crate) fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(s) = self.status {
            out.push(("status", s.key().to_string()));
        }
        if let Some(a) = self.active {
            out.push(("active", if a { "1" } else { "0" }.to_string()));
        }
        if let Some(o) = self.owner {
            out.push((
                "owner",
                o.map_or_else(|| "none".to_string(), |id| id.to_string()),
            ));
        }
        if let Some(s) = &self.service {
            out.push(("service", s.clone()));
        }
        if let Some(p) = &self.phase {
            let p = if p.is_empty() { COMPLETE } else { p.as_str() };
            out.push(("phase", p.to_string()));
        }
        out
    }

    /// The narrowing as a query string's tail: `&status=blocked&owner=3` (empty when
    /// nothing narrows).
    pub(crate) fn query(&self) -> String {
        self.pairs()
            .iter()
            .map(|(k, v)| format!("&{k}={}", crate::auth::urlencode(v)))
            .collect()
    }
}

/// The narrowing `q` asks for, with the phase's name. A value that is no such thing (a
/// status or phase ftop does not know, an owner that is not a user ID or `none`, a service
/// outside the catalogue, an `active` that is not yes or no) is a 400 naming the
/// parameter, never an unfiltered list.
pub(crate) fn drill(app: &App, q: &DrillQuery) -> Result<Drill, AppError> {
    let given = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let mut e: Vec<FieldError> = Vec::new();
    let mut d = Drill::default();
    if let Some(a) = given(&q.active) {
        match a.as_str() {
            "1" | "true" | "yes" | "on" => d.active = Some(true),
            "0" | "false" | "no" | "off" => d.active = Some(false),
            _ => e.push(
                FieldError::of("active", "invalid-not-yes-no")
                    .quoting("value", &crate::error::echoed(&a)),
            ),
        }
    }
    if let Some(s) = given(&q.status) {
        match OverallStatus::parse(&s) {
            Some(s) => d.status = Some(s),
            None => {
                let keys: Vec<&str> = OverallStatus::ALL.iter().map(|s| s.key()).collect();
                e.push(
                    FieldError::of("status", "invalid-choose-one")
                        .quoting("value", &crate::error::echoed(&s))
                        .with("choices", keys.join(", ")),
                );
            }
        }
    }
    if let Some(o) = given(&q.owner) {
        match o.parse::<i64>() {
            _ if o == "none" => d.owner = Some(None),
            Ok(id) if id > 0 => d.owner = Some(Some(id)),
            _ => e.push(
                FieldError::of("owner", "invalid-user-id")
                    .quoting("value", &crate::error::echoed(&o)),
            ),
        }
    }
    if let Some(s) = given(&q.service) {
        match ftop_domain::catalogue::service(&s) {
            Some(found) => d.service = Some(found.key.to_string()),
            None => {
                e.push(
                    FieldError::of("service", "invalid-service-unknown")
                        .quoting("value", &crate::error::echoed(&s)),
                );
            }
        }
    }
    if let Some(p) = given(&q.phase) {
        let phases = app
            .store
            .playbook()
            .map(|(_, _, t)| t.phases.clone())
            .unwrap_or_default();
        match phases.iter().find(|(key, _)| *key == p) {
            Some((key, name)) => {
                d.phase = Some(key.clone());
                d.phase_name = Some(name.clone());
            }
            None if p == COMPLETE && !phases.is_empty() => d.phase = Some(String::new()),
            None => {
                let mut keys: Vec<&str> = phases.iter().map(|(k, _)| k.as_str()).collect();
                keys.push(COMPLETE);
                e.push(
                    FieldError::of("phase", "invalid-choose-one")
                        .quoting("value", &crate::error::echoed(&p))
                        .with("choices", keys.join(", ")),
                );
            }
        }
    }
    if e.is_empty() {
        Ok(d)
    } else {
        Err(AppError {
            fields: e,
            ..AppError::bad_request("a filter of the tenant list names nothing ftop knows")
        })
    }
}

/// What the home grid lists: one page of its tenants, how many there are in all and, when
/// it is narrowed to an owner, the owner's name.
pub(crate) struct Grid {
    pub(crate) rows: Vec<TenantSummary>,
    pub(crate) total: i64,
    /// Read only when the owner is the primary FastTrack Manager of a tenant listed (the
    /// viewer sees them there anyway): a user ID alone reveals no name.
    pub(crate) owner_name: Option<String>,
    /// What the displays show of each listed tenant beyond its row, with its tripwires.
    pub(crate) details: HashMap<String, GridDetails>,
    /// The listed tenants the viewer may change (their priority can be set here).
    pub(crate) writable: HashSet<String>,
}

/// One page of the tenants matching `f` (the grid's view, search, order and page) and
/// narrowed by `d`, and how many match in all: exactly the tenants behind the portfolio's
/// number `d` stands for.
pub(crate) async fn grid(
    app: &App,
    v: &Viewer,
    f: &TenantFilter,
    d: &Drill,
) -> Result<Grid, AppError> {
    let f = TenantFilter {
        active: d.active.or(f.active),
        ..f.clone()
    };
    let (rows, total) = app
        .store
        .tenants_narrowed(
            &f,
            d.status,
            d.owner,
            d.service.as_deref(),
            d.phase.as_deref(),
        )
        .await?;
    let owner_name = match d.owner {
        Some(Some(id)) if total > 0 => app.store.user_by_id_any(id).await?.map(|u| u.name),
        _ => None,
    };
    let ids: Vec<String> = rows.iter().map(|t| t.tenant_id.clone()).collect();
    let today = ftop_domain::adoption::day_of(ftop_store::today());
    let details = app.store.grid_details(&ids, today, app.tripwire_bp).await?;
    let writable = app.store.writable_among(&v.user, &ids).await?;
    Ok(Grid {
        rows,
        total,
        owner_name,
        details,
        writable,
    })
}
