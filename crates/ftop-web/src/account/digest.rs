//! `/account`'s e-mail digest settings (issue 17): the address, the language and time
//! zone the digest is written and scheduled in, and how often it comes.

use crate::auth::{PageViewer, Viewer};
use crate::error::{AppError, PageError, PageResult};
use crate::extract::Form;
use crate::i18n::Lang;
use crate::pages::forms::{form_error, value};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ftop_domain::FieldError;
use ftop_store::{Actor, DigestFrequency, DigestSettings};
use maud::{Markup, html};

/// Time zones the form suggests (any IANA name is accepted).
const SUGGESTED_ZONES: &[&str] = &[
    "UTC",
    "Europe/London",
    "Europe/Madrid",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Australia/Sydney",
];

/// The settings section of the account page; `typed` holds a refused form's values.
pub(crate) async fn section(
    state: &crate::App,
    v: &Viewer,
    lang: Lang,
    typed: &[(String, String)],
) -> Result<Markup, PageError> {
    let s = state.store.digest_settings(v.user.id).await.page(lang)?;
    let typed_or = |k: &str, stored: String| {
        if typed.is_empty() {
            stored
        } else {
            value(typed, k).to_string()
        }
    };
    let email = typed_or("email", s.email.clone().unwrap_or_default());
    let language = typed_or("language", s.language.clone());
    let zone = typed_or("time_zone", s.time_zone.clone());
    let freq = typed_or("digest", s.digest.key().to_string());
    let csrf = v.csrf.clone().unwrap_or_default();
    Ok(html! {
        section id="digest" {
            h2 { (lang.t("digest-settings")) }
            p { (lang.t("digest-settings-intro")) }
            form method="post" action="/account/digest" {
                input type="hidden" name="csrf" value=(csrf);
                p { label { (lang.t("email")) " " input type="email" name="email" maxlength="254" autocomplete="email" value=(email); } }
                p { label { (lang.t("digest-frequency")) " "
                    select name="digest" {
                        @for f in DigestFrequency::ALL {
                            option value=(f.key()) selected[freq == f.key()] { (lang.t(&format!("digest-frequency-{}", f.key()))) }
                        }
                    }
                } }
                p { label { (lang.t("language")) " "
                    select name="language" {
                        @for l in Lang::ALL {
                            option value=(l.code()) selected[language == l.code()] { (l.name()) }
                        }
                    }
                } }
                p { label { (lang.t("digest-time-zone")) " "
                    input name="time_zone" list="time-zones" required maxlength="64" value=(zone);
                } }
                datalist id="time-zones" { @for z in SUGGESTED_ZONES { option value=(z); } }
                button type="submit" { (lang.t("digest-save")) }
            }
        }
    })
}

/// `POST /account/digest`.
pub(crate) async fn save(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    v.check_csrf(Some(value(&form, "csrf"))).page(lang)?;
    let zone = value(&form, "time_zone").trim().to_string();
    let settings = DigestSettings {
        email: Some(value(&form, "email").to_string()),
        language: value(&form, "language").to_string(),
        time_zone: zone.clone(),
        digest: DigestFrequency::parse(value(&form, "digest")).unwrap_or(DigestFrequency::Weekly),
    };
    let r = if crate::digest::known_zone(&zone) {
        state
            .store
            .set_digest_settings(&Actor::user(&v.user), v.user.id, &settings)
            .await
            .map_err(AppError::from)
    } else {
        Err(AppError::invalid(vec![
            FieldError::of("time_zone", "invalid-time-zone").quoting("value", &zone),
        ]))
    };
    if let Err(e) = r {
        let m = form_error(lang, e)?;
        return super::credentials::account_view(
            &state,
            &v,
            lang,
            Some(m),
            &form,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    Ok(Redirect::to("/account?done=digest").into_response())
}
