//! The work queue ("Needs me", issue 17): what is due or overdue on the active tenants a
//! user is assigned to (a partner: those of their own organisation). Two statements run
//! at once, the tenants' own items and their services': each reads the user's tenants
//! (from the assignments, never a list of IDs), then a branch per kind, each a look-up by
//! tenant (BENCHMARKS.md, B9); AU drops by the grid's tripwire rule (`significant_move`,
//! as `grid_details` applies it). An item leaves the queue once what it asks
//! for is done: a newer note saved, the status updated, the task unblocked, the service's
//! status rows classified, the milestone reached or the forecast re-dated, AU recovered.

use crate::db::Backend;
use crate::engagement::users::User;
use crate::{Result, Store};
use ftop_domain::UserRole;
use ftop_domain::adoption::{Day, date_of, significant_move};
use serde::Serialize;
use sqlx::Row;

/// How far ahead a next action counts as upcoming, in days.
pub const UPCOMING_DAYS: Day = 7;
/// How old the overall status may grow before it asks for an update, in days.
pub const STALE_STATUS_DAYS: Day = 14;

/// What an item of the queue asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QueueKind {
    /// The next action of the tenant's latest saved note is due (or due within a week).
    NextAction,
    /// A forecast date passed while the service is still below that milestone.
    ForecastMissed,
    /// The overall status was last given more than two weeks ago.
    StaleStatus,
    /// A task is blocked.
    BlockedTask,
    /// AU of a service fell significantly within the past 30 days.
    AuDrop,
    /// A new subscription waits to be classified in the service's status rows.
    NewSubscription,
}

impl QueueKind {
    /// Every kind, in the order the queue explains them.
    pub const ALL: [QueueKind; 6] = [
        QueueKind::NextAction,
        QueueKind::ForecastMissed,
        QueueKind::StaleStatus,
        QueueKind::BlockedTask,
        QueueKind::AuDrop,
        QueueKind::NewSubscription,
    ];

    /// The key (the API's `kind`).
    pub fn key(self) -> &'static str {
        match self {
            QueueKind::NextAction => "next-action",
            QueueKind::ForecastMissed => "forecast-missed",
            QueueKind::StaleStatus => "stale-status",
            QueueKind::BlockedTask => "blocked-task",
            QueueKind::AuDrop => "au-drop",
            QueueKind::NewSubscription => "new-subscription",
        }
    }
}

/// One item of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueItem {
    /// What it asks for.
    pub kind: QueueKind,
    /// The tenant.
    pub tenant_id: String,
    /// The tenant's name.
    pub tenant_name: String,
    /// When it is (or was) due, YYYY-MM-DD.
    pub due: String,
    /// Due after today (a next action within the coming week).
    pub upcoming: bool,
    /// Where it is resolved (a path of the portal).
    pub link: String,
    /// The service it concerns, if one.
    pub service: Option<String>,
    /// The task it concerns, if one.
    pub task_id: Option<i64>,
    /// The milestone (10 or 40) of a missed forecast.
    pub milestone: Option<i64>,
    /// What the note says is to be done, or the blocked task's status.
    pub detail: Option<String>,
}

/// A milestone a service of the user's tenants reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MilestoneReached {
    /// The tenant.
    pub tenant_id: String,
    /// The tenant's name.
    pub tenant_name: String,
    /// The service.
    pub service: String,
    /// 10 or 40.
    pub milestone: i64,
    /// The day it was reached, YYYY-MM-DD.
    pub reached: String,
}

/// The condition "t is one of the user's tenants" ($1 the user, $2 the partner
/// organisation or -1).
const MINE: &str = "t.active = 1
    AND t.tenant_id IN (SELECT a.tenant_id FROM assignments a WHERE a.user_id = $1)
    AND ($2 < 0 OR t.tenant_id IN (SELECT p.tenant_id FROM tenant_partners p WHERE p.partner_id = $2))";

