//! Partner organisations as records: listed with their users and tenants, created once
//! under a unique name, renamed. (`partners.rs` links them to tenants.)

use crate::audit::Change;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::{FieldError, Invalid};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

/// A partner organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organisation {
    /// ID.
    pub id: i64,
    /// Name (unique).
    pub name: String,
    /// Its users, active or not.
    pub users: i64,
    /// Tenants it is attached to.
    pub tenants: i64,
}

/// A valid organisation name (trimmed), or the field error on `name`.
fn valid_name(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Invalid::from(FieldError::of("name", "invalid-partner-name")).into());
    }
    ftop_domain::limits::text("name", name, ftop_domain::limits::PARTNER)
        .map_err(|f| Invalid(vec![f]))?;
    Ok(name)
}

impl Store {
    /// Every partner organisation, by name.
    pub async fn organisations(&self) -> Result<Vec<Organisation>> {
        let rows = sqlx::query(sql!(
            self,
            "SELECT p.id, p.name,
                    (SELECT COUNT(*) FROM users u WHERE u.partner_id = p.id) AS users,
                    (SELECT COUNT(*) FROM tenant_partners tp WHERE tp.partner_id = p.id) AS tenants
             FROM partners p ORDER BY p.name"
        ))
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Organisation {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    users: r.try_get("users")?,
                    tenants: r.try_get("tenants")?,
                })
            })
            .collect()
    }

    /// The ID of an existing organisation; a field error on `partner` when there is none.
    pub(crate) async fn partner_id(&self, name: &str) -> Result<i64> {
        sqlx::query(sql!(self, "SELECT id FROM partners WHERE name = $1"))
            .bind(name.trim())
            .fetch_optional(&self.pools.read)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?
            .ok_or_else(|| {
                Invalid::from(
                    FieldError::of("partner", "invalid-partner-unknown").quoting("value", name),
                )
                .into()
            })
    }

    /// Creates an organisation; a name already taken is a field error on `name`.
    pub async fn create_organisation(&self, actor: &Actor, name: &str) -> Result<Organisation> {
        let name = valid_name(name)?;
        self.name_is_free(name).await?;
        self.partner(actor, name).await?;
        self.organisation(name).await
    }

    /// Renames organisation `id`; a name already taken is a field error on `name`.
    pub async fn rename_organisation(
        &self,
        actor: &Actor,
        id: i64,
        name: &str,
    ) -> Result<Organisation> {
        let name = valid_name(name)?;
        let old: String = sqlx::query(sql!(self, "SELECT name FROM partners WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pools.read)
            .await?
            .ok_or_else(|| StoreError::NotFound("partner organisation".into()))?
            .try_get(0)?;
        if old != name {
            self.name_is_free(name).await?;
            let mut tx = self.pools.write.begin().await?;
            sqlx::query(sql!(self, "UPDATE partners SET name = $2 WHERE id = $1"))
                .bind(id)
                .bind(name)
                .execute(&mut *tx)
                .await?;
            let change = Change {
                tenant: None,
                entity: "partner",
                key: id.to_string(),
                action: "update",
                before: Some(json!({"name": old})),
                after: Some(json!({"name": name})),
            };
            self.audit(&mut tx, actor, change).await?;
            tx.commit().await?;
        }
        self.organisation(name).await
    }

    /// One organisation by name.
    async fn organisation(&self, name: &str) -> Result<Organisation> {
        self.organisations()
            .await?
            .into_iter()
            .find(|o| o.name == name)
            .ok_or_else(|| StoreError::NotFound("partner organisation".into()))
    }

    /// A field error on `name` when an organisation already has it.
    async fn name_is_free(&self, name: &str) -> Result<()> {
        let taken = sqlx::query(sql!(self, "SELECT id FROM partners WHERE name = $1"))
            .bind(name)
            .fetch_optional(&self.pools.read)
            .await?
            .is_some();
        if taken {
            return Err(Invalid::from(
                FieldError::of("name", "invalid-partner-exists").quoting("value", name),
            )
            .into());
        }
        Ok(())
    }
}
