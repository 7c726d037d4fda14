//! Performance by usage milestone: every (tenant, service) with a usage figure, its AU
//! and how many more active users it needs to reach 10% and 40%.

use super::memo;
use super::{Page, Paged, ReportFilter, Total};
use crate::adoption::filter::Params;
use crate::adoption::rollups::date_opt;
use crate::{Result, Store};
use ftop_domain::adoption::{Bucket, au_percent, iso_date, users_to_reach};
use serde::Serialize;
use sqlx::Row;
use time::Date;

/// One (tenant, service) with usage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MilestoneRow {
    /// Tenant ID.
    pub tenant_id: String,
    /// Tenant name.
    pub tenant: String,
    /// Service key.
    pub service_key: String,
    /// Day of the latest usage figure.
    #[serde(with = "iso_date")]
    pub as_of: Date,
    /// Active users that day.
    pub active_users: i64,
    /// Qualified seats in effect that day.
    pub qualified_entitlements: i64,
    /// AU%, two decimals; None without qualified seats.
    pub au_percent: Option<f64>,
    /// AU bucket; None without qualified seats.
    pub bucket: Option<Bucket>,
    /// More active users needed for 10% (0 once there, or without seats).
    pub needed_10: i64,
    /// More active users needed for 40%.
    pub needed_40: i64,
}

/// Services with usage of one service in one bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BucketCount {
    /// Service key.
    pub service_key: String,
    /// AU bucket; None: AU undefined (no qualified seats).
    pub bucket: Option<Bucket>,
    /// Services.
    pub count: i64,
}

/// The rollups with a usage figure that `f` keeps, in one of `buckets` (any when empty):
/// the `FROM ... WHERE`, joining the tenant keys (`k`) and services (`c`) only when a
/// filter reads them (or `names`: the rows, which show the tenant's name, `t`).
fn from_where(f: &ReportFilter, buckets: &[Option<Bucket>], p: &mut Params, names: bool) -> String {
    let mut cond = f.tenant_sql(p, "k.tenant_id");
    cond.push_str(&f.service_sql(p, "k.tenant_id", "c.service"));
    if !buckets.is_empty() {
        let keys: Vec<String> = buckets
            .iter()
            .flatten()
            .map(|b| b.key().to_string())
            .collect();
        let mut any = Vec::new();
        if !keys.is_empty() {
            any.push(format!("r.bucket IN ({})", p.texts(&keys)));
        }
        if buckets.contains(&None) {
            any.push("r.bucket IS NULL".to_string());
        }
        cond.push_str(&format!(" AND ({})", any.join(" OR ")));
    }
    if names {
        // Rows by tenant name: from the tenants in name order (SQLite takes CROSS JOIN's
        // order as written; PostgreSQL plans it as the inner join it is), so a page stops
        // after its rows instead of sorting every rollup (B10: 400 ms to 15 ms at 10,000
        // tenants).
        return format!(
            "FROM tenants t CROSS JOIN adoption_tenants k CROSS JOIN adoption_rollups r
             CROSS JOIN adoption_services c
             WHERE k.tenant_id = t.tenant_id AND r.tkey = k.tkey AND c.svc = r.svc
             AND r.as_of IS NOT NULL AND r.active_users IS NOT NULL{cond}"
        );
    }
    let mut from = "FROM adoption_rollups r".to_string();
    if f.has_tenant_filters() || f.has_service_filters() {
        from.push_str(" JOIN adoption_tenants k ON k.tkey = r.tkey");
    }
    if f.has_service_filters() {
        from.push_str(" JOIN adoption_services c ON c.svc = r.svc");
    }
    format!("{from} WHERE r.as_of IS NOT NULL AND r.active_users IS NOT NULL{cond}")
}

impl Store {
    /// Every (tenant, service) with a usage figure that `f` keeps (and, when given, in
    /// `bucket`: `Some(None)` is AU undefined), by tenant name and service.
    pub async fn report_milestones(
        &self,
        f: &ReportFilter,
        bucket: Option<Option<Bucket>>,
    ) -> Result<Vec<MilestoneRow>> {
        let buckets: Vec<Option<Bucket>> = bucket.into_iter().collect();
        Ok(self
            .report_milestones_page(f, &buckets, Page::ALL)
            .await?
            .rows)
    }

    /// A page of the (tenant, service) rows with a usage figure that `f` keeps, in one of
    /// `buckets` (None: AU undefined; empty: any), by tenant name and service, and how
    /// many there are.
    pub async fn report_milestones_page(
        &self,
        f: &ReportFilter,
        buckets: &[Option<Bucket>],
        page: Page,
    ) -> Result<Paged<MilestoneRow>> {
        let f = &f.pinned();
        self.memo_page(
            page,
            || memo::key("report_milestones_page", f, (buckets, page)),
            || self.read_milestones_page(f, buckets, page),
        )
        .await
    }

    async fn read_milestones_page(
        &self,
        f: &ReportFilter,
        buckets: &[Option<Bucket>],
        page: Page,
    ) -> Result<Paged<MilestoneRow>> {
        let mut p = Params::new(self.backend());
        let count = format!("SELECT COUNT(*) {}", from_where(f, buckets, &mut p, false));
        self.milestone_rows(f, buckets, page, (count, p).into())
            .await
    }

