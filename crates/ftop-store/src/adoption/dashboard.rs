//! The adoption dashboard: counts of the rollups a filter selects (in total, by service,
//! partner or manager) and the rows behind each number. On SQLite with a file the counts
//! come from the scan in `sqlite/dashboard_scan/`; elsewhere from the grouped SQL in
//! `counts.rs`. Both take the filter of `filter.rs`.

use crate::adoption::counts::{Grouping, Groups, counts_of, grouped_sql};
use crate::adoption::filter::{Params, Selection};
use crate::adoption::model::{
    AdoptionCounts, AdoptionFilter, AdoptionGroup, AdoptionGroupBy, AdoptionPortfolio, AdoptionRow,
    DateWindow,
};
use crate::adoption::service_view::{ROLLUP_COLS, adoption_of, service_name};
use crate::{Result, Store, StoreError};
use ftop_domain::adoption::{date_of, day_of};
use sqlx::Row;
use std::collections::HashMap;
use time::Date;

impl Store {
    /// The adoption dashboard over the rollups `f` selects: totals and by service, with
    /// milestones reached within `window` (for example [`DateWindow::month_of`] today).
    pub async fn adoption_portfolio(
        &self,
        f: &AdoptionFilter,
        window: DateWindow,
    ) -> Result<AdoptionPortfolio> {
        if let Some(mut all) = self
            .fast_grouped(f, window, &[Grouping::Totals, Grouping::Service])
            .await?
        {
            let by = all.pop().unwrap_or_default();
            let totals = all
                .pop()
                .and_then(|t| t.into_iter().next())
                .map(|(_, c)| c)
                .unwrap_or_default();
            let by_service = self.name_groups(by, AdoptionGroupBy::Service).await?;
            return Ok(AdoptionPortfolio {
                window,
                totals,
                by_service,
            });
        }
        let totals = self.adoption_grouped(Grouping::Totals, f, window).await?;
        let totals = totals
            .into_iter()
            .next()
            .map(|(_, c)| c)
            .unwrap_or_default();
        let by_service = self
            .adoption_groups(f, window, AdoptionGroupBy::Service)
            .await?;
        Ok(AdoptionPortfolio {
            window,
            totals,
            by_service,
        })
    }

