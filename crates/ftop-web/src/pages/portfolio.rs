//! The portfolio summary: the tenants the viewer may see (partners: their organisation's;
//! everyone else: all), or only those assigned to them, counted by overall status, service,
//! primary FastTrack Manager and current phase. Tables with a server-drawn SVG bar per row
//! (no JavaScript), and a CSV download of each table. Every count of tenants links to the
//! home grid narrowed to exactly those tenants (`service::portfolio::Drill`); the
//! services' entitlements and seats are sums, not tenants, and link nowhere.

use crate::App;
use crate::auth::{PageViewer, Viewer};
use crate::error::{AppError, PageError, PageResult};
use crate::extract::Query;
use crate::i18n::Lang;
use crate::pages::layout::page;
pub(crate) use crate::service::portfolio::PortfolioQuery;
use crate::service::portfolio::{Drill, summary};
use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use ftop_domain::UserRole;
use ftop_store::PortfolioSummary;
use maud::{Markup, html};
use std::sync::Arc;

/// This module's routes.
pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/portfolio", get(portfolio))
        .route("/portfolio.csv", get(portfolio_csv))
}

/// The tables a CSV download can name.
const TABLES: [&str; 4] = ["status", "service", "owner", "phase"];

/// The home grid's link to the tenants behind a number: this portfolio's tenants (the
/// viewer's, or with `mine` those assigned to them) narrowed by `d`, so that the list's
/// total is the number. The grid's own views stand for "assigned to me and active" (or
/// inactive) where they mean exactly that (not for partners, whose "my" views are their
/// organisation's).
fn grid(v: &Viewer, mine: bool, d: Drill) -> String {
    let partner = v.user.role == UserRole::Partner;
    let mut d = d;
    let view = match (mine, d.active) {
        (false, _) => "all",
        (true, Some(active)) if !partner => {
            d.active = None;
            if active { "my-active" } else { "my-inactive" }
        }
        (true, _) => "mine",
    };
    format!("/?view={view}{}", d.query())
}

/// A count, linked to the tenants behind it.
fn count(n: i64, href: String) -> Markup {
    html! { a href=(href) { (n) } }
}

fn share(lang: Lang, label: &str, n: i64, total: i64) -> String {
    let pct = if total > 0 {
        (n.max(0) as f64 * 100.0 / total as f64).round() as i64
    } else {
        0
    };
    lang.t_with(
        "share-of",
        &[
            ("label", label.into()),
            ("count", n.into()),
            ("total", total.into()),
            ("percent", pct.into()),
        ],
    )
}

fn unassigned(lang: Lang) -> &'static str {
    lang.t("unassigned")
}

fn all_complete(lang: Lang) -> &'static str {
    lang.t("all-phases-complete")
}

fn csv_link(table: &str, mine: bool, lang: Lang) -> Markup {
    let href = format!(
        "/portfolio.csv?table={table}{}",
        if mine { "&mine=1" } else { "" }
    );
    // Not boosted: htmx would swap the file into the page instead of downloading it.
    html! { p { a href=(href) download=(csv_name(table, mine)) hx-boost="false" { (lang.t("download-csv")) } } }
}

fn csv_name(table: &str, mine: bool) -> String {
    format!("portfolio-{table}{}.csv", if mine { "-mine" } else { "" })
}

