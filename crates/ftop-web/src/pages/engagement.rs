//! The Contacts, Partners and Eligibility tabs of a tenant: contacts, partner companies,
//! and the eligibility (with its exception). The Services tab is `services_tab`.

use crate::auth::PageViewer;
use crate::error::{AppError, PageError, PageResult};
use crate::extract::{Form, Path};
use crate::i18n::Lang;
use crate::pages::forms::field;
use axum::response::Response;
use ftop_domain::FieldError;
use ftop_store::{Actor, Contact, StoreError, Tenant};
use maud::{Markup, html};

/// The Contacts tab.
pub(crate) fn contacts_tab(
    t: &Tenant,
    contacts: &[Contact],
    lang: Lang,
    csrf: Option<&str>,
    editable: bool,
) -> Markup {
    html! {
        table id="contacts" {
            thead { tr { th { (lang.t("name")) } th { (lang.t("email")) } th { (lang.t("contact-kind")) } th { (lang.t("contact-title")) } th { (lang.t("survey")) } @if editable { th {} } } }
            tbody {
                @for c in contacts {
                    tr {
                        td { (c.name) } td { (c.email) } td { (lang.label(c.kind)) } td { (c.title) }
                        td { @if c.survey_eligible { (c.survey_language) " · " (c.services.join(", ")) } @else { "—" } }
                        @if editable { td {
                            a href=(format!("/tenants/{}/contacts/{}/edit", t.tenant_id, c.id)) { (lang.t("edit")) }
                            " "
                            form.inline method="post" action=(format!("/tenants/{}/contacts/{}/delete", t.tenant_id, c.id)) {
                                input type="hidden" name="csrf" value=(csrf.unwrap_or(""));
                                label { input type="checkbox" name="confirm" value="1" required; " " (lang.t("confirm-delete-contact")) }
                                " "
                                button.link type="submit" { (lang.t("delete")) }
                            }
                        } }
                    }
                }
            }
        }
        @if editable {
            h2 { (lang.t("add-contact")) }
            form.filters method="post" action=(format!("/tenants/{}/contacts", t.tenant_id)) {
                input type="hidden" name="csrf" value=(csrf.unwrap_or(""));
                (super::contact_form::fields(lang, &[]))
                button type="submit" { (lang.t("save")) }
            }
        }
    }
}

/// The Partners tab.
pub(crate) fn partners_tab(
    t: &Tenant,
    partners: &[(String, bool)],
    offered: &[String],
    lang: Lang,
    csrf: Option<&str>,
    editable: bool,
) -> Markup {
    html! {
        table id="partners" {
            thead { tr { th { (lang.t("partner-company")) } th { (lang.t("desires-assistance")) } } }
            tbody {
                @for (name, wants) in partners {
                    tr {
                        td { (name) } td { @if *wants { "✓" } @else { "—" } }
                        @if editable { td {
                            form method="post" action=(format!("/tenants/{}/partners/remove", t.tenant_id)) {
                                input type="hidden" name="csrf" value=(csrf.unwrap_or(""));
                                input type="hidden" name="partner" value=(name);
                                label { input type="checkbox" name="confirm" value="1" required; " " (lang.t("confirm-remove-partner")) }
                                " "
                                button.link type="submit" { (lang.t("remove-partner")) }
                            }
                        } }
                    }
                }
            }
        }
        @if editable && !offered.is_empty() {
            form.filters method="post" action=(format!("/tenants/{}/partners", t.tenant_id)) {
                input type="hidden" name="csrf" value=(csrf.unwrap_or(""));
                label { (lang.t("partner-company")) " " select name="partner" required {
                    @for name in offered { option value=(name) { (name) } }
                } }
                label { (lang.t("desires-assistance")) input type="checkbox" name="desires_assistance" value="1"; }
                button type="submit" { (lang.t("save")) }
            }
        }
        @if editable && offered.is_empty() {
            p.muted { (lang.t("partners-none-to-add")) }
        }
    }
}

