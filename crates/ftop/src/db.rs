//! Opening the database for a subcommand: the URL from `--database` / `FTOP_DATABASE_URL`,
//! migrations on open, and the bundled playbook loaded on first use.

use crate::bundled;
use anyhow::Context;
use ftop_store::{Actor, PlaybookSource, Store};

/// The default database: an SQLite file in the current directory.
pub(crate) const DEFAULT_URL: &str = "sqlite://ftop.db";

/// A runtime for the async store, sized for a command-line tool.
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// The bundled playbook as storable sources.
pub(crate) fn bundled_sources() -> Vec<PlaybookSource> {
    bundled::sources()
        .sources
        .into_iter()
        .map(|s| PlaybookSource {
            root: s.root,
            path: s.path,
            text: s.text,
        })
        .collect()
}

/// Opens and migrates the store; loads the bundled playbook if none is stored yet.
pub(crate) async fn open(url: &str) -> anyhow::Result<Store> {
    let store = Store::open(url)
        .await
        .with_context(|| format!("cannot open the database {url}"))?;
    store
        .ensure_playbook(&cli_actor(), &bundled_sources())
        .await
        .context("cannot load the bundled playbook")?;
    Ok(store)
}

/// The actor the audit log records for command-line changes: `cli:<login name>`.
pub(crate) fn cli_actor() -> Actor {
    let who = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    Actor::system(format!("cli:{who}"))
}

/// Prints a store error the way a user can act on: one line per invalid field.
pub(crate) fn explain(e: ftop_store::StoreError) -> anyhow::Error {
    match e {
        ftop_store::StoreError::Invalid(inv) => {
            let lines: Vec<String> = inv.0.iter().map(|f| format!("  {f}")).collect();
            anyhow::anyhow!("invalid input:\n{}", lines.join("\n"))
        }
        other => anyhow::Error::new(other),
    }
}
