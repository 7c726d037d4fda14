//! Service usage, usage trend and performance overview (issue 17): counts by service, by
//! month and by engagement scenario, grouped by the engine over the rollups (today) or the
//! month rows (`adoption/months.rs`), never over the usage figures; the trend of an
//! unfiltered portfolio reads the kept monthly totals alone. The rows behind each number
//! are read a page at a time.

use super::scan::counts_of;
use super::usage_sums::Tally;
use super::{PARTNER_LED, ReportFilter};
use super::{Page, memo};
use crate::adoption::filter::Params;
use crate::adoption::months::{SUM_NAMES, bucket_sql, month_key};
use crate::adoption::rollups::{date_col, reaches_sql};
use crate::{Result, Store};
use ftop_domain::EngagementScenario;
use ftop_domain::adoption::{Bucket, Milestone, au_percent, users_to_reach};
use serde::Serialize;
use sqlx::Row;
use std::collections::BTreeMap;

/// Where a usage count is taken: each service's latest figure (its rollup), or each
/// service's last figure of a month (month number, `adoption/months.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UsageSource {
    /// The latest figure.
    #[default]
    Latest,
    /// The last figure of this month.
    Month(i64),
}

/// Which rows behind a number: all, those of one bucket (`Some(None)`: AU undefined),
/// or those at or above a milestone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UsagePick {
    /// Only this bucket.
    pub bucket: Option<Option<Bucket>>,
    /// Only those at or above this milestone.
    pub at: Option<Milestone>,
}

/// Usage counted over (tenant, service) pairs with a figure.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UsageCounts {
    /// Service key (None: every service).
    pub service_key: Option<String>,
    /// Tenants with a figure.
    pub tenants: i64,
    /// (Tenant, service) pairs with a figure.
    pub services: i64,
    /// Of which with qualified seats (AU defined).
    pub with_seats: i64,
    /// Active users of every pair.
    pub active_users: i64,
    /// Active users of the pairs with seats.
    pub seated_active_users: i64,
    /// The same, each pair's at most its seats.
    pub capped_active_users: i64,
    /// Qualified seats of the pairs with seats.
    pub qualified_entitlements: i64,
    /// AU%: the active users of the pairs with seats over their seats (two decimals).
    pub au_percent: Option<f64>,
    /// The same with each pair's active users capped at its seats (at most 100%).
    pub capped_au_percent: Option<f64>,
    /// Pairs below 10%, 10 to 40%, 40% and above, AU undefined.
    pub buckets: [i64; 4],
    /// Pairs at or above 10% (exactly 10% counts).
    pub at_10: i64,
    /// Pairs at or above 40%.
    pub at_40: i64,
    /// `at_10` among `with_seats`, percent.
    pub rate_10: Option<f64>,
    /// `at_40` among `with_seats`, percent.
    pub rate_40: Option<f64>,
}

/// One month of the usage trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthUsage {
    /// `YYYY-MM`.
    pub month: String,
    /// Month number (year × 12 + month − 1).
    #[serde(skip)]
    pub number: i64,
    /// The month's counts (each pair's last figure of the month).
    #[serde(flatten)]
    pub counts: UsageCounts,
}

/// Usage credited by engagement scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioCredit {
    /// The scenario (the default for services never set).
    pub scenario: EngagementScenario,
    /// Who is credited: `partner` for partner-led scenarios, `fasttrack` otherwise.
    pub credited_to: &'static str,
    /// The scenario's counts (latest figures).
    #[serde(flatten)]
    pub counts: UsageCounts,
}

/// Who a scenario's adoption is credited to: the service's primary, the partner when the
/// partner leads or assists, FastTrack otherwise.
pub fn credited_to(s: EngagementScenario) -> &'static str {
    if PARTNER_LED.contains(&s) {
        "partner"
    } else {
        "fasttrack"
    }
}

