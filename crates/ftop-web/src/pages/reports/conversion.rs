//! Conversion rate: among the services with a defined Active Usage (a usage figure and
//! qualified seats), how many are at or above 10% and 40% today, by service and in total
//! (each number linking to its rows), and every (tenant, service) with its AU capped at
//! 100%. Read from the rollups: the latest figure of each service; above it, the same
//! conversion by month (`usage_trend::conversion_trend`, from the monthly totals).

use super::{Cell, Table, au, au_csv, count, csv_of, filters, report_page, service_name};
use crate::auth::PageViewer;
use crate::error::{PageError, PageResult};
use crate::extract::Query;
use crate::i18n::Lang;
use crate::pages::charts::bar;
use crate::service::reports::{ReportQuery, capped, conversion, conversion_buckets};
use axum::response::Response;
use ftop_domain::adoption::Milestone;
use ftop_store::{MilestoneRow, Page, Paged};
use maud::html;

/// The rows with a defined AU (and with `at=10|40`, those at or above it).
async fn rows_of(
    state: &crate::State,
    v: &crate::auth::Viewer,
    q: &ReportQuery,
    lang: Lang,
    page: Page,
) -> Result<Paged<MilestoneRow>, PageError> {
    let f = q.filter(v).page(lang)?;
    let m = q.get("at").and_then(Milestone::parse);
    state
        .store
        .report_milestones_page(&f, &conversion_buckets(m), page)
        .await
        .page(lang)
}

fn table(rows: &[MilestoneRow], lang: Lang, people: bool) -> Table {
    let pct = |p: Option<f64>| if people { au(p, lang) } else { au_csv(p) };
    Table {
        head: vec![
            ("tenant_id", lang.t("tenant-id").to_string()),
            ("tenant", lang.t("tenant").to_string()),
            ("service_key", lang.t("service").to_string()),
            ("au_percent", lang.t("report-col-au").to_string()),
            (
                "capped_au_percent",
                lang.t("report-col-capped-au").to_string(),
            ),
        ],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(r.tenant_id.clone()),
                    Cell::Tenant {
                        id: r.tenant_id.clone(),
                        name: r.tenant.clone(),
                    },
                    Cell::Text(if people {
                        service_name(&r.service_key).to_string()
                    } else {
                        r.service_key.clone()
                    }),
                    Cell::Text(pct(r.au_percent)),
                    Cell::Text(pct(capped(r.au_percent))),
                ]
            })
            .collect(),
    }
}

/// `GET /reports/conversion[?at=10|40]`.
pub(crate) async fn page_of(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let f = q.filter(&v).page(lang)?;
    let m = q.get("at").and_then(Milestone::parse);
    let (shown, counts) = state
        .store
        .report_milestones_counted(&f, &conversion_buckets(m), super::PAGE)
        .await
        .page(lang)?;
    let (by, total) = conversion(&counts);
    let months = super::usage_trend::trend_of(&state, &v, &q, lang).await?;
    let form = filters(&state, &v, &q, "/reports/conversion", &[], lang).await?;
    let drill = |service: &str, m: &str| {
        format!(
            "/reports/conversion?{}#report-rows",
            q.with(&[("service", service.to_string()), ("at", m.to_string())])
        )
    };
    let rate = |r: Option<f64>| au(r, lang);
    let body = html! {
        (form)
        (super::usage_trend::conversion_trend(&months, &q, lang))
        section id="report-conversion" {
            h2 { (lang.t("report-by-service")) }
            table {
                thead { tr {
                    th scope="col" { (lang.t("service")) }
                    th scope="col" { (lang.t("report-col-with-au")) }
                    th scope="col" { (lang.t("report-col-at-10")) }
                    th scope="col" { (lang.t("report-col-at-40")) }
                    th scope="col" { (lang.t("report-col-rate-10")) }
                    th scope="col" { (lang.t("report-col-rate-40")) }
                } }
                tbody {
                    @for c in by.iter().chain([&total]) {
                        @let key = c.service_key.clone().unwrap_or_default();
                        @let name = if key.is_empty() { lang.t("report-total").to_string() } else { service_name(&key).to_string() };
                        tr {
                            th scope="row" { (name) }
                            td { (count(c.services, drill(&key, ""))) }
                            td { (count(c.at_10, drill(&key, "10"))) }
                            td { (count(c.at_40, drill(&key, "40"))) }
                            td { (rate(c.rate_10)) " " (bar(c.at_10, c.services, &format!("{name}: {}", rate(c.rate_10)))) }
                            td { (rate(c.rate_40)) " " (bar(c.at_40, c.services, &format!("{name}: {}", rate(c.rate_40)))) }
                        }
                    }
                }
            }
        }
        (table(&shown.rows, lang, true).html("report-rows", lang.t("report-conversion"), &format!("/reports/conversion.csv?{}", q.with(&[])), shown.total, lang))
    };
    Ok(report_page(
        lang,
        &v,
        lang.t("report-conversion"),
        lang.t("report-conversion-about"),
        body,
    ))
}

/// `GET /reports/conversion.csv`.
pub(crate) async fn csv(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let shown = rows_of(&state, &v, &q, lang, Page::ALL).await?;
    Ok(csv_of("conversion.csv", &table(&shown.rows, lang, false)))
}
