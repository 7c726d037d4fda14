//! Home: the tenant grid. Filters (my active, my inactive, all), search, sortable columns,
//! page sizes 25/50/100, and tripwire markers (blocked, nobody assigned).

use crate::auth::PageViewer;
use crate::error::{PageError, PageResult};
use crate::extract::Query;
use crate::pages::layout::page;
use axum::response::{IntoResponse, Response};
use ftop_domain::{OverallStatus, UserRole};
use ftop_store::{TenantFilter, TenantSort};
use maud::html;
use serde::Deserialize;

/// The grid's query string.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct GridQuery {
    view: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    desc: Option<u8>,
    size: Option<i64>,
    page: Option<i64>,
}

pub(crate) async fn home(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<GridQuery>,
) -> Result<Response, PageError> {
    let partner = v.user.role == UserRole::Partner;
    // Partners see their organisation's tenants and administrators (who oversee rather
    // than staff) every tenant; everyone else starts with their own.
    let everything = partner || v.user.role == UserRole::Admin;
    let view = q
        .view
        .as_deref()
        .unwrap_or(if everything { "all" } else { "my-active" });
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
        assigned_to: (view != "all" && !partner).then_some(v.user.id),
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
    let rows = state.store.tenants(&filter).await.page(lang)?;
    let total = state.store.tenant_matches(&filter).await.page(lang)?;
    let link = |view: &str, sort: &str, desc: bool, page: i64, size: i64| {
        let mut s = format!("/?view={view}&sort={sort}&size={size}&page={page}");
        if desc {
            s.push_str("&desc=1");
        }
        if let Some(q) = &search {
            s.push_str(&format!("&q={}", crate::auth::urlencode(q)));
        }
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
    let body = html! {
        h1 { (lang.t("tenants")) }
        @if crate::service::tenants::may_create(&v).is_ok() {
            p { a href="/tenants/new" { (lang.t("tenant-new")) } " · " a href="/tenants/import" { (lang.t("tenant-import")) } }
        }
        form.filters method="get" action="/" role="search" {
            label { (lang.t("filter"))
                select name="view" {
                    @for (key, text) in [("my-active", lang.t("my-active")), ("my-inactive", lang.t("my-inactive")), ("all", lang.t("all-tenants"))] {
                        @if !(partner && key != "all") {
                            option value=(key) selected[view == key] { (text) }
                        }
                    }
                }
            }
            label { (lang.t("search")) input type="search" name="q" value=(search.clone().unwrap_or_default()) placeholder=(lang.t("tenant-search-placeholder")); }
            label { (lang.t("page-size"))
                select name="size" { @for n in [25, 50, 100] { option value=(n) selected[size == n] { (n) } } }
            }
            input type="hidden" name="sort" value=(sort_key);
            button type="submit" { (lang.t("filter")) }
        }
        @if rows.is_empty() {
            p.muted { (lang.t("no-tenants")) }
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
                span { (page_no) " / " (pages.max(1)) " · " (total) }
                @if page_no < pages { a href=(link(view, sort_key, q.desc == Some(1), page_no + 1, size)) rel="next" { (lang.t("next")) } }
            }
        }
    };
    Ok(page(lang, &v, lang.t("tenants"), body).into_response())
}
