//! `/tenants/new`: a tenant created in the portal (administrators and managers): its ID,
//! name and customer, and its services with entitlements and qualified seats, one row per
//! service of the catalogue (a row left at no entitlements is no service). The same
//! service function as `POST /api/v1/tenants`; a refused form comes back with what was
//! typed and the reasons.

use crate::auth::{PageViewer, Viewer};
use crate::error::{PageError, PageResult};
use crate::extract::Form;
use crate::i18n::Lang;
use crate::pages::forms::{form_error, value};
use crate::pages::layout::page;
use crate::service::tenants::{self as service, NewService, NewTenantBody};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ftop_domain::catalogue::SERVICES;
use maud::{Markup, html};

/// `GET /tenants/new`.
pub(crate) async fn form_page(PageViewer { v, lang }: PageViewer) -> Result<Response, PageError> {
    service::may_create(&v).page(lang)?;
    Ok(render(&v, lang, &[], None, StatusCode::OK))
}

fn render(
    v: &Viewer,
    lang: Lang,
    typed: &[(String, String)],
    message: Option<Markup>,
    status: StatusCode,
) -> Response {
    let csrf = v.csrf.clone().unwrap_or_default();
    let body = html! {
        h1 { (lang.t("tenant-new")) }
        @if let Some(m) = message { (m) }
        form method="post" action="/tenants/new" {
            input type="hidden" name="csrf" value=(csrf);
            p { label { (lang.t("field-tenant-id")) " " input name="tenant_id" required maxlength="64" size="40" placeholder="0f8fad5b-d9cb-469f-a165-70867728950e" value=(value(typed, "tenant_id")); } }
            p { label { (lang.t("field-tenant-name")) " " input name="tenant_name" required maxlength="253" size="40" placeholder=(lang.t("tenant-new-name-example")) value=(value(typed, "tenant_name")); } }
            p { label { (lang.t("field-customer")) " " input name="customer" required maxlength="200" value=(value(typed, "customer")); } }
            (services_table(lang, typed))
            p.muted { (lang.t("tenant-new-hint")) }
            button type="submit" { (lang.t("tenant-new-create")) }
        }
    };
    (status, page(lang, v, lang.t("tenant-new"), body)).into_response()
}

/// The services of the catalogue, one row each, with entitlements and qualified seats as
/// typed (`seats_KEY`, `qualified_KEY`); shared with the edit form.
pub(crate) fn services_table(lang: Lang, typed: &[(String, String)]) -> Markup {
    html! {
        table {
            caption { (lang.t("tenant-new-services")) }
            thead { tr {
                th scope="col" { (lang.t("field-service")) }
                th scope="col" { (lang.t("field-entitlements")) }
                th scope="col" { (lang.t("field-qualified-entitlements")) }
            } }
            tbody {
                @for s in SERVICES {
                    tr {
                        th scope="row" { (s.name) }
                        td { input type="number" min="0" name={ "seats_" (s.key) } value=(value(typed, &format!("seats_{}", s.key))) aria-label={ (s.name) ": " (lang.t("field-entitlements")) }; }
                        td { input type="number" min="0" name={ "qualified_" (s.key) } value=(value(typed, &format!("qualified_{}", s.key))) aria-label={ (s.name) ": " (lang.t("field-qualified-entitlements")) }; }
                    }
                }
            }
        }
    }
}

/// The service rows a form filled in (a row left empty is no service; a number that is
/// not one is sent as such and refused by the seats rule).
pub(crate) fn services_of(form: &[(String, String)]) -> Vec<NewService> {
    let seats = |s: &str| s.trim().parse::<i64>().unwrap_or(-1);
    SERVICES
        .iter()
        .filter(|s| !value(form, &format!("seats_{}", s.key)).trim().is_empty())
        .map(|s| NewService {
            service: s.key.to_string(),
            entitlements: seats(value(form, &format!("seats_{}", s.key))),
            qualified_entitlements: Some(value(form, &format!("qualified_{}", s.key)))
                .filter(|q| !q.trim().is_empty())
                .map(seats),
        })
        .collect()
}

/// `POST /tenants/new`: creates the tenant and opens it.
pub(crate) async fn create(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    v.check_csrf(Some(value(&form, "csrf"))).page(lang)?;
    service::may_create(&v).page(lang)?;
    let services = services_of(&form);
    let b = NewTenantBody {
        tenant_id: value(&form, "tenant_id").to_string(),
        tenant_name: value(&form, "tenant_name").to_string(),
        customer: value(&form, "customer").to_string(),
        services,
    };
    match service::create(&state, &v, b).await {
        Ok(t) => {
            Ok(Redirect::to(&format!("/tenants/{}?saved=created", t.tenant_id)).into_response())
        }
        Err(e) if e.kind == crate::error::Kind::Conflict => {
            let m = crate::pages::layout::flash("error", &e.fields_line(lang));
            Ok(render(&v, lang, &form, Some(m), StatusCode::CONFLICT))
        }
        Err(e) => {
            let m = form_error(lang, e)?;
            Ok(render(
                &v,
                lang,
                &form,
                Some(m),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    }
}
