//! Adoption read models for the web layer: a tenant's services with their AU, bucket,
//! milestones and forecasts; portfolio counts (by bucket, milestones in a date window,
//! forecast against actual, conversion) in total and by partner, manager or service; and
//! the rows behind any of those numbers. Portfolio reads only the rollups (plus tenants,
//! partners and assignments for scope and grouping), grouped by the engine.

use crate::adoption::rollups::{date_opt, today_day};
use crate::engagement::portfolio::PortfolioScope;
use crate::sqlite::dashboard_scan::Grouping;
use crate::{Result, Store, StoreError};
use ftop_domain::TenantId;
use ftop_domain::adoption::{
    Bucket, ForecastStatus, Milestone, au_percent, conversion_rate, day_of, enablement_complete,
    forecast_status, intended, iso_date, success,
};
use ftop_domain::catalogue::service as find_service;
use ftop_domain::taxonomy::{L1, StatusRow};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use std::collections::HashMap;
use time::Date;

/// Where one service of a tenant stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceAdoption {
    /// Display name.
    pub service: String,
    /// Service key.
    pub service_key: String,
    /// Date of the latest figure (None: no figures yet).
    #[serde(with = "iso_date::option")]
    pub as_of: Option<Date>,
    /// Active users on that date.
    pub active_users: Option<i64>,
    /// Qualified seats in effect on that date (without figures: today).
    pub qualified_entitlements: i64,
    /// AU% on that date, two decimals; None without figures or seats.
    pub au_percent: Option<f64>,
    /// Bucket on that date; None when AU is undefined.
    pub bucket: Option<Bucket>,
    /// First date AU reached 10%.
    #[serde(with = "iso_date::option")]
    pub milestone_10: Option<Date>,
    /// First date AU reached 40%.
    #[serde(with = "iso_date::option")]
    pub milestone_40: Option<Date>,
    /// Forecast target for 10%.
    #[serde(with = "iso_date::option")]
    pub target_10: Option<Date>,
    /// Forecast target for 40%.
    #[serde(with = "iso_date::option")]
    pub target_40: Option<Date>,
    /// The 10% forecast against the actual date, today.
    pub forecast_10: Option<ForecastStatus>,
    /// The 40% forecast against the actual date, today.
    pub forecast_40: Option<ForecastStatus>,
    /// Enablement complete (100 active users, or 10% below 1,000 tenant seats).
    pub enablement_complete: bool,
    /// The customer intends to use it (entitlement status rows not all No Intent).
    pub intended: bool,
}

/// Which AU bucket to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BucketFilter {
    /// This bucket.
    Bucket(Bucket),
    /// AU undefined: no figures or no qualified seats.
    Undefined,
}

/// A milestone reached (ever, or between two dates inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MilestoneFilter {
    /// Which milestone.
    pub milestone: Milestone,
    /// Reached on or after.
    pub from: Option<Date>,
    /// Reached on or before.
    pub to: Option<Date>,
}

/// Which (tenant, service) rollups portfolio counts and the drill-down take. The same
/// filter serves both, so each number links to its rows.
#[derive(Debug, Clone, Default)]
pub struct AdoptionFilter {
    /// Visibility: partners see their organisation's tenants (as for the portfolio).
    pub scope: PortfolioScope,
    /// Only this service (key or name).
    pub service: Option<String>,
    /// Only this bucket.
    pub bucket: Option<BucketFilter>,
    /// Only tenants of this partner organisation (a "by partner" row).
    pub partner_id: Option<i64>,
    /// Only tenants whose primary FastTrack Manager is this user (a "by manager" row).
    pub manager_id: Option<i64>,
    /// Only services that reached a milestone (in a window).
    pub reached: Option<MilestoneFilter>,
    /// Only services whose forecast for a milestone has this status.
    pub forecast: Option<(Milestone, ForecastStatus)>,
    /// The day forecasts are judged on (default today).
    pub today: Option<Date>,
    /// Drill-down: at most this many rows (default 100, at most 1000).
    pub limit: Option<i64>,
    /// Drill-down: skip this many rows.
    pub offset: Option<i64>,
}

/// A date window, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DateWindow {
    /// First day.
    #[serde(with = "iso_date")]
    pub from: Date,
    /// Last day.
    #[serde(with = "iso_date")]
    pub to: Date,
}

impl DateWindow {
    /// The calendar month of `d`.
    pub fn month_of(d: Date) -> DateWindow {
        let from = d.replace_day(1).unwrap_or(d);
        let to = d.replace_day(d.month().length(d.year())).unwrap_or(d);
        DateWindow { from, to }
    }

