//! A tenant's contacts: who they are, and the rules a survey-eligible contact meets.

use crate::audit::Change;
use crate::sqlite::local::Cols;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::catalogue::service as find_service;
use ftop_domain::{ContactType, Errors, FieldError};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

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

/// A contact as it is stored: checked, with its codes and service keys as written.
struct Checked {
    kind: ContactType,
    country: String,
    survey_language: String,
    services: Vec<String>,
}

/// Checks a contact of `tenant`: field limits, the e-mail's shape, the country (ISO 3166-1
/// alpha-2) and survey language (ISO 639-1, optionally with a region), services the tenant
/// has, and what a survey-eligible contact needs.
fn check_contact(c: &NewContact, tenant: &crate::Tenant) -> Result<Checked> {
    let mut e = Errors::default();
    let kind = c.kind.unwrap_or(ContactType::Customer);
    check_fields(c, &mut e);
    let services = service_keys(&c.services, &mut e);
    for (i, s) in services.iter().enumerate() {
        if !tenant.services.iter().any(|l| &l.service == s) {
            e.push(
                FieldError::of(format!("services[{i}]"), "invalid-service-not-of-tenant")
                    .quoting("value", s),
            );
        }
    }
    let code = |field: &str, value: &str, read: fn(&str) -> Option<String>, id: &'static str| {
        if value.trim().is_empty() {
            return (String::new(), None);
        }
        match read(value) {
            Some(v) => (v, None),
            None => (
                String::new(),
                Some(FieldError::of(field, id).quoting("value", value.trim())),
            ),
        }
    };
    let (country, bad_country) = code(
        "country",
        &c.country,
        ftop_domain::codes::country,
        "invalid-country-code",
    );
    let (survey_language, bad_language) = code(
        "survey_language",
        &c.survey_language,
        ftop_domain::codes::language,
        "invalid-language-code",
    );
    for bad in bad_country.into_iter().chain(bad_language) {
        e.push(bad);
    }
    if c.survey_eligible {
        check_survey(c, kind, &services, &mut e);
    }
    e.finish()?;
    Ok(Checked {
        kind,
        country,
        survey_language,
        services,
    })
}

/// The name, the limits of every field and the e-mail's shape.
fn check_fields(c: &NewContact, e: &mut Errors) {
    use ftop_domain::limits::{self, CODE, CONTACT_FIELD, EMAIL};
    if c.name.trim().is_empty() {
        e.push(FieldError::of("name", "invalid-contact-name"));
    }
    let fits = [
        limits::check(e, "name", &c.name, CONTACT_FIELD),
        limits::check(e, "email", &c.email, EMAIL),
        limits::check(e, "phone", &c.phone, CODE),
        limits::check(e, "title", &c.title, CONTACT_FIELD),
        limits::check(e, "country", &c.country, CODE),
        limits::check(e, "survey_language", &c.survey_language, CODE),
        limits::check_count(e, "services", c.services.len() as u64, limits::LIST_ITEMS),
    ];
    let email = c.email.trim();
    let looks_like_email =
        email.contains('@') && email.rsplit('@').next().is_some_and(|d| d.contains('.'));
    if fits[1] && !email.is_empty() && !looks_like_email {
        e.push(FieldError::of("email", "invalid-email").quoting("value", email));
    }
}

/// The keys of the named services (at most the list limit); unknown ones are field errors.
fn service_keys(names: &[String], e: &mut Errors) -> Vec<String> {
    let mut services = Vec::new();
    let most = ftop_domain::limits::LIST_ITEMS.max as usize;
    for (i, s) in names.iter().enumerate().take(most) {
        match find_service(s) {
            Some(x) => services.push(x.key.to_string()),
            None => e.push(
                FieldError::of(format!("services[{i}]"), "invalid-service-unknown")
                    .quoting("value", s),
            ),
        }
    }
    services
}

