//! `/api/v1/reports/...`: the report tabs as JSON, under the same report-level filters as
//! their pages (`service::reports`).

use super::query::{Params, Strict};
use crate::auth::ApiViewer;
use crate::error::AppError;
use crate::extract::Query;
use crate::service::reports::{self as service, ReportQuery};
use axum::Json;
use axum::response::{IntoResponse, Response};
use ftop_domain::adoption::Bucket;
use ftop_domain::taxonomy::L1;
use ftop_domain::{EngagementScenario, OverallStatus};
use ftop_store::Page;
use serde_json::{Value, json};

/// The report-level filters as the document states them.
fn strict<'a>(s: &'a mut Strict<'a>) -> &'a mut Strict<'a> {
    let status: Vec<&str> = OverallStatus::ALL.iter().map(|s| s.key()).collect();
    let scenario: Vec<&str> = EngagementScenario::ALL.iter().map(|s| s.key()).collect();
    let l1: Vec<&str> = L1::ALL.iter().map(|s| s.key()).collect();
    s.whole("partner", 1, i64::MAX)
        .whole("manager", 1, i64::MAX)
        .choice("status", &status)
        .choice("scenario", &scenario)
        .choice("service_status", &l1)
        .given("service")
        .whole("limit", 1, service::MAX_LIMIT)
        .whole("offset", 0, service::MAX_OFFSET)
}

/// The rows of `all` a page holds (for the reports whose rows are few and read whole).
fn window<T>(all: &[T], page: Page) -> &[T] {
    let from = usize::try_from(page.offset).map_or(all.len(), |o| o.min(all.len()));
    let to = page
        .limit
        .and_then(|l| usize::try_from(l).ok())
        .map_or(all.len(), |l| from.saturating_add(l).min(all.len()));
    &all[from..to]
}

/// The values `bucket` takes: each bucket's key, and `undefined` (no seats).
fn bucket_keys() -> Vec<&'static str> {
    Bucket::ALL
        .iter()
        .map(|b| b.key())
        .chain(["undefined"])
        .collect()
}

/// The offset of the next page, None after the last.
fn next_offset(page: Page, shown: usize, total: i64) -> Option<i64> {
    let next = page.offset + shown as i64;
    (shown > 0 && next < total).then_some(next)
}

fn day(d: Option<time::Date>) -> Value {
    d.map_or(Value::Null, |d| json!(d.to_string()))
}

/// `GET /reports/milestones`: every (tenant, service) with usage and the active users it
/// needs for 10% and 40%.
pub(crate) async fn milestones(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Query(q): Query<ReportQuery>,
    Query(raw): Params,
) -> Result<Response, AppError> {
    let buckets = bucket_keys();
    strict(&mut Strict::of(&raw))
        .choice("bucket", &buckets)
        .finish()?;
    let f = q.filter(&v)?;
    let page = q.page_or_all()?;
    let buckets: Vec<Option<Bucket>> = q.bucket()?.into_iter().collect();
    let got = state
        .store
        .report_milestones_page(&f, &buckets, page)
        .await?;
    let next = next_offset(page, got.rows.len(), got.total);
    let rows: Vec<Value> = got
        .rows
        .iter()
        .map(|r| {
            json!({
                "tenant_id": r.tenant_id,
                "service_key": r.service_key,
                "as_of": day(Some(r.as_of)),
                "active_users": r.active_users,
                "qualified_entitlements": r.qualified_entitlements,
                "au_percent": r.au_percent,
                "needed_10": r.needed_10,
                "needed_40": r.needed_40,
            })
        })
        .collect();
    Ok(super::json_body(
        &json!({ "rows": rows, "total": got.total, "next_offset": next }),
        96 + rows.len() * 200,
    ))
}

/// `GET /reports/stale-status-notes[?all=true]`: tenants whose overall status note is
/// more than 14 days old or absent.
pub(crate) async fn stale_status_notes(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Query(q): Query<ReportQuery>,
    Query(raw): Params,
) -> Result<Response, AppError> {
    // Who may comes before what is asked: a guest asking for all is refused first.
    if q.all() && v.user.role == ftop_domain::UserRole::Guest {
        return Err(AppError::forbidden("list every tenant's status notes"));
    }
    strict(&mut Strict::of(&raw)).flag("all").finish()?;
    let f = q.stale_filter(&v)?;
    let page = q.page_or_all()?;
    let got = state.store.report_stale_status_notes_page(&f, page).await?;
    let next = next_offset(page, got.rows.len(), got.total);
    let rows: Vec<Value> = got
        .rows
        .iter()
        .map(|r| {
            json!({
                "tenant_id": r.tenant_id,
                "last_status_note_at": day(r.last_status_note_at),
                "days": r.days,
            })
        })
        .collect();
    Ok(Json(json!({ "rows": rows, "total": got.total, "next_offset": next })).into_response())
}

