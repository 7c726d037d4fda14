//! The adoption dashboard: services by Active Usage bucket, milestones reached in a month
//! or quarter (the `period` named, else that of the latest usage figure, else this one:
//! never an empty month while there is data), forecasts against what happened, the same
//! by service, partner or manager, and the (tenant, service) rows behind every number.
//! All of it reads the adoption rollups kept as usage arrives; every table downloads as
//! CSV.

use crate::App;
use crate::auth::PageViewer;
use crate::error::{AppError, PageError, PageResult};
use crate::extract::Query;
use crate::i18n::Lang;
use crate::pages::charts::{BUCKET_COLOURS, Part, stacked};
use crate::pages::layout::page;
pub(crate) use crate::service::adoption::AdoptionQuery;
use crate::service::adoption::{self as service, Dashboard, groups_for};
use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use ftop_domain::adoption::{Bucket, ForecastStatus, Milestone};
use ftop_store::{
    AdoptionCounts, AdoptionGroup, AdoptionGroupBy, AdoptionPortfolio, AdoptionRow, DateWindow,
};
use maud::{Markup, html};
use std::sync::Arc;
use time::Date;

/// This module's routes.
pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/adoption", get(dashboard))
        .route("/adoption.csv", get(dashboard_csv))
        .route("/adoption/rows", get(rows_page))
        .route("/adoption/rows.csv", get(rows_csv))
}

impl AdoptionQuery {
    /// The query string of this view with `extra` pairs replacing its own.
    fn with(&self, extra: &[(&str, String)]) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        let own: [(&str, Option<String>); 12] = [
            ("mine", self.mine.clone()),
            ("window", self.window.clone()),
            ("by", self.by.clone()),
            ("service", self.service.clone()),
            ("bucket", self.bucket.clone()),
            ("partner", self.partner.clone()),
            ("manager", self.manager.clone()),
            ("reached", self.reached.clone()),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            ("forecast", self.forecast.clone()),
            ("period", self.period.clone()),
        ];
        for (k, v) in own {
            if extra.iter().any(|(e, _)| *e == k) {
                continue;
            }
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                pairs.push((k, v));
            }
        }
        pairs.extend(extra.iter().filter(|(_, v)| !v.is_empty()).cloned());
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", crate::auth::urlencode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The drill-down behind a number: this view's filter narrowed by `extra` (the
    /// period left out: a window's rows name their days).
    fn drill(&self, extra: &[(&str, String)]) -> String {
        let mut e = extra.to_vec();
        e.push(("period", String::new()));
        format!("/adoption/rows?{}", self.with(&e))
    }
}

fn bucket_name(b: Option<Bucket>, lang: Lang) -> &'static str {
    match b {
        Some(b) => lang.label(b),
        None => lang.t("au-bucket-none"),
    }
}

fn pct(p: Option<f64>) -> String {
    p.map_or_else(|| "—".to_string(), |p| format!("{p:.2}%"))
}

fn link(n: i64, href: String) -> Markup {
    html! { a href=(href) { (n) } }
}

fn bucket_bar(c: &AdoptionCounts, lang: Lang, title: &str) -> Markup {
    let parts = [
        Part {
            n: c.below_10,
            colour: BUCKET_COLOURS[0],
            label: bucket_name(Some(Bucket::Below10), lang).to_string(),
        },
        Part {
            n: c.from_10_to_40,
            colour: BUCKET_COLOURS[1],
            label: bucket_name(Some(Bucket::From10To40), lang).to_string(),
        },
        Part {
            n: c.from_40,
            colour: BUCKET_COLOURS[2],
            label: bucket_name(Some(Bucket::From40), lang).to_string(),
        },
        Part {
            n: c.undefined,
            colour: BUCKET_COLOURS[3],
            label: bucket_name(None, lang).to_string(),
        },
    ];
    stacked(&parts, title)
}