/// The user's tenants, read once per statement ($1 the user, $2 the partner organisation
/// or -1): the CTE every statement of the queue starts from.
macro_rules! mine {
    () => {
        "mine AS MATERIALIZED (
        SELECT t.tenant_id, t.name, t.status_date, k.tkey FROM tenants t
        LEFT JOIN adoption_tenants k ON k.tenant_id = t.tenant_id
        WHERE t.tenant_id IN (SELECT a.tenant_id FROM assignments a WHERE a.user_id = $1)
          AND t.active = 1
          AND ($2 < 0 OR EXISTS (SELECT 1 FROM tenant_partners p
                                 WHERE p.tenant_id = t.tenant_id AND p.partner_id = $2))
    )"
    };
}

/// The user's rollups with their tenants (after [`mine!`]).
macro_rules! rolls {
    () => {
        "    rolls AS MATERIALIZED (
        SELECT m.tenant_id, m.name, r.tkey, r.svc, r.active_users, r.qualified, r.as_of,
            r.au_bp, r.target_10, r.target_40
        FROM adoption_rollups r CROSS JOIN mine m
        WHERE m.tkey = r.tkey AND r.tkey IN (SELECT i.tkey FROM mine i)
    )"
    };
}

/// The non-empty next action of each tenant's latest saved note, due by $3 (after
/// [`mine!`]). SQLite: the latest note's ID per tenant, then those notes by key.
macro_rules! next_action_sqlite {
    () => {
        "    latest AS MATERIALIZED (
        SELECT (SELECT y.id FROM notes y WHERE y.tenant_id = m.tenant_id AND y.state = 'saved'
                ORDER BY y.created_at DESC, y.id DESC LIMIT 1) AS id
        FROM mine m
    )
    SELECT CAST(0 AS BIGINT) AS kind, m.tenant_id, m.name, x.next_action_date AS day,
        x.next_action AS detail, CAST(NULL AS TEXT) AS service, CAST(NULL AS BIGINT) AS task,
        CAST(NULL AS BIGINT) AS n1, CAST(NULL AS BIGINT) AS n2, CAST(NULL AS BIGINT) AS n3,
        CAST(NULL AS BIGINT) AS n4
    FROM notes x CROSS JOIN mine m
    WHERE x.id IN (SELECT l.id FROM latest l) AND m.tenant_id = x.tenant_id
      AND x.next_action <> '' AND x.next_action_date IS NOT NULL AND x.next_action_date <= $3"
    };
}

/// As [`next_action_sqlite!`], one index search per tenant (PostgreSQL's `LATERAL`).
macro_rules! next_action_postgres {
    () => {
        "    SELECT CAST(0 AS BIGINT) AS kind, m.tenant_id, m.name, x.next_action_date AS day,
        x.next_action AS detail, CAST(NULL AS TEXT) AS service, CAST(NULL AS BIGINT) AS task,
        CAST(NULL AS BIGINT) AS n1, CAST(NULL AS BIGINT) AS n2, CAST(NULL AS BIGINT) AS n3,
        CAST(NULL AS BIGINT) AS n4
    FROM mine m CROSS JOIN LATERAL (SELECT y.next_action, y.next_action_date FROM notes y
        WHERE y.tenant_id = m.tenant_id AND y.state = 'saved'
        ORDER BY y.created_at DESC, y.id DESC LIMIT 1) x
    WHERE x.next_action <> '' AND x.next_action_date IS NOT NULL AND x.next_action_date <= $3"
    };
}

