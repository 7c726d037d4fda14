//! The compliance lists of partner-led work.
//!
//! "RM is not the partner": a tenant shared with a partner organisation, with at least
//! one partner-led service (scenario `ftp-led` or `customer-led-ftp-assist`, the default
//! counting), whose primary tenant-level Regional Manager is not a partner. The tenant is
//! in order when its primary tenant-wide (service `''`) assignment as Partner Regional
//! Manager (`p-rm`) exists, or its primary tenant-wide Regional Manager (`rm`) is a user
//! whose role is partner; otherwise (an internal RM, or no primary RM at all) it is
//! listed, with the internal RM's name when there is one. The fix: the partner adds
//! themselves as primary tenant RM. Over every service, each tenant keeps the answer as a
//! flag (`tenants.rm_not_partner`, kept by the triggers of migration 22 from the rule in
//! its view `tenant_rm_not_partner`); a filter that keeps only some services applies the
//! rule here to those services.
//!
//! "Scenario is not partner-led": each service of a tenant shared with a partner
//! organisation whose scenario is neither of the partner-led ones (no payment follows
//! growth on those). The fix: set the scenario to FTC-FTP Led when the partner delivers.

use super::memo;
use super::{Page, Paged, ReportFilter, partner_led_list, scenario_sql};
use crate::adoption::filter::Params;
use crate::{Result, Store};
use ftop_domain::EngagementScenario;
use serde::Serialize;
use sqlx::Row;

/// A tenant whose primary tenant RM is not the partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RmNotPartnerRow {
    /// Tenant ID.
    pub tenant_id: String,
    /// Tenant name.
    pub tenant: String,
    /// The internal primary tenant RM's user name, None when there is no primary RM.
    pub rm: Option<String>,
}

/// A service of a partner's tenant whose scenario is not partner-led.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioNotPartnerLedRow {
    /// Tenant ID.
    pub tenant_id: String,
    /// Tenant name.
    pub tenant: String,
    /// Service key.
    pub service_key: String,
    /// Its scenario.
    pub scenario: EngagementScenario,
}

/// Tenants shared with a partner organisation.
const SHARED: &str = "EXISTS (SELECT 1 FROM tenant_partners sp WHERE sp.tenant_id = t.tenant_id)";

// A service nobody has set is partner-led, so a service that is not has its scenario
// written: the list below reads the written scenarios only.
const _: () = assert!(matches!(
    EngagementScenario::DEFAULT,
    EngagementScenario::FtpLed | EngagementScenario::CustomerLedFtpAssist
));

impl Store {
    /// Tenants with partner-led work whose primary tenant RM is not a partner, by name.
    pub async fn report_rm_not_partner(&self, f: &ReportFilter) -> Result<Vec<RmNotPartnerRow>> {
        Ok(self.report_rm_not_partner_page(f, Page::ALL).await?.rows)
    }

    /// A page of [`Store::report_rm_not_partner`] and how many there are.
    pub async fn report_rm_not_partner_page(
        &self,
        f: &ReportFilter,
        page: Page,
    ) -> Result<Paged<RmNotPartnerRow>> {
        let f = &f.pinned();
        self.memo_page(
            page,
            || memo::key("report_rm_not_partner_page", f, page),
            || self.read_rm_not_partner_page(f, page),
        )
        .await
    }

