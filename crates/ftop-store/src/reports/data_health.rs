//! Data health: records that keep the other reports from being right, each with the fix
//! to apply.
//!
//! - `no-recent-usage`: a service with qualified seats whose latest usage figure is more
//!   than N days old (exactly N days is still recent), or that never had one: check the
//!   usage feed for the tenant and service;
//! - `qualified-above-entitled`: more qualified seats than entitlements on a service line:
//!   correct the seats on the Services tab;
//! - `in-progress-without-target`: In Progress entitlements with no target date (every In
//!   Progress row needs one): set it on the Services tab.

use super::memo;
use super::{Page, Paged, ReportFilter};
use crate::adoption::filter::Params;
use crate::adoption::rollups::date_opt;
use crate::{Result, Store};
use ftop_domain::adoption::{day_of, iso_date};
use ftop_domain::taxonomy::L1;
use serde::Serialize;
use sqlx::Row;
use time::Date;

/// A data health check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum HealthCheck {
    /// No usage figure within the last N days.
    #[serde(rename = "no-recent-usage")]
    NoRecentUsage,
    /// Qualified seats above the entitlements.
    #[serde(rename = "qualified-above-entitled")]
    QualifiedAboveEntitled,
    /// In Progress entitlements without a target date.
    #[serde(rename = "in-progress-without-target")]
    InProgressWithoutTarget,
}

impl HealthCheck {
    /// Every check, in the order the report lists them.
    pub const ALL: [HealthCheck; 3] = [
        HealthCheck::NoRecentUsage,
        HealthCheck::QualifiedAboveEntitled,
        HealthCheck::InProgressWithoutTarget,
    ];

    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            HealthCheck::NoRecentUsage => "no-recent-usage",
            HealthCheck::QualifiedAboveEntitled => "qualified-above-entitled",
            HealthCheck::InProgressWithoutTarget => "in-progress-without-target",
        }
    }
}

/// A (tenant, service) failing a check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataHealthRow {
    /// Tenant ID.
    pub tenant_id: String,
    /// Tenant name.
    pub tenant: String,
    /// Service key.
    pub service_key: String,
    /// The check it fails.
    pub check: HealthCheck,
    /// Day of the latest usage figure (None: none).
    #[serde(with = "iso_date::option")]
    pub last_figure: Option<Date>,
    /// Qualified seats of the service line.
    pub qualified: i64,
    /// Entitlements of the service line.
    pub entitlements: i64,
}

/// The services `f` keeps that fail `check` (usage before day `cut`): the `FROM ...
/// WHERE` (without the tenants' names).
fn from_where(f: &ReportFilter, check: HealthCheck, cut: i64, p: &mut Params) -> String {
    let mut cond = f.tenant_sql(p, "ts.tenant_id");
    cond.push_str(&f.service_sql(p, "ts.tenant_id", "ts.service"));
    let which = match check {
        // The line's copy of its rollup's day (migration 21), through its index.
        HealthCheck::NoRecentUsage => format!(
            "ts.qualified > 0 AND (ts.last_figure IS NULL OR ts.last_figure < {})",
            p.int(cut)
        ),
        HealthCheck::QualifiedAboveEntitled => "ts.qualified > ts.entitlements".into(),
        // From the In Progress rows (few) to their service lines.
        HealthCheck::InProgressWithoutTarget => format!(
            "(ts.tenant_id, ts.service) IN (SELECT w.tenant_id, w.service
             FROM entitlement_status w WHERE w.l1 = {}
             AND (w.target_date IS NULL OR w.target_date = ''))",
            p.text(L1::InProgress.key().to_string())
        ),
    };
    format!("FROM tenant_services ts WHERE {which}{cond}")
}

impl Store {
    /// How many services `f` keeps fail each check (usage older than `days` days on
    /// `f`'s day), in the order of [`HealthCheck::ALL`].
    pub async fn report_data_health_counts(
        &self,
        f: &ReportFilter,
        days: i64,
    ) -> Result<Vec<(HealthCheck, i64)>> {
        let f = &f.pinned();
        self.memo(memo::key("report_data_health_counts", f, days), || {
            self.read_data_health_counts(f, days)
        })
        .await
    }

