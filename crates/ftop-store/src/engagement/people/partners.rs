//! Partner organisations and the tenants they work on (their partner users may see and
//! edit those tenants).

use crate::audit::Change;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::{FieldError, Invalid};
use serde_json::json;
use sqlx::Row;

impl Store {
    /// Finds or creates a partner organisation; returns its ID.
    pub async fn partner(&self, actor: &Actor, name: &str) -> Result<i64> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Invalid::from(FieldError::of("partner", "invalid-partner-name")).into());
        }
        ftop_domain::limits::text("partner", name, ftop_domain::limits::PARTNER)
            .map_err(|f| Invalid(vec![f]))?;
        if let Some(r) = sqlx::query(sql!(self, "SELECT id FROM partners WHERE name = $1"))
            .bind(name)
            .fetch_optional(&self.pools.read)
            .await?
        {
            return Ok(r.try_get(0)?);
        }
        let mut tx = self.pools.write.begin().await?;
        let r = sqlx::query(sql!(
            self,
            "INSERT INTO partners (name, created_at) VALUES ($1, $2) RETURNING id"
        ))
        .bind(name)
        .bind(crate::now())
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = r.try_get(0)?;
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: None,
                entity: "partner",
                key: id.to_string(),
                action: "create",
                before: None,
                after: Some(json!({"name": name})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Links a partner company to a tenant (its partner users may then see and edit it).
    pub async fn add_tenant_partner(
        &self,
        actor: &Actor,
        tenant_id: &str,
        partner: &str,
        desires_assistance: bool,
    ) -> Result<Vec<(String, bool)>> {
        let t = self.tenant(tenant_id).await?;
        let pid = self.partner(actor, partner).await?;
        let mut tx = self.pools.write.begin().await?;
        sqlx::query(sql!(self,
            "INSERT INTO tenant_partners (tenant_id, partner_id, desires_assistance) VALUES ($1, $2, $3)
             ON CONFLICT (tenant_id, partner_id) DO UPDATE SET desires_assistance = $3",
        ))
        .bind(&t.tenant_id)
        .bind(pid)
        .bind(i64::from(desires_assistance))
        .execute(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: Some(&t.tenant_id),
                entity: "tenant-partner",
                key: format!("{}/{pid}", t.tenant_id),
                action: "create",
                before: None,
                after: Some(
                    json!({"partner": partner.trim(), "desires_assistance": desires_assistance}),
                ),
            },
        )
        .await?;
        tx.commit().await?;
        self.tenant_partners(&t.tenant_id).await
    }

    /// Removes the link between a tenant and a partner organisation (its partner users no
    /// longer see the tenant); audited. `NotFound` when the organisation is not linked.
    pub async fn remove_tenant_partner(
        &self,
        actor: &Actor,
        tenant_id: &str,
        partner: &str,
    ) -> Result<Vec<(String, bool)>> {
        let t = self.tenant(tenant_id).await?;
        let name = partner.trim();
        ftop_domain::limits::text("partner", name, ftop_domain::limits::PARTNER)
            .map_err(|f| Invalid(vec![f]))?;
        let mut tx = self.pools.write.begin().await?;
        let row = sqlx::query(sql!(
            self,
            "SELECT tp.partner_id, tp.desires_assistance FROM tenant_partners tp
             JOIN partners p ON p.id = tp.partner_id WHERE tp.tenant_id = $1 AND p.name = $2",
        ))
        .bind(&t.tenant_id)
        .bind(name)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("partner {name} of tenant {}", t.tenant_id)))?;
        let pid: i64 = row.try_get(0)?;
        let wanted = row.try_get::<i64, _>(1)? != 0;
        sqlx::query(sql!(
            self,
            "DELETE FROM tenant_partners WHERE tenant_id = $1 AND partner_id = $2"
        ))
        .bind(&t.tenant_id)
        .bind(pid)
        .execute(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: Some(&t.tenant_id),
                entity: "tenant-partner",
                key: format!("{}/{pid}", t.tenant_id),
                action: "delete",
                before: Some(json!({"partner": name, "desires_assistance": wanted})),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        self.tenant_partners(&t.tenant_id).await
    }

    /// Partner companies on a tenant: (name, desires assistance).
    pub async fn tenant_partners(&self, tenant_id: &str) -> Result<Vec<(String, bool)>> {
        let rows = sqlx::query(sql!(
            self,
            "SELECT p.name, tp.desires_assistance FROM tenant_partners tp
             JOIN partners p ON p.id = tp.partner_id WHERE tp.tenant_id = $1 ORDER BY p.name",
        ))
        .bind(tenant_id)
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get::<i64, _>(1)? != 0)))
            .collect()
    }
}
