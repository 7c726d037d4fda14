//! Home: the tenant grid. Filters (my active, my inactive, assigned to me, all; priority),
//! search, column filters (`grid_filters`), displays (`grid_display`: Scorecard Adoption,
//! Overview, Assignments), customers grouped under their names, sortable columns (highest
//! priority first by default), page sizes 25/50/100, tripwires (blocked, nobody assigned,
//! AU up or down, more seats) and the priority set by hand in each row. "Prioritised
//! portfolio" orders the same list by the stored predicted six-month AU gain, highest
//! first (`sort=gain&desc=1`).
//! The portfolio's numbers link here narrowed to the tenants behind them (overall status,
//! active or not, primary FastTrack Manager, service, current phase: `DrillQuery`); the
//! narrowing is shown above the list, kept by its sorting, paging and filter form, and
//! cleared by one link.

use crate::auth::PageViewer;
use crate::error::{PageError, PageResult};
use crate::extract::Query;
use crate::i18n::Lang;
use crate::pages::grid_display::{self, Display};
use crate::pages::grid_filters::{ColumnFilters, Typed};
use crate::pages::layout::{flash, page};
use crate::pages::notice;
use crate::service::portfolio::{self as portfolio, Drill, DrillQuery};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use ftop_domain::UserRole;
use ftop_store::{PriorityFilter, TenantFilter, TenantSort, TenantSummary};
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
    /// `scorecard` (default), `overview` or `assignments`.
    display: Option<String>,
    /// A [`PriorityFilter`] key; none or `all`: every priority.
    priority: Option<String>,
    /// `customer`: customers together, each under its name.
    group: Option<String>,
    c1: Option<String>,
    o1: Option<String>,
    v1: Option<String>,
    c2: Option<String>,
    o2: Option<String>,
    v2: Option<String>,
    c3: Option<String>,
    o3: Option<String>,
    v3: Option<String>,
    /// A form's outcome (`priority`).
    saved: Option<String>,
    /// A refused form's message waits in the notice cookie.
    invalid: Option<String>,
}

