//! The adoption dashboard: counts of the rollups a filter selects (in total, by service,
//! partner or manager) and the rows behind each number. On SQLite with a file the counts
//! come from the scan in `sqlite/dashboard_scan.rs`; elsewhere from the grouped SQL in
//! `counts.rs`. Both take the filter of `filter.rs`.

use crate::adoption::counts::{Grouping, Groups, counts_of, grouped_sql};
use crate::adoption::filter::{Params, Selection};
use crate::adoption::model::{
    AdoptionCounts, AdoptionFilter, AdoptionGroup, AdoptionGroupBy, AdoptionPortfolio, AdoptionRow,
    DateWindow,
};
use crate::adoption::service_view::{ROLLUP_COLS, adoption_of, service_name};
use crate::{Result, Store, StoreError};
use ftop_domain::adoption::day_of;
use sqlx::Row;
use std::collections::HashMap;

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
    async fn fast_grouped(
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
            sqlx::query("SELECT svc, service FROM adoption_services")
                .fetch_all(&self.pools.read)
                .await?
                .iter()
                .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
                .collect::<Result<_>>()?
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
                        name: k.as_deref().map(service_name),
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
    async fn adoption_grouped(
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    //! The adoption filter's two twins on the same data: the SQL the query builder writes
    //! (grouped counts, drill-down rows) against the in-memory predicate of the SQLite
    //! scan, for many filters over an irregular portfolio.
    use super::*;
    use crate::adoption::filter::{RollupFacts, bucket_code};
    use crate::adoption::model::{BucketFilter, MilestoneFilter};
    use crate::engagement::portfolio::PortfolioScope;
    use ftop_domain::adoption::{Bucket, ForecastStatus, Milestone, date_of};

    /// A store on a fresh file with 60 tenants, 3 services each, partners, managers (some
    /// of them primary only for one service, which must not count) and rollups of every
    /// kind: no seats, no figures, each bucket, milestones and targets around "today".
    async fn portfolio() -> (Store, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("twins.db");
        let store = Store::open(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        let c = rusqlite::Connection::open(&path).unwrap();
        let mut sql = String::from(
            "BEGIN; INSERT INTO customers (id, name, created_at) VALUES (1, 'c', 'now');
             INSERT INTO partners (id, name, created_at) VALUES (1, 'p1', 'now'), (2, 'p2', 'now');
             INSERT INTO users (id, name, role, password_hash, created_at) VALUES
                (1, 'u1', 'manager', '-', 'now'), (2, 'u2', 'manager', '-', 'now'),
                (3, 'u3', 'manager', '-', 'now');
             INSERT INTO adoption_services (svc, service) VALUES
                (1, 'exchange'), (2, 'teams'), (3, 'intune');",
        );
        // A small deterministic generator.
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let day = |v: u64| 20_000 + v as i64 * 10 - 150; // around day 20,000
        for t in 1..=60u64 {
            let id = format!("{t:08}-0000-0000-0000-000000000000");
            sql.push_str(&format!(
                "INSERT INTO tenants (tenant_id, name, customer_id, created_at, updated_at)
                 VALUES ('{id}', 't{t:02}', 1, 'now', 'now');
                 INSERT INTO adoption_tenants (tkey, tenant_id) VALUES ({t}, '{id}');"
            ));
            for p in 1..=2 {
                if next(3) == 0 {
                    sql.push_str(&format!(
                        "INSERT INTO tenant_partners (tenant_id, partner_id) VALUES ('{id}', {p});"
                    ));
                }
            }
            let (user, role, service, primary) = match next(6) {
                0 => (1, "fm", "", 1),
                1 => (2, "fm", "", 1),
                2 => (3, "fm", "exchange", 1), // primary for one service only
                3 => (3, "csm", "", 0),
                4 => (2, "fm", "", 0), // not primary
                _ => (0, "", "", 0),
            };
            if user > 0 {
                sql.push_str(&format!(
                    "INSERT INTO assignments (tenant_id, user_id, role, service, is_primary, created_at)
                     VALUES ('{id}', {user}, '{role}', '{service}', {primary}, 'now');"
                ));
            }
            for svc in 1..=3 {
                let qualified = [0, 100, 1000][next(3) as usize];
                let figures = next(5) != 0;
                let bucket = if !figures || qualified == 0 {
                    "NULL"
                } else {
                    ["'below-10'", "'10-40'", "'40-plus'"][next(3) as usize]
                };
                let opt = |v: u64, on: bool| {
                    if on {
                        day(v).to_string()
                    } else {
                        "NULL".into()
                    }
                };
                let (m10, m40) = (next(30), next(30));
                let has10 = figures && next(2) == 0;
                let has40 = has10 && next(2) == 0;
                let (t10, t40) = (next(30), next(30));
                sql.push_str(&format!(
                    "INSERT INTO adoption_rollups (tkey, svc, as_of, active_users, qualified, bucket,
                        milestone_10, milestone_40, target_10, target_40)
                     VALUES ({t}, {svc}, {}, {}, {qualified}, {bucket}, {}, {}, {}, {});",
                    opt(0, figures),
                    if figures { "5" } else { "NULL" },
                    opt(m10, has10),
                    opt(m10.max(m40), has40),
                    opt(t10, next(3) != 0),
                    opt(t10.max(t40), next(3) == 0),
                ));
            }
        }
        sql.push_str("COMMIT;");
        c.execute_batch(&sql).unwrap();
        (store, dir)
    }

    fn filters() -> Vec<AdoptionFilter> {
        let today = date_of(20_000);
        let mut out = vec![AdoptionFilter::default()];
        let w = |from: i32, to: i32| MilestoneFilter {
            milestone: Milestone::Ten,
            from: date_of(from),
            to: date_of(to),
        };
        out.push(AdoptionFilter {
            scope: PortfolioScope {
                partner_id: Some(1),
                assigned_to: None,
            },
            ..Default::default()
        });
        out.push(AdoptionFilter {
            scope: PortfolioScope {
                partner_id: None,
                assigned_to: Some(3),
            },
            service: Some("Exchange".into()),
            ..Default::default()
        });
        out.push(AdoptionFilter {
            manager_id: Some(2),
            ..Default::default()
        });
        out.push(AdoptionFilter {
            manager_id: Some(3),
            ..Default::default()
        });
        out.push(AdoptionFilter {
            partner_id: Some(2),
            bucket: Some(BucketFilter::Bucket(Bucket::From10To40)),
            ..Default::default()
        });
        out.push(AdoptionFilter {
            bucket: Some(BucketFilter::Undefined),
            ..Default::default()
        });
        out.push(AdoptionFilter {
            reached: Some(w(19_900, 20_000)),
            service: Some("teams".into()),
            ..Default::default()
        });
        // Both ends of the window fall on milestone dates.
        out.push(AdoptionFilter {
            reached: Some(w(19_900, 20_000)),
            ..Default::default()
        });
        out.push(AdoptionFilter {
            reached: Some(MilestoneFilter {
                milestone: Milestone::Forty,
                from: None,
                to: None,
            }),
            ..Default::default()
        });
        for m in Milestone::ALL {
            for s in ForecastStatus::ALL {
                out.push(AdoptionFilter {
                    forecast: Some((m, s)),
                    today,
                    ..Default::default()
                });
            }
        }
        out.push(AdoptionFilter {
            service: Some("no-such-service".into()),
            ..Default::default()
        });
        out
    }

    fn sorted(mut g: Groups) -> Groups {
        g.sort_by_key(|(k, _)| *k);
        g
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sql_filter_and_in_memory_filter_keep_the_same_rollups() {
        let (store, _dir) = portfolio().await;
        let window = DateWindow {
            from: date_of(19_950).unwrap(),
            to: date_of(20_050).unwrap(),
        };
        const ALL: [Grouping; 4] = [
            Grouping::Totals,
            Grouping::Service,
            Grouping::Partner,
            Grouping::Manager,
        ];
        let side = store.sqlite.clone().unwrap();
        let mut nonempty = 0;
        for f in filters() {
            // Counts: the scan (in-memory predicate) against the grouped SQL.
            let scanned = store.fast_grouped(&f, window, &ALL).await.unwrap().unwrap();
            for (g, scan) in ALL.iter().zip(scanned) {
                let by_sql = store.adoption_grouped(*g, &f, window).await.unwrap();
                assert_eq!(sorted(scan), sorted(by_sql), "{g:?} of {f:?}");
            }
            // Rows: the drill-down's SQL against the predicate over every rollup.
            let by_sql: Vec<(String, String)> = store
                .adoption_rows(&AdoptionFilter {
                    limit: Some(1000),
                    ..f.clone()
                })
                .await
                .unwrap()
                .into_iter()
                .map(|r| (r.tenant_id, r.adoption.service_key))
                .collect();
            let sel = Selection::of(&f);
            let in_memory = side
                .with_reader(|c| {
                    let mut sets = Vec::new();
                    for (q, v) in sel.tenant_sets() {
                        let mut st = c.prepare(&q)?;
                        let keys: std::collections::HashSet<i64> = st
                            .query_map([v], |r| r.get(0))?
                            .collect::<rusqlite::Result<_>>()?;
                        sets.push(keys);
                    }
                    let mut st = c.prepare(
                        "SELECT r.tkey, r.svc, r.as_of IS NOT NULL, r.qualified > 0, r.bucket,
                            r.milestone_10, r.milestone_40, r.target_10, r.target_40,
                            k.tenant_id, c.service, t.name
                         FROM adoption_rollups r JOIN adoption_tenants k ON k.tkey = r.tkey
                         JOIN tenants t ON t.tenant_id = k.tenant_id
                         JOIN adoption_services c ON c.svc = r.svc ORDER BY t.name, c.service",
                    )?;
                    let mut rows = st.query(())?;
                    let mut out = Vec::new();
                    while let Some(r) = rows.next()? {
                        let facts = RollupFacts {
                            tkey: r.get(0)?,
                            svc: r.get(1)?,
                            as_of: r.get(2)?,
                            engaged: r.get(3)?,
                            bucket: bucket_code(
                                r.get::<_, Option<String>>(4)?.as_deref().map(str::as_bytes),
                            ),
                            m10: r.get(5)?,
                            m40: r.get(6)?,
                            t10: r.get(7)?,
                            t40: r.get(8)?,
                        };
                        let service: String = r.get(10)?;
                        if sets.iter().all(|s| s.contains(&facts.tkey))
                            && sel.service.as_ref().is_none_or(|s| *s == service)
                            && sel.keeps(&facts).is_some()
                        {
                            out.push((r.get(9)?, service));
                        }
                    }
                    Ok(out)
                })
                .unwrap();
            assert_eq!(by_sql, in_memory, "rows of {f:?}");
            nonempty += usize::from(!in_memory.is_empty());
        }
        // The data exercises the filters: most of them keep something.
        assert!(nonempty >= 15, "{nonempty} filters kept rows");
    }
}
