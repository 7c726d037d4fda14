//! `POST /tenants/{id}/priority`: a tenant's priority set by hand from the grid (High,
//! Medium or Low, overridden) or back to its default, then back to the grid as it was.

use crate::auth::PageViewer;
use crate::error::PageError;
use crate::extract::{Form, Path};
use crate::pages::forms::{field, value};
use axum::response::Response;

/// Where to go back to: the grid's address as the form carries it, when it is one (the
/// path `/` of this site with a query: nothing after `?` can lead elsewhere) of at most a
/// query string's size; else the grid.
fn back(form: &[(String, String)]) -> String {
    let b = value(form, "back");
    let max = usize::try_from(ftop_domain::limits::QUERY_STRING.max).unwrap_or(usize::MAX);
    if b.starts_with("/?") && b.len() <= max {
        b.to_string()
    } else {
        "/?".into()
    }
}

pub(crate) async fn save(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let to = back(&form);
    let r = crate::service::tenants::set_priority(
        &state,
        &v,
        &id,
        field(&form, "csrf"),
        value(&form, "priority"),
    )
    .await
    .map(|t| format!("saved=priority#tenant-{}", t.tenant_id));
    super::record::back_to(&to, r, lang)
}
