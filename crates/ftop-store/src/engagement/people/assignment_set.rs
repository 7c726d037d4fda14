//! Replacing a tenant's whole set of assignments at once (the Assignments panel and
//! `PUT /api/v1/tenants/{id}/assignments`), in two steps so that the caller can check the
//! changes before they are made: [`Store::plan_assignments`] validates the wanted set and
//! tells what would change, [`Store::apply_assignments`] makes those changes in one
//! transaction, one audit entry per assignment added, removed or made (no longer) primary.
//!
//! Rules: every user exists and is active; FastTrack roles take FastTrack staff
//! (administrators, managers, engineers), partner roles (`p-rm`, `p-fm`, `p-fe`) take
//! partner users of an organisation attached to the tenant; a service-level assignment
//! names a service the tenant holds; a person holds a role at one level once; each role at
//! each level has exactly one primary (the first listed when none is marked).

use super::assignments::{Assignment, entitled_service};
use crate::audit::Change;
use crate::{Actor, Result, Store, User};
use ftop_domain::{AssignmentRole, Errors, FieldError, UserRole};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

/// One assignment of the wanted set, as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentSpec {
    /// User name.
    pub user: String,
    /// Role key (`fm`, `p-fe`, ...).
    pub role: String,
    /// Service (name or key), or "" for the whole tenant.
    pub service: String,
    /// Marked as the primary of its role and level.
    pub primary: bool,
}

/// What replacing the set changes.
#[derive(Debug, Clone, Default)]
pub struct AssignmentPlan {
    /// The tenant.
    pub tenant_id: String,
    /// The set after the change, normalised (service keys, one primary per role and level).
    pub wanted: Vec<Assignment>,
    /// Assignments that are new.
    pub added: Vec<Assignment>,
    /// Assignments that go.
    pub removed: Vec<Assignment>,
    /// Assignments that stay but become primary or stop being it (with the new value).
    pub primary_changed: Vec<Assignment>,
}

impl AssignmentPlan {
    /// Every assignment the change touches.
    pub fn changes(&self) -> impl Iterator<Item = &Assignment> {
        self.added
            .iter()
            .chain(&self.removed)
            .chain(&self.primary_changed)
    }
}

/// Whether a role is one of a partner organisation's.
pub fn is_partner_role(role: AssignmentRole) -> bool {
    role.key().starts_with("p-")
}

/// Whether `user` may hold `role` on a tenant with the partner organisations `partners`:
/// FastTrack roles take FastTrack staff (administrators, managers, engineers), partner
/// roles the users of an organisation on the tenant.
pub(crate) fn fits(user: &User, role: AssignmentRole, partners: &BTreeSet<String>) -> bool {
    if is_partner_role(role) {
        user.role == UserRole::Partner
            && user.partner.as_ref().is_some_and(|p| partners.contains(p))
    } else {
        matches!(
            user.role,
            UserRole::Admin | UserRole::Manager | UserRole::Engineer
        )
    }
}

type Key = (i64, AssignmentRole, String);

fn key(a: &Assignment) -> Key {
    (a.user_id, a.role, a.service.clone())
}

