//! The sums behind service usage and the credit by scenario, read without a distinct
//! count over every pair (BENCHMARKS.md, B10): by service key in one grouped statement
//! (a service's pairs are of distinct tenants) with the tenants counted beside it; by
//! scenario from those sums, since only the pairs whose written scenario is not the
//! default (a few per cent of them) need reading one by one: the default's share is the
//! rest. Over every tenant the latest figures' sums are the kept totals
//! (`adoption/report_sums.rs`, both engines); otherwise SQLite answers from its scan of
//! the rollups (`reports/scan.rs`) where it can.

use super::usage::{UsageSource, count_columns, source_of, tally_at};
use super::{ReportFilter, scenario_index};
use crate::adoption::filter::Params;
use crate::adoption::months::{SUM_NAMES, contribution};
use crate::{Result, Store, StoreError};
use ftop_domain::EngagementScenario;
use sqlx::Row;
use std::collections::BTreeMap;

/// Sums over pairs with a figure (rollups or month rows): the eight of [`contribution`] and the tenants.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    /// services, with_seats, active_users, seated_active, qualified, capped_active,
    /// at_10, at_40.
    pub(crate) sums: [i64; 8],
    /// Distinct tenants.
    pub(crate) tenants: i64,
    /// The last tenant key added (rows come in key order).
    last: Option<i64>,
}

impl Tally {
    /// A tally of these sums and tenants.
    pub(crate) fn of(sums: [i64; 8], tenants: i64) -> Tally {
        Tally {
            sums,
            tenants,
            last: None,
        }
    }

    /// Removes a row's sums (not its tenant: the caller counts those).
    pub(crate) fn take(&mut self, c: &[i64; 8]) {
        for (s, v) in self.sums.iter_mut().zip(c) {
            *s -= v;
        }
    }

    /// Adds a row of tenant `tkey` (rows come in tenant key order).
    pub(crate) fn add(&mut self, tkey: i64, c: &[i64; 8]) {
        for (s, v) in self.sums.iter_mut().zip(c) {
            *s += v;
        }
        if self.last != Some(tkey) {
            self.tenants += 1;
            self.last = Some(tkey);
        }
    }

    /// Adds a tally of other tenants (another thread's range), or of other services
    /// (whose tenants the caller counts).
    pub(crate) fn merge(&mut self, o: &Tally) {
        for (s, v) in self.sums.iter_mut().zip(&o.sums) {
            *s += v;
        }
        self.tenants += o.tenants;
    }
}

/// What the scan keeps.
#[derive(Debug, Clone, Default)]
pub(crate) struct UsageTallies {
    /// Every rollup kept.
    pub(crate) total: Tally,
    /// By service key.
    pub(crate) by_service: BTreeMap<i64, Tally>,
    /// By effective scenario (index in `EngagementScenario::ALL`).
    pub(crate) by_scenario: BTreeMap<usize, Tally>,
    /// By month number (a scan of the month rows).
    pub(crate) by_month: BTreeMap<i64, Tally>,
}

impl UsageTallies {
    /// Adds the tallies of other tenants (another thread's range).
    pub(crate) fn merge(&mut self, o: &UsageTallies) {
        self.total.merge(&o.total);
        for (k, t) in &o.by_service {
            self.by_service.entry(*k).or_default().merge(t);
        }
        for (k, t) in &o.by_scenario {
            self.by_scenario.entry(*k).or_default().merge(t);
        }
        for (k, t) in &o.by_month {
            self.by_month.entry(*k).or_default().merge(t);
        }
    }
}

/// A pair with a figure (latest), as a condition on rollups `r`.
const FIGURE: &str = "r.as_of IS NOT NULL AND r.active_users IS NOT NULL";

impl Store {
    /// The sums of the pairs of `src` that `f` keeps, by service key and in total (with
    /// the tenants).
    pub(crate) async fn usage_by_service(
        &self,
        f: &ReportFilter,
        src: UsageSource,
    ) -> Result<UsageTallies> {
        if src == UsageSource::Latest && f.only_service() {
            return self.latest_totals(f).await;
        }
        if src == UsageSource::Latest
            && let Some(t) = self.usage_tallies(f, false).await?
        {
            return Ok(t);
        }
        let cols = count_columns();
        let mut p = Params::new(self.backend());
        let (from, _) = source_of(f, src, &mut p, false);
        let q = format!("SELECT r.svc, {cols} {from} GROUP BY r.svc");
        let (tq, tp) = self.tenants_counted(f, src);
        let (rows, tenants) = tokio::try_join!(
            async {
                Ok::<_, StoreError>(p.bind(sqlx::query(&q)).fetch_all(&self.pools.read).await?)
            },
            self.count_of(&tq, tp),
        )?;
        let mut out = UsageTallies::default();
        for r in &rows {
            let t = tally_at(r, 1)?;
            out.total.merge(&t);
            out.by_service.insert(r.try_get(0)?, t);
        }
        out.total.tenants = tenants;
        Ok(out)
    }