/// The other tenant-level branches (after the next actions).
macro_rules! tenant_items {
    () => {
        "    UNION ALL
    SELECT CAST(2 AS BIGINT), m.tenant_id, m.name, m.status_date, CAST(NULL AS TEXT), CAST(NULL AS TEXT),
        CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT),
        CAST(NULL AS BIGINT)
    FROM mine m WHERE m.status_date IS NOT NULL AND m.status_date <> '' AND m.status_date < $4
    UNION ALL
    SELECT CAST(3 AS BIGINT), m.tenant_id, m.name, s.updated_at, s.status, s.service, s.task_id,
        CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT)
    FROM task_states s CROSS JOIN mine m
    WHERE m.tenant_id = s.tenant_id AND s.tenant_id IN (SELECT i.tenant_id FROM mine i) AND s.archived_version IS NULL AND s.status LIKE 'blocked-%'
    UNION ALL
    SELECT DISTINCT CAST(5 AS BIGINT), m.tenant_id, m.name, CAST(NULL AS TEXT), CAST(NULL AS TEXT),
        e.service, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT),
        CAST(NULL AS BIGINT), CAST(NULL AS BIGINT)
    FROM entitlement_status e CROSS JOIN mine m
    WHERE m.tenant_id = e.tenant_id AND e.tenant_id IN (SELECT i.tenant_id FROM mine i) AND e.l1 = 'status-unknown' AND e.l2 = $5"
    };
}

/// The service items, after [`rolls!`]: forecast dates passed ($3 today) and the AU
/// figures of the user's services whose AU fell since the cut ($4; the figure is the last
/// of the 30 days before it, after $5). SQLite: the day of that figure per service
/// (`recent`), then those figures by key.
macro_rules! service_items_sqlite {
    () => {
        "    recent AS MATERIALIZED (
        SELECT d.tenant_id, d.name, d.tkey, d.svc, d.active_users, d.qualified,
            (SELECT MAX(g.day) FROM usage_figures g
             WHERE g.tkey = d.tkey AND g.svc = d.svc AND g.day <= $4 AND g.day > $5) AS then_day
        FROM rolls d WHERE d.as_of > $4 AND d.au_bp IS NOT NULL
    )
    SELECT CAST(1 AS BIGINT), d.tenant_id, d.name, CAST(NULL AS TEXT), CAST(NULL AS TEXT), v.service,
        CAST(NULL AS BIGINT), d.target_10, d.target_40,
        CAST(COALESCE(d.active_users, 0) AS BIGINT), CAST(COALESCE(d.qualified, 0) AS BIGINT)
    FROM rolls d JOIN adoption_services v ON v.svc = d.svc
    WHERE (d.target_10 IS NOT NULL AND d.target_10 < $3) OR (d.target_40 IS NOT NULL AND d.target_40 < $3)
    UNION ALL
    SELECT CAST(4 AS BIGINT), d.tenant_id, d.name, CAST(NULL AS TEXT), CAST(NULL AS TEXT),
        CAST(NULL AS TEXT), CAST(NULL AS BIGINT), d.active_users, d.qualified,
        CAST(f.active_users AS BIGINT), CAST(f.qualified AS BIGINT)
    FROM usage_figures f CROSS JOIN recent d
    WHERE (f.tkey, f.svc, f.day) IN (SELECT e.tkey, e.svc, e.then_day FROM recent e)
      AND d.tkey = f.tkey AND d.svc = f.svc
      AND f.active_users * d.qualified > COALESCE(d.active_users, 0) * f.qualified"
    };
}

/// As [`service_items_sqlite!`], the figure one index search per service (PostgreSQL's
/// `LATERAL`).
macro_rules! service_items_postgres {
    () => {
        "    SELECT CAST(1 AS BIGINT), d.tenant_id, d.name, CAST(NULL AS TEXT), CAST(NULL AS TEXT), v.service,
        CAST(NULL AS BIGINT), d.target_10, d.target_40,
        CAST(COALESCE(d.active_users, 0) AS BIGINT), CAST(COALESCE(d.qualified, 0) AS BIGINT)
    FROM rolls d JOIN adoption_services v ON v.svc = d.svc
    WHERE (d.target_10 IS NOT NULL AND d.target_10 < $3) OR (d.target_40 IS NOT NULL AND d.target_40 < $3)
    UNION ALL
    SELECT CAST(4 AS BIGINT), d.tenant_id, d.name, CAST(NULL AS TEXT), CAST(NULL AS TEXT),
        CAST(NULL AS TEXT), CAST(NULL AS BIGINT), d.active_users, d.qualified,
        CAST(g.active_users AS BIGINT), CAST(g.qualified AS BIGINT)
    FROM rolls d CROSS JOIN LATERAL (SELECT u.active_users, u.qualified FROM usage_figures u
        WHERE u.tkey = d.tkey AND u.svc = d.svc AND u.day <= $4 AND u.day > $5
        ORDER BY u.day DESC LIMIT 1) g
    WHERE d.as_of > $4 AND d.au_bp IS NOT NULL
      AND g.active_users * d.qualified > COALESCE(d.active_users, 0) * g.qualified"
    };
}

