//! Administering people in the browser: `/admin/users` (search, list, add),
//! `/admin/users/{name}` (role, organisation, partner admin, active, password reset) and
//! `/admin/partners` (partner organisations: list, add, rename). The rules are
//! `service::people`'s, the same as the API's. A form that fails is shown again with what
//! was typed (passwords excepted) and the reasons next to it (422); deactivating asks for a
//! confirmation first.

use crate::auth::{PageViewer, Viewer};
use crate::error::{AppError, PageError, PageResult};
use crate::extract::{Form, Path, Query};
use crate::i18n::Lang;
use crate::pages::forms::{form_error, value};
use crate::pages::layout::{flash, page};
use crate::service::people::{self as service, NewUser, Scope, UserPatch};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ftop_domain::UserRole;
use ftop_store::{Organisation, UserEntry};
use maud::{Markup, html};
use serde::Deserialize;

/// Users shown per page of the list.
const PER_PAGE: i64 = 50;

/// What the list page was asked for.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListQuery {
    #[serde(default)]
    search: String,
    #[serde(default)]
    page: Option<u32>,
    #[serde(default)]
    done: Option<String>,
}

/// The message of a `done=` flag (only known flags are shown).
fn done_message(lang: Lang, done: Option<&str>) -> Option<&'static str> {
    match done? {
        "created" => Some(lang.t("people-done-created")),
        "saved" => Some(lang.t("people-done-saved")),
        "partner" => Some(lang.t("people-done-partner")),
        _ => None,
    }
}

/// The role choices the caller may give (a partner admin: partner only).
fn role_options(lang: Lang, scope: &Scope, chosen: &str) -> Markup {
    let roles: Vec<UserRole> = match scope {
        Scope::All => UserRole::ALL.to_vec(),
        Scope::Organisation(..) => vec![UserRole::Partner],
    };
    html! {
        @for r in roles {
            option value=(r.key()) selected[chosen == r.key()] { (lang.label(r)) }
        }
    }
}

/// The organisation choices (a partner admin: their own only).
fn partner_options(lang: Lang, scope: &Scope, orgs: &[Organisation], chosen: &str) -> Markup {
    html! {
        @match scope {
            Scope::All => {
                option value="" selected[chosen.is_empty()] { (lang.t("people-no-partner")) }
                @for o in orgs {
                    option value=(o.name) selected[chosen == o.name] { (o.name) }
                }
            }
            Scope::Organisation(_, name) => { option value=(name) selected { (name) } }
        }
    }
}

/// `GET /admin/users`.
pub(crate) async fn users_page(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let message = done_message(lang, q.done.as_deref()).map(|m| flash("ok", m));
    users_view(&state, &v, lang, &q, &[], message, StatusCode::OK).await
}