/// `GET /reports/compliance`: tenants whose primary tenant RM is not the partner, and
/// services of partners' tenants whose scenario is not partner-led.
pub(crate) async fn compliance(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Query(q): Query<ReportQuery>,
    Query(raw): Params,
) -> Result<Response, AppError> {
    strict(&mut Strict::of(&raw)).finish()?;
    let f = q.filter(&v)?;
    let page = q.page()?;
    let rm = state.store.report_rm_not_partner_page(&f, page).await?;
    let scenario = state
        .store
        .report_scenario_not_partner_led_page(&f, page)
        .await?;
    Ok(Json(json!({
        "rm_not_partner": rm.rows,
        "rm_not_partner_total": rm.total,
        "scenario_not_partner_led": scenario.rows,
        "scenario_not_partner_led_total": scenario.total,
    }))
    .into_response())
}

/// `GET /reports/forecast?milestone=10|40[&month=YYYY-MM]`: forecast dates by month and
/// each date with its status (`due_today` for a date of today).
pub(crate) async fn forecast(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Query(q): Query<ReportQuery>,
    Query(raw): Params,
) -> Result<Response, AppError> {
    strict(&mut Strict::of(&raw))
        .choice("milestone", &["10", "40"])
        .given("month")
        .finish()?;
    let f = q.filter(&v)?;
    let m = q.milestone()?;
    let days = q.month_days()?;
    let page = q.page()?;
    let months = service::by_month(&state.store.report_forecast_days(&f, m).await?, f.day());
    let got = state.store.report_forecast_page(&f, m, days, page).await?;
    let next = next_offset(page, got.rows.len(), got.total);
    Ok(Json(json!({
        "milestone": m.key(),
        "today": day(Some(f.day())),
        "months": months,
        "rows": got.rows,
        "total": got.total,
        "next_offset": next,
    }))
    .into_response())
}

/// `GET /reports/new-subscriptions`: status rows still "status unknown, new
/// subscription or workload".
pub(crate) async fn new_subscriptions(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Query(q): Query<ReportQuery>,
    Query(raw): Params,
) -> Result<Response, AppError> {
    strict(&mut Strict::of(&raw)).finish()?;
    let f = q.filter(&v)?;
    let page = q.page()?;
    let got = state.store.report_new_subscriptions_page(&f, page).await?;
    let next = next_offset(page, got.rows.len(), got.total);
    Ok(Json(json!({ "rows": got.rows, "total": got.total, "next_offset": next })).into_response())
}

/// `GET /reports/data-health[?days=N]`: services failing a data health check.
pub(crate) async fn data_health(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Query(q): Query<ReportQuery>,
    Query(raw): Params,
) -> Result<Response, AppError> {
    strict(&mut Strict::of(&raw))
        .whole("days", 1, 3650)
        .finish()?;
    let f = q.filter(&v)?;
    let page = q.page()?;
    let got = state
        .store
        .report_data_health_page(&f, q.days()?, None, page)
        .await?;
    let next = next_offset(page, got.rows.len(), got.total);
    Ok(Json(json!({ "rows": got.rows, "total": got.total, "next_offset": next })).into_response())
}

/// `GET /reports/conversion`: services at or above 10% and 40% among those with a
/// defined AU, by service and in total, and each (tenant, service) with its AU capped at
/// 100%.
pub(crate) async fn conversion(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Query(q): Query<ReportQuery>,
    Query(raw): Params,
) -> Result<Response, AppError> {
    strict(&mut Strict::of(&raw)).finish()?;
    let f = q.filter(&v)?;
    let page = q.page()?;
    let (got, counts) = state
        .store
        .report_milestones_counted(&f, &service::conversion_buckets(None), page)
        .await?;
    let (by, total) = service::conversion(&counts);
    let next = next_offset(page, got.rows.len(), got.total);
    let rows: Vec<Value> = got
        .rows
        .iter()
        .map(|r| {
            json!({
                "tenant_id": r.tenant_id,
                "service_key": r.service_key,
                "au_percent": r.au_percent,
                "capped_au_percent": service::capped(r.au_percent),
            })
        })
        .collect();
    Ok(Json(json!({
        "by_service": by,
        "totals": total,
        "rows": rows,
        "total": got.total,
        "next_offset": next,
    }))
    .into_response())
}

