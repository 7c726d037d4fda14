//! The Services, Contacts, Partners and Eligibility tabs of a tenant: entitlement status
//! rows (L1/L2/L3) per service, contacts, partner companies, and the read-only eligibility.

use crate::auth::PageViewer;
use crate::error::{AppError, PageError, PageResult};
use crate::extract::{Form, Path};
use crate::i18n::Lang;
use crate::pages::forms::field;
use axum::response::Response;
use ftop_domain::FieldError;
use ftop_domain::taxonomy::{L1, StatusRow};
use ftop_store::{Actor, Contact, ServiceStatus, StoreError, Tenant};
use maud::{Markup, html};

/// The Services tab: each service's seats and its status rows, editable as one form.
pub(crate) fn services_tab(
    t: &Tenant,
    statuses: &[ServiceStatus],
    extras: &[Markup],
    lang: Lang,
    csrf: Option<&str>,
    editable: bool,
) -> Markup {
    html! {
        @for ((s, st), extra) in t.services.iter().zip(statuses).zip(extras) {
            section.service id=(format!("service-{}", s.service)) {
                h2 { (lang.t_with("service-heading", &[("service", s.name.as_str().into()), ("entitlements", s.entitlements.into()), ("qualified", s.qualified.into())])) }
                form method="post" action=(format!("/tenants/{}/services/{}", t.tenant_id, s.service)) {
                    input type="hidden" name="csrf" value=(csrf.unwrap_or(""));
                    input type="hidden" name="version" value=(st.version);
                    table {
                        thead { tr {
                            th { (lang.t("l1")) } th { (lang.t("l2")) } th { (lang.t("l3")) }
                            th { (lang.t("entitlements")) }
                            th { (lang.t("target-date")) }
                            th { (lang.t("owner")) }
                            th { (lang.t("note")) }
                        } }
                        tbody {
                            @for (i, r) in st.rows.iter().map(Some).chain(std::iter::once(None)).enumerate() {
                                tr {
                                    td { select name=(format!("l1_{i}")) disabled[!editable] aria-label=(lang.t("l1")) {
                                        @if r.is_none() { option value="" { "—" } }
                                        @for x in L1::ALL { option value=(x.key()) selected[r.is_some_and(|r| r.l1 == x)] { (lang.label(x)) } }
                                    } }
                                    td { (reason_choice(i, r, lang, editable)) }
                                    td { (engineering_choice(i, r, lang, editable)) }
                                    td { input type="number" min="0" name=(format!("count_{i}")) value=(r.map(|r| r.count.to_string()).unwrap_or_default()) disabled[!editable] aria-label=(lang.t("entitlements")); }
                                    td { input type="date" name=(format!("target_{i}")) value=(r.and_then(|r| r.target_date).map(|d| d.to_string()).unwrap_or_default()) disabled[!editable] aria-label=(lang.t("target-date")); }
                                    td { input name=(format!("owner_{i}")) value=(r.and_then(|r| r.owner.clone()).unwrap_or_default()) size="12" disabled[!editable] aria-label=(lang.t("owner")); }
                                    td { input name=(format!("note_{i}")) value=(r.map(|r| r.note.clone()).unwrap_or_default()) size="24" disabled[!editable] aria-label=(lang.t("note")); }
                                }
                            }
                        }
                    }
                    @if editable { p { button type="submit" { (lang.t("save")) } " " span.muted { (lang.t("rows-add-up")) } } }
                }
                (extra)
            }
        }
    }
}

/// The reason (L2) of status row `i`: every reason by its name, grouped by the status it
/// belongs to (the value sent is the reason's key).
fn reason_choice(i: usize, r: Option<&StatusRow>, lang: Lang, editable: bool) -> Markup {
    let current = r.and_then(|r| r.l2.as_deref());
    let known = current.and_then(ftop_domain::taxonomy::reason);
    html! {
        select name=(format!("l2_{i}")) disabled[!editable] aria-label=(lang.t("l2")) {
            option value="" { "—" }
            @if let (Some(c), None) = (current, known) { option value=(c) selected { (c) } }
            @for l1 in L1::ALL.iter().filter(|l| !l.reasons().is_empty()) {
                optgroup label=(lang.label(*l1)) {
                    @for reason in l1.reasons() {
                        option value=(reason.key) selected[known.is_some_and(|k| k.key == reason.key)] { (lang.reason(reason.key)) }
                    }
                }
            }
        }
    }
}

