//! Notes: private drafts (at most ten per author) and saved notes, which are immutable.
//! What a note is and reading notes here; writing them in `write.rs`.

mod write;

use crate::sqlite::local::Cols;
use crate::{Result, Store, StoreError};
use ftop_domain::NoteCategory;
use serde::Serialize;
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
