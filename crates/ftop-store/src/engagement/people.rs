//! Who works on a tenant: assignments (user, role, tenant or one service; exactly one
//! primary per tenant, service and role), contacts, and partner companies.

use crate::audit::Change;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::catalogue::service as find_service;
use ftop_domain::{AssignmentRole, ContactType, Errors, FieldError, Invalid};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

/// The rule "this assignment makes its user the tenant's primary FastTrack Manager" (the
/// manager the portfolio and the adoption dashboard group by), as an SQL condition on the
/// `assignments` row of alias `$a`: tenant-wide (`service = ''`), role `fm`, primary.
/// Every query that means the primary manager uses this text.
macro_rules! primary_manager {
    ($a:literal) => {
        concat!(
            $a,
            ".role = 'fm' AND ",
            $a,
            ".is_primary = 1 AND ",
            $a,
            ".service = ''"
        )
    };
}
pub(crate) use primary_manager;

/// A person assigned to a tenant or one of its services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assignment {
    /// User ID.
    pub user_id: i64,
    /// User name.
    pub user: String,
    /// Role on the tenant.
    pub role: AssignmentRole,
    /// Service key, or "" for the whole tenant.
    pub service: String,
    /// The primary for this tenant, service and role.
    pub primary: bool,
}

/// A tenant contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    /// ID.
    pub id: i64,
    /// Kind.
    pub kind: ContactType,
    /// Full name.
    pub name: String,
    /// E-mail.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Title or role.
    pub title: String,
    /// Country.
    pub country: String,
    /// Engaged in the onboarding.
    pub engaged: bool,
    /// May be surveyed.
    pub survey_eligible: bool,
    /// Survey language.
    pub survey_language: String,
    /// Services deployed or migrated (keys).
    pub services: Vec<String>,
}

/// A contact to add.
#[derive(Debug, Clone, Default)]
pub struct NewContact {
    /// Kind.
    pub kind: Option<ContactType>,
    /// Full name.
    pub name: String,
    /// E-mail.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Title.
    pub title: String,
    /// Country.
    pub country: String,
    /// Engaged.
    pub engaged: bool,
    /// Survey eligible.
    pub survey_eligible: bool,
    /// Survey language.
    pub survey_language: String,
    /// Services (names or keys).
    pub services: Vec<String>,
}

impl Store {
    /// Assigns a user to a tenant (service "" ) or to one of its services. The first person
    /// in a role becomes its primary; `primary` makes this one the primary instead.
    pub async fn assign(
        &self,
        actor: &Actor,
        tenant_id: &str,
        user: &str,
        role: AssignmentRole,
        service: &str,
        primary: bool,
    ) -> Result<Vec<Assignment>> {
        let t = self.tenant(tenant_id).await?;
        let u = self.user_by_name(user).await?.ok_or_else(|| {
            StoreError::from(Invalid::from(
                FieldError::of("user", "invalid-user-unknown").quoting("value", user),
            ))
        })?;
        let service = if service.trim().is_empty() {
            String::new()
        } else {
            let key = find_service(service)
                .map(|s| s.key.to_string())
                .ok_or_else(|| {
                    StoreError::from(Invalid::from(
                        FieldError::of("service", "invalid-service-unknown")
                            .quoting("value", service),
                    ))
                })?;
            if !t.services.iter().any(|s| s.service == key) {
                return Err(Invalid::from(
                    FieldError::of("service", "invalid-service-not-entitled")
                        .with("tenant", t.tenant_id.clone())
                        .with("service", key),
                )
                .into());
            }
            key
        };
        let mut tx = self.pools.write.begin().await?;
        let has_primary = sqlx::query(sql!(self,
            "SELECT COUNT(*) FROM assignments WHERE tenant_id = $1 AND service = $2 AND role = $3 AND is_primary = 1",
        ))
        .bind(&t.tenant_id)
        .bind(&service)
        .bind(role.key())
        .fetch_one(&mut *tx)
        .await?
        .try_get::<i64, _>(0)?
            > 0;
        let make_primary = primary || !has_primary;
        if make_primary && has_primary {
            sqlx::query(sql!(self,
                "UPDATE assignments SET is_primary = 0 WHERE tenant_id = $1 AND service = $2 AND role = $3",
            ))
            .bind(&t.tenant_id)
            .bind(&service)
            .bind(role.key())
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(sql!(
            self,
            "INSERT INTO assignments (tenant_id, user_id, role, service, is_primary, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (tenant_id, user_id, role, service) DO UPDATE SET is_primary = $5",
        ))
        .bind(&t.tenant_id)
        .bind(u.id)
        .bind(role.key())
        .bind(&service)
        .bind(i64::from(make_primary))
        .bind(crate::now())
        .execute(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: Some(&t.tenant_id),
                entity: "assignment",
                key: format!("{}/{}/{}/{service}", t.tenant_id, u.name, role.key()),
                action: "create",
                before: None,
                after: Some(json!({"user": u.name, "role": role.key(), "service": service, "primary": make_primary})),
            },
        )
        .await?;
        tx.commit().await?;
        self.assignments(&t.tenant_id).await
    }