/// The Eligibility tab: read-only by design, but for the exception an administrator
/// grants (`admin_csrf`: the administrator's form token).
pub(crate) fn eligibility_tab(t: &Tenant, lang: Lang, admin_csrf: Option<Option<&str>>) -> Markup {
    let seats = t
        .services
        .iter()
        .map(|s| s.qualified.max(0) as u64)
        .max()
        .unwrap_or(0);
    let e =
        ftop_domain::eligibility::eligibility(seats, t.program_exception, t.enterprise_exception);
    let yes = |b: bool| {
        if b { lang.t("yes") } else { lang.t("no") }
    };
    html! {
        dl.facts id="eligibility" {
            dt { (lang.t("eligible-seats")) } dd { (seats) }
            dt { (lang.t("eligible-program")) } dd { (yes(e.program)) }
            dt { (lang.t("eligible-migration")) } dd { (yes(e.migration)) }
            dt { (lang.t("eligible-enterprise")) } dd { (yes(e.enterprise)) }
            dt { (lang.t("eligible-adoption-benefit")) } dd { (yes(t.adoption_benefit)) }
            dt { (lang.t("exception-grant")) } dd { (yes(t.program_exception)) }
            @if let Some(r) = &t.exception_reason {
                dt { (lang.t("exception-reason")) } dd { (r) }
            }
        }
        @if let Some(csrf) = admin_csrf {
            (super::edit_tenant::exception_form(t, lang, csrf))
        }
    }
}

fn back(id: &str, tab: &str, r: Result<(), StoreError>, lang: Lang) -> Result<Response, PageError> {
    super::record::back(id, tab, r.map(|()| format!("saved={tab}")), lang)
}

/// `POST /tenants/{id}/contacts`.
pub(crate) async fn add_contact(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    super::record::may_write(&state, &v, lang, &id, field(&form, "csrf")).await?;
    let c = super::contact_form::contact_of(&form);
    let r = state
        .store
        .add_contact(&Actor::user(&v.user), &id, &c)
        .await
        .map(|_| ());
    back(&id, "contacts", r, lang)
}

/// `POST /tenants/{id}/contacts/{contact}/delete`, with `confirm=1`.
pub(crate) async fn delete_contact(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path((id, contact)): Path<(String, i64)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    super::record::may_write(&state, &v, lang, &id, field(&form, "csrf")).await?;
    // Deleting is for good: the box next to the button must be ticked (the browser asks
    // for it; a form sent without it deletes nothing).
    if field(&form, "confirm") != Some("1") {
        let e = AppError::field_error(ftop_domain::FieldError::of(
            "confirm",
            "invalid-confirm-removal",
        ));
        return super::record::back(&id, "contacts", Err::<String, _>(e), lang);
    }
    let r = state
        .store
        .delete_contact(&Actor::user(&v.user), &id.to_ascii_lowercase(), contact)
        .await;
    back(&id, "contacts", r, lang)
}

/// [`crate::service::assignments::may_link_partners`], as a page error.
async fn may_link(
    state: &crate::App,
    v: &crate::auth::Viewer,
    lang: Lang,
    id: &str,
    form: &[(String, String)],
) -> Result<(), PageError> {
    crate::service::assignments::may_link_partners(state, v, id, field(form, "csrf"))
        .await
        .page(lang)
}

/// `POST /tenants/{id}/partners`.
pub(crate) async fn add_partner(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    may_link(&state, &v, lang, &id, &form).await?;
    let name = field(&form, "partner").unwrap_or("").trim();
    // Picked from the organisations: one that does not exist is refused, never created.
    let known = state.store.organisations().await.page(lang)?;
    if !known.iter().any(|o| o.name == name) {
        let e = AppError::field_error(
            FieldError::of("partner", "invalid-partner-unknown").quoting("value", name),
        );
        return super::record::back(&id, "partners", Err::<String, _>(e), lang);
    }
    let r = state
        .store
        .add_tenant_partner(
            &Actor::user(&v.user),
            &id,
            name,
            field(&form, "desires_assistance") == Some("1"),
        )
        .await
        .map(|_| ());
    back(&id, "partners", r, lang)
}

/// `POST /tenants/{id}/partners/remove`: the form names the organisation and must carry
/// `confirm=1` (a checkbox next to the button).
pub(crate) async fn remove_partner(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    may_link(&state, &v, lang, &id, &form).await?;
    if field(&form, "confirm") != Some("1") {
        let e = AppError::field_error(ftop_domain::FieldError::of(
            "confirm",
            "invalid-confirm-removal",
        ));
        return super::record::back(&id, "partners", Err::<String, _>(e), lang);
    }
    let r = state
        .store
        .remove_tenant_partner(
            &Actor::user(&v.user),
            &id,
            field(&form, "partner").unwrap_or(""),
        )
        .await
        .map(|_| ());
    back(&id, "partners", r, lang)
}
