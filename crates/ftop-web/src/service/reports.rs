//! The report tabs' queries (issue 17): the report-level filters read from the query
//! string into a store filter (partners see only their organisation's tenants whatever
//! they ask), and what each report adds to the store's rows (counts by service and
//! bucket, forecasts by month).

use crate::auth::Viewer;
use crate::error::AppError;
use ftop_domain::adoption::{Bucket, ForecastStatus, Milestone};
use ftop_domain::taxonomy::L1;
use ftop_domain::{EngagementScenario, Errors, FieldError, Invalid, OverallStatus, UserRole};
use ftop_store::{BucketCount, ForecastDay, ForecastRow, Page, PortfolioScope, ReportFilter};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The query string of every report page, its CSV and its API operation.
#[derive(Debug, Default, Clone, Deserialize)]
pub(crate) struct ReportQuery {
    /// Partner organisation ID.
    pub(crate) partner: Option<String>,
    /// FastTrack manager (user ID).
    pub(crate) manager: Option<String>,
    /// Delivery team name.
    pub(crate) team: Option<String>,
    /// Overall status key.
    pub(crate) status: Option<String>,
    /// Engagement scenario key.
    pub(crate) scenario: Option<String>,
    /// Consumption status (L1) key.
    pub(crate) service_status: Option<String>,
    /// Service key or name.
    pub(crate) service: Option<String>,
    /// Milestones: an AU bucket (`below-10`, `10-40`, `40-plus`, `undefined`).
    pub(crate) bucket: Option<String>,
    /// Stale status notes: every tenant the caller may see, not only those assigned.
    pub(crate) all: Option<String>,
    /// Forecast: `10` (default) or `40`.
    pub(crate) milestone: Option<String>,
    /// Forecast: only the dates of this month (`YYYY-MM`).
    pub(crate) month: Option<String>,
    /// Data health: a usage figure older than this many days is missing (default 30).
    pub(crate) days: Option<String>,
    /// Data health: only this check (`no-recent-usage`, ...).
    pub(crate) check: Option<String>,
    /// Conversion: only the services at or above `10` or `40` percent.
    pub(crate) at: Option<String>,
    /// Compliance CSV: `rm` (default) or `scenario`.
    pub(crate) table: Option<String>,
    /// API: rows at most (default [`DEFAULT_LIMIT`], at most [`MAX_LIMIT`]).
    pub(crate) limit: Option<String>,
    /// API: rows skipped first (default 0).
    pub(crate) offset: Option<String>,
}

/// API: rows of a report a call returns unless it asks for fewer or more.
pub(crate) const DEFAULT_LIMIT: i64 = 1000;
/// API: rows of a report a call may ask for at most.
pub(crate) const MAX_LIMIT: i64 = 10_000;
/// API: the largest offset a call may ask for.
pub(crate) const MAX_OFFSET: i64 = 100_000_000;

/// Data health: days without a usage figure before a service is listed.
pub(crate) const DEFAULT_DAYS: i64 = 30;

