//! Time entries: at least one minute, attached to a task of a tenant; their authors
//! correct (minutes, day, note) or delete their own, audited.

use crate::audit::Change;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::{Errors, FieldError, limits};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

/// A time entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeEntry {
    /// ID.
    pub id: i64,
    /// Task ID.
    pub task_id: u32,
    /// Service key or "".
    pub service: String,
    /// Who.
    pub user: String,
    /// Minutes (at least one).
    pub minutes: i64,
    /// Day worked (YYYY-MM-DD).
    pub work_date: String,
    /// Note.
    pub note: String,
    /// Recorded (UTC).
    pub created_at: String,
}

/// Checks a time entry (the minutes, the task applying to the tenant, a work date not in
/// the future, the note's length); returns the work date as stored.
fn check_entry(
    e: &mut Errors,
    task_id: u32,
    applies: bool,
    minutes: i64,
    work_date: &str,
    note: &str,
) -> Option<String> {
    if minutes < 1 {
        e.push(FieldError::of("minutes", "invalid-minutes-none"));
    }
    if minutes > 24 * 60 {
        e.push(FieldError::of("minutes", "invalid-minutes-day"));
    }
    if !applies {
        e.push(
            FieldError::of("task_id", "invalid-task-not-for-tenant")
                .with("task", task_id.to_string()),
        );
    }
    let date = match crate::parse_date("work_date", work_date) {
        Ok(d) if d <= crate::today() => Some(crate::fmt_date(d)),
        Ok(_) => {
            e.push(FieldError::of("work_date", "invalid-time-future"));
            None
        }
        Err(x) => {
            e.extend("", x);
            None
        }
    };
    limits::check(e, "note", note, limits::SHORT_NOTE);
    date
}

