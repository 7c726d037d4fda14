//! Qualified seats over time: the seat history each usage figure is measured against,
//! kept in step with the figures (each carries the seats in effect on its date) and with
//! the rollups whenever seats change.

use crate::adoption::rollups::{date_col, day_col, today_day};
use crate::audit::Change;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::adoption::{Day, day_of};
use ftop_domain::catalogue::service as find_service;
use ftop_domain::{FieldError, Invalid, TenantId};
use serde_json::json;
use sqlx::{Any, Row, Transaction};

impl Store {
    /// Records that a tenant's service has `qualified` seats from `effective` on: the
    /// seat history, the seats carried by its usage figures, and its rollup. Called in
    /// the transaction of every change of qualified seats.
    pub(crate) async fn record_seats(
        &self,
        tx: &mut Transaction<'_, Any>,
        tenant: &str,
        service: &str,
        qualified: i64,
        effective: Day,
    ) -> Result<()> {
        let tkey = self.tenant_key(tx, tenant).await?;
        let svc = self.service_key(tx, service).await?;
        sqlx::query(sql!(
            self,
            "INSERT INTO seat_history (tkey, svc, effective, qualified) VALUES ($1, $2, $3, $4)
             ON CONFLICT (tkey, svc, effective) DO UPDATE SET qualified = excluded.qualified",
        ))
        .bind(tkey)
        .bind(svc)
        .bind(i64::from(effective))
        .bind(qualified)
        .execute(&mut **tx)
        .await?;
        let has_figures = sqlx::query(sql!(
            self,
            "SELECT 1 FROM usage_figures WHERE tkey = $1 AND svc = $2 LIMIT 1"
        ))
        .bind(tkey)
        .bind(svc)
        .fetch_optional(&mut **tx)
        .await?
        .is_some();
        if has_figures {
            let history = self.seat_history_in(tx, tkey, svc).await?;
            for (i, (from, q)) in history.iter().enumerate() {
                let lo = if i == 0 { i64::MIN } else { i64::from(*from) };
                let hi = history.get(i + 1).map_or(i64::MAX, |h| i64::from(h.0));
                sqlx::query(sql!(
                    self,
                    "UPDATE usage_figures SET qualified = $1
                     WHERE tkey = $2 AND svc = $3 AND day >= $4 AND day < $5 AND qualified <> $1",
                ))
                .bind(*q)
                .bind(tkey)
                .bind(svc)
                .bind(lo.max(i64::from(i32::MIN)))
                .bind(hi.min(i64::from(i32::MAX)))
                .execute(&mut **tx)
                .await?;
            }
            self.refresh_rollups(tx, tkey, tkey, Some(svc)).await?;
        } else {
            self.seats_only_rollup(tx, tkey, svc).await?;
        }
        Ok(())
    }

    /// The rollup of a service without figures: only its seats in effect today.
    pub(crate) async fn seats_only_rollup(
        &self,
        tx: &mut Transaction<'_, Any>,
        tkey: i64,
        svc: i64,
    ) -> Result<()> {
        sqlx::query(sql!(self, concat!(
            "INSERT INTO adoption_rollups (tkey, svc, qualified) SELECT $1, $2, ",
            "COALESCE(
                (SELECT h.qualified FROM seat_history h WHERE h.tkey = $1 AND h.svc = $2 AND h.effective <= $3
                 ORDER BY h.effective DESC LIMIT 1),
                (SELECT h.qualified FROM seat_history h WHERE h.tkey = $1 AND h.svc = $2
                 ORDER BY h.effective LIMIT 1), 0)",
            " WHERE 1 = 1 ON CONFLICT (tkey, svc) DO UPDATE SET qualified = excluded.qualified
              WHERE adoption_rollups.as_of IS NULL"
        )))
        .bind(tkey)
        .bind(svc)
        .bind(i64::from(today_day()))
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    pub(crate) async fn seat_history_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        tkey: i64,
        svc: i64,
    ) -> Result<Vec<(Day, i64)>> {
        let rows = sqlx::query(sql!(self,
            "SELECT effective, qualified FROM seat_history WHERE tkey = $1 AND svc = $2 ORDER BY effective",
        ))
        .bind(tkey)
        .bind(svc)
        .fetch_all(&mut **tx)
        .await?;
        rows.iter()
            .map(|r| Ok((day_col(r.try_get(0)?)?, r.try_get(1)?)))
            .collect()
    }

    /// Sets the qualified seats of a tenant's service from `effective` on (a past date
    /// for imports of history, or a future one). When this is the latest record, the
    /// service line's current qualified seats follow. Audited.
    pub async fn set_seats(
        &self,
        actor: &Actor,
        tenant_id: &str,
        service: &str,
        qualified: i64,
        effective: time::Date,
    ) -> Result<()> {
        let id = TenantId::parse(tenant_id)?;
        let key = find_service(service)
            .ok_or_else(|| {
                Invalid::from(
                    FieldError::of("service", "invalid-service-unknown").quoting("value", service),
                )
            })?
            .key;
        let mut tx = self.pools.write.begin().await?;
        self.take_rollup_turn(&mut tx).await?;
        let line = sqlx::query(sql!(
            self,
            "SELECT entitlements FROM tenant_services WHERE tenant_id = $1 AND service = $2",
        ))
        .bind(id.as_str())
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("service {key} of tenant {id}")))?;
        let total: i64 = line.try_get(0)?;
        if qualified < 0 || qualified > total {
            return Err(Invalid::from(
                FieldError::of("qualified_entitlements", "invalid-qualified-range")
                    .with("total", total),
            )
            .into());
        }
        let day = day_of(effective);
        self.record_seats(&mut tx, id.as_str(), key, qualified, day)
            .await?;
        let tkey = self.tenant_key(&mut tx, id.as_str()).await?;
        let svc = self.service_key(&mut tx, key).await?;
        let history = self.seat_history_in(&mut tx, tkey, svc).await?;
        if history.last().is_some_and(|h| h.0 == day) {
            sqlx::query(sql!(
                self,
                "UPDATE tenant_services SET qualified = $1, version = version + 1
                 WHERE tenant_id = $2 AND service = $3 AND qualified <> $1",
            ))
            .bind(qualified)
            .bind(id.as_str())
            .bind(key)
            .execute(&mut *tx)
            .await?;
        }
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: Some(id.as_str()),
                entity: "seats",
                key: format!("{id}/{key}"),
                action: "update",
                before: None,
                after: Some(
                    json!({"qualified": qualified, "effective": crate::fmt_date(effective)}),
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The qualified-seat history of a tenant's service: (effective date, seats), oldest
    /// first.
    pub async fn seat_history(
        &self,
        tenant_id: &str,
        service: &str,
    ) -> Result<Vec<(time::Date, i64)>> {
        let id = TenantId::parse(tenant_id)?;
        let key = find_service(service).map_or(service, |s| s.key);
        let rows = sqlx::query(sql!(
            self,
            "SELECT h.effective, h.qualified FROM seat_history h
             JOIN adoption_tenants k ON k.tkey = h.tkey JOIN adoption_services c ON c.svc = h.svc
             WHERE k.tenant_id = $1 AND c.service = $2 ORDER BY h.effective",
        ))
        .bind(id.as_str())
        .bind(key)
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter()
            .map(|r| Ok((date_col(r.try_get(0)?)?, r.try_get(1)?)))
            .collect()
    }
}
