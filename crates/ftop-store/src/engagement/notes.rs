//! Notes: private drafts (at most ten per author) and saved notes, which are immutable.

use crate::audit::Change;
use crate::sqlite::local::Cols;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::catalogue::service as find_service;
use ftop_domain::{Errors, FieldError, Invalid, NoteCategory, limits};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

/// Drafts an author may keep at once.
pub(crate) const MAX_DRAFTS: i64 = 10;

/// A note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// ID.
    pub id: i64,
    /// Tenant.
    pub tenant_id: String,
    /// Author's user ID.
    pub author_id: i64,
    /// Author's name.
    pub author: String,
    /// Category.
    pub category: NoteCategory,
    /// `draft` or `saved`.
    pub state: String,
    /// Markdown body (rendered through a sanitizer by the web layer).
    pub body: String,
    /// Service keys.
    pub services: Vec<String>,
    /// Task ID, if the note is about one task.
    pub task_id: Option<u32>,
    /// Escalated.
    pub escalated: bool,
    /// Next action (at most 500 characters).
    pub next_action: String,
    /// Next action date.
    pub next_action_date: Option<String>,
    /// Next action owner.
    pub next_action_owner: String,
    /// Version (drafts change; saved notes stay at their last version).
    pub version: i64,
    /// Created (UTC).
    pub created_at: String,
    /// Last changed (UTC).
    pub updated_at: String,
}

/// The editable fields of a note.
#[derive(Debug, Clone, Default)]
pub struct NoteDraft {
    /// Tenant.
    pub tenant_id: String,
    /// Category.
    pub category: Option<NoteCategory>,
    /// Body.
    pub body: String,
    /// Services (names or keys).
    pub services: Vec<String>,
    /// Task ID.
    pub task_id: Option<u32>,
    /// Escalated.
    pub escalated: bool,
    /// Next action.
    pub next_action: String,
    /// Next action date (YYYY-MM-DD).
    pub next_action_date: Option<String>,
    /// Next action owner.
    pub next_action_owner: String,
}

/// Filters for listing notes.
#[derive(Debug, Clone, Default)]
pub struct NoteFilter {
    /// Only this tenant's notes.
    pub tenant_id: Option<String>,
    /// Only this author's.
    pub author_id: Option<i64>,
    /// Only this category.
    pub category: Option<NoteCategory>,
    /// Only escalated notes.
    pub escalated: bool,
    /// Text in the body or next action.
    pub search: Option<String>,
    /// At most this many (default 100).
    pub limit: Option<i64>,
}

const NOTE_COLS: &str =
    "SELECT n.id, n.tenant_id, n.author_id, u.name AS author, n.category, n.state, n.body,
    n.services, n.task_id, n.escalated, n.next_action, n.next_action_date, n.next_action_owner,
    n.version, n.created_at, n.updated_at FROM notes n JOIN users u ON u.id = n.author_id";

pub(crate) fn note_of(r: &sqlx::any::AnyRow) -> Result<Note> {
    let services: String = r.try_get("services")?;
    Ok(Note {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        author_id: r.try_get("author_id")?,
        author: r.try_get("author")?,
        category: r.key("category", NoteCategory::parse)?,
        state: r.try_get("state")?,
        body: r.try_get("body")?,
        services: services
            .split(',')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        task_id: r
            .try_get::<Option<i64>, _>("task_id")?
            .and_then(|t| u32::try_from(t).ok()),
        escalated: r.try_get::<i64, _>("escalated")? != 0,
        next_action: r.try_get("next_action")?,
        next_action_date: r.try_get("next_action_date")?,
        next_action_owner: r.try_get("next_action_owner")?,
        version: r.try_get("version")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

struct CheckedNote {
    tenant: String,
    category: NoteCategory,
    services: String,
    date: Option<String>,
}

/// Notes matching a condition, newest first (the text for `$store`'s engine).
macro_rules! note_query {
    ($store:expr, $cond:literal $(,)?) => {
        sql!(
            $store,
            format!(
                "{NOTE_COLS} WHERE {} ORDER BY n.created_at DESC, n.id DESC",
                $cond
            )
        )
    };
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

    /// One note.
    pub async fn note(&self, id: i64) -> Result<Note> {
        let q = note_query!(self, "n.id = $1");
        let r = sqlx::query(q)
            .bind(id)
            .fetch_optional(&self.pools.read)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("note {id}")))?;
        note_of(&r)
    }

    /// Saved notes matching a filter, newest first.
    pub async fn notes(&self, f: &NoteFilter) -> Result<Vec<Note>> {
        let q = note_query!(self,
            "n.state = 'saved' AND ($1 IS NULL OR n.tenant_id = $1) AND ($2 IS NULL OR n.author_id = $2)
             AND ($3 IS NULL OR n.category = $3) AND ($4 = 0 OR n.escalated = 1)
             AND ($5 IS NULL OR LOWER(n.body) LIKE $5 ESCAPE '\\' OR LOWER(n.next_action) LIKE $5 ESCAPE '\\')",
        );
        let rows = sqlx::query(q)
            .bind(&f.tenant_id)
            .bind(f.author_id)
            .bind(f.category.map(|c| c.key()))
            .bind(i64::from(f.escalated))
            .bind(f.search.as_deref().map(crate::sql::like).transpose()?)
            .fetch_all(&self.pools.read)
            .await?;
        let mut out = rows.iter().map(note_of).collect::<Result<Vec<_>>>()?;
        out.truncate(f.limit.unwrap_or(100).max(0) as usize);
        Ok(out)
    }

    /// The caller's drafts, newest first.
    pub async fn drafts(&self, author_id: i64) -> Result<Vec<Note>> {
        let q = note_query!(self, "n.state = 'draft' AND n.author_id = $1");
        let rows = sqlx::query(q)
            .bind(author_id)
            .fetch_all(&self.pools.read)
            .await?;
        rows.iter().map(note_of).collect()
    }
}
