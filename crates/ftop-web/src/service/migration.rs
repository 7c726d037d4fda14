//! The data migration decision of a tenant's services eligible for migration, for the
//! Services tab and `/api/v1/tenants/{id}/services/{service}/migration`, and the playbook
//! tasks that come before a migration, with their status on the tenant.
//!
//! Who may change it: everyone who may change the tenant's services (the shared tenant
//! rule, [`access::tenant`]): the FastTrack managers, engineers and partner people assigned
//! to the tenant, and administrators. The migration SME who sets a row's status is one of
//! them (an engineer or a partner engineer assigned to the tenant); the specification does
//! not reserve the decision to a role, unlike the engagement scenario. Everyone who sees
//! the tenant reads it.

use crate::App;
use crate::auth::Viewer;
use crate::error::AppError;
use crate::service::access::{self, Need};
use ftop_domain::migration::{Decision, TypeRow};
use ftop_domain::{FieldError, MigrationRejection, MigrationStatus, MigrationType, TaskStatus};
use ftop_store::{Migration, TaskView};
use std::collections::HashMap;

/// The data migration of a service of a tenant `v` can see.
pub(crate) async fn read(
    app: &App,
    v: &Viewer,
    id: &str,
    service: &str,
) -> Result<Migration, AppError> {
    let t = super::tenants::visible(app, v, id).await?;
    Ok(app.store.migration(&t.tenant.tenant_id, service).await?)
}

/// Replaces the data migration decision of a service (those who may change the tenant,
/// with the session's CSRF token when signed in with a cookie): who may, before what is
/// asked.
pub(crate) async fn change(
    app: &App,
    v: &Viewer,
    (id, service): (&str, &str),
    csrf: Option<&str>,
    version: i64,
    d: &Decision,
) -> Result<Migration, AppError> {
    access::tenant(app, v, id, Need::Write, csrf).await?;
    Ok(app
        .store
        .set_migration(&ftop_store::Actor::user(&v.user), id, service, version, d)
        .await?)
}

/// A migration type row as typed (a form's inputs, or the API's values as text).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RowText {
    pub(crate) migration_type: String,
    pub(crate) entitlements: String,
    pub(crate) estimated_date: String,
    pub(crate) note: String,
    pub(crate) data_size_gb: String,
    pub(crate) status: String,
}

impl RowText {
    /// Nothing typed (the status alone, which has a default, does not count).
    pub(crate) fn is_blank(&self) -> bool {
        [
            &self.migration_type,
            &self.entitlements,
            &self.estimated_date,
            &self.note,
            &self.data_size_gb,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }

    /// A stored row as text.
    pub(crate) fn of(r: &TypeRow) -> RowText {
        RowText {
            migration_type: r.migration_type.key().to_string(),
            entitlements: r.entitlements.to_string(),
            estimated_date: r.estimated_date.map(|d| d.to_string()).unwrap_or_default(),
            note: r.note.clone(),
            data_size_gb: r.data_size_gb.map(|g| g.to_string()).unwrap_or_default(),
            status: r.status.key().to_string(),
        }
    }
}

/// A decision as typed.
#[derive(Debug, Clone, Default)]
pub(crate) struct DecisionText {
    /// Yes or no; None when neither was chosen.
    pub(crate) performing: Option<bool>,
    pub(crate) desired_start: String,
    pub(crate) desired_end: String,
    pub(crate) rejection_reason: String,
    pub(crate) notes: String,
    pub(crate) types: Vec<RowText>,
}

/// The decision typed, or every field that cannot be read; blank rows are left out, so the
/// decision's row `k` is the typed row `places[k]` (the store's errors name `types[k]`).
pub(crate) fn parse(t: &DecisionText) -> Result<(Decision, Vec<usize>), Vec<FieldError>> {
    let mut bad = Vec::new();
    let mut date = |field: String, s: &str| {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        time::Date::parse(s, &fmt)
            .map_err(|_| bad.push(FieldError::of(field, "invalid-date").quoting("value", s)))
            .ok()
    };
    let desired_start = date("desired_start".into(), &t.desired_start);
    let desired_end = date("desired_end".into(), &t.desired_end);
    let mut types = Vec::new();
    let mut places = Vec::new();
    let mut row_errors = Vec::new();
    for (i, r) in t.types.iter().enumerate().filter(|(_, r)| !r.is_blank()) {
        let estimated_date = date(format!("types[{i}].estimated_date"), &r.estimated_date);
        let field = |name: &str| format!("types[{i}].{name}");
        let migration_type = MigrationType::parse(&r.migration_type);
        if migration_type.is_none() {
            row_errors.push(
                FieldError::of(field("migration_type"), "invalid-choice")
                    .quoting("value", r.migration_type.trim()),
            );
        }
        let status = match r.status.trim() {
            "" => Some(MigrationStatus::NotStarted),
            s => MigrationStatus::parse(s),
        };
        if status.is_none() {
            row_errors.push(
                FieldError::of(field("status"), "invalid-choice").quoting("value", r.status.trim()),
            );
        }
        let entitlements = r.entitlements.trim().parse::<u64>();
        if entitlements.is_err() {
            row_errors.push(
                FieldError::of(field("entitlements"), "invalid-count-whole")
                    .quoting("value", r.entitlements.trim()),
            );
        }
        let data_size_gb = match r.data_size_gb.trim() {
            "" => Ok(None),
            s => s.parse::<u64>().map(Some),
        };
        if data_size_gb.is_err() {
            row_errors.push(
                FieldError::of(field("data_size_gb"), "invalid-migration-size-whole")
                    .quoting("value", r.data_size_gb.trim()),
            );
        }
        if let (Some(migration_type), Some(status), Ok(entitlements), Ok(data_size_gb)) =
            (migration_type, status, entitlements, data_size_gb)
        {
            places.push(i);
            types.push(TypeRow {
                migration_type,
                entitlements,
                estimated_date,
                note: r.note.trim().to_string(),
                data_size_gb,
                status,
            });
        }
    }
    bad.extend(row_errors);
    let rejection_reason = match t.rejection_reason.trim() {
        "" => None,
        s => {
            let r = MigrationRejection::parse(s);
            if r.is_none() {
                bad.push(FieldError::of("rejection_reason", "invalid-choice").quoting("value", s));
            }
            r
        }
    };
    let Some(performing) = t.performing else {
        bad.insert(
            0,
            FieldError::of("performing", "invalid-migration-performing-choose"),
        );
        return Err(bad);
    };
    if !bad.is_empty() {
        return Err(bad);
    }
    Ok((
        Decision {
            performing,
            desired_start,
            desired_end,
            rejection_reason,
            notes: t.notes.trim().to_string(),
            types,
        },
        places,
    ))
}

/// The store's field errors with its row numbers (`types[k]`, the rows it was given) turned
/// into the typed rows' (`places[k]`).
pub(crate) fn in_typed_rows(mut fields: Vec<FieldError>, places: &[usize]) -> Vec<FieldError> {
    for f in &mut fields {
        if let Some((k, rest)) = f
            .field
            .strip_prefix("types[")
            .and_then(|r| r.split_once(']'))
            .and_then(|(k, rest)| Some((k.parse::<usize>().ok()?, rest.to_string())))
            && let Some(p) = places.get(k)
        {
            f.field = format!("types[{p}]{rest}");
        }
    }
    fields
}

/// A playbook task that comes before a migration, as the tenant has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Prerequisite {
    /// Task ID.
    pub(crate) task: u32,
    /// The task's name in the reader's language.
    pub(crate) name: String,
    /// The service the tenant's task belongs to ("" for a tenant-wide task): the task
    /// page's `?service=`. None when the tenant's playbook lacks the task.
    pub(crate) service: Option<String>,
    /// Its status on the tenant.
    pub(crate) status: Option<TaskStatus>,
}

