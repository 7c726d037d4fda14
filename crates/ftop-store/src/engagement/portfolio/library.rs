//! The notes library: saved notes the viewer may see, across tenants, with a date window.

use crate::engagement::notes::Note;
use crate::engagement::users::User;
use crate::{Result, Store};
use ftop_domain::{NoteCategory, UserRole};
use serde::Serialize;
use sqlx::Row;

/// A date window over notes, counted back from now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoteWindow {
    /// Any time.
    #[default]
    All,
    /// The last 30 days.
    Last30,
    /// 30 to 60 days ago.
    Days30To60,
    /// 60 to 90 days ago.
    Days60To90,
}

impl NoteWindow {
    /// Every window, in display order.
    pub const ALL: [NoteWindow; 4] = [
        NoteWindow::All,
        NoteWindow::Last30,
        NoteWindow::Days30To60,
        NoteWindow::Days60To90,
    ];

    /// The stable key (`all`, `30`, `60`, `90`).
    pub fn key(self) -> &'static str {
        match self {
            NoteWindow::All => "all",
            NoteWindow::Last30 => "30",
            NoteWindow::Days30To60 => "60",
            NoteWindow::Days60To90 => "90",
        }
    }

    /// Parses a key; anything else is None.
    pub fn parse(s: &str) -> Option<NoteWindow> {
        NoteWindow::ALL.into_iter().find(|w| w.key() == s.trim())
    }

    /// (at or after, before) as days back from now.
    fn days(self) -> (Option<i64>, Option<i64>) {
        match self {
            NoteWindow::All => (None, None),
            NoteWindow::Last30 => (Some(30), None),
            NoteWindow::Days30To60 => (Some(60), Some(30)),
            NoteWindow::Days60To90 => (Some(90), Some(60)),
        }
    }
}

/// Filters of the notes library.
#[derive(Debug, Clone, Default)]
pub struct LibraryFilter {
    /// Only this category.
    pub category: Option<NoteCategory>,
    /// Only escalated notes.
    pub escalated: bool,
    /// Text in the body, the next action or the tenant name.
    pub search: Option<String>,
    /// Date window (by creation).
    pub window: NoteWindow,
    /// Only this author's notes ("my notes").
    pub author_id: Option<i64>,
    /// The moment the window counts back from (default: now).
    pub as_of: Option<time::OffsetDateTime>,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<i64>,
}

/// A saved note with its tenant's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LibraryNote {
    /// The note.
    #[serde(flatten)]
    pub note: Note,
    /// The tenant's name.
    pub tenant: String,
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl Store {
    /// Saved notes `user` may see (partners: only their organisation's tenants' notes),
    /// newest first, with their tenant's name.
    pub async fn notes_visible(&self, user: &User, f: &LibraryFilter) -> Result<Vec<LibraryNote>> {
        let partner = (user.role == UserRole::Partner).then(|| user.partner_id.unwrap_or(-1));
        let now = f.as_of.unwrap_or_else(time::OffsetDateTime::now_utc);
        let (from, to) = f.window.days();
        let bound = |d: Option<i64>| d.map(|d| rfc3339(now - time::Duration::days(d)));
        let rows = sqlx::query(sql!(self,
            "SELECT n.id, n.tenant_id, t.name AS tenant, n.author_id, u.name AS author, n.category,
                n.state, n.body, n.services, n.task_id, n.escalated, n.next_action,
                n.next_action_date, n.next_action_owner, n.version, n.created_at, n.updated_at
             FROM notes n JOIN users u ON u.id = n.author_id JOIN tenants t ON t.tenant_id = n.tenant_id
             WHERE n.state = 'saved'
               AND ($1 IS NULL OR n.tenant_id IN (SELECT p.tenant_id FROM tenant_partners p WHERE p.partner_id = $1))
               AND ($2 IS NULL OR n.author_id = $2)
               AND ($3 IS NULL OR n.category = $3)
               AND ($4 = 0 OR n.escalated = 1)
               AND ($5 IS NULL OR LOWER(n.body) LIKE $5 ESCAPE '\\' OR LOWER(n.next_action) LIKE $5 ESCAPE '\\'
                    OR LOWER(t.name) LIKE $5 ESCAPE '\\')
               AND ($6 IS NULL OR n.created_at >= $6)
               AND ($7 IS NULL OR n.created_at < $7)
             ORDER BY n.created_at DESC, n.id DESC LIMIT $8",
        ))
        .bind(partner)
        .bind(f.author_id)
        .bind(f.category.map(|c| c.key()))
        .bind(i64::from(f.escalated))
        .bind(
            f.search
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(crate::sql::like)
                .transpose()?,
        )
        .bind(bound(from))
        .bind(bound(to))
        .bind(f.limit.unwrap_or(100).clamp(0, 1000))
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(LibraryNote {
                    tenant: r.try_get("tenant")?,
                    note: crate::engagement::notes::note_of(r)?,
                })
            })
            .collect()
    }
}