    async fn read_rm_not_partner_page(
        &self,
        f: &ReportFilter,
        page: Page,
    ) -> Result<Paged<RmNotPartnerRow>> {
        let mut p = Params::new(self.backend());
        let cond = f.tenant_sql(&mut p, "t.tenant_id");
        let listed = if f.has_service_filters() {
            // The rule, with only the services the filter keeps: one of them is
            // partner-led (each one's scenario: a few tenants' services, read by keys).
            let svc = f.service_sql(&mut p, "ts.tenant_id", "ts.service");
            format!(
                "{SHARED}
                 AND EXISTS (SELECT 1 FROM tenant_services ts WHERE ts.tenant_id = t.tenant_id
                    AND {} IN ({}){svc})
                 AND NOT EXISTS (SELECT 1 FROM assignments a JOIN users u ON u.id = a.user_id
                    WHERE a.tenant_id = t.tenant_id AND a.service = '' AND a.is_primary = 1
                    AND (a.role = 'p-rm' OR (a.role = 'rm' AND u.role = 'partner')))",
                scenario_sql("ts.tenant_id", "ts.service"),
                partner_led_list()
            )
        } else {
            // Over every service: the flag each tenant keeps (migration 22, the same rule
            // kept by triggers), through its partial index in name order.
            "t.rm_not_partner = 1".to_string()
        };
        let from = format!("FROM tenants t WHERE {listed}{cond}");
        let count = (format!("SELECT COUNT(*) {from}"), p.clone());
        let lim = page.sql(&mut p);
        let q = format!(
            "SELECT t.tenant_id, t.name,
                (SELECT u.name FROM assignments a JOIN users u ON u.id = a.user_id
                 WHERE a.tenant_id = t.tenant_id AND a.service = '' AND a.is_primary = 1
                 AND a.role = 'rm') AS rm
             {from} ORDER BY t.name{lim}"
        );
        self.paged((q, p), count.into(), page, |r| {
            Ok(Some(RmNotPartnerRow {
                tenant_id: r.try_get(0)?,
                tenant: r.try_get(1)?,
                rm: r.try_get(2)?,
            }))
        })
        .await
    }

    /// Services of tenants shared with a partner whose scenario is not partner-led, by
    /// tenant name and service.
    pub async fn report_scenario_not_partner_led(
        &self,
        f: &ReportFilter,
    ) -> Result<Vec<ScenarioNotPartnerLedRow>> {
        Ok(self
            .report_scenario_not_partner_led_page(f, Page::ALL)
            .await?
            .rows)
    }

    /// A page of [`Store::report_scenario_not_partner_led`] and how many there are.
    pub async fn report_scenario_not_partner_led_page(
        &self,
        f: &ReportFilter,
        page: Page,
    ) -> Result<Paged<ScenarioNotPartnerLedRow>> {
        let f = &f.pinned();
        self.memo_page(
            page,
            || memo::key("report_scenario_not_partner_led_page", f, page),
            || self.read_scenario_not_partner_led_page(f, page),
        )
        .await
    }

    async fn read_scenario_not_partner_led_page(
        &self,
        f: &ReportFilter,
        page: Page,
    ) -> Result<Paged<ScenarioNotPartnerLedRow>> {
        let mut p = Params::new(self.backend());
        let mut cond = f.tenant_sql(&mut p, "t.tenant_id");
        cond.push_str(&f.service_sql(&mut p, "d.tenant_id", "d.service"));
        let from = format!(
            "FROM service_delivery d JOIN tenants t ON t.tenant_id = d.tenant_id
             WHERE {SHARED} AND d.scenario NOT IN ({}){cond}",
            partner_led_list()
        );
        let count = (format!("SELECT COUNT(*) {from}"), p.clone());
        let lim = page.sql(&mut p);
        let q = format!(
            "SELECT t.tenant_id, t.name, d.service, d.scenario {from}
             ORDER BY t.name, d.service{lim}"
        );
        self.paged((q, p), count.into(), page, |r| {
            let s: String = r.try_get(3)?;
            Ok(Some(ScenarioNotPartnerLedRow {
                tenant_id: r.try_get(0)?,
                tenant: r.try_get(1)?,
                service_key: r.try_get(2)?,
                scenario: EngagementScenario::parse(&s).unwrap_or(EngagementScenario::DEFAULT),
            }))
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    /// The flag's rule (migration 22) names the partner-led scenarios this file does.
    #[test]
    fn the_kept_flag_names_the_same_partner_led_scenarios() {
        let list = format!("d.scenario NOT IN ({})", super::partner_led_list());
        for text in [
            include_str!("../../migrations/sqlite/0022_rm_not_partner.sql"),
            include_str!("../../migrations/postgres/0022_rm_not_partner.sql"),
        ] {
            assert!(text.contains(&list), "{list}");
        }
    }
}
