//! The report tabs (issue 17): one file per report, each a read over what the portal
//! already keeps (the adoption rollups, tenants, deliveries, status rows and
//! assignments), never over raw usage, so that they stay fast on a large portfolio.
//!
//! Every report takes the same report-level filter, [`ReportFilter`]: the assignment
//! (partner organisation, FastTrack manager, delivery team), the tenant's overall status
//! and, per service, the engagement scenario, a consumption status (L1) present in its
//! status rows and the service itself. A report over tenants keeps a tenant when one of
//! its services passes all the service filters together.

pub(crate) mod compliance;
pub(crate) mod data_health;
pub(crate) mod forecast;
pub(crate) mod milestones;
pub(crate) mod new_subscriptions;
pub(crate) mod stale_notes;
pub(crate) mod usage;

use crate::adoption::filter::Params;
use crate::engagement::portfolio::PortfolioScope;
use ftop_domain::taxonomy::L1;
use ftop_domain::{EngagementScenario, OverallStatus};
use std::fmt::Write as _;
use time::Date;

pub use compliance::{RmNotPartnerRow, ScenarioNotPartnerLedRow};
pub use data_health::{DataHealthRow, HealthCheck};
pub use forecast::ForecastRow;
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

    /// Whether a service-level filter is set.
    fn has_service_filters(&self) -> bool {
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
