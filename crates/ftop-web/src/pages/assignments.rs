//! The tenant page's Assignments tab: who works on the tenant, by role, tenant-wide or on
//! one service, with the primary of each; those who may assign (`service::assignments`)
//! add people, make one the primary, or remove one after ticking a confirmation. Every
//! change is a new whole set given to the same service function as the API's `PUT`.

use crate::auth::{PageViewer, Viewer};
use crate::error::{AppError, PageError, PageResult};
use crate::extract::{Form, Path};
use crate::i18n::Lang;
use crate::pages::forms::value;
use crate::service::assignments::{self as service, AssignmentView};
use axum::response::Response;
use ftop_domain::{AssignmentRole, FieldError, UserRole};
use ftop_store::{Tenant, User, is_partner_role};
use maud::{Markup, html};

/// The tab: the table, and for those who assign, the controls and the add form.
pub(crate) async fn assignments_tab(
    state: &crate::App,
    v: &Viewer,
    t: &Tenant,
    lang: Lang,
) -> Result<Markup, AppError> {
    let list = service::list(state, v, &t.tenant_id).await?;
    let assigns = service::assigns(v);
    let people = if assigns {
        candidates(state, v, t).await?
    } else {
        Vec::new()
    };
    let csrf = v.csrf.clone().unwrap_or_default();
    let action = format!("/tenants/{}/assignments", t.tenant_id);
    let level = |s: &Option<String>| match s {
        None => lang.t("assignment-whole-tenant").to_string(),
        Some(k) => ftop_domain::catalogue::service(k).map_or(k.clone(), |s| s.name.to_string()),
    };
    let roles: Vec<AssignmentRole> = AssignmentRole::ALL
        .iter()
        .copied()
        .filter(|r| v.user.role != UserRole::Partner || is_partner_role(*r))
        .collect();
    Ok(html! {
        table id="assignments" {
            thead { tr {
                th scope="col" { (lang.t("field-role")) }
                th scope="col" { (lang.t("assignment-level")) }
                th scope="col" { (lang.t("field-user")) }
                th scope="col" { (lang.t("field-primary")) }
                @if assigns { th {} }
            } }
            tbody {
                @for a in &list {
                    tr {
                        td { (role_label(lang, &a.role)) }
                        td { (level(&a.service)) }
                        td { (a.user) }
                        td { @if a.primary { "✓" } @else if assigns && may_touch(v, &a.role) {
                            form.inline method="post" action=(action) {
                                input type="hidden" name="csrf" value=(csrf);
                                (which(a))
                                button.link type="submit" name="action" value="primary" { (lang.t("assignment-make-primary")) }
                            }
                        } }
                        @if assigns && may_touch(v, &a.role) { td {
                            form.inline method="post" action=(action) {
                                input type="hidden" name="csrf" value=(csrf);
                                (which(a))
                                label { input type="checkbox" name="confirm" value="1" required; " " (lang.t("assignment-confirm-remove")) }
                                " "
                                button.link type="submit" name="action" value="remove" { (lang.t("assignment-remove")) }
                            }
                        } }
                    }
                }
            }
        }
        @if list.is_empty() { p.muted { (lang.t("assignment-none")) } }
        @if assigns {
            h2 { (lang.t("assignment-add")) }
            form.filters method="post" action=(action) {
                input type="hidden" name="csrf" value=(csrf);
                label { (lang.t("field-user")) " " select name="user" required {
                    @for u in &people { option value=(u.name) { (u.name) " (" (lang.label(u.role)) ")" } }
                } }
                label { (lang.t("field-role")) " " select name="role" {
                    // The role most often given: the (partner) FastTrack engineer.
                    @for r in &roles { option value=(r.key()) selected[matches!(r, AssignmentRole::FastTrackEngineer | AssignmentRole::PartnerEngineer)] { (lang.label(*r)) } }
                } }
                label { (lang.t("assignment-level")) " " select name="service" {
                    option value="" { (lang.t("assignment-whole-tenant")) }
                    @for s in &t.services { option value=(s.service) { (level(&Some(s.service.clone()))) } }
                } }
                label { input type="checkbox" name="primary" value="1"; " " (lang.t("field-primary")) }
                button type="submit" name="action" value="add" { (lang.t("assignment-add")) }
            }
        }
    })
}