    /// A page of [`Store::report_milestones_page`] with the counts by service and
    /// bucket of [`Store::report_milestone_counts`] (which give its total).
    pub async fn report_milestones_counted(
        &self,
        f: &ReportFilter,
        buckets: &[Option<Bucket>],
        page: Page,
    ) -> Result<(Paged<MilestoneRow>, Vec<BucketCount>)> {
        let f = &f.pinned();
        self.memo_page(
            page,
            || memo::key("report_milestones_counted", f, (buckets, page)),
            || self.read_milestones_counted(f, buckets, page),
        )
        .await
    }

    async fn read_milestones_counted(
        &self,
        f: &ReportFilter,
        buckets: &[Option<Bucket>],
        page: Page,
    ) -> Result<(Paged<MilestoneRow>, Vec<BucketCount>)> {
        let counts = self.report_milestone_counts(f).await?;
        let total = counts
            .iter()
            .filter(|c| buckets.is_empty() || buckets.contains(&c.bucket))
            .map(|c| c.count)
            .sum();
        let rows = self
            .milestone_rows(f, buckets, page, Total::Known(total))
            .await?;
        Ok((rows, counts))
    }

    async fn milestone_rows(
        &self,
        f: &ReportFilter,
        buckets: &[Option<Bucket>],
        page: Page,
        total: Total,
    ) -> Result<Paged<MilestoneRow>> {
        let mut p = Params::new(self.backend());
        let from = from_where(f, buckets, &mut p, true);
        let lim = page.sql(&mut p);
        let q = format!(
            "SELECT k.tenant_id, t.name, c.service, r.as_of, r.active_users, r.qualified, r.bucket
             {from} ORDER BY t.name, c.service{lim}"
        );
        self.paged((q, p), total, page, |r| {
            let Some(as_of) = date_opt(r.try_get(3)?)? else {
                return Ok(None);
            };
            let active: i64 = r.try_get(4)?;
            let qualified: i64 = r.try_get(5)?;
            let bucket: Option<String> = r.try_get(6)?;
            let needed = |m: i64| {
                if qualified > 0 {
                    users_to_reach(active, qualified, m)
                } else {
                    0
                }
            };
            Ok(Some(MilestoneRow {
                tenant_id: r.try_get(0)?,
                tenant: r.try_get(1)?,
                service_key: r.try_get(2)?,
                as_of,
                active_users: active,
                qualified_entitlements: qualified,
                au_percent: au_percent(active, qualified),
                bucket: bucket.as_deref().and_then(Bucket::parse),
                needed_10: needed(10),
                needed_40: needed(40),
            }))
        })
        .await
    }

    /// The (tenant, service) rows with a usage figure that `f` keeps, counted by service
    /// (key order) and bucket.
    pub async fn report_milestone_counts(&self, f: &ReportFilter) -> Result<Vec<BucketCount>> {
        let f = &f.pinned();
        self.memo(memo::key("report_milestone_counts", f, ()), || {
            self.read_milestone_counts(f)
        })
        .await
    }

    async fn read_milestone_counts(&self, f: &ReportFilter) -> Result<Vec<BucketCount>> {
        // Over every tenant, the kept totals of the latest figures (`report_sums.rs`);
        // else, on SQLite, the scan.
        let tallies = async {
            if f.only_service() {
                self.latest_totals(f).await.map(Some)
            } else {
                self.usage_tallies(f, false).await
            }
        };
        if let (Some(t), names) = tokio::try_join!(tallies, self.service_key_names())? {
            let mut out = Vec::new();
            for (svc, tally) in &t.by_service {
                let Some(name) = names.get(svc) else { continue };
                let c = super::scan::counts_of(tally);
                let bands = [
                    Some(Bucket::Below10),
                    Some(Bucket::From10To40),
                    Some(Bucket::From40),
                    None,
                ];
                out.extend(
                    bands
                        .into_iter()
                        .map(|b| (b, c.band(b)))
                        .filter(|(_, n)| *n > 0)
                        .map(|(b, n)| BucketCount {
                            service_key: name.clone(),
                            bucket: b,
                            count: n,
                        }),
                );
            }
            // The SQL's order: service, then the bucket's key (none first).
            out.sort_by(|a, b| {
                (&a.service_key, a.bucket.map(|x| x.key()))
                    .cmp(&(&b.service_key, b.bucket.map(|x| x.key())))
            });
            return Ok(out);
        }
        let mut p = Params::new(self.backend());
        let from = from_where(f, &[], &mut p, false);
        // Grouped by service key (a number), named after.
        let q = format!(
            "SELECT s.service, g.bucket, g.n
             FROM (SELECT r.svc AS svc, r.bucket AS bucket, COUNT(*) AS n {from}
                GROUP BY r.svc, r.bucket) g
             JOIN adoption_services s ON s.svc = g.svc ORDER BY s.service, g.bucket NULLS FIRST"
        );
        let rows = p.bind(sqlx::query(&q)).fetch_all(&self.pools.read).await?;
        rows.iter()
            .map(|r| {
                let bucket: Option<String> = r.try_get(1)?;
                Ok(BucketCount {
                    service_key: r.try_get(0)?,
                    bucket: bucket.as_deref().and_then(Bucket::parse),
                    count: r.try_get(2)?,
                })
            })
            .collect()
    }
}
