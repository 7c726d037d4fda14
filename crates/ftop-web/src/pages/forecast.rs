//! The forecast dates of a tenant's service on the Services tab: the submitted date (RFA)
//! and the targets for 10%, 40% and maximum Active Usage, set against the milestones
//! actually reached, with every accepted save kept in a history.

use crate::auth::PageViewer;
use crate::error::{AppError, PageError};
use crate::extract::{Form, Path};
use crate::i18n::Lang;
use crate::pages::record::{back_to, may_write};
use axum::response::Response;
use ftop_domain::adoption::{ForecastDates, ForecastStatus};
use ftop_store::{Actor, Forecast, ForecastSave, ServiceAdoption, Store, StoreError};
use maud::{Markup, html};
use serde::Deserialize;
use time::Date;

/// What the Services tab shows of one service's adoption and forecast.
#[derive(Debug, Default)]
pub(crate) struct ServiceForecast {
    forecast: Option<Forecast>,
    history: Vec<ForecastSave>,
    adoption: Option<ServiceAdoption>,
}

/// Reads the forecast, its history and the service's adoption.
pub(crate) async fn load(
    store: &Store,
    tenant_id: &str,
    service: &str,
    adoption: &[ServiceAdoption],
) -> Result<ServiceForecast, AppError> {
    Ok(ServiceForecast {
        forecast: store.forecast(tenant_id, service).await?,
        history: store.forecast_history(tenant_id, service).await?,
        adoption: adoption.iter().find(|a| a.service_key == service).cloned(),
    })
}

fn day(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn dash(d: Option<Date>) -> String {
    d.map_or_else(|| "—".to_string(), |d| d.to_string())
}

/// A forecast status in words.
pub(crate) fn status_name(s: ForecastStatus, lang: Lang) -> &'static str {
    lang.label(s)
}

/// The adoption and forecast part of one service's section.
pub(crate) fn section(
    tenant_id: &str,
    service: &str,
    f: &ServiceForecast,
    lang: Lang,
    csrf: Option<&str>,
    editable: bool,
) -> Markup {
    let dates = f.forecast.as_ref().map(|x| x.dates).unwrap_or_default();
    let a = f.adoption.as_ref();
    let status = |s: Option<ForecastStatus>| s.map_or("—", |s| status_name(s, lang));
    html! {
        h3 { (lang.t("forecast-heading")) }
        table.forecast {
            thead { tr {
                th { (lang.t("milestone")) }
                th { (lang.t("forecast")) }
                th { (lang.t("reached")) }
                th { (lang.t("status")) }
            } }
            tbody {
                tr { th scope="row" { "10%" } td { (dash(dates.target_10)) } td { (dash(a.and_then(|a| a.milestone_10))) } td { (status(a.and_then(|a| a.forecast_10))) } }
                tr { th scope="row" { "40%" } td { (dash(dates.target_40)) } td { (dash(a.and_then(|a| a.milestone_40))) } td { (status(a.and_then(|a| a.forecast_40))) } }
            }
        }
        @if let Some(a) = a {
            p.muted {
                (lang.t("au")) " " (a.au_percent.map_or_else(|| "—".to_string(), |p| format!("{p:.2}%")))
                " · " (a.active_users.unwrap_or(0)) " / " (a.qualified_entitlements)
                @if let Some(d) = a.as_of { " · " (lang.t_with("as-of", &[("date", d.to_string().into())])) }
            }
        }
        @if editable {
            form.filters method="post" action=(format!("/tenants/{tenant_id}/services/{service}/forecast")) {
                input type="hidden" name="csrf" value=(csrf.unwrap_or(""));
                input type="hidden" name="version" value=(f.forecast.as_ref().map_or(0, |x| x.version));
                label { (lang.t("forecast-submitted")) input type="date" name="submitted" value=(day(dates.submitted)); }
                label { (lang.t("forecast-target-10")) input type="date" name="target_10" value=(day(dates.target_10)); }
                label { (lang.t("forecast-target-40")) input type="date" name="target_40" value=(day(dates.target_40)); }
                label { (lang.t("forecast-target-max")) input type="date" name="target_max" value=(day(dates.target_max)); }
                button type="submit" { (lang.t("forecast-save")) }
            }
        }
        @if !f.history.is_empty() {
            details {
                summary { (lang.t("forecast-history")) " (" (f.history.len()) ")" }
                table.forecast-history {
                    thead { tr { th { (lang.t("date")) } th { (lang.t("who")) } th { (lang.t("forecast-rfa")) } th { "10%" } th { "40%" } th { (lang.t("forecast-max")) } } }
                    tbody { @for h in &f.history { tr {
                        td { time datetime=(h.saved_at) { (lang.when(&h.saved_at)) } } td { (h.saved_by) } td { (dash(h.dates.submitted)) }
                        td { (dash(h.dates.target_10)) } td { (dash(h.dates.target_40)) } td { (dash(h.dates.target_max)) }
                    } } }
                }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct ForecastForm {
    csrf: String,
    #[serde(default)]
    version: i64,
    #[serde(default)]
    submitted: String,
    #[serde(default)]
    target_10: String,
    #[serde(default)]
    target_40: String,
    #[serde(default)]
    target_max: String,
}

/// Parses the form's dates (`YYYY-MM-DD`, empty for none), naming each bad field.
pub(crate) fn parse_dates(fields: [(&'static str, &str); 4]) -> Result<ForecastDates, StoreError> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let mut e = ftop_domain::Errors::default();
    let mut out = [None; 4];
    for (i, (name, v)) in fields.iter().enumerate() {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        match Date::parse(v, &fmt) {
            Ok(d) => out[i] = Some(d),
            Err(_) => {
                e.push(ftop_domain::FieldError::of(*name, "invalid-date-short").quoting("value", v))
            }
        }
    }
    e.finish()?;
    Ok(ForecastDates {
        submitted: out[0],
        target_10: out[1],
        target_40: out[2],
        target_max: out[3],
    })
}

/// `POST /tenants/{id}/services/{service}/forecast`.
pub(crate) async fn save(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path((id, service)): Path<(String, String)>,
    Form(f): Form<ForecastForm>,
) -> Result<Response, PageError> {
    may_write(&state, &v, lang, &id, Some(&f.csrf)).await?;
    let r = match parse_dates([
        ("submitted", &f.submitted),
        ("target_10", &f.target_10),
        ("target_40", &f.target_40),
        ("target_max", &f.target_max),
    ]) {
        Ok(dates) => state
            .store
            .save_forecast(
                &Actor::user(&v.user),
                &id,
                &service,
                &dates,
                Some(f.version),
            )
            .await
            .map(|_| "saved=forecast".to_string()),
        Err(e) => Err(e),
    };
    back_to(&format!("/tenants/{id}?tab=services"), r, lang)
}