/// The hidden fields that name one assignment (not its position: the set may change
/// between showing the page and sending the form).
fn which(a: &AssignmentView) -> Markup {
    html! {
        input type="hidden" name="user" value=(a.user);
        input type="hidden" name="role" value=(a.role);
        input type="hidden" name="service" value=(a.service.clone().unwrap_or_default());
    }
}

/// Whether the caller's controls show on a row of role `key` (a partner admin changes
/// partner roles only).
fn may_touch(v: &Viewer, key: &str) -> bool {
    v.user.role != UserRole::Partner
        || AssignmentRole::ALL
            .iter()
            .any(|r| r.key() == key && is_partner_role(*r))
}

/// A stored role key in the reader's language (the key itself if unknown).
fn role_label(lang: Lang, key: &str) -> String {
    AssignmentRole::ALL
        .iter()
        .find(|r| r.key() == key)
        .map_or(key.to_string(), |r| lang.label(*r).to_string())
}

/// The people the caller may assign here: FastTrack staff and the users of the tenant's
/// partner organisations (a partner admin: their own organisation's users).
async fn candidates(state: &crate::App, v: &Viewer, t: &Tenant) -> Result<Vec<User>, AppError> {
    let orgs: Vec<String> = state
        .store
        .tenant_partners(&t.tenant_id)
        .await?
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let all = state.store.users().await?;
    Ok(all
        .into_iter()
        .filter(|u| match (v.user.role, u.role) {
            (UserRole::Partner, UserRole::Partner) => u.partner_id == v.user.partner_id,
            (UserRole::Partner, _) => false,
            (_, UserRole::Admin | UserRole::Manager | UserRole::Engineer) => true,
            (_, UserRole::Partner) => u.partner.as_ref().is_some_and(|p| orgs.contains(p)),
            _ => false,
        })
        .collect())
}

/// `POST /tenants/{id}/assignments` with `action` = `add`, `primary` or `remove` and the
/// assignment named by `user`, `role` and `service` (removing needs `confirm`).
pub(crate) async fn change(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    service::authorize(&state, &v, &id, Some(value(&form, "csrf")))
        .await
        .page(lang)?;
    let mut set = service::list(&state, &v, &id).await.page(lang)?;
    let named = AssignmentView {
        user: value(&form, "user").to_string(),
        role: value(&form, "role").to_string(),
        service: Some(value(&form, "service").to_string()).filter(|s| !s.is_empty()),
        primary: value(&form, "primary") == "1",
    };
    let same = |a: &AssignmentView| {
        a.user == named.user && a.role == named.role && a.service == named.service
    };
    let row = set.iter().position(same);
    let bad = |field: &'static str, code: &'static str| {
        Err::<String, _>(AppError::field_error(FieldError::of(field, code)))
    };
    // Marking one primary unmarks the others of its role and level.
    let only_primary = |set: &mut Vec<AssignmentView>, i: usize| {
        let (role, level) = (set[i].role.clone(), set[i].service.clone());
        for (j, a) in set.iter_mut().enumerate() {
            if a.role == role && a.service == level {
                a.primary = j == i;
            }
        }
    };
    match (value(&form, "action"), row) {
        ("add", _) => {
            let primary = named.primary;
            set.push(named.clone());
            if primary {
                let last = set.len() - 1;
                only_primary(&mut set, last);
            }
        }
        ("primary", Some(i)) => only_primary(&mut set, i),
        ("remove", Some(_)) if value(&form, "confirm") != "1" => {
            return super::record::back(
                &id,
                "assignments",
                bad("confirm", "invalid-confirm-removal"),
                lang,
            );
        }
        ("remove", Some(i)) => {
            set.remove(i);
        }
        // The assignment named is gone meanwhile: nothing to do but show the tab again.
        ("primary" | "remove", None) => {
            return Err(PageError::new(lang, AppError::not_found("assignment")));
        }
        _ => {
            return super::record::back(
                &id,
                "assignments",
                bad("action", "invalid-assignment-action"),
                lang,
            );
        }
    }
    let r = service::replace(&state, &v, &id, Some(value(&form, "csrf")), set)
        .await
        .map(|_| "saved=assignments".to_string());
    super::record::back(&id, "assignments", r, lang)
}
