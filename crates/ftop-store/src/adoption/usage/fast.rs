//! The SQLite import's fast path: a writer thread with its own connection and
//! transaction (`sqlite/bulk.rs`), fed batches over a channel.

use super::UsageImport;
use crate::sqlite::usage_writer::Figure;
use crate::{Actor, Result, Store, StoreError};
use serde_json::json;
use sqlx::{Any, Row};

/// Messages to the SQLite writer thread.
pub(super) enum Msg {
    Batch(Vec<Figure>),
    /// Commit, with the audit entry's actor, time and counts (rows, imported, rejected).
    Finish(String, String, [u64; 3]),
}

/// The SQLite fast path: a writer thread with its own connection and transaction
/// (`bulk.rs`), while the store's write connection is held so that in-process writers wait.
pub(super) struct Fast {
    pub(super) send: tokio::sync::mpsc::Sender<Msg>,
    /// Emptied batches coming back from the writer, reused: a batch allocated on one
    /// thread and freed on another costs the allocator a lock and fresh pages each time.
    pub(super) spent: std::sync::mpsc::Receiver<Vec<Figure>>,
    pub(super) task: tokio::task::JoinHandle<Result<Option<(u64, u64)>>>,
    pub(super) _guard: sqlx::pool::PoolConnection<Any>,
}

impl Store {
    /// The SQLite import on a writer thread of its own (None for an in-memory database).
    pub(super) async fn usage_import_fast(
        &self,
        actor: &Actor,
        skip_invalid: bool,
    ) -> Result<Option<UsageImport>> {
        let mut guard = self.pools.write.acquire().await?;
        let file: String = sqlx::query("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_one(&mut *guard)
            .await?
            .try_get(0)?;
        if file.is_empty() {
            return Ok(None);
        }
        let mut tx = sqlx::Connection::begin(&mut *guard).await?;
        let services = self.ensure_keys(&mut tx).await?.into_iter().collect();
        tx.commit().await?;
        let tenants = super::tenant_keys(&mut guard).await?;
        let (send, mut recv) = tokio::sync::mpsc::channel::<Msg>(4);
        let (give_back, spent) = std::sync::mpsc::channel::<Vec<Figure>>();
        let task = tokio::task::spawn_blocking(move || -> Result<Option<(u64, u64)>> {
            let mut w = crate::sqlite::usage_writer::Writer::begin(&file)?;
            while let Some(m) = recv.blocking_recv() {
                match m {
                    Msg::Batch(mut b) => {
                        w.write(&mut b)?;
                        b.clear();
                        // The importer may have finished already: then the batch is freed.
                        let _ = give_back.send(b);
                    }
                    Msg::Finish(actor, at, [rows, imported, rejected]) => {
                        let done = w.finish(|changed, tenants| {
                            let after = json!({"rows": rows, "imported": imported,
                                "changed": changed, "rejected": rejected, "tenants": tenants});
                            (actor, at, after.to_string())
                        })?;
                        return Ok(Some(done));
                    }
                }
            }
            // Dropped without finishing: closing the connection rolls back.
            Ok(None)
        });
        let mut imp = UsageImport::new(self, actor, skip_invalid, tenants, services);
        imp.fast = Some(Fast {
            send,
            spent,
            task,
            _guard: guard,
        });
        Ok(Some(imp))
    }
}

impl UsageImport {
    /// The error the writer thread stopped on.
    pub(super) async fn writer_error(&mut self) -> StoreError {
        match self.fast.take() {
            Some(fast) => match fast.task.await {
                Ok(Err(e)) => e,
                Err(e) => joined(e),
                Ok(Ok(_)) => StoreError::Internal("the usage writer stopped".into()),
            },
            None => StoreError::Internal("the usage writer stopped".into()),
        }
    }
}

pub(super) fn joined(e: tokio::task::JoinError) -> StoreError {
    StoreError::Internal(format!("the usage writer failed: {e}"))
}