    async fn read_data_health_counts(
        &self,
        f: &ReportFilter,
        days: i64,
    ) -> Result<Vec<(HealthCheck, i64)>> {
        let cut = i64::from(day_of(f.day())) - days;
        let mut out = Vec::with_capacity(HealthCheck::ALL.len());
        for c in HealthCheck::ALL {
            out.push((c, self.data_health_count(f, c, cut).await?));
        }
        Ok(out)
    }

    async fn data_health_count(&self, f: &ReportFilter, c: HealthCheck, cut: i64) -> Result<i64> {
        let mut p = Params::new(self.backend());
        let q = format!("SELECT COUNT(*) {}", from_where(f, c, cut, &mut p));
        self.count_of(&q, p).await
    }

    /// The services `f` keeps that fail a check (usage older than `days` days on `f`'s
    /// day), by check, tenant name and service.
    pub async fn report_data_health(
        &self,
        f: &ReportFilter,
        days: i64,
    ) -> Result<Vec<DataHealthRow>> {
        Ok(self
            .report_data_health_page(f, days, None, Page::ALL)
            .await?
            .rows)
    }

    /// A page of [`Store::report_data_health`] (only `check`'s rows when given) and how
    /// many there are.
    pub async fn report_data_health_page(
        &self,
        f: &ReportFilter,
        days: i64,
        check: Option<HealthCheck>,
        page: Page,
    ) -> Result<Paged<DataHealthRow>> {
        Ok(self
            .report_data_health_counted(f, days, check, page)
            .await?
            .0)
    }

    /// A page of [`Store::report_data_health`] (only `check`'s rows when given) and
    /// [`Store::report_data_health_counts`] (every check's, whatever `check`), which
    /// give its total; no counts for every row ([`Page::ALL`]).
    pub async fn report_data_health_counted(
        &self,
        f: &ReportFilter,
        days: i64,
        check: Option<HealthCheck>,
        page: Page,
    ) -> Result<(Paged<DataHealthRow>, Vec<(HealthCheck, i64)>)> {
        let f = &f.pinned();
        self.memo_page(
            page,
            || memo::key("report_data_health_counted", f, (days, check, page)),
            || self.read_data_health_counted(f, days, check, page),
        )
        .await
    }

    async fn read_data_health_counted(
        &self,
        f: &ReportFilter,
        days: i64,
        check: Option<HealthCheck>,
        page: Page,
    ) -> Result<(Paged<DataHealthRow>, Vec<(HealthCheck, i64)>)> {
        let cut = i64::from(day_of(f.day())) - days;
        let checks: Vec<HealthCheck> = HealthCheck::ALL
            .into_iter()
            .filter(|c| check.is_none_or(|x| x == *c))
            .collect();
        // Every row: each check's in turn. A page: each check's count says where it falls.
        let mut counts = Vec::new();
        let (parts, total) = if page == Page::ALL {
            (checks.iter().map(|_| Page::ALL).enumerate().collect(), None)
        } else {
            counts = self.report_data_health_counts(f, days).await?;
            let sizes: Vec<i64> = counts
                .iter()
                .filter(|(c, _)| checks.contains(c))
                .map(|(_, n)| *n)
                .collect();
            (page.split(&sizes), Some(sizes.iter().sum()))
        };
        let mut out = Vec::new();
        for (i, part) in parts {
            let check = checks[i];
            let mut p = Params::new(self.backend());
            let from = from_where(f, check, cut, &mut p).replacen(
                "FROM tenant_services ts",
                "FROM tenant_services ts JOIN tenants t ON t.tenant_id = ts.tenant_id",
                1,
            );
            let lim = part.sql(&mut p);
            let q = format!(
                "SELECT ts.tenant_id, t.name, ts.service, ts.last_figure, ts.qualified, ts.entitlements
                 {from} ORDER BY t.name, ts.service{lim}"
            );
            let rows = p.bind(sqlx::query(&q)).fetch_all(&self.pools.read).await?;
            for r in &rows {
                out.push(DataHealthRow {
                    tenant_id: r.try_get(0)?,
                    tenant: r.try_get(1)?,
                    service_key: r.try_get(2)?,
                    check,
                    last_figure: date_opt(r.try_get(3)?)?,
                    qualified: r.try_get(4)?,
                    entitlements: r.try_get(5)?,
                });
            }
        }
        let total = total.unwrap_or(out.len() as i64);
        Ok((Paged { rows: out, total }, counts))
    }
}
