//! The Status tab's Enterprise status section of an enterprise tenant: the current status
//! (its red/amber/green badge says the colour in words too, and an overdue marker shows
//! once the next update's day has passed), the earlier entries folded in `<details>`, and
//! for those who may add one the form (`POST /tenants/{id}/enterprise-status`), which works
//! without JavaScript and comes back as typed when refused (422, each message beside its
//! field). Who may add, and which tenants have the section: `service/enterprise.rs`.

use crate::auth::PageViewer;
use crate::error::{Kind, PageError};
use crate::extract::{Form, Path};
use crate::i18n::Lang;
use crate::pages::again::{self, Again};
use crate::pages::forms::{field, value};
use axum::response::Response;
use ftop_domain::enterprise::EnterpriseDraft;
use ftop_domain::{EnterpriseReason, Rag, limits};
use ftop_store::EnterpriseStatus;
use maud::{Markup, html};

/// The form's name for [`Again`].
const FORM: &str = "enterprise";

/// The section, for a tenant that has an Enterprise status (`entries`: newest first).
pub(crate) fn section(
    tenant: &str,
    entries: &[EnterpriseStatus],
    again: Option<&Again>,
    lang: Lang,
    csrf: Option<&str>,
    may_add: bool,
) -> Markup {
    let today = ftop_store::today();
    html! {
        section #enterprise-status aria-labelledby="enterprise-status-heading" {
            h2 #enterprise-status-heading { (lang.t("enterprise-status")) }
            @match entries.split_first() {
                None => { p.muted { (lang.t("enterprise-none")) } }
                Some((current, earlier)) => {
                    div.enterprise-current {
                        p { (badge(current.rag, lang)) " " span.muted { (recorded(current, lang)) } }
                        @if current.overdue(today) {
                            p.overdue { strong { (lang.t_with("enterprise-overdue", &[("date", lang.day(&current.next_update).into())])) } }
                        }
                        (facts(current, lang))
                    }
                    @if !earlier.is_empty() {
                        h3 { (lang.t_with("enterprise-earlier", &[("count", earlier.len().into())])) }
                        @for e in earlier {
                            details.enterprise-entry id=(format!("enterprise-{}", e.id)) {
                                summary { (badge(e.rag, lang)) " " (recorded(e, lang)) }
                                (facts(e, lang))
                            }
                        }
                    }
                }
            }
            @if may_add {
                (form(tenant, again::of(again, FORM), lang, csrf, today))
            } @else {
                p.muted { (lang.t("enterprise-writers-only")) }
            }
        }
    }
}

/// The red/amber/green badge: coloured, and the colour's name in words.
fn badge(rag: Rag, lang: Lang) -> Markup {
    html! { span class=(format!("rag rag-{}", rag.key())) { (lang.label(rag)) } }
}

/// What a colour means.
fn about(rag: Rag, lang: Lang) -> &'static str {
    match rag {
        Rag::Red => lang.t("rag-about-red"),
        Rag::Amber => lang.t("rag-about-amber"),
        Rag::Green => lang.t("rag-about-green"),
    }
}

/// "Recorded (when) by (who)".
fn recorded(e: &EnterpriseStatus, lang: Lang) -> String {
    lang.t_with(
        "enterprise-updated",
        &[
            ("when", lang.when(&e.created_at).into()),
            ("who", e.author.as_str().into()),
        ],
    )
}

/// An entry's fields (the optional ones only when filled in).
fn facts(e: &EnterpriseStatus, lang: Lang) -> Markup {
    let reasons: Vec<&str> = e.reasons.iter().map(|r| lang.label(*r)).collect();
    let optional = [
        ("enterprise-activities", &e.activities),
        ("enterprise-risks", &e.risks),
        ("enterprise-brand", &e.brand),
        ("enterprise-awareness", &e.awareness),
    ];
    let optional_label = |id: &str| match id {
        "enterprise-activities" => lang.t("enterprise-activities"),
        "enterprise-risks" => lang.t("enterprise-risks"),
        "enterprise-brand" => lang.t("enterprise-brand"),
        _ => lang.t("enterprise-awareness"),
    };
    html! {
        dl.facts {
            dt { (lang.t("enterprise-reasons")) } dd { (reasons.join(", ")) }
            dt { (lang.t("enterprise-summary")) } dd.text { (e.summary) }
            dt { (lang.t("enterprise-overview")) } dd.text { (e.overview) }
            @for (id, text) in optional {
                @if !text.is_empty() { dt { (optional_label(id)) } dd.text { (text) } }
            }
            dt { (lang.t("enterprise-next-update")) }
            dd { time datetime=(e.next_update) { (lang.day(&e.next_update)) } }
        }
    }
}

