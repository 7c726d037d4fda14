//! A contact's form, for adding one on the Contacts tab and for changing one at
//! `/tenants/{id}/contacts/{contact}/edit` (a refused change comes back with what was typed
//! and the reasons), and the contact the form describes.

use crate::auth::PageViewer;
use crate::error::{PageError, PageResult};
use crate::extract::{Form, Path};
use crate::i18n::Lang;
use crate::pages::forms::{saved_or_again, value};
use crate::pages::layout::page;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ftop_domain::ContactType;
use ftop_store::{Actor, Contact, NewContact};
use maud::{Markup, html};

/// The contact's fields, holding `typed` (field name, value).
pub(crate) fn fields(lang: Lang, typed: &[(String, String)]) -> Markup {
    let kind = ContactType::parse(value(typed, "kind"));
    let ticked = |n: &str| value(typed, n) == "1";
    html! {
        label { (lang.t("name")) input name="name" required maxlength="200" value=(value(typed, "name")); }
        label { (lang.t("email")) input type="email" name="email" maxlength="254" value=(value(typed, "email")); }
        label { (lang.t("contact-kind")) select name="kind" {
            @for k in ContactType::ALL { option value=(k.key()) selected[kind == Some(*k)] { (lang.label(*k)) } }
        } }
        label { (lang.t("contact-title")) input name="title" maxlength="200" value=(value(typed, "title")); }
        label { (lang.t("phone")) input type="tel" name="phone" maxlength="50" value=(value(typed, "phone")); }
        label { (lang.t("country")) input name="country" size="4" maxlength="2" pattern="[A-Za-z]{2}" value=(value(typed, "country")); }
        label { (lang.t("engaged")) input type="checkbox" name="engaged" value="1" checked[ticked("engaged")]; }
        label { (lang.t("survey-eligible")) input type="checkbox" name="survey_eligible" value="1" checked[ticked("survey_eligible")]; }
        label { (lang.t("survey-language")) input name="survey_language" size="6" maxlength="10" value=(value(typed, "survey_language")); }
        label { (lang.t("services-comma-separated")) input name="services" value=(value(typed, "services")); }
    }
}

/// The contact a filled-in form describes.
pub(crate) fn contact_of(form: &[(String, String)]) -> NewContact {
    let s = |n: &str| value(form, n).to_string();
    NewContact {
        kind: ContactType::parse(value(form, "kind")),
        name: s("name"),
        email: s("email"),
        title: s("title"),
        phone: s("phone"),
        country: s("country"),
        engaged: value(form, "engaged") == "1",
        survey_eligible: value(form, "survey_eligible") == "1",
        survey_language: s("survey_language"),
        services: value(form, "services")
            .split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(String::from)
            .collect(),
    }
}

/// The form's fields as a stored contact fills them.
fn typed_of(c: &Contact) -> Vec<(String, String)> {
    let flag = |b: bool| if b { "1" } else { "" }.to_string();
    [
        ("name", c.name.clone()),
        ("email", c.email.clone()),
        ("kind", c.kind.key().to_string()),
        ("title", c.title.clone()),
        ("phone", c.phone.clone()),
        ("country", c.country.clone()),
        ("engaged", flag(c.engaged)),
        ("survey_eligible", flag(c.survey_eligible)),
        ("survey_language", c.survey_language.clone()),
        ("services", c.services.join(", ")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

fn render(
    v: &crate::auth::Viewer,
    lang: Lang,
    (tenant, contact): (&str, i64),
    typed: &[(String, String)],
    message: Option<Markup>,
    status: StatusCode,
) -> Response {
    let body = html! {
        h1 { (lang.t("contact-edit")) }
        @if let Some(m) = message { (m) }
        form.filters method="post" action=(format!("/tenants/{tenant}/contacts/{contact}/edit")) {
            input type="hidden" name="csrf" value=(v.csrf.clone().unwrap_or_default());
            (fields(lang, typed))
            button type="submit" { (lang.t("save")) }
            " "
            a href=(format!("/tenants/{tenant}?tab=contacts")) { (lang.t("cancel")) }
        }
    };
    (status, page(lang, v, lang.t("contact-edit"), body)).into_response()
}

/// `GET /tenants/{id}/contacts/{contact}/edit`.
pub(crate) async fn edit_page(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path((id, contact)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    crate::service::access::tenant(&state, &v, &id, crate::service::access::Need::Form, None)
        .await
        .page(lang)?;
    let id = id.to_ascii_lowercase();
    let c = state
        .store
        .contacts(&id)
        .await
        .page(lang)?
        .into_iter()
        .find(|c| c.id == contact)
        .ok_or_else(|| PageError::new(lang, crate::error::AppError::not_found("contact")))?;
    Ok(render(
        &v,
        lang,
        (&id, contact),
        &typed_of(&c),
        None,
        StatusCode::OK,
    ))
}

/// `POST /tenants/{id}/contacts/{contact}/edit`.
pub(crate) async fn save(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path((id, contact)): Path<(String, i64)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    super::record::may_write(&state, &v, lang, &id, Some(value(&form, "csrf"))).await?;
    let id = id.to_ascii_lowercase();
    let r = state
        .store
        .update_contact(&Actor::user(&v.user), &id, contact, &contact_of(&form))
        .await;
    let done = format!("/tenants/{id}?tab=contacts&saved=contact");
    saved_or_again(lang, r, &done, |m, status| {
        render(&v, lang, (&id, contact), &form, Some(m), status)
    })
}
