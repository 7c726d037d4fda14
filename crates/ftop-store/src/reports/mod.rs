//! The report tabs (issue 17): one file per report, each a read over what the portal
//! already keeps (the adoption rollups, tenants, deliveries, status rows and
//! assignments), never over raw usage, so that they stay fast on a large portfolio.
//!
//! Every report takes the same report-level filter, [`ReportFilter`]: the assignment
//! (partner organisation, FastTrack manager, delivery team), the tenant's overall status
//! and, per service, the engagement scenario, a consumption status (L1) present in its
//! status rows and the service itself. A report over tenants keeps a tenant when one of
//! its services passes all the service filters together.
//!
//! Rows are read a page at a time ([`Page`]: limit and offset in the SQL), with the number
//! of rows the filter keeps ([`Paged::total`]); the charts' numbers are counted by the
//! database (`GROUP BY`), so no call reads every row of a large portfolio (BENCHMARKS.md,
//! B10). A full read ([`Page::ALL`]) is what the CSV exports take.

pub(crate) mod compliance;
pub(crate) mod data_health;
pub(crate) mod forecast;
pub(crate) mod memo;
pub(crate) mod milestones;
pub(crate) mod new_subscriptions;
pub(crate) mod scan;
pub(crate) mod stale_notes;
pub(crate) mod usage;
pub(crate) mod usage_sums;

use crate::adoption::filter::Params;
use crate::engagement::portfolio::PortfolioScope;
use crate::{Result, Store};
use ftop_domain::taxonomy::L1;
use ftop_domain::{EngagementScenario, OverallStatus};
use sqlx::Row;
use std::fmt::Write as _;
use time::Date;

pub use compliance::{RmNotPartnerRow, ScenarioNotPartnerLedRow};
pub use data_health::{DataHealthRow, HealthCheck};
pub use forecast::ForecastDay;
pub use forecast::ForecastRow;
pub use milestones::BucketCount;
pub use milestones::MilestoneRow;
pub use new_subscriptions::NewSubscriptionRow;
pub use stale_notes::{STALE_AFTER_DAYS, StaleNoteRow};
pub use usage::{
    MonthUsage, ScenarioCredit, UsageCounts, UsagePick, UsageRow, UsageSource, credited_to,
};

/// The scenarios in which a partner leads or assists (the partner is paid for the
/// service's growth): `ftp-led` and `customer-led-ftp-assist`.
pub const PARTNER_LED: [EngagementScenario; 2] = [
    EngagementScenario::FtpLed,
    EngagementScenario::CustomerLedFtpAssist,
];

/// The index in `EngagementScenario::ALL` of the scenario stored as `key`: its exact key,
/// as the SQL compares it (a stored value this version does not write matches none).
pub(crate) fn scenario_index(key: &str) -> Option<usize> {
    EngagementScenario::ALL.iter().position(|s| s.key() == key)
}

/// Which rows of a report to read: at most `limit` (None: all) after skipping `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Rows at most; None: every row.
    pub limit: Option<i64>,
    /// Rows skipped first.
    pub offset: i64,
}

impl Page {
    /// Every row.
    pub const ALL: Page = Page {
        limit: None,
        offset: 0,
    };

    /// At most `limit` rows after `offset` (negative values count as 0).
    pub fn of(limit: i64, offset: i64) -> Page {
        Page {
            limit: Some(limit.max(0)),
            offset: offset.max(0),
        }
    }

    /// The `LIMIT ... OFFSET ...` of this page (empty for every row).
    pub(crate) fn sql(&self, p: &mut Params) -> String {
        if self.limit.is_none() && self.offset == 0 {
            return String::new();
        }
        let limit = p.int(self.limit.unwrap_or(i64::MAX));
        let offset = p.int(self.offset);
        format!(" LIMIT {limit} OFFSET {offset}")
    }

    /// The total when the rows read tell it (a page not full, not past the end), so the
    /// count need not be asked.
    pub(crate) fn total_from(&self, got: usize) -> Option<i64> {
        let got = i64::try_from(got).unwrap_or(i64::MAX);
        let short = self.limit.is_none_or(|l| got < l);
        (short && (got > 0 || self.offset == 0)).then_some(self.offset + got)
    }

