//! The rest of what the tenant page does, over JSON: engagement status, notes, time,
//! entitlement status rows, contacts, partner companies, audit history.

use super::{Body, body, csrf_header};
use crate::auth::{ApiViewer, Viewer};
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::service::access::{self, Need};
use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use ftop_domain::taxonomy::StatusRow;
use ftop_domain::{ContactType, Motion, NoteCategory, OverallStatus, Priority};
use ftop_store::{Actor, EngagementUpdate, NewContact, NoteDraft, NoteFilter};
use serde::Deserialize;
use serde_json::json;

/// 422: `value` is not a valid `field` (message `id`).
fn invalid(field: &str, id: &'static str, value: &str) -> AppError {
    AppError::field_error(ftop_domain::FieldError::of(field, id).quoting("value", value))
}

/// The caller, allowed to read (`write` false) or change (`write` true) the tenant: the
/// shared access rule with the CSRF token of the `X-CSRF-Token` header.
pub(crate) async fn allowed(
    state: &crate::App,
    v: Viewer,
    headers: &HeaderMap,
    id: &str,
    write: bool,
) -> Result<Viewer, AppError> {
    let need = if write { Need::Write } else { Need::Read };
    access::tenant(state, &v, id, need, csrf_header(headers)).await?;
    Ok(v)
}

#[derive(Debug, Deserialize)]
pub(crate) struct EngagementBody {
    version: i64,
    overall_status: Option<String>,
    status_date: Option<String>,
    status_note: Option<String>,
    priority: Option<String>,
    motion: Option<String>,
    active: Option<bool>,
    #[serde(flatten)]
    record: crate::service::tenants::TenantEditBody,
}

fn parse_opt<T>(
    field: &str,
    s: &Option<String>,
    f: fn(&str) -> Option<T>,
) -> Result<Option<T>, AppError> {
    match s {
        None => Ok(None),
        Some(x) => f(x)
            .map(Some)
            .ok_or_else(|| invalid(field, "invalid-choice", x)),
    }
}

