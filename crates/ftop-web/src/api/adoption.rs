//! Adoption of one tenant: Active Usage per service with its milestones, and the forecast
//! dates of each service with their history.

use super::query::{Params, Strict};
use super::records::allowed;
use super::{Body, body, csrf_header};
use crate::auth::ApiViewer;
use crate::error::{AppError, Kind};
use crate::extract::{Path, Query};
use crate::service::adoption::{self as service, AdoptionQuery, Dashboard};
use axum::Json;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use ftop_domain::UserRole;
use ftop_domain::adoption::{ForecastDates, iso_date, usage_columns};
use ftop_store::Actor;
use ftop_store::csv_lines::{LineEnds, record_line};
use serde::Deserialize;
use serde_json::json;

/// `GET /tenants/{id}/adoption`: AU, bucket and milestone dates of every service.
pub(crate) async fn adoption(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    allowed(&state, v, &headers, &id, false).await?;
    let id = id.trim().to_ascii_lowercase();
    let services = state.store.adoption(&id).await?;
    Ok(Json(json!({"tenant_id": id, "services": services})).into_response())
}

/// `GET /tenants/{id}/services/{service}/forecast`: the dates (null before the first
/// save), the version to send back, and every accepted save, newest first.
pub(crate) async fn forecast(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path((id, service)): Path<(String, String)>,
) -> Result<Response, AppError> {
    allowed(&state, v, &headers, &id, false).await?;
    let f = state.store.forecast(&id, &service).await?;
    let history = state.store.forecast_history(&id, &service).await?;
    Ok(Json(json!({"forecast": f, "history": history})).into_response())
}

/// The body of a forecast save. The dates are spelled out rather than flattened from
/// [`ForecastDates`]: serde's `flatten` hands a `null` to the date reader as a unit, which
/// it refused ("invalid type: null"), so a date sent as `null` (as the document allows)
/// made the whole body unreadable.
#[derive(Debug, Deserialize)]
pub(crate) struct ForecastBody {
    #[serde(default)]
    version: i64,
    #[serde(default, with = "iso_date::option")]
    submitted: Option<time::Date>,
    #[serde(default, with = "iso_date::option")]
    target_10: Option<time::Date>,
    #[serde(default, with = "iso_date::option")]
    target_40: Option<time::Date>,
    #[serde(default, with = "iso_date::option")]
    target_max: Option<time::Date>,
}

impl ForecastBody {
    fn dates(&self) -> ForecastDates {
        ForecastDates {
            submitted: self.submitted,
            target_10: self.target_10,
            target_40: self.target_40,
            target_max: self.target_max,
        }
    }
}

/// `PUT /tenants/{id}/services/{service}/forecast`: saves the dates (validated: RFA
/// required, targets in the future and in order); 409 on a stale version.
pub(crate) async fn set_forecast(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path((id, service)): Path<(String, String)>,
    b: Body<ForecastBody>,
) -> Result<Response, AppError> {
    let v = allowed(&state, v, &headers, &id, true).await?;
    let b = body(b)?;
    let f = state
        .store
        .save_forecast(
            &Actor::user(&v.user),
            &id,
            &service,
            &b.dates(),
            Some(b.version),
        )
        .await?;
    Ok(Json(json!({"forecast": f})).into_response())
}

/// The filters of both adoption routes as the document states them (the dashboard page
/// reads the same names leniently).
fn strict(s: &mut Strict<'_>) -> Result<(), AppError> {
    use ftop_domain::adoption::{Bucket, ForecastStatus};
    let buckets: Vec<&str> = Bucket::ALL
        .iter()
        .map(|b| b.key())
        .chain(["undefined"])
        .collect();
    let forecasts: Vec<String> = ["10", "40"]
        .iter()
        .flat_map(|m| {
            ForecastStatus::ALL
                .iter()
                .map(move |f| format!("{m}:{}", f.key()))
        })
        .collect();
    let forecasts: Vec<&str> = forecasts.iter().map(String::as_str).collect();
    s.flag("mine")
        .choice("window", &["month", "quarter"])
        .choice("by", &["service", "partner", "manager"])
        .choice("bucket", &buckets)
        .choice("reached", &["10", "40"])
        .choice("forecast", &forecasts)
        .given("service")
        .whole("partner", 1, i64::MAX)
        .whole("manager", 1, i64::MAX)
        .date("from")
        .date("to")
        .finish()
}