/// The engineering reason (L3) of status row `i`: grouped by the reason (L2) they belong to;
/// the row's own reason's choice is the one selected.
fn engineering_choice(i: usize, r: Option<&StatusRow>, lang: Lang, editable: bool) -> Markup {
    let current = r.and_then(|r| r.l3.as_deref());
    let reason = r
        .and_then(|r| r.l2.as_deref())
        .and_then(ftop_domain::taxonomy::reason);
    let chosen = current.and_then(|c| reason.and_then(|x| x.engineering_reason(c)));
    html! {
        select name=(format!("l3_{i}")) disabled[!editable] aria-label=(lang.t("l3")) {
            option value="" { "—" }
            @if let (Some(c), None) = (current, chosen) { option value=(c) selected { (c) } }
            @for l1 in L1::ALL {
                @for x in l1.reasons().iter().filter(|x| !x.engineering.is_empty()) {
                    optgroup label=(lang.reason(x.key)) {
                        @for (key, _) in x.engineering {
                            @let here = reason.is_some_and(|r| r.key == x.key);
                            option value=(key) selected[here && chosen.is_some_and(|(k, _)| k == *key)] { (lang.engineering_reason(key)) }
                        }
                    }
                }
            }
        }
    }
}

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

/// `POST /tenants/{id}/services/{service}`: replaces the service's status rows.
pub(crate) async fn set_rows(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path((id, service)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    super::record::may_write(&state, &v, lang, &id, field(&form, "csrf")).await?;
    let version: i64 = field(&form, "version")
        .and_then(|x| x.parse().ok())
        .unwrap_or(-1);
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    for i in 0..100 {
        let Some(l1) = field(&form, &format!("l1_{i}")) else {
            break;
        };
        if l1.is_empty() {
            continue;
        }
        let text = |n: &str| {
            field(&form, &format!("{n}_{i}"))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
        };
        let mut date = |n: &str| -> Option<time::Date> {
            let s = text(n)?;
            let fmt = time::macros::format_description!("[year]-[month]-[day]");
            match time::Date::parse(&s, &fmt) {
                Ok(d) => Some(d),
                Err(_) => {
                    bad.push(
                        FieldError::of(format!("rows[{i}].{n}_date"), "invalid-date")
                            .quoting("value", &s),
                    );
                    None
                }
            }
        };
        let target_date = date("target");
        let Some(l1) = L1::parse(l1) else {
            bad.push(FieldError::of(
                format!("rows[{i}].l1"),
                "invalid-choose-status",
            ));
            continue;
        };
        let count = match text("count") {
            Some(c) => c.parse::<u64>().unwrap_or_else(|_| {
                bad.push(
                    FieldError::of(format!("rows[{i}].count"), "invalid-count-whole")
                        .quoting("value", &c),
                );
                0
            }),
            None => {
                bad.push(
                    FieldError::of(format!("rows[{i}].count"), "invalid-count-whole")
                        .quoting("value", ""),
                );
                0
            }
        };
        rows.push(StatusRow {
            l1,
            l2: text("l2"),
            l3: text("l3"),
            count,
            target_date,
            owner: text("owner"),
            note: text("note").unwrap_or_default(),
            next_action_date: None,
        });
    }
    if !bad.is_empty() {
        return super::record::back(
            &id,
            "services",
            Err::<String, _>(AppError::invalid(bad)),
            lang,
        );
    }
    let r = state
        .store
        .set_status_rows(&Actor::user(&v.user), &id, &service, version, &rows)
        .await
        .map(|_| ());
    back(&id, "services", r, lang)
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