    /// The calendar quarter of `d`.
    pub fn quarter_of(d: Date) -> DateWindow {
        let first = (u8::from(d.month()) - 1) / 3 * 3 + 1;
        let last = first + 2;
        let m = |n: u8| time::Month::try_from(n).unwrap_or(time::Month::January);
        let from = Date::from_calendar_date(d.year(), m(first), 1).unwrap_or(d);
        let to = Date::from_calendar_date(d.year(), m(last), m(last).length(d.year())).unwrap_or(d);
        DateWindow { from, to }
    }
}

/// Forecasts of one milestone by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ForecastCounts {
    /// Reached on or before a forecast date that has passed.
    pub met_early: i64,
    /// Reached after the forecast date.
    pub met_late: i64,
    /// Not reached, forecast date passed.
    pub overdue: i64,
    /// Not reached, forecast date today or later.
    pub on_track: i64,
    /// Reached, forecast date still today or later.
    pub reached_before_forecast: i64,
}

impl ForecastCounts {
    /// The count of one status.
    pub fn get(&self, s: ForecastStatus) -> i64 {
        match s {
            ForecastStatus::MetEarly => self.met_early,
            ForecastStatus::MetLate => self.met_late,
            ForecastStatus::Overdue => self.overdue,
            ForecastStatus::OnTrack => self.on_track,
            ForecastStatus::ReachedBeforeForecast => self.reached_before_forecast,
        }
    }
}

/// Adoption numbers of a set of (tenant, service) rollups.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AdoptionCounts {
    /// (tenant, service) pairs.
    pub services: i64,
    /// Of which with qualified seats (engaged: AU is defined once figures arrive).
    pub engaged: i64,
    /// Of which without any usage figure yet.
    pub no_data: i64,
    /// Of which AU undefined (no figures or no seats).
    pub undefined: i64,
    /// Under 10% AU.
    pub below_10: i64,
    /// 10% to under 40%.
    pub from_10_to_40: i64,
    /// 40% and above.
    pub from_40: i64,
    /// Reached 10% at some date.
    pub reached_10: i64,
    /// Reached 40% at some date.
    pub reached_40: i64,
    /// Reached 10% within the window.
    pub reached_10_in_window: i64,
    /// Reached 40% within the window.
    pub reached_40_in_window: i64,
    /// 10% forecasts by status.
    pub forecast_10: ForecastCounts,
    /// 40% forecasts by status.
    pub forecast_40: ForecastCounts,
    /// Distinct tenants (in the by-service grouping: tenants holding the service).
    pub tenants: i64,
    /// Tenants with an engaged service.
    pub tenants_engaged: i64,
    /// Tenants with a service that reached 10%.
    pub tenants_reached_10: i64,
    /// Tenants with a service that reached 40%.
    pub tenants_reached_40: i64,
}

impl AdoptionCounts {
    /// Services that reached a milestone among the engaged ones, percent (two decimals).
    pub fn conversion(&self, m: Milestone) -> Option<f64> {
        conversion_rate(
            match m {
                Milestone::Ten => self.reached_10,
                Milestone::Forty => self.reached_40,
            },
            self.engaged,
        )
    }

    /// Tenants with a service that reached a milestone among engaged tenants, percent.
    pub fn tenant_conversion(&self, m: Milestone) -> Option<f64> {
        conversion_rate(
            match m {
                Milestone::Ten => self.tenants_reached_10,
                Milestone::Forty => self.tenants_reached_40,
            },
            self.tenants_engaged,
        )
    }
}

/// How portfolio counts are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdoptionGroupBy {
    /// By partner organisation (a tenant with several partners counts for each; tenants
    /// without a partner form the row with no id).
    Partner,
    /// By primary FastTrack Manager (tenant-wide `fm` primary; unassigned: no id).
    Manager,
    /// By service.
    Service,
}

/// One row of grouped counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdoptionGroup {
    /// Partner or manager user ID (None: no partner / unassigned, or a service row).
    pub id: Option<i64>,
    /// Service key of a service row.
    pub service: Option<String>,
    /// Display name (partner, manager or service); None for the no-partner/unassigned row.
    pub name: Option<String>,
    /// The numbers.
    pub counts: AdoptionCounts,
}

/// The adoption dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdoptionPortfolio {
    /// The window "reached in window" counts use.
    pub window: DateWindow,
    /// Totals.
    pub totals: AdoptionCounts,
    /// By service, most services first.
    pub by_service: Vec<AdoptionGroup>,
}

/// One (tenant, service) row behind a number.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdoptionRow {
    /// Tenant ID.
    pub tenant_id: String,
    /// Tenant name.
    pub tenant: String,
    /// The service's adoption.
    #[serde(flatten)]
    pub adoption: ServiceAdoption,
}

