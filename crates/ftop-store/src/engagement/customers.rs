//! Customers above tenants: a customer's name and the Active Usage of its tenants taken
//! together (active users and qualified seats added up per service).

use crate::adoption::filter::Params;
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

    /// The services of these tenants with usage figures, each with the tenants' latest
    /// active users and qualified seats added up, in key order.
    pub async fn combined_adoption(&self, tenants: &[String]) -> Result<Vec<CombinedService>> {
        if tenants.is_empty() {
            return Ok(Vec::new());
        }
        let mut p = Params::new(self.backend());
        let marks: Vec<String> = tenants.iter().map(|t| p.text(t.clone())).collect();
        let text = self.dialect_of(format!(
            "SELECT v.service, COUNT(*), CAST(SUM(r.active_users) AS BIGINT), CAST(SUM(r.qualified) AS BIGINT)
             FROM adoption_rollups r
             JOIN adoption_tenants k ON k.tkey = r.tkey
             JOIN adoption_services v ON v.svc = r.svc
             WHERE k.tenant_id IN ({}) AND r.active_users IS NOT NULL
             GROUP BY v.service ORDER BY v.service",
            marks.join(", ")
        ));
        p.bind(sqlx::query(&text))
            .fetch_all(&self.pools.read)
            .await?
            .iter()
            .map(|r| {
                Ok(CombinedService {
                    service: r.try_get(0)?,
                    tenants: r.try_get(1)?,
                    active_users: r.try_get(2)?,
                    qualified: r.try_get(3)?,
                })
            })
            .collect()
    }
}
