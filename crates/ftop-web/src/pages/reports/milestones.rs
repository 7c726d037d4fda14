//! Performance by usage milestone: services by AU bucket (a stacked bar per service, its
//! numbers in the table beside it, each a link to its rows) and every (tenant, service)
//! with the active users it needs for 10% and 40%.

use super::{BUCKETS, bucket_bar, bucket_name};
use super::{Cell, Table, au, au_csv, count, csv_of, filters, report_page, service_name};
use crate::auth::PageViewer;
use crate::error::{PageError, PageResult};
use crate::extract::Query;
use crate::i18n::Lang;
use crate::pages::charts::BUCKET_COLOURS;
use crate::service::reports::{BucketCounts, ReportQuery, by_service};
use axum::response::Response;
use ftop_domain::adoption::Bucket;
use ftop_store::{MilestoneRow, Page, Paged};
use maud::html;

async fn rows_of(
    state: &crate::State,
    v: &crate::auth::Viewer,
    q: &ReportQuery,
    lang: Lang,
    page: Page,
) -> Result<Paged<MilestoneRow>, PageError> {
    let f = q.filter(v).page(lang)?;
    let buckets: Vec<Option<Bucket>> = q.bucket().page(lang)?.into_iter().collect();
    state
        .store
        .report_milestones_page(&f, &buckets, page)
        .await
        .page(lang)
}

/// The rows' table (the page's and the CSV's).
fn table(rows: &[MilestoneRow], lang: Lang) -> Table {
    Table {
        head: vec![
            ("tenant_id", lang.t("tenant-id").to_string()),
            ("tenant", lang.t("tenant").to_string()),
            ("service_key", lang.t("service").to_string()),
            ("as_of", lang.t("report-col-as-of").to_string()),
            (
                "active_users",
                lang.t("report-col-active-users").to_string(),
            ),
            (
                "qualified_entitlements",
                lang.t("report-col-qualified").to_string(),
            ),
            ("au_percent", lang.t("report-col-au").to_string()),
            ("needed_10", lang.t("report-col-needed-10").to_string()),
            ("needed_40", lang.t("report-col-needed-40").to_string()),
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
                    Cell::Text(r.service_key.clone()),
                    Cell::Text(r.as_of.to_string()),
                    Cell::Text(r.active_users.to_string()),
                    Cell::Text(r.qualified_entitlements.to_string()),
                    Cell::Text(au_csv(r.au_percent)),
                    Cell::Text(r.needed_10.to_string()),
                    Cell::Text(r.needed_40.to_string()),
                ]
            })
            .collect(),
    }
}

/// `GET /reports/milestones`.
pub(crate) async fn page_of(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let f = q.filter(&v).page(lang)?;
    let buckets: Vec<Option<Bucket>> = q.bucket().page(lang)?.into_iter().collect();
    let (got, counts) = state
        .store
        .report_milestones_counted(&f, &buckets, super::PAGE)
        .await
        .page(lang)?;
    let rows = got.rows;
    let counts = by_service(&counts);
    let form = filters(&state, &v, &q, "/reports/milestones", &[], lang).await?;
    let drill = |service: &str, bucket: &str| {
        format!(
            "/reports/milestones?{}#report-rows",
            q.with(&[
                ("service", service.to_string()),
                ("bucket", bucket.to_string())
            ])
        )
    };
    let mut total = BucketCounts::default();
    for c in counts.values() {
        for i in 0..4 {
            total.counts[i] += c.counts[i];
        }
    }
    let t = table(&rows, lang);
    // The table's own rows shown in words: the AU as a percentage for people.
    let t = Table {
        rows: t
            .rows
            .into_iter()
            .zip(&rows)
            .map(|(mut cells, r)| {
                cells[2] = Cell::Text(service_name(&r.service_key).to_string());
                cells[6] = Cell::Text(au(r.au_percent, lang));
                cells
            })
            .collect(),
        ..t
    };
    let body = html! {
        (form)
        section id="report-buckets" {
            h2 { (lang.t("report-by-bucket-chart")) }
            p.legend {
                @for (i, (b, _)) in BUCKETS.iter().enumerate() {
                    span { svg width="12" height="12" aria-hidden="true" { rect width="12" height="12" fill=(BUCKET_COLOURS[i]) {} } " " (bucket_name(*b, lang)) } " "
                }
            }
            table {
                thead { tr {
                    th scope="col" { (lang.t("service")) }
                    @for (b, _) in BUCKETS { th scope="col" { (bucket_name(b, lang)) } }
                    th scope="col" { (lang.t("report-total")) }
                    th scope="col" { (lang.t("report-by-bucket-chart")) }
                } }
                tbody {
                    @for (key, c) in &counts {
                        @let name = service_name(key);
                        tr {
                            th scope="row" { (name) }
                            @for (i, (_, b)) in BUCKETS.iter().enumerate() {
                                td { (count(c.counts[i], drill(key, b))) }
                            }
                            td { (count(c.total(), drill(key, ""))) }
                            td { (bucket_bar(&c.counts, &lang.t_with("report-by-bucket-of", &[("service", name.into())]), lang)) }
                        }
                    }
                    tr {
                        th scope="row" { (lang.t("report-total")) }
                        @for (i, (_, b)) in BUCKETS.iter().enumerate() {
                            td { (count(total.counts[i], drill("", b))) }
                        }
                        td { (count(total.total(), drill("", ""))) }
                        td { (bucket_bar(&total.counts, lang.t("report-by-bucket-chart"), lang)) }
                    }
                }
            }
        }
        section {
            h2 { (lang.t("report-rows")) }
            (t.html("report-rows", lang.t("report-milestones"), &format!("/reports/milestones.csv?{}", q.with(&[])), got.total, lang))
        }
    };
    Ok(report_page(
        lang,
        &v,
        lang.t("report-milestones"),
        lang.t("report-milestones-about"),
        body,
    ))
}

/// `GET /reports/milestones.csv`: the page's rows.
pub(crate) async fn csv(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let got = rows_of(&state, &v, &q, lang, Page::ALL).await?;
    Ok(csv_of("milestones.csv", &table(&got.rows, lang)))
}
