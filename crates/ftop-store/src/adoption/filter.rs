//! The adoption filter, written once: which (tenant, service) rollups an [`AdoptionFilter`]
//! keeps. Two twins of the same rule live here side by side:
//!
//! - the query builder, [`Selection::where_sql`]: an SQL condition on rollups `r` holding
//!   only the conditions that are set (so the engine can use its indexes), with its values
//!   collected in [`Params`] (used by the grouped counts and the drill-down);
//! - the in-memory predicate, [`Selection::keeps`], over the columns of one rollup, used
//!   by SQLite's dashboard scan, together with [`Selection::tenant_sets`], the tenant-key
//!   sets (partner, assignment, manager) that scan reads before choosing its rows.
//!
//! The tests in `adoption/filter_twins.rs` run both on the same data and compare.

use crate::adoption::model::{AdoptionFilter, BucketFilter};
use crate::adoption::rollups::today_day;
use crate::db::Backend;
use crate::engagement::people::primary_manager;
use ftop_domain::adoption::{Bucket, Day, ForecastStatus, Milestone, day_of, forecast_status};
use ftop_domain::catalogue::service as find_service;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use std::fmt::Write as _;

/// Tenant keys of a partner organisation's tenants (`{}`: the partner's ID).
const PARTNER_TENANTS: &str = "SELECT k.tkey FROM adoption_tenants k JOIN tenant_partners p
    ON p.tenant_id = k.tenant_id WHERE p.partner_id = ";
/// Tenant keys of the tenants a user is assigned to (in any role).
const ASSIGNED_TENANTS: &str = "SELECT k.tkey FROM adoption_tenants k JOIN assignments a
    ON a.tenant_id = k.tenant_id WHERE a.user_id = ";
/// Tenant keys of the tenants whose primary FastTrack Manager is a user.
const MANAGED_TENANTS: &str = concat!(
    "SELECT k.tkey FROM adoption_tenants k JOIN assignments a ON a.tenant_id = k.tenant_id WHERE ",
    primary_manager!("a"),
    " AND a.user_id = "
);

/// A stored bucket as a small code: 1 below-10, 2 10-40, 3 40-plus, 0 a text that is no
/// bucket; None: AU undefined.
pub(crate) fn bucket_code(stored: Option<&[u8]>) -> Option<u8> {
    Some(match stored? {
        b"below-10" => 1,
        b"10-40" => 2,
        b"40-plus" => 3,
        _ => 0,
    })
}

/// The code of a bucket (see [`bucket_code`]).
pub(crate) fn code_of(b: Bucket) -> u8 {
    match b {
        Bucket::Below10 => 1,
        Bucket::From10To40 => 2,
        Bucket::From40 => 3,
    }
}

/// The columns of one rollup the filter and the counts look at (days as stored).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RollupFacts {
    /// Tenant key.
    pub tkey: i64,
    /// Service key.
    pub svc: i64,
    /// Has a usage figure.
    pub as_of: bool,
    /// Has qualified seats.
    pub engaged: bool,
    /// The bucket's code (see [`bucket_code`]).
    pub bucket: Option<u8>,
    pub m10: Option<i64>,
    pub m40: Option<i64>,
    pub t10: Option<i64>,
    pub t40: Option<i64>,
}

impl RollupFacts {
    /// The forecast status of each milestone on `today` (10%, 40%).
    pub(crate) fn statuses(&self, today: Day) -> [Option<ForecastStatus>; 2] {
        let day = |v: Option<i64>| v.and_then(|v| Day::try_from(v).ok());
        [
            forecast_status(day(self.t10), day(self.m10), today),
            forecast_status(day(self.t40), day(self.m40), today),
        ]
    }
}

/// A filter with its values resolved: the service's catalogue key, days as numbers.
#[derive(Debug, Clone, Default)]
pub(crate) struct Selection {
    /// Scope: tenants of this partner organisation.
    pub partner: Option<i64>,
    /// Scope: tenants this user is assigned to.
    pub assigned: Option<i64>,
    /// This service (catalogue key, or the text given when the catalogue lacks it).
    pub service: Option<String>,
    /// This bucket (`Some(None)`: AU undefined).
    pub bucket: Option<Option<Bucket>>,
    /// Tenants of this partner (a "by partner" row).
    pub partner_id: Option<i64>,
    /// Tenants whose primary FastTrack Manager is this user.
    pub manager_id: Option<i64>,
    /// Reached this milestone between `from` and `to` (days, both included).
    pub reached: Option<(Milestone, i64, i64)>,
    /// This milestone's forecast has this status.
    pub forecast: Option<(Milestone, ForecastStatus)>,
    /// The day forecasts are judged on.
    pub today: Day,
}

