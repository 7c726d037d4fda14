//! Performance overview: adoption (latest figures) credited by engagement scenario to the
//! service's primary (the partner when the partner leads or assists, FastTrack
//! otherwise), the year-to-date growth of active users by month, and the trend of
//! qualified seats, active users and AU by month. Counts open the service usage behind
//! them; the CSV is the table by scenario.

use super::usage_trend::{chart, month_drill, trend_of};
use super::{Cell, Table, au, au_csv, count, csv_of, filters, report_page};
use crate::auth::{PageViewer, Viewer};
use crate::error::{PageError, PageResult};
use crate::extract::Query;
use crate::i18n::Lang;
use crate::pages::charts::bar;
use crate::service::reports::{ReportQuery, ytd_growth};
use axum::response::Response;
use ftop_domain::adoption::au_percent;
use ftop_store::ScenarioCredit;
use maud::html;

async fn credit_of(
    state: &crate::State,
    v: &Viewer,
    q: &ReportQuery,
    lang: Lang,
) -> Result<Vec<ScenarioCredit>, PageError> {
    let f = q.filter(v).page(lang)?;
    state.store.report_scenario_credit(&f).await.page(lang)
}

fn credited_name(who: &str, lang: Lang) -> &'static str {
    if who == "partner" {
        lang.t("report-credit-partner")
    } else {
        lang.t("report-credit-fasttrack")
    }
}

/// The table by scenario: for people (names, links) or the CSV (keys).
fn table(rows: &[ScenarioCredit], q: &ReportQuery, lang: Lang, people: bool) -> Table {
    let pct = |p: Option<f64>| if people { au(p, lang) } else { au_csv(p) };
    Table {
        head: vec![
            ("scenario", lang.t("report-scenario").to_string()),
            ("credited_to", lang.t("report-col-credited-to").to_string()),
            ("services", lang.t("report-col-services").to_string()),
            (
                "qualified_entitlements",
                lang.t("report-col-qualified").to_string(),
            ),
            (
                "active_users",
                lang.t("report-col-active-users").to_string(),
            ),
            ("au_percent", lang.t("report-col-au").to_string()),
            (
                "capped_au_percent",
                lang.t("report-col-capped-au").to_string(),
            ),
        ],
        rows: rows
            .iter()
            .map(|r| {
                let c = &r.counts;
                vec![
                    Cell::Text(if people {
                        lang.label(r.scenario).to_string()
                    } else {
                        r.scenario.key().to_string()
                    }),
                    Cell::Text(if people {
                        credited_name(r.credited_to, lang).to_string()
                    } else {
                        r.credited_to.to_string()
                    }),
                    if people {
                        Cell::Link {
                            text: c.services.to_string(),
                            href: format!(
                                "/reports/service-usage?{}#report-rows",
                                q.with(&[("scenario", r.scenario.key().to_string())])
                            ),
                        }
                    } else {
                        Cell::Text(c.services.to_string())
                    },
                    Cell::Text(c.qualified_entitlements.to_string()),
                    Cell::Text(c.active_users.to_string()),
                    Cell::Text(pct(c.au_percent)),
                    Cell::Text(pct(c.capped_au_percent)),
                ]
            })
            .collect(),
    }
}

