//! Playbook versions kept in the database, so that every instance serves the same one, and
//! the upgrade of every tenant's instance when a new version is loaded.

use crate::audit::Change;
use crate::{Actor, Result, Store, StoreError};
use ftop_domain::instance::{Template, UpgradeChanges};
use ftop_playbook::{Compilation, Options, Playbook, Source, compile};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::{Any, Row, Transaction};
use std::collections::BTreeMap;
use std::sync::Arc;

mod facts;
mod upgrade;

pub(crate) use facts::facts_of_row;

/// One page of a playbook as loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaybookSource {
    /// Root folder name (may name the language).
    pub root: String,
    /// Path under the root.
    pub path: String,
    /// Markdown text.
    pub text: String,
}

/// The playbook in force.
#[derive(Debug)]
pub(crate) struct Current {
    pub(crate) version: i64,
    pub(crate) playbook: Arc<Playbook>,
    pub(crate) template: Arc<Template>,
}

/// What loading a playbook did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LoadReport {
    /// The version now in force.
    pub version: i64,
    /// False when the same playbook was already loaded (nothing changed).
    pub changed: bool,
    /// What changed, per tenant whose tasks changed.
    pub tenants: BTreeMap<String, UpgradeChanges>,
    /// Stored task states archived because their task no longer applies.
    pub archived: u64,
}

fn compile_sources(sources: &[PlaybookSource]) -> Compilation {
    let src: Vec<Source<'_>> = sources
        .iter()
        .map(|s| Source::new(&s.root, &s.path, &s.text))
        .collect();
    compile(&src, &Options::default())
}

/// Refuses a playbook that compiled with errors, quoting the first.
fn refuse_errors(compiled: &Compilation) -> Result<()> {
    if compiled.errors() == 0 {
        return Ok(());
    }
    let first = compiled
        .diagnostics
        .iter()
        .find(|d| d.severity == ftop_playbook::Severity::Error)
        .map(|d| d.render(None))
        .unwrap_or_default();
    Err(StoreError::Refused(format!(
        "the playbook has {} errors; fix them first (`ftop playbook check`):\n{first}",
        compiled.errors()
    )))
}