/// The list page with the add form holding `typed` and `message` above it.
async fn users_view(
    state: &crate::App,
    v: &Viewer,
    lang: Lang,
    q: &ListQuery,
    typed: &[(String, String)],
    message: Option<Markup>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let scope = service::scope(v).page(lang)?;
    let page_no = i64::from(q.page.unwrap_or(1).max(1));
    let search = Some(q.search.clone()).filter(|s| !s.trim().is_empty());
    let (users, total) = service::list(state, v, search, PER_PAGE, (page_no - 1) * PER_PAGE)
        .await
        .page(lang)?;
    let orgs = match scope {
        Scope::All => state.store.organisations().await.page(lang)?,
        Scope::Organisation(..) => Vec::new(),
    };
    let csrf = v.csrf.clone().unwrap_or_default();
    let typed_role = match value(typed, "role") {
        "" if matches!(scope, Scope::Organisation(..)) => UserRole::Partner.key(),
        "" => UserRole::Engineer.key(),
        r => r,
    };
    let body = html! {
        h1 { (lang.t("people-users")) }
        @if let Some(m) = message { (m) }
        form.filters method="get" action="/admin/users" role="search" {
            label { (lang.t("search")) " " input type="search" name="search" value=(q.search); }
            button type="submit" { (lang.t("search")) }
        }
        p.muted { (lang.t_with("people-count", &[("count", total.into())])) }
        table {
            thead { tr {
                th scope="col" { (lang.t("field-name")) }
                th scope="col" { (lang.t("field-role")) }
                th scope="col" { (lang.t("field-partner")) }
                th scope="col" { (lang.t("field-active")) }
            } }
            tbody {
                @for u in &users { (user_row(lang, u)) }
            }
        }
        (pager(lang, &q.search, page_no, total))
        section {
            h2 { (lang.t("people-add-user")) }
            form.filters method="post" action="/admin/users" {
                input type="hidden" name="csrf" value=(csrf);
                label { (lang.t("field-name")) " " input name="name" required maxlength="100" autocomplete="off" value=(value(typed, "name")); }
                label { (lang.t("field-role")) " " select name="role" { (role_options(lang, &scope, typed_role)) } }
                label { (lang.t("field-partner")) " " select name="partner" { (partner_options(lang, &scope, &orgs, value(typed, "partner"))) } }
                label { input type="checkbox" name="partner_admin" value="1" checked[value(typed, "partner_admin") == "1"]; " " (lang.t("field-partner-admin")) }
                label { (lang.t("field-password")) " " input type="password" name="password" required minlength="12" autocomplete="new-password"; }
                button type="submit" { (lang.t("people-add-user")) }
            }
            p.muted { (lang.t("people-password-rule")) }
        }
    };
    Ok((status, page(lang, v, lang.t("people-users"), body)).into_response())
}

fn user_row(lang: Lang, u: &UserEntry) -> Markup {
    html! {
        tr {
            td { a href={ "/admin/users/" (crate::auth::urlencode(&u.name)) } { (u.name) } }
            td {
                (lang.label(u.role))
                @if u.partner_admin { " (" (lang.t("field-partner-admin")) ")" }
            }
            td { (u.partner.as_deref().unwrap_or("")) }
            td { @if u.active { (lang.t("yes")) } @else { strong { (lang.t("people-deactivated")) } } }
        }
    }
}

fn pager(lang: Lang, search: &str, page_no: i64, total: i64) -> Markup {
    let last = (total + PER_PAGE - 1) / PER_PAGE;
    let link = |n: i64| {
        format!(
            "/admin/users?search={}&page={n}",
            crate::auth::urlencode(search)
        )
    };
    html! {
        @if last > 1 {
            nav.pager aria-label=(lang.t("pages-nav")) {
                @if page_no > 1 { a href=(link(page_no - 1)) rel="prev" { (lang.t("previous")) } }
                span { (page_no) " / " (last) }
                @if page_no < last { a href=(link(page_no + 1)) rel="next" { (lang.t("next")) } }
            }
        }
    }
}