    /// This page over parts laid end to end, of `sizes` rows each: for each part that
    /// has rows in it, its index and the page within it.
    pub(crate) fn split(&self, sizes: &[i64]) -> Vec<(usize, Page)> {
        let mut out = Vec::new();
        let mut skip = self.offset;
        let mut left = self.limit;
        for (i, &n) in sizes.iter().enumerate() {
            if left == Some(0) {
                break;
            }
            if skip >= n {
                skip -= n;
                continue;
            }
            let take = left.map(|l| l.min(n - skip));
            out.push((
                i,
                Page {
                    limit: take,
                    offset: skip,
                },
            ));
            left = left.zip(take).map(|(l, t)| l - t);
            skip = 0;
        }
        out
    }
}

/// How a read learns its total when its page does not tell it.
pub(crate) enum Total {
    /// Already known (from the chart's counts).
    Known(i64),
    /// `SELECT COUNT(*) ...` with its values.
    Count(String, Params),
}

impl From<(String, Params)> for Total {
    fn from((q, p): (String, Params)) -> Total {
        Total::Count(q, p)
    }
}

/// A page of a report's rows and how many rows the filter keeps in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Paged<T> {
    /// The page's rows.
    pub rows: Vec<T>,
    /// Rows in all.
    pub total: i64,
}

impl Store {
    /// The rows of `q` (whose values `p` holds) on `page`, and their number in all
    /// (counted over `count` with `cp` when the page does not tell it).
    pub(crate) async fn paged<T>(
        &self,
        (q, p): (String, Params),
        count: Total,
        page: Page,
        mut map: impl FnMut(&sqlx::any::AnyRow) -> Result<Option<T>>,
    ) -> Result<Paged<T>> {
        let rows = p.bind(sqlx::query(&q)).fetch_all(&self.pools.read).await?;
        let got = rows.len();
        let mut out = Vec::with_capacity(got);
        for r in &rows {
            if let Some(v) = map(r)? {
                out.push(v);
            }
        }
        let total = match (page.total_from(got), count) {
            (Some(n), _) | (None, Total::Known(n)) => n,
            (None, Total::Count(q, p)) => self.count_of(&q, p).await?,
        };
        Ok(Paged { rows: out, total })
    }

    /// The single number `q` selects.
    pub(crate) async fn count_of(&self, q: &str, p: Params) -> Result<i64> {
        let r = p.bind(sqlx::query(q)).fetch_one(&self.pools.read).await?;
        Ok(r.try_get(0)?)
    }
}

/// The report-level filters, shared by every report.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    /// Visibility (partners: their organisation's tenants) and "assigned to me".
    pub scope: PortfolioScope,
    /// Tenants of this partner organisation.
    pub partner: Option<i64>,
    /// Tenants this user is assigned to as FastTrack Manager (`fm`, any service, primary
    /// or not).
    pub manager: Option<i64>,
    /// Services this delivery team works on (a name of the service's delivery teams,
    /// ignoring ASCII case).
    pub team: Option<String>,
    /// Tenants with this overall (engagement) status.
    pub status: Option<OverallStatus>,
    /// Services with this engagement scenario (a service never set has the default).
    pub scenario: Option<EngagementScenario>,
    /// Services with a status row of this consumption status (L1).
    pub service_status: Option<L1>,
    /// This service (catalogue key).
    pub service: Option<String>,
    /// The day the report is judged on (default today).
    pub today: Option<Date>,
}

/// The SQL of a service's effective scenario (the default when never set), for tenant
/// column `t` and service column `s`.
pub(crate) fn scenario_sql(t: &str, s: &str) -> String {
    format!(
        "COALESCE((SELECT d.scenario FROM service_delivery d WHERE d.tenant_id = {t} AND d.service = {s}), '{}')",
        EngagementScenario::DEFAULT.key()
    )
}

