//! The work queue ("Needs me", issue 17): what is due or overdue on the active tenants a
//! user is assigned to (a partner: those of their own organisation). One read per kind,
//! each over the user's tenants only (a subquery on the assignments, never a list of IDs),
//! and the grid's tripwire read for AU drops. An item leaves the queue once what it asks
//! for is done: a newer note saved, the status updated, the task unblocked, the service's
//! status rows classified, the milestone reached or the forecast re-dated, AU recovered.

use crate::engagement::users::User;
use crate::{Result, Store};
use ftop_domain::UserRole;
use ftop_domain::adoption::{Day, date_of};
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
    pub async fn work_queue(
        &self,
        user: &User,
        today: Day,
        threshold_bp: i64,
    ) -> Result<Vec<QueueItem>> {
        let mut items = Vec::new();
        let today_text = day_text(today);
        let item =
            |kind, tenant_id: String, tenant_name: String, due: String, link: String| QueueItem {
                upcoming: due > today_text,
                kind,
                tenant_id,
                tenant_name,
                due,
                link,
                service: None,
                task_id: None,
                milestone: None,
                detail: None,
            };

        // Next actions: the latest saved note of each tenant, when it names one with a date
        // up to a week ahead.
        let rows = sqlx::query(sql!(
            self,
            format!(
                "SELECT t.tenant_id, t.name, n.next_action, n.next_action_date
                 FROM tenants t JOIN notes n ON n.tenant_id = t.tenant_id
                 WHERE {MINE} AND n.state = 'saved' AND n.next_action <> ''
                   AND n.next_action_date IS NOT NULL AND n.next_action_date <= $3
                   AND NOT EXISTS (SELECT 1 FROM notes m WHERE m.tenant_id = n.tenant_id
                       AND m.state = 'saved'
                       AND (m.created_at > n.created_at OR (m.created_at = n.created_at AND m.id > n.id)))"
            )
        ))
        .bind(user.id)
        .bind(org(user))
        .bind(day_text(today + UPCOMING_DAYS))
        .fetch_all(&self.pools.read)
        .await?;
        for r in rows {
            let id: String = r.try_get(0)?;
            let link = format!("/tenants/{id}?tab=status");
            let mut i = item(
                QueueKind::NextAction,
                id,
                r.try_get(1)?,
                r.try_get(3)?,
                link,
            );
            i.detail = Some(r.try_get(2)?);
            items.push(i);
        }

        // Forecast dates passed while the service is below that milestone.
        let rows = sqlx::query(sql!(
            self,
            format!(
                "SELECT t.tenant_id, t.name, f.service, f.target_10, f.target_40,
                    COALESCE(r.au_bp, 0) AS au_bp
                 FROM tenants t JOIN forecasts f ON f.tenant_id = t.tenant_id
                 LEFT JOIN adoption_tenants k ON k.tenant_id = f.tenant_id
                 LEFT JOIN adoption_services v ON v.service = f.service
                 LEFT JOIN adoption_rollups r ON r.tkey = k.tkey AND r.svc = v.svc
                 WHERE {MINE} AND ((f.target_10 IS NOT NULL AND f.target_10 < $3)
                    OR (f.target_40 IS NOT NULL AND f.target_40 < $3))"
            )
        ))
        .bind(user.id)
        .bind(org(user))
        .bind(i64::from(today))
        .fetch_all(&self.pools.read)
        .await?;
        for r in rows {
            let id: String = r.try_get(0)?;
            let service: String = r.try_get(2)?;
            let au: i64 = r.try_get(5)?;
            for (milestone, target) in [(10, r.try_get::<Option<i64>, _>(3)?), (40, r.try_get(4)?)]
            {
                let Some(target) = target else { continue };
                if target >= i64::from(today) || au >= milestone * 100 {
                    continue;
                }
                let Ok(target) = Day::try_from(target) else {
                    continue;
                };
                let link = format!("/tenants/{id}?tab=usage#service-{service}");
                let mut i = item(
                    QueueKind::ForecastMissed,
                    id.clone(),
                    r.try_get(1)?,
                    day_text(target),
                    link,
                );
                i.service = Some(service.clone());
                i.milestone = Some(milestone);
                items.push(i);
            }
        }

        // Overall status older than two weeks.
        let rows = sqlx::query(sql!(
            self,
            format!(
                "SELECT t.tenant_id, t.name, t.status_date FROM tenants t
                 WHERE {MINE} AND t.status_date IS NOT NULL AND t.status_date <> ''
                   AND t.status_date < $3"
            )
        ))
        .bind(user.id)
        .bind(org(user))
        .bind(day_text(today - STALE_STATUS_DAYS))
        .fetch_all(&self.pools.read)
        .await?;
        for r in rows {
            let id: String = r.try_get(0)?;
            let given: String = r.try_get(2)?;
            let due = ftop_domain::adoption::parse_day(given.as_bytes())
                .map_or(given.clone(), |d| day_text(d + STALE_STATUS_DAYS));
            let link = format!("/tenants/{id}?tab=status");
            items.push(item(QueueKind::StaleStatus, id, r.try_get(1)?, due, link));
        }

        // Blocked tasks (of the tenant's current playbook).
        let rows = sqlx::query(sql!(
            self,
            format!(
                "SELECT t.tenant_id, t.name, s.task_id, s.service, s.status, s.updated_at
                 FROM tenants t JOIN task_states s ON s.tenant_id = t.tenant_id
                 WHERE {MINE} AND s.archived_version IS NULL AND s.status LIKE 'blocked-%'"
            )
        ))
        .bind(user.id)
        .bind(org(user))
        .fetch_all(&self.pools.read)
        .await?;
        for r in rows {
            let id: String = r.try_get(0)?;
            let task: i64 = r.try_get(2)?;
            let service: String = r.try_get(3)?;
            let since: String = r.try_get(5)?;
            let mut link = format!("/tenants/{id}/tasks/{task}");
            if !service.is_empty() {
                link.push_str(&format!("?service={service}"));
            }
            let due = since.get(..10).unwrap_or(&today_text).to_string();
            let mut i = item(QueueKind::BlockedTask, id, r.try_get(1)?, due, link);
            i.task_id = Some(task);
            i.service = (!service.is_empty()).then_some(service);
            i.detail = Some(r.try_get(4)?);
            items.push(i);
        }

        // New subscriptions waiting to be classified.
        let rows = sqlx::query(sql!(
            self,
            format!(
                "SELECT DISTINCT t.tenant_id, t.name, e.service
                 FROM tenants t JOIN entitlement_status e ON e.tenant_id = t.tenant_id
                 WHERE {MINE} AND e.l1 = 'status-unknown' AND e.l2 = $3"
            )
        ))
        .bind(user.id)
        .bind(org(user))
        .bind(ftop_domain::taxonomy::NEW_SUBSCRIPTION_OR_WORKLOAD)
        .fetch_all(&self.pools.read)
        .await?;
        for r in rows {
            let id: String = r.try_get(0)?;
            let service: String = r.try_get(2)?;
            let link = format!("/tenants/{id}?tab=services#service-{service}");
            let mut i = item(
                QueueKind::NewSubscription,
                id,
                r.try_get(1)?,
                today_text.clone(),
                link,
            );
            i.service = Some(service);
            items.push(i);
        }

        // AU drops: the grid's tripwire, over the user's tenants with usage figures.
        let rows = sqlx::query(sql!(
            self,
            format!(
                "SELECT DISTINCT t.tenant_id, t.name FROM tenants t
                 JOIN adoption_tenants k ON k.tenant_id = t.tenant_id
                 JOIN adoption_rollups r ON r.tkey = k.tkey
                 WHERE {MINE} AND r.as_of > $3 AND r.au_bp IS NOT NULL"
            )
        ))
        .bind(user.id)
        .bind(org(user))
        .bind(i64::from(today - 30))
        .fetch_all(&self.pools.read)
        .await?;
        let mut names = std::collections::HashMap::new();
        for r in rows {
            names.insert(r.try_get::<String, _>(0)?, r.try_get::<String, _>(1)?);
        }
        let ids: Vec<String> = names.keys().cloned().collect();
        for chunk in ids.chunks(500) {
            for (id, d) in self.grid_details(chunk, today, threshold_bp).await? {
                if d.au_drop {
                    let link = format!("/tenants/{id}?tab=usage");
                    let name = names.get(&id).cloned().unwrap_or_default();
                    items.push(item(QueueKind::AuDrop, id, name, today_text.clone(), link));
                }
            }
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