impl GridQuery {
    fn column_filters(&self) -> ColumnFilters {
        let typed = |c: &Option<String>, o: &Option<String>, v: &Option<String>| Typed {
            column: c.clone().unwrap_or_default(),
            op: o.clone().unwrap_or_default(),
            value: v.clone().unwrap_or_default(),
        };
        ColumnFilters::read([
            typed(&self.c1, &self.o1, &self.v1),
            typed(&self.c2, &self.o2, &self.v2),
            typed(&self.c3, &self.o3, &self.v3),
        ])
    }
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

/// The sort keys of the query string.
fn sort_of(key: &str) -> TenantSort {
    match key {
        "name" => TenantSort::Name,
        "customer" => TenantSort::Customer,
        "status" => TenantSort::Status,
        "seats" => TenantSort::Seats,
        "joined" => TenantSort::Joined,
        "status-date" => TenantSort::StatusDate,
        "gain" => TenantSort::Gain,
        _ => TenantSort::Priority,
    }
}

pub(crate) async fn home(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    headers: HeaderMap,
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
        .filter(|x| VIEWS.contains(x))
        .unwrap_or(if everything { "all" } else { "my-active" });
    let drill = portfolio::drill(&state, &dq).page(lang)?;
    let size = q.size.filter(|n| [25, 50, 100].contains(n)).unwrap_or(25);
    let page_no = q.page.unwrap_or(1).max(1);
    // The original portal's default: highest priority first.
    let sort_key = q.sort.as_deref().unwrap_or("priority");
    let display = q
        .display
        .as_deref()
        .and_then(Display::parse)
        .unwrap_or(Display::Scorecard);
    let priority = q.priority.as_deref().and_then(PriorityFilter::parse);
    let by_customer = q.group.as_deref() == Some("customer");
    let columns = q.column_filters();
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
        customer_id: None,
        priority,
        columns: columns.conditions(),
        by_customer,
        sort: sort_of(sort_key),
        descending: q.desc == Some(1),
        limit: Some(size),
        offset: Some((page_no - 1) * size),
    };
    let grid = portfolio::grid(&state, &v, &filter, &drill)
        .await
        .page(lang)?;
    let narrowing = drill.query();
    // Everything that shapes the list but its order and page, as a query string.
    let shape = {
        let mut s = format!("view={view}&size={size}&display={}", display.key());
        if let Some(p) = priority {
            s.push_str(&format!("&priority={}", p.key()));
        }
        if by_customer {
            s.push_str("&group=customer");
        }
        if let Some(q) = &search {
            s.push_str(&format!("&q={}", crate::auth::urlencode(q)));
        }
        s.push_str(&columns.query());
        s
    };
    let link = |sort: &str, desc: bool, page: i64| {
        let mut s = format!("/?{shape}&sort={sort}&page={page}");
        if desc {
            s.push_str("&desc=1");
        }
        s.push_str(&narrowing);
        s
    };
    let here = link(sort_key, q.desc == Some(1), page_no);
    let header_link = |key: &str, label: &str| {
        let desc = sort_key == key && q.desc != Some(1);
        let arrow = if sort_key == key {
            if q.desc == Some(1) { " ▼" } else { " ▲" }
        } else {
            ""
        };
        html! { a href=(link(key, desc, 1)) { (label) (arrow) } }
    };
    let pages = (grid.total + size - 1) / size;
    // The same list without the narrowing.
    let clear = {
        let mut s = format!("/?{shape}&sort={sort_key}");
        if q.desc == Some(1) {
            s.push_str("&desc=1");
        }
        s
    };
    let services = grid_display::scorecard_services(&grid);
    let headers_after = grid_display::headers(display, lang, &services);
    let notice = notice::shown(q.invalid.is_some(), &headers);
    let refused = columns.refused();
    let csrf = v.csrf.as_deref();
    let needs_me = super::queue::section(&state, &v, lang).await?;
    let body = html! {
        h1 { (lang.t("tenants")) }
        (needs_me)
        @if crate::service::tenants::may_create(&v).is_ok() {
            p { a href="/tenants/new" { (lang.t("tenant-new")) } " · " a href="/tenants/import" { (lang.t("tenant-import")) } }
        }
        @if q.saved.as_deref() == Some("priority") { (flash("ok", lang.t("priority-saved"))) }
        @if let Some(n) = &notice { (flash("error", n)) }
        @if refused { (flash("error", lang.t("grid-filter-refused"))) }
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
            label { (lang.t("priority"))
                select name="priority" {
                    option value="all" selected[priority.is_none()] { (lang.t("priority-all")) }
                    @for p in PriorityFilter::ALL {
                        option value=(p.key()) selected[priority == Some(p)] { (lang.t(&format!("priority-filter-{}", p.key()))) }
                    }
                }
            }
            label { (lang.t("grid-display"))
                select name="display" {
                    @for d in Display::ALL { option value=(d.key()) selected[display == d] { (d.name(lang)) } }
                }
            }
            label { input type="checkbox" name="group" value="customer" checked[by_customer]; " " (lang.t("grid-group-customer")) }
            label { (lang.t("search")) input type="search" name="q" value=(search.clone().unwrap_or_default()) placeholder=(lang.t("tenant-search-placeholder")); }
            label { (lang.t("page-size"))
                select name="size" { @for n in [25, 50, 100] { option value=(n) selected[size == n] { (n) } } }
            }
            (columns.form(lang, &catalogue_keys()))
            input type="hidden" name="sort" value=(sort_key);
            @for (k, val) in drill.pairs() { input type="hidden" name=(k) value=(val); }
            button type="submit" { (lang.t("filter")) }
        }
        @if !drill.is_empty() {
            (narrowed(lang, &drill, grid.owner_name.as_deref(), &clear))
        }
        p.prioritised {
            @if sort_key == "gain" && q.desc == Some(1) {
                strong id="prioritised" aria-current="page" title=(lang.t("grid-prioritised-title")) { (lang.t("grid-prioritised")) }
            } @else {
                a.button id="prioritised" href=(link("gain", true, 1)) title=(lang.t("grid-prioritised-title")) { (lang.t("grid-prioritised")) }
            }
        }
        @if grid.rows.is_empty() {
            p.muted id="grid-total" data-total="0" { (lang.t("no-tenants")) }
        } @else {
            div.grid-scroll {
            table id="tenants" data-display=(display.key()) {
                caption.visually-hidden { (lang.t("tenants")) " · " (display.name(lang)) }
                thead { tr {
                    th scope="col" { (header_link("name", lang.t("tenant"))) }
                    th scope="col" { (header_link("priority", lang.t("priority"))) }
                    @for (key, label) in &headers_after {
                        th scope="col" {
                            @if let Some(k) = key { (header_link(k, label)) } @else { (label) }
                        }
                    }
                } }
                @for group in groups(&grid.rows, by_customer) {
                    tbody {
                        @if by_customer {
                            tr.group {
                                th scope="rowgroup" colspan=(2 + headers_after.len()) {
                                    a href=(format!("/customers/{}", group[0].customer_id)) { (group[0].customer) }
                                }
                            }
                        }
                        @for t in group {
                            @let x = grid.details.get(&t.tenant_id);
                            tr id=(format!("tenant-{}", t.tenant_id)) {
                                td { (grid_display::tenant_cell(lang, t, x)) }
                                td { (grid_display::priority_cell(lang, t, grid.writable.contains(&t.tenant_id), csrf, &here)) }
                                (grid_display::cells(display, lang, t, x, &services))
                            }
                        }
                    }
                }
            }
            }
            nav.pager aria-label=(lang.t("pages-nav")) {
                @if page_no > 1 { a href=(link(sort_key, q.desc == Some(1), page_no - 1)) rel="prev" { (lang.t("previous")) } }
                span id="grid-total" data-total=(grid.total) { (page_no) " / " (pages.max(1)) " · " (grid.total) }
                @if page_no < pages { a href=(link(sort_key, q.desc == Some(1), page_no + 1)) rel="next" { (lang.t("next")) } }
            }
        }
    };
    let status = if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut res = (status, page(lang, &v, lang.t("tenants"), body)).into_response();
    if notice.is_some() {
        notice::clear(&mut res);
    }
    Ok(res)
}

/// The rows in groups: one per customer (the rows come ordered by customer) when
/// `by_customer`, else all in one.
fn groups(rows: &[TenantSummary], by_customer: bool) -> Vec<&[TenantSummary]> {
    if !by_customer {
        return vec![rows];
    }
    rows.chunk_by(|a, b| a.customer_id == b.customer_id)
        .collect()
}

/// Every service of the catalogue, for the column filters' AU columns.
fn catalogue_keys() -> Vec<&'static str> {
    ftop_domain::catalogue::SERVICES
        .iter()
        .map(|s| s.key)
        .collect()
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
