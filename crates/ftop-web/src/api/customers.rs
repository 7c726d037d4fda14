//! `GET /api/v1/customers/{id}`: a customer with its tenants the caller may see, their
//! seats added up and each service's Active Usage across them.

use crate::auth::ApiViewer;
use crate::error::AppError;
use crate::extract::Path;
use axum::Json;
use axum::response::{IntoResponse, Response};
use ftop_domain::adoption::{au_percent, bucket};
use serde_json::json;

pub(crate) async fn show(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let c = crate::service::customers::read(&state, &v, id).await?;
    let services: Vec<_> = c
        .services
        .iter()
        .map(|s| {
            json!({
                "service": s.service,
                "tenants": s.tenants,
                "active_users": s.active_users,
                "qualified": s.qualified,
                "au_percent": au_percent(s.active_users, s.qualified),
                "bucket": bucket(s.active_users, s.qualified).map(|b| b.key()),
            })
        })
        .collect();
    Ok(Json(json!({
        "customer": c.customer,
        "total_tenants": c.total,
        "seats": c.seats,
        "services": services,
        "tenants": c.tenants,
    }))
    .into_response())
}
