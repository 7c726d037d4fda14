//! New subscriptions: entitlements still "status unknown" as a new subscription or
//! workload, by service (a bar each, its number linking to its rows), each row linking
//! to the tenant's Services tab where it is classified.

use super::{Cell, Table, count, csv_of, filters, report_page, service_name};
use crate::auth::PageViewer;
use crate::error::{PageError, PageResult};
use crate::extract::Query;
use crate::i18n::Lang;
use crate::pages::charts::bar;
use crate::service::reports::ReportQuery;
use axum::response::Response;
use ftop_store::{NewSubscriptionRow, Page, Paged};
use maud::html;
use std::collections::BTreeMap;

async fn rows_of(
    state: &crate::State,
    v: &crate::auth::Viewer,
    q: &ReportQuery,
    lang: Lang,
    page: Page,
) -> Result<Paged<NewSubscriptionRow>, PageError> {
    let f = q.filter(v).page(lang)?;
    state
        .store
        .report_new_subscriptions_page(&f, page)
        .await
        .page(lang)
}

fn table(rows: &[NewSubscriptionRow], lang: Lang, people: bool) -> Table {
    Table {
        head: vec![
            ("tenant_id", lang.t("tenant-id").to_string()),
            ("tenant", lang.t("tenant").to_string()),
            ("service_key", lang.t("service").to_string()),
            (
                "entitlements",
                lang.t("report-col-entitlements").to_string(),
            ),
            ("fix", lang.t("report-fix").to_string()),
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
                    Cell::Text(r.entitlements.to_string()),
                    Cell::Link {
                        text: lang.t("report-classify").to_string(),
                        href: format!("/tenants/{}?tab=services", r.tenant_id),
                    },
                ]
            })
            .collect(),
    }
}

/// `GET /reports/new-subscriptions`.
pub(crate) async fn page_of(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let f = q.filter(&v).page(lang)?;
    let (got, counts) = state
        .store
        .report_new_subscriptions_counted(&f, super::PAGE)
        .await
        .page(lang)?;
    let by: BTreeMap<String, i64> = counts.into_iter().collect();
    let form = filters(&state, &v, &q, "/reports/new-subscriptions", &[], lang).await?;
    let max = by.values().copied().max().unwrap_or(0);
    let body = html! {
        (form)
        @if !by.is_empty() {
            section id="report-by-service" {
                h2 { (lang.t("report-by-service")) }
                table {
                    thead { tr {
                        th scope="col" { (lang.t("service")) }
                        th scope="col" { (lang.t("report-col-rows")) }
                        th scope="col" { (lang.t("report-by-service")) }
                    } }
                    tbody {
                        @for (key, n) in &by {
                            @let name = service_name(key);
                            tr {
                                th scope="row" { (name) }
                                td { (count(*n, format!("/reports/new-subscriptions?{}#report-rows", q.with(&[("service", key.to_string())])))) }
                                td { (bar(*n, max, &format!("{name}: {n}"))) }
                            }
                        }
                    }
                }
            }
        }
        (table(&got.rows, lang, true).html("report-rows", lang.t("report-new-subscriptions"), &format!("/reports/new-subscriptions.csv?{}", q.with(&[])), got.total, lang))
    };
    Ok(report_page(
        lang,
        &v,
        lang.t("report-new-subscriptions"),
        lang.t("report-new-subscriptions-about"),
        body,
    ))
}

/// `GET /reports/new-subscriptions.csv`.
pub(crate) async fn csv(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let got = rows_of(&state, &v, &q, lang, Page::ALL).await?;
    Ok(csv_of(
        "new-subscriptions.csv",
        &table(&got.rows, lang, false),
    ))
}