/// `GET /adoption`: the dashboard's numbers (totals, by service, and with `by=partner` or
/// `by=manager` that grouping) under the same filters as the page.
pub(crate) async fn portfolio(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Query(q): Query<AdoptionQuery>,
    Query(raw): Params,
) -> Result<Response, AppError> {
    strict(&mut Strict::of(&raw))?;
    let Dashboard {
        portfolio: p,
        groups,
    } = service::dashboard(&state, &v, &q).await?;
    Ok(Json(json!({
        "window": p.window,
        "totals": p.totals,
        "by_service": p.by_service,
        "groups": groups,
    }))
    .into_response())
}

/// `GET /adoption/rows`: the (tenant, service) rows behind a number.
pub(crate) async fn rows(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Query(q): Query<AdoptionQuery>,
    Query(raw): Params,
) -> Result<Response, AppError> {
    strict(
        Strict::of(&raw)
            .whole("limit", 1, 1000)
            .whole("offset", 0, i64::MAX),
    )?;
    let (_, rows) = service::rows(&state, &v, &q).await?;
    Ok(Json(json!({"rows": rows})).into_response())
}

/// The largest usage file the API takes (the route's body limit, see `lib.rs`).
pub(crate) const UPLOAD_LIMIT: usize = ftop_domain::limits::USAGE_UPLOAD.max as usize;
/// Refused rows listed in the answer at most (the report counts them all).
const MAX_REJECTED_SHOWN: usize = 10_000;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct UploadQuery {
    #[serde(default)]
    skip_invalid: bool,
}

/// `POST /api/v1/usage[?skip_invalid=true]` with a CSV body (`tenant_id,service,date,
/// active_users`): the same import as `ftop usage import`, for scheduled feeds. The file
/// is imported whole or not at all (422 naming the lines); with `skip_invalid` the valid
/// rows are imported and the refused ones come back with their reasons. Administrators
/// only.
pub(crate) async fn upload(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Query(q): Query<UploadQuery>,
    body: axum::body::Body,
) -> Result<Response, AppError> {
    v.check_csrf(csrf_header(&headers))?;
    if v.user.role != UserRole::Admin {
        return Err(AppError::forbidden("import usage figures"));
    }
    // Read the file only once the caller may send it.
    let body = axum::body::to_bytes(body, UPLOAD_LIMIT)
        .await
        .map_err(|_| {
            AppError::new(
                Kind::TooLarge,
                "a usage file is at most 256 MB: split it, or use `ftop usage import`",
            )
        })?;
    let invalid = |field: &str, why: String| {
        AppError::field_error(ftop_domain::FieldError::of(field, "invalid-csv").with("why", why))
    };
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(LineEnds::new(&body[..]).max_line(ftop_domain::limits::IMPORT_LINE.max));
    // A read error names the line the reader stopped on (the header is line 1).
    let unreadable = |r: &csv::Reader<LineEnds<&[u8]>>, e: csv::Error| {
        let line = e.position().map_or(r.get_ref().line(), |p| p.line());
        invalid(&format!("line {line}"), e.to_string())
    };
    let header = match r.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(unreadable(&r, e)),
    };
    let idx = usage_columns(header.iter()).map_err(|e| {
        // The usage columns' rule (crates/ftop-domain adoption.rs) explains in English.
        AppError::field_error(ftop_domain::FieldError::untranslated("line 1", e))
    })?;
    let mut imp = state
        .store
        .usage_import(&Actor::user(&v.user), q.skip_invalid)
        .await?;
    let mut rejected = Vec::new();
    let mut rec = csv::ByteRecord::new();
    loop {
        let more = match r.read_byte_record(&mut rec) {
            Ok(more) => more,
            Err(e) => return Err(unreadable(&r, e)),
        };
        if !more {
            break;
        }
        if rec.iter().all(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        let line = record_line(&mut r, &rec);
        let get = |i: usize| rec.get(idx[i]).unwrap_or(b"");
        if let Some(x) = imp.push(line, [get(0), get(1), get(2), get(3)]).await?
            && rejected.len() < MAX_REJECTED_SHOWN
        {
            rejected.push(x);
        }
    }
    let report = imp.finish().await?;
    crate::metrics::import_rows("usage", report.imported, report.rejected);
    Ok(Json(json!({"report": report, "rejected": rejected})).into_response())
}
