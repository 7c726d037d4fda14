//! Usage trend: by month (each service's last figure of the month), the services with a
//! figure, active users, qualified seats, AU uncapped and capped at 100%, and the
//! conversion rate trend (services at or above 10% and 40% among those with seats), drawn
//! as line charts with their numbers in the table; every count opens the service usage of
//! that month, narrowed to what it counts. The CSV is the table.

use super::{Cell, Table, au, au_csv, count, csv_of, filters, report_page};
use crate::auth::{PageViewer, Viewer};
use crate::error::{PageError, PageResult};
use crate::extract::Query;
use crate::i18n::Lang;
use crate::pages::charts::{Threshold, trend};
use crate::service::reports::ReportQuery;
use axum::response::Response;
use ftop_store::{MonthUsage, month_start};
use maud::{Markup, html};

pub(crate) async fn trend_of(
    state: &crate::State,
    v: &Viewer,
    q: &ReportQuery,
    lang: Lang,
) -> Result<Vec<MonthUsage>, PageError> {
    let f = q.filter(v).page(lang)?;
    state.store.report_usage_trend(&f).await.page(lang)
}

/// The link to the service usage at the end of `month`, with `extra` pairs.
pub(crate) fn month_drill(q: &ReportQuery, month: &str, extra: &[(&str, String)]) -> String {
    let mut pairs = vec![
        ("month", month.to_string()),
        ("bucket", String::new()),
        ("at", String::new()),
    ];
    for (k, v) in extra {
        pairs.retain(|(p, _)| p != k);
        pairs.push((k, v.clone()));
    }
    format!("/reports/service-usage?{}#report-rows", q.with(&pairs))
}

/// The month table: for people (links, percentages in the reader's way) or the CSV.
fn table(months: &[MonthUsage], q: &ReportQuery, lang: Lang, people: bool) -> Table {
    let pct = |p: Option<f64>| if people { au(p, lang) } else { au_csv(p) };
    let n = |v: i64, m: &str, extra: &[(&str, String)]| {
        if people {
            Cell::Link {
                text: v.to_string(),
                href: month_drill(q, m, extra),
            }
        } else {
            Cell::Text(v.to_string())
        }
    };
    Table {
        head: vec![
            ("month", lang.t("report-col-month").to_string()),
            ("services", lang.t("report-col-services").to_string()),
            ("with_seats", lang.t("report-col-with-au").to_string()),
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
            ("at_10", lang.t("report-col-at-10").to_string()),
            ("at_40", lang.t("report-col-at-40").to_string()),
            ("rate_10", lang.t("report-col-rate-10").to_string()),
            ("rate_40", lang.t("report-col-rate-40").to_string()),
        ],
        rows: months
            .iter()
            .map(|m| {
                let c = &m.counts;
                vec![
                    Cell::Text(m.month.clone()),
                    n(c.services, &m.month, &[]),
                    Cell::Text(c.with_seats.to_string()),
                    Cell::Text(c.active_users.to_string()),
                    Cell::Text(c.qualified_entitlements.to_string()),
                    Cell::Text(pct(c.au_percent)),
                    Cell::Text(pct(c.capped_au_percent)),
                    n(c.at_10, &m.month, &[("at", "10".into())]),
                    n(c.at_40, &m.month, &[("at", "40".into())]),
                    Cell::Text(pct(c.rate_10)),
                    Cell::Text(pct(c.rate_40)),
                ]
            })
            .collect(),
    }
}

/// A line chart of one percentage by month.
pub(crate) fn chart(
    id: &str,
    title: &str,
    months: &[MonthUsage],
    value: fn(&MonthUsage) -> Option<f64>,
    lang: Lang,
) -> Markup {
    let points: Vec<_> = months
        .iter()
        .filter_map(|m| month_start(m.number).map(|d| (d, value(m))))
        .collect();
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
        figure {
            (trend(id, title, lang.t("report-trend-chart-desc"), &points, &th))
            figcaption { (title) }
        }
    }
}

/// The conversion rate trend: services at or above 10% and 40% by month, as two charts
/// and a table (the conversion tab shows it too).
pub(crate) fn conversion_trend(months: &[MonthUsage], q: &ReportQuery, lang: Lang) -> Markup {
    let pct = |p: Option<f64>| au(p, lang);
    html! {
        section id="report-conversion-trend" {
            h2 { (lang.t("report-conversion-trend")) }
            (chart("chart-rate-10", lang.t("report-col-rate-10"), months, |m| m.counts.rate_10, lang))
            (chart("chart-rate-40", lang.t("report-col-rate-40"), months, |m| m.counts.rate_40, lang))
            table {
                caption { (lang.t("report-conversion-trend")) }
                thead { tr {
                    th scope="col" { (lang.t("report-col-month")) }
                    th scope="col" { (lang.t("report-col-with-au")) }
                    th scope="col" { (lang.t("report-col-at-10")) }
                    th scope="col" { (lang.t("report-col-at-40")) }
                    th scope="col" { (lang.t("report-col-rate-10")) }
                    th scope="col" { (lang.t("report-col-rate-40")) }
                } }
                tbody {
                    @for m in months {
                        @let c = &m.counts;
                        tr {
                            th scope="row" { (m.month) }
                            td { (c.with_seats) }
                            td { (count(c.at_10, month_drill(q, &m.month, &[("at", "10".into())]))) }
                            td { (count(c.at_40, month_drill(q, &m.month, &[("at", "40".into())]))) }
                            td { (pct(c.rate_10)) }
                            td { (pct(c.rate_40)) }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /reports/usage-trend`.
pub(crate) async fn page_of(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let months = trend_of(&state, &v, &q, lang).await?;
    let form = filters(&state, &v, &q, "/reports/usage-trend", &[], lang).await?;
    let t = table(&months, &q, lang, true);
    let body = html! {
        (form)
        section id="report-usage-charts" {
            h2 { (lang.t("report-usage-trend-charts")) }
            (chart("chart-au", lang.t("report-col-au"), &months, |m| m.counts.au_percent, lang))
            (chart("chart-capped-au", lang.t("report-col-capped-au"), &months, |m| m.counts.capped_au_percent, lang))
        }
        (conversion_trend(&months, &q, lang))
        section {
            h2 { (lang.t("report-by-month")) }
            (t.html("report-months", lang.t("report-usage-trend"), &format!("/reports/usage-trend.csv?{}", q.with(&[])), t.rows.len() as i64, lang))
        }
    };
    Ok(report_page(
        lang,
        &v,
        lang.t("report-usage-trend"),
        lang.t("report-usage-trend-about"),
        body,
    ))
}

/// `GET /reports/usage-trend.csv`: the page's month table.
pub(crate) async fn csv(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let months = trend_of(&state, &v, &q, lang).await?;
    Ok(csv_of("usage-trend.csv", &table(&months, &q, lang, false)))
}
