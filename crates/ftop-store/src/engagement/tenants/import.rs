//! The tenant import: rows (one per tenant and service) checked all first, any error
//! refusing the whole file, then applied in one transaction; importing the same rows
//! again changes nothing.
//!
//! Steps: [`check_rows`] turns the rows into an [`ImportPlan`] (or every error found);
//! [`Store::import_tenants`] then applies each planned tenant with
//! [`Store::import_tenant`], which creates it or brings an existing one in line
//! ([`Store::rename_imported`] for its name and customer, `apply_service` for each line).

use super::{ImportReport, ImportRow, Valid, check_seats};
use crate::audit::Change;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::{Errors, FieldError, Invalid, TenantId, tenant_name};
use serde_json::json;
use sqlx::{Any, Row, Transaction};
use std::collections::BTreeMap;

/// The checked rows: each tenant once (with the line it first appears on), in file order.
struct ImportPlan {
    tenants: BTreeMap<String, (Valid, u64)>,
    order: Vec<String>,
}

/// Checks every row and the file as a whole; all errors at once, each named by line.
fn check_rows(rows: &[ImportRow]) -> std::result::Result<ImportPlan, Invalid> {
    let mut e = Errors::default();
    let mut plan = ImportPlan {
        tenants: BTreeMap::new(),
        order: Vec::new(),
    };
    for r in rows {
        if let Some(tenant) = check_row(&mut e, r) {
            plan_row(&mut e, &mut plan, tenant, r.line);
        }
    }
    check_unique_names(&mut e, &plan);
    e.finish()?;
    Ok(plan)
}

/// One row as a tenant with its one service line, or None (errors added) when invalid.
fn check_row(e: &mut Errors, r: &ImportRow) -> Option<Valid> {
    let at = format!("line {}: ", r.line);
    let mut fields = |x: Invalid| e.extend(&at, x);
    let id = TenantId::parse(&r.tenant_id).map_err(&mut fields).ok();
    let name = tenant_name(&r.tenant_name).map_err(&mut fields).ok();
    let customer = r.customer.trim().to_string();
    if customer.is_empty() {
        e.push(FieldError::of(
            format!("{at}customer"),
            "invalid-customer-required",
        ));
    } else {
        ftop_domain::limits::check(
            e,
            &format!("{at}customer"),
            &customer,
            ftop_domain::limits::CUSTOMER,
        );
    }
    let total = match r.entitlements.trim().parse::<i64>() {
        Ok(n) if n >= 0 => Some(n),
        _ => {
            e.push(
                FieldError::of(format!("{at}entitlements"), "invalid-seats-number")
                    .quoting("value", &r.entitlements),
            );
            None
        }
    };
    let qualified = match r.qualified.trim() {
        "" => Some(None),
        q => match q.parse::<i64>() {
            Ok(n) => Some(Some(n)),
            Err(_) => {
                e.push(
                    FieldError::of(format!("{at}qualified_entitlements"), "invalid-seats-whole")
                        .quoting("value", q),
                );
                None
            }
        },
    };
    let seats = match (total, qualified) {
        (Some(t), Some(q)) => check_seats(e, &at, &r.service, t, q),
        _ => None,
    };
    Some(Valid {
        id: id?,
        name: name?,
        customer,
        services: vec![seats?],
    })
}

/// Adds a checked row to the plan: a new tenant, or one more service line of a tenant
/// seen before (with the same name and customer, and not the same service twice).
fn plan_row(e: &mut Errors, plan: &mut ImportPlan, row: Valid, line: u64) {
    let at = format!("line {line}: ");
    let Valid {
        id,
        name,
        customer,
        services,
    } = row;
    match plan.tenants.get_mut(id.as_str()) {
        Some((v, first)) => {
            if v.name != name || v.customer != customer {
                e.push(
                    FieldError::of(format!("{at}tenant_name"), "invalid-import-conflict")
                        .with("tenant", id.to_string())
                        .with("line", first.to_string()),
                );
            }
            for seats in services {
                if v.services.iter().any(|(k, _, _)| *k == seats.0) {
                    e.push(
                        FieldError::of(format!("{at}service"), "invalid-import-service-twice")
                            .with("service", seats.0.to_string())
                            .with("tenant", id.to_string()),
                    );
                }
                v.services.push(seats);
            }
        }
        None => {
            plan.order.push(id.to_string());
            plan.tenants.insert(
                id.to_string(),
                (
                    Valid {
                        id,
                        name,
                        customer,
                        services,
                    },
                    line,
                ),
            );
        }
    }
}

/// Two tenant IDs of the file may not share one name.
fn check_unique_names(e: &mut Errors, plan: &ImportPlan) {
    let mut names: BTreeMap<&str, &str> = BTreeMap::new();
    for (id, (v, line)) in &plan.tenants {
        if let Some(other) = names.insert(&v.name, id) {
            e.push(
                FieldError::of(
                    format!("line {line}: tenant_name"),
                    "invalid-tenant-name-in-file",
                )
                .quoting("value", &v.name)
                .with("tenant", other.to_string()),
            );
        }
    }
}