/// The forecast-status expression of a milestone's columns against `$12` (today).
macro_rules! status_sql {
    ($m:literal, $t:literal) => {
        concat!(
            "(CASE WHEN ",
            $t,
            " IS NULL THEN NULL",
            " WHEN ",
            $m,
            " IS NOT NULL AND ",
            $m,
            " > ",
            $t,
            " THEN 'met-late'",
            " WHEN ",
            $m,
            " IS NOT NULL AND ",
            $t,
            " < $12 THEN 'met-early'",
            " WHEN ",
            $m,
            " IS NOT NULL THEN 'reached-before-forecast'",
            " WHEN ",
            $t,
            " < $12 THEN 'overdue' ELSE 'on-track' END)"
        )
    };
}

/// The filter on rollups `r` ($1..$12).
macro_rules! cond_sql {
    () => {
        concat!(
            "($1 IS NULL OR r.tkey IN (SELECT k.tkey FROM adoption_tenants k JOIN tenant_partners p
                ON p.tenant_id = k.tenant_id WHERE p.partner_id = $1))
             AND ($2 IS NULL OR r.tkey IN (SELECT k.tkey FROM adoption_tenants k JOIN assignments a
                ON a.tenant_id = k.tenant_id WHERE a.user_id = $2))
             AND ($3 IS NULL OR r.svc IN (SELECT c.svc FROM adoption_services c WHERE c.service = $3))
             AND ($4 IS NULL OR COALESCE(r.bucket, 'none') = $4)
             AND ($5 IS NULL OR r.tkey IN (SELECT k.tkey FROM adoption_tenants k JOIN tenant_partners p
                ON p.tenant_id = k.tenant_id WHERE p.partner_id = $5))
             AND ($6 IS NULL OR r.tkey IN (SELECT k.tkey FROM adoption_tenants k JOIN assignments a
                ON a.tenant_id = k.tenant_id WHERE a.role = 'fm' AND a.is_primary = 1
                AND a.service = '' AND a.user_id = $6))
             AND ($7 IS NULL OR ($7 = '10' AND r.milestone_10 >= $8 AND r.milestone_10 <= $9)
                OR ($7 = '40' AND r.milestone_40 >= $8 AND r.milestone_40 <= $9))
             AND ($10 IS NULL OR ($10 = '10' AND ",
            status_sql!("r.milestone_10", "r.target_10"),
            " = $11) OR ($10 = '40' AND ",
            status_sql!("r.milestone_40", "r.target_40"),
            " = $11))"
        )
    };
}

/// Per-status counts of one milestone's forecasts.
macro_rules! forecast_sums {
    ($p:literal, $m:literal, $t:literal) => {
        concat!(
            "SUM(CASE WHEN ",
            status_sql!($m, $t),
            " = 'met-early' THEN 1 ELSE 0 END) AS ",
            $p,
            "_me, ",
            "SUM(CASE WHEN ",
            status_sql!($m, $t),
            " = 'met-late' THEN 1 ELSE 0 END) AS ",
            $p,
            "_ml, ",
            "SUM(CASE WHEN ",
            status_sql!($m, $t),
            " = 'overdue' THEN 1 ELSE 0 END) AS ",
            $p,
            "_od, ",
            "SUM(CASE WHEN ",
            status_sql!($m, $t),
            " = 'on-track' THEN 1 ELSE 0 END) AS ",
            $p,
            "_ot, ",
            "SUM(CASE WHEN ",
            status_sql!($m, $t),
            " = 'reached-before-forecast' THEN 1 ELSE 0 END) AS ",
            $p,
            "_rb"
        )
    };
}

/// Sums per tenant (`$group` = `r.tkey`) or per tenant and service over the filtered
/// rollups; $13..$14 is the window.
macro_rules! inner_sql {
    ($svc:literal, $group:literal) => {
        concat!(
            "SELECT r.tkey AS tkey, ", $svc, " AS svc, COUNT(*) AS services,
                SUM(CASE WHEN r.qualified > 0 THEN 1 ELSE 0 END) AS engaged,
                SUM(CASE WHEN r.as_of IS NULL THEN 1 ELSE 0 END) AS no_data,
                SUM(CASE WHEN r.bucket IS NULL THEN 1 ELSE 0 END) AS undefined,
                SUM(CASE WHEN r.bucket = 'below-10' THEN 1 ELSE 0 END) AS below_10,
                SUM(CASE WHEN r.bucket = '10-40' THEN 1 ELSE 0 END) AS from_10_to_40,
                SUM(CASE WHEN r.bucket = '40-plus' THEN 1 ELSE 0 END) AS from_40,
                SUM(CASE WHEN r.milestone_10 IS NOT NULL THEN 1 ELSE 0 END) AS reached_10,
                SUM(CASE WHEN r.milestone_40 IS NOT NULL THEN 1 ELSE 0 END) AS reached_40,
                SUM(CASE WHEN r.milestone_10 >= $13 AND r.milestone_10 <= $14 THEN 1 ELSE 0 END) AS w10,
                SUM(CASE WHEN r.milestone_40 >= $13 AND r.milestone_40 <= $14 THEN 1 ELSE 0 END) AS w40, ",
            forecast_sums!("f10", "r.milestone_10", "r.target_10"),
            ", ",
            forecast_sums!("f40", "r.milestone_40", "r.target_40"),
            " FROM adoption_rollups r WHERE ",
            cond_sql!(),
            " GROUP BY ",
            $group
        )
    };
}