fn digest(sources: &[PlaybookSource]) -> String {
    let mut h = Sha256::new();
    for s in sources {
        for part in [&s.root, &s.path, &s.text] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// The version tenants created now get (0 before any playbook is loaded).
    pub(crate) fn current_version(&self) -> i64 {
        self.current_opt().map_or(0, |c| c.version)
    }

    pub(crate) fn current_opt(&self) -> Option<Arc<Current>> {
        self.current.read().ok().and_then(|c| c.clone())
    }

    /// The playbook in force and its template; an error before any playbook is loaded.
    pub fn playbook(&self) -> Result<(i64, Arc<Playbook>, Arc<Template>)> {
        let c = self.current_opt().ok_or_else(|| {
            StoreError::Refused("no playbook is loaded yet: run `ftop playbook load`".into())
        })?;
        Ok((c.version, c.playbook.clone(), c.template.clone()))
    }

    /// Reads the newest playbook version from the database (another instance may have
    /// loaded one) and makes it current. Returns its version, or 0 if there is none.
    pub async fn refresh_playbook(&self) -> Result<i64> {
        let latest =
            sqlx::query("SELECT version, sources FROM playbooks ORDER BY version DESC LIMIT 1")
                .fetch_optional(&self.pools.read)
                .await?;
        let Some(r) = latest else { return Ok(0) };
        let version: i64 = r.try_get(0)?;
        if self.current_version() == version {
            return Ok(version);
        }
        let sources: Vec<PlaybookSource> = serde_json::from_str(&r.try_get::<String, _>(1)?)
            .map_err(|e| {
                StoreError::Internal(format!("stored playbook {version} is unreadable: {e}"))
            })?;
        let c = compile_sources(&sources);
        let current = Current {
            version,
            template: Arc::new(Template::new(&c.playbook)),
            playbook: Arc::new(c.playbook),
        };
        if let Ok(mut slot) = self.current.write() {
            *slot = Some(Arc::new(current));
        }
        Ok(version)
    }

    /// Loads a playbook version. Refused if it does not compile without errors. When it
    /// differs from the one in force, every tenant's instance migrates by task ID: new tasks
    /// appear Not Started, states of tasks that no longer apply are archived (never
    /// deleted), and the report lists the changes per tenant.
    pub async fn load_playbook(
        &self,
        actor: &Actor,
        sources: &[PlaybookSource],
    ) -> Result<LoadReport> {
        let compiled = compile_sources(sources);
        refuse_errors(&compiled)?;
        let digest = digest(sources);
        let mut tx = self.pools.write.begin().await?;
        // Several instances may load at once (each loads the bundled playbook into an
        // empty database when it starts): one at a time, each reading the version in force
        // after the one before has committed.
        if self.backend() == crate::Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock(7470727)")
                .execute(&mut *tx)
                .await?;
        }
        self.refresh_playbook().await?;
        let old = self.current_opt();
        if let Some(old) = &old
            && self.loaded_last(&mut tx, &digest, old.version).await?
        {
            return Ok(LoadReport {
                version: old.version,
                ..LoadReport::default()
            });
        }
        let version = old.as_ref().map_or(0, |o| o.version) + 1;
        self.store_version(&mut tx, actor, version, &digest, sources)
            .await?;
        let new_template = Template::new(&compiled.playbook);
        let mut report = LoadReport {
            version,
            changed: true,
            ..LoadReport::default()
        };
        if let Some(old) = &old {
            self.upgrade_tenants(&mut tx, actor, old, &new_template, &mut report)
                .await?;
        }
        sqlx::query(sql!(self, "UPDATE tenants SET playbook_version = $1"))
            .bind(version)
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            actor,
            Change {
                tenant: None,
                entity: "playbook",
                key: version.to_string(),
                action: "load",
                before: old.as_ref().map(|o| json!({"version": o.version})),
                after: Some(json!({"version": version, "digest": digest, "tasks": new_template.tasks.len()})),
            },
        )
        .await?;
        tx.commit().await?;
        self.refresh_playbook().await?;
        Ok(report)
    }

    /// Loads `sources` only when no playbook is stored yet (first start).
    pub async fn ensure_playbook(&self, actor: &Actor, sources: &[PlaybookSource]) -> Result<i64> {
        let v = self.refresh_playbook().await?;
        if v > 0 {
            return Ok(v);
        }
        Ok(self.load_playbook(actor, sources).await?.version)
    }

    /// Whether the newest stored version with this digest is `version` (the one in force):
    /// the same playbook loaded again.
    async fn loaded_last(
        &self,
        tx: &mut Transaction<'_, Any>,
        digest: &str,
        version: i64,
    ) -> Result<bool> {
        let same = sqlx::query(sql!(
            self,
            "SELECT version FROM playbooks WHERE digest = $1 ORDER BY version DESC LIMIT 1",
        ))
        .bind(digest)
        .fetch_optional(&mut **tx)
        .await?;
        Ok(match same {
            Some(r) => r.try_get::<i64, _>(0)? == version,
            None => false,
        })
    }

    /// Stores a new version's sources.
    async fn store_version(
        &self,
        tx: &mut Transaction<'_, Any>,
        actor: &Actor,
        version: i64,
        digest: &str,
        sources: &[PlaybookSource],
    ) -> Result<()> {
        let json_sources = serde_json::to_string(sources)
            .map_err(|e| StoreError::Internal(format!("cannot store the playbook: {e}")))?;
        sqlx::query(sql!(self,
            "INSERT INTO playbooks (version, digest, loaded_at, loaded_by, sources) VALUES ($1, $2, $3, $4, $5)",
        ))
        .bind(version)
        .bind(digest)
        .bind(crate::now())
        .bind(&actor.name)
        .bind(json_sources)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}