/// One (tenant, service) behind a usage number.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UsageRow {
    /// Tenant ID.
    pub tenant_id: String,
    /// Tenant name.
    pub tenant: String,
    /// Service key.
    pub service_key: String,
    /// Day of the figure.
    #[serde(with = "ftop_domain::adoption::iso_date")]
    pub as_of: time::Date,
    /// Active users.
    pub active_users: i64,
    /// Qualified seats in effect that day.
    pub qualified_entitlements: i64,
    /// AU%, uncapped; None without seats.
    pub au_percent: Option<f64>,
    /// AU% capped at 100.
    pub capped_au_percent: Option<f64>,
    /// Bucket; None without seats.
    pub bucket: Option<Bucket>,
    /// More active users needed for 10%.
    pub needed_10: i64,
    /// More active users needed for 40%.
    pub needed_40: i64,
}

/// The eight sums of a [`Tally`] over rows `r` (columns `active_users`, `qualified`),
/// as BIGINT on both engines: services, with seats, active users, seated active users,
/// seated qualified, capped active users, at 10%, at 40%. The bands are not summed: they
/// follow from the seated pairs and the two milestone counts (`counts_of`).
pub(crate) fn sum_columns() -> Vec<String> {
    let reaches = |pct: i64| {
        format!(
            "CASE WHEN {} THEN 1 ELSE 0 END",
            reaches_sql("r.active_users", "r.qualified", pct)
        )
    };
    let sum = |e: &str| format!("CAST(COALESCE(SUM({e}), 0) AS BIGINT)");
    vec![
        "CAST(COUNT(*) AS BIGINT)".to_string(),
        sum("CASE WHEN r.qualified > 0 THEN 1 ELSE 0 END"),
        sum("CAST(r.active_users AS BIGINT)"),
        sum("CASE WHEN r.qualified > 0 THEN CAST(r.active_users AS BIGINT) ELSE 0 END"),
        sum("CASE WHEN r.qualified > 0 THEN CAST(r.qualified AS BIGINT) ELSE 0 END"),
        sum(
            "CASE WHEN r.qualified <= 0 THEN 0 WHEN r.active_users < r.qualified THEN CAST(r.active_users AS BIGINT) ELSE CAST(r.qualified AS BIGINT) END",
        ),
        sum(&reaches(Milestone::Ten.percent())),
        sum(&reaches(Milestone::Forty.percent())),
    ]
}