    /// Removes an assignment; if it was the primary, the longest-standing other person in
    /// that role becomes primary.
    pub async fn unassign(
        &self,
        actor: &Actor,
        tenant_id: &str,
        user_id: i64,
        role: AssignmentRole,
        service: &str,
    ) -> Result<Vec<Assignment>> {
        let t = self.tenant(tenant_id).await?;
        let mut tx = self.pools.write.begin().await?;
        let gone = sqlx::query(sql!(self,
            "DELETE FROM assignments WHERE tenant_id = $1 AND user_id = $2 AND role = $3 AND service = $4",
        ))
        .bind(&t.tenant_id)
        .bind(user_id)
        .bind(role.key())
        .bind(service)
        .execute(&mut *tx)
        .await?;
        if gone.rows_affected() == 0 {
            return Err(StoreError::NotFound("assignment".into()));
        }
        sqlx::query(sql!(self,
            "UPDATE assignments SET is_primary = 1 WHERE id = (
                SELECT MIN(id) FROM assignments WHERE tenant_id = $1 AND role = $2 AND service = $3)
             AND NOT EXISTS (SELECT 1 FROM assignments WHERE tenant_id = $1 AND role = $2 AND service = $3 AND is_primary = 1)",
        ))
        .bind(&t.tenant_id)
        .bind(role.key())
        .bind(service)
        .execute(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: Some(&t.tenant_id),
                entity: "assignment",
                key: format!("{}/{user_id}/{}/{service}", t.tenant_id, role.key()),
                action: "delete",
                before: Some(json!({"user_id": user_id, "role": role.key(), "service": service})),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        self.assignments(&t.tenant_id).await
    }