/// `GET /reports/performance`.
pub(crate) async fn page_of(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let credit = credit_of(&state, &v, &q, lang).await?;
    let months = trend_of(&state, &v, &q, lang).await?;
    let form = filters(&state, &v, &q, "/reports/performance", &[], lang).await?;
    let f = q.filter(&v).page(lang)?;
    let year = f.day().year();
    let growth = ytd_growth(&months, year);
    let top = growth.iter().map(|g| g.2.abs()).max().unwrap_or(0);
    // The credited parties' totals: (who, services, active users, seats, AU).
    let parties: Vec<(&str, i64, i64, i64, Option<f64>)> = ["partner", "fasttrack"]
        .into_iter()
        .map(|who| {
            let (services, active, seated, qualified) = credit
                .iter()
                .filter(|c| c.credited_to == who)
                .fold((0, 0, 0, 0), |a, c| {
                    (
                        a.0 + c.counts.services,
                        a.1 + c.counts.active_users,
                        a.2 + c.counts.seated_active_users,
                        a.3 + c.counts.qualified_entitlements,
                    )
                });
            (
                who,
                services,
                active,
                qualified,
                au_percent(seated, qualified),
            )
        })
        .collect();
    let all_active: i64 = parties.iter().map(|p| p.2).sum();
    let t = table(&credit, &q, lang, true);
    let body = html! {
        (form)
        section id="report-credit" {
            h2 { (lang.t("report-credit")) }
            p { (lang.t("report-credit-about")) }
            table {
                caption { (lang.t("report-credit-by-party")) }
                thead { tr {
                    th scope="col" { (lang.t("report-col-credited-to")) }
                    th scope="col" { (lang.t("report-col-services")) }
                    th scope="col" { (lang.t("report-col-qualified")) }
                    th scope="col" { (lang.t("report-col-active-users")) }
                    th scope="col" { (lang.t("report-col-au")) }
                    th scope="col" { (lang.t("report-col-share")) }
                } }
                tbody {
                    @for (who, services, active, qualified, share) in &parties {
                        @let name = credited_name(who, lang);
                        tr {
                            th scope="row" { (name) }
                            td { (services) }
                            td { (qualified) }
                            td { (active) }
                            td { (au(*share, lang)) }
                            td { (bar(*active, all_active, &format!("{name}: {active} / {all_active}"))) }
                        }
                    }
                }
            }
            (t.html("report-scenarios", lang.t("report-credit"), &format!("/reports/performance.csv?{}", q.with(&[])), t.rows.len() as i64, lang))
        }
        section id="report-ytd" {
            h2 { (lang.t_with("report-ytd-growth", &[("year", i64::from(year).into())])) }
            @if growth.is_empty() {
                p.empty { (lang.t("report-none")) }
            } @else {
                table {
                    caption { (lang.t_with("report-ytd-growth", &[("year", i64::from(year).into())])) }
                    thead { tr {
                        th scope="col" { (lang.t("report-col-month")) }
                        th scope="col" { (lang.t("report-col-active-users")) }
                        th scope="col" { (lang.t("report-col-growth")) }
                        th scope="col" { (lang.t("report-col-chart")) }
                    } }
                    tbody {
                        @for (month, active, g) in &growth {
                            tr {
                                th scope="row" { (month) }
                                td { (count(*active, month_drill(&q, month, &[]))) }
                                td { (format!("{g:+}")) }
                                td { (bar(g.abs(), top, &format!("{month}: {g:+}"))) }
                            }
                        }
                    }
                }
            }
        }
        section id="report-qe-au" {
            h2 { (lang.t("report-qe-au-trend")) }
            (chart("chart-perf-au", lang.t("report-col-au"), &months, |m| m.counts.au_percent, lang))
            @if !months.is_empty() {
                table {
                    caption { (lang.t("report-qe-au-trend")) }
                    thead { tr {
                        th scope="col" { (lang.t("report-col-month")) }
                        th scope="col" { (lang.t("report-col-qualified")) }
                        th scope="col" { (lang.t("report-col-active-users")) }
                        th scope="col" { (lang.t("report-col-au")) }
                    } }
                    tbody {
                        @for m in &months {
                            tr {
                                th scope="row" { (m.month) }
                                td { (m.counts.qualified_entitlements) }
                                td { (count(m.counts.active_users, month_drill(&q, &m.month, &[]))) }
                                td { (au(m.counts.au_percent, lang)) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(report_page(
        lang,
        &v,
        lang.t("report-performance"),
        lang.t("report-performance-about"),
        body,
    ))
}

/// `GET /reports/performance.csv`: the table by scenario.
pub(crate) async fn csv(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let credit = credit_of(&state, &v, &q, lang).await?;
    Ok(csv_of("performance.csv", &table(&credit, &q, lang, false)))
}
