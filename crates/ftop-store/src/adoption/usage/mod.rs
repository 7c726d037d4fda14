//! Usage figures: the streaming import (`ftop usage import`) and the series behind trend
//! charts.
//!
//! An import runs in one transaction. Rows are checked against tenants and services held
//! in memory (loaded once), buffered, sorted and written in multi-row upserts; a figure
//! replaces the figure of the same tenant, service and date, so importing a file again
//! changes nothing and late or out-of-order rows are simply written. When the rows are in,
//! the rollups of the touched tenants are rebuilt in the same transaction. Without
//! `skip_invalid` any bad row refuses the whole file.

mod copy;
mod fast;
mod series;
mod write;

use crate::adoption::rollups::key_ranges;
use crate::audit::Change;
use crate::sqlite::usage_writer::Figure;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::adoption::{Day, parse_day};
use ftop_domain::catalogue::service as find_service;
use ftop_domain::{FieldError, Invalid, TenantId};
use serde::Serialize;
use serde_json::json;
use sqlx::{Any, Row, Transaction};
use std::collections::{HashMap, HashSet};

use fast::{Fast, Msg, joined};
pub use series::UsagePoint;

/// Rows buffered before they are sorted and written.
const BUFFER_ROWS: usize = 20_000;

/// Page cache of the writer connection during an import (256 MiB), and after it.
const SQLITE_IMPORT_CACHE: &str = "PRAGMA cache_size = -262144";
const SQLITE_DEFAULT_CACHE: &str = "PRAGMA cache_size = -2000";

/// Field errors kept for the report of a refused file.
const MAX_ERRORS: usize = 100;

/// What a usage import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UsageReport {
    /// Data rows read.
    pub rows: u64,
    /// Valid rows written (new, replaced or unchanged).
    pub imported: u64,
    /// Figures that are new or whose value changed.
    pub changed: u64,
    /// Rows refused (with `skip_invalid`, left out; else the file was refused).
    pub rejected: u64,
    /// Tenants whose figures were written.
    pub tenants: u64,
}

/// A refused row: its line, its four fields as read and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsageRejected {
    /// Line in the file.
    pub line: u64,
    /// `tenant_id`, `service`, `date`, `active_users` as read.
    pub fields: [String; 4],
    /// Why, one sentence per problem.
    pub reason: String,
}

/// An import in progress: feed rows with [`UsageImport::push`], then
/// [`UsageImport::finish`]. Dropped without `finish`, nothing is written.
pub struct UsageImport {
    store: Store,
    tx: Option<Transaction<'static, Any>>,
    fast: Option<Fast>,
    actor: Actor,
    skip_invalid: bool,
    tenants: HashMap<Vec<u8>, i64>,
    services: HashMap<String, i64>,
    service_names: Vec<(Vec<u8>, Option<i64>)>,
    last_tenant: Option<(Vec<u8>, i64)>,
    seats: HashMap<(i64, i64), Vec<(Day, i64)>>,
    seats_loaded: HashSet<i64>,
    buffer: Vec<Figure>,
    touched: HashSet<i64>,
    errors: Vec<FieldError>,
    report: UsageReport,
    /// PostgreSQL: the scratch table the figures are copied to (`copy.rs`).
    staged: Option<copy::Staged>,
}

impl std::fmt::Debug for UsageImport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UsageImport")
            .field("report", &self.report)
            .finish_non_exhaustive()
    }
}

fn count_of(s: &[u8]) -> std::result::Result<i64, String> {
    let t = s.trim_ascii();
    let shown = || String::from_utf8_lossy(t).into_owned();
    if t.first() == Some(&b'-') && t.len() > 1 && t[1..].iter().all(u8::is_ascii_digit) {
        return Err(format!("active_users: `{}` is negative", shown()));
    }
    if t.is_empty() || !t.iter().all(u8::is_ascii_digit) {
        return Err(format!(
            "active_users: `{}` is not a whole number of users",
            shown()
        ));
    }
    match std::str::from_utf8(t)
        .ok()
        .and_then(|x| x.parse::<i64>().ok())
    {
        Some(n) if n <= i64::from(i32::MAX) => Ok(n),
        _ => Err(format!("active_users: `{}` is too large", shown())),
    }
}

