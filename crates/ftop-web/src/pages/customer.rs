//! `GET /customers/{id}`: a customer with its tenants (those the reader may see), their
//! seats added up and the Active Usage of each service across them, each tenant linked to
//! its page. The grid links here from its customer groups.

use crate::auth::PageViewer;
use crate::error::{PageError, PageResult};
use crate::extract::Path;
use crate::pages::layout::page;
use axum::response::{IntoResponse, Response};
use ftop_domain::adoption::{au_basis_points, bucket};
use maud::html;

pub(crate) async fn show(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let c = crate::service::customers::read(&state, &v, id)
        .await
        .page(lang)?;
    let title = c.customer.name.clone();
    let body = html! {
        p.crumbs { a href="/" { (lang.t("tenants")) } " › " (lang.t("customer")) }
        h1 { (c.customer.name) }
        dl.facts {
            dt { (lang.t("tenants")) } dd id="customer-tenants" { (c.total) }
            dt { (lang.t("customer-seats")) } dd id="customer-seats" { (c.seats) }
        }
        h2 { (lang.t("customer-adoption")) }
        @if c.services.is_empty() {
            p.muted { (lang.t("customer-no-usage")) }
        } @else {
            table id="customer-services" {
                caption.visually-hidden { (lang.t("customer-adoption")) }
                thead { tr {
                    th scope="col" { (lang.t("service")) }
                    th scope="col" { (lang.t("tenants")) }
                    th scope="col" { (lang.t("active-users")) }
                    th scope="col" { (lang.t("qualified-seats")) }
                    th scope="col" { (lang.t("au")) }
                    th scope="col" { (lang.t("customer-bucket")) }
                } }
                tbody {
                    @for s in &c.services {
                        tr {
                            th scope="row" { (super::grid_filters::service_name(&s.service)) }
                            td.num { (s.tenants) }
                            td.num { (s.active_users) }
                            td.num { (s.qualified) }
                            td.num { (au_basis_points(s.active_users, s.qualified).map_or_else(|| "—".to_string(), |bp| lang.percent_bp(bp))) }
                            td { (bucket(s.active_users, s.qualified).map_or("—", |b| lang.label(b))) }
                        }
                    }
                }
            }
        }
        h2 { (lang.t("tenants")) }
        table id="customer-tenant-list" {
            caption.visually-hidden { (lang.t("tenants")) }
            thead { tr {
                th scope="col" { (lang.t("tenant")) }
                th scope="col" { (lang.t("overall-status")) }
                th scope="col" { (lang.t("priority")) }
                th scope="col" { (lang.t("services")) }
                th scope="col" { (lang.t("seats")) }
            } }
            tbody {
                @for t in &c.tenants {
                    tr {
                        th scope="row" { a href=(format!("/tenants/{}", t.tenant_id)) { (t.name) } }
                        td { (lang.overall_status(t.overall_status)) @if !t.active { " · " (lang.t("inactive")) } }
                        td { (lang.label(t.priority)) }
                        td.num { (t.services) }
                        td.num { (t.seats) }
                    }
                }
            }
        }
        @if c.total > c.tenants.len() as i64 {
            p.muted { (lang.t_with("customer-more-tenants", &[("shown", (c.tenants.len() as i64).into()), ("total", c.total.into())])) }
        }
    };
    Ok(page(lang, &v, &title, body).into_response())
}
