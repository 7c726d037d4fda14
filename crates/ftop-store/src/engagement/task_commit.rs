//! Group commit of task changes. On a durable engine every commit waits for the disk
//! (SQLite with `synchronous = FULL` syncs the log on each), so one commit per change caps
//! the rate of changes at the disk's sync rate. Changes that arrive while a commit is under
//! way are queued; a single writer takes everything queued, applies the changes in one
//! transaction, commits once, and only then answers every caller. Nobody hears "done"
//! before the commit that holds the change. A batch is first tried whole; if any change in
//! it is refused or fails, it is rolled back and applied again with each change in its own
//! savepoint, so a refused change is rolled back alone and reported to its caller.
//!
//! SQLite has one write connection, so one writer. PostgreSQL overlaps concurrent
//! transactions and flushes the log of every commit waiting at the time in one write, so
//! there several writers run at once, each with its own queue; a tenant's changes always
//! go to the same writer (one queue, in order), so two batches never wait for each other's
//! rows.

use crate::engagement::tasks::{TaskUpdate, TaskView};
use crate::{Actor, Result, Store, StoreError};
use tokio::sync::{mpsc, oneshot};

/// Changes committed together at most.
const BATCH: usize = 256;

/// Writers on PostgreSQL (each holds one connection of the shared pool while it commits).
const PG_WRITERS: usize = 4;

struct Job {
    actor: Actor,
    tenant_id: String,
    update: TaskUpdate,
    reply: oneshot::Sender<Result<TaskView>>,
}

/// The queues of one store's task writers.
#[derive(Default)]
pub(crate) struct TaskWriter {
    /// One queue per writer, started on first use.
    queues: std::sync::Mutex<Vec<Option<mpsc::UnboundedSender<Job>>>>,
    pub(crate) stats: crate::stats::GroupCommitCounters,
}

impl std::fmt::Debug for TaskWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TaskWriter")
    }
}

fn unavailable(what: &str, e: &StoreError) -> StoreError {
    StoreError::Unavailable(format!("{what}: {e}"))
}

impl Store {
    /// Queues a checked change and waits for the commit that holds it.
    pub(crate) async fn commit_task(
        &self,
        actor: &Actor,
        tenant_id: &str,
        u: &TaskUpdate,
    ) -> Result<TaskView> {
        let (reply, answer) = oneshot::channel();
        let mut job = Job {
            actor: actor.clone(),
            tenant_id: tenant_id.to_string(),
            update: u.clone(),
            reply,
        };
        {
            let writers = match self.backend() {
                crate::Backend::Sqlite => 1,
                crate::Backend::Postgres => PG_WRITERS,
            };
            let mut queues = self
                .task_writer
                .queues
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            queues.resize_with(writers, || None);
            let queue = &mut queues[writer_of(tenant_id, writers)];
            loop {
                if let Some(q) = queue.as_ref() {
                    match q.send(job) {
                        Ok(()) => break self.task_writer.stats.queued(),
                        // The writer is gone (its runtime ended): start another.
                        Err(mpsc::error::SendError(j)) => job = j,
                    }
                }
                let (q, jobs) = mpsc::unbounded_channel();
                tokio::spawn(self.clone().write_tasks(jobs));
                *queue = Some(q);
            }
        }
        answer.await.unwrap_or_else(|_| {
            Err(StoreError::Unavailable(
                "the task writer stopped before answering; reload and try again".into(),
            ))
        })
    }
}

/// What became of a batch tried whole ([`Store::write_whole`]).
enum Whole {
    /// Every change went through and was committed: the changed tasks, in batch order.
    Committed(Vec<TaskView>),
    /// No transaction could be had, or every change went through but the commit failed:
    /// none of them is stored (what failed, why).
    Failed(&'static str, StoreError),
    /// A change was refused or failed: nothing is stored.
    Again,
}

/// The writer of a tenant's changes (FNV-1a of its ID): always the same one.
fn writer_of(tenant_id: &str, writers: usize) -> usize {
    let h = tenant_id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    usize::try_from(h % writers as u64).unwrap_or(0)
}

impl Store {
    async fn write_tasks(self, mut jobs: mpsc::UnboundedReceiver<Job>) {
        while let Some(first) = jobs.recv().await {
            let mut batch = vec![first];
            while batch.len() < BATCH {
                match jobs.try_recv() {
                    Ok(j) => batch.push(j),
                    Err(_) => break,
                }
            }
            self.task_writer.stats.batch(batch.len());
            self.write_batch(batch).await;
        }
    }

