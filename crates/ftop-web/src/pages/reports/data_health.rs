//! Data health: services whose records keep the other reports from being right, by
//! check (a bar each, its number linking to its rows), each row with the fix to apply
//! and a link to where it is applied.

use super::{Cell, Table, count, csv_of, filters, report_page, service_name};
use crate::auth::PageViewer;
use crate::error::{PageError, PageResult};
use crate::extract::Query;
use crate::i18n::Lang;
use crate::pages::charts::bar;
use crate::service::reports::ReportQuery;
use axum::response::Response;
use ftop_store::{DataHealthRow, HealthCheck, Page, Paged};
use maud::html;

fn check_name(c: HealthCheck, lang: Lang) -> &'static str {
    match c {
        HealthCheck::NoRecentUsage => lang.t("report-health-no-recent-usage"),
        HealthCheck::QualifiedAboveEntitled => lang.t("report-health-qualified-above-entitled"),
        HealthCheck::InProgressWithoutTarget => lang.t("report-health-in-progress-without-target"),
    }
}

/// The fix of a check and the tab where it is applied.
fn fix(c: HealthCheck, lang: Lang) -> (&'static str, &'static str) {
    match c {
        HealthCheck::NoRecentUsage => (lang.t("report-health-fix-usage"), "usage"),
        HealthCheck::QualifiedAboveEntitled => (lang.t("report-health-fix-seats"), "services"),
        HealthCheck::InProgressWithoutTarget => (lang.t("report-health-fix-target"), "services"),
    }
}

/// A page of rows and every check's count.
type Counted = (Paged<DataHealthRow>, Vec<(HealthCheck, i64)>);

async fn rows_of(
    state: &crate::State,
    v: &crate::auth::Viewer,
    q: &ReportQuery,
    lang: Lang,
    page: Page,
) -> Result<(i64, Counted), PageError> {
    let f = q.filter(v).page(lang)?;
    let days = q.days().page(lang)?;
    let check = match q.get("check") {
        None => None,
        Some(c) => match HealthCheck::ALL.into_iter().find(|x| x.key() == c) {
            Some(x) => Some(x),
            // A check that does not exist fails on no service.
            None => {
                return Ok((
                    days,
                    (
                        Paged {
                            rows: Vec::new(),
                            total: 0,
                        },
                        Vec::new(),
                    ),
                ));
            }
        },
    };
    let got = state
        .store
        .report_data_health_counted(&f, days, check, page)
        .await
        .page(lang)?;
    Ok((days, got))
}

fn table(rows: &[DataHealthRow], lang: Lang, people: bool) -> Table {
    Table {
        head: vec![
            ("tenant_id", lang.t("tenant-id").to_string()),
            ("tenant", lang.t("tenant").to_string()),
            ("service_key", lang.t("service").to_string()),
            ("check", lang.t("report-col-check").to_string()),
            ("last_figure", lang.t("report-col-as-of").to_string()),
            ("qualified", lang.t("report-col-qualified").to_string()),
            (
                "entitlements",
                lang.t("report-col-entitlements").to_string(),
            ),
            ("fix", lang.t("report-fix").to_string()),
        ],
        rows: rows
            .iter()
            .map(|r| {
                let (text, tab) = fix(r.check, lang);
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
                    Cell::Text(if people {
                        check_name(r.check, lang).to_string()
                    } else {
                        r.check.key().to_string()
                    }),
                    Cell::Text(match (r.last_figure, people) {
                        (Some(d), true) => lang.day(&d.to_string()),
                        (Some(d), false) => d.to_string(),
                        (None, true) => lang.t("report-never").to_string(),
                        (None, false) => String::new(),
                    }),
                    Cell::Text(r.qualified.to_string()),
                    Cell::Text(r.entitlements.to_string()),
                    Cell::Link {
                        text: text.to_string(),
                        href: format!("/tenants/{}?tab={tab}", r.tenant_id),
                    },
                ]
            })
            .collect(),
    }
}

/// `GET /reports/data-health[?days=N&check=KEY]`.
pub(crate) async fn page_of(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let (days, (got, mut counts)) = rows_of(&state, &v, &q, lang, super::PAGE).await?;
    if counts.is_empty() {
        // An unknown check: its rows are none, the counts still every check's.
        let f = q.filter(&v).page(lang)?;
        counts = state
            .store
            .report_data_health_counts(&f, days)
            .await
            .page(lang)?;
    }
    let hidden = vec![("days", days.to_string())];
    let form = filters(&state, &v, &q, "/reports/data-health", &hidden, lang).await?;
    let max = counts.iter().map(|c| c.1).max().unwrap_or(0);
    let body = html! {
        p { (lang.t_with("report-health-days", &[("days", days.into())])) }
        (form)
        section id="report-checks" {
            h2 { (lang.t("report-col-check")) }
            table {
                thead { tr {
                    th scope="col" { (lang.t("report-col-check")) }
                    th scope="col" { (lang.t("report-col-rows")) }
                    th scope="col" { (lang.t("report-fix")) }
                    th scope="col" { (lang.t("report-col-rows")) }
                } }
                tbody {
                    @for (c, n) in &counts {
                        tr {
                            th scope="row" { (check_name(*c, lang)) }
                            td { (count(*n, format!("/reports/data-health?{}#report-rows", q.with(&[("days", days.to_string()), ("check", c.key().to_string())])))) }
                            td { (fix(*c, lang).0) }
                            td { (bar(*n, max, &format!("{}: {n}", check_name(*c, lang)))) }
                        }
                    }
                }
            }
        }
        (table(&got.rows, lang, true).html("report-rows", lang.t("report-data-health"), &format!("/reports/data-health.csv?{}", q.with(&[("days", days.to_string())])), got.total, lang))
    };
    Ok(report_page(
        lang,
        &v,
        lang.t("report-data-health"),
        lang.t("report-data-health-about"),
        body,
    ))
}

/// `GET /reports/data-health.csv`.
pub(crate) async fn csv(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let (_, (got, _)) = rows_of(&state, &v, &q, lang, Page::ALL).await?;
    Ok(csv_of("data-health.csv", &table(&got.rows, lang, false)))
}
