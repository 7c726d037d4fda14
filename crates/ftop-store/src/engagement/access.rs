//! What a user may do with a tenant. Admins do everything; FastTrack managers and engineers
//! see every tenant and change the ones they are assigned to; partners see only the tenants
//! of their partner organisation and change those they are assigned to (a partner admin:
//! all of them); guests only read.

use crate::engagement::users::User;
use crate::{Result, Store};
use ftop_domain::UserRole;
use sqlx::Row;

/// A user's access to one tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    /// May not know it exists.
    None,
    /// May read it.
    Read,
    /// May change it.
    Write,
}

impl Store {
    /// The user's access to a tenant (None also for a tenant that does not exist).
    pub async fn access(&self, user: &User, tenant_id: &str) -> Result<Access> {
        let id = tenant_id.trim().to_ascii_lowercase();
        let q = sql!(self,
            "SELECT
                (SELECT COUNT(*) FROM tenants WHERE tenant_id = $1) AS present,
                (SELECT COUNT(*) FROM assignments WHERE tenant_id = $1 AND user_id = $2) AS assigned,
                (SELECT COUNT(*) FROM tenant_partners WHERE tenant_id = $1 AND partner_id = $3) AS partner",
        );
        let partner = user.partner_id.unwrap_or(-1);
        // Every change checks it first: on the engines' hot paths (see `sqlite/local.rs`,
        // `postgres/hot.rs`).
        let (present, assigned, partner) = if let Some(local) = self.local() {
            local.with(|c| {
                let mut st = c.prepare_cached(q)?;
                Ok(st.query_row(rusqlite::params![id, user.id, partner], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, i64>(2)?,
                    ))
                })?)
            })?
        } else if let Some(pg) = self.pg_hot() {
            let mut c = crate::postgres::hot::acquire(pg).await?;
            let r = sqlx::query_as::<_, (i64, i64, i64)>(q)
                .bind(&id)
                .bind(user.id)
                .bind(partner)
                .fetch_one(&mut *c)
                .await;
            crate::postgres::hot::checked(&mut c, r)?
        } else {
            let r = sqlx::query(q)
                .bind(&id)
                .bind(user.id)
                .bind(partner)
                .fetch_one(&self.pools.read)
                .await?;
            (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)
        };
        if present == 0 {
            return Ok(Access::None);
        }
        Ok(access_of(user, assigned > 0, partner > 0))
    }
}

/// A user's access to a tenant that exists, given whether the user is assigned to it and
/// whether it belongs to the user's partner organisation.
pub(crate) fn access_of(user: &User, assigned: bool, partner: bool) -> Access {
    match user.role {
        UserRole::Admin => Access::Write,
        UserRole::Manager | UserRole::Engineer if assigned => Access::Write,
        UserRole::Manager | UserRole::Engineer | UserRole::Guest => Access::Read,
        UserRole::Partner if partner && (assigned || user.partner_admin) => Access::Write,
        UserRole::Partner if partner => Access::Read,
        UserRole::Partner => Access::None,
    }
}

impl Store {
    /// Which of these tenants the user may change (a page of a list: one read each for
    /// the assignments and the partner organisation's tenants among them).
    pub async fn writable_among(
        &self,
        user: &User,
        tenants: &[String],
    ) -> Result<std::collections::HashSet<String>> {
        use crate::adoption::filter::Params;
        let mut out = std::collections::HashSet::new();
        if tenants.is_empty() {
            return Ok(out);
        }
        let mut p = Params::new(self.backend());
        let who = p.int(user.id);
        let text = self.dialect_of(format!(
            "SELECT DISTINCT tenant_id FROM assignments WHERE user_id = {who} AND tenant_id IN ({})",
            p.texts(tenants)
        ));
        let assigned: std::collections::HashSet<String> = p
            .bind(sqlx::query(&text))
            .fetch_all(&self.pools.read)
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<std::result::Result<_, _>>()?;
        let mut p = Params::new(self.backend());
        let org = p.int(user.partner_id.unwrap_or(-1));
        let text = self.dialect_of(format!(
            "SELECT DISTINCT tenant_id FROM tenant_partners WHERE partner_id = {org} AND tenant_id IN ({})",
            p.texts(tenants)
        ));
        let partnered: std::collections::HashSet<String> = p
            .bind(sqlx::query(&text))
            .fetch_all(&self.pools.read)
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<std::result::Result<_, _>>()?;
        for t in tenants {
            let a = access_of(user, assigned.contains(t), partnered.contains(t));
            if a == Access::Write {
                out.insert(t.clone());
            }
        }
        Ok(out)
    }
}
