//! Home: the tenant grid. Filters (my active, my inactive, assigned to me, all), search,
//! sortable columns, page sizes 25/50/100, and tripwire markers (blocked, nobody assigned).
//! The portfolio's numbers link here narrowed to the tenants behind them (overall status,
//! active or not, primary FastTrack Manager, service, current phase: `DrillQuery`); the
//! narrowing is shown above the list, kept by its sorting, paging and filter form, and
//! cleared by one link.

use crate::auth::PageViewer;
use crate::error::{PageError, PageResult};
use crate::extract::Query;
use crate::i18n::Lang;
use crate::pages::layout::page;
use crate::service::portfolio::{self as portfolio, Drill, DrillQuery, Grid};
use axum::response::{IntoResponse, Response};
use ftop_domain::{OverallStatus, UserRole};
use ftop_store::{TenantFilter, TenantSort};
use maud::{Markup, html};
use serde::Deserialize;

/// The grid's query string (the narrowing to a portfolio number is [`DrillQuery`]).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct GridQuery {
    view: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    desc: Option<u8>,
    size: Option<i64>,
    page: Option<i64>,
}

/// The views of the grid, as the filter offers them: `my-active`, `my-inactive` (for
/// partners: their organisation's active or inactive tenants), `mine` (assigned to the
/// viewer, active or not; the portfolio's "Assigned to me") and `all`.
const VIEWS: [&str; 4] = ["my-active", "my-inactive", "mine", "all"];

fn view_name(lang: Lang, view: &str) -> &'static str {
    match view {
        "my-active" => lang.t("my-active"),
        "my-inactive" => lang.t("my-inactive"),
        "mine" => lang.t("portfolio-mine"),
        _ => lang.t("all-tenants"),
    }
}

pub(crate) async fn home(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<GridQuery>,
    Query(dq): Query<DrillQuery>,
) -> Result<Response, PageError> {
    let partner = v.user.role == UserRole::Partner;
    // Partners see their organisation's tenants and administrators (who oversee rather
    // than staff) every tenant; everyone else starts with their own.
    let everything = partner || v.user.role == UserRole::Admin;
    let view = q
        .view
        .as_deref()
        .unwrap_or(if everything { "all" } else { "my-active" });
    let drill = portfolio::drill(&state, &dq).page(lang)?;
    let size = q.size.filter(|n| [25, 50, 100].contains(n)).unwrap_or(25);
    let page_no = q.page.unwrap_or(1).max(1);
    let sort = match q.sort.as_deref() {
        Some("customer") => TenantSort::Customer,
        Some("status") => TenantSort::Status,
        Some("seats") => TenantSort::Seats,
        _ => TenantSort::Name,
    };
    let search = q.q.clone().filter(|s| !s.trim().is_empty());
    let filter = TenantFilter {
        search: search.clone(),
        // "mine" is the tenants assigned to the viewer whatever the role; the other views
        // but "all" are a FastTrack user's assignments, a partner's organisation.
        assigned_to: match view {
            "all" => None,
            "mine" => Some(v.user.id),
            _ => (!partner).then_some(v.user.id),
        },
        partner_id: crate::service::tenants::partner_scope(&v.user),
        active: match view {
            "my-active" => Some(true),
            "my-inactive" => Some(false),
            _ => None,
        },
        sort,
        descending: q.desc == Some(1),
        limit: Some(size),
        offset: Some((page_no - 1) * size),
    };
    let Grid {
        rows,
        total,
        owner_name,
    } = portfolio::grid(&state, &filter, &drill).await.page(lang)?;
    let narrowing = drill.query();
    let link = |view: &str, sort: &str, desc: bool, page: i64, size: i64| {
        let mut s = format!("/?view={view}&sort={sort}&size={size}&page={page}");
        if desc {
            s.push_str("&desc=1");
        }
        if let Some(q) = &search {
            s.push_str(&format!("&q={}", crate::auth::urlencode(q)));
        }
        s.push_str(&narrowing);
        s
    };
    let sort_key = q.sort.as_deref().unwrap_or("name");
    let header_link = |key: &str, label: &str| {
        let desc = sort_key == key && q.desc != Some(1);
        let arrow = if sort_key == key {
            if q.desc == Some(1) { " ▼" } else { " ▲" }
        } else {
            ""
        };
        html! { a href=(link(view, key, desc, 1, size)) { (label) (arrow) } }
    };
    let pages = (total + size - 1) / size;
    // The same list without the narrowing.
    let clear = {
        let mut s = format!("/?view={view}&sort={sort_key}&size={size}");
        if q.desc == Some(1) {
            s.push_str("&desc=1");
        }
        if let Some(q) = &search {
            s.push_str(&format!("&q={}", crate::auth::urlencode(q)));
        }
        s
    };
    let body = html! {
        h1 { (lang.t("tenants")) }
        @if crate::service::tenants::may_create(&v).is_ok() {
            p { a href="/tenants/new" { (lang.t("tenant-new")) } " · " a href="/tenants/import" { (lang.t("tenant-import")) } }
        }
        form.filters method="get" action="/" role="search" {
            label { (lang.t("filter"))
                select name="view" {
                    @for key in VIEWS {
                        // Partners' "my" views are their organisation's: all of it.
                        @if !(partner && key.starts_with("my-")) {
                            option value=(key) selected[view == key] { (view_name(lang, key)) }
                        }
                    }
                }
            }
            label { (lang.t("search")) input type="search" name="q" value=(search.clone().unwrap_or_default()) placeholder=(lang.t("tenant-search-placeholder")); }
            label { (lang.t("page-size"))
                select name="size" { @for n in [25, 50, 100] { option value=(n) selected[size == n] { (n) } } }
            }
            input type="hidden" name="sort" value=(sort_key);
            @for (k, val) in drill.pairs() { input type="hidden" name=(k) value=(val); }
            button type="submit" { (lang.t("filter")) }
        }
        @if !drill.is_empty() {
            (narrowed(lang, &drill, owner_name.as_deref(), &clear))
        }
        @if rows.is_empty() {
            p.muted id="grid-total" data-total="0" { (lang.t("no-tenants")) }
        } @else {
            table id="tenants" {
                thead { tr {
                    th scope="col" { (header_link("name", lang.t("tenant"))) }
                    th scope="col" { (header_link("customer", lang.t("customer"))) }
                    th scope="col" { (header_link("status", lang.t("overall-status"))) }
                    th scope="col" { (lang.t("priority")) }
                    th scope="col" { (lang.t("services")) }
                    th scope="col" { (header_link("seats", lang.t("seats"))) }
                } }
                tbody {
                    @for t in &rows {
                        tr {
                            td {
                                a href=(format!("/tenants/{}", t.tenant_id)) { (t.name) }
                                @if t.overall_status == OverallStatus::Blocked { span.tripwire title=(lang.t("tripwire-blocked-title")) { (lang.t("tripwire-blocked")) } }
                                @if t.assignees == 0 { span.tripwire title=(lang.t("tripwire-unassigned-title")) { (lang.t("tripwire-unassigned")) } }
                            }
                            td { (t.customer) }
                            td { (lang.overall_status(t.overall_status)) }
                            td { (lang.label(t.priority)) }
                            td { (t.services) }
                            td { (t.seats) }
                        }
                    }
                }
            }
            nav.pager aria-label=(lang.t("pages-nav")) {
                @if page_no > 1 { a href=(link(view, sort_key, q.desc == Some(1), page_no - 1, size)) rel="prev" { (lang.t("previous")) } }
                span id="grid-total" data-total=(total) { (page_no) " / " (pages.max(1)) " · " (total) }
                @if page_no < pages { a href=(link(view, sort_key, q.desc == Some(1), page_no + 1, size)) rel="next" { (lang.t("next")) } }
            }
        }
    };
    Ok(page(lang, &v, lang.t("tenants"), body).into_response())
}

