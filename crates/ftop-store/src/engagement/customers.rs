//! Customers above tenants: a customer's name and the Active Usage of its tenants taken
//! together (active users and qualified seats added up per service).

use crate::{Result, Store};
use serde::Serialize;
use sqlx::Row;

/// A customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Customer {
    /// ID.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// One service across some tenants of a customer: their latest figures added up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CombinedService {
    /// Service key.
    pub service: String,
    /// Tenants with figures for it.
    pub tenants: i64,
    /// Active users, added up.
    pub active_users: i64,
    /// Qualified seats, added up.
    pub qualified: i64,
}

impl Store {
    /// The customer with this ID, if any.
    pub async fn customer(&self, id: i64) -> Result<Option<Customer>> {
        let r = sqlx::query(sql!(self, "SELECT id, name FROM customers WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pools.read)
            .await?;
        r.map(|r| {
            Ok(Customer {
                id: r.try_get(0)?,
                name: r.try_get(1)?,
            })
        })
        .transpose()
    }

    /// A customer's tenants taken together (only those of partner organisation
    /// `partner` when given): their qualified seats added up (each tenant's largest
    /// service), and each service with usage figures with the tenants' latest active users
    /// and qualified seats added up, in key order.
    pub async fn customer_totals(
        &self,
        customer: i64,
        partner: Option<i64>,
    ) -> Result<(i64, Vec<CombinedService>)> {
        const MINE: &str = "t.customer_id = $1
            AND ($2 IS NULL OR t.tenant_id IN (SELECT p.tenant_id FROM tenant_partners p WHERE p.partner_id = $2))";
        let seats: i64 = sqlx::query_scalar(sql!(
            self,
            format!(
                "SELECT CAST(COALESCE(SUM(m.seats), 0) AS BIGINT) FROM (
                    SELECT MAX(s.qualified) AS seats FROM tenant_services s
                    JOIN tenants t ON t.tenant_id = s.tenant_id
                    WHERE {MINE} GROUP BY s.tenant_id) m"
            )
        ))
        .bind(customer)
        .bind(partner)
        .fetch_one(&self.pools.read)
        .await?;
        let rows = sqlx::query(sql!(
            self,
            format!(
                "SELECT v.service, COUNT(*), CAST(SUM(r.active_users) AS BIGINT), CAST(SUM(r.qualified) AS BIGINT)
                 FROM adoption_rollups r
                 JOIN adoption_tenants k ON k.tkey = r.tkey
                 JOIN adoption_services v ON v.svc = r.svc
                 JOIN tenants t ON t.tenant_id = k.tenant_id
                 WHERE {MINE} AND r.active_users IS NOT NULL
                 GROUP BY v.service ORDER BY v.service"
            )
        ))
        .bind(customer)
        .bind(partner)
        .fetch_all(&self.pools.read)
        .await?;
        let services = rows
            .iter()
            .map(|r| {
                Ok(CombinedService {
                    service: r.try_get(0)?,
                    tenants: r.try_get(1)?,
                    active_users: r.try_get(2)?,
                    qualified: r.try_get(3)?,
                })
            })
            .collect::<Result<_>>()?;
        Ok((seats, services))
    }
}