/// Grouped totals of the inner sums: `$gkey` names the group, `$joins` brings it in.
macro_rules! outer_sql {
    ($gkey:literal, $joins:literal, $svc:literal, $group:literal, $outer:literal) => {
        concat!(
            "SELECT ", $gkey, " AS gkey, COUNT(*) AS tenants,
                CAST(SUM(CASE WHEN x.engaged > 0 THEN 1 ELSE 0 END) AS BIGINT) AS tenants_engaged,
                CAST(SUM(CASE WHEN x.reached_10 > 0 THEN 1 ELSE 0 END) AS BIGINT) AS tenants_reached_10,
                CAST(SUM(CASE WHEN x.reached_40 > 0 THEN 1 ELSE 0 END) AS BIGINT) AS tenants_reached_40,
                CAST(SUM(x.services) AS BIGINT) AS services, CAST(SUM(x.engaged) AS BIGINT) AS engaged,
                CAST(SUM(x.no_data) AS BIGINT) AS no_data, CAST(SUM(x.undefined) AS BIGINT) AS undefined,
                CAST(SUM(x.below_10) AS BIGINT) AS below_10,
                CAST(SUM(x.from_10_to_40) AS BIGINT) AS from_10_to_40,
                CAST(SUM(x.from_40) AS BIGINT) AS from_40,
                CAST(SUM(x.reached_10) AS BIGINT) AS reached_10, CAST(SUM(x.reached_40) AS BIGINT) AS reached_40,
                CAST(SUM(x.w10) AS BIGINT) AS w10, CAST(SUM(x.w40) AS BIGINT) AS w40,
                CAST(SUM(x.f10_me) AS BIGINT) AS f10_me, CAST(SUM(x.f10_ml) AS BIGINT) AS f10_ml,
                CAST(SUM(x.f10_od) AS BIGINT) AS f10_od, CAST(SUM(x.f10_ot) AS BIGINT) AS f10_ot,
                CAST(SUM(x.f10_rb) AS BIGINT) AS f10_rb,
                CAST(SUM(x.f40_me) AS BIGINT) AS f40_me, CAST(SUM(x.f40_ml) AS BIGINT) AS f40_ml,
                CAST(SUM(x.f40_od) AS BIGINT) AS f40_od, CAST(SUM(x.f40_ot) AS BIGINT) AS f40_ot,
                CAST(SUM(x.f40_rb) AS BIGINT) AS f40_rb
             FROM (",
            inner_sql!($svc, $group),
            ") x ",
            $joins,
            $outer
        )
    };
}

const TOTALS: &str = outer_sql!("CAST(NULL AS BIGINT)", "", "0", "r.tkey", "");
const BY_SERVICE: &str = outer_sql!("x.svc", "", "r.svc", "r.tkey, r.svc", " GROUP BY x.svc");
const BY_PARTNER: &str = outer_sql!(
    "p.partner_id",
    "JOIN adoption_tenants k ON k.tkey = x.tkey LEFT JOIN tenant_partners p ON p.tenant_id = k.tenant_id",
    "0",
    "r.tkey",
    " GROUP BY p.partner_id"
);
const BY_MANAGER: &str = outer_sql!(
    "a.user_id",
    "JOIN adoption_tenants k ON k.tkey = x.tkey LEFT JOIN assignments a ON a.tenant_id = k.tenant_id
        AND a.role = 'fm' AND a.is_primary = 1 AND a.service = ''",
    "0",
    "r.tkey",
    " GROUP BY a.user_id"
);

const ROLLUP_COLS: &str = "c.service AS service_key, r.as_of, r.active_users, r.qualified,
    r.au_bp, r.bucket, r.milestone_10, r.milestone_40, r.target_10, r.target_40";

const DRILL: &str = concat!(
    "SELECT k.tenant_id, t.name AS tenant, c.service AS service_key, r.as_of, r.active_users,
        r.qualified, r.au_bp, r.bucket, r.milestone_10, r.milestone_40, r.target_10, r.target_40,
        (SELECT COALESCE(MAX(s.qualified), 0) FROM tenant_services s WHERE s.tenant_id = k.tenant_id) AS tenant_seats
     FROM adoption_rollups r JOIN adoption_tenants k ON k.tkey = r.tkey
     JOIN tenants t ON t.tenant_id = k.tenant_id JOIN adoption_services c ON c.svc = r.svc
     WHERE ",
    cond_sql!(),
    " ORDER BY t.name, c.service LIMIT $13 OFFSET $14"
);

/// The drill-down with only the filter conditions of `mask` (bits: partner scope,
/// assignment scope, service, bucket, partner, manager); the others reduce to `$n IS NULL`
/// so every parameter stays in the text.
fn drill_for(mask: usize) -> String {
    let conds: [(usize, &str); 6] = [
        (
            1,
            "r.tkey IN (SELECT k.tkey FROM adoption_tenants k JOIN tenant_partners p
                ON p.tenant_id = k.tenant_id WHERE p.partner_id = $1)",
        ),
        (
            2,
            "r.tkey IN (SELECT k.tkey FROM adoption_tenants k JOIN assignments a
                ON a.tenant_id = k.tenant_id WHERE a.user_id = $2)",
        ),
        (
            3,
            "r.svc IN (SELECT c.svc FROM adoption_services c WHERE c.service = $3)",
        ),
        (4, "COALESCE(r.bucket, 'none') = $4"),
        (
            5,
            "r.tkey IN (SELECT k.tkey FROM adoption_tenants k JOIN tenant_partners p
                ON p.tenant_id = k.tenant_id WHERE p.partner_id = $5)",
        ),
        (
            6,
            "r.tkey IN (SELECT k.tkey FROM adoption_tenants k JOIN assignments a
                ON a.tenant_id = k.tenant_id WHERE a.role = 'fm' AND a.is_primary = 1
                AND a.service = '' AND a.user_id = $6)",
        ),
    ];
    let full = cond_sql!();
    let mut cond = String::new();
    for (i, (n, c)) in conds.iter().enumerate() {
        if mask & (1 << i) != 0 {
            cond.push_str(c);
        } else {
            cond.push_str(&format!("${n} IS NULL"));
        }
        cond.push_str(" AND ");
    }
    // The milestone and forecast conditions as in the full filter.
    let rest = &full[full.find("($7 IS NULL").unwrap_or(0)..];
    cond.push_str(rest);
    let head = &DRILL[..DRILL.find(full).unwrap_or(DRILL.len())];
    format!("{head}{cond} ORDER BY t.name, c.service LIMIT $13 OFFSET $14")
}

