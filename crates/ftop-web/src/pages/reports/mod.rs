//! The report tabs (issue 17): an index and one page per report under `/reports/...`,
//! each with the report-level filters (assignment, statuses, service), its table as CSV
//! (`.csv` next to the page: the same rows, the same columns), server-drawn charts with
//! their numbers in a table beside them, and every number linking to the rows (tenants)
//! behind it. The reading is `service::reports` over the store's `reports` reads.

mod compliance;
mod conversion;
mod data_health;
mod forecast;
mod milestones;
mod new_subscriptions;
mod performance;
mod service_usage;
mod stale;
mod usage_trend;

use crate::App;
use crate::auth::PageViewer;
use crate::error::{PageError, PageResult};
use crate::i18n::Lang;
use crate::pages::charts::{BUCKET_COLOURS, Part, stacked};
use crate::pages::layout::page;
use crate::service::reports::ReportQuery;
use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use ftop_domain::adoption::Bucket;
pub(crate) use ftop_domain::catalogue::name_of as service_name;
use ftop_domain::taxonomy::L1;
use ftop_domain::{EngagementScenario, OverallStatus, UserRole};
use ftop_store::Page;
use maud::{Markup, html};
use std::sync::Arc;

/// The AU buckets in the order the stores count them (`BucketCounts::counts`,
/// `UsageCounts::buckets`), with their query value.
pub(crate) const BUCKETS: [(Option<Bucket>, &str); 4] = [
    (Some(Bucket::Below10), "below-10"),
    (Some(Bucket::From10To40), "10-40"),
    (Some(Bucket::From40), "40-plus"),
    (None, "undefined"),
];

/// A bucket's name in the reader's language (AU undefined without seats).
pub(crate) fn bucket_name(b: Option<Bucket>, lang: Lang) -> &'static str {
    b.map_or_else(|| lang.t("au-bucket-none"), |b| lang.label(b))
}

/// The four bucket counts as one stacked bar, titled `title`.
pub(crate) fn bucket_bar(counts: &[i64; 4], title: &str, lang: Lang) -> Markup {
    let parts: Vec<Part<'_>> = BUCKETS
        .iter()
        .zip(counts)
        .enumerate()
        .map(|(i, ((b, _), &n))| Part {
            n,
            colour: BUCKET_COLOURS[i],
            label: bucket_name(*b, lang).to_string(),
        })
        .collect();
    stacked(&parts, title)
}

/// Rows a report page shows at most (the CSV has them all).
pub(crate) const PAGE_ROWS: usize = 1000;

/// The rows a report page reads: its first [`PAGE_ROWS`].
pub(crate) const PAGE: Page = Page {
    limit: Some(PAGE_ROWS as i64),
    offset: 0,
};

/// This module's routes.
pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/reports", get(index))
        .route("/reports/milestones", get(milestones::page_of))
        .route("/reports/milestones.csv", get(milestones::csv))
        .route("/reports/stale-status-notes", get(stale::page_of))
        .route("/reports/stale-status-notes.csv", get(stale::csv))
        .route("/reports/compliance", get(compliance::page_of))
        .route("/reports/compliance.csv", get(compliance::csv))
        .route("/reports/forecast", get(forecast::page_of))
        .route("/reports/forecast.csv", get(forecast::csv))
        .route(
            "/reports/new-subscriptions",
            get(new_subscriptions::page_of),
        )
        .route(
            "/reports/new-subscriptions.csv",
            get(new_subscriptions::csv),
        )
        .route("/reports/data-health", get(data_health::page_of))
        .route("/reports/data-health.csv", get(data_health::csv))
        .route("/reports/conversion", get(conversion::page_of))
        .route("/reports/conversion.csv", get(conversion::csv))
        .route("/reports/performance", get(performance::page_of))
        .route("/reports/performance.csv", get(performance::csv))
        .route("/reports/service-usage", get(service_usage::page_of))
        .route("/reports/service-usage.csv", get(service_usage::csv))
        .route("/reports/usage-trend", get(usage_trend::page_of))
        .route("/reports/usage-trend.csv", get(usage_trend::csv))
}