impl Store {
    /// Starts an import of usage figures. With `skip_invalid`, bad rows are left out
    /// (and returned by `push`); without, any bad row refuses the whole file at `finish`.
    pub async fn usage_import(&self, actor: &Actor, skip_invalid: bool) -> Result<UsageImport> {
        if self.backend() == crate::Backend::Sqlite
            && let Some(imp) = self.usage_import_fast(actor, skip_invalid).await?
        {
            return Ok(imp);
        }
        let mut tx = self.pools.write.begin().await?;
        if self.backend() == crate::Backend::Sqlite {
            // A large import touches pages all over the usage table: a bigger page cache
            // for this connection (set back in `finish`) saves re-reading them.
            sqlx::query(SQLITE_IMPORT_CACHE).execute(&mut *tx).await?;
        }
        let services = self.ensure_keys(&mut tx).await?.into_iter().collect();
        let tenants = tenant_keys(&mut tx).await?;
        let mut imp = UsageImport::new(self, actor, skip_invalid, tenants, services);
        imp.staged = self.usage_stage().await?;
        imp.tx = Some(tx);
        Ok(imp)
    }
}

/// Tenant IDs (as bytes, the way rows are read) and their keys.
async fn tenant_keys(c: &mut sqlx::AnyConnection) -> Result<HashMap<Vec<u8>, i64>> {
    let rows = sqlx::query("SELECT tkey, tenant_id FROM adoption_tenants")
        .fetch_all(c)
        .await?;
    let mut tenants = HashMap::with_capacity(rows.len());
    for r in &rows {
        let id: String = r.try_get(1)?;
        tenants.insert(id.into_bytes(), r.try_get::<i64, _>(0)?);
    }
    Ok(tenants)
}

impl UsageImport {
    /// An import with nothing read yet, writing through neither path (the caller sets
    /// `tx` or `fast`).
    fn new(
        store: &Store,
        actor: &Actor,
        skip_invalid: bool,
        tenants: HashMap<Vec<u8>, i64>,
        services: HashMap<String, i64>,
    ) -> UsageImport {
        UsageImport {
            store: store.clone(),
            tx: None,
            fast: None,
            actor: actor.clone(),
            skip_invalid,
            tenants,
            services,
            service_names: Vec::new(),
            last_tenant: None,
            seats: HashMap::new(),
            seats_loaded: HashSet::new(),
            buffer: Vec::with_capacity(BUFFER_ROWS),
            touched: HashSet::new(),
            errors: Vec::new(),
            report: UsageReport::default(),
            staged: None,
        }
    }
}

impl UsageImport {
    fn tenant(&mut self, raw: &[u8]) -> std::result::Result<i64, String> {
        let raw = raw.trim_ascii();
        if let Some((b, k)) = &self.last_tenant
            && b.as_slice() == raw
        {
            return Ok(*k);
        }
        let key = match self.tenants.get(raw) {
            Some(k) => *k,
            None => {
                let text = String::from_utf8_lossy(raw);
                let id = TenantId::parse(&text).map_err(|e| {
                    e.0.first().map_or_else(
                        || "tenant_id: invalid".into(),
                        |f| format!("tenant_id: {}", f.message(ftop_domain::text::Lang::ENGLISH)),
                    )
                })?;
                *self
                    .tenants
                    .get(id.as_str().as_bytes())
                    .ok_or_else(|| format!("tenant_id: no tenant {id}"))?
            }
        };
        self.last_tenant = Some((raw.to_vec(), key));
        Ok(key)
    }

    fn service(&mut self, raw: &[u8]) -> std::result::Result<i64, String> {
        let raw = raw.trim_ascii();
        if let Some((_, k)) = self.service_names.iter().find(|(b, _)| b.as_slice() == raw) {
            return k.ok_or_else(|| unknown_service(raw));
        }
        let found = find_service(&String::from_utf8_lossy(raw))
            .and_then(|s| self.services.get(s.key).copied());
        self.service_names.push((raw.to_vec(), found));
        found.ok_or_else(|| unknown_service(raw))
    }