/// The filter's values, in parameter order $1..$12.
pub(crate) struct Binds {
    pub(crate) partner: Option<i64>,
    pub(crate) assigned: Option<i64>,
    pub(crate) service: Option<String>,
    pub(crate) bucket: Option<&'static str>,
    pub(crate) partner_id: Option<i64>,
    pub(crate) manager_id: Option<i64>,
    pub(crate) milestone: Option<&'static str>,
    pub(crate) from: i64,
    pub(crate) to: i64,
    pub(crate) forecast: Option<&'static str>,
    pub(crate) status: Option<&'static str>,
    pub(crate) today: i64,
}

impl Binds {
    /// Which of the first six conditions are set.
    fn set_mask(&self) -> usize {
        [
            self.partner.is_some(),
            self.assigned.is_some(),
            self.service.is_some(),
            self.bucket.is_some(),
            self.partner_id.is_some(),
            self.manager_id.is_some(),
        ]
        .iter()
        .enumerate()
        .fold(0, |m, (i, on)| if *on { m | (1 << i) } else { m })
    }

    fn of(f: &AdoptionFilter) -> Binds {
        Binds {
            partner: f.scope.partner_id,
            assigned: f.scope.assigned_to,
            service: f
                .service
                .as_deref()
                .map(|s| find_service(s).map_or_else(|| s.to_string(), |x| x.key.to_string())),
            bucket: f.bucket.map(|b| match b {
                BucketFilter::Bucket(b) => b.key(),
                BucketFilter::Undefined => "none",
            }),
            partner_id: f.partner_id,
            manager_id: f.manager_id,
            milestone: f.reached.map(|m| m.milestone.key()),
            from: f
                .reached
                .and_then(|m| m.from)
                .map_or(i64::from(i32::MIN), |d| i64::from(day_of(d))),
            to: f
                .reached
                .and_then(|m| m.to)
                .map_or(i64::from(i32::MAX), |d| i64::from(day_of(d))),
            forecast: f.forecast.map(|(m, _)| m.key()),
            status: f.forecast.map(|(_, s)| s.key()),
            today: i64::from(f.today.map_or_else(today_day, day_of)),
        }
    }

