//! The 10% and 40% forecast tabs: forecast dates by month (a bar each, the numbers in
//! the table, each linking to that month's rows), then the dates that have passed (red:
//! still below the milestone), those due today and those ahead (green: already reached).

use super::{Cell, Table, au, count, csv_of, filters, report_page, service_name};
use crate::auth::PageViewer;
use crate::error::{PageError, PageResult};
use crate::extract::Query;
use crate::i18n::Lang;
use crate::pages::charts::bar;
use crate::service::reports::{ReportQuery, by_month, reached_early};
use axum::response::Response;
use ftop_domain::adoption::ForecastStatus;
use ftop_store::{ForecastRow, Page, Paged, ReportFilter};
use maud::html;
use time::Date;

/// The forecast dates of the query's milestone within `span` (both ends included) and
/// its month, a page of them and how many there are.
async fn rows_of(
    state: &crate::State,
    f: &ReportFilter,
    q: &ReportQuery,
    span: (Date, Date),
    page: Page,
    lang: Lang,
) -> Result<Paged<ForecastRow>, PageError> {
    let m = q.milestone().page(lang)?;
    let (mut from, mut to) = span;
    if let Some((a, b)) = q.month_days().page(lang)? {
        from = from.max(a);
        to = to.min(b);
    }
    if from > to {
        return Ok(Paged {
            rows: Vec::new(),
            total: 0,
        });
    }
    state
        .store
        .report_forecast_page(f, m, Some((from, to)), page)
        .await
        .page(lang)
}

fn table(rows: &[&ForecastRow], lang: Lang, people: bool) -> Table {
    Table {
        head: vec![
            ("tenant_id", lang.t("tenant-id").to_string()),
            ("tenant", lang.t("tenant").to_string()),
            ("service_key", lang.t("service").to_string()),
            ("target", lang.t("report-col-target").to_string()),
            ("reached", lang.t("report-col-reached").to_string()),
            ("au_percent", lang.t("report-col-au").to_string()),
            ("status", lang.t("report-col-status").to_string()),
            ("flag", lang.t("report-col-flag").to_string()),
        ],
        rows: rows
            .iter()
            .map(|r| {
                let day = |d: time::Date| {
                    if people {
                        lang.day(&d.to_string())
                    } else {
                        d.to_string()
                    }
                };
                let flag = if r.status == ForecastStatus::Overdue {
                    Cell::Flag {
                        text: lang.t("report-flag-below").to_string(),
                        class: "red",
                    }
                } else if reached_early(r) {
                    Cell::Flag {
                        text: lang.t("report-flag-reached").to_string(),
                        class: "green",
                    }
                } else if r.due_today {
                    Cell::Text(lang.t("report-col-due-today").to_string())
                } else {
                    Cell::Text(String::new())
                };
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
                    Cell::Text(day(r.target)),
                    Cell::Text(r.reached.map(day).unwrap_or_else(|| {
                        if people {
                            lang.t("report-not-reached").to_string()
                        } else {
                            String::new()
                        }
                    })),
                    Cell::Text(if people {
                        au(r.au_percent, lang)
                    } else {
                        super::au_csv(r.au_percent)
                    }),
                    Cell::Text(if people {
                        lang.label(r.status).to_string()
                    } else {
                        r.status.key().to_string()
                    }),
                    flag,
                ]
            })
            .collect(),
    }
}

/// `GET /reports/forecast?milestone=10|40[&month=YYYY-MM]`.
pub(crate) async fn page_of(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let f = q.filter(&v).page(lang)?;
    let m = q.milestone().page(lang)?;
    let today = f.day();
    let (before, after) = (
        today.previous_day().unwrap_or(Date::MIN),
        today.next_day().unwrap_or(Date::MAX),
    );
    let page = super::PAGE;
    let past = rows_of(&state, &f, &q, (Date::MIN, before), page, lang).await?;
    let due = rows_of(&state, &f, &q, (today, today), page, lang).await?;
    let ahead = rows_of(&state, &f, &q, (after, Date::MAX), page, lang).await?;
    let hidden = vec![("milestone", m.key().to_string())];
    let form = filters(&state, &v, &q, "/reports/forecast", &hidden, lang).await?;
    let days = state.store.report_forecast_days(&f, m).await.page(lang)?;
    let months = by_month(&days, today);
    let max = months.iter().map(|c| c.forecasts).max().unwrap_or(0);
    let drill = |month: &str| {
        format!(
            "/reports/forecast?{}#report-dates",
            q.with(&[
                ("milestone", m.key().to_string()),
                ("month", month.to_string())
            ])
        )
    };
    fn list(p: &Paged<ForecastRow>) -> Vec<&ForecastRow> {
        p.rows.iter().collect()
    }
    let csv = format!(
        "/reports/forecast.csv?{}",
        q.with(&[("milestone", m.key().to_string())])
    );
    let title = lang.t_with("report-forecast", &[("milestone", m.percent().into())]);
    let body = html! {
        (form)
        section id="report-months" {
            h2 { (lang.t("report-forecast-chart")) }
            table {
                thead { tr {
                    th scope="col" { (lang.t("report-col-month")) }
                    th scope="col" { (lang.t("report-col-forecasts")) }
                    th scope="col" { (lang.t("report-col-overdue")) }
                    th scope="col" { (lang.t("report-col-due-today")) }
                    th scope="col" { (lang.t("report-col-reached-early")) }
                    th scope="col" { (lang.t("report-forecast-chart")) }
                } }
                tbody {
                    @for c in &months {
                        tr {
                            th scope="row" { (c.month) }
                            td { (count(c.forecasts, drill(&c.month))) }
                            td { (count(c.overdue, drill(&c.month))) }
                            td { (count(c.due_today, drill(&c.month))) }
                            td { (count(c.reached_early, drill(&c.month))) }
                            td { (bar(c.forecasts, max, &format!("{}: {}", c.month, c.forecasts))) }
                        }
                    }
                }
            }
            @if let Some(month) = q.get("month") {
                p { (lang.t_with("report-month-shown", &[("month", month.to_string().into())])) " "
                    a href=(format!("/reports/forecast?{}", q.with(&[("milestone", m.key().to_string()), ("month", String::new())]))) { (lang.t("report-all-months")) } }
            }
        }
        div id="report-dates" {
        section {
            h2 { (lang.t("report-past")) }
            (table(&list(&past), lang, true).html("report-past", lang.t("report-past"), &csv, past.total, lang))
        }
        section {
            h2 { (lang.t("report-col-due-today")) }
            (table(&list(&due), lang, true).html("report-today", lang.t("report-col-due-today"), &csv, due.total, lang))
        }
        section {
            h2 { (lang.t("report-future")) }
            (table(&list(&ahead), lang, true).html("report-future", lang.t("report-future"), &csv, ahead.total, lang))
        }
        }
    };
    Ok(report_page(
        lang,
        &v,
        &title,
        lang.t("report-forecast-about"),
        body,
    ))
}

/// `GET /reports/forecast.csv`: every date shown (past, today and ahead), by date.
pub(crate) async fn csv(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let f = q.filter(&v).page(lang)?;
    let m = q.milestone().page(lang)?;
    let shown = rows_of(&state, &f, &q, (Date::MIN, Date::MAX), Page::ALL, lang).await?;
    let rows: Vec<&ForecastRow> = shown.rows.iter().collect();
    Ok(csv_of(
        &format!("forecast-{}.csv", m.key()),
        &table(&rows, lang, false),
    ))
}