/// What a survey-eligible contact needs: a customer, engaged, with an e-mail, a country,
/// a language and at least one service.
fn check_survey(c: &NewContact, kind: ContactType, services: &[String], e: &mut Errors) {
    if kind != ContactType::Customer {
        e.push(FieldError::of(
            "survey_eligible",
            "invalid-survey-customer-only",
        ));
    }
    if !c.engaged {
        e.push(FieldError::of("engaged", "invalid-survey-engaged"));
    }
    if c.email.trim().is_empty() {
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

impl Store {
    /// Adds a contact. Survey-eligible contacts need a customer type, engagement, name,
    /// e-mail, country, language and at least one service.
    pub async fn add_contact(
        &self,
        actor: &Actor,
        tenant_id: &str,
        c: &NewContact,
    ) -> Result<Contact> {
        let t = self.tenant(tenant_id).await?;
        let Checked {
            kind,
            country,
            survey_language,
            services,
        } = check_contact(c, &t)?;
        let email = c.email.trim();
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
            .bind(&country)
            .bind(i64::from(c.engaged))
            .bind(i64::from(c.survey_eligible))
            .bind(&survey_language)
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

    /// Changes a contact, checked as when it was added (audited with the values before).
    pub async fn update_contact(
        &self,
        actor: &Actor,
        tenant_id: &str,
        id: i64,
        c: &NewContact,
    ) -> Result<Contact> {
        let t = self.tenant(tenant_id).await?;
        let before = self
            .contacts(&t.tenant_id)
            .await?
            .into_iter()
            .find(|x| x.id == id)
            .ok_or_else(|| StoreError::NotFound(format!("contact {id}")))?;
        let Checked {
            kind,
            country,
            survey_language,
            services,
        } = check_contact(c, &t)?;
        let email = c.email.trim();
        let mut tx = self.pools.write.begin().await?;
        let done = sqlx::query(sql!(
            self,
            "UPDATE contacts SET kind = $1, name = $2, email = $3, phone = $4, title = $5,
                country = $6, engaged = $7, survey_eligible = $8, survey_language = $9,
                services = $10
             WHERE id = $11 AND tenant_id = $12"
        ))
        .bind(kind.key())
        .bind(c.name.trim())
        .bind(email)
        .bind(c.phone.trim())
        .bind(c.title.trim())
        .bind(&country)
        .bind(i64::from(c.engaged))
        .bind(i64::from(c.survey_eligible))
        .bind(&survey_language)
        .bind(services.join(","))
        .bind(id)
        .bind(&t.tenant_id)
        .execute(&mut *tx)
        .await?;
        // Deleted meanwhile: nothing changed, and nothing is recorded as changed.
        if done.rows_affected() != 1 {
            return Err(StoreError::NotFound(format!("contact {id}")));
        }
        let view = |x: &Contact| {
            json!({"name": x.name, "email": x.email, "kind": x.kind.key(), "phone": x.phone,
                "title": x.title, "country": x.country, "engaged": x.engaged,
                "survey_eligible": x.survey_eligible, "survey_language": x.survey_language,
                "services": x.services.join(", ")})
        };
        let after = Contact {
            id,
            kind,
            name: c.name.trim().to_string(),
            email: email.to_string(),
            phone: c.phone.trim().to_string(),
            title: c.title.trim().to_string(),
            country,
            engaged: c.engaged,
            survey_eligible: c.survey_eligible,
            survey_language,
            services,
        };
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: Some(&t.tenant_id),
                entity: "contact",
                key: id.to_string(),
                action: "update",
                before: Some(view(&before)),
                after: Some(view(&after)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
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
        self.erase_contact_history(&mut tx, tenant_id, id).await?;
        // What was deleted, without whom (GDPR): the kind of contact only.
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: Some(tenant_id),
                entity: "contact",
                key: id.to_string(),
                action: "delete",
                before: Some(json!({"kind": before.kind.key()})),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a deleted contact's personal data (name, e-mail, phone, title) from the
    /// audit entries about it, in the deleting transaction: a person who is removed is
    /// removed from the history too (GDPR erasure), while the entries still say what
    /// happened and when.
    async fn erase_contact_history(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        tenant_id: &str,
        id: i64,
    ) -> Result<()> {
        let rows = sqlx::query(sql!(
            self,
            "SELECT id, before, after FROM audit_log
             WHERE tenant_id = $1 AND entity = 'contact' AND entity_key = $2",
        ))
        .bind(tenant_id)
        .bind(id.to_string())
        .fetch_all(&mut **tx)
        .await?;
        for r in &rows {
            let entry: i64 = r.try_get("id")?;
            let before: Option<String> = r.try_get("before")?;
            let after: Option<String> = r.try_get("after")?;
            sqlx::query(sql!(
                self,
                "UPDATE audit_log SET before = $1, after = $2 WHERE id = $3",
            ))
            .bind(before.as_deref().map(without_person))
            .bind(after.as_deref().map(without_person))
            .bind(entry)
            .execute(&mut **tx)
            .await?;
        }
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
                    kind: r.key("kind", ContactType::parse)?,
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
}

/// A recorded contact state (JSON) without the person's personal data.
fn without_person(state: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(state) {
        Ok(serde_json::Value::Object(mut o)) => {
            for k in ["name", "email", "phone", "title"] {
                o.remove(k);
            }
            serde_json::Value::Object(o).to_string()
        }
        // Not an object: nothing of it is kept.
        _ => "{}".to_string(),
    }
}