/// The sums, as BIGINT, of the kept sums' columns ([`SUM_NAMES`]) of table `t`: the last
/// eight columns of [`tally_at`] from `usage_month_totals` or PostgreSQL's
/// `usage_tenant_months`.
fn kept_sums(t: &str) -> String {
    SUM_NAMES
        .iter()
        .map(|c| format!("CAST(SUM({t}.{c}) AS BIGINT)"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The columns of [`tally_at`] for a group of one service's pairs (distinct tenants, so
/// the tenants are the rows): the row count, then [`sum_columns`].
pub(super) fn count_columns() -> String {
    let mut cols = vec!["CAST(COUNT(*) AS BIGINT)".to_string()];
    cols.extend(sum_columns());
    cols.join(", ")
}

/// The sums of the columns of [`count_columns`] starting at `at`.
pub(super) fn tally_at(r: &sqlx::any::AnyRow, at: usize) -> Result<Tally> {
    let g = |i: usize| -> Result<i64> { Ok(r.try_get::<i64, _>(at + i)?) };
    Ok(Tally::of(
        [g(1)?, g(2)?, g(3)?, g(4)?, g(5)?, g(6)?, g(7)?, g(8)?],
        g(0)?,
    ))
}

/// The trend of `f` from its sums by month (oldest first): the monthly totals keep no
/// bands, so no source of the trend shows them.
fn trend_of(f: &ReportFilter, months: BTreeMap<i64, Tally>) -> Vec<MonthUsage> {
    months
        .into_iter()
        .map(|(month, tally)| {
            let mut counts = counts_of(&tally);
            counts.buckets = [0; 4];
            counts.service_key = f.service.clone();
            MonthUsage {
                month: month_key(month),
                number: month,
                counts,
            }
        })
        .collect()
}

pub(super) fn finish(mut c: UsageCounts) -> UsageCounts {
    c.rate_10 = ftop_domain::adoption::conversion_rate(c.at_10, c.with_seats);
    c.rate_40 = ftop_domain::adoption::conversion_rate(c.at_40, c.with_seats);
    c
}

/// The FROM and WHERE of the pairs of `src` that `f` keeps (rows `r`, tenant keys `k`,
/// services `c`), with the name of the figure's day column.
fn source(f: &ReportFilter, src: UsageSource, p: &mut Params) -> (String, &'static str) {
    source_of(f, src, p, true)
}

/// [`source`], joining the tenant keys and services only when a filter reads them
/// (`keys`: always), so that an unfiltered count reads the rows alone.
pub(super) fn source_of(
    f: &ReportFilter,
    src: UsageSource,
    p: &mut Params,
    keys: bool,
) -> (String, &'static str) {
    let (from, day, cond) = match src {
        UsageSource::Latest => (
            "adoption_rollups",
            "as_of",
            " AND r.as_of IS NOT NULL AND r.active_users IS NOT NULL".to_string(),
        ),
        UsageSource::Month(m) => (
            "usage_months",
            "day",
            format!(" AND r.month = {}", p.int(m)),
        ),
    };
    let mut sql = format!("FROM {from} r");
    if keys || f.has_tenant_filters() || f.has_service_filters() {
        sql.push_str(
            " JOIN adoption_tenants k ON k.tkey = r.tkey JOIN adoption_services c ON c.svc = r.svc",
        );
    }
    sql.push_str(&format!(" WHERE 1 = 1{cond}"));
    sql.push_str(&f.tenant_sql(p, "k.tenant_id"));
    sql.push_str(&f.service_sql(p, "k.tenant_id", "c.service"));
    (sql, day)
}

/// [`source`] narrowed to the pairs `pick` keeps.
fn picked(
    f: &ReportFilter,
    src: UsageSource,
    pick: UsagePick,
    p: &mut Params,
) -> (String, &'static str) {
    let (mut from, day) = source(f, src, p);
    match pick.bucket {
        Some(Some(x)) => {
            let b = bucket_sql("r.active_users", "r.qualified");
            from.push_str(&format!(" AND ({b}) = {}", p.text(x.key().to_string())));
        }
        Some(None) => from.push_str(" AND r.qualified <= 0"),
        None => {}
    }
    if let Some(m) = pick.at {
        from.push_str(&format!(
            " AND {}",
            reaches_sql("r.active_users", "r.qualified", m.percent())
        ));
    }
    (from, day)
}

impl ReportFilter {
    /// Whether the filter keeps every pair, or only a service's: the monthly totals then
    /// answer alone.
    pub(crate) fn only_service(&self) -> bool {
        self.scope.partner_id.is_none()
            && self.scope.assigned_to.is_none()
            && self.partner.is_none()
            && self.manager.is_none()
            && self.team.is_none()
            && self.status.is_none()
            && self.scenario.is_none()
            && self.service_status.is_none()
    }
}

impl Store {
    /// Usage by service (key order) and in total (last), from the latest figures or from
    /// a month's.
    pub async fn report_service_usage(
        &self,
        f: &ReportFilter,
        src: UsageSource,
    ) -> Result<(Vec<UsageCounts>, UsageCounts)> {
        let f = &f.pinned();
        self.memo(memo::key("report_service_usage", f, src), || {
            self.read_service_usage(f, src)
        })
        .await
    }

    async fn read_service_usage(
        &self,
        f: &ReportFilter,
        src: UsageSource,
    ) -> Result<(Vec<UsageCounts>, UsageCounts)> {
        let (t, names) = tokio::try_join!(self.usage_by_service(f, src), self.service_key_names())?;
        let mut by: Vec<UsageCounts> = t
            .by_service
            .iter()
            .filter_map(|(svc, tally)| {
                let mut c = counts_of(tally);
                c.service_key = Some(names.get(svc)?.clone());
                Some(c)
            })
            .collect();
        by.sort_by(|a, b| a.service_key.cmp(&b.service_key));
        Ok((by, counts_of(&t.total)))
    }

    /// Usage by month, oldest first: each pair's last figure of the month. Without a
    /// filter other than the service, read from the kept monthly totals (`tenants` is
    /// then the number of pairs of the service, or 0 for every service: the totals do not
    /// know which tenants hold several services).
    pub async fn report_usage_trend(&self, f: &ReportFilter) -> Result<Vec<MonthUsage>> {
        let f = &f.pinned();
        self.memo(memo::key("report_usage_trend", f, ()), || {
            self.read_usage_trend(f)
        })
        .await
    }

    async fn read_usage_trend(&self, f: &ReportFilter) -> Result<Vec<MonthUsage>> {
        let rows = if f.only_service() {
            let mut p = Params::new(self.backend());
            let cond = match &f.service {
                Some(s) => format!(
                    " AND t.svc IN (SELECT c.svc FROM adoption_services c WHERE c.service = {})",
                    p.text(s.clone())
                ),
                None => String::new(),
            };
            let tenants = if f.service.is_some() {
                "CAST(SUM(t.services) AS BIGINT)"
            } else {
                "CAST(0 AS BIGINT)"
            };
            let q = format!(
                "SELECT t.month, {tenants}, {} FROM usage_month_totals t
                 WHERE 1 = 1{cond} GROUP BY t.month ORDER BY t.month",
                kept_sums("t")
            );
            p.bind(sqlx::query(&q)).fetch_all(&self.pools.read).await?
        } else if let Some(t) = self.month_tallies(f).await? {
            return Ok(trend_of(f, t.by_month));
        } else if self.backend() == crate::Backend::Postgres && !f.has_service_filters() {
            // Some tenants' months: PostgreSQL's sums per tenant and month
            // (`adoption/report_sums.rs`), one row per tenant with figures that month.
            let mut p = Params::new(self.backend());
            let cond = f.tenant_sql(&mut p, "k.tenant_id");
            let q = format!(
                "SELECT t.month, CAST(COUNT(*) AS BIGINT), {} FROM usage_tenant_months t
                 JOIN adoption_tenants k ON k.tkey = t.tkey WHERE 1 = 1{cond}
                 GROUP BY t.month ORDER BY t.month",
                kept_sums("t")
            );
            p.bind(sqlx::query(&q)).fetch_all(&self.pools.read).await?
        } else {
            // Each tenant's sums of the month first, then the month's: its tenants are
            // its groups (a distinct count would sort every row).
            let sums = sum_columns();
            let inner: Vec<String> = sums
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c} AS s{i}"))
                .collect();
            let outer: Vec<String> = (0..sums.len())
                .map(|i| format!("CAST(SUM(x.s{i}) AS BIGINT)"))
                .collect();
            let mut p = Params::new(self.backend());
            let mut cond = f.tenant_sql(&mut p, "k.tenant_id");
            cond.push_str(&f.service_sql(&mut p, "k.tenant_id", "c.service"));
            let services = if f.has_service_filters() {
                " JOIN adoption_services c ON c.svc = r.svc"
            } else {
                ""
            };
            let q = format!(
                "SELECT x.month, CAST(COUNT(*) AS BIGINT), {} FROM (SELECT r.month AS month, {}
                    FROM usage_months r JOIN adoption_tenants k ON k.tkey = r.tkey{services}
                    WHERE 1 = 1{cond}
                    GROUP BY r.month, r.tkey) x
                 GROUP BY x.month ORDER BY x.month",
                outer.join(", "),
                inner.join(", ")
            );
            p.bind(sqlx::query(&q)).fetch_all(&self.pools.read).await?
        };
        let months = rows
            .iter()
            .map(|r| Ok((r.try_get(0)?, tally_at(r, 1)?)))
            .collect::<Result<_>>()?;
        Ok(trend_of(f, months))
    }

    /// Usage of the latest figures by engagement scenario (the order of
    /// `EngagementScenario::ALL`), with who each is credited to.
    pub async fn report_scenario_credit(&self, f: &ReportFilter) -> Result<Vec<ScenarioCredit>> {
        let f = &f.pinned();
        self.memo(memo::key("report_scenario_credit", f, ()), || {
            self.read_scenario_credit(f)
        })
        .await
    }

    async fn read_scenario_credit(&self, f: &ReportFilter) -> Result<Vec<ScenarioCredit>> {
        // Over every tenant, the kept totals less the pairs written with another
        // scenario (`credit_sums`); else, on SQLite, the scan.
        let scanned = if f.only_service() {
            None
        } else {
            self.usage_tallies(f, true).await?
        };
        let sums = match scanned {
            Some(t) => t.by_scenario,
            None => self.credit_sums(f).await?,
        };
        // In the order of `EngagementScenario::ALL` (the map's keys are its indexes).
        Ok(sums
            .iter()
            .filter_map(|(i, tally)| {
                let s = *EngagementScenario::ALL.get(*i)?;
                Some(ScenarioCredit {
                    scenario: s,
                    credited_to: credited_to(s),
                    counts: counts_of(tally),
                })
            })
            .collect())
    }

    /// The pairs behind a usage number in the order their table keeps them (by tenant key
    /// then service), so a page costs no sort of the whole set; `limit` from `offset`,
    /// with how many there are in all: told by `counted`, the counts of
    /// [`Store::report_service_usage`] for the same filter and source when the caller has
    /// them, else counted.
    pub async fn report_usage_rows(
        &self,
        f: &ReportFilter,
        src: UsageSource,
        pick: UsagePick,
        limit: i64,
        offset: i64,
        counted: Option<&UsageCounts>,
    ) -> Result<(Vec<UsageRow>, i64)> {
        let f = &f.pinned();
        self.memo_page(
            Page::of(limit, offset),
            || {
                memo::key(
                    "report_usage_rows",
                    f,
                    (src, pick, limit, offset, counted.map(|c| c.picked(pick))),
                )
            },
            || self.read_usage_rows(f, src, pick, limit, offset, counted),
        )
        .await
    }

    async fn read_usage_rows(
        &self,
        f: &ReportFilter,
        src: UsageSource,
        pick: UsagePick,
        limit: i64,
        offset: i64,
        counted: Option<&UsageCounts>,
    ) -> Result<(Vec<UsageRow>, i64)> {
        let total = match counted {
            Some(c) => c.picked(pick),
            None => {
                let mut p = Params::new(self.backend());
                let q = format!(
                    "SELECT CAST(COUNT(*) AS BIGINT) {}",
                    picked(f, src, pick, &mut p).0
                );
                p.bind(sqlx::query(&q))
                    .fetch_one(&self.pools.read)
                    .await?
                    .try_get(0)?
            }
        };
        let mut p = Params::new(self.backend());
        let (from, day) = picked(f, src, pick, &mut p);
        // Both tables' key order (tenant key, service), so a page costs no sort.
        let order = "r.tkey, r.svc";
        let q = format!(
            "SELECT k.tenant_id, (SELECT t.name FROM tenants t WHERE t.tenant_id = k.tenant_id),
                c.service, r.{day}, r.active_users, r.qualified
             {from} ORDER BY {order} LIMIT {} OFFSET {}",
            p.int(limit.max(0)),
            p.int(offset.max(0))
        );
        let rows = p.bind(sqlx::query(&q)).fetch_all(&self.pools.read).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let active: i64 = r.try_get(4)?;
            let qualified: i64 = r.try_get(5)?;
            let day: i64 = r.try_get(3)?;
            let needed = |m: i64| {
                if qualified > 0 {
                    users_to_reach(active, qualified, m)
                } else {
                    0
                }
            };
            let au = au_percent(active, qualified);
            out.push(UsageRow {
                tenant_id: r.try_get(0)?,
                tenant: r.try_get::<Option<String>, _>(1)?.unwrap_or_default(),
                service_key: r.try_get(2)?,
                as_of: date_col(day)?,
                active_users: active,
                qualified_entitlements: qualified,
                au_percent: au,
                capped_au_percent: au_percent(active.min(qualified), qualified),
                bucket: ftop_domain::adoption::bucket(active, qualified),
                needed_10: needed(Milestone::Ten.percent()),
                needed_40: needed(Milestone::Forty.percent()),
            });
        }
        Ok((out, total))
    }
}