/// The form that adds an entry, as typed when it came back.
fn form(
    tenant: &str,
    a: Option<&Again>,
    lang: Lang,
    csrf: Option<&str>,
    today: time::Date,
) -> Markup {
    let typed = |name: &str| again::value_or(a, name, "");
    let reasons: Vec<&str> = a.map(|a| a.values("reasons").collect()).unwrap_or_default();
    let rag = typed("rag");
    // The message beside an input at fault, and the input's reference to it.
    let said = |name: &str| a.and_then(|a| a.said(name));
    let described = |name: &str| said(name).map(|_| format!("enterprise-error-{name}"));
    let error = |name: &str| {
        html! {
            @if let Some(m) = said(name) {
                span.field-error id=(format!("enterprise-error-{name}")) { (m) }
            }
        }
    };
    let max = |l: limits::Limit| l.max;
    let texts = [
        (
            "summary",
            lang.t("enterprise-summary"),
            true,
            max(limits::ENTERPRISE_SUMMARY),
        ),
        (
            "overview",
            lang.t("enterprise-overview"),
            true,
            max(limits::ENTERPRISE_OVERVIEW),
        ),
        (
            "activities",
            lang.t("enterprise-activities"),
            false,
            max(limits::ENTERPRISE_ACTIVITIES),
        ),
        (
            "risks",
            lang.t("enterprise-risks"),
            false,
            max(limits::ENTERPRISE_RISKS),
        ),
    ];
    html! {
        h3 #enterprise-add { (lang.t("enterprise-add")) }
        @if let Some(a) = a { (a.message) }
        p.muted { (lang.t("enterprise-required-note")) }
        form.enterprise method="post" action=(format!("/tenants/{tenant}/enterprise-status#enterprise-add")) {
            input type="hidden" name="csrf" value=(csrf.unwrap_or(""));
            fieldset aria-describedby=[described("reasons")] {
                legend { (lang.t("enterprise-reasons")) " *" }
                @for r in EnterpriseReason::ALL {
                    label.choice {
                        input type="checkbox" name="reasons" value=(r.key()) checked[reasons.contains(&r.key())] aria-invalid=[again::invalid(a, "reasons")];
                        " " (lang.label(*r))
                    }
                }
                (error("reasons"))
            }
            fieldset aria-describedby=[described("rag")] {
                legend { (lang.t("enterprise-rag")) " *" }
                @for r in Rag::ALL {
                    label.choice {
                        input type="radio" name="rag" value=(r.key()) required checked[rag == r.key()] aria-invalid=[again::invalid(a, "rag")];
                        " " (badge(*r, lang)) " " span.muted { (about(*r, lang)) }
                    }
                }
                (error("rag"))
            }
            @for (name, label, required, max) in texts {
                p {
                    label for=(format!("enterprise-{name}")) { (label) @if required { " *" } }
                    br;
                    textarea id=(format!("enterprise-{name}")) name=(name) rows="4" cols="80" maxlength=(max) required[required]
                        aria-invalid=[again::invalid(a, name)]
                        aria-describedby=[described(name).or_else(|| (name == "summary").then(|| "enterprise-summary-help".to_string()))] { (typed(name)) }
                    @if name == "summary" { br; span.muted #enterprise-summary-help { (lang.t("enterprise-summary-help")) } }
                    (error(name))
                }
            }
            p {
                label for="enterprise-brand" { (lang.t("enterprise-brand")) }
                " "
                input #enterprise-brand name="brand" size="40" maxlength=(limits::ENTERPRISE_BRAND.max) value=(typed("brand"))
                    aria-invalid=[again::invalid(a, "brand")] aria-describedby=[described("brand")];
                (error("brand"))
            }
            p {
                label for="enterprise-awareness" { (lang.t("enterprise-awareness")) }
                br;
                textarea #enterprise-awareness name="awareness" rows="3" cols="80" maxlength=(limits::ENTERPRISE_AWARENESS.max)
                    aria-invalid=[again::invalid(a, "awareness")] aria-describedby=[described("awareness")] { (typed("awareness")) }
                (error("awareness"))
            }
            p {
                label for="enterprise-next-update" { (lang.t("enterprise-next-update")) " *" }
                " "
                input #enterprise-next-update type="date" name="next_update" required min=(today.to_string()) value=(typed("next_update"))
                    aria-invalid=[again::invalid(a, "next_update")] aria-describedby=[described("next_update")];
                (error("next_update"))
            }
            button type="submit" { (lang.t("enterprise-save")) }
        }
    }
}

/// The input a field error is about (`reasons[2]` is the reasons' group).
fn input_of(field: &str) -> &str {
    field.split('[').next().unwrap_or(field)
}

/// `POST /tenants/{id}/enterprise-status`.
pub(crate) async fn add(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let d = EnterpriseDraft {
        reasons: form
            .iter()
            .filter(|(k, _)| k == "reasons")
            .map(|(_, v)| v.clone())
            .collect(),
        rag: value(&form, "rag").to_string(),
        summary: value(&form, "summary").to_string(),
        overview: value(&form, "overview").to_string(),
        activities: value(&form, "activities").to_string(),
        risks: value(&form, "risks").to_string(),
        brand: value(&form, "brand").to_string(),
        awareness: value(&form, "awareness").to_string(),
        next_update: value(&form, "next_update").to_string(),
    };
    let r = crate::service::enterprise::add(&state, &v, &id, field(&form, "csrf"), &d).await;
    match r {
        Err(e) if e.kind == Kind::Invalid => {
            let mut beside: Vec<(String, String)> = Vec::new();
            for f in &e.fields {
                let name = input_of(&f.field).to_string();
                if !beside.iter().any(|(k, _)| *k == name) {
                    beside.push((name, f.message(lang.0)));
                }
            }
            let bad = beside.iter().map(|(k, _)| k.clone()).collect();
            let message = super::forms::form_error(lang, e)?;
            let a = Again::refused(FORM, form, message, bad).with_said(beside);
            super::tenant::show_again(&state, &v, lang, &id, "status", a).await
        }
        r => super::record::back(
            &id,
            "status",
            r.map(|e| format!("saved=enterprise-{}", e.id)),
            lang,
        ),
    }
}