/// The line that says how the list is narrowed ("Filter: Active · Overall status:
/// Blocked — Clear all"), in words the grid and the portfolio already use.
fn narrowed(lang: Lang, d: &Drill, owner_name: Option<&str>, clear: &str) -> Markup {
    let mut parts: Vec<(Option<&str>, String)> = Vec::new();
    if let Some(a) = d.active {
        parts.push((
            None,
            lang.t(if a { "active" } else { "inactive" }).to_string(),
        ));
    }
    if let Some(s) = d.status {
        parts.push((
            Some(lang.t("overall-status")),
            lang.overall_status(s).to_string(),
        ));
    }
    if let Some(o) = d.owner {
        let name = match (o, owner_name) {
            (None, _) => lang.t("unassigned").to_string(),
            (Some(_), Some(n)) => n.to_string(),
            (Some(id), None) => format!("#{id}"),
        };
        parts.push((Some(lang.t("primary-manager")), name));
    }
    if let Some(s) = &d.service {
        let name = ftop_domain::catalogue::service(s).map_or(s.as_str(), |x| x.name);
        parts.push((Some(lang.t("service")), name.to_string()));
    }
    if let Some(p) = &d.phase {
        let name = if p.is_empty() {
            lang.t("all-phases-complete").to_string()
        } else {
            d.phase_name.clone().unwrap_or_else(|| p.clone())
        };
        parts.push((Some(lang.t("current-phase")), name));
    }
    html! {
        p id="grid-filters" {
            (lang.t("filter")) ": "
            @for (i, (label, value)) in parts.iter().enumerate() {
                @if i > 0 { " · " }
                @if let Some(l) = label { (l) ": " }
                strong { (value) }
            }
            " — " a href=(clear) { (lang.t("clear-all")) }
        }
    }
}
