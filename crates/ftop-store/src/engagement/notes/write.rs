//! Writing notes: checked, saved at once or kept as a private draft (at most ten per
//! author), drafts changed and saved or deleted; a note enters the audit log when saved.

use super::{MAX_DRAFTS, Note, NoteDraft};
use crate::audit::Change;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::catalogue::service as find_service;
use ftop_domain::{Errors, FieldError, Invalid, NoteCategory, limits};
use serde_json::json;
use sqlx::Row;

struct CheckedNote {
    tenant: String,
    category: NoteCategory,
    services: String,
    date: Option<String>,
}

impl Store {
    async fn check_note(&self, d: &NoteDraft, saving: bool) -> Result<CheckedNote> {
        let t = self.tenant(&d.tenant_id).await?;
        let mut e = Errors::default();
        let category = d.category.unwrap_or(NoteCategory::EngagementManagement);
        if saving && d.body.trim().is_empty() {
            e.push(FieldError::of("body", "invalid-note-body-empty"));
        }
        limits::check(&mut e, "body", &d.body, limits::NOTE_TEXT);
        limits::check(&mut e, "next_action", &d.next_action, limits::NEXT_ACTION);
        limits::check(
            &mut e,
            "next_action_owner",
            &d.next_action_owner,
            limits::CONTACT_FIELD,
        );
        limits::check_count(
            &mut e,
            "services",
            d.services.len() as u64,
            limits::LIST_ITEMS,
        );
        let mut services = Vec::new();
        for (i, s) in d.services.iter().enumerate() {
            match find_service(s) {
                Some(x) if t.services.iter().any(|l| l.service == x.key) => services.push(x.key),
                _ => e.push(
                    FieldError::of(format!("services[{i}]"), "invalid-service-not-of-tenant")
                        .quoting("value", s),
                ),
            }
        }
        if let Some(task) = d.task_id
            && self
                .playbook()
                .ok()
                .and_then(|(_, _, tpl)| tpl.task(task).map(|_| ()))
                .is_none()
        {
            e.push(
                FieldError::of("task_id", "invalid-task-unknown").with("value", task.to_string()),
            );
        }
        let date = match d.next_action_date.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => match crate::parse_date("next_action_date", s) {
                Ok(d) => Some(crate::fmt_date(d)),
                Err(x) => {
                    e.extend("", x);
                    None
                }
            },
            _ => None,
        };
        e.finish()?;
        Ok(CheckedNote {
            tenant: t.tenant_id,
            category,
            services: services.join(","),
            date,
        })
    }

    /// A note becomes part of the record when it is saved: that is what the log keeps.
    async fn audit_saved_note(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        actor: &Actor,
        c: &CheckedNote,
        id: i64,
        d: &NoteDraft,
    ) -> Result<()> {
        self.audit(
            tx,
            actor,
            Change {
                tenant: Some(&c.tenant),
                entity: "note",
                key: id.to_string(),
                action: "create",
                before: None,
                after: Some(
                    json!({"category": c.category.key(), "body": d.body, "escalated": d.escalated}),
                ),
            },
        )
        .await
    }

    /// Writes a note: saved at once (`save`), or kept as a private draft. An author keeps at
    /// most ten drafts.
    pub async fn add_note(&self, actor: &Actor, d: &NoteDraft, save: bool) -> Result<Note> {
        let author = actor
            .user_id
            .ok_or_else(|| StoreError::Refused("notes are written by signed-in users".into()))?;
        let c = self.check_note(d, save).await?;
        let mut tx = self.pools.write.begin().await?;
        if !save {
            let drafts: i64 = sqlx::query(sql!(
                self,
                "SELECT COUNT(*) FROM notes WHERE author_id = $1 AND state = 'draft'"
            ))
            .bind(author)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
            if drafts >= MAX_DRAFTS {
                return Err(Invalid::from(
                    FieldError::of("state", "invalid-drafts-full").with("max", MAX_DRAFTS),
                )
                .into());
            }
        }
        let now = crate::now();
        let r = sqlx::query(sql!(self,
            "INSERT INTO notes (tenant_id, author_id, category, state, body, services, task_id, escalated,
                next_action, next_action_date, next_action_owner, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
        ))
        .bind(&c.tenant)
        .bind(author)
        .bind(c.category.key())
        .bind(if save { "saved" } else { "draft" })
        .bind(&d.body)
        .bind(&c.services)
        .bind(d.task_id.map(i64::from))
        .bind(i64::from(d.escalated))
        .bind(d.next_action.trim())
        .bind(&c.date)
        .bind(d.next_action_owner.trim())
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = r.try_get(0)?;
        if save {
            self.audit_saved_note(&mut tx, actor, &c, id, d).await?;
        }
        tx.commit().await?;
        self.note(id).await
    }

    /// Changes a draft (read at `version`), and saves it when `save` is set. Saved notes
    /// cannot change, and only the author sees or edits a draft.
    pub async fn update_draft(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        d: &NoteDraft,
        save: bool,
    ) -> Result<Note> {
        let before = self.note(id).await?;
        if Some(before.author_id) != actor.user_id {
            return Err(StoreError::NotFound(format!("note {id}")));
        }
        if before.state == "saved" {
            return Err(StoreError::Refused(format!(
                "note {id} is saved; saved notes cannot change"
            )));
        }
        let c = self.check_note(d, save).await?;
        let mut tx = self.pools.write.begin().await?;
        let done =
            sqlx::query(sql!(self,
            "UPDATE notes SET tenant_id = $1, category = $2, state = $3, body = $4, services = $5,
                task_id = $6, escalated = $7, next_action = $8, next_action_date = $9,
                next_action_owner = $10, version = version + 1, updated_at = $11
             WHERE id = $12 AND version = $13 AND state = 'draft'",
        ))
            .bind(&c.tenant)
            .bind(c.category.key())
            .bind(if save { "saved" } else { "draft" })
            .bind(&d.body)
            .bind(&c.services)
            .bind(d.task_id.map(i64::from))
            .bind(i64::from(d.escalated))
            .bind(d.next_action.trim())
            .bind(&c.date)
            .bind(d.next_action_owner.trim())
            .bind(crate::now())
            .bind(id)
            .bind(version)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "draft {id} changed since version {version}; reload and try again"
            )));
        }
        if save {
            self.audit_saved_note(&mut tx, actor, &c, id, d).await?;
        }
        tx.commit().await?;
        self.note(id).await
    }

    /// Deletes one of the caller's drafts. Saved notes cannot be deleted.
    pub async fn delete_draft(&self, actor: &Actor, id: i64) -> Result<()> {
        let n = self.note(id).await?;
        if Some(n.author_id) != actor.user_id {
            return Err(StoreError::NotFound(format!("note {id}")));
        }
        if n.state == "saved" {
            return Err(StoreError::Refused(format!(
                "note {id} is saved; saved notes cannot be deleted"
            )));
        }
        sqlx::query(sql!(
            self,
            "DELETE FROM notes WHERE id = $1 AND state = 'draft'"
        ))
        .bind(id)
        .execute(&self.pools.write)
        .await?;
        Ok(())
    }
}