impl Store {
    /// Checks `wanted` as tenant `tenant_id`'s new set of assignments and tells what would
    /// change; every problem at once, as field errors on `assignments[i].field`.
    pub async fn plan_assignments(
        &self,
        tenant_id: &str,
        wanted: &[AssignmentSpec],
    ) -> Result<AssignmentPlan> {
        let t = self.tenant(tenant_id).await?;
        let partners: BTreeSet<String> = self
            .tenant_partners(&t.tenant_id)
            .await?
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        let current = self.assignments(&t.tenant_id).await?;
        let mut e = Errors::default();
        let mut out: Vec<Assignment> = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, s) in wanted.iter().enumerate() {
            let at = |f: &str| format!("assignments[{i}].{f}");
            let role = AssignmentRole::ALL
                .iter()
                .copied()
                .find(|r| r.key() == s.role);
            if role.is_none() {
                e.push(
                    FieldError::of(at("role"), "invalid-assignment-role").quoting("value", &s.role),
                );
            }
            let service = match entitled_service(&t, &s.service) {
                Ok(k) => Some(k),
                Err(crate::StoreError::Invalid(inv)) => {
                    e.extend(&format!("assignments[{i}]."), inv);
                    None
                }
                Err(other) => return Err(other),
            };
            // Enabled or not: an assignment kept as it is stays even when its person was
            // deactivated or moved since; only new ones are checked.
            let user = self.user_any(&s.user).await?;
            let Some(user) = user else {
                e.push(
                    FieldError::of(at("user"), "invalid-user-unknown").quoting("value", &s.user),
                );
                continue;
            };
            let (Some(role), Some(service)) = (role, service) else {
                continue;
            };
            let kept = current
                .iter()
                .any(|a| a.user_id == user.id && a.role == role && a.service == service);
            if !kept && self.user_by_name(&user.name).await?.is_none() {
                e.push(
                    FieldError::of(at("user"), "invalid-user-inactive")
                        .quoting("value", &user.name),
                );
                continue;
            }
            if !kept && !fits(&user, role, &partners) {
                e.push(
                    FieldError::of(at("user"), "invalid-assignment-user-role")
                        .quoting("value", &user.name)
                        .with("role", role.key()),
                );
                continue;
            }
            if !seen.insert((user.id, role, service.clone())) {
                e.push(
                    FieldError::of(at("user"), "invalid-assignment-twice")
                        .quoting("value", &user.name),
                );
                continue;
            }
            out.push(Assignment {
                user_id: user.id,
                user: user.name,
                role,
                service,
                primary: s.primary,
            });
        }
        // One primary per role and level: two marked is an error; none, the first listed.
        let mut groups: BTreeMap<(AssignmentRole, String), Vec<usize>> = BTreeMap::new();
        for (i, a) in out.iter().enumerate() {
            groups
                .entry((a.role, a.service.clone()))
                .or_default()
                .push(i);
        }
        for ((role, service), members) in &groups {
            let marked = members.iter().filter(|&&i| out[i].primary).count();
            if marked > 1 {
                e.push(
                    FieldError::of("assignments", "invalid-assignment-primary-twice")
                        .with("role", role.key())
                        .with(
                            "service",
                            if service.is_empty() {
                                "none".to_string()
                            } else {
                                service.clone()
                            },
                        ),
                );
            } else if marked == 0 {
                out[members[0]].primary = true;
            }
        }
        e.finish()?;
        let now: BTreeMap<Key, &Assignment> = current.iter().map(|a| (key(a), a)).collect();
        let next: BTreeMap<Key, &Assignment> = out.iter().map(|a| (key(a), a)).collect();
        let mut plan = AssignmentPlan {
            tenant_id: t.tenant_id.clone(),
            ..Default::default()
        };
        for a in &out {
            match now.get(&key(a)) {
                None => plan.added.push(a.clone()),
                Some(c) if c.primary != a.primary => plan.primary_changed.push(a.clone()),
                Some(_) => {}
            }
        }
        plan.removed = current
            .iter()
            .filter(|a| !next.contains_key(&key(a)))
            .cloned()
            .collect();
        plan.wanted = out;
        Ok(plan)
    }

    /// Makes the changes of a plan in one transaction, audited one by one.
    pub async fn apply_assignments(
        &self,
        actor: &Actor,
        plan: &AssignmentPlan,
    ) -> Result<Vec<Assignment>> {
        let tenant = plan.tenant_id.as_str();
        let mut tx = self.pools.write.begin().await?;
        for a in &plan.removed {
            sqlx::query(sql!(self,
                "DELETE FROM assignments WHERE tenant_id = $1 AND user_id = $2 AND role = $3 AND service = $4",
            ))
            .bind(tenant)
            .bind(a.user_id)
            .bind(a.role.key())
            .bind(&a.service)
            .execute(&mut *tx)
            .await?;
        }
        // Primaries step down before others step up (one primary per role and level).
        let demoted = plan.primary_changed.iter().filter(|a| !a.primary);
        for a in demoted {
            self.set_primary(&mut tx, tenant, a, false).await?;
        }
        for a in &plan.added {
            sqlx::query(sql!(
                self,
                "INSERT INTO assignments (tenant_id, user_id, role, service, is_primary, created_at)
                 VALUES ($1, $2, $3, $4, 0, $5)",
            ))
            .bind(tenant)
            .bind(a.user_id)
            .bind(a.role.key())
            .bind(&a.service)
            .bind(crate::now())
            .execute(&mut *tx)
            .await?;
        }
        let promoted = plan
            .primary_changed
            .iter()
            .chain(&plan.added)
            .filter(|a| a.primary);
        for a in promoted {
            self.set_primary(&mut tx, tenant, a, true).await?;
        }
        for (a, action) in plan
            .added
            .iter()
            .map(|a| (a, "create"))
            .chain(plan.removed.iter().map(|a| (a, "delete")))
            .chain(plan.primary_changed.iter().map(|a| (a, "update")))
        {
            let value = json!({"user": a.user, "role": a.role.key(), "service": a.service, "primary": a.primary});
            let (before, after) = match action {
                "delete" => (Some(value), None),
                _ => (None, Some(value)),
            };
            let change = Change {
                tenant: Some(tenant),
                entity: "assignment",
                key: format!("{tenant}/{}/{}/{}", a.user, a.role.key(), a.service),
                action,
                before,
                after,
            };
            self.audit(&mut tx, actor, change).await?;
        }
        tx.commit().await?;
        self.assignments(tenant).await
    }

    async fn set_primary(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        tenant: &str,
        a: &Assignment,
        primary: bool,
    ) -> Result<()> {
        sqlx::query(sql!(self,
            "UPDATE assignments SET is_primary = $5 WHERE tenant_id = $1 AND user_id = $2 AND role = $3 AND service = $4",
        ))
        .bind(tenant)
        .bind(a.user_id)
        .bind(a.role.key())
        .bind(&a.service)
        .bind(i64::from(primary))
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}