/// The tabs: path and title.
fn tabs(lang: Lang) -> Vec<(&'static str, String)> {
    vec![
        (
            "/reports/performance",
            lang.t("report-performance").to_string(),
        ),
        (
            "/reports/milestones",
            lang.t("report-milestones").to_string(),
        ),
        (
            "/reports/stale-status-notes",
            lang.t("report-stale").to_string(),
        ),
        (
            "/reports/compliance",
            lang.t("report-compliance").to_string(),
        ),
        (
            "/reports/forecast?milestone=10",
            lang.t_with("report-forecast", &[("milestone", 10.into())]),
        ),
        (
            "/reports/forecast?milestone=40",
            lang.t_with("report-forecast", &[("milestone", 40.into())]),
        ),
        (
            "/reports/new-subscriptions",
            lang.t("report-new-subscriptions").to_string(),
        ),
        (
            "/reports/service-usage",
            lang.t("report-service-usage").to_string(),
        ),
        (
            "/reports/conversion",
            lang.t("report-conversion").to_string(),
        ),
        (
            "/reports/usage-trend",
            lang.t("report-usage-trend").to_string(),
        ),
        (
            "/reports/data-health",
            lang.t("report-data-health").to_string(),
        ),
    ]
}

/// `GET /reports`: the tabs.
async fn index(PageViewer { v, lang }: PageViewer) -> Response {
    let title = lang.t("reports");
    let body = html! {
        h1 { (title) }
        p { (lang.t("reports-intro")) }
        ul.reports {
            @for (href, name) in tabs(lang) { li { a href=(href) { (name) } } }
        }
    };
    page(lang, &v, title, body).into_response()
}

/// A cell of a report table: text, a tenant (linked to its page), or a link.
pub(crate) enum Cell {
    Text(String),
    Tenant {
        id: String,
        name: String,
    },
    Link {
        text: String,
        href: String,
    },
    /// Text marked as a flag (`red` or `green`), with its meaning in words.
    Flag {
        text: String,
        class: &'static str,
    },
}

impl Cell {
    fn csv(&self) -> String {
        match self {
            Cell::Text(t) | Cell::Link { text: t, .. } | Cell::Flag { text: t, .. } => t.clone(),
            Cell::Tenant { name, .. } => name.clone(),
        }
    }

    fn html(&self) -> Markup {
        match self {
            Cell::Text(t) => html! { (t) },
            Cell::Tenant { id, name } => html! { a href=(format!("/tenants/{id}")) { (name) } },
            Cell::Link { text, href } => html! { a href=(href) { (text) } },
            Cell::Flag { text, class } => html! { span class=(format!("flag {class}")) { (text) } },
        }
    }
}

