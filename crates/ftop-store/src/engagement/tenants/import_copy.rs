//! The tenant import's PostgreSQL path: the planned rows go to a scratch table by COPY
//! (`postgres/copy.rs`), then the new tenants are created set-wise in the import's
//! transaction: customers, tenants, service lines, their first status rows, seat history,
//! rollups and audit entries, each one `INSERT ... SELECT` writing what `insert_tenant`
//! writes row by row. Tenants that already exist are left to the generic path, in the same
//! transaction.

use super::Valid;
use super::create::created_after;
use crate::postgres::copy::{CopyText, Stage};
use crate::{Actor, Result, Store};
use ftop_domain::taxonomy::StatusRow;
use sqlx::{Any, Row, Transaction};
use std::collections::HashSet;

/// The scratch table: one row per planned service line, the tenant's audit entry on its
/// first line only.
const STAGE: &str = "ord BIGINT NOT NULL, tenant_id TEXT NOT NULL, name TEXT NOT NULL,
    customer TEXT NOT NULL, service TEXT NOT NULL, entitlements BIGINT NOT NULL,
    qualified BIGINT NOT NULL, audit TEXT";
const COLUMNS: &str = "ord, tenant_id, name, customer, service, entitlements, qualified, audit";

/// What the COPY path did: the scratch table (to drop once the transaction has ended) and
/// the tenants it left to the generic path (None: all of them).
pub(super) struct Copied {
    pub(super) stage: Stage,
    pub(super) existing: Option<HashSet<String>>,
}

/// The values the statements below take, by name.
#[derive(Clone, Copy)]
enum Arg {
    Now,
    PlaybookVersion,
    Today,
    Actor,
    L1,
    L2,
    L3,
    Note,
}

/// The statements that create the staged tenants, in order, each with the values of its
/// `$1`, `$2`, ...; `{t}` is the scratch table.
const CREATE: [(&str, &[Arg]); 9] = [
    (
        "INSERT INTO customers (name, created_at) SELECT customer, $1 FROM {t}
         GROUP BY customer ORDER BY MIN(ord) ON CONFLICT (name) DO NOTHING",
        &[Arg::Now],
    ),
    (
        "INSERT INTO tenants (tenant_id, name, customer_id, playbook_version, created_at, updated_at)
         SELECT s.tenant_id, s.name, c.id, $2, $1, $1 FROM {t} s JOIN customers c ON c.name = s.customer
         WHERE s.audit IS NOT NULL ORDER BY s.ord",
        &[Arg::Now, Arg::PlaybookVersion],
    ),
    (
        "INSERT INTO tenant_services (tenant_id, service, entitlements, qualified, version)
         SELECT tenant_id, service, entitlements, qualified, 1 FROM {t} ORDER BY ord",
        &[],
    ),
    (
        "INSERT INTO entitlement_status (tenant_id, service, position, l1, l2, l3, count, note)
         SELECT tenant_id, service, 0, $1, $2, $3, entitlements, $4 FROM {t}
         WHERE entitlements > 0 ORDER BY ord",
        &[Arg::L1, Arg::L2, Arg::L3, Arg::Note],
    ),
    (
        "INSERT INTO adoption_services (service) SELECT service FROM {t} GROUP BY service
         ORDER BY MIN(ord) ON CONFLICT (service) DO NOTHING",
        &[],
    ),
    (
        "INSERT INTO adoption_tenants (tenant_id) SELECT tenant_id FROM {t}
         WHERE audit IS NOT NULL ORDER BY ord",
        &[],
    ),
    (
        "INSERT INTO seat_history (tkey, svc, effective, qualified)
         SELECT k.tkey, c.svc, $1, s.qualified FROM {t} s
         JOIN adoption_tenants k ON k.tenant_id = s.tenant_id
         JOIN adoption_services c ON c.service = s.service
         ON CONFLICT (tkey, svc, effective) DO UPDATE SET qualified = excluded.qualified",
        &[Arg::Today],
    ),
    // A new service has no figures: its rollup holds its only seats (`seats_only_rollup`).
    (
        "INSERT INTO adoption_rollups (tkey, svc, qualified)
         SELECT k.tkey, c.svc, s.qualified FROM {t} s
         JOIN adoption_tenants k ON k.tenant_id = s.tenant_id
         JOIN adoption_services c ON c.service = s.service
         ON CONFLICT (tkey, svc) DO UPDATE SET qualified = excluded.qualified
         WHERE adoption_rollups.as_of IS NULL",
        &[],
    ),
    (
        "INSERT INTO audit_log (at, actor, tenant_id, entity, entity_key, action, before, after)
         SELECT $1, $2, tenant_id, 'tenant', tenant_id, 'create', NULL, audit FROM {t}
         WHERE audit IS NOT NULL ORDER BY ord",
        &[Arg::Now, Arg::Actor],
    ),
];