fn legend(lang: Lang) -> Markup {
    let items = [
        Some(Bucket::Below10),
        Some(Bucket::From10To40),
        Some(Bucket::From40),
        None,
    ];
    html! {
        p.legend {
            @for (i, b) in items.iter().enumerate() {
                span { svg width="12" height="12" aria-hidden="true" { rect width="12" height="12" fill=(BUCKET_COLOURS[i]) {} } " " (bucket_name(*b, lang)) } " "
            }
        }
    }
}

pub(crate) fn status_name(s: ForecastStatus, lang: Lang) -> &'static str {
    super::forecast::status_name(s, lang)
}

fn csv_link(q: &AdoptionQuery, table: &str, lang: Lang) -> Markup {
    let href = format!("/adoption.csv?{}", q.with(&[("table", table.to_string())]));
    html! { p { a href=(href) download=(format!("adoption-{table}.csv")) hx-boost="false" { (lang.t("download-csv")) } } }
}

/// `GET /adoption`.
pub(crate) async fn dashboard(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<AdoptionQuery>,
) -> Result<Response, PageError> {
    let title = lang.t("adoption");
    let (
        Dashboard {
            portfolio: p,
            groups,
        },
        day,
    ) = service::dashboard_page(&state, &v, &q).await.page(lang)?;
    // The period shown, named in every link and in the form: the same numbers again.
    let q = AdoptionQuery {
        period: Some(month_of(day)),
        ..q
    };
    let by = q.by();
    let body = html! {
        h1 { (title) }
        (controls(&q, day, lang))
        (totals(&q, &p, lang))
        (by_service(&q, &p, lang))
        (forecasts(&q, &p.totals, lang))
        @if let Some(g) = &groups { (grouped(&q, by, g, &p.window, lang)) }
    };
    Ok(page(lang, &v, title, body).into_response())
}

/// `YYYY-MM`: the month of `day`, as the `period` parameter names it.
fn month_of(day: Date) -> String {
    format!("{:04}-{:02}", day.year(), u8::from(day.month()))
}

/// The dashboard's form: the window (month or quarter) of its period (`day`) and the
/// period itself, the grouping and "only mine". The windows are named "this month" and
/// "this quarter" when the period is the current one, else by their first and last days.
fn controls(q: &AdoptionQuery, day: Date, lang: Lang) -> Markup {
    let today = ftop_store::today();
    let month = DateWindow::month_of(day);
    let quarter = DateWindow::quarter_of(day);
    let name = |w: DateWindow, current: DateWindow, now: &'static str| {
        if w == current {
            now.to_string()
        } else {
            format!("{} – {}", w.from, w.to)
        }
    };
    html! {
        form.filters method="get" action="/adoption" {
            label { (lang.t("milestones-reached"))
                select name="window" {
                    option value="month" selected[!q.quarter()] { (name(month, DateWindow::month_of(today), lang.t("this-month"))) }
                    option value="quarter" selected[q.quarter()] { (name(quarter, DateWindow::quarter_of(today), lang.t("this-quarter"))) }
                }
            }
            label { (lang.t("as-of-heading"))
                input type="month" name="period" value=(q.period.clone().unwrap_or_default());
            }
            label { (lang.t("group-by"))
                select name="by" {
                    option value="service" selected[q.by() == AdoptionGroupBy::Service] { (lang.t("services")) }
                    option value="partner" selected[q.by() == AdoptionGroupBy::Partner] { (lang.t("partner")) }
                    option value="manager" selected[q.by() == AdoptionGroupBy::Manager] { (lang.t("manager")) }
                }
            }
            label { input type="checkbox" name="mine" value="1" checked[q.mine()]; " " (lang.t("only-my-tenants")) }
            button type="submit" { (lang.t("filter")) }
        }
    }
}