/// `'ftp-led', 'customer-led-ftp-assist'`: the partner-led keys as an SQL list.
pub(crate) fn partner_led_list() -> String {
    PARTNER_LED
        .iter()
        .map(|s| format!("'{}'", s.key()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl ReportFilter {
    /// The day the report is judged on.
    pub fn day(&self) -> Date {
        self.today.unwrap_or_else(crate::today)
    }

    /// The filter with its day fixed ([`ReportFilter::day`]), so that a report read across
    /// midnight is judged on one day and kept under that day.
    pub(crate) fn pinned(&self) -> ReportFilter {
        ReportFilter {
            today: Some(self.day()),
            ..self.clone()
        }
    }

    /// Whether a tenant-level filter (or scope) is set.
    pub(crate) fn has_tenant_filters(&self) -> bool {
        self.scope.partner_id.is_some()
            || self.scope.assigned_to.is_some()
            || self.partner.is_some()
            || self.manager.is_some()
            || self.status.is_some()
    }

    /// Whether a service-level filter is set.
    pub(crate) fn has_service_filters(&self) -> bool {
        self.team.is_some()
            || self.scenario.is_some()
            || self.service_status.is_some()
            || self.service.is_some()
    }

    /// The tenant-level conditions on tenant ID column `t`, each starting with ` AND`.
    pub(crate) fn tenant_sql(&self, p: &mut Params, t: &str) -> String {
        let mut out = String::new();
        for v in [self.scope.partner_id, self.partner].into_iter().flatten() {
            let _ = write!(
                out,
                " AND {t} IN (SELECT tp.tenant_id FROM tenant_partners tp WHERE tp.partner_id = {})",
                p.int(v)
            );
        }
        if let Some(v) = self.scope.assigned_to {
            let _ = write!(
                out,
                " AND {t} IN (SELECT a.tenant_id FROM assignments a WHERE a.user_id = {})",
                p.int(v)
            );
        }
        if let Some(v) = self.manager {
            let _ = write!(
                out,
                " AND {t} IN (SELECT a.tenant_id FROM assignments a WHERE a.role = 'fm' AND a.user_id = {})",
                p.int(v)
            );
        }
        if let Some(s) = self.status {
            let _ = write!(
                out,
                " AND {t} IN (SELECT st.tenant_id FROM tenants st WHERE st.overall_status = {})",
                p.text(s.key().to_string())
            );
        }
        out
    }

    /// The service-level conditions on tenant column `t` and service column `s`, each
    /// starting with ` AND`.
    pub(crate) fn service_sql(&self, p: &mut Params, t: &str, s: &str) -> String {
        let mut out = String::new();
        if let Some(v) = &self.service {
            let _ = write!(out, " AND {s} = {}", p.text(v.clone()));
        }
        if let Some(v) = self.scenario {
            let _ = write!(
                out,
                " AND {} = {}",
                scenario_sql(t, s),
                p.text(v.key().to_string())
            );
        }
        if let Some(v) = self.service_status {
            let _ = write!(
                out,
                " AND EXISTS (SELECT 1 FROM entitlement_status e WHERE e.tenant_id = {t} AND e.service = {s} AND e.l1 = {})",
                p.text(v.key().to_string())
            );
        }
        if let Some(v) = &self.team {
            // Teams are kept one a line.
            let exact = v.trim().to_lowercase();
            let v = crate::sql::escape_like(&exact);
            let (a, b, c, d) = (
                p.text(exact),
                p.text(format!("{v}\n%")),
                p.text(format!("%\n{v}")),
                p.text(format!("%\n{v}\n%")),
            );
            let _ = write!(
                out,
                " AND EXISTS (SELECT 1 FROM service_delivery d WHERE d.tenant_id = {t} AND d.service = {s}
                  AND (lower(d.teams) = {a} OR lower(d.teams) LIKE {b} ESCAPE '\\'
                  OR lower(d.teams) LIKE {c} ESCAPE '\\' OR lower(d.teams) LIKE {d} ESCAPE '\\'))"
            );
        }
        out
    }

    /// The tenant-level conditions and, when a service filter is set, "one of its
    /// services passes them all", on tenant column `t`.
    pub(crate) fn tenant_any_service_sql(&self, p: &mut Params, t: &str) -> String {
        let mut out = self.tenant_sql(p, t);
        if self.has_service_filters() {
            let inner = self.service_sql(p, "ts.tenant_id", "ts.service");
            let _ = write!(
                out,
                " AND EXISTS (SELECT 1 FROM tenant_services ts WHERE ts.tenant_id = {t}{inner})"
            );
        }
        out
    }
}