    /// Tries a batch in one transaction with no savepoint around each change, which saves
    /// two round trips per change on PostgreSQL. Only when every change goes through is
    /// anything committed; at the first refusal or failure everything is rolled back and
    /// the caller runs the batch again change by change, so a refused change never takes
    /// a part of itself, or of another, into a commit. (A batch with a refused change
    /// thus costs about twice as much; refusals are the rare case: stale versions.)
    async fn write_whole(&self, batch: &[Job]) -> Whole {
        let mut tx = match self.pools.write.begin().await {
            Ok(tx) => tx,
            Err(e) => return Whole::Failed("cannot start a transaction", e.into()),
        };
        let mut views = Vec::with_capacity(batch.len());
        for j in batch {
            match self
                .set_task_in(&mut tx, &j.actor, &j.tenant_id, &j.update)
                .await
            {
                Ok(v) => views.push(v),
                Err(_) => {
                    let _ = tx.rollback().await;
                    return Whole::Again;
                }
            }
        }
        match tx.commit().await {
            Ok(()) => Whole::Committed(views),
            Err(e) => Whole::Failed("the commit failed", e.into()),
        }
    }

    async fn write_batch(&self, mut batch: Vec<Job>) {
        // By tenant (a stable sort: each tenant's changes stay in order), so that the rows
        // their triggers lock (a tenant's kept phase, migration 25) are taken in key order,
        // as every other writer takes them.
        batch.sort_by(|a, b| a.tenant_id.cmp(&b.tenant_id));
        if batch.len() > 1 {
            match self.write_whole(&batch).await {
                Whole::Committed(views) => {
                    for (j, v) in batch.into_iter().zip(views) {
                        let _ = j.reply.send(Ok(v));
                    }
                    return;
                }
                Whole::Failed(what, e) => {
                    for j in batch {
                        let _ = j.reply.send(Err(unavailable(what, &e)));
                    }
                    return;
                }
                // Some change was refused or failed: each in a savepoint of its own below.
                Whole::Again => {}
            }
        }
        let mut tx = match self.pools.write.begin().await {
            Ok(tx) => tx,
            Err(e) => {
                let e = StoreError::from(e);
                for j in batch {
                    let _ = j
                        .reply
                        .send(Err(unavailable("cannot start a transaction", &e)));
                }
                return;
            }
        };
        let alone = batch.len() == 1;
        let mut done: Vec<(oneshot::Sender<Result<TaskView>>, Result<TaskView>)> =
            Vec::with_capacity(batch.len());
        let mut broken: Option<StoreError> = None;
        for j in batch {
            if let Some(e) = &broken {
                let _ = j.reply.send(Err(unavailable("the batch failed", e)));
                continue;
            }
            if !alone && let Err(e) = sqlx::query("SAVEPOINT task").execute(&mut *tx).await {
                let e = StoreError::from(e);
                let _ = j.reply.send(Err(unavailable("the batch failed", &e)));
                broken = Some(e);
                continue;
            }
            let r = self
                .set_task_in(&mut tx, &j.actor, &j.tenant_id, &j.update)
                .await;
            let end = match (&r, alone) {
                (_, true) => Ok(()),
                (Ok(_), false) => sqlx::query("RELEASE SAVEPOINT task")
                    .execute(&mut *tx)
                    .await
                    .map(|_| ()),
                (Err(_), false) => match sqlx::query("ROLLBACK TO SAVEPOINT task")
                    .execute(&mut *tx)
                    .await
                {
                    Ok(_) => sqlx::query("RELEASE SAVEPOINT task")
                        .execute(&mut *tx)
                        .await
                        .map(|_| ()),
                    Err(e) => Err(e),
                },
            };
            if let Err(e) = end {
                broken = Some(e.into());
            }
            done.push((j.reply, r));
        }
        // A lone change runs without a savepoint: if it failed half-way, nothing of it may
        // be committed.
        let alone_failed = alone && done.first().is_some_and(|(_, r)| r.is_err());
        let outcome = match broken {
            Some(e) => Err(e),
            None if alone_failed => tx.rollback().await.map_err(StoreError::from),
            None => tx.commit().await.map_err(StoreError::from),
        };
        for (reply, r) in done {
            let r = match (&outcome, r) {
                (Ok(()), r) => r,
                // A refused change stays refused; a good one was not committed.
                (Err(_), Err(e)) if !matches!(e, StoreError::Db(_)) => Err(e),
                (Err(e), _) => Err(unavailable("the commit failed", e)),
            };
            let _ = reply.send(r);
        }
    }
}
