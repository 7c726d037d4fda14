//! The usage reports' numbers from the SQLite scan (`sqlite/usage_scan.rs`, BENCHMARKS.md
//! B10): where it can answer (SQLite; filters it checks itself, not a team or status
//! filter), the counts of the latest figures by service, by scenario and in total, the
//! milestone counts by service and bucket, and the filtered trend by month come from one
//! pass in Rust instead of the grouped SQL.

use super::ReportFilter;
use super::usage::{UsageCounts, UsagePick, finish};
use super::usage_sums::{Tally, UsageTallies};
use crate::adoption::filter::Params;
use crate::sqlite::usage_scan::{UsageScanFilter, tallies};
use crate::{Result, Store, StoreError};
use ftop_domain::adoption::{Bucket, Milestone, au_percent};

/// The counts of a tally (the same as the SQL's `count_columns`).
pub(crate) fn counts_of(t: &Tally) -> UsageCounts {
    let [
        services,
        with_seats,
        active,
        seated,
        qualified,
        capped,
        at_10,
        at_40,
    ] = t.sums;
    finish(UsageCounts {
        service_key: None,
        tenants: t.tenants,
        services,
        with_seats,
        active_users: active,
        seated_active_users: seated,
        capped_active_users: capped,
        qualified_entitlements: qualified,
        au_percent: au_percent(seated, qualified),
        capped_au_percent: au_percent(capped, qualified),
        // Reaching 40% is reaching 10%: the bands follow from the two counts.
        buckets: [
            with_seats - at_10,
            at_10 - at_40,
            at_40,
            services - with_seats,
        ],
        at_10,
        at_40,
        rate_10: None,
        rate_40: None,
    })
}

impl UsageCounts {
    /// The pairs in band `b` (None: AU undefined).
    pub fn band(&self, b: Option<Bucket>) -> i64 {
        match b {
            Some(Bucket::Below10) => self.buckets[0],
            Some(Bucket::From10To40) => self.buckets[1],
            Some(Bucket::From40) => self.buckets[2],
            None => self.buckets[3],
        }
    }

    /// How many of the pairs counted `pick` keeps (the number of rows behind it). Valid
    /// for the counts of the latest figures or of a month by service or in total
    /// ([`Store::report_service_usage`]), not for the trend's (which keeps no bands).
    pub fn picked(&self, pick: UsagePick) -> i64 {
        let band = |b: Option<Bucket>| self.band(b);
        match (pick.bucket, pick.at) {
            (None, None) => self.services,
            (Some(b), None) => band(b),
            (None, Some(Milestone::Ten)) => self.at_10,
            (None, Some(Milestone::Forty)) => self.at_40,
            // A band and a milestone: the band when all of it is at or above the
            // milestone, else none of it.
            (Some(b), Some(m)) => match (b, m) {
                (Some(Bucket::From40), _) | (Some(Bucket::From10To40), Milestone::Ten) => band(b),
                _ => 0,
            },
        }
    }
}

impl Store {
    /// The scan's tallies of the latest figures that `f` keeps (by scenario too when
    /// asked), or None where the scan does not answer (not SQLite; a team or status
    /// filter, which the SQL checks).
    pub(crate) async fn usage_tallies(
        &self,
        f: &ReportFilter,
        by_scenario: bool,
    ) -> Result<Option<UsageTallies>> {
        self.tallies_of(f, by_scenario, false).await
    }

    /// The scan's tallies of the month rows that `f` keeps, by month, or None where the
    /// scan does not answer.
    pub(crate) async fn month_tallies(&self, f: &ReportFilter) -> Result<Option<UsageTallies>> {
        self.tallies_of(f, false, true).await
    }

    async fn tallies_of(
        &self,
        f: &ReportFilter,
        by_scenario: bool,
        months: bool,
    ) -> Result<Option<UsageTallies>> {
        let Some(side) = self.sqlite.clone() else {
            return Ok(None);
        };
        if f.team.is_some() || f.service_status.is_some() {
            return Ok(None);
        }
        let tenants = f.has_tenant_filters().then(|| {
            let mut p = Params::new(self.backend());
            let cond = f.tenant_sql(&mut p, "k.tenant_id");
            (
                format!("SELECT k.tkey FROM adoption_tenants k WHERE 1 = 1{cond}"),
                p,
            )
        });
        let sf = UsageScanFilter {
            tenants,
            service: f.service.clone(),
            scenario: f.scenario,
            by_scenario,
            months,
        };
        let out = tokio::task::spawn_blocking(move || tallies(&side, &sf))
            .await
            .map_err(|e| StoreError::Internal(format!("usage report scan failed: {e}")))??;
        Ok(Some(out))
    }
}