    /// The sums of the latest figures by service key and in total from the kept
    /// totals (`adoption/report_sums.rs`), for a filter that keeps every tenant and at most
    /// one service: a service's pairs are of distinct tenants.
    pub(crate) async fn latest_totals(&self, f: &ReportFilter) -> Result<UsageTallies> {
        let mut p = Params::new(self.backend());
        let only = match &f.service {
            Some(s) => format!(
                " WHERE t.svc IN (SELECT c.svc FROM adoption_services c WHERE c.service = {})",
                p.text(s.clone())
            ),
            None => String::new(),
        };
        let cols: Vec<String> = SUM_NAMES.iter().map(|c| format!("t.{c}")).collect();
        // The tenants with a figure read in the same statement (one snapshot with the
        // totals); no row: no figure, no tenant.
        let q = format!(
            "SELECT t.svc, t.services, {}, (SELECT n.tenants FROM usage_latest_tenants n)
             FROM usage_latest_totals t{only}",
            cols.join(", ")
        );
        let rows = p.bind(sqlx::query(&q)).fetch_all(&self.pools.read).await?;
        let mut out = UsageTallies::default();
        let mut tenants = 0;
        for r in &rows {
            let t = tally_at(r, 1)?;
            out.total.merge(&t);
            out.by_service.insert(r.try_get(0)?, t);
            tenants = r.try_get(SUM_NAMES.len() + 2)?;
        }
        if f.service.is_none() {
            out.total.tenants = tenants;
        }
        Ok(out)
    }

    /// The statement counting the tenants with a pair of `src` that `f` keeps: for the
    /// latest figures, tenant by tenant (each stops at its first such rollup); for a
    /// month, the distinct tenant keys of its rows.
    fn tenants_counted(&self, f: &ReportFilter, src: UsageSource) -> (String, Params) {
        let mut p = Params::new(self.backend());
        if src != UsageSource::Latest {
            let (from, _) = source_of(f, src, &mut p, false);
            return (
                format!("SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT DISTINCT r.tkey {from}) x"),
                p,
            );
        }
        let svc = f.service_sql(&mut p, "k.tenant_id", "c.service");
        let join = if f.has_service_filters() {
            " JOIN adoption_services c ON c.svc = r.svc"
        } else {
            ""
        };
        let tenant = f.tenant_sql(&mut p, "k.tenant_id");
        (
            format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM adoption_tenants k WHERE EXISTS
                 (SELECT 1 FROM adoption_rollups r{join} WHERE r.tkey = k.tkey AND {FIGURE}{svc}){tenant}"
            ),
            p,
        )
    }

    /// The sums of the latest figures that `f` keeps by effective scenario (its index in
    /// `EngagementScenario::ALL`, as the scan keeps them), in SQL: the pairs written with another scenario than the default, read one
    /// by one, and the default's share as what the totals leave.
    pub(crate) async fn credit_sums(&self, f: &ReportFilter) -> Result<BTreeMap<usize, Tally>> {
        let default = EngagementScenario::DEFAULT.key();
        let cond = |p: &mut Params| {
            let mut c = f.tenant_sql(p, "k.tenant_id");
            c.push_str(&f.service_sql(p, "k.tenant_id", "c.service"));
            c
        };
        // The pairs written with another scenario, by tenant key: from the written
        // scenarios to their rollups (SQLite takes CROSS JOIN's order as written;
        // PostgreSQL plans it as the inner join it is). Left to its planner, SQLite read
        // every rollup instead (B10: 1.2 s to 50 ms at 1,000,000 rollups).
        let mut p = Params::new(self.backend());
        let c1 = cond(&mut p);
        let written = format!(
            "SELECT r.tkey, d.scenario, r.active_users, r.qualified FROM service_delivery d
             CROSS JOIN adoption_tenants k CROSS JOIN adoption_services c
             CROSS JOIN adoption_rollups r
             WHERE k.tenant_id = d.tenant_id AND c.service = d.service
             AND r.tkey = k.tkey AND r.svc = c.svc
             AND d.scenario <> '{default}' AND {FIGURE}{c1} ORDER BY r.tkey"
        );
        // The tenants with a kept pair none of whose kept pairs has the default scenario
        // (all are written otherwise): the default's tenants leave them out. Each such
        // tenant is read until its first pair of the default, often the first one.
        let mut p2 = Params::new(self.backend());
        let kept = |p: &mut Params| {
            format!(
                "SELECT 1 FROM adoption_rollups r JOIN adoption_services c ON c.svc = r.svc
                 WHERE r.tkey = k.tkey AND {FIGURE}{}",
                f.service_sql(p, "k.tenant_id", "c.service")
            )
        };
        let (any, default_pair) = (kept(&mut p2), kept(&mut p2));
        let tenant = f.tenant_sql(&mut p2, "k.tenant_id");
        let theirs = format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM adoption_tenants k
             WHERE k.tkey IN (SELECT wk.tkey FROM service_delivery wd
                JOIN adoption_tenants wk ON wk.tenant_id = wd.tenant_id
                WHERE wd.scenario <> '{default}')
             AND EXISTS ({any})
             AND NOT EXISTS ({default_pair} AND NOT EXISTS (SELECT 1 FROM service_delivery d
                WHERE d.tenant_id = k.tenant_id AND d.service = c.service
                AND d.scenario <> '{default}')){tenant}"
        );
        let (all, written, theirs) = tokio::try_join!(
            self.usage_by_service(f, UsageSource::Latest),
            async {
                Ok::<_, StoreError>(
                    p.bind(sqlx::query(&written))
                        .fetch_all(&self.pools.read)
                        .await?,
                )
            },
            self.count_of(&theirs, p2),
        )?;
        let mut out: BTreeMap<usize, Tally> = BTreeMap::new();
        let mut rest = all.total;
        for r in &written {
            let tkey: i64 = r.try_get(0)?;
            let c = contribution(r.try_get(2)?, r.try_get(3)?);
            // A stored value this version does not write counts under no scenario.
            let key: String = r.try_get(1)?;
            if let Some(i) = scenario_index(&key) {
                out.entry(i).or_default().add(tkey, &c);
            }
            rest.take(&c);
        }
        rest.tenants -= theirs;
        if rest.sums[0] > 0
            && let Some(i) = scenario_index(default)
        {
            out.insert(i, rest);
        }
        Ok(out)
    }
}