    fn bind<'q>(
        &self,
        q: Query<'q, sqlx::Any, AnyArguments<'q>>,
    ) -> Query<'q, sqlx::Any, AnyArguments<'q>> {
        q.bind(self.partner)
            .bind(self.assigned)
            .bind(self.service.clone())
            .bind(self.bucket)
            .bind(self.partner_id)
            .bind(self.manager_id)
            .bind(self.milestone)
            .bind(self.from)
            .bind(self.to)
            .bind(self.forecast)
            .bind(self.status)
            .bind(self.today)
    }
}

fn counts_of(r: &AnyRow) -> Result<AdoptionCounts> {
    let g = |c: &str| -> Result<i64> { Ok(r.try_get::<Option<i64>, _>(c)?.unwrap_or(0)) };
    let f = |p: &str| -> Result<ForecastCounts> {
        Ok(ForecastCounts {
            met_early: g(&format!("{p}_me"))?,
            met_late: g(&format!("{p}_ml"))?,
            overdue: g(&format!("{p}_od"))?,
            on_track: g(&format!("{p}_ot"))?,
            reached_before_forecast: g(&format!("{p}_rb"))?,
        })
    };
    Ok(AdoptionCounts {
        services: g("services")?,
        engaged: g("engaged")?,
        no_data: g("no_data")?,
        undefined: g("undefined")?,
        below_10: g("below_10")?,
        from_10_to_40: g("from_10_to_40")?,
        from_40: g("from_40")?,
        reached_10: g("reached_10")?,
        reached_40: g("reached_40")?,
        reached_10_in_window: g("w10")?,
        reached_40_in_window: g("w40")?,
        forecast_10: f("f10")?,
        forecast_40: f("f40")?,
        tenants: g("tenants")?,
        tenants_engaged: g("tenants_engaged")?,
        tenants_reached_10: g("tenants_reached_10")?,
        tenants_reached_40: g("tenants_reached_40")?,
    })
}

fn service_name(key: &str) -> String {
    find_service(key).map_or_else(|| key.to_string(), |s| s.name.to_string())
}

/// A rollup row as a service's adoption.
fn adoption_of(
    r: &AnyRow,
    today: i32,
    tenant_seats: i64,
    intended: bool,
) -> Result<ServiceAdoption> {
    let key: String = r.try_get("service_key")?;
    let as_of: Option<i64> = r.try_get("as_of")?;
    let active: Option<i64> = r.try_get("active_users")?;
    let qualified: i64 = r.try_get("qualified")?;
    let bucket: Option<String> = r.try_get("bucket")?;
    let m10: Option<i64> = r.try_get("milestone_10")?;
    let m40: Option<i64> = r.try_get("milestone_40")?;
    let t10: Option<i64> = r.try_get("target_10")?;
    let t40: Option<i64> = r.try_get("target_40")?;
    let day = |v: Option<i64>| v.and_then(|v| i32::try_from(v).ok());
    Ok(ServiceAdoption {
        service: service_name(&key),
        service_key: key,
        as_of: date_opt(as_of)?,
        active_users: active,
        qualified_entitlements: qualified,
        au_percent: active.and_then(|a| au_percent(a, qualified)),
        bucket: bucket.as_deref().and_then(Bucket::parse),
        milestone_10: date_opt(m10)?,
        milestone_40: date_opt(m40)?,
        target_10: date_opt(t10)?,
        target_40: date_opt(t40)?,
        forecast_10: forecast_status(day(t10), day(m10), today),
        forecast_40: forecast_status(day(t40), day(m40), today),
        enablement_complete: active.is_some_and(|a| enablement_complete(a, tenant_seats)),
        intended,
    })
}