fn totals(q: &AdoptionQuery, p: &AdoptionPortfolio, lang: Lang) -> Markup {
    let t = &p.totals;
    let (from, to) = (p.window.from.to_string(), p.window.to.to_string());
    html! {
        section id="adoption-totals" {
            h2 { (lang.t("all-services")) }
            (bucket_bar(t, lang, lang.t("services-by-bucket")))
            (legend(lang))
            dl.facts {
                dt { (lang.t("services")) } dd { (link(t.services, q.drill(&[]))) }
                dt { (lang.t("engaged-with-seats")) } dd { (t.engaged) }
                dt { (lang.t("reached-10")) } dd {
                    (link(t.reached_10, q.drill(&[("reached", "10".into())]))) " · " (pct(t.conversion(Milestone::Ten)))
                }
                dt { (lang.t("reached-40")) } dd {
                    (link(t.reached_40, q.drill(&[("reached", "40".into())]))) " · " (pct(t.conversion(Milestone::Forty)))
                }
                dt { (lang.t("tenants-converted")) } dd {
                    (pct(t.tenant_conversion(Milestone::Ten))) " / " (pct(t.tenant_conversion(Milestone::Forty)))
                }
                dt { (lang.t_with("reached-in-window", &[("from", from.as_str().into()), ("to", to.as_str().into())])) } dd {
                    "10%: " (link(t.reached_10_in_window, q.drill(&[("reached", "10".into()), ("from", from.clone()), ("to", to.clone())])))
                    " · 40%: " (link(t.reached_40_in_window, q.drill(&[("reached", "40".into()), ("from", from.clone()), ("to", to.clone())])))
                }
            }
        }
    }
}

fn by_service(q: &AdoptionQuery, p: &AdoptionPortfolio, lang: Lang) -> Markup {
    let (from, to) = (p.window.from.to_string(), p.window.to.to_string());
    html! {
        section id="adoption-by-service" {
            h2 { (lang.t("by-service")) }
            table {
                thead { tr {
                    th scope="col" { (lang.t("service")) }
                    th scope="col" { (lang.t("services")) }
                    th scope="col" { (bucket_name(Some(Bucket::Below10), lang)) }
                    th scope="col" { (bucket_name(Some(Bucket::From10To40), lang)) }
                    th scope="col" { (bucket_name(Some(Bucket::From40), lang)) }
                    th scope="col" { (bucket_name(None, lang)) }
                    th scope="col" { (lang.t("share")) }
                    th scope="col" { (lang.t("in-window-10")) }
                    th scope="col" { (lang.t("in-window-40")) }
                } }
                tbody {
                    @for g in &p.by_service {
                        @let s = g.service.clone().unwrap_or_default();
                        @let c = &g.counts;
                        tr {
                            th scope="row" { (g.name.clone().unwrap_or_else(|| s.clone())) }
                            td { (link(c.services, q.drill(&[("service", s.clone())]))) }
                            td { (link(c.below_10, q.drill(&[("service", s.clone()), ("bucket", "below-10".into())]))) }
                            td { (link(c.from_10_to_40, q.drill(&[("service", s.clone()), ("bucket", "10-40".into())]))) }
                            td { (link(c.from_40, q.drill(&[("service", s.clone()), ("bucket", "40-plus".into())]))) }
                            td { (link(c.undefined, q.drill(&[("service", s.clone()), ("bucket", "undefined".into())]))) }
                            td { (bucket_bar(c, lang, &lang.t_with("by-bucket", &[("name", g.name.clone().unwrap_or_default().into())]))) }
                            td { (link(c.reached_10_in_window, q.drill(&[("service", s.clone()), ("reached", "10".into()), ("from", from.clone()), ("to", to.clone())]))) }
                            td { (link(c.reached_40_in_window, q.drill(&[("service", s.clone()), ("reached", "40".into()), ("from", from.clone()), ("to", to.clone())]))) }
                        }
                    }
                }
            }
            (csv_link(q, "service", lang))
        }
    }
}