/// The tasks that come before migrating `service` ([`ftop_domain::migration::prerequisites`])
/// among the tenant's `tasks`: the service's own task when there is one, else the
/// tenant-wide one, else any; named from `names` (the reader's language) when it has them.
pub(crate) fn prerequisites(
    service: &str,
    tasks: &[TaskView],
    names: &HashMap<u32, String>,
) -> Vec<Prerequisite> {
    ftop_domain::migration::prerequisites(service)
        .iter()
        .map(|&id| {
            let of = |s: Option<&str>| {
                tasks
                    .iter()
                    .find(|t| t.task_id == id && s.is_none_or(|s| t.service == s))
            };
            let found = of(Some(service))
                .or_else(|| of(Some("")))
                .or_else(|| of(None));
            Prerequisite {
                task: id,
                name: names
                    .get(&id)
                    .cloned()
                    .or_else(|| found.map(|t| t.name.clone()))
                    .unwrap_or_default(),
                service: found.map(|t| t.service.clone()),
                status: found.map(|t| t.status),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn row(t: &str, n: &str) -> RowText {
        RowText {
            migration_type: t.into(),
            entitlements: n.into(),
            ..RowText::default()
        }
    }

    #[test]
    fn typed_rows_are_read_and_their_errors_name_the_typed_place() {
        let t = DecisionText {
            performing: Some(true),
            desired_start: "2026-13-01".into(),
            types: vec![
                row("mig-exhybrid", "10"),
                RowText {
                    status: "in-progress".into(),
                    ..RowText::default()
                },
                row("Mig-GmailStaged", "x"),
                RowText {
                    data_size_gb: "1.5".into(),
                    ..row("nope", "3")
                },
            ],
            ..DecisionText::default()
        };
        let bad = parse(&t).unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "desired_start",
                "types[2].entitlements",
                "types[3].migration_type",
                "types[3].data_size_gb"
            ]
        );
        let ok = DecisionText {
            desired_start: String::new(),
            types: vec![
                row("mig-exhybrid", "10"),
                RowText::default(),
                row("Mig-IMAP", "5"),
            ],
            ..t
        };
        let (d, places) = parse(&ok).unwrap();
        assert_eq!(places, [0, 2]);
        assert_eq!(d.types[1].migration_type, MigrationType::Imap);
        assert_eq!(d.types[1].status, MigrationStatus::NotStarted);
        let moved = in_typed_rows(
            vec![FieldError::of("types[1].entitlements", "invalid-row-empty")],
            &places,
        );
        assert_eq!(moved[0].field, "types[2].entitlements");
        // Neither yes nor no: named first.
        let none = parse(&DecisionText::default()).unwrap_err();
        assert_eq!(none[0].field, "performing");
    }
}