impl Selection {
    /// The filter's values, resolved.
    pub(crate) fn of(f: &AdoptionFilter) -> Selection {
        Selection {
            partner: f.scope.partner_id,
            assigned: f.scope.assigned_to,
            service: f
                .service
                .as_deref()
                .map(|s| find_service(s).map_or_else(|| s.to_string(), |x| x.key.to_string())),
            bucket: f.bucket.map(|b| match b {
                BucketFilter::Bucket(b) => Some(b),
                BucketFilter::Undefined => None,
            }),
            partner_id: f.partner_id,
            manager_id: f.manager_id,
            reached: f.reached.map(|m| {
                let day = |d: Option<time::Date>, or: i32| i64::from(d.map_or(or, day_of));
                (m.milestone, day(m.from, i32::MIN), day(m.to, i32::MAX))
            }),
            forecast: f.forecast,
            today: f.today.map_or_else(today_day, day_of),
        }
    }

    /// The tenant sets the filter names, each as (query of tenant keys with one `?1`
    /// parameter for SQLite, its value). A rollup is kept only if its tenant is in all.
    pub(crate) fn tenant_sets(&self) -> Vec<(String, i64)> {
        self.tenant_conditions()
            .into_iter()
            .map(|(sql, v)| (format!("{sql}?1"), v))
            .collect()
    }

    fn tenant_conditions(&self) -> Vec<(&'static str, i64)> {
        [
            (PARTNER_TENANTS, self.partner),
            (ASSIGNED_TENANTS, self.assigned),
            (PARTNER_TENANTS, self.partner_id),
            (MANAGED_TENANTS, self.manager_id),
        ]
        .into_iter()
        .filter_map(|(sql, v)| Some((sql, v?)))
        .collect()
    }

    /// The SQL twin of [`Selection::keeps`] and [`Selection::tenant_sets`] together (plus
    /// the service): a condition on rollups `r`, `TRUE`-like `1 = 1` when nothing is set.
    /// `today` is the placeholder of the day forecasts are judged on (see
    /// [`status_sql`]), added to `p` when a forecast status is filtered on and `None`.
    pub(crate) fn where_sql(&self, p: &mut Params, today: &mut Option<String>) -> String {
        let mut out = String::from("1 = 1");
        for (sql, v) in self.tenant_conditions() {
            let _ = write!(out, " AND r.tkey IN ({sql}{})", p.int(v));
        }
        if let Some(s) = &self.service {
            let _ = write!(
                out,
                " AND r.svc IN (SELECT c.svc FROM adoption_services c WHERE c.service = {})",
                p.text(s.clone())
            );
        }
        match self.bucket {
            Some(Some(b)) => {
                let _ = write!(out, " AND r.bucket = {}", p.text(b.key().to_string()));
            }
            Some(None) => out.push_str(" AND r.bucket IS NULL"),
            None => {}
        }
        if let Some((m, from, to)) = self.reached {
            let col = milestone_col(m);
            let _ = write!(
                out,
                " AND r.{col} >= {} AND r.{col} <= {}",
                p.int(from),
                p.int(to)
            );
        }
        if let Some((m, s)) = self.forecast {
            let t = today
                .get_or_insert_with(|| p.int(i64::from(self.today)))
                .clone();
            let _ = write!(
                out,
                " AND {} = {}",
                status_sql(m, &t),
                p.text(s.key().into())
            );
        }
        out
    }

    /// Whether the rollup passes the per-row conditions (bucket, milestone reached,
    /// forecast status), with its forecast statuses on `today` when it does. The tenant
    /// sets and the service are applied by choosing the rows read.
    pub(crate) fn keeps(&self, r: &RollupFacts) -> Option<[Option<ForecastStatus>; 2]> {
        if let Some(b) = self.bucket
            && r.bucket != b.map(code_of)
        {
            return None;
        }
        if let Some((m, from, to)) = self.reached {
            let day = match m {
                Milestone::Ten => r.m10,
                Milestone::Forty => r.m40,
            };
            if !day.is_some_and(|d| d >= from && d <= to) {
                return None;
            }
        }
        let statuses = r.statuses(self.today);
        if let Some((m, s)) = self.forecast {
            let i = usize::from(m == Milestone::Forty);
            if statuses[i] != Some(s) {
                return None;
            }
        }
        Some(statuses)
    }
}

/// The column of a milestone's date in the rollups.
pub(crate) fn milestone_col(m: Milestone) -> &'static str {
    match m {
        Milestone::Ten => "milestone_10",
        Milestone::Forty => "milestone_40",
    }
}