/// A report table: each column's CSV name and heading, and the rows.
pub(crate) struct Table {
    pub(crate) head: Vec<(&'static str, String)>,
    pub(crate) rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The table as CSV text: the columns' names, then every row.
    pub(crate) fn csv(&self) -> String {
        let mut out = vec![self.head.iter().map(|(k, _)| k.to_string()).collect()];
        out.extend(self.rows.iter().map(|r| r.iter().map(Cell::csv).collect()));
        super::csv::text(&out)
    }

    /// The table (its first [`PAGE_ROWS`] rows, of `total` the report has) with its CSV
    /// link.
    pub(crate) fn html(
        &self,
        id: &str,
        caption: &str,
        csv_href: &str,
        total: i64,
        lang: Lang,
    ) -> Markup {
        let shown = self.rows.len().min(PAGE_ROWS) as i64;
        html! {
            @if self.rows.is_empty() {
                p.empty id=(id) { (lang.t("report-none")) }
            } @else {
                table id=(id) {
                    caption { (caption) }
                    thead { tr { @for (_, h) in &self.head { th scope="col" { (h) } } } }
                    tbody {
                        @for r in self.rows.iter().take(PAGE_ROWS) {
                            tr { @for c in r { td { (c.html()) } } }
                        }
                    }
                }
                @if total > shown {
                    p { (lang.t_with("report-rows-cut", &[("shown", shown.into()), ("total", total.into())])) }
                }
            }
            p { a href=(csv_href) download hx-boost="false" { (lang.t("download-csv")) } }
        }
    }
}

/// A CSV download of a table.
pub(crate) fn csv_of(name: &str, t: &Table) -> Response {
    super::csv::download(name, t.csv())
}

/// A number linking to the rows behind it.
pub(crate) fn count(n: i64, href: String) -> Markup {
    html! { a href=(href) { (n) } }
}

/// An AU percentage for people (one decimal, the reader's mark), or a dash.
pub(crate) fn au(p: Option<f64>, lang: Lang) -> String {
    p.map_or_else(
        || "—".to_string(),
        |p| lang.percent_bp((p * 100.0).round() as i64),
    )
}

/// An AU percentage for CSV (two decimals, empty when undefined).
pub(crate) fn au_csv(p: Option<f64>) -> String {
    p.map(|p| format!("{p:.2}")).unwrap_or_default()
}

/// The report-level filters as a form, on the page at `action` (with `hidden` pairs
/// kept): partners are not offered the organisation and manager choices (their scope is
/// their organisation).
pub(crate) async fn filters(
    app: &App,
    viewer: &crate::auth::Viewer,
    q: &ReportQuery,
    action: &str,
    hidden: &[(&str, String)],
    lang: Lang,
) -> Result<Markup, PageError> {
    let internal = viewer.user.role != UserRole::Partner;
    let (orgs, managers) = if internal {
        let orgs = app.store.organisations().await.page(lang)?;
        let mut users = app.store.users().await.page(lang)?;
        users.retain(|u| u.role == UserRole::Manager);
        (
            orgs.into_iter().map(|o| (o.id, o.name)).collect::<Vec<_>>(),
            users
                .into_iter()
                .map(|u| (u.id, u.name))
                .collect::<Vec<_>>(),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let sel = |name: &str, v: &str| q.get(name) == Some(v);
    Ok(html! {
        form.filters method="get" action=(action) aria-label=(lang.t("report-filters")) {
            @for (k, v) in hidden { input type="hidden" name=(k) value=(v); }
            @if internal {
                label { (lang.t("report-partner"))
                    select name="partner" {
                        option value="" { (lang.t("report-any")) }
                        @for (id, name) in &orgs {
                            option value=(id) selected[sel("partner", &id.to_string())] { (name) }
                        }
                    }
                }
                label { (lang.t("report-manager"))
                    select name="manager" {
                        option value="" { (lang.t("report-any")) }
                        @for (id, name) in &managers {
                            option value=(id) selected[sel("manager", &id.to_string())] { (name) }
                        }
                    }
                }
            }
            label { (lang.t("report-team"))
                input type="text" name="team" value=(q.get("team").unwrap_or_default());
            }
            label { (lang.t("report-overall-status"))
                select name="status" {
                    option value="" { (lang.t("report-any")) }
                    @for s in OverallStatus::ALL {
                        option value=(s.key()) selected[sel("status", s.key())] { (lang.label(*s)) }
                    }
                }
            }
            label { (lang.t("report-scenario"))
                select name="scenario" {
                    option value="" { (lang.t("report-any")) }
                    @for s in EngagementScenario::ALL {
                        option value=(s.key()) selected[sel("scenario", s.key())] { (lang.label(*s)) }
                    }
                }
            }
            label { (lang.t("report-service-status"))
                select name="service_status" {
                    option value="" { (lang.t("report-any")) }
                    @for s in L1::ALL {
                        option value=(s.key()) selected[sel("service_status", s.key())] { (lang.label(s)) }
                    }
                }
            }
            label { (lang.t("service"))
                select name="service" {
                    option value="" { (lang.t("report-any")) }
                    @for s in ftop_domain::catalogue::SERVICES {
                        option value=(s.key) selected[sel("service", s.key)] { (s.name) }
                    }
                }
            }
            button type="submit" { (lang.t("filter")) }
        }
    })
}

/// A form choosing the month the counts are taken at (the end of it; empty: the latest
/// figures), keeping the report-level filters.
pub(crate) fn month_form(q: &ReportQuery, action: &str, lang: Lang) -> Markup {
    html! {
        form.filters method="get" action=(action) aria-label=(lang.t("report-month-filter")) {
            @for k in crate::service::reports::FILTER_NAMES {
                @if let Some(v) = q.get(k) { input type="hidden" name=(k) value=(v); }
            }
            label { (lang.t("report-month-filter"))
                input type="month" name="month" value=(q.get("month").unwrap_or_default());
            }
            button type="submit" { (lang.t("filter")) }
        }
    }
}

/// A report page: the tabs, the title, what the report shows, then `body`.
pub(crate) fn report_page(
    lang: Lang,
    viewer: &crate::auth::Viewer,
    title: &str,
    about: &str,
    body: Markup,
) -> Response {
    let body = html! {
        nav.tabs aria-label=(lang.t("reports")) {
            a href="/reports" { (lang.t("reports")) }
            @for (href, name) in tabs(lang) { " · " a href=(href) { (name) } }
        }
        h1 { (title) }
        p { (about) }
        (body)
    };
    page(lang, viewer, title, body).into_response()
}