impl Store {
    /// Every service of a tenant (held, with figures, or with a forecast) and where it
    /// stands, by service key. NotFound for an unknown tenant.
    pub async fn adoption(&self, tenant_id: &str) -> Result<Vec<ServiceAdoption>> {
        let id = TenantId::parse(tenant_id)
            .map_err(|_| StoreError::NotFound(format!("tenant {tenant_id}")))?;
        let mut tx = self.pools.read.begin().await?;
        let t = sqlx::query(self.sql(
            "SELECT (SELECT COALESCE(MAX(s.qualified), 0) FROM tenant_services s WHERE s.tenant_id = t.tenant_id)
             FROM tenants t WHERE t.tenant_id = $1",
        ))
        .bind(id.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("tenant {id}")))?;
        let seats: i64 = t.try_get(0)?;
        let mut statuses: HashMap<String, Vec<StatusRow>> = HashMap::new();
        for r in sqlx::query(
            self.sql("SELECT service, l1, count FROM entitlement_status WHERE tenant_id = $1"),
        )
        .bind(id.as_str())
        .fetch_all(&mut *tx)
        .await?
        {
            let l1: String = r.try_get(1)?;
            let count = r.try_get::<i64, _>(2)?.max(0) as u64;
            if let Some(l1) = L1::parse(&l1) {
                statuses.entry(r.try_get(0)?).or_default().push(StatusRow {
                    l1,
                    ..StatusRow::new_entitlements(count)
                });
            }
        }
        let q = self.composed_sql("adoption::adoption", 0xad0, || {
            format!(
                "SELECT {ROLLUP_COLS} FROM adoption_rollups r JOIN adoption_services c ON c.svc = r.svc
                 WHERE r.tkey = (SELECT k.tkey FROM adoption_tenants k WHERE k.tenant_id = $1)
                 ORDER BY c.service"
            )
        });
        let rows = sqlx::query(q).bind(id.as_str()).fetch_all(&mut *tx).await?;
        tx.commit().await?;
        let today = today_day();
        rows.iter()
            .map(|r| {
                let key: String = r.try_get("service_key")?;
                let wanted = statuses.get(&key).is_some_and(|rows| intended(rows));
                adoption_of(r, today, seats, wanted)
            })
            .collect()
    }

    /// Success for a tenant: it intends to use at least one service and every service it
    /// intends to use is at or above 10% AU.
    pub async fn adoption_success(&self, tenant_id: &str) -> Result<bool> {
        let services = self.adoption(tenant_id).await?;
        Ok(success(services.iter().map(|s| (s.intended, s.bucket))))
    }

    /// The adoption dashboard over the rollups `f` selects: totals and by service, with
    /// milestones reached within `window` (for example [`DateWindow::month_of`] today).
    pub async fn adoption_portfolio(
        &self,
        f: &AdoptionFilter,
        window: DateWindow,
    ) -> Result<AdoptionPortfolio> {
        if let Some(mut all) = self
            .fast_grouped(f, window, &[Grouping::Totals, Grouping::Service])
            .await?
        {
            let by = all.pop().unwrap_or_default();
            let totals = all
                .pop()
                .and_then(|t| t.into_iter().next())
                .map(|(_, c)| c)
                .unwrap_or_default();
            let by_service = self.name_groups(by, AdoptionGroupBy::Service).await?;
            return Ok(AdoptionPortfolio {
                window,
                totals,
                by_service,
            });
        }
        let totals = self.adoption_grouped(TOTALS, f, window).await?;
        let totals = totals
            .into_iter()
            .next()
            .map(|(_, c)| c)
            .unwrap_or_default();
        let by_service = self
            .adoption_groups(f, window, AdoptionGroupBy::Service)
            .await?;
        Ok(AdoptionPortfolio {
            window,
            totals,
            by_service,
        })
    }

    /// Adoption counts grouped by partner, manager or service, largest groups first (the
    /// row without partner or manager last).
    pub async fn adoption_groups(
        &self,
        f: &AdoptionFilter,
        window: DateWindow,
        by: AdoptionGroupBy,
    ) -> Result<Vec<AdoptionGroup>> {
        let g: &'static [Grouping] = match by {
            AdoptionGroupBy::Partner => &[Grouping::Partner],
            AdoptionGroupBy::Manager => &[Grouping::Manager],
            AdoptionGroupBy::Service => &[Grouping::Service],
        };
        let rows = match self.fast_grouped(f, window, g).await? {
            Some(mut all) => all.pop().unwrap_or_default(),
            None => {
                let q = match by {
                    AdoptionGroupBy::Partner => BY_PARTNER,
                    AdoptionGroupBy::Manager => BY_MANAGER,
                    AdoptionGroupBy::Service => BY_SERVICE,
                };
                self.adoption_grouped(q, f, window).await?
            }
        };
        self.name_groups(rows, by).await
    }

    /// SQLite with a file: the counts computed in Rust over a scan of the rollups
    /// (`dashboard.rs`); None on other engines.
    async fn fast_grouped(
        &self,
        f: &AdoptionFilter,
        window: DateWindow,
        want: &'static [Grouping],
    ) -> Result<Option<Vec<crate::sqlite::dashboard_scan::Groups>>> {
        if self.backend() != crate::Backend::Sqlite {
            return Ok(None);
        }
        let file: String = sqlx::query("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_one(&self.pools.read)
            .await?
            .try_get(0)?;
        if file.is_empty() {
            return Ok(None);
        }
        let binds = Binds::of(f);
        let (wfrom, wto) = (i64::from(day_of(window.from)), i64::from(day_of(window.to)));
        let out = tokio::task::spawn_blocking(move || {
            crate::sqlite::dashboard_scan::grouped(&file, &binds, wfrom, wto, want)
        })
        .await
        .map_err(|e| StoreError::Internal(format!("dashboard failed: {e}")))??;
        Ok(Some(out))
    }

    /// Names and orders grouped counts.
    async fn name_groups(
        &self,
        rows: Vec<(Option<i64>, AdoptionCounts)>,
        by: AdoptionGroupBy,
    ) -> Result<Vec<AdoptionGroup>> {
        let names: HashMap<i64, String> = match by {
            AdoptionGroupBy::Service => HashMap::new(),
            AdoptionGroupBy::Partner | AdoptionGroupBy::Manager => {
                let table = if by == AdoptionGroupBy::Partner {
                    "SELECT id, name FROM partners"
                } else {
                    "SELECT id, name FROM users"
                };
                sqlx::query(table)
                    .fetch_all(&self.pools.read)
                    .await?
                    .iter()
                    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
                    .collect::<Result<_>>()?
            }
        };
        let svc_names: HashMap<i64, String> = if by == AdoptionGroupBy::Service {
            sqlx::query("SELECT svc, service FROM adoption_services")
                .fetch_all(&self.pools.read)
                .await?
                .iter()
                .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
                .collect::<Result<_>>()?
        } else {
            HashMap::new()
        };
        let mut out: Vec<AdoptionGroup> = rows
            .into_iter()
            .map(|(key, counts)| match by {
                AdoptionGroupBy::Service => {
                    let k = key.and_then(|k| svc_names.get(&k).cloned());
                    AdoptionGroup {
                        id: None,
                        name: k.as_deref().map(service_name),
                        service: k,
                        counts,
                    }
                }
                _ => AdoptionGroup {
                    id: key,
                    service: None,
                    name: key.and_then(|k| names.get(&k).cloned()),
                    counts,
                },
            })
            .collect();
        out.sort_by(|a, b| {
            a.id.is_none()
                .cmp(&b.id.is_none())
                .then(b.counts.services.cmp(&a.counts.services))
                .then(a.name.cmp(&b.name))
        });
        if by == AdoptionGroupBy::Service {
            out.sort_by(|a, b| {
                b.counts
                    .services
                    .cmp(&a.counts.services)
                    .then(a.name.cmp(&b.name))
            });
        }
        Ok(out)
    }

    async fn adoption_grouped(
        &self,
        q: &'static str,
        f: &AdoptionFilter,
        window: DateWindow,
    ) -> Result<Vec<(Option<i64>, AdoptionCounts)>> {
        let binds = Binds::of(f);
        let rows = binds
            .bind(sqlx::query(self.sql(q)))
            .bind(i64::from(day_of(window.from)))
            .bind(i64::from(day_of(window.to)))
            .fetch_all(&self.pools.read)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get::<Option<i64>, _>("gkey")?, counts_of(r)?)))
            .collect()
    }

    /// The (tenant, service) rows behind a number: the same filter as the counts, by
    /// tenant name and service, `limit` and `offset` from the filter.
    pub async fn adoption_rows(&self, f: &AdoptionFilter) -> Result<Vec<AdoptionRow>> {
        let binds = Binds::of(f);
        let q = if self.backend() == crate::Backend::Sqlite {
            // Only the conditions set, so that tenant sets drive the look-ups (SQLite does
            // not use an index through `$n IS NULL OR ...`).
            let mask = binds.set_mask();
            self.composed_sql(DRILL, (mask << 4) | 0xd, || drill_for(mask))
        } else {
            self.sql(DRILL)
        };
        let rows = binds
            .bind(sqlx::query(q))
            .bind(f.limit.unwrap_or(100).clamp(0, 1000))
            .bind(f.offset.unwrap_or(0).max(0))
            .fetch_all(&self.pools.read)
            .await?;
        let today = i32::try_from(binds.today).unwrap_or_else(|_| today_day());
        rows.iter()
            .map(|r| {
                Ok(AdoptionRow {
                    tenant_id: r.try_get("tenant_id")?,
                    tenant: r.try_get("tenant")?,
                    adoption: adoption_of(r, today, r.try_get("tenant_seats")?, false)?,
                })
            })
            .collect()
    }
}