impl Store {
    /// Records time on a task of the tenant: at least one minute.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_time(
        &self,
        actor: &Actor,
        tenant_id: &str,
        task_id: u32,
        service: &str,
        minutes: i64,
        work_date: &str,
        note: &str,
    ) -> Result<TimeEntry> {
        let user = actor
            .user_id
            .ok_or_else(|| StoreError::Refused("time is entered by signed-in users".into()))?;
        let t = self.tenant(tenant_id).await?;
        let applies = self
            .tenant_tasks(&t.tenant_id)
            .await?
            .iter()
            .any(|v| v.task_id == task_id && v.service == service);
        let mut e = Errors::default();
        let date = check_entry(&mut e, task_id, applies, minutes, work_date, note);
        e.finish()?;
        let mut tx = self.pools.write.begin().await?;
        let r = sqlx::query(sql!(self,
            "INSERT INTO time_entries (tenant_id, task_id, service, user_id, minutes, work_date, note, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        ))
        .bind(&t.tenant_id)
        .bind(i64::from(task_id))
        .bind(service)
        .bind(user)
        .bind(minutes)
        .bind(&date)
        .bind(note.trim())
        .bind(crate::now())
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = r.try_get(0)?;
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: Some(&t.tenant_id),
                entity: "time",
                key: id.to_string(),
                action: "create",
                before: None,
                after: Some(json!({"task_id": task_id, "service": service, "minutes": minutes, "work_date": date})),
            },
        )
        .await?;
        tx.commit().await?;
        self.time_entries(&t.tenant_id)
            .await?
            .into_iter()
            .find(|x| x.id == id)
            .ok_or_else(|| StoreError::NotFound(format!("time entry {id}")))
    }

    /// The entry `id` of the tenant if `actor` recorded it (else not found: nobody
    /// changes another's time).
    pub async fn own_time_entry(
        &self,
        actor: &Actor,
        tenant_id: &str,
        id: i64,
    ) -> Result<TimeEntry> {
        let user = actor
            .user_id
            .ok_or_else(|| StoreError::NotFound(format!("time entry {id}")))?;
        let r = sqlx::query(sql!(
            self,
            format!("{ENTRY_COLS} WHERE e.id = $1 AND e.tenant_id = $2 AND e.user_id = $3")
        ))
        .bind(id)
        .bind(tenant_id.to_ascii_lowercase())
        .bind(user)
        .fetch_optional(&self.pools.read)
        .await?;
        r.as_ref()
            .map(entry_of)
            .transpose()?
            .ok_or_else(|| StoreError::NotFound(format!("time entry {id}")))
    }

    /// Corrects one's own time entry: its minutes, day and note, checked as when recorded
    /// (audited with the values before).
    pub async fn change_own_time(
        &self,
        actor: &Actor,
        tenant_id: &str,
        id: i64,
        minutes: i64,
        work_date: &str,
        note: &str,
    ) -> Result<TimeEntry> {
        let t = self.tenant(tenant_id).await?;
        let before = self.own_time_entry(actor, &t.tenant_id, id).await?;
        let mut e = Errors::default();
        let date = check_entry(&mut e, before.task_id, true, minutes, work_date, note);
        e.finish()?;
        let mut tx = self.pools.write.begin().await?;
        let done = sqlx::query(sql!(
            self,
            "UPDATE time_entries SET minutes = $1, work_date = $2, note = $3
             WHERE id = $4 AND tenant_id = $5 AND user_id = $6"
        ))
        .bind(minutes)
        .bind(&date)
        .bind(note.trim())
        .bind(id)
        .bind(&t.tenant_id)
        .bind(actor.user_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::NotFound(format!("time entry {id}")));
        }
        let view = |m: i64, d: &str, n: &str| json!({"minutes": m, "work_date": d, "note": n});
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: Some(&t.tenant_id),
                entity: "time",
                key: id.to_string(),
                action: "update",
                before: Some(view(before.minutes, &before.work_date, &before.note)),
                after: Some(view(
                    minutes,
                    date.as_deref().unwrap_or_default(),
                    note.trim(),
                )),
            },
        )
        .await?;
        tx.commit().await?;
        self.own_time_entry(actor, &t.tenant_id, id).await
    }

    /// Deletes one's own time entry (audited with what it was).
    pub async fn delete_own_time(&self, actor: &Actor, tenant_id: &str, id: i64) -> Result<()> {
        let t = self.tenant(tenant_id).await?;
        let before = self.own_time_entry(actor, &t.tenant_id, id).await?;
        let mut tx = self.pools.write.begin().await?;
        let done = sqlx::query(sql!(
            self,
            "DELETE FROM time_entries WHERE id = $1 AND tenant_id = $2 AND user_id = $3"
        ))
        .bind(id)
        .bind(&t.tenant_id)
        .bind(actor.user_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::NotFound(format!("time entry {id}")));
        }
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: Some(&t.tenant_id),
                entity: "time",
                key: id.to_string(),
                action: "delete",
                before: Some(json!({"task_id": before.task_id, "service": before.service,
                    "minutes": before.minutes, "work_date": before.work_date, "note": before.note})),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A tenant's time entries, newest first.
    pub async fn time_entries(&self, tenant_id: &str) -> Result<Vec<TimeEntry>> {
        let rows = sqlx::query(sql!(
            self,
            format!("{ENTRY_COLS} WHERE e.tenant_id = $1 ORDER BY e.work_date DESC, e.id DESC")
        ))
        .bind(tenant_id)
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter().map(entry_of).collect()
    }
}

/// The columns of a [`TimeEntry`] (by position, for [`entry_of`]).
const ENTRY_COLS: &str =
    "SELECT e.id, e.task_id, e.service, u.name, e.minutes, e.work_date, e.note, e.created_at
     FROM time_entries e JOIN users u ON u.id = e.user_id";

fn entry_of(r: &sqlx::any::AnyRow) -> Result<TimeEntry> {
    Ok(TimeEntry {
        id: r.try_get(0)?,
        task_id: u32::try_from(r.try_get::<i64, _>(1)?).unwrap_or(0),
        service: r.try_get(2)?,
        user: r.try_get(3)?,
        minutes: r.try_get(4)?,
        work_date: r.try_get(5)?,
        note: r.try_get(6)?,
        created_at: r.try_get(7)?,
    })
}