/// The report-level parameters, in the order links write them.
pub(crate) const FILTER_NAMES: [&str; 7] = [
    "partner",
    "manager",
    "team",
    "status",
    "scenario",
    "service_status",
    "service",
];

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl ReportQuery {
    /// The value of a parameter by name (only those links carry).
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        given(match name {
            "partner" => &self.partner,
            "manager" => &self.manager,
            "team" => &self.team,
            "status" => &self.status,
            "scenario" => &self.scenario,
            "service_status" => &self.service_status,
            "service" => &self.service,
            "bucket" => &self.bucket,
            "all" => &self.all,
            "milestone" => &self.milestone,
            "month" => &self.month,
            "days" => &self.days,
            "check" => &self.check,
            "at" => &self.at,
            "limit" => &self.limit,
            "offset" => &self.offset,
            _ => &None,
        })
    }

    /// The query string of this view with `extra` pairs replacing its own (an empty
    /// value drops the parameter).
    pub(crate) fn with(&self, extra: &[(&str, String)]) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for k in FILTER_NAMES.iter().chain(&[
            "bucket",
            "all",
            "milestone",
            "month",
            "days",
            "check",
            "at",
        ]) {
            if extra.iter().any(|(e, _)| e == k) {
                continue;
            }
            if let Some(v) = self.get(k) {
                pairs.push((k, v.to_string()));
            }
        }
        pairs.extend(extra.iter().filter(|(_, v)| !v.is_empty()).cloned());
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", crate::auth::urlencode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Every tenant the caller may see (`all`), not only those assigned.
    pub(crate) fn all(&self) -> bool {
        matches!(self.get("all"), Some("1" | "true" | "on" | "yes"))
    }

    /// The bucket asked for (`Some(None)`: AU undefined).
    pub(crate) fn bucket(&self) -> Result<Option<Option<Bucket>>, Invalid> {
        match self.get("bucket") {
            None => Ok(None),
            Some("undefined") => Ok(Some(None)),
            Some(b) => Bucket::parse(b)
                .map(|b| Some(Some(b)))
                .ok_or_else(|| FieldError::of("bucket", "invalid-bucket").into()),
        }
    }

    /// The forecast's milestone (default 10%).
    pub(crate) fn milestone(&self) -> Result<Milestone, Invalid> {
        match self.get("milestone") {
            None => Ok(Milestone::Ten),
            Some(m) => Milestone::parse(m).ok_or_else(|| {
                FieldError::of("milestone", "invalid-choose-one")
                    .quoting("value", m)
                    .with("choices", "10, 40")
                    .into()
            }),
        }
    }

    /// The forecast's month (`YYYY-MM`), checked.
    pub(crate) fn month(&self) -> Result<Option<String>, Invalid> {
        let Some(m) = self.get("month") else {
            return Ok(None);
        };
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        if m.len() == 7 && time::Date::parse(&format!("{m}-01"), &fmt).is_ok() {
            Ok(Some(m.to_string()))
        } else {
            Err(FieldError::of("month", "invalid-date-short")
                .quoting("value", m)
                .into())
        }
    }

    /// The month asked for as a month number (`ftop_store::month_of`).
    pub(crate) fn month_number(&self) -> Result<Option<i64>, Invalid> {
        Ok(self.month()?.and_then(|m| {
            let fmt = time::macros::format_description!("[year]-[month]-[day]");
            time::Date::parse(&format!("{m}-01"), &fmt)
                .ok()
                .map(ftop_store::month_of)
        }))
    }

    /// The milestone of `at` (`10` or `40`), checked.
    pub(crate) fn at(&self) -> Result<Option<Milestone>, Invalid> {
        match self.get("at") {
            None => Ok(None),
            Some(m) => Milestone::parse(m).map(Some).ok_or_else(|| {
                FieldError::of("at", "invalid-choose-one")
                    .quoting("value", m)
                    .with("choices", "10, 40")
                    .into()
            }),
        }
    }

    /// Data health's days (1 to 3,650, default [`DEFAULT_DAYS`]).
    pub(crate) fn days(&self) -> Result<i64, Invalid> {
        match self.get("days") {
            None => Ok(DEFAULT_DAYS),
            Some(v) => match v.parse::<i64>() {
                Ok(n) if (1..=3650).contains(&n) => Ok(n),
                _ => Err(FieldError::of("days", "invalid-whole-number")
                    .quoting("value", v)
                    .with("min", "1")
                    .with("max", "3650")
                    .into()),
            },
        }
    }

    /// The API's page: `limit` (1 to [`MAX_LIMIT`], default [`DEFAULT_LIMIT`]) rows after
    /// `offset` (0 to [`MAX_OFFSET`], default 0).
    pub(crate) fn page(&self) -> Result<Page, Invalid> {
        let mut e = Errors::default();
        let mut num = |field: &str, v: &Option<String>, min: i64, max: i64, default: i64| {
            let Some(v) = given(v) else {
                return default;
            };
            match v.parse::<i64>() {
                Ok(n) if (min..=max).contains(&n) => n,
                _ => {
                    e.push(
                        FieldError::of(field.to_string(), "invalid-whole-number")
                            .quoting("value", v)
                            .with("min", min.to_string())
                            .with("max", max.to_string()),
                    );
                    default
                }
            }
        };
        let limit = num("limit", &self.limit, 1, MAX_LIMIT, DEFAULT_LIMIT);
        let offset = num("offset", &self.offset, 0, MAX_OFFSET, 0);
        e.finish()?;
        Ok(Page::of(limit, offset))
    }

    /// [`ReportQuery::page`], except that without `limit` the page holds every row (the
    /// milestone and stale-note contracts of issue 17 list every row unless asked for
    /// fewer).
    pub(crate) fn page_or_all(&self) -> Result<Page, Invalid> {
        let page = self.page()?;
        Ok(if given(&self.limit).is_some() {
            page
        } else {
            Page {
                limit: None,
                ..page
            }
        })
    }

    /// The forecast's month as its first and last day, checked.
    pub(crate) fn month_days(&self) -> Result<Option<(time::Date, time::Date)>, Invalid> {
        Ok(self.month()?.and_then(|m| {
            let fmt = time::macros::format_description!("[year]-[month]-[day]");
            let first = time::Date::parse(&format!("{m}-01"), &fmt).ok()?;
            let last = first.replace_day(first.month().length(first.year())).ok()?;
            Some((first, last))
        }))
    }

    /// The store filter for `viewer`, whose scope is `scope`, or field errors.
    fn filter_in(&self, scope: PortfolioScope) -> Result<ReportFilter, Invalid> {
        let mut e = Errors::default();
        let id = |e: &mut Errors, field: &str, rule: &'static str| -> Option<i64> {
            let v = self.get(field)?;
            match v.parse::<i64>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    e.push(FieldError::of(field, rule).quoting("value", v));
                    None
                }
            }
        };
        if let Some(t) = &self.team
            && let Err(x) = ftop_domain::limits::text("team", t, ftop_domain::limits::SEARCH)
        {
            e.push(x);
        }
        let partner = id(&mut e, "partner", "invalid-partner-id");
        let manager = id(&mut e, "manager", "invalid-user-id");
        fn word<T: Copy>(
            e: &mut Errors,
            field: &str,
            v: Option<&str>,
            all: &[T],
            key: fn(T) -> &'static str,
        ) -> Option<T> {
            let v = v?;
            let found = all.iter().copied().find(|x| key(*x) == v);
            if found.is_none() {
                let keys: Vec<&str> = all.iter().map(|x| key(*x)).collect();
                e.push(
                    FieldError::of(field.to_string(), "invalid-choose-one")
                        .quoting("value", v)
                        .with("choices", keys.join(", ")),
                );
            }
            found
        }
        let status = word(
            &mut e,
            "status",
            self.get("status"),
            OverallStatus::ALL,
            OverallStatus::key,
        );
        let scenario = word(
            &mut e,
            "scenario",
            self.get("scenario"),
            EngagementScenario::ALL,
            EngagementScenario::key,
        );
        let service_status = word(
            &mut e,
            "service_status",
            self.get("service_status"),
            &L1::ALL,
            L1::key,
        );
        let service = match self.get("service") {
            None => None,
            Some(s) => match ftop_domain::catalogue::service(s) {
                Some(x) => Some(x.key.to_string()),
                None => {
                    e.push(
                        FieldError::of("service", "invalid-service-unknown").quoting("value", s),
                    );
                    None
                }
            },
        };
        e.finish()?;
        Ok(ReportFilter {
            scope,
            partner,
            manager,
            team: self.get("team").map(str::to_string),
            status,
            scenario,
            service_status,
            service,
            today: None,
        })
    }

    /// The store filter this query means for `viewer` (everything the viewer may see).
    pub(crate) fn filter(&self, viewer: &Viewer) -> Result<ReportFilter, Invalid> {
        self.filter_in(PortfolioScope::for_user(&viewer.user, false))
    }

    /// The filter of the stale status notes: the tenants assigned to the viewer, or with
    /// `all` every tenant they may see (a partner's: their organisation's). Guests have
    /// no tenants of their own and may not ask for all.
    pub(crate) fn stale_filter(&self, viewer: &Viewer) -> Result<ReportFilter, AppError> {
        let all = self.all();
        if all && viewer.user.role == UserRole::Guest {
            return Err(AppError::forbidden("list every tenant's status notes"));
        }
        let mut scope = PortfolioScope::for_user(&viewer.user, !all);
        if all {
            scope.assigned_to = None;
        }
        Ok(self.filter_in(scope)?)
    }
}

