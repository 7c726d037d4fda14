//! Notes and drafts as the editor, the library page and `/api/v1/notes/drafts` write them:
//! only a caller's own drafts, saving needs write access to the tenant (as on the tenant
//! page), a saved note never changes.

use crate::App;
use crate::auth::Viewer;
use crate::error::{AppError, Kind};
use ftop_store::{Access, Actor, LibraryNote, Note, NoteDraft, StoreError, User};

/// May the caller write notes on `tenant`? As on the tenant page: write access (403 when
/// they may only read it, 404 when they may not see it).
pub(crate) async fn may_write_notes(app: &App, v: &Viewer, tenant: &str) -> Result<(), AppError> {
    match app.store.access(&v.user, tenant).await? {
        Access::Write => Ok(()),
        Access::Read => Err(AppError::read_only()),
        Access::None => Err(AppError::not_found(&format!("tenant {tenant}"))),
    }
}

/// A new note (or a draft, `save` false) on a tenant the caller may change.
pub(crate) async fn create(
    app: &App,
    v: &Viewer,
    d: &NoteDraft,
    save: bool,
) -> Result<Note, AppError> {
    may_write_notes(app, v, &d.tenant_id).await?;
    Ok(app.store.add_note(&Actor::user(&v.user), d, save).await?)
}

/// The caller's drafts, newest first, with their tenants' names (at most ten: the names
/// are read one by one).
pub(crate) async fn drafts_of(app: &App, user: &User) -> Result<Vec<LibraryNote>, AppError> {
    let drafts = app.store.drafts(user.id).await?;
    let mut out = Vec::with_capacity(drafts.len());
    for d in drafts {
        let tenant = match app.store.tenant(&d.tenant_id).await {
            Ok(t) => t.name,
            // A tenant removed meanwhile: its ID stands in for the name.
            Err(StoreError::NotFound(_)) => d.tenant_id.clone(),
            Err(e) => return Err(e.into()),
        };
        out.push(LibraryNote { note: d, tenant });
    }
    Ok(out)
}

/// Draft `id` when it is one of `user`'s own drafts (guests keep none; a saved note is
/// refused: it cannot change).
pub(crate) async fn own_draft(app: &App, user: &User, id: i64) -> Result<Note, AppError> {
    if user.role == ftop_domain::UserRole::Guest {
        return Err(AppError::new(Kind::Forbidden, crate::auth::GUESTS));
    }
    let note = match app.store.note(id).await {
        Ok(n) => n,
        Err(StoreError::NotFound(_)) => return Err(AppError::not_found("draft")),
        Err(e) => return Err(e.into()),
    };
    if note.author_id != user.id {
        return Err(AppError::not_found("draft"));
    }
    if note.state != "draft" {
        return Err(AppError::new(
            Kind::Refused,
            format!("note {id} is saved; saved notes cannot change"),
        ));
    }
    Ok(note)
}

/// The editable fields of a note as they stand.
pub(crate) fn as_draft(n: &Note) -> NoteDraft {
    NoteDraft {
        tenant_id: n.tenant_id.clone(),
        category: Some(n.category),
        body: n.body.clone(),
        services: n.services.clone(),
        task_id: n.task_id,
        escalated: n.escalated,
        next_action: n.next_action.clone(),
        next_action_date: n.next_action_date.clone(),
        next_action_owner: n.next_action_owner.clone(),
    }
}

/// Changes draft `note` (from [`own_draft`], read at `version`) to `d`, and saves it as a
/// note of its tenant with `save`. Saving adds to the tenant's record: that needs write
/// access to the tenant, as on the tenant page; a draft may be kept on a tenant the author
/// can see.
pub(crate) async fn change_draft(
    app: &App,
    user: &User,
    note: &Note,
    version: i64,
    d: &NoteDraft,
    save: bool,
) -> Result<Note, AppError> {
    match app.store.access(user, &note.tenant_id).await? {
        Access::Write => {}
        Access::Read if !save => {}
        Access::Read => return Err(AppError::read_only()),
        Access::None => return Err(AppError::not_found("draft")),
    }
    let d = NoteDraft {
        tenant_id: note.tenant_id.clone(),
        ..d.clone()
    };
    match app
        .store
        .update_draft(&Actor::user(user), note.id, version, &d, save)
        .await
    {
        Ok(n) => Ok(n),
        Err(StoreError::NotFound(_)) => Err(AppError::not_found("draft")),
        Err(e) => Err(e.into()),
    }
}

/// Deletes one of `user`'s drafts.
pub(crate) async fn remove_draft(app: &App, user: &User, id: i64) -> Result<(), AppError> {
    own_draft(app, user, id).await?;
    match app.store.delete_draft(&Actor::user(user), id).await {
        Ok(()) => Ok(()),
        Err(StoreError::NotFound(_)) => Err(AppError::not_found("draft")),
        Err(e) => Err(e.into()),
    }
}