/// The work queue's items of the tenants themselves: the user's tenants (`mine`, read once
/// per statement), then a branch per kind, each driven by those tenants. Columns: kind (0
/// next action, 1 forecast, 2 stale status, 3 blocked task, 4 AU figures, 5 new
/// subscription), tenant, name, a date (text), a detail, the service, the task, then
/// numbers: the forecast's targets and AU (7-9), or AU now and then (active users and
/// seats: 7-8 and 9-10). Kinds 0, 2, 3 and 5 here, 1 and 4 in [`QUEUE_SERVICES_SQLITE`].
///
/// $1 the user, $2 the partner organisation or -1; here $3 the last day a next action
/// counts, $4 the last day a status is current, $5 the status row of a new subscription.
///
/// Each branch that reads a table of many rows per tenant is written `FROM big CROSS JOIN
/// mine WHERE big.key IN (SELECT .. FROM mine) AND ..` (BENCHMARKS.md, B9): the big table
/// is searched by the IN list of the user's keys, then `mine` looked up by key. Joined the
/// other way round (`mine JOIN big`) SQLite built a Bloom filter by reading the whole big
/// table on every call and PostgreSQL hashed a sequential scan of it; the IN list makes
/// both search the big table's index for the user's 2,000 tenants only. On SQLite
/// `latest` (the latest saved note's ID per tenant) is read once the same way.
///
/// The next action per engine: SQLite has no `LATERAL`, PostgreSQL searches its index
/// once per tenant with it.
const QUEUE_TENANTS_SQLITE: &str = concat!(
    "WITH ",
    mine!(),
    ",\n",
    next_action_sqlite!(),
    "\n",
    tenant_items!()
);
/// [`QUEUE_TENANTS_SQLITE`] for PostgreSQL.
const QUEUE_TENANTS_POSTGRES: &str = concat!(
    "WITH ",
    mine!(),
    "\n",
    next_action_postgres!(),
    "\n",
    tenant_items!()
);

/// The items of the user's services (kinds 1 and 4: forecasts missed, AU figures), in the
/// columns of [`QUEUE_TENANTS_SQLITE`]. A statement of its own so that both run at once, each on
/// its own read connection (BENCHMARKS.md, B9). $1 and $2 as there, $3 today, $4 the
/// tripwire's cut (30 days ago), $5 the cut's 30 days before. An AU figure is read only
/// when AU fell at all since the cut (then above now); how much is the tripwire's rule, in
/// `work_queue`.
const QUEUE_SERVICES_SQLITE: &str = concat!(
    "WITH ",
    mine!(),
    ",\n",
    rolls!(),
    ",\n",
    service_items_sqlite!()
);
/// [`QUEUE_SERVICES_SQLITE`] for PostgreSQL.
const QUEUE_SERVICES_POSTGRES: &str = concat!(
    "WITH ",
    mine!(),
    ",\n",
    rolls!(),
    "\n",
    service_items_postgres!()
);

fn day_text(d: Day) -> String {
    date_of(d).map(|d| d.to_string()).unwrap_or_default()
}

fn org(user: &User) -> i64 {
    match user.role {
        UserRole::Partner => user.partner_id.unwrap_or(0),
        _ => -1,
    }
}