fn forecasts(q: &AdoptionQuery, t: &AdoptionCounts, lang: Lang) -> Markup {
    html! {
        section id="adoption-forecasts" {
            h2 { (lang.t("forecast-against-actual")) }
            table {
                thead { tr {
                    th scope="col" { (lang.t("milestone")) }
                    @for s in ForecastStatus::ALL { th scope="col" { (status_name(s, lang)) } }
                } }
                tbody {
                    @for (m, counts) in [(Milestone::Ten, &t.forecast_10), (Milestone::Forty, &t.forecast_40)] {
                        tr {
                            th scope="row" { (m.percent()) "%" }
                            @for s in ForecastStatus::ALL {
                                td { (link(counts.get(s), q.drill(&[("forecast", format!("{}:{}", m.key(), s.key()))]))) }
                            }
                        }
                    }
                }
            }
            (csv_link(q, "forecast", lang))
        }
    }
}

fn grouped(
    q: &AdoptionQuery,
    by: AdoptionGroupBy,
    groups: &[AdoptionGroup],
    window: &DateWindow,
    lang: Lang,
) -> Markup {
    let (key, heading, none) = match by {
        AdoptionGroupBy::Partner => ("partner", lang.t("by-partner"), lang.t("no-partner")),
        _ => ("manager", lang.t("by-manager"), lang.t("no-manager")),
    };
    let (from, to) = (window.from.to_string(), window.to.to_string());
    html! {
        section id=(format!("adoption-by-{key}")) {
            h2 { (heading) }
            table {
                thead { tr {
                    th scope="col" { (heading) }
                    th scope="col" { (lang.t("services")) }
                    th scope="col" { (lang.t("adoption-engaged")) }
                    th scope="col" { (lang.t("reached-10")) }
                    th scope="col" { (lang.t("reached-40")) }
                    th scope="col" { (lang.t("in-window-10")) }
                    th scope="col" { (lang.t("overdue-10")) }
                    th scope="col" { (lang.t("share")) }
                } }
                tbody {
                    @for g in groups {
                        @let c = &g.counts;
                        @let id = g.id.map(|i| i.to_string());
                        @let d = |extra: &[(&str, String)]| -> Option<String> {
                            id.as_ref().map(|i| {
                                let mut e = vec![(key, i.clone())];
                                e.extend_from_slice(extra);
                                q.drill(&e)
                            })
                        };
                        tr {
                            th scope="row" { (g.name.clone().unwrap_or_else(|| none.to_string())) }
                            td { (opt_link(c.services, d(&[]))) }
                            td { (c.engaged) }
                            td { (opt_link(c.reached_10, d(&[("reached", "10".into())]))) " · " (pct(c.conversion(Milestone::Ten))) }
                            td { (opt_link(c.reached_40, d(&[("reached", "40".into())]))) " · " (pct(c.conversion(Milestone::Forty))) }
                            td { (opt_link(c.reached_10_in_window, d(&[("reached", "10".into()), ("from", from.clone()), ("to", to.clone())]))) }
                            td { (opt_link(c.forecast_10.overdue, d(&[("forecast", "10:overdue".into())]))) }
                            td { (bucket_bar(c, lang, &g.name.clone().unwrap_or_else(|| none.to_string()))) }
                        }
                    }
                }
            }
            (csv_link(q, key, lang))
        }
    }
}

fn opt_link(n: i64, href: Option<String>) -> Markup {
    match href {
        Some(h) => link(n, h),
        None => html! { (n) },
    }
}

