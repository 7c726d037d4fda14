//! The Services, Contacts, Partners and Eligibility tabs of a tenant: entitlement status
//! rows (L1/L2/L3) per service, contacts, partner companies, and the read-only eligibility.

use crate::auth::PageViewer;
use crate::error::PageError;
use crate::i18n::Lang;
use axum::extract::{Form, Path};
use axum::response::{IntoResponse, Redirect, Response};
use ftop_domain::ContactType;
use ftop_domain::taxonomy::{L1, StatusRow};
use ftop_store::{Actor, Contact, NewContact, ServiceStatus, StoreError, Tenant};
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
    let l = |en, es, zh| lang.pick(en, es, zh);
    html! {
        @for ((s, st), extra) in t.services.iter().zip(statuses).zip(extras) {
            section.service id=(format!("service-{}", s.service)) {
                h2 { (s.name) " · " (s.entitlements) " " (lang.t("entitlements")) ", " (s.qualified) " " (lang.t("qualified")) }
                form method="post" action=(format!("/tenants/{}/services/{}", t.tenant_id, s.service)) {
                    input type="hidden" name="csrf" value=(csrf.unwrap_or(""));
                    input type="hidden" name="version" value=(st.version);
                    table {
                        thead { tr {
                            th { "L1" } th { "L2" } th { "L3" }
                            th { (l("Entitlements", "Derechos", "授权")) }
                            th { (l("Target date", "Fecha objetivo", "目标日期")) }
                            th { (l("Owner", "Responsable", "负责人")) }
                            th { (lang.t("note")) }
                        } }
                        tbody {
                            @for (i, r) in st.rows.iter().map(Some).chain(std::iter::once(None)).enumerate() {
                                tr {
                                    td { select name=(format!("l1_{i}")) disabled[!editable] aria-label="L1" {
                                        @if r.is_none() { option value="" { "—" } }
                                        @for x in L1::ALL { option value=(x.key()) selected[r.is_some_and(|r| r.l1 == x)] { (x.name()) } }
                                    } }
                                    td { input name=(format!("l2_{i}")) value=(r.and_then(|r| r.l2.clone()).unwrap_or_default()) size="22" disabled[!editable] aria-label="L2"; }
                                    td { input name=(format!("l3_{i}")) value=(r.and_then(|r| r.l3.clone()).unwrap_or_default()) size="16" disabled[!editable] aria-label="L3"; }
                                    td { input type="number" min="0" name=(format!("count_{i}")) value=(r.map(|r| r.count.to_string()).unwrap_or_default()) disabled[!editable] aria-label="count"; }
                                    td { input type="date" name=(format!("target_{i}")) value=(r.and_then(|r| r.target_date).map(|d| d.to_string()).unwrap_or_default()) disabled[!editable] aria-label="target date"; }
                                    td { input name=(format!("owner_{i}")) value=(r.and_then(|r| r.owner.clone()).unwrap_or_default()) size="12" disabled[!editable] aria-label="owner"; }
                                    td { input name=(format!("note_{i}")) value=(r.map(|r| r.note.clone()).unwrap_or_default()) size="24" disabled[!editable] aria-label="note"; }
                                }
                            }
                        }
                    }
                    @if editable { p { button type="submit" { (lang.t("save")) } " " span.muted { (l("The rows must add up to the entitlements.", "Las filas deben sumar los derechos.", "各行之和必须等于授权数。")) } } }
                }
                (extra)
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
    let l = |en, es, zh| lang.pick(en, es, zh);
    html! {
        table id="contacts" {
            thead { tr { th { (lang.t("name")) } th { "E-mail" } th { (l("Kind", "Tipo", "类型")) } th { (l("Title", "Cargo", "职务")) } th { (l("Survey", "Encuesta", "调查")) } @if editable { th {} } } }
            tbody {
                @for c in contacts {
                    tr {
                        td { (c.name) } td { (c.email) } td { (c.kind.name()) } td { (c.title) }
                        td { @if c.survey_eligible { (c.survey_language) " · " (c.services.join(", ")) } @else { "—" } }
                        @if editable { td {
                            form method="post" action=(format!("/tenants/{}/contacts/{}/delete", t.tenant_id, c.id)) {
                                input type="hidden" name="csrf" value=(csrf.unwrap_or(""));
                                button.link type="submit" { (l("Delete", "Eliminar", "删除")) }
                            }
                        } }
                    }
                }
            }
        }
        @if editable {
            h2 { (l("Add a contact", "Añadir un contacto", "添加联系人")) }
            form.filters method="post" action=(format!("/tenants/{}/contacts", t.tenant_id)) {
                input type="hidden" name="csrf" value=(csrf.unwrap_or(""));
                label { (lang.t("name")) input name="name" required; }
                label { "E-mail" input type="email" name="email"; }
                label { (l("Kind", "Tipo", "类型")) select name="kind" { @for k in ContactType::ALL { option value=(k.key()) { (k.name()) } } } }
                label { (l("Title", "Cargo", "职务")) input name="title"; }
                label { (l("Country", "País", "国家/地区")) input name="country" size="6"; }
                label { (l("Engaged", "Implicado", "已参与")) input type="checkbox" name="engaged" value="1"; }
                label { (l("Survey eligible", "Apto para encuesta", "可参与调查")) input type="checkbox" name="survey_eligible" value="1"; }
                label { (l("Survey language", "Idioma de la encuesta", "调查语言")) input name="survey_language" size="6"; }
                label { (l("Services (comma-separated)", "Servicios (separados por comas)", "服务（逗号分隔）")) input name="services"; }
                button type="submit" { (lang.t("save")) }
            }
        }
    }
}

/// The Partners tab.
pub(crate) fn partners_tab(
    t: &Tenant,
    partners: &[(String, bool)],
    lang: Lang,
    csrf: Option<&str>,
    editable: bool,
) -> Markup {
    let l = |en, es, zh| lang.pick(en, es, zh);
    html! {
        table id="partners" {
            thead { tr { th { (l("Partner company", "Empresa asociada", "合作伙伴公司")) } th { (l("Desires partner assistance", "Desea ayuda del asociado", "需要合作伙伴协助")) } } }
            tbody { @for (name, wants) in partners { tr { td { (name) } td { @if *wants { "✓" } @else { "—" } } } } }
        }
        @if editable {
            form.filters method="post" action=(format!("/tenants/{}/partners", t.tenant_id)) {
                input type="hidden" name="csrf" value=(csrf.unwrap_or(""));
                label { (l("Partner company", "Empresa asociada", "合作伙伴公司")) input name="partner" required; }
                label { (l("Desires partner assistance", "Desea ayuda del asociado", "需要合作伙伴协助")) input type="checkbox" name="desires_assistance" value="1"; }
                button type="submit" { (lang.t("save")) }
            }
        }
    }
}

/// The Eligibility tab (read-only by design).
pub(crate) fn eligibility_tab(t: &Tenant, lang: Lang) -> Markup {
    let l = |en, es, zh| lang.pick(en, es, zh);
    let seats = t
        .services
        .iter()
        .map(|s| s.qualified.max(0) as u64)
        .max()
        .unwrap_or(0);
    let e =
        ftop_domain::eligibility::eligibility(seats, t.program_exception, t.enterprise_exception);
    let yes = |b: bool| {
        if b {
            l("Yes", "Sí", "是")
        } else {
            l("No", "No", "否")
        }
    };
    html! {
        dl.facts id="eligibility" {
            dt { (l("Seats that count", "Puestos que cuentan", "计入的席位")) } dd { (seats) }
            dt { (l("Program (150 seats or an exception)", "Programa (150 puestos o una excepción)", "计划（150 个席位或例外）")) } dd { (yes(e.program)) }
            dt { (l("Data migration (more than 500 seats)", "Migración de datos (más de 500 puestos)", "数据迁移（超过 500 个席位）")) } dd { (yes(e.migration)) }
            dt { (l("Enterprise benefits (20,000 seats or an exception)", "Ventajas Enterprise (20.000 puestos o una excepción)", "企业权益（20,000 个席位或例外）")) } dd { (yes(e.enterprise)) }
            dt { (l("Additional adoption benefit", "Ventaja adicional de adopción", "额外采用权益")) } dd { (yes(t.adoption_benefit)) }
        }
    }
}

fn back(id: &str, tab: &str, r: Result<(), StoreError>, lang: Lang) -> Result<Response, PageError> {
    super::record::back(id, tab, r.map(|()| format!("saved={tab}")), lang)
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
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
                    bad.push(format!("rows[{i}].{n}: `{s}` is not a date"));
                    None
                }
            }
        };
        let target_date = date("target");
        let Some(l1) = L1::parse(l1) else {
            bad.push(format!("rows[{i}].l1: unknown status"));
            continue;
        };
        let count = match text("count").map(|c| c.parse::<u64>()) {
            Some(Ok(n)) => n,
            _ => {
                bad.push(format!("rows[{i}].count: give a whole number"));
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
        return Ok(Redirect::to(&format!(
            "/tenants/{id}?tab=services&invalid={}",
            crate::auth::urlencode(&bad.join("; "))
        ))
        .into_response());
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
    let s = |n: &str| field(&form, n).unwrap_or("").to_string();
    let c = NewContact {
        kind: ContactType::parse(&s("kind")),
        name: s("name"),
        email: s("email"),
        title: s("title"),
        country: s("country"),
        engaged: field(&form, "engaged") == Some("1"),
        survey_eligible: field(&form, "survey_eligible") == Some("1"),
        survey_language: s("survey_language"),
        services: s("services")
            .split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(String::from)
            .collect(),
        ..Default::default()
    };
    let r = state
        .store
        .add_contact(&Actor::user(&v.user), &id, &c)
        .await
        .map(|_| ());
    back(&id, "contacts", r, lang)
}

/// `POST /tenants/{id}/contacts/{contact}/delete`.
pub(crate) async fn delete_contact(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path((id, contact)): Path<(String, i64)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    super::record::may_write(&state, &v, lang, &id, field(&form, "csrf")).await?;
    let r = state
        .store
        .delete_contact(&Actor::user(&v.user), &id.to_ascii_lowercase(), contact)
        .await;
    back(&id, "contacts", r, lang)
}

/// `POST /tenants/{id}/partners`.
pub(crate) async fn add_partner(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    super::record::may_write(&state, &v, lang, &id, field(&form, "csrf")).await?;
    let r = state
        .store
        .add_tenant_partner(
            &Actor::user(&v.user),
            &id,
            field(&form, "partner").unwrap_or(""),
            field(&form, "desires_assistance") == Some("1"),
        )
        .await
        .map(|_| ());
    back(&id, "partners", r, lang)
}