impl Store {
    /// The user's work queue as of `today`: everything due up to `today` plus the next
    /// actions of the coming week, soonest first. `threshold_bp` is the grid's tripwire
    /// threshold (AU drops).
    ///
    /// Two statements at once ([`QUEUE_TENANTS_SQLITE`], [`QUEUE_SERVICES_SQLITE`] or
    /// their PostgreSQL forms), each on its own
    /// read connection: the user's tenants, then one branch per kind, each searching its
    /// table's key or index by the IN list of those tenants.
    pub async fn work_queue(
        &self,
        user: &User,
        today: Day,
        threshold_bp: i64,
    ) -> Result<Vec<QueueItem>> {
        let today_text = day_text(today);
        let item = |kind, tenant_id: String, tenant_name: String, due: String| QueueItem {
            upcoming: due > today_text,
            kind,
            tenant_id,
            tenant_name,
            due,
            link: String::new(),
            service: None,
            task_id: None,
            milestone: None,
            detail: None,
        };
        let cut = today - 30;
        let (user_id, org) = (user.id, org(user));
        let (tenants_sql, services_sql) = match self.backend() {
            Backend::Sqlite => (
                sql!(self, QUEUE_TENANTS_SQLITE),
                sql!(self, QUEUE_SERVICES_SQLITE),
            ),
            Backend::Postgres => (QUEUE_TENANTS_POSTGRES, QUEUE_SERVICES_POSTGRES),
        };
        let tenants = sqlx::query(tenants_sql)
            .bind(user_id)
            .bind(org)
            .bind(day_text(today + UPCOMING_DAYS))
            .bind(day_text(today - STALE_STATUS_DAYS))
            .bind(ftop_domain::taxonomy::NEW_SUBSCRIPTION_OR_WORKLOAD)
            .fetch_all(&self.pools.read);
        let services = sqlx::query(services_sql)
            .bind(user_id)
            .bind(org)
            .bind(i64::from(today))
            .bind(i64::from(cut))
            .bind(i64::from(cut - 30))
            .fetch_all(&self.pools.read);
        let (mut rows, more) = tokio::try_join!(tenants, services)?;
        rows.extend(more);
        let mut items = Vec::new();
        let mut dropped = std::collections::BTreeMap::new();
        for r in rows {
            let id: String = r.try_get(1)?;
            let name: String = r.try_get(2)?;
            let text: Option<String> = r.try_get(3)?;
            let detail: Option<String> = r.try_get(4)?;
            let service: Option<String> = r.try_get(5)?;
            let int = |i: usize| r.try_get::<Option<i64>, _>(i);
            match r.try_get::<i64, _>(0)? {
                // A next action: its date and what is to be done.
                0 => {
                    let mut i = item(QueueKind::NextAction, id, name, text.unwrap_or_default());
                    i.link = format!("/tenants/{}?tab=status", i.tenant_id);
                    i.detail = detail;
                    items.push(i);
                }
                // Forecast dates passed while the service is below that milestone.
                1 => {
                    let service = service.unwrap_or_default();
                    // Reached by the exact rule (as the buckets and milestones), not
                    // by the rounded AU.
                    let (active, seats) = (int(9)?.unwrap_or(0), int(10)?.unwrap_or(0));
                    for (milestone, target) in [(10, int(7)?), (40, int(8)?)] {
                        let Some(target) = target else { continue };
                        if target >= i64::from(today)
                            || ftop_domain::adoption::reaches(active, seats, milestone)
                        {
                            continue;
                        }
                        let Ok(target) = Day::try_from(target) else {
                            continue;
                        };
                        let mut i = item(
                            QueueKind::ForecastMissed,
                            id.clone(),
                            name.clone(),
                            day_text(target),
                        );
                        i.link = format!("/tenants/{id}?tab=usage#service-{service}");
                        i.service = Some(service.clone());
                        i.milestone = Some(milestone);
                        items.push(i);
                    }
                }
                // The overall status older than two weeks: due two weeks after it was given.
                2 => {
                    let given = text.unwrap_or_default();
                    let due = ftop_domain::adoption::parse_day(given.as_bytes())
                        .map_or(given.clone(), |d| day_text(d + STALE_STATUS_DAYS));
                    let mut i = item(QueueKind::StaleStatus, id, name, due);
                    i.link = format!("/tenants/{}?tab=status", i.tenant_id);
                    items.push(i);
                }
                // A blocked task, due since it was blocked.
                3 => {
                    let since = text.unwrap_or_default();
                    let due = since.get(..10).unwrap_or(&today_text).to_string();
                    let task = int(6)?.unwrap_or_default();
                    let service = service.unwrap_or_default();
                    let mut i = item(QueueKind::BlockedTask, id, name, due);
                    i.link = format!("/tenants/{}/tasks/{task}", i.tenant_id);
                    if !service.is_empty() {
                        i.link.push_str(&format!("?service={service}"));
                    }
                    i.task_id = Some(task);
                    i.service = (!service.is_empty()).then_some(service);
                    i.detail = detail;
                    items.push(i);
                }
                // A service whose AU fell: the grid's tripwire (`grid_details`), AU then
                // (the last figure of the 30 days before the cut) against AU now.
                4 => {
                    let (Some(ta), Some(tq)) = (int(9)?, int(10)?) else {
                        continue;
                    };
                    let now = (int(7)?.unwrap_or(0), int(8)?.unwrap_or(0));
                    if significant_move((ta, tq), now, threshold_bp) == Some(false) {
                        dropped.insert(id, name);
                    }
                }
                // A new subscription waiting to be classified.
                _ => {
                    let service = service.unwrap_or_default();
                    let mut i = item(QueueKind::NewSubscription, id, name, today_text.clone());
                    i.link = format!("/tenants/{}?tab=services#service-{service}", i.tenant_id);
                    i.service = Some(service);
                    items.push(i);
                }
            }
        }
        for (id, name) in dropped {
            let mut i = item(QueueKind::AuDrop, id, name, today_text.clone());
            i.link = format!("/tenants/{}?tab=usage", i.tenant_id);
            items.push(i);
        }
        items.sort_by(|a, b| {
            (&a.due, a.kind, &a.tenant_name, &a.service, a.task_id).cmp(&(
                &b.due,
                b.kind,
                &b.tenant_name,
                &b.service,
                b.task_id,
            ))
        });
        Ok(items)
    }