/// `POST /admin/users`: adds a user, then opens their page.
pub(crate) async fn create_user(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    v.check_csrf(Some(value(&form, "csrf"))).page(lang)?;
    let n = NewUser {
        name: value(&form, "name").to_string(),
        role: value(&form, "role").to_string(),
        password: value(&form, "password").to_string(),
        partner: Some(value(&form, "partner").to_string()),
        partner_admin: value(&form, "partner_admin") == "1",
    };
    match service::create(&state, &v, n).await {
        Ok(u) => Ok(Redirect::to(&format!(
            "/admin/users/{}?done=created",
            crate::auth::urlencode(&u.name)
        ))
        .into_response()),
        Err(e) => {
            let m = form_error(lang, e)?;
            let q = ListQuery::default();
            users_view(
                &state,
                &v,
                lang,
                &q,
                &form,
                Some(m),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Done {
    #[serde(default)]
    done: Option<String>,
}

/// `GET /admin/users/{name}`.
pub(crate) async fn user_page(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(name): Path<String>,
    Query(d): Query<Done>,
) -> Result<Response, PageError> {
    let u = service::one(&state, &v, &name).await.page(lang)?;
    let message = done_message(lang, d.done.as_deref()).map(|m| flash("ok", m));
    user_view(&state, &v, lang, &u, None, message, StatusCode::OK).await
}

/// The edit form of user `u`, holding `typed` when a change failed; `confirm` asks to
/// confirm a deactivation.
async fn user_view(
    state: &crate::App,
    v: &Viewer,
    lang: Lang,
    u: &UserEntry,
    typed: Option<&[(String, String)]>,
    message: Option<Markup>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let scope = service::scope(v).page(lang)?;
    let orgs = match scope {
        Scope::All => state.store.organisations().await.page(lang)?,
        Scope::Organisation(..) => Vec::new(),
    };
    let role = typed.map_or(u.role.key(), |t| value(t, "role"));
    let partner = typed.map_or(u.partner.as_deref().unwrap_or(""), |t| value(t, "partner"));
    let partner_admin = typed.map_or(u.partner_admin, |t| value(t, "partner_admin") == "1");
    let active = typed.map_or(u.active, |t| value(t, "active") == "1");
    let confirming = u.active && !active;
    let csrf = v.csrf.clone().unwrap_or_default();
    let action = format!("/admin/users/{}", crate::auth::urlencode(&u.name));
    let body = html! {
        p { a href="/admin/users" { (lang.t("people-users")) } }
        h1 { (u.name) }
        @if let Some(m) = message { (m) }
        dl.facts {
            dt { (lang.t("people-created")) }
            dd { time datetime=(u.created_at) { (lang.when(&u.created_at)) } }
            dt { (lang.t("people-sso")) }
            dd { @if u.sso_linked { (lang.t("people-sso-linked")) } @else { (lang.t("people-sso-unlinked")) } }
        }
        form method="post" action=(action) {
            input type="hidden" name="csrf" value=(csrf);
            p { label { (lang.t("field-role")) " " select name="role" { (role_options(lang, &scope, role)) } } }
            p { label { (lang.t("field-partner")) " " select name="partner" { (partner_options(lang, &scope, &orgs, partner)) } } }
            p { label { input type="checkbox" name="partner_admin" value="1" checked[partner_admin]; " " (lang.t("field-partner-admin")) } }
            p { label { input type="checkbox" name="active" value="1" checked[active]; " " (lang.t("field-active")) } }
            @if u.sso_linked {
                p { label { input type="checkbox" name="sso_unlink" value="1" checked[typed.is_some_and(|t| value(t, "sso_unlink") == "1")]; " " (lang.t("people-sso-unlink")) } }
            }
            p {
                label { (lang.t("people-new-password")) " " input type="password" name="password" minlength="12" autocomplete="new-password"; }
                " " span.muted { (lang.t("people-password-keep")) }
            }
            @if confirming && typed.is_some() {
                div.flash.error role="alert" {
                    p { (lang.t_with("people-deactivate-confirm", &[("name", u.name.clone().into())])) }
                    label { input type="checkbox" name="confirm" value="1"; " " (lang.t("people-deactivate-yes")) }
                }
            }
            button type="submit" { (lang.t("save")) }
        }
    };
    Ok((status, page(lang, v, &u.name, body)).into_response())
}

/// `POST /admin/users/{name}`.
pub(crate) async fn update_user(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(name): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    v.check_csrf(Some(value(&form, "csrf"))).page(lang)?;
    let u = service::one(&state, &v, &name).await.page(lang)?;
    let active = value(&form, "active") == "1";
    if u.active && !active && value(&form, "confirm") != "1" {
        // Deactivating ends the user's sessions and tokens: ask first, keeping the form.
        return user_view(&state, &v, lang, &u, Some(&form), None, StatusCode::OK).await;
    }
    let password = value(&form, "password");
    let p = UserPatch {
        role: Some(value(&form, "role").to_string()),
        partner: Some(Some(value(&form, "partner").to_string())),
        partner_admin: Some(value(&form, "partner_admin") == "1"),
        active: Some(active),
        password: Some(password.to_string()).filter(|p| !p.is_empty()),
        sso_linked: (value(&form, "sso_unlink") == "1").then_some(false),
    };
    match service::update(&state, &v, &u.name, p).await {
        Ok(u) => Ok(Redirect::to(&format!(
            "/admin/users/{}?done=saved",
            crate::auth::urlencode(&u.name)
        ))
        .into_response()),
        Err(e) => {
            let m = form_error(lang, e)?;
            user_view(
                &state,
                &v,
                lang,
                &u,
                Some(&form),
                Some(m),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `GET /admin/partners` (administrators).
pub(crate) async fn partners_page(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(d): Query<Done>,
) -> Result<Response, PageError> {
    let message = done_message(lang, d.done.as_deref()).map(|m| flash("ok", m));
    partners_view(&state, &v, lang, "", message, StatusCode::OK).await
}

async fn partners_view(
    state: &crate::App,
    v: &Viewer,
    lang: Lang,
    typed: &str,
    message: Option<Markup>,
    status: StatusCode,
) -> Result<Response, PageError> {
    if v.user.role != UserRole::Admin {
        return Err(PageError::new(
            lang,
            AppError::forbidden("administer partner organisations"),
        ));
    }
    let orgs = service::organisations(state, v).await.page(lang)?;
    let csrf = v.csrf.clone().unwrap_or_default();
    let body = html! {
        h1 { (lang.t("people-partners")) }
        @if let Some(m) = message { (m) }
        table {
            thead { tr {
                th scope="col" { (lang.t("field-name")) }
                th scope="col" { (lang.t("people-users")) }
                th scope="col" { (lang.t("tenants")) }
            } }
            tbody {
                @for o in &orgs {
                    tr {
                        td {
                            form.inline method="post" action={ "/admin/partners/" (o.id) } {
                                input type="hidden" name="csrf" value=(csrf);
                                input name="name" value=(o.name) required maxlength="200" aria-label=(lang.t_with("people-rename", &[("name", o.name.clone().into())]));
                                " "
                                button type="submit" { (lang.t("people-rename-button")) }
                            }
                        }
                        td { a href={ "/admin/users?search=" (crate::auth::urlencode(&o.name)) } { (o.users) } }
                        td { (o.tenants) }
                    }
                }
            }
        }
        section {
            h2 { (lang.t("people-add-partner")) }
            form.filters method="post" action="/admin/partners" {
                input type="hidden" name="csrf" value=(csrf);
                label { (lang.t("field-name")) " " input name="name" required maxlength="200" value=(typed); }
                button type="submit" { (lang.t("people-add-partner")) }
            }
        }
    };
    Ok((status, page(lang, v, lang.t("people-partners"), body)).into_response())
}

/// `POST /admin/partners`: adds an organisation.
pub(crate) async fn create_partner(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    v.check_csrf(Some(value(&form, "csrf"))).page(lang)?;
    let name = value(&form, "name");
    match service::create_organisation(&state, &v, name).await {
        Ok(_) => Ok(Redirect::to("/admin/partners?done=partner").into_response()),
        Err(e) => {
            let m = form_error(lang, e)?;
            partners_view(
                &state,
                &v,
                lang,
                name,
                Some(m),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `POST /admin/partners/{partner}`: renames an organisation.
pub(crate) async fn rename_partner(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    v.check_csrf(Some(value(&form, "csrf"))).page(lang)?;
    match service::rename_organisation(&state, &v, id, value(&form, "name")).await {
        Ok(_) => Ok(Redirect::to("/admin/partners?done=partner").into_response()),
        Err(e) => {
            let m = form_error(lang, e)?;
            partners_view(
                &state,
                &v,
                lang,
                "",
                Some(m),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