    /// Adoption counts grouped by partner, manager or service, largest groups first (the
    /// row without partner or manager last).
    pub async fn adoption_groups(
        &self,
        f: &AdoptionFilter,
        window: DateWindow,
        by: AdoptionGroupBy,
    ) -> Result<Vec<AdoptionGroup>> {
        let g: &'static [Grouping] = match by {
            AdoptionGroupBy::Partner => &[Grouping::Partner],
            AdoptionGroupBy::Manager => &[Grouping::Manager],
            AdoptionGroupBy::Service => &[Grouping::Service],
        };
        let rows = match self.fast_grouped(f, window, g).await? {
            Some(mut all) => all.pop().unwrap_or_default(),
            None => self.adoption_grouped(g[0], f, window).await?,
        };
        self.name_groups(rows, by).await
    }

    /// SQLite with a file: the counts computed in Rust over a scan of the rollups
    /// (`dashboard.rs`); None on other engines.
    pub(crate) async fn fast_grouped(
        &self,
        f: &AdoptionFilter,
        window: DateWindow,
        want: &'static [Grouping],
    ) -> Result<Option<Vec<Groups>>> {
        let Some(side) = self.sqlite.clone() else {
            return Ok(None);
        };
        let sel = Selection::of(f);
        let (wfrom, wto) = (i64::from(day_of(window.from)), i64::from(day_of(window.to)));
        let out = tokio::task::spawn_blocking(move || {
            crate::sqlite::dashboard_scan::grouped(&side, &sel, wfrom, wto, want)
        })
        .await
        .map_err(|e| StoreError::Internal(format!("dashboard failed: {e}")))??;
        Ok(Some(out))
    }

    /// The catalogue key of each service key of the rollups.
    pub(crate) async fn service_key_names(&self) -> Result<HashMap<i64, String>> {
        sqlx::query("SELECT svc, service FROM adoption_services")
            .fetch_all(&self.pools.read)
            .await?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    /// Names and orders grouped counts.
    async fn name_groups(
        &self,
        rows: Vec<(Option<i64>, AdoptionCounts)>,
        by: AdoptionGroupBy,
    ) -> Result<Vec<AdoptionGroup>> {
        let names: HashMap<i64, String> = match by {
            AdoptionGroupBy::Service => HashMap::new(),
            AdoptionGroupBy::Partner | AdoptionGroupBy::Manager => {
                let table = if by == AdoptionGroupBy::Partner {
                    "SELECT id, name FROM partners"
                } else {
                    "SELECT id, name FROM users"
                };
                sqlx::query(table)
                    .fetch_all(&self.pools.read)
                    .await?
                    .iter()
                    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
                    .collect::<Result<_>>()?
            }
        };
        let svc_names: HashMap<i64, String> = if by == AdoptionGroupBy::Service {
            self.service_key_names().await?
        } else {
            HashMap::new()
        };
        let mut out: Vec<AdoptionGroup> = rows
            .into_iter()
            .map(|(key, counts)| match by {
                AdoptionGroupBy::Service => {
                    let k = key.and_then(|k| svc_names.get(&k).cloned());
                    AdoptionGroup {
                        id: None,
                        name: k.as_deref().map(|k| service_name(k).to_string()),
                        service: k,
                        counts,
                    }
                }
                _ => AdoptionGroup {
                    id: key,
                    service: None,
                    name: key.and_then(|k| names.get(&k).cloned()),
                    counts,
                },
            })
            .collect();
        out.sort_by(|a, b| {
            a.id.is_none()
                .cmp(&b.id.is_none())
                .then(b.counts.services.cmp(&a.counts.services))
                .then(a.name.cmp(&b.name))
        });
        if by == AdoptionGroupBy::Service {
            out.sort_by(|a, b| {
                b.counts
                    .services
                    .cmp(&a.counts.services)
                    .then(a.name.cmp(&b.name))
            });
        }
        Ok(out)
    }

    /// The counts of one grouping by the grouped SQL (`counts.rs`).
    pub(crate) async fn adoption_grouped(
        &self,
        g: Grouping,
        f: &AdoptionFilter,
        window: DateWindow,
    ) -> Result<Groups> {
        let (q, params) = grouped_sql(&Selection::of(f), window, g, self.backend());
        let rows = params
            .bind(sqlx::query(&q))
            .fetch_all(&self.pools.read)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get::<Option<i64>, _>("gkey")?, counts_of(r)?)))
            .collect()
    }

    /// The day of the latest usage figure among the rollups `f` selects (the newest
    /// `as_of`), or None when none has a figure: where the dashboard opens when no period
    /// is named, so that it does not open on a month without data.
    pub async fn adoption_latest_day(&self, f: &AdoptionFilter) -> Result<Option<Date>> {
        let sel = Selection::of(f);
        let mut p = Params::new(self.backend());
        let cond = sel.where_sql(&mut p, &mut None);
        let q = format!("SELECT MAX(r.as_of) FROM adoption_rollups r WHERE {cond}");
        let r = p.bind(sqlx::query(&q)).fetch_one(&self.pools.read).await?;
        let day: Option<i64> = r.try_get(0)?;
        Ok(day.and_then(|d| i32::try_from(d).ok()).and_then(date_of))
    }

    /// The (tenant, service) rows behind a number: the same filter as the counts, by
    /// tenant name and service, `limit` and `offset` from the filter.
    pub async fn adoption_rows(&self, f: &AdoptionFilter) -> Result<Vec<AdoptionRow>> {
        let sel = Selection::of(f);
        let mut p = Params::new(self.backend());
        let cond = sel.where_sql(&mut p, &mut None);
        let (limit, offset) = (
            p.int(f.limit.unwrap_or(100).clamp(0, 1000)),
            p.int(f.offset.unwrap_or(0).max(0)),
        );
        let q = format!(
            "SELECT k.tenant_id, t.name AS tenant, {ROLLUP_COLS},
                (SELECT COALESCE(MAX(s.qualified), 0) FROM tenant_services s
                 WHERE s.tenant_id = k.tenant_id) AS tenant_seats
             FROM adoption_rollups r JOIN adoption_tenants k ON k.tkey = r.tkey
             JOIN tenants t ON t.tenant_id = k.tenant_id JOIN adoption_services c ON c.svc = r.svc
             WHERE {cond} ORDER BY t.name, c.service LIMIT {limit} OFFSET {offset}"
        );
        let rows = p.bind(sqlx::query(&q)).fetch_all(&self.pools.read).await?;
        rows.iter()
            .map(|r| {
                Ok(AdoptionRow {
                    tenant_id: r.try_get("tenant_id")?,
                    tenant: r.try_get("tenant")?,
                    adoption: adoption_of(r, sel.today, r.try_get("tenant_seats")?, false)?,
                })
            })
            .collect()
    }
}