/// Services with usage of one service, by bucket.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct BucketCounts {
    /// Below 10%, 10 to 40%, 40% and more, AU undefined.
    pub(crate) counts: [i64; 4],
}

impl BucketCounts {
    pub(crate) fn total(&self) -> i64 {
        self.counts.iter().sum()
    }
}

/// The index of a bucket in [`BucketCounts::counts`].
pub(crate) fn bucket_index(b: Option<Bucket>) -> usize {
    match b {
        Some(Bucket::Below10) => 0,
        Some(Bucket::From10To40) => 1,
        Some(Bucket::From40) => 2,
        None => 3,
    }
}

/// The store's counts by service (key order) and bucket.
pub(crate) fn by_service(counts: &[BucketCount]) -> BTreeMap<String, BucketCounts> {
    let mut out: BTreeMap<String, BucketCounts> = BTreeMap::new();
    for c in counts {
        out.entry(c.service_key.clone()).or_default().counts[bucket_index(c.bucket)] += c.count;
    }
    out
}

/// The buckets of the conversion rows: those with a defined AU (at or above `m` when
/// given).
pub(crate) fn conversion_buckets(m: Option<Milestone>) -> Vec<Option<Bucket>> {
    match m {
        None => vec![
            Some(Bucket::Below10),
            Some(Bucket::From10To40),
            Some(Bucket::From40),
        ],
        Some(Milestone::Ten) => vec![Some(Bucket::From10To40), Some(Bucket::From40)],
        Some(Milestone::Forty) => vec![Some(Bucket::From40)],
    }
}

