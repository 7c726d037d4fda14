//! Service usage: per service, the tenants and services with a usage figure, their
//! qualified seats, active users, AU (uncapped, and capped at 100% per service) and
//! buckets, today or at the end of a chosen month; every number links to its rows
//! (tenant, service), listed below a page at a time and in full in the CSV.

use super::{BUCKETS, bucket_bar, bucket_name};
use super::{
    Cell, PAGE_ROWS, Table, au, au_csv, count, csv_of, filters, month_form, report_page,
    service_name,
};
use crate::auth::{PageViewer, Viewer};
use crate::error::{PageError, PageResult};
use crate::extract::Query;
use crate::i18n::Lang;
use crate::service::reports::ReportQuery;
use axum::response::Response;
use ftop_store::{UsageCounts, UsagePick, UsageRow, UsageSource};
use maud::html;

/// Rows the CSV holds at most.
pub(crate) const CSV_ROWS: i64 = 1_000_000;

/// Where the counts are taken (today, or the end of `month`).
pub(crate) fn source_of(q: &ReportQuery, lang: Lang) -> Result<UsageSource, PageError> {
    Ok(match q.month_number().page(lang)? {
        Some(m) => UsageSource::Month(m),
        None => UsageSource::Latest,
    })
}

/// The rows `q` picks, `limit` of them, with how many there are (told by `counted`, the
/// counts of the same filter and source, when the caller has them).
async fn rows_of(
    state: &crate::State,
    v: &Viewer,
    q: &ReportQuery,
    limit: i64,
    counted: Option<&UsageCounts>,
    lang: Lang,
) -> Result<(Vec<UsageRow>, i64), PageError> {
    let f = q.filter(v).page(lang)?;
    let pick = UsagePick {
        bucket: q.bucket().page(lang)?,
        at: q.at().page(lang)?,
    };
    let src = source_of(q, lang)?;
    state
        .store
        .report_usage_rows(&f, src, pick, limit, 0, counted)
        .await
        .page(lang)
}

/// The rows' table: for people (names, percentages in the reader's way) or for the CSV.
fn table(rows: &[UsageRow], lang: Lang, people: bool) -> Table {
    let pct = |p: Option<f64>| if people { au(p, lang) } else { au_csv(p) };
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
            (
                "capped_au_percent",
                lang.t("report-col-capped-au").to_string(),
            ),
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
                    Cell::Text(if people {
                        service_name(&r.service_key).to_string()
                    } else {
                        r.service_key.clone()
                    }),
                    Cell::Text(if people {
                        lang.day(&r.as_of.to_string())
                    } else {
                        r.as_of.to_string()
                    }),
                    Cell::Text(r.active_users.to_string()),
                    Cell::Text(r.qualified_entitlements.to_string()),
                    Cell::Text(pct(r.au_percent)),
                    Cell::Text(pct(r.capped_au_percent)),
                    Cell::Text(r.needed_10.to_string()),
                    Cell::Text(r.needed_40.to_string()),
                ]
            })
            .collect(),
    }
}

/// `GET /reports/service-usage[?month=YYYY-MM][&bucket=...][&at=10|40]`.
pub(crate) async fn page_of(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let f = q.filter(&v).page(lang)?;
    let src = source_of(&q, lang)?;
    let (by, total) = state.store.report_service_usage(&f, src).await.page(lang)?;
    let (rows, n) = rows_of(&state, &v, &q, PAGE_ROWS as i64, Some(&total), lang).await?;
    let month: Vec<(&str, String)> = q
        .get("month")
        .map(|m| vec![("month", m.to_string())])
        .unwrap_or_default();
    let form = filters(&state, &v, &q, "/reports/service-usage", &month, lang).await?;
    let drill = |service: &str, extra: &[(&str, String)]| {
        let mut pairs = vec![
            ("service", service.to_string()),
            ("bucket", String::new()),
            ("at", String::new()),
        ];
        for (k, v) in extra {
            pairs.retain(|(p, _)| p != k);
            pairs.push((k, v.clone()));
        }
        format!("/reports/service-usage?{}#report-rows", q.with(&pairs))
    };
    let when = match q.get("month") {
        Some(m) => lang.t_with("report-as-of-month", &[("month", m.into())]),
        None => lang.t("report-as-of-latest").to_string(),
    };
    let line = |key: &str, name: &str, c: &UsageCounts| {
        html! {
            tr {
                th scope="row" { (name) }
                td { (c.tenants) }
                td { (count(c.services, drill(key, &[]))) }
                td { (c.qualified_entitlements) }
                td { (c.active_users) }
                td { (au(c.au_percent, lang)) }
                td { (au(c.capped_au_percent, lang)) }
                @for (i, (_, b)) in BUCKETS.iter().enumerate() {
                    td { (count(c.buckets[i], drill(key, &[("bucket", b.to_string())]))) }
                }
                td { (count(c.at_10, drill(key, &[("at", "10".into())]))) }
                td { (count(c.at_40, drill(key, &[("at", "40".into())]))) }
                td { (bucket_bar(&c.buckets, &lang.t_with("report-by-bucket-of", &[("service", name.into())]), lang)) }
            }
        }
    };
    let t = table(&rows, lang, true);
    let body = html! {
        (form)
        (month_form(&q, "/reports/service-usage", lang))
        section id="report-service-usage" {
            h2 { (lang.t("report-by-service")) }
            p { (when) }
            table {
                caption { (lang.t("report-service-usage")) }
                thead { tr {
                    th scope="col" { (lang.t("service")) }
                    th scope="col" { (lang.t("report-col-tenants")) }
                    th scope="col" { (lang.t("report-col-services")) }
                    th scope="col" { (lang.t("report-col-qualified")) }
                    th scope="col" { (lang.t("report-col-active-users")) }
                    th scope="col" { (lang.t("report-col-au")) }
                    th scope="col" { (lang.t("report-col-capped-au")) }
                    @for (b, _) in BUCKETS { th scope="col" { (bucket_name(b, lang)) } }
                    th scope="col" { (lang.t("report-col-at-10")) }
                    th scope="col" { (lang.t("report-col-at-40")) }
                    th scope="col" { (lang.t("report-by-bucket-chart")) }
                } }
                tbody {
                    @for c in &by {
                        @let key = c.service_key.clone().unwrap_or_default();
                        (line(&key, service_name(&key), c))
                    }
                    (line("", lang.t("report-total"), &total))
                }
            }
        }
        section {
            h2 { (lang.t("report-rows")) }
            (t.html("report-rows", lang.t("report-service-usage"), &format!("/reports/service-usage.csv?{}", q.with(&[])), n, lang))
        }
    };
    Ok(report_page(
        lang,
        &v,
        lang.t("report-service-usage"),
        lang.t("report-service-usage-about"),
        body,
    ))
}

/// `GET /reports/service-usage.csv`: every row the page lists.
pub(crate) async fn csv(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let (rows, _) = rows_of(&state, &v, &q, CSV_ROWS, None, lang).await?;
    Ok(csv_of("service-usage.csv", &table(&rows, lang, false)))
}