/// `GET /adoption/rows`: the (tenant, service) rows behind a number.
pub(crate) async fn rows_page(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<AdoptionQuery>,
) -> Result<Response, PageError> {
    let title = lang.t("adoption-rows");
    let (f, rows) = service::rows(&state, &v, &q).await.page(lang)?;
    let limit = f.limit.unwrap_or(100);
    let offset = f.offset.unwrap_or(0);
    let body = html! {
        h1 { (title) }
        p { a href=(format!("/adoption?{}", q.with(&[]))) { "← " (lang.t("adoption")) } }
        (rows_table(&rows, lang))
        p.pager {
            @if offset > 0 { a href=(format!("/adoption/rows?{}", q.with(&[("offset", (offset - limit).max(0).to_string())]))) rel="prev" { (lang.t("previous")) } " " }
            @if rows.len() as i64 == limit { a href=(format!("/adoption/rows?{}", q.with(&[("offset", (offset + limit).to_string())]))) rel="next" { (lang.t("next")) } }
        }
        p { a href=(format!("/adoption/rows.csv?{}", q.with(&[]))) download="adoption-rows.csv" hx-boost="false" { (lang.t("download-csv")) } }
    };
    Ok(page(lang, &v, title, body).into_response())
}

fn rows_table(rows: &[AdoptionRow], lang: Lang) -> Markup {
    let d = |x: Option<Date>| x.map_or_else(|| "—".to_string(), |x| x.to_string());
    html! {
        @if rows.is_empty() { p.muted { (lang.t("no-service-matches")) } }
        table id="adoption-rows" {
            thead { tr {
                th scope="col" { (lang.t("tenant")) }
                th scope="col" { (lang.t("service")) }
                th scope="col" { (lang.t("au")) }
                th scope="col" { (lang.t("active-of-qualified")) }
                th scope="col" { (lang.t("bucket")) }
                th scope="col" { (lang.t("as-of-heading")) }
                th scope="col" { "10%" }
                th scope="col" { "40%" }
                th scope="col" { (lang.t("forecast-10")) }
            } }
            tbody {
                @for r in rows {
                    @let a = &r.adoption;
                    tr {
                        td { a href=(format!("/tenants/{}?tab=usage", r.tenant_id)) { (r.tenant) } }
                        td { (a.service) }
                        td { (pct(a.au_percent)) }
                        td { (a.active_users.map_or_else(|| "—".to_string(), |n| n.to_string())) " / " (a.qualified_entitlements) }
                        td { (bucket_name(a.bucket, lang)) }
                        td { (d(a.as_of)) }
                        td { (d(a.milestone_10)) }
                        td { (d(a.milestone_40)) }
                        td { (d(a.target_10)) @if let Some(s) = a.forecast_10 { " · " (status_name(s, lang)) } }
                    }
                }
            }
        }
    }
}

