//! The tenant page's Usage tab: per service, the latest Active Usage with its bucket and
//! milestones, the AU trend drawn against the 10% and 40% lines, the figures as a table,
//! and a CSV download.

use crate::auth::PageViewer;
use crate::error::{AppError, PageError, PageResult};
use crate::extract::{Path, Query};
use crate::i18n::Lang;
use crate::pages::charts::{Threshold, trend};
use axum::response::Response;
use ftop_domain::adoption::users_to_reach;
use ftop_store::{ServiceAdoption, Store, UsagePoint};
use maud::{Markup, html};
use serde::Deserialize;

fn pct(p: Option<f64>) -> String {
    p.map_or_else(|| "—".to_string(), |p| format!("{p:.2}%"))
}

/// "N more active users needed" in the viewer's language.
fn needed(n: i64, lang: Lang) -> String {
    lang.t_with("users-needed", &[("count", n.into())])
}

fn day(d: Option<time::Date>) -> String {
    d.map_or_else(|| "—".to_string(), |d| d.to_string())
}

/// The Usage tab of one tenant.
pub(crate) async fn usage_tab(
    store: &Store,
    tenant_id: &str,
    lang: Lang,
) -> Result<Markup, AppError> {
    let services = store.adoption(tenant_id).await?;
    let mut sections = Vec::with_capacity(services.len());
    for a in &services {
        let series = store.usage_series(tenant_id, &a.service_key).await?;
        sections.push(service_section(tenant_id, a, &series, lang));
    }
    let intended: Vec<&str> = services
        .iter()
        .filter(|s| s.intended)
        .map(|s| s.service.as_str())
        .collect();
    let success = ftop_domain::adoption::success(services.iter().map(|s| (s.intended, s.bucket)));
    Ok(html! {
        @if services.is_empty() { p.muted { (lang.t("no-services")) } }
        @else {
            p id="adoption-success" {
                strong { (lang.t("adoption-success")) ": " }
                @if success { (lang.t("adoption-success-yes")) }
                @else if intended.is_empty() { (lang.t("adoption-success-none-intended")) }
                @else { (lang.t("adoption-success-not-yet")) }
                " (" (intended.join(", ")) ")"
            }
        }
        p { a href=(format!("/tenants/{tenant_id}/usage.csv")) download="usage.csv" hx-boost="false" {
            (lang.t("download-all-figures"))
        } }
        @for s in sections { (s) }
    })
}

fn service_section(
    tenant_id: &str,
    a: &ServiceAdoption,
    series: &[UsagePoint],
    lang: Lang,
) -> Markup {
    let points: Vec<(time::Date, Option<f64>)> =
        series.iter().map(|p| (p.date, p.au_percent)).collect();
    let id = format!("trend-{}", a.service_key);
    let description = match (series.first(), series.last()) {
        (Some(f), Some(t)) => lang.t_with(
            "usage-trend-description",
            &[
                ("from", f.date.to_string().into()),
                ("to", t.date.to_string().into()),
                ("first", pct(f.au_percent).into()),
                ("last", pct(t.au_percent).into()),
            ],
        ),
        _ => lang.t("no-usage-figures").to_string(),
    };
    let active = a.active_users.unwrap_or(0);
    let seats = a.qualified_entitlements;
    let th = [
        Threshold {
            at: 10.0,
            label: "10%",
        },
        Threshold {
            at: 40.0,
            label: "40%",
        },
    ];
    html! {
        section.usage id=(format!("usage-{}", a.service_key)) {
            h2 { (a.service) }
            dl.facts {
                dt { (lang.t("au")) } dd { (pct(a.au_percent)) " · " (active) " / " (seats) @if let Some(d) = a.as_of { " · " (lang.t_with("as-of", &[("date", d.to_string().into())])) } }
                dt { "10%" } dd {
                    @if let Some(d) = a.milestone_10 { (lang.t_with("reached-on", &[("date", d.to_string().into())])) }
                    @else if seats > 0 { (needed(users_to_reach(active, seats, 10), lang)) }
                    @else { "—" }
                }
                dt { "40%" } dd {
                    @if let Some(d) = a.milestone_40 { (lang.t_with("reached-on", &[("date", d.to_string().into())])) }
                    @else if seats > 0 { (needed(users_to_reach(active, seats, 40), lang)) }
                    @else { "—" }
                }
                dt { (lang.t("enablement")) } dd {
                    @if a.enablement_complete { (lang.t("enablement-complete")) } @else { (lang.t("enablement-not-yet")) }
                }
            }
            @if series.is_empty() {
                p.muted { (description) }
            } @else {
                figure {
                    (trend(&id, &format!("{}: {}", a.service, lang.t("active-usage")), &description, &points, &th))
                    figcaption.muted { (lang.t("usage-thresholds")) }
                }
                details {
                    summary { (lang.t("figures")) " (" (series.len()) ")" }
                    table.usage-figures {
                        thead { tr { th { (lang.t("date")) } th { (lang.t("active-users")) } th { (lang.t("qualified-seats")) } th { (lang.t("au")) } } }
                        tbody { @for p in series.iter().rev() { tr { td { (p.date) } td { (p.active_users) } td { (p.qualified) } td { (pct(p.au_percent)) } } } }
                    }
                    p { a href=(format!("/tenants/{tenant_id}/usage.csv?service={}", a.service_key)) download=(format!("usage-{}.csv", a.service_key)) hx-boost="false" {
                        (lang.t("download-csv"))
                    } }
                }
            }
            p.muted { (lang.t_with("milestone-dates", &[("ten", day(a.milestone_10).into()), ("forty", day(a.milestone_40).into())])) }
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct UsageCsvQuery {
    service: Option<String>,
}

/// `GET /tenants/{id}/usage.csv[?service=KEY]`: the usage figures with seats and AU.
pub(crate) async fn usage_csv(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(id): Path<String>,
    Query(q): Query<UsageCsvQuery>,
) -> Result<Response, PageError> {
    let t = crate::service::tenants::visible(&state, &v, &id)
        .await
        .page(lang)?
        .tenant;
    let wanted: Vec<&str> = t
        .services
        .iter()
        .map(|s| s.service.as_str())
        .filter(|s| q.service.as_deref().is_none_or(|w| w.is_empty() || w == *s))
        .collect();
    let mut rows: Vec<Vec<String>> = vec![
        [
            "tenant_id",
            "service",
            "date",
            "active_users",
            "qualified",
            "au_percent",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for s in wanted {
        let series = state.store.usage_series(&t.tenant_id, s).await.page(lang)?;
        for p in series {
            rows.push(vec![
                t.tenant_id.clone(),
                s.to_string(),
                p.date.to_string(),
                p.active_users.to_string(),
                p.qualified.to_string(),
                p.au_percent.map(|x| format!("{x:.2}")).unwrap_or_default(),
            ]);
        }
    }
    Ok(super::csv::download(
        &format!("usage-{}.csv", t.tenant_id),
        super::csv::text(&rows),
    ))
}