/// `GET /portfolio`.
pub(crate) async fn portfolio(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<PortfolioQuery>,
) -> Result<Response, PageError> {
    let mine = q.mine();
    let s = summary(&state, &v, mine).await.page(lang)?;
    let title = lang.t("portfolio");
    let total = s.tenants;
    let views = [
        (false, "/portfolio", lang.t("portfolio-all")),
        (true, "/portfolio?mine=1", lang.t("portfolio-mine")),
    ];
    // Every number links to the home grid narrowed to the tenants behind it.
    let link = |d: Drill| grid(&v, mine, d);
    let active = |a: bool| Drill {
        active: Some(a),
        ..Drill::default()
    };
    let body = html! {
        h1 { (title) }
        nav.tabs aria-label=(title) {
            @for (m, href, label) in views {
                a href=(href) aria-current=[(m == mine).then_some("page")] { (label) }
            }
        }
        p id="portfolio-total" {
            (lang.t("tenants")) ": " strong { (count(total, link(Drill::default()))) }
            " · " (lang.t("active")) " " (count(s.active, link(active(true))))
            " · " (lang.t("inactive")) " " (count(s.inactive, link(active(false))))
        }

        section id="by-status" {
            h2 { (lang.t("overall-status")) }
            table {
                thead { tr {
                    th scope="col" { (lang.t("overall-status")) }
                    th scope="col" { (lang.t("tenants")) }
                    th scope="col" { (lang.t("active")) }
                    th scope="col" { (lang.t("inactive")) }
                    th scope="col" { span.muted { (lang.t("share")) } }
                } }
                tbody {
                    @for r in &s.by_status {
                        @let status = |active: Option<bool>| Drill { status: Some(r.status), active, ..Drill::default() };
                        tr id=(format!("status-{}", r.status.key())) {
                            th scope="row" { (lang.overall_status(r.status)) }
                            td.n { (count(r.tenants, link(status(None)))) }
                            td.n { (count(r.active, link(status(Some(true))))) }
                            td.n { (count(r.inactive, link(status(Some(false))))) }
                            td { (super::charts::bar(r.tenants, total, &share(lang, lang.overall_status(r.status), r.tenants, total))) }
                        }
                    }
                }
                tfoot { tr {
                    th scope="row" { (lang.t("total")) }
                    td.n { (count(total, link(Drill::default()))) }
                    td.n { (count(s.active, link(active(true)))) }
                    td.n { (count(s.inactive, link(active(false)))) }
                    td {}
                } }
            }
            (csv_link("status", mine, lang))
        }

        section id="by-service" {
            h2 { (lang.t("services")) }
            @if s.by_service.is_empty() { p.muted { "—" } } @else {
                table {
                    thead { tr {
                        th scope="col" { (lang.t("services")) }
                        th scope="col" { (lang.t("tenants")) }
                        th scope="col" { (lang.t("entitlements")) }
                        th scope="col" { (lang.t("seats")) }
                        th scope="col" { span.muted { (lang.t("share-of-tenants")) } }
                    } }
                    tbody {
                        @for r in &s.by_service {
                            tr id=(format!("service-{}", r.service)) {
                                th scope="row" { (r.name) }
                                td.n { (count(r.tenants, link(Drill { service: Some(r.service.clone()), ..Drill::default() }))) }
                                // Sums of the service's lines, not tenants: no list adds up to them.
                                td.n { (r.entitlements) }
                                td.n { (r.seats) }
                                td { (super::charts::bar(r.tenants, total, &share(lang, &r.name, r.tenants, total))) }
                            }
                        }
                    }
                }
            }
            (csv_link("service", mine, lang))
        }

        section id="by-owner" {
            h2 { (lang.t("primary-manager")) }
            table {
                thead { tr {
                    th scope="col" { (lang.t("owner")) }
                    th scope="col" { (lang.t("tenants")) }
                    th scope="col" { span.muted { (lang.t("share")) } }
                } }
                tbody {
                    @for r in &s.by_owner {
                        @let name = r.owner.as_deref().unwrap_or(unassigned(lang));
                        tr id=(match r.user_id { Some(id) => format!("owner-{id}"), None => "owner-unassigned".to_string() }) {
                            th scope="row" { @if r.owner.is_none() { em { (name) } } @else { (name) } }
                            td.n { (count(r.tenants, link(Drill { owner: Some(r.user_id), ..Drill::default() }))) }
                            td { (super::charts::bar(r.tenants, total, &share(lang, name, r.tenants, total))) }
                        }
                    }
                }
            }
            (csv_link("owner", mine, lang))
        }

        section id="by-phase" {
            h2 { (lang.t("current-phase")) }
            @if s.by_phase.is_empty() {
                p.muted { (lang.t("no-playbook")) }
            } @else {
                table {
                    thead { tr {
                        th scope="col" { (lang.t("phase")) }
                        th scope="col" { (lang.t("tenants")) }
                        th scope="col" { span.muted { (lang.t("share")) } }
                    } }
                    tbody {
                        @for r in &s.by_phase {
                            @let name = if r.complete { all_complete(lang) } else { r.name.as_str() };
                            tr id=(if r.complete { "phase-complete".to_string() } else { format!("phase-{}", r.phase) }) {
                                th scope="row" { (name) }
                                td.n { (count(r.tenants, link(Drill { phase: Some(r.phase.clone()), ..Drill::default() }))) }
                                td { (super::charts::bar(r.tenants, total, &share(lang, name, r.tenants, total))) }
                            }
                        }
                    }
                }
                p.muted { (lang.t("current-phase-rule")) }
            }
            (csv_link("phase", mine, lang))
        }
    };
    Ok(page(lang, &v, title, body).into_response())
}

/// The CSV text of one table of the summary (English headers, stable keys).
fn csv(s: &PortfolioSummary, table: &str) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    match table {
        "service" => {
            rows.push(
                ["service", "name", "tenants", "entitlements", "seats"]
                    .map(String::from)
                    .to_vec(),
            );
            for r in &s.by_service {
                rows.push(vec![
                    r.service.clone(),
                    r.name.clone(),
                    r.tenants.to_string(),
                    r.entitlements.to_string(),
                    r.seats.to_string(),
                ]);
            }
        }
        "owner" => {
            rows.push(["owner", "tenants"].map(String::from).to_vec());
            for r in &s.by_owner {
                rows.push(vec![
                    r.owner.clone().unwrap_or_else(|| "(unassigned)".into()),
                    r.tenants.to_string(),
                ]);
            }
        }
        "phase" => {
            rows.push(["phase", "name", "tenants"].map(String::from).to_vec());
            for r in &s.by_phase {
                let (key, name) = if r.complete {
                    ("(complete)", "All phases complete")
                } else {
                    (r.phase.as_str(), r.name.as_str())
                };
                rows.push(vec![
                    key.to_string(),
                    name.to_string(),
                    r.tenants.to_string(),
                ]);
            }
        }
        _ => {
            rows.push(
                ["status", "tenants", "active", "inactive"]
                    .map(String::from)
                    .to_vec(),
            );
            for r in &s.by_status {
                rows.push(vec![
                    r.status.key().to_string(),
                    r.tenants.to_string(),
                    r.active.to_string(),
                    r.inactive.to_string(),
                ]);
            }
            rows.push(vec![
                "total".into(),
                s.tenants.to_string(),
                s.active.to_string(),
                s.inactive.to_string(),
            ]);
        }
    }
    super::csv::text(&rows)
}

/// `GET /portfolio.csv?table=status|service|owner|phase[&mine=1]` (status by default).
pub(crate) async fn portfolio_csv(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<PortfolioQuery>,
) -> Result<Response, PageError> {
    let table = q.table.as_deref().unwrap_or("status");
    if !TABLES.contains(&table) {
        let e = AppError::bad_request(format!(
            "unknown table `{table}`: choose one of {}",
            TABLES.join(", ")
        ));
        return Err(PageError::new(lang, e));
    }
    let mine = q.mine();
    let s = summary(&state, &v, mine).await.page(lang)?;
    Ok(super::csv::download(&csv_name(table, mine), csv(&s, table)))
}