    /// The milestones (10% and 40% AU) that services of the user's tenants reached from
    /// `from` to `to`, both included, by day.
    pub async fn milestones_reached(
        &self,
        user: &User,
        from: Day,
        to: Day,
    ) -> Result<Vec<MilestoneReached>> {
        let rows = sqlx::query(sql!(
            self,
            format!(
                "SELECT t.tenant_id, t.name, v.service, r.milestone_10, r.milestone_40
                 FROM tenants t JOIN adoption_tenants k ON k.tenant_id = t.tenant_id
                 JOIN adoption_rollups r ON r.tkey = k.tkey
                 JOIN adoption_services v ON v.svc = r.svc
                 WHERE {MINE} AND ((r.milestone_10 >= $3 AND r.milestone_10 <= $4)
                    OR (r.milestone_40 >= $3 AND r.milestone_40 <= $4))"
            )
        ))
        .bind(user.id)
        .bind(org(user))
        .bind(i64::from(from))
        .bind(i64::from(to))
        .fetch_all(&self.pools.read)
        .await?;
        let mut out = Vec::new();
        for r in rows {
            for (milestone, day) in [(10, r.try_get::<Option<i64>, _>(3)?), (40, r.try_get(4)?)] {
                let Some(day) = day.and_then(|d| Day::try_from(d).ok()) else {
                    continue;
                };
                if day < from || day > to {
                    continue;
                }
                out.push(MilestoneReached {
                    tenant_id: r.try_get(0)?,
                    tenant_name: r.try_get(1)?,
                    service: r.try_get(2)?,
                    milestone,
                    reached: day_text(day),
                });
            }
        }
        out.sort_by(|a, b| {
            (&a.reached, &a.tenant_name, &a.service, a.milestone).cmp(&(
                &b.reached,
                &b.tenant_name,
                &b.service,
                b.milestone,
            ))
        });
        Ok(out)
    }
}
