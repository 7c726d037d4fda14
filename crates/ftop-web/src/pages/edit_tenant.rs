//! `/tenants/{id}/edit`: a tenant's name, customer and services changed in the portal
//! (administrators and managers), through the same service as
//! `PATCH /api/v1/tenants/{id}`; and `POST /tenants/{id}/exception`, the eligibility
//! exception an administrator grants on the Eligibility tab.

use super::new_tenant::{services_of, services_table};
use crate::auth::{PageViewer, Viewer};
use crate::error::{PageError, PageResult};
use crate::extract::{Form, Path};
use crate::i18n::Lang;
use crate::pages::forms::{form_error, value};
use crate::pages::layout::{flash, page};
use crate::service::tenants::{self as service, TenantEditBody};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ftop_store::{EngagementUpdate, Tenant};
use maud::{Markup, html};

/// The form's fields as the stored tenant fills them.
fn typed_of(t: &Tenant) -> Vec<(String, String)> {
    let mut typed = vec![
        ("tenant_name".to_string(), t.name.clone()),
        ("customer".to_string(), t.customer.clone()),
        ("version".to_string(), t.version.to_string()),
    ];
    for s in &t.services {
        typed.push((format!("seats_{}", s.service), s.entitlements.to_string()));
        typed.push((format!("qualified_{}", s.service), s.qualified.to_string()));
    }
    typed
}

/// `GET /tenants/{id}/edit`.
pub(crate) async fn form_page(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let t = service::visible(&state, &v, &id).await.page(lang)?;
    service::may_create(&v).page(lang)?;
    Ok(render(
        &v,
        lang,
        &t.tenant,
        &typed_of(&t.tenant),
        None,
        StatusCode::OK,
    ))
}

fn render(
    v: &Viewer,
    lang: Lang,
    t: &Tenant,
    typed: &[(String, String)],
    message: Option<Markup>,
    status: StatusCode,
) -> Response {
    let csrf = v.csrf.clone().unwrap_or_default();
    let title = format!("{}: {}", lang.t("tenant-edit"), t.name);
    let body = html! {
        h1 { (title) }
        p.muted { (t.tenant_id) }
        @if let Some(m) = message { (m) }
        form method="post" action={ "/tenants/" (t.tenant_id) "/edit" } {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="version" value=(value(typed, "version"));
            p { label { (lang.t("field-tenant-name")) " " input name="tenant_name" required maxlength="253" size="40" value=(value(typed, "tenant_name")); } }
            p { label { (lang.t("field-customer")) " " input name="customer" required maxlength="200" value=(value(typed, "customer")); } }
            (services_table(lang, typed))
            p.muted { (lang.t("tenant-edit-hint")) }
            button type="submit" { (lang.t("save")) }
            " "
            a href={ "/tenants/" (t.tenant_id) } { (lang.t("cancel")) }
        }
    };
    (status, page(lang, v, &title, body)).into_response()
}

/// `POST /tenants/{id}/edit`: saves and goes back to the tenant; a refused form comes back
/// with what was typed and the reasons, a stale one with the conflict notice.
pub(crate) async fn save(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let csrf = Some(value(&form, "csrf"));
    let version: i64 = value(&form, "version").trim().parse().unwrap_or(-1);
    let edit = TenantEditBody {
        tenant_name: Some(value(&form, "tenant_name").to_string()),
        customer: Some(value(&form, "customer").to_string()),
        services: Some(services_of(&form)),
    }
    .into_edit()
    .page(lang)?;
    let r = service::change(
        &state,
        &v,
        &id,
        csrf,
        version,
        &edit,
        &EngagementUpdate::default(),
    )
    .await;
    match r {
        Ok(t) => {
            Ok(Redirect::to(&format!("/tenants/{}?saved=edited", t.tenant_id)).into_response())
        }
        // Changed meanwhile: what was typed stays, with the new version, to be looked at
        // against the tenant as it is now (a link away) and sent again.
        Err(e) if e.kind == crate::error::Kind::Conflict => {
            let t = service::visible(&state, &v, &id).await.page(lang)?.tenant;
            let mut typed: Vec<(String, String)> =
                form.into_iter().filter(|(k, _)| k != "version").collect();
            typed.push(("version".into(), t.version.to_string()));
            let m = flash("error", lang.t("conflict"));
            Ok(render(&v, lang, &t, &typed, Some(m), StatusCode::CONFLICT))
        }
        Err(e) if e.kind == crate::error::Kind::Invalid => {
            let t = service::visible(&state, &v, &id).await.page(lang)?.tenant;
            let m = form_error(lang, e)?;
            Ok(render(
                &v,
                lang,
                &t,
                &form,
                Some(m),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => Err(PageError::new(lang, e)),
    }
}

/// The Eligibility tab's exception form (administrators).
pub(crate) fn exception_form(t: &Tenant, lang: Lang, csrf: Option<&str>) -> Markup {
    html! {
        form.inline method="post" action={ "/tenants/" (t.tenant_id) "/exception" } {
            input type="hidden" name="csrf" value=(csrf.unwrap_or_default());
            fieldset {
                legend { (lang.t("exception")) }
                label { input type="checkbox" name="exception" value="1" checked[t.program_exception]; " " (lang.t("exception-grant")) }
                label { (lang.t("field-reason")) " " input name="reason" maxlength="500" size="40" value=(t.exception_reason.clone().unwrap_or_default()); }
                button type="submit" { (lang.t("save")) }
            }
        }
    }
}

/// `POST /tenants/{id}/exception`.
pub(crate) async fn save_exception(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let r = service::set_exception(
        &state,
        &v,
        &id,
        Some(value(&form, "csrf")),
        value(&form, "exception") == "1",
        Some(value(&form, "reason")),
    )
    .await
    .map(|_| "saved=exception".to_string());
    super::record::back(&id, "eligibility", r, lang)
}