impl Store {
    /// Copies the planned tenants (in file order, each with its first line) to a scratch
    /// table on the server at `url` and creates in `tx` those that do not exist yet,
    /// counting them in `report`. When one of their names is taken by a stored tenant,
    /// creates nothing (`existing` None) and leaves the whole file to the generic path,
    /// whose order of changes decides whether the name is free when its turn comes.
    pub(super) async fn import_by_copy(
        &self,
        url: &str,
        tx: &mut Transaction<'_, Any>,
        actor: &Actor,
        tenants: &[&Valid],
        playbook_version: i64,
        report: &mut super::ImportReport,
    ) -> Result<Copied> {
        let mut stage = Stage::create(url, "tenants", STAGE).await?;
        let mut text = CopyText::with_capacity(tenants.len() * 5 * 160);
        let mut ord = 0i64;
        for v in tenants {
            let audit = created_after(v).to_string();
            for (i, (k, total, q)) in v.services.iter().enumerate() {
                text.int(ord)
                    .text(v.id.as_str())
                    .text(&v.name)
                    .text(&v.customer)
                    .text(k)
                    .int(*total)
                    .int(*q)
                    .opt_text((i == 0).then_some(audit.as_str()));
                text.end_row();
                ord += 1;
            }
        }
        stage.copy(COLUMNS, &text).await?;
        drop(text);
        let t = stage.table().to_string();
        let existing: HashSet<String> = sqlx::query(&format!(
            "DELETE FROM {t} s USING tenants x WHERE x.tenant_id = s.tenant_id RETURNING s.tenant_id"
        ))
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<std::result::Result<_, _>>()?;
        let taken = sqlx::query(&format!(
            "SELECT 1 FROM {t} s JOIN tenants x ON x.name = s.name LIMIT 1"
        ))
        .fetch_optional(&mut **tx)
        .await?;
        if taken.is_some() {
            return Ok(Copied {
                stage,
                existing: None,
            });
        }
        let now = crate::now();
        let today = i64::from(crate::adoption::rollups::today_day());
        let first = StatusRow::new_entitlements(1);
        let mut created = 0;
        for (i, (sql, args)) in CREATE.iter().enumerate() {
            let sql = sql.replace("{t}", &t);
            let mut q = sqlx::query(&sql);
            for a in *args {
                q = match a {
                    Arg::Now => q.bind(now.as_str()),
                    Arg::PlaybookVersion => q.bind(playbook_version),
                    Arg::Today => q.bind(today),
                    Arg::Actor => q.bind(actor.name.as_str()),
                    Arg::L1 => q.bind(first.l1.key()),
                    Arg::L2 => q.bind(first.l2.as_deref()),
                    Arg::L3 => q.bind(first.l3.as_deref()),
                    Arg::Note => q.bind(first.note.as_str()),
                };
            }
            let done = q.execute(&mut **tx).await?;
            if i == 2 {
                created = done.rows_affected();
            }
        }
        report.tenants_created += (tenants.len() - existing.len()) as u64;
        report.services_created += created;
        Ok(Copied {
            stage,
            existing: Some(existing),
        })
    }
}

/// The imports run in web handlers, whose futures must be `Send`: checked when compiling
/// (a connection borrowed the wrong way across an `await` breaks it).
#[allow(dead_code)]
fn imports_are_send(s: &Store, a: &Actor, rows: &[super::ImportRow]) {
    fn is_send<T: Send>(_: T) {}
    is_send(s.import_tenants(a, rows, &|_| {}));
    is_send(s.usage_import(a, false));
}
