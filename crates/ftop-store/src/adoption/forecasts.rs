//! Forecast dates of a tenant's service (submitted date (RFA), targets for 10% and 40% AU
//! and for maximum AU), validated by the domain, versioned, with a history row and an
//! audit entry per accepted save. The 10% and 40% targets are copied onto the service's
//! adoption rollup so forecast-against-actual counts read rollups only.

use crate::adoption::rollups::{date_opt, today_day};
use crate::audit::Change;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::adoption::{ForecastDates, date_of, day_of, validate_forecast};
use ftop_domain::catalogue::service as find_service;
use ftop_domain::{FieldError, Invalid, TenantId};
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// The current forecast of a tenant's service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Forecast {
    /// Tenant ID.
    pub tenant_id: String,
    /// Service key.
    pub service: String,
    /// The dates.
    #[serde(flatten)]
    pub dates: ForecastDates,
    /// Version: send it back when saving.
    pub version: i64,
    /// Last saved (UTC).
    pub updated_at: String,
    /// Last saved by.
    pub updated_by: String,
}

/// One accepted save of a forecast.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForecastSave {
    /// Position in the history.
    pub id: i64,
    /// The dates saved.
    #[serde(flatten)]
    pub dates: ForecastDates,
    /// When (UTC).
    pub saved_at: String,
    /// Who.
    pub saved_by: String,
}

fn dates_of(r: &AnyRow) -> Result<ForecastDates> {
    Ok(ForecastDates {
        submitted: date_opt(r.try_get("submitted")?)?,
        target_10: date_opt(r.try_get("target_10")?)?,
        target_40: date_opt(r.try_get("target_40")?)?,
        target_max: date_opt(r.try_get("target_max")?)?,
    })
}

fn day(d: Option<time::Date>) -> Option<i64> {
    d.map(|d| i64::from(day_of(d)))
}

fn view(d: &ForecastDates) -> serde_json::Value {
    json!(d)
}

impl Store {
    fn forecast_keys(&self, tenant_id: &str, service: &str) -> Result<(TenantId, &'static str)> {
        let id = TenantId::parse(tenant_id)
            .map_err(|_| StoreError::NotFound(format!("tenant {tenant_id}")))?;
        let key = find_service(service)
            .ok_or_else(|| {
                Invalid::from(
                    FieldError::of("service", "invalid-service-unknown").quoting("value", service),
                )
            })?
            .key;
        Ok((id, key))
    }

    /// The forecast of a tenant's service; None before the first save.
    pub async fn forecast(&self, tenant_id: &str, service: &str) -> Result<Option<Forecast>> {
        let (id, key) = self.forecast_keys(tenant_id, service)?;
        let r =
            sqlx::query(sql!(self,
            "SELECT submitted, target_10, target_40, target_max, version, updated_at, updated_by
             FROM forecasts WHERE tenant_id = $1 AND service = $2",
        ))
            .bind(id.as_str())
            .bind(key)
            .fetch_optional(&self.pools.read)
            .await?;
        r.map(|r| {
            Ok(Forecast {
                tenant_id: id.to_string(),
                service: key.to_string(),
                dates: dates_of(&r)?,
                version: r.try_get("version")?,
                updated_at: r.try_get("updated_at")?,
                updated_by: r.try_get("updated_by")?,
            })
        })
        .transpose()
    }

