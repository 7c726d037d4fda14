//! New subscriptions: status rows the portal created for new entitlements (consumption
//! status unknown, reason "new subscription or workload"), waiting for the delivery
//! team to classify them on the tenant's Services tab.

use super::memo;
use super::{Page, Paged, ReportFilter, Total};
use crate::adoption::filter::Params;
use crate::{Result, Store};
use ftop_domain::taxonomy::{L1, NEW_SUBSCRIPTION_OR_WORKLOAD};
use serde::Serialize;
use sqlx::Row;

/// A status row to classify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewSubscriptionRow {
    /// Tenant ID.
    pub tenant_id: String,
    /// Tenant name.
    pub tenant: String,
    /// Service key.
    pub service_key: String,
    /// Entitlements on the row.
    pub entitlements: i64,
}

/// The rows to classify that `f` keeps: the `FROM ... WHERE` (without the tenants). With
/// a tenant filter (a partner, an assignment, ...) the rows are read by those tenants'
/// keys, otherwise from the status index (BENCHMARKS.md, B10: at 100,000 tenants the
/// counts took 0.11 s from the index, 0.41 s by key; for one partner 0.94 s from the
/// index, 0.04 s by key).
fn from_where(f: &ReportFilter, p: &mut Params) -> String {
    let l1 = if f.has_tenant_filters() {
        BY_KEY
    } else {
        "n.l1"
    };
    where_status(f, p, l1)
}

/// The status column written so that no engine reads it from the status index.
const BY_KEY: &str = "n.l1 || ''";

/// [`from_where`] with the status column written as `l1` (the status index is used only
/// when `l1` is the bare column).
fn where_status(f: &ReportFilter, p: &mut Params, l1_col: &str) -> String {
    let (l1, l2) = (
        p.text(L1::StatusUnknown.key().to_string()),
        p.text(NEW_SUBSCRIPTION_OR_WORKLOAD.to_string()),
    );
    let mut cond = f.tenant_sql(p, "n.tenant_id");
    cond.push_str(&f.service_sql(p, "n.tenant_id", "n.service"));
    format!("FROM entitlement_status n WHERE {l1_col} = {l1} AND n.l2 = {l2}{cond}")
}

impl Store {
    /// The rows to classify that `f` keeps, counted by service (key order).
    pub async fn report_new_subscription_counts(
        &self,
        f: &ReportFilter,
    ) -> Result<Vec<(String, i64)>> {
        let f = &f.pinned();
        self.memo(memo::key("report_new_subscription_counts", f, ()), || {
            self.read_new_subscription_counts(f)
        })
        .await
    }

    async fn read_new_subscription_counts(&self, f: &ReportFilter) -> Result<Vec<(String, i64)>> {
        let mut p = Params::new(self.backend());
        let q = format!(
            "SELECT n.service, COUNT(*) {} GROUP BY n.service ORDER BY n.service",
            from_where(f, &mut p)
        );
        let rows = p.bind(sqlx::query(&q)).fetch_all(&self.pools.read).await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    /// The unclassified new-subscription rows `f` keeps, by tenant name and service.
    pub async fn report_new_subscriptions(
        &self,
        f: &ReportFilter,
    ) -> Result<Vec<NewSubscriptionRow>> {
        Ok(self.report_new_subscriptions_page(f, Page::ALL).await?.rows)
    }

    /// A page of [`Store::report_new_subscriptions`] and how many there are.
    pub async fn report_new_subscriptions_page(
        &self,
        f: &ReportFilter,
        page: Page,
    ) -> Result<Paged<NewSubscriptionRow>> {
        let f = &f.pinned();
        self.memo_page(
            page,
            || memo::key("report_new_subscriptions_page", f, page),
            || self.read_new_subscriptions_page(f, page),
        )
        .await
    }

    async fn read_new_subscriptions_page(
        &self,
        f: &ReportFilter,
        page: Page,
    ) -> Result<Paged<NewSubscriptionRow>> {
        let mut p = Params::new(self.backend());
        let count = format!("SELECT COUNT(*) {}", from_where(f, &mut p));
        self.new_subscription_rows(f, page, (count, p).into()).await
    }

    /// A page of [`Store::report_new_subscriptions`] with the counts by service of
    /// [`Store::report_new_subscription_counts`] (which give its total).
    pub async fn report_new_subscriptions_counted(
        &self,
        f: &ReportFilter,
        page: Page,
    ) -> Result<(Paged<NewSubscriptionRow>, Vec<(String, i64)>)> {
        let f = &f.pinned();
        self.memo_page(
            page,
            || memo::key("report_new_subscriptions_counted", f, page),
            || self.read_new_subscriptions_counted(f, page),
        )
        .await
    }

    async fn read_new_subscriptions_counted(
        &self,
        f: &ReportFilter,
        page: Page,
    ) -> Result<(Paged<NewSubscriptionRow>, Vec<(String, i64)>)> {
        let counts = self.report_new_subscription_counts(f).await?;
        let total = counts.iter().map(|c| c.1).sum();
        let rows = self
            .new_subscription_rows(f, page, Total::Known(total))
            .await?;
        Ok((rows, counts))
    }

    async fn new_subscription_rows(
        &self,
        f: &ReportFilter,
        page: Page,
        count: Total,
    ) -> Result<Paged<NewSubscriptionRow>> {
        let mut p = Params::new(self.backend());
        // Each tenant's rows are read by its key: with the status index free to choose,
        // SQLite searched every new-subscription row of the portfolio once per tenant of
        // a partner's (30 s for one partner at 100,000 tenants; BENCHMARKS.md, B10).
        let from = where_status(f, &mut p, BY_KEY);
        let lim = page.sql(&mut p);
        // From the tenants in name order (as the milestone rows), so a page stops after
        // its rows instead of sorting every status row.
        let from = from.replacen(
            "FROM entitlement_status n WHERE",
            "FROM tenants t CROSS JOIN entitlement_status n WHERE n.tenant_id = t.tenant_id AND",
            1,
        );
        let q = format!(
            "SELECT n.tenant_id, t.name, n.service, n.count {from}
             ORDER BY t.name, n.service, n.position{lim}"
        );
        self.paged((q, p), count, page, |r| {
            Ok(Some(NewSubscriptionRow {
                tenant_id: r.try_get(0)?,
                tenant: r.try_get(1)?,
                service_key: r.try_get(2)?,
                entitlements: r.try_get(3)?,
            }))
        })
        .await
    }
}
