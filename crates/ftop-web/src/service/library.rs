//! The notes library's query, shared by `/notes` and `/api/v1/notes`: the filters read
//! into a store filter for the caller, and the notes they may see.

use crate::App;
use ftop_domain::{FieldError, NoteCategory};
use ftop_store::{LibraryFilter, LibraryNote, NoteWindow, User};
use serde::Deserialize;

/// The library's filters: the page's form and the API's query string.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct NoteFilters {
    /// A note category (key or name); empty for all.
    pub(crate) category: Option<String>,
    /// Only escalated notes (`1`, `true`, `on`, `yes`).
    pub(crate) escalated: Option<String>,
    /// Text in the body, the next action or the tenant's name.
    pub(crate) q: Option<String>,
    /// `all`, `30`, `60` or `90`.
    pub(crate) window: Option<String>,
    /// Only the viewer's own notes.
    pub(crate) mine: Option<String>,
}

impl NoteFilters {
    /// The store's filter for `user`, at most `limit` notes, and the values it could not
    /// read (the page ignores them; the API refuses them).
    pub(crate) fn filter(&self, user: &User, limit: i64) -> (LibraryFilter, Vec<FieldError>) {
        let mut problems = Vec::new();
        let given = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        let category = given(&self.category).and_then(|c| {
            let parsed = NoteCategory::parse(&c);
            if parsed.is_none() {
                problems
                    .push(FieldError::of("category", "invalid-note-category").quoting("value", &c));
            }
            parsed
        });
        let window = given(&self.window)
            .and_then(|w| {
                let parsed = NoteWindow::parse(&w);
                if parsed.is_none() {
                    problems.push(FieldError::of("window", "invalid-window").quoting("value", &w));
                }
                parsed
            })
            .unwrap_or_default();
        for (field, v) in [("mine", &self.mine), ("escalated", &self.escalated)] {
            if let Some(x) = given(v)
                && !FLAG_WORDS.contains(&x.trim())
            {
                problems.push(FieldError::of(field, "invalid-not-yes-no").quoting("value", &x));
            }
        }
        let f = LibraryFilter {
            category,
            escalated: on(self.escalated.as_deref()),
            search: given(&self.q),
            window,
            author_id: on(self.mine.as_deref()).then_some(user.id),
            as_of: None,
            limit: Some(limit),
        };
        (f, problems)
    }
}

/// The words a yes-or-no query flag may take.
pub(crate) const FLAG_WORDS: [&str; 8] = ["true", "false", "1", "0", "on", "off", "yes", "no"];

/// A yes of a checkbox or query flag (`1`, `true`, `on`, `yes`).
pub(crate) fn on(v: Option<&str>) -> bool {
    matches!(v, Some("1" | "true" | "on" | "yes"))
}

/// The saved notes `user` may see under `filter` (partners: their organisation's tenants'),
/// newest first.
pub(crate) async fn notes(
    app: &App,
    user: &User,
    filter: &LibraryFilter,
) -> Result<Vec<LibraryNote>, crate::error::AppError> {
    Ok(app.store.notes_visible(user, filter).await?)
}