impl Store {
    /// Imports tenant rows (one per tenant and service) all or nothing: every row is checked
    /// first and any error refuses the whole file; then one transaction applies it.
    /// Importing the same rows again changes nothing. `progress` is told rows applied.
    pub async fn import_tenants(
        &self,
        actor: &Actor,
        rows: &[ImportRow],
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<ImportReport> {
        let plan = check_rows(rows)?;
        let mut report = ImportReport {
            rows: rows.len() as u64,
            ..ImportReport::default()
        };
        let pv = self.current_version();
        let mut tx = self.pools.write.begin().await?;
        // The rollup writers' turn before any tenant's row is locked: existing tenants'
        // lines take it (`apply_service`), and the triggers of new lines lock tenants.
        self.take_rollup_turn(&mut tx).await?;
        let mut done = 0u64;
        // PostgreSQL: new tenants by COPY, the others (None: all) on the generic path.
        let mut copied = None;
        if let Some(url) = &self.pg_url {
            let tenants: Vec<&Valid> = plan
                .order
                .iter()
                .filter_map(|id| plan.tenants.get(id).map(|(v, _)| v))
                .collect();
            let c = self
                .import_by_copy(&url.0, &mut tx, actor, &tenants, pv, &mut report)
                .await?;
            if let Some(existing) = &c.existing {
                done = tenants
                    .iter()
                    .filter(|v| !existing.contains(v.id.as_str()))
                    .map(|v| v.services.len() as u64)
                    .sum();
                progress(done);
            }
            copied = Some(c);
        }
        let left = copied.as_ref().and_then(|c| c.existing.as_ref());
        for id in &plan.order {
            let Some((v, line)) = plan.tenants.get(id) else {
                continue;
            };
            if left.is_some_and(|ids| !ids.contains(id)) {
                continue;
            }
            self.import_tenant(&mut tx, actor, (v, *line), pv, &mut report)
                .await?;
            done += v.services.len() as u64;
            progress(done);
        }
        tx.commit().await?;
        if let Some(c) = copied
            && let Err(e) = c.stage.finish().await
        {
            tracing::warn!(error = %e, "the import's scratch table was not dropped");
        }
        Ok(report)
    }

    /// Applies one planned tenant (with its first line): creates it at the current
    /// playbook version, or brings the stored one in line with the
    /// file (name, customer, each service line), counting what changed.
    async fn import_tenant(
        &self,
        tx: &mut Transaction<'_, Any>,
        actor: &Actor,
        (v, line): (&Valid, u64),
        playbook_version: i64,
        report: &mut ImportReport,
    ) -> Result<()> {
        let existing = sqlx::query(sql!(self,
            "SELECT t.name, c.name AS customer FROM tenants t JOIN customers c ON c.id = t.customer_id
             WHERE t.tenant_id = $1",
        ))
        .bind(v.id.as_str())
        .fetch_optional(&mut **tx)
        .await?;
        let Some(r) = existing else {
            let name_taken = sqlx::query(sql!(self, "SELECT 1 FROM tenants WHERE name = $1"))
                .bind(&v.name)
                .fetch_optional(&mut **tx)
                .await?
                .is_some();
            if name_taken {
                return Err(Invalid::from(
                    FieldError::of(
                        format!("line {line}: tenant_name"),
                        "invalid-tenant-name-taken-other",
                    )
                    .quoting("value", &v.name),
                )
                .into());
            }
            self.insert_tenant(tx, actor, v, playbook_version, true)
                .await
                .map_err(|err| at_line(err, line))?;
            report.tenants_created += 1;
            report.services_created += v.services.len() as u64;
            return Ok(());
        };
        let (name, customer): (String, String) = (r.try_get(0)?, r.try_get(1)?);
        if name != v.name || customer != v.customer {
            self.rename_tenant(tx, actor, v, &format!("line {line}: "), (name, customer))
                .await?;
            report.tenants_updated += 1;
        }
        for (k, t, q) in &v.services {
            match self
                .apply_service(tx, actor, v.id.as_str(), k, *t, *q)
                .await?
            {
                0 => report.unchanged += 1,
                1 => report.services_created += 1,
                _ => report.services_updated += 1,
            }
        }
        Ok(())
    }

    /// Gives an existing tenant a new name and customer (`before`: the stored ones), unless
    /// another tenant has that name (a field error, its name after `prefix`). Audited.
    pub(super) async fn rename_tenant(
        &self,
        tx: &mut Transaction<'_, Any>,
        actor: &Actor,
        v: &Valid,
        prefix: &str,
        before: (String, String),
    ) -> Result<()> {
        let taken = sqlx::query(sql!(
            self,
            "SELECT tenant_id FROM tenants WHERE name = $1 AND tenant_id <> $2",
        ))
        .bind(&v.name)
        .bind(v.id.as_str())
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(t) = taken {
            let other: String = t.try_get(0)?;
            return Err(Invalid::from(
                FieldError::of(format!("{prefix}tenant_name"), "invalid-tenant-name-taken")
                    .quoting("value", &v.name)
                    .with("tenant", other.to_string()),
            )
            .into());
        }
        let cid = self.customer_id(tx, &v.customer).await?;
        sqlx::query(sql!(
            self,
            "UPDATE tenants SET name = $1, customer_id = $2, version = version + 1, updated_at = $3
             WHERE tenant_id = $4",
        ))
        .bind(&v.name)
        .bind(cid)
        .bind(crate::now())
        .bind(v.id.as_str())
        .execute(&mut **tx)
        .await?;
        let (name, customer) = before;
        self.audit(
            tx,
            actor,
            Change {
                tenant: Some(v.id.as_str()),
                entity: "tenant",
                key: v.id.to_string(),
                action: "update",
                before: Some(json!({"name": name, "customer": customer})),
                after: Some(json!({"name": v.name, "customer": v.customer})),
            },
        )
        .await?;
        Ok(())
    }
}

fn at_line(err: StoreError, line: u64) -> StoreError {
    match err {
        StoreError::Invalid(Invalid(fields)) => StoreError::Invalid(Invalid(
            fields
                .into_iter()
                .map(|f| f.prefixed(&format!("line {line}: ")))
                .collect(),
        )),
        other => other,
    }
}