/// `PATCH /tenants/{id}`: the tenant's record (name, customer, services: administrators
/// and managers) and its engagement fields, all or nothing at `version`.
pub(crate) async fn update_engagement(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    b: Body<EngagementBody>,
) -> Result<Response, AppError> {
    // Who may not see the tenant learns nothing from the body's faults; what they may
    // change of it is the service's rule.
    let v = allowed(&state, v, &headers, &id, false).await?;
    let b = body(b)?;
    let u = EngagementUpdate {
        overall_status: parse_opt("overall_status", &b.overall_status, OverallStatus::parse)?,
        priority: parse_opt("priority", &b.priority, Priority::parse)?,
        motion: parse_opt("motion", &b.motion, Motion::parse)?,
        status_date: b.status_date,
        status_note: b.status_note,
        active: b.active,
        ..Default::default()
    };
    let edit = b.record.into_edit()?;
    let t = crate::service::tenants::change(
        &state,
        &v,
        &id,
        csrf_header(&headers),
        b.version,
        &edit,
        &u,
    )
    .await?;
    Ok(Json(json!({"tenant": t})).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct ExceptionBody {
    exception: bool,
    reason: Option<String>,
}

/// `PUT /tenants/{id}/exception`: eligible by exception, with a reason (administrators).
pub(crate) async fn set_exception(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    b: Body<ExceptionBody>,
) -> Result<Response, AppError> {
    v.check_csrf(csrf_header(&headers))?;
    crate::service::tenants::visible(&state, &v, &id).await?;
    let b = body(b)?;
    let t = crate::service::tenants::set_exception(
        &state,
        &v,
        &id,
        csrf_header(&headers),
        b.exception,
        b.reason.as_deref(),
    )
    .await?;
    Ok(Json(json!({"tenant": t})).into_response())
}

/// `GET /tenants/{id}/notes`: saved notes of the tenant, newest first.
pub(crate) async fn notes(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    allowed(&state, v, &headers, &id, false).await?;
    let f = NoteFilter {
        tenant_id: Some(id.to_ascii_lowercase()),
        ..Default::default()
    };
    Ok(Json(json!({"notes": state.store.notes(&f).await?})).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct NoteBody {
    category: Option<String>,
    body: String,
    #[serde(default)]
    services: Vec<String>,
    task_id: Option<u32>,
    #[serde(default)]
    escalated: bool,
    #[serde(default)]
    next_action: String,
    next_action_date: Option<String>,
    #[serde(default)]
    next_action_owner: String,
    #[serde(default = "yes")]
    save: bool,
}

fn yes() -> bool {
    true
}

/// `POST /tenants/{id}/notes`: a saved note (or a draft with `"save": false`).
pub(crate) async fn add_note(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    b: Body<NoteBody>,
) -> Result<Response, AppError> {
    let v = allowed(&state, v, &headers, &id, true).await?;
    let b = body(b)?;
    let category = match &b.category {
        None => None,
        Some(c) => Some(
            NoteCategory::parse(c)
                .ok_or_else(|| invalid("category", "invalid-note-category", c))?,
        ),
    };
    let d = NoteDraft {
        tenant_id: id,
        category,
        body: b.body,
        services: b.services,
        task_id: b.task_id,
        escalated: b.escalated,
        next_action: b.next_action,
        next_action_date: b.next_action_date,
        next_action_owner: b.next_action_owner,
    };
    let n = state
        .store
        .add_note(&Actor::user(&v.user), &d, b.save)
        .await?;
    Ok((StatusCode::CREATED, Json(json!({"note": n}))).into_response())
}

/// `GET /tenants/{id}/time`.
pub(crate) async fn time_entries(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    allowed(&state, v, &headers, &id, false).await?;
    Ok(
        Json(json!({"time": state.store.time_entries(&id.to_ascii_lowercase()).await?}))
            .into_response(),
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct TimeBody {
    task_id: u32,
    #[serde(default)]
    service: String,
    minutes: i64,
    work_date: String,
    #[serde(default)]
    note: String,
}

/// `POST /tenants/{id}/time`.
pub(crate) async fn add_time(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    b: Body<TimeBody>,
) -> Result<Response, AppError> {
    let v = allowed(&state, v, &headers, &id, true).await?;
    let b = body(b)?;
    let e = state
        .store
        .add_time(
            &Actor::user(&v.user),
            &id,
            b.task_id,
            &b.service,
            b.minutes,
            &b.work_date,
            &b.note,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(json!({"time": e}))).into_response())
}

/// `GET /tenants/{id}/services/{service}/status`: L1/L2/L3 rows and the version to send back.
pub(crate) async fn service_status(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path((id, service)): Path<(String, String)>,
) -> Result<Response, AppError> {
    allowed(&state, v, &headers, &id, false).await?;
    Ok(Json(json!({"status": state.store.service_status(&id, &service).await?})).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct RowsBody {
    version: i64,
    rows: Vec<StatusRow>,
}

/// `PUT /tenants/{id}/services/{service}/status`: replaces the rows (they must add up).
pub(crate) async fn set_service_status(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path((id, service)): Path<(String, String)>,
    b: Body<RowsBody>,
) -> Result<Response, AppError> {
    let v = allowed(&state, v, &headers, &id, true).await?;
    let b = body(b)?;
    let st = state
        .store
        .set_status_rows(&Actor::user(&v.user), &id, &service, b.version, &b.rows)
        .await?;
    Ok(Json(json!({"status": st})).into_response())
}

/// `GET /tenants/{id}/services/{service}/delivery`: engagement scenario, teams, start date
/// and the version to send back.
pub(crate) async fn delivery(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Path((id, service)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let d = crate::service::delivery::read(&state, &v, &id, &service).await?;
    let credit = match d.scenario.credit() {
        ftop_domain::Credit::Partner => "partner",
        ftop_domain::Credit::FastTrack => "fasttrack",
        ftop_domain::Credit::Nobody => "nobody",
    };
    Ok(Json(json!({"delivery": d, "credited_to": credit})).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeliveryBody {
    version: i64,
    scenario: String,
    #[serde(default)]
    teams: Vec<String>,
    /// `YYYY-MM-DD`, or null (or left out) for none.
    #[serde(default)]
    start_date: Option<String>,
}

/// `PUT /tenants/{id}/services/{service}/delivery`: replaces it (managers and
/// administrators).
pub(crate) async fn set_delivery(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path((id, service)): Path<(String, String)>,
    b: Body<DeliveryBody>,
) -> Result<Response, AppError> {
    // Who may change it before what is asked (403 and 404 before 422).
    let tenant =
        crate::service::delivery::authorize(&state, &v, &id, csrf_header(&headers)).await?;
    let b = body(b)?;
    let scenario = ftop_domain::EngagementScenario::parse(&b.scenario)
        .ok_or_else(|| invalid("scenario", "invalid-choice", &b.scenario))?;
    // No date is null; an empty text is not a date.
    if b.start_date.as_deref().is_some_and(|d| d.trim().is_empty()) {
        return Err(invalid("start_date", "invalid-date", ""));
    }
    let u = ftop_store::DeliveryUpdate {
        scenario: Some(scenario),
        teams: b.teams,
        start_date: b.start_date.unwrap_or_default(),
    };
    let d = crate::service::delivery::save(&state, &v, (&tenant, &service), b.version, &u).await?;
    Ok(Json(json!({"delivery": d})).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PriorityBody {
    /// `high`, `medium` or `low` (set by hand over the default), or `default`.
    priority: String,
}

/// `PUT /tenants/{id}/priority`: sets the priority by hand or back to the tenant's default
/// (whoever may change the tenant).
pub(crate) async fn set_priority(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    b: Body<PriorityBody>,
) -> Result<Response, AppError> {
    // Who may before what is asked (403 and 404 before 400 and 422).
    let v = allowed(&state, v, &headers, &id, true).await?;
    let b = body(b)?;
    let t =
        crate::service::tenants::set_priority(&state, &v, &id, csrf_header(&headers), &b.priority)
            .await?;
    Ok(Json(json!({"tenant": t})).into_response())
}

/// `GET /tenants/{id}/contacts`.
pub(crate) async fn contacts(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    allowed(&state, v, &headers, &id, false).await?;
    Ok(
        Json(json!({"contacts": state.store.contacts(&id.to_ascii_lowercase()).await?}))
            .into_response(),
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct ContactBody {
    kind: Option<String>,
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    engaged: bool,
    #[serde(default)]
    survey_eligible: bool,
    #[serde(default)]
    survey_language: String,
    #[serde(default)]
    services: Vec<String>,
}

impl ContactBody {
    /// The contact the body describes (an unknown kind: 422).
    fn contact(self) -> Result<NewContact, AppError> {
        let kind = match &self.kind {
            None => None,
            Some(k) => Some(
                ContactType::parse(k).ok_or_else(|| invalid("kind", "invalid-contact-kind", k))?,
            ),
        };
        Ok(NewContact {
            kind,
            name: self.name,
            email: self.email,
            phone: self.phone,
            title: self.title,
            country: self.country,
            engaged: self.engaged,
            survey_eligible: self.survey_eligible,
            survey_language: self.survey_language,
            services: self.services,
        })
    }
}

/// `POST /tenants/{id}/contacts`.
pub(crate) async fn add_contact(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    b: Body<ContactBody>,
) -> Result<Response, AppError> {
    let v = allowed(&state, v, &headers, &id, true).await?;
    let c = body(b)?.contact()?;
    let c = state
        .store
        .add_contact(&Actor::user(&v.user), &id, &c)
        .await?;
    Ok((StatusCode::CREATED, Json(json!({"contact": c}))).into_response())
}

/// A change of a contact: what is absent stays as it is.
#[derive(Debug, Deserialize)]
pub(crate) struct ContactChange {
    kind: Option<String>,
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    title: Option<String>,
    country: Option<String>,
    engaged: Option<bool>,
    survey_eligible: Option<bool>,
    survey_language: Option<String>,
    services: Option<Vec<String>>,
}

/// `PUT /tenants/{id}/contacts/{contact}`: the fields given replace the stored ones (the
/// others stay), and the result is checked as when a contact is added.
pub(crate) async fn update_contact(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path((id, contact)): Path<(String, i64)>,
    b: Body<ContactChange>,
) -> Result<Response, AppError> {
    let v = allowed(&state, v, &headers, &id, true).await?;
    let b = body(b)?;
    let id = id.to_ascii_lowercase();
    let current = state
        .store
        .contacts(&id)
        .await?
        .into_iter()
        .find(|c| c.id == contact)
        .ok_or_else(|| AppError::not_found("contact"))?;
    let kind = match &b.kind {
        None => current.kind,
        Some(k) => {
            ContactType::parse(k).ok_or_else(|| invalid("kind", "invalid-contact-kind", k))?
        }
    };
    let c = NewContact {
        kind: Some(kind),
        name: b.name.unwrap_or(current.name),
        email: b.email.unwrap_or(current.email),
        phone: b.phone.unwrap_or(current.phone),
        title: b.title.unwrap_or(current.title),
        country: b.country.unwrap_or(current.country),
        engaged: b.engaged.unwrap_or(current.engaged),
        survey_eligible: b.survey_eligible.unwrap_or(current.survey_eligible),
        survey_language: b.survey_language.unwrap_or(current.survey_language),
        services: b.services.unwrap_or(current.services),
    };
    let c = state
        .store
        .update_contact(&Actor::user(&v.user), &id, contact, &c)
        .await?;
    Ok(Json(json!({"contact": c})).into_response())
}

/// `DELETE /tenants/{id}/contacts/{contact}`.
pub(crate) async fn delete_contact(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path((id, contact)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let v = allowed(&state, v, &headers, &id, true).await?;
    state
        .store
        .delete_contact(&Actor::user(&v.user), &id.to_ascii_lowercase(), contact)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct HistoryQuery {
    limit: Option<i64>,
    /// Only this kind of change (one of the History tab's kinds).
    kind: Option<String>,
    /// Only changes by this person (as the log names them).
    who: Option<String>,
}

/// `GET /tenants/{id}/history`: the audit log, newest first, optionally only one kind of
/// change (`kind`) or one person's (`who`).
pub(crate) async fn history(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<HistoryQuery>,
) -> Result<Response, AppError> {
    allowed(&state, v, &headers, &id, false).await?;
    if q.limit.is_some_and(|l| !(1..=5000).contains(&l)) {
        return Err(AppError::field_error(
            ftop_domain::FieldError::of("limit", "invalid-limit").with("max", 5000),
        ));
    }
    // Left out: every kind; given, one of the kinds (not empty).
    let kind = q.kind.as_deref().unwrap_or("");
    if q.kind.is_some() && !crate::pages::history::KINDS.contains(&kind) {
        return Err(AppError::field_error(
            ftop_domain::FieldError::of("kind", "invalid-choice").quoting("value", kind),
        ));
    }
    let who = q.who.as_deref().unwrap_or("");
    ftop_domain::limits::text("who", who, ftop_domain::limits::SEARCH)
        .map_err(AppError::field_error)?;
    let log = state
        .store
        .audit_matching(&id.to_ascii_lowercase(), kind, who, q.limit.unwrap_or(200))
        .await?;
    Ok(Json(json!({"history": log})).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct TimeChange {
    minutes: Option<i64>,
    work_date: Option<String>,
    note: Option<String>,
}

/// `PATCH /tenants/{id}/time/{entry}`: one's own entry corrected (what is absent stays).
pub(crate) async fn change_time(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path((id, entry)): Path<(String, i64)>,
    b: Body<TimeChange>,
) -> Result<Response, AppError> {
    let v = allowed(&state, v, &headers, &id, true).await?;
    let b = body(b)?;
    let id = id.to_ascii_lowercase();
    let current = state
        .store
        .own_time_entry(&Actor::user(&v.user), &id, entry)
        .await?;
    let e = state
        .store
        .change_own_time(
            &Actor::user(&v.user),
            &id,
            entry,
            b.minutes.unwrap_or(current.minutes),
            b.work_date.as_deref().unwrap_or(&current.work_date),
            b.note.as_deref().unwrap_or(&current.note),
        )
        .await?;
    Ok(Json(json!({"time": e})).into_response())
}

/// `DELETE /tenants/{id}/time/{entry}`: one's own entry removed.
pub(crate) async fn delete_time(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    headers: HeaderMap,
    Path((id, entry)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let v = allowed(&state, v, &headers, &id, true).await?;
    state
        .store
        .delete_own_time(&Actor::user(&v.user), &id.to_ascii_lowercase(), entry)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