/// The SQL twin of the domain's `forecast_status` for a milestone of rollups `r`, judged
/// on the day placeholder `today`: the status key, or NULL without a target.
pub(crate) fn status_sql(m: Milestone, today: &str) -> String {
    let (a, t) = match m {
        Milestone::Ten => ("r.milestone_10", "r.target_10"),
        Milestone::Forty => ("r.milestone_40", "r.target_40"),
    };
    format!(
        "(CASE WHEN {t} IS NULL THEN NULL \
         WHEN {a} IS NOT NULL AND {a} > {t} THEN 'met-late' \
         WHEN {a} IS NOT NULL AND {t} < {today} THEN 'met-early' \
         WHEN {a} IS NOT NULL THEN 'reached-before-forecast' \
         WHEN {t} < {today} THEN 'overdue' ELSE 'on-track' END)"
    )
}

/// Values of a query being built, numbered in the order they are added; each is written
/// into the text as its placeholder in the engine's dialect (`$n` or `?n`).
#[derive(Debug, Clone)]
pub(crate) struct Params {
    backend: Backend,
    /// Placeholders already in the text before the first of these values.
    before: usize,
    values: Vec<Value>,
}

#[derive(Debug, Clone)]
enum Value {
    Int(i64),
    Text(String),
}

impl Params {
    /// No values yet.
    pub(crate) fn new(backend: Backend) -> Params {
        Params::after(backend, 0)
    }

    /// No values yet, numbered after the `before` placeholders a text already has.
    pub(crate) fn after(backend: Backend, before: usize) -> Params {
        Params {
            backend,
            before,
            values: Vec::new(),
        }
    }

    fn mark(&self) -> String {
        let sign = match self.backend {
            Backend::Postgres => '$',
            Backend::Sqlite => '?',
        };
        format!("{sign}{}", self.before + self.values.len())
    }

    /// Adds an integer; returns its placeholder.
    pub(crate) fn int(&mut self, v: i64) -> String {
        self.values.push(Value::Int(v));
        self.mark()
    }

    /// Adds a text; returns its placeholder.
    pub(crate) fn text(&mut self, v: String) -> String {
        self.values.push(Value::Text(v));
        self.mark()
    }

    /// Adds texts; returns their placeholders as a list (`$3, $4, $5`) for `IN (...)`.
    pub(crate) fn texts(&mut self, values: &[String]) -> String {
        let marks: Vec<String> = values.iter().map(|v| self.text(v.clone())).collect();
        marks.join(", ")
    }

    /// The values, in order, for a rusqlite statement written with these placeholders.
    pub(crate) fn rusqlite_values(&self) -> Vec<rusqlite::types::Value> {
        self.values
            .iter()
            .map(|v| match v {
                Value::Int(i) => rusqlite::types::Value::Integer(*i),
                Value::Text(s) => rusqlite::types::Value::Text(s.clone()),
            })
            .collect()
    }

    /// Binds the values, in order.
    pub(crate) fn bind<'q>(
        self,
        mut q: Query<'q, sqlx::Any, AnyArguments<'q>>,
    ) -> Query<'q, sqlx::Any, AnyArguments<'q>> {
        for v in self.values {
            q = match v {
                Value::Int(i) => q.bind(i),
                Value::Text(s) => q.bind(s),
            };
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_conditions_set_are_written_and_numbered_in_order() {
        let s = Selection {
            partner: Some(7),
            bucket: Some(None),
            forecast: Some((Milestone::Forty, ForecastStatus::Overdue)),
            today: 100,
            ..Selection::default()
        };
        let mut p = Params::new(Backend::Sqlite);
        let mut today = None;
        let cond = s.where_sql(&mut p, &mut today);
        assert!(cond.contains("p.partner_id = ?1"), "{cond}");
        assert!(cond.contains("r.bucket IS NULL"), "{cond}");
        assert!(
            cond.contains("r.target_40 < ?2") && cond.ends_with("= ?3"),
            "{cond}"
        );
        assert!(!cond.contains("assignments"), "{cond}");
        assert_eq!(today.as_deref(), Some("?2"));
        assert_eq!(p.values.len(), 3);
        let mut p = Params::new(Backend::Postgres);
        let cond = Selection::default().where_sql(&mut p, &mut None);
        assert_eq!(cond, "1 = 1");
        assert!(p.values.is_empty());
    }

    #[test]
    fn forecast_status_in_sql_reads_like_the_domain() {
        // The CASE's branches in the order of the domain's match arms.
        let sql = status_sql(Milestone::Ten, "$9");
        let order = [
            "'met-late'",
            "'met-early'",
            "'reached-before-forecast'",
            "'overdue'",
            "'on-track'",
        ];
        let at: Vec<usize> = order
            .iter()
            .map(|k| sql.find(k).unwrap_or(usize::MAX))
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{sql}");
        for s in ForecastStatus::ALL {
            assert!(sql.contains(&format!("'{}'", s.key())), "{s:?}");
        }
    }
}