/// The CSV rows of the drill-down.
fn rows_csv_text(rows: &[AdoptionRow]) -> String {
    let d = |x: Option<Date>| x.map(|x| x.to_string()).unwrap_or_default();
    let mut out: Vec<Vec<String>> = vec![
        [
            "tenant_id",
            "tenant",
            "service_key",
            "service",
            "as_of",
            "active_users",
            "qualified_entitlements",
            "au_percent",
            "bucket",
            "milestone_10",
            "milestone_40",
            "target_10",
            "target_40",
            "forecast_10",
            "forecast_40",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for r in rows {
        let a = &r.adoption;
        out.push(vec![
            r.tenant_id.clone(),
            r.tenant.clone(),
            a.service_key.clone(),
            a.service.clone(),
            d(a.as_of),
            a.active_users.map(|n| n.to_string()).unwrap_or_default(),
            a.qualified_entitlements.to_string(),
            a.au_percent.map(|p| format!("{p:.2}")).unwrap_or_default(),
            a.bucket.map(|b| b.key().to_string()).unwrap_or_default(),
            d(a.milestone_10),
            d(a.milestone_40),
            d(a.target_10),
            d(a.target_40),
            a.forecast_10
                .map(|s| s.key().to_string())
                .unwrap_or_default(),
            a.forecast_40
                .map(|s| s.key().to_string())
                .unwrap_or_default(),
        ]);
    }
    super::csv::text(&out)
}

fn counts_row(name: &str, key: &str, c: &AdoptionCounts) -> Vec<String> {
    let p = |x: Option<f64>| x.map(|x| format!("{x:.2}")).unwrap_or_default();
    vec![
        key.to_string(),
        name.to_string(),
        c.services.to_string(),
        c.engaged.to_string(),
        c.below_10.to_string(),
        c.from_10_to_40.to_string(),
        c.from_40.to_string(),
        c.undefined.to_string(),
        c.reached_10.to_string(),
        c.reached_40.to_string(),
        c.reached_10_in_window.to_string(),
        c.reached_40_in_window.to_string(),
        p(c.conversion(Milestone::Ten)),
        p(c.conversion(Milestone::Forty)),
        c.forecast_10.overdue.to_string(),
        c.forecast_40.overdue.to_string(),
    ]
}

const COUNT_HEADER: [&str; 16] = [
    "key",
    "name",
    "services",
    "engaged",
    "below_10",
    "from_10_to_40",
    "from_40",
    "undefined",
    "reached_10",
    "reached_40",
    "reached_10_in_window",
    "reached_40_in_window",
    "conversion_10",
    "conversion_40",
    "overdue_10",
    "overdue_40",
];

/// `GET /adoption.csv?table=service|forecast|partner|manager`.
pub(crate) async fn dashboard_csv(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<AdoptionQuery>,
) -> Result<Response, PageError> {
    let f = q.filter(&v).page(lang)?;
    let window = q.window_of(service::page_day(&state, &q, &f).await.page(lang)?);
    let table = q.table.as_deref().unwrap_or("service");
    let by = match table {
        "service" | "forecast" => AdoptionGroupBy::Service,
        "partner" => AdoptionGroupBy::Partner,
        "manager" => AdoptionGroupBy::Manager,
        other => {
            return Err(PageError::new(
                lang,
                AppError::bad_request(format!(
                    "unknown table `{other}`: choose service, forecast, partner or manager"
                )),
            ));
        }
    };
    let mut out: Vec<Vec<String>> = Vec::new();
    match by {
        AdoptionGroupBy::Service => {
            let p = state
                .store
                .adoption_portfolio(&f, window)
                .await
                .page(lang)?;
            if table == "service" {
                out.push(COUNT_HEADER.map(String::from).to_vec());
                out.push(counts_row("All services", "(total)", &p.totals));
                for g in &p.by_service {
                    let key = g.service.clone().unwrap_or_default();
                    out.push(counts_row(
                        g.name.as_deref().unwrap_or(&key),
                        &key,
                        &g.counts,
                    ));
                }
            } else {
                let mut h = vec!["milestone".to_string()];
                h.extend(ForecastStatus::ALL.iter().map(|s| s.key().to_string()));
                out.push(h);
                for (m, c) in [
                    (Milestone::Ten, &p.totals.forecast_10),
                    (Milestone::Forty, &p.totals.forecast_40),
                ] {
                    let mut r = vec![m.key().to_string()];
                    r.extend(ForecastStatus::ALL.iter().map(|s| c.get(*s).to_string()));
                    out.push(r);
                }
            }
        }
        by => {
            let g = groups_for(&state, &v, &f, window, by).await.page(lang)?;
            out.push(COUNT_HEADER.map(String::from).to_vec());
            for g in &g {
                let key = g.id.map(|i| i.to_string()).unwrap_or_default();
                out.push(counts_row(g.name.as_deref().unwrap_or(""), &key, &g.counts));
            }
        }
    }
    Ok(super::csv::download(
        &format!("adoption-{table}.csv"),
        super::csv::text(&out),
    ))
}

/// `GET /adoption/rows.csv`: the drill-down as CSV (up to 1,000 rows from `offset`).
pub(crate) async fn rows_csv(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(mut q): Query<AdoptionQuery>,
) -> Result<Response, PageError> {
    q.limit = Some(q.limit.unwrap_or_else(|| "1000".into()));
    let (_, rows) = service::rows(&state, &v, &q).await.page(lang)?;
    Ok(super::csv::download(
        "adoption-rows.csv",
        rows_csv_text(&rows),
    ))
}
