//! The forecast dates of a tenant's service on the Services tab: the submitted date (RFA)
//! and the targets for 10%, 40% and maximum Active Usage, set against the milestones
//! actually reached, with every accepted save kept in a history.

use crate::auth::PageViewer;
use crate::error::{AppError, PageError};
use crate::i18n::Lang;
use crate::pages::record::{back_to, may_write};
use axum::extract::{Form, Path};
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
    match s {
        ForecastStatus::MetEarly => lang.pick("Met on time", "Cumplido a tiempo", "按时达成"),
        ForecastStatus::MetLate => lang.pick("Met late", "Cumplido tarde", "延迟达成"),
        ForecastStatus::Overdue => lang.pick("Overdue", "Vencido", "已逾期"),
        ForecastStatus::OnTrack => lang.pick("Not yet due", "Aún no vence", "尚未到期"),
        ForecastStatus::ReachedBeforeForecast => {
            lang.pick("Reached early", "Alcanzado antes", "提前达成")
        }
    }
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
    let l = |en, es, zh| lang.pick(en, es, zh);
    let dates = f.forecast.as_ref().map(|x| x.dates).unwrap_or_default();
    let a = f.adoption.as_ref();
    let status = |s: Option<ForecastStatus>| s.map_or("—", |s| status_name(s, lang));
    html! {
        h3 { (l("Active Usage and forecast", "Uso activo y previsión", "活跃使用率与预测")) }
        table.forecast {
            thead { tr {
                th { (l("Milestone", "Hito", "里程碑")) }
                th { (l("Forecast", "Previsión", "预测")) }
                th { (l("Reached", "Alcanzado", "达成")) }
                th { (lang.t("status")) }
            } }
            tbody {
                tr { th scope="row" { "10%" } td { (dash(dates.target_10)) } td { (dash(a.and_then(|a| a.milestone_10))) } td { (status(a.and_then(|a| a.forecast_10))) } }
                tr { th scope="row" { "40%" } td { (dash(dates.target_40)) } td { (dash(a.and_then(|a| a.milestone_40))) } td { (status(a.and_then(|a| a.forecast_40))) } }
            }
        }
        @if let Some(a) = a {
            p.muted {
                "AU " (a.au_percent.map_or_else(|| "—".to_string(), |p| format!("{p:.2}%")))
                " · " (a.active_users.unwrap_or(0)) " / " (a.qualified_entitlements)
                @if let Some(d) = a.as_of { " · " (l("as of", "al", "截至")) " " (d) }
            }
        }
        @if editable {
            form.filters method="post" action=(format!("/tenants/{tenant_id}/services/{service}/forecast")) {
                input type="hidden" name="csrf" value=(csrf.unwrap_or(""));
                input type="hidden" name="version" value=(f.forecast.as_ref().map_or(0, |x| x.version));
                label { (l("Submitted (RFA)", "Enviado (RFA)", "提交日期 (RFA)")) input type="date" name="submitted" value=(day(dates.submitted)); }
                label { (l("Target 10%", "Objetivo 10%", "10% 目标")) input type="date" name="target_10" value=(day(dates.target_10)); }
                label { (l("Target 40% (optional)", "Objetivo 40% (opcional)", "40% 目标（可选）")) input type="date" name="target_40" value=(day(dates.target_40)); }
                label { (l("Target max AU", "Objetivo AU máximo", "最高 AU 目标")) input type="date" name="target_max" value=(day(dates.target_max)); }
                button type="submit" { (l("Save forecast", "Guardar previsión", "保存预测")) }
            }
        }
        @if !f.history.is_empty() {
            details {
                summary { (l("Forecast history", "Historial de previsiones", "预测历史")) " (" (f.history.len()) ")" }
                table.forecast-history {
                    thead { tr { th { (lang.t("date")) } th { (lang.t("who")) } th { "RFA" } th { "10%" } th { "40%" } th { "max" } } }
                    tbody { @for h in &f.history { tr {
                        td { (h.saved_at) } td { (h.saved_by) } td { (dash(h.dates.submitted)) }
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
            Err(_) => e.add(*name, format!("`{v}` is not a date (YYYY-MM-DD)")),
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