/// `GET /reports/service-usage[?month=YYYY-MM][&bucket=...][&at=10|40][&limit&offset]`:
/// usage by service and in total, today or at the end of a month, and a page of the
/// (tenant, service) rows behind them (`total` in all).
pub(crate) async fn service_usage(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Query(q): Query<ReportQuery>,
    Query(raw): Params,
) -> Result<Response, AppError> {
    let buckets = bucket_keys();
    strict(&mut Strict::of(&raw))
        .choice("bucket", &buckets)
        .choice("at", &["10", "40"])
        .given("month")
        .finish()?;
    let f = q.filter(&v)?;
    let page = q.page()?;
    let src = match q.month_number()? {
        Some(m) => ftop_store::UsageSource::Month(m),
        None => ftop_store::UsageSource::Latest,
    };
    let pick = ftop_store::UsagePick {
        bucket: q.bucket()?,
        at: q.at()?,
    };
    let (by, total) = state.store.report_service_usage(&f, src).await?;
    let (rows, n) = state
        .store
        .report_usage_rows(
            &f,
            src,
            pick,
            page.limit.unwrap_or(service::MAX_LIMIT),
            page.offset,
            Some(&total),
        )
        .await?;
    Ok(Json(json!({
        "month": q.get("month"),
        "by_service": by,
        "totals": total,
        "total": n,
        "next_offset": next_offset(page, rows.len(), n),
        "rows": rows,
    }))
    .into_response())
}

/// `GET /reports/usage-trend[?limit&offset]`: usage and conversion by month, oldest
/// first (`total` months in all).
pub(crate) async fn usage_trend(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Query(q): Query<ReportQuery>,
    Query(raw): Params,
) -> Result<Response, AppError> {
    strict(&mut Strict::of(&raw)).finish()?;
    let f = q.filter(&v)?;
    let page = q.page()?;
    let months = state.store.report_usage_trend(&f).await?;
    let n = months.len() as i64;
    // Buckets and tenants are counted for the latest figures only, not by month.
    let rows: Vec<Value> = window(&months, page)
        .iter()
        .map(|m| {
            let c = &m.counts;
            json!({
                "month": m.month,
                "services": c.services,
                "with_seats": c.with_seats,
                "active_users": c.active_users,
                "seated_active_users": c.seated_active_users,
                "capped_active_users": c.capped_active_users,
                "qualified_entitlements": c.qualified_entitlements,
                "au_percent": c.au_percent,
                "capped_au_percent": c.capped_au_percent,
                "at_10": c.at_10,
                "at_40": c.at_40,
                "rate_10": c.rate_10,
                "rate_40": c.rate_40,
            })
        })
        .collect();
    let next = next_offset(page, rows.len(), n);
    Ok(Json(json!({ "total": n, "next_offset": next, "rows": rows })).into_response())
}

/// `GET /reports/performance[?limit&offset]`: adoption by engagement scenario with who
/// it is credited to (`rows`), and by month the active users, their growth since the
/// start of the year judged on, qualified seats and AU (`months`).
pub(crate) async fn performance(
    state: crate::State,
    ApiViewer(v): ApiViewer,
    Query(q): Query<ReportQuery>,
    Query(raw): Params,
) -> Result<Response, AppError> {
    strict(&mut Strict::of(&raw)).finish()?;
    let f = q.filter(&v)?;
    let page = q.page()?;
    let credit = state.store.report_scenario_credit(&f).await?;
    let months = state.store.report_usage_trend(&f).await?;
    let year = f.day().year();
    let growth = service::ytd_growth(&months, year);
    let months: Vec<Value> = months
        .iter()
        .map(|m| {
            let ytd = growth.iter().find(|g| g.0 == m.month).map(|g| g.2);
            json!({
                "month": m.month,
                "qualified_entitlements": m.counts.qualified_entitlements,
                "active_users": m.counts.active_users,
                "au_percent": m.counts.au_percent,
                "ytd_growth": ytd,
            })
        })
        .collect();
    let n = credit.len() as i64;
    let rows = window(&credit, page);
    Ok(Json(json!({
        "year": year,
        "total": n,
        "next_offset": next_offset(page, rows.len(), n),
        "rows": rows,
        "months": months,
    }))
    .into_response())
}