    /// A tenant's assignments, tenant-wide first, then by service, role and name.
    pub async fn assignments(&self, tenant_id: &str) -> Result<Vec<Assignment>> {
        let rows = sqlx::query(sql!(
            self,
            "SELECT a.user_id, u.name, a.role, a.service, a.is_primary FROM assignments a
             JOIN users u ON u.id = a.user_id WHERE a.tenant_id = $1
             ORDER BY a.service, a.role, a.is_primary DESC, u.name",
        ))
        .bind(tenant_id)
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Assignment {
                    user_id: r.try_get(0)?,
                    user: r.try_get(1)?,
                    role: crate::engagement::tenants::enum_col(r, "role", AssignmentRole::parse)?,
                    service: r.try_get(3)?,
                    primary: r.try_get::<i64, _>(4)? != 0,
                })
            })
            .collect()
    }

    /// Adds a contact. Survey-eligible contacts need a customer type, engagement, name,
    /// e-mail, country, language and at least one service.
    pub async fn add_contact(
        &self,
        actor: &Actor,
        tenant_id: &str,
        c: &NewContact,
    ) -> Result<Contact> {
        let t = self.tenant(tenant_id).await?;
        let mut e = Errors::default();
        let kind = c.kind.unwrap_or(ContactType::Customer);
        if c.name.trim().is_empty() {
            e.push(FieldError::of("name", "invalid-contact-name"));
        }
        use ftop_domain::limits::{self, CODE, CONTACT_FIELD, EMAIL};
        let fits = [
            limits::check(&mut e, "name", &c.name, CONTACT_FIELD),
            limits::check(&mut e, "email", &c.email, EMAIL),
            limits::check(&mut e, "phone", &c.phone, CODE),
            limits::check(&mut e, "title", &c.title, CONTACT_FIELD),
            limits::check(&mut e, "country", &c.country, CODE),
            limits::check(&mut e, "survey_language", &c.survey_language, CODE),
            limits::check_count(
                &mut e,
                "services",
                c.services.len() as u64,
                limits::LIST_ITEMS,
            ),
        ];
        let email = c.email.trim();
        let looks_like_email =
            email.contains('@') && email.rsplit('@').next().is_some_and(|d| d.contains('.'));
        if fits[1] && !email.is_empty() && !looks_like_email {
            e.push(FieldError::of("email", "invalid-email").quoting("value", email));
        }
        let mut services = Vec::new();
        for (i, s) in c
            .services
            .iter()
            .enumerate()
            .take(limits::LIST_ITEMS.max as usize)
        {
            match find_service(s) {
                Some(x) => services.push(x.key.to_string()),
                None => e.push(
                    FieldError::of(format!("services[{i}]"), "invalid-service-unknown")
                        .quoting("value", s),
                ),
            }
        }
        if c.survey_eligible {
            if kind != ContactType::Customer {
                e.push(FieldError::of(
                    "survey_eligible",
                    "invalid-survey-customer-only",
                ));
            }
            if !c.engaged {
                e.push(FieldError::of("engaged", "invalid-survey-engaged"));
            }
            if email.is_empty() {
                e.push(FieldError::of("email", "invalid-survey-email"));
            }
            if c.country.trim().is_empty() {
                e.push(FieldError::of("country", "invalid-survey-country"));
            }
            if c.survey_language.trim().is_empty() {
                e.push(FieldError::of("survey_language", "invalid-survey-language"));
            }
            if services.is_empty() {
                e.push(FieldError::of("services", "invalid-survey-services"));
            }
        }
        e.finish()?;
        let mut tx = self.pools.write.begin().await?;
        let r =
            sqlx::query(sql!(self,
            "INSERT INTO contacts (tenant_id, kind, name, email, phone, title, country, engaged,
                survey_eligible, survey_language, services, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        ))
            .bind(&t.tenant_id)
            .bind(kind.key())
            .bind(c.name.trim())
            .bind(email)
            .bind(c.phone.trim())
            .bind(c.title.trim())
            .bind(c.country.trim())
            .bind(i64::from(c.engaged))
            .bind(i64::from(c.survey_eligible))
            .bind(c.survey_language.trim())
            .bind(services.join(","))
            .bind(crate::now())
            .fetch_one(&mut *tx)
            .await?;
        let id: i64 = r.try_get(0)?;
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: Some(&t.tenant_id),
                entity: "contact",
                key: id.to_string(),
                action: "create",
                before: None,
                after: Some(json!({"name": c.name.trim(), "email": email, "kind": kind.key()})),
            },
        )
        .await?;
        tx.commit().await?;
        self.contacts(&t.tenant_id)
            .await?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| StoreError::NotFound(format!("contact {id}")))
    }

    /// Deletes a contact (a person who asked to be removed).
    pub async fn delete_contact(&self, actor: &Actor, tenant_id: &str, id: i64) -> Result<()> {
        let before = self
            .contacts(tenant_id)
            .await?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| StoreError::NotFound(format!("contact {id}")))?;
        let mut tx = self.pools.write.begin().await?;
        sqlx::query(sql!(
            self,
            "DELETE FROM contacts WHERE id = $1 AND tenant_id = $2"
        ))
        .bind(id)
        .bind(tenant_id)
        .execute(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: Some(tenant_id),
                entity: "contact",
                key: id.to_string(),
                action: "delete",
                before: Some(json!({"name": before.name, "email": before.email})),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A tenant's contacts.
    pub async fn contacts(&self, tenant_id: &str) -> Result<Vec<Contact>> {
        let rows = sqlx::query(sql!(
            self,
            "SELECT id, kind, name, email, phone, title, country, engaged, survey_eligible,
                survey_language, services FROM contacts WHERE tenant_id = $1 ORDER BY name, id",
        ))
        .bind(tenant_id)
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter()
            .map(|r| {
                let services: String = r.try_get("services")?;
                Ok(Contact {
                    id: r.try_get("id")?,
                    kind: crate::engagement::tenants::enum_col(r, "kind", ContactType::parse)?,
                    name: r.try_get("name")?,
                    email: r.try_get("email")?,
                    phone: r.try_get("phone")?,
                    title: r.try_get("title")?,
                    country: r.try_get("country")?,
                    engaged: r.try_get::<i64, _>("engaged")? != 0,
                    survey_eligible: r.try_get::<i64, _>("survey_eligible")? != 0,
                    survey_language: r.try_get("survey_language")?,
                    services: services
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect(),
                })
            })
            .collect()
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
