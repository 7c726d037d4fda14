//! What the adoption reads return and take: a service's adoption, the dashboard filter,
//! counts and groups, and the rows behind a number.

use crate::engagement::portfolio::PortfolioScope;
use ftop_domain::adoption::{Bucket, ForecastStatus, Milestone, conversion_rate, iso_date};
use serde::Serialize;
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