/// Forecast dates of one month.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub(crate) struct MonthCounts {
    /// `YYYY-MM`.
    pub(crate) month: String,
    /// Forecast dates in the month.
    pub(crate) forecasts: i64,
    /// Of which passed and still below the milestone.
    pub(crate) overdue: i64,
    /// Of which due today.
    pub(crate) due_today: i64,
    /// Of which still ahead and already reached.
    pub(crate) reached_early: i64,
}

/// `YYYY-MM` of a date.
pub(crate) fn month_key(d: time::Date) -> String {
    format!("{:04}-{:02}", d.year(), u8::from(d.month()))
}

/// Whether a forecast row is flagged as reached before a date still ahead.
pub(crate) fn reached_early(r: &ForecastRow) -> bool {
    r.status == ForecastStatus::ReachedBeforeForecast && !r.due_today
}

/// The store's forecast dates by day counted by month, in order (`today`: the report's
/// day, whose dates are due today).
pub(crate) fn by_month(days: &[ForecastDay], today: time::Date) -> Vec<MonthCounts> {
    let mut out: BTreeMap<String, MonthCounts> = BTreeMap::new();
    for d in days {
        let key = month_key(d.target);
        let c = out.entry(key.clone()).or_insert_with(|| MonthCounts {
            month: key,
            ..MonthCounts::default()
        });
        c.forecasts += d.forecasts;
        c.overdue += d.overdue;
        if d.target == today {
            c.due_today += d.forecasts;
        }
        c.reached_early += d.reached_early;
    }
    out.into_values().collect()
}

/// Conversion of the services of one service key (or of all): those whose AU is defined
/// (usage and qualified seats), and of them those at or above 10% and 40% today.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub(crate) struct Conversion {
    /// Service key (None: every service).
    pub(crate) service_key: Option<String>,
    /// Services with a defined AU.
    pub(crate) services: i64,
    /// Of which at or above 10% (exactly 10% counts).
    pub(crate) at_10: i64,
    /// Of which at or above 40%.
    pub(crate) at_40: i64,
    /// `at_10` among `services`, percent (two decimals).
    pub(crate) rate_10: Option<f64>,
    /// `at_40` among `services`, percent.
    pub(crate) rate_40: Option<f64>,
}

/// Whether a bucket is at or above `m` percent.
pub(crate) fn at(b: Option<Bucket>, m: Milestone) -> bool {
    match m {
        Milestone::Ten => matches!(b, Some(Bucket::From10To40 | Bucket::From40)),
        Milestone::Forty => b == Some(Bucket::From40),
    }
}

/// AU capped at 100% (more active users than seats counts as full use).
pub(crate) fn capped(p: Option<f64>) -> Option<f64> {
    p.map(|p| p.min(100.0))
}

/// The conversion of the store's counts with a defined AU: by service (key order), then
/// the total.
pub(crate) fn conversion(counts: &[BucketCount]) -> (Vec<Conversion>, Conversion) {
    let mut by: BTreeMap<&str, Conversion> = BTreeMap::new();
    let mut total = Conversion::default();
    for r in counts.iter().filter(|r| r.bucket.is_some()) {
        for c in [
            by.entry(r.service_key.as_str())
                .or_insert_with(|| Conversion {
                    service_key: Some(r.service_key.clone()),
                    ..Conversion::default()
                }),
            &mut total,
        ] {
            c.services += r.count;
            c.at_10 += r.count * i64::from(at(r.bucket, Milestone::Ten));
            c.at_40 += r.count * i64::from(at(r.bucket, Milestone::Forty));
        }
    }
    let rates = |mut c: Conversion| {
        c.rate_10 = ftop_domain::adoption::conversion_rate(c.at_10, c.services);
        c.rate_40 = ftop_domain::adoption::conversion_rate(c.at_40, c.services);
        c
    };
    (by.into_values().map(rates).collect(), rates(total))
}

/// Year-to-date growth of active users: for each month of `year` in the trend, its active
/// users less those of the last month before the year (or, when the trend starts within
/// the year, less those of its first month).
pub(crate) fn ytd_growth(trend: &[ftop_store::MonthUsage], year: i32) -> Vec<(String, i64, i64)> {
    let first = i64::from(year) * 12;
    let base = trend
        .iter()
        .rev()
        .find(|m| m.number < first)
        .or_else(|| trend.iter().find(|m| m.number >= first))
        .map_or(0, |m| m.counts.active_users);
    trend
        .iter()
        .filter(|m| (first..first + 12).contains(&m.number))
        .map(|m| {
            (
                m.month.clone(),
                m.counts.active_users,
                m.counts.active_users - base,
            )
        })
        .collect()
}