    /// Adds one data row (`line` as numbered in the file; fields `tenant_id`, `service`,
    /// `date`, `active_users`). Returns the rejection when the row is refused.
    pub async fn push(&mut self, line: u64, fields: [&[u8]; 4]) -> Result<Option<UsageRejected>> {
        self.report.rows += 1;
        let mut problems: Vec<String> = Vec::new();
        let tkey = self.tenant(fields[0]).map_err(|e| problems.push(e)).ok();
        let svc = self.service(fields[1]).map_err(|e| problems.push(e)).ok();
        let day = parse_day(fields[2]);
        if day.is_none() {
            problems.push(format!(
                "date: `{}` is not a date: write YYYY-MM-DD",
                String::from_utf8_lossy(fields[2].trim_ascii())
            ));
        }
        let active = count_of(fields[3]).map_err(|e| problems.push(e)).ok();
        if let (Some(tkey), Some(svc), Some(day), Some(active)) = (tkey, svc, day, active) {
            self.report.imported += 1;
            if self.errors.is_empty() || self.skip_invalid {
                self.buffer.push(Figure {
                    tkey,
                    svc,
                    day,
                    active,
                    qualified: 0,
                });
                if self.buffer.len() >= BUFFER_ROWS {
                    self.flush().await?;
                }
            }
            return Ok(None);
        }
        self.report.rejected += 1;
        if !self.skip_invalid {
            self.buffer.clear();
            for p in &problems {
                if self.errors.len() < MAX_ERRORS {
                    let (field, message) = p.split_once(": ").unwrap_or(("row", p));
                    self.errors.push(FieldError::untranslated(
                        format!("line {line}: {field}"),
                        message,
                    ));
                }
            }
        }
        Ok(Some(UsageRejected {
            line,
            fields: fields.map(|f| String::from_utf8_lossy(f).into_owned()),
            reason: problems.join("; "),
        }))
    }

    /// What the import has done so far.
    pub fn report(&self) -> &UsageReport {
        &self.report
    }

    /// Writes what is left, rebuilds the rollups of the touched tenants and commits; or,
    /// when a row was refused without `skip_invalid`, writes nothing and returns every
    /// refused line's field errors (the first 100).
    pub async fn finish(mut self) -> Result<UsageReport> {
        if !self.skip_invalid && self.report.rejected > 0 {
            let mut errors = std::mem::take(&mut self.errors);
            let shown = errors.len() as u64;
            if self.report.rejected > shown {
                errors.push(
                    FieldError::of("file", "invalid-more-rows-refused")
                        .with("count", self.report.rejected - shown),
                );
            }
            if let Some(fast) = self.fast.take() {
                // Closing the writer's channel without `Finish` rolls its transaction back.
                drop(fast.send);
                fast.task.await.map_err(joined)??;
            } else if let Some(tx) = self.tx.take() {
                tx.rollback().await?;
                if let Some(staged) = self.staged.take() {
                    staged.finish().await;
                }
                if self.store.backend() == crate::Backend::Sqlite {
                    sqlx::query(SQLITE_DEFAULT_CACHE)
                        .execute(&self.store.pools.write)
                        .await?;
                }
            }
            return Err(Invalid(errors).into());
        }
        self.flush().await?;
        if let Some(fast) = self.fast.take() {
            let r = &self.report;
            let msg = Msg::Finish(
                self.actor.name.clone(),
                crate::now(),
                [r.rows, r.imported, r.rejected],
            );
            let sent = fast.send.send(msg).await;
            drop(fast.send);
            let done = fast.task.await.map_err(joined)??;
            if sent.is_err() {
                return Err(StoreError::Internal("the usage writer stopped".into()));
            }
            let (changed, tenants) =
                done.ok_or_else(|| StoreError::Internal("the usage writer stopped".into()))?;
            self.report.changed = changed;
            self.report.tenants = tenants;
            return Ok(self.report);
        }
        let mut tx = self.tx.take().ok_or_else(no_tx)?;
        if let Some(staged) = &mut self.staged {
            self.store.take_rollup_turn(&mut tx).await?;
            self.report.changed += staged.apply(&mut tx).await?;
        }
        let mut touched: Vec<i64> = self.touched.iter().copied().collect();
        touched.sort_unstable();
        for (from, to) in key_ranges(&touched) {
            self.store.refresh_rollups(&mut tx, from, to, None).await?;
        }
        self.report.tenants = touched.len() as u64;
        let r = &self.report;
        let after = json!({"rows": r.rows, "imported": r.imported, "changed": r.changed,
            "rejected": r.rejected, "tenants": r.tenants});
        self.store
            .audit(
                &mut tx,
                &self.actor,
                Change {
                    tenant: None,
                    entity: "usage",
                    key: "import".into(),
                    action: "import",
                    before: None,
                    after: Some(after),
                },
            )
            .await?;
        tx.commit().await?;
        if let Some(staged) = self.staged.take() {
            staged.finish().await;
        }
        if self.store.backend() == crate::Backend::Sqlite {
            sqlx::query(SQLITE_DEFAULT_CACHE)
                .execute(&self.store.pools.write)
                .await?;
        }
        Ok(self.report)
    }
}

pub(super) fn no_tx() -> StoreError {
    StoreError::Internal("the usage import is finished".into())
}

fn unknown_service(raw: &[u8]) -> String {
    format!(
        "service: `{}` is not a service of the catalogue (for example Exchange, SharePoint, Teams, Intune)",
        String::from_utf8_lossy(raw)
    )
}
