//! The compliance lists of partner-led work.
//!
//! "RM is not the partner": a tenant shared with a partner organisation, with at least
//! one partner-led service (scenario `ftp-led` or `customer-led-ftp-assist`, the default
//! counting), whose primary tenant-level Regional Manager is not a partner. The tenant is
//! in order when its primary tenant-wide (service `''`) assignment as Partner Regional
//! Manager (`p-rm`) exists, or its primary tenant-wide Regional Manager (`rm`) is a user
//! whose role is partner; otherwise (an internal RM, or no primary RM at all) it is
//! listed, with the internal RM's name when there is one. The fix: the partner adds
//! themselves as primary tenant RM.
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
        let partner_led = if f.has_service_filters() || f.has_tenant_filters() {
            // One of the services the filter keeps is partner-led: each one's scenario
            // (a few tenants' services, read by their keys).
            let svc = f.service_sql(&mut p, "ts.tenant_id", "ts.service");
            format!(
                "EXISTS (SELECT 1 FROM tenant_services ts WHERE ts.tenant_id = t.tenant_id
                    AND {} IN ({}){svc})",
                scenario_sql("ts.tenant_id", "ts.service"),
                partner_led_list()
            )
        } else {
            // Every tenant: a service never set has the default, partner-led, scenario,
            // so a tenant has a partner-led service unless every one of its services is
            // written otherwise (those tenants, from the few written scenarios, are read
            // once; B10 at 100,000 tenants: the count 480 to 390 ms on PostgreSQL, the
            // same on SQLite; for a partner's tenants it would cost more than it saves).
            format!(
                "EXISTS (SELECT 1 FROM tenant_services ts WHERE ts.tenant_id = t.tenant_id)
                 AND t.tenant_id NOT IN (SELECT d.tenant_id FROM service_delivery d
                    JOIN tenant_services ds ON ds.tenant_id = d.tenant_id AND ds.service = d.service
                    WHERE d.scenario NOT IN ({})
                    GROUP BY d.tenant_id
                    HAVING COUNT(*) = (SELECT COUNT(*) FROM tenant_services t2
                        WHERE t2.tenant_id = d.tenant_id))",
                partner_led_list()
            )
        };
        let from = format!(
            "FROM tenants t
             WHERE {SHARED}
             AND {partner_led}
             AND NOT EXISTS (SELECT 1 FROM assignments a JOIN users u ON u.id = a.user_id
                WHERE a.tenant_id = t.tenant_id AND a.service = '' AND a.is_primary = 1
                AND (a.role = 'p-rm' OR (a.role = 'rm' AND u.role = 'partner'))){cond}"
        );
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
