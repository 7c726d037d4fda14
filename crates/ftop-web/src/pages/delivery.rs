//! The Services tab's Delivery section of a service: its engagement scenario, delivery
//! teams and engagement start date, and whom its Active Usage growth is credited to;
//! changed by FastTrack managers and administrators (`POST .../services/{service}/delivery`).

use crate::auth::PageViewer;
use crate::error::PageError;
use crate::extract::{Form, Path};
use crate::i18n::Lang;
use crate::pages::forms::{field, value};
use axum::response::Response;
use ftop_domain::{Credit, EngagementScenario};
use ftop_store::{Delivery, DeliveryUpdate};
use maud::{Markup, html};

/// The section: a form for those who may change it, the values for everyone else.
pub(crate) fn section(
    tenant: &str,
    d: &Delivery,
    (credit, primary): (Credit, Option<String>),
    lang: Lang,
    csrf: Option<&str>,
    can_change: bool,
) -> Markup {
    let credited = match (credit, primary) {
        (Credit::Partner, Some(p)) => lang.t_with("credited-partner-named", &[("who", p.into())]),
        (Credit::Partner, None) => lang.t("credited-partner").to_string(),
        (Credit::FastTrack, Some(p)) => {
            lang.t_with("credited-fasttrack-named", &[("who", p.into())])
        }
        (Credit::FastTrack, None) => lang.t("credited-fasttrack").to_string(),
        (Credit::Nobody, _) => lang.t("credited-nobody").to_string(),
    };
    let s = &d.service;
    html! {
        h3 id=(format!("delivery-{s}")) { (lang.t("delivery")) }
        p.credit { (credited) }
        @if can_change {
            form.delivery method="post" action=(format!("/tenants/{tenant}/services/{s}/delivery#delivery-{s}")) {
                input type="hidden" name="csrf" value=(csrf.unwrap_or(""));
                input type="hidden" name="version" value=(d.version);
                label { (lang.t("engagement-scenario")) " "
                    select name="scenario" {
                        @for x in EngagementScenario::ALL { option value=(x.key()) selected[*x == d.scenario] { (lang.label(*x)) } }
                    }
                }
                " "
                label { (lang.t("engagement-start-date")) " "
                    input type="date" name="start_date" value=(d.start_date.clone().unwrap_or_default());
                }
                br;
                label { (lang.t("delivery-teams")) br;
                    textarea name="teams" rows="3" cols="40" { (d.teams.join("\n")) }
                }
                br;
                button type="submit" { (lang.t("save-delivery")) }
            }
        } @else {
            dl.facts {
                dt { (lang.t("engagement-scenario")) } dd { (lang.label(d.scenario)) }
                dt { (lang.t("engagement-start-date")) } dd { (d.start_date.clone().unwrap_or_else(|| "—".into())) }
                dt { (lang.t("delivery-teams")) } dd { @if d.teams.is_empty() { "—" } @else { (d.teams.join(", ")) } }
            }
            p.muted { (lang.t("delivery-managers-only")) }
        }
    }
}

/// `POST /tenants/{id}/services/{service}/delivery`.
pub(crate) async fn save(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path((id, service)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scenario = value(&form, "scenario");
    let Some(scenario) = EngagementScenario::parse(scenario) else {
        let e = crate::error::AppError::field_error(
            ftop_domain::FieldError::of("scenario", "invalid-choice").quoting("value", scenario),
        );
        return super::record::back(&id, "services", Err::<String, _>(e), lang);
    };
    let u = DeliveryUpdate {
        scenario: Some(scenario),
        teams: value(&form, "teams").lines().map(String::from).collect(),
        start_date: value(&form, "start_date").to_string(),
    };
    let version: i64 = value(&form, "version").parse().unwrap_or(-1);
    let r = crate::service::delivery::change(
        &state,
        &v,
        (&id, &service),
        field(&form, "csrf"),
        version,
        &u,
    )
    .await
    .map(|_| "saved=delivery".to_string());
    super::record::back(&id, "services", r, lang)
}