    /// Every accepted save of a tenant's service's forecast, newest first.
    pub async fn forecast_history(
        &self,
        tenant_id: &str,
        service: &str,
    ) -> Result<Vec<ForecastSave>> {
        let (id, key) = self.forecast_keys(tenant_id, service)?;
        let rows = sqlx::query(sql!(
            self,
            "SELECT id, submitted, target_10, target_40, target_max, saved_at, saved_by
             FROM forecast_history WHERE tenant_id = $1 AND service = $2 ORDER BY id DESC",
        ))
        .bind(id.as_str())
        .bind(key)
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ForecastSave {
                    id: r.try_get("id")?,
                    dates: dates_of(r)?,
                    saved_at: r.try_get("saved_at")?,
                    saved_by: r.try_get("saved_by")?,
                })
            })
            .collect()
    }

    /// Saves the forecast dates of a tenant's service, read at `version` (None or 0 for the
    /// first save). Refused with field errors unless the domain's rules hold (RFA given;
    /// 10% and max targets after it, 40% after 10%; new dates in the future); a stale
    /// version is a conflict. Each save adds a history row and an audit entry.
    pub async fn save_forecast(
        &self,
        actor: &Actor,
        tenant_id: &str,
        service: &str,
        dates: &ForecastDates,
        version: Option<i64>,
    ) -> Result<Forecast> {
        let (id, key) = self.forecast_keys(tenant_id, service)?;
        let mut tx = self.pools.write.begin().await?;
        let before = self.forecast_before(&mut tx, id.as_str(), key).await?;
        let current = before.as_ref().map_or(0, |b| b.1);
        if version.unwrap_or(0) != current {
            return Err(StoreError::Conflict(format!(
                "the forecast of {key} changed since version {}; reload and try again",
                version.unwrap_or(0)
            )));
        }
        let today = date_of(today_day()).unwrap_or_else(crate::today);
        validate_forecast(dates, before.as_ref().map(|b| &b.0), today)?;
        let stored = before.is_some().then_some(current);
        self.write_forecast(&mut tx, actor, id.as_str(), key, dates, stored)
            .await?;
        self.rollup_targets(
            &mut tx,
            id.as_str(),
            key,
            dates.target_10.map(day_of),
            dates.target_40.map(day_of),
        )
        .await?;
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: Some(id.as_str()),
                entity: "forecast",
                key: format!("{id}/{key}"),
                action: if before.is_some() { "update" } else { "create" },
                before: before.as_ref().map(|b| view(&b.0)),
                after: Some(view(dates)),
            },
        )
        .await?;
        tx.commit().await?;
        self.forecast(id.as_str(), key)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("forecast of {key}")))
    }

    /// The stored forecast dates of a tenant's service and their version (None before
    /// the first save); `NotFound` when the tenant has no such service.
    async fn forecast_before(
        &self,
        tx: &mut Transaction<'_, Any>,
        id: &str,
        key: &str,
    ) -> Result<Option<(ForecastDates, i64)>> {
        sqlx::query(sql!(
            self,
            "SELECT 1 FROM tenant_services WHERE tenant_id = $1 AND service = $2"
        ))
        .bind(id)
        .bind(key)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("service {key} of tenant {id}")))?;
        let before = sqlx::query(sql!(
            self,
            "SELECT submitted, target_10, target_40, target_max, version FROM forecasts
             WHERE tenant_id = $1 AND service = $2",
        ))
        .bind(id)
        .bind(key)
        .fetch_optional(&mut **tx)
        .await?;
        match before {
            Some(r) => Ok(Some((dates_of(&r)?, r.try_get::<i64, _>("version")?))),
            None => Ok(None),
        }
    }

    /// Writes the dates (over the row at version `stored`, or as the first row) and adds
    /// them to the history.
    async fn write_forecast(
        &self,
        tx: &mut Transaction<'_, Any>,
        actor: &Actor,
        id: &str,
        key: &str,
        dates: &ForecastDates,
        stored: Option<i64>,
    ) -> Result<()> {
        let now = crate::now();
        let submitted = day(dates.submitted).unwrap_or_default();
        if let Some(current) = stored {
            sqlx::query(sql!(self,
                "UPDATE forecasts SET submitted = $1, target_10 = $2, target_40 = $3, target_max = $4,
                    version = version + 1, updated_at = $5, updated_by = $6
                 WHERE tenant_id = $7 AND service = $8 AND version = $9",
            ))
            .bind(submitted)
            .bind(day(dates.target_10))
            .bind(day(dates.target_40))
            .bind(day(dates.target_max))
            .bind(&now)
            .bind(&actor.name)
            .bind(id)
            .bind(key)
            .bind(current)
            .execute(&mut **tx)
            .await?;
        } else {
            sqlx::query(sql!(self,
                "INSERT INTO forecasts (tenant_id, service, submitted, target_10, target_40, target_max,
                    version, updated_at, updated_by)
                 VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8)",
            ))
            .bind(id)
            .bind(key)
            .bind(submitted)
            .bind(day(dates.target_10))
            .bind(day(dates.target_40))
            .bind(day(dates.target_max))
            .bind(&now)
            .bind(&actor.name)
            .execute(&mut **tx)
            .await?;
        }
        sqlx::query(sql!(
            self,
            "INSERT INTO forecast_history (tenant_id, service, submitted, target_10, target_40,
                target_max, saved_at, saved_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        ))
        .bind(id)
        .bind(key)
        .bind(submitted)
        .bind(day(dates.target_10))
        .bind(day(dates.target_40))
        .bind(day(dates.target_max))
        .bind(&now)
        .bind(&actor.name)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}
