//! The PostgreSQL import's path: each settled batch goes by COPY to a scratch table
//! (`postgres/copy.rs`), numbered in the order read; at the end one `INSERT ... SELECT`
//! moves the latest row of each tenant, service and date into `usage_figures` in the
//! import's transaction, before the rollups are rebuilt there as on the generic path.

use super::UsageImport;
use crate::postgres::SORT_MEMORY;
use crate::postgres::copy::{CopyText, Stage};
use crate::sqlite::usage_writer::Figure;
use crate::{Result, Store, StoreError};
use sqlx::{Any, Row, Transaction};

/// The scratch table: the figures in the order read (`seq`), seats filled in.
const STAGE: &str = "seq BIGINT NOT NULL, tkey INTEGER NOT NULL, svc INTEGER NOT NULL,
    day INTEGER NOT NULL, active INTEGER NOT NULL, qualified INTEGER NOT NULL";
const COLUMNS: &str = "seq, tkey, svc, day, active, qualified";

/// The figures into the table: the latest of each tenant, service and date, written when
/// new or different (the generic upsert's rule). `{t}` is the scratch table.
const MOVE: &str = "INSERT INTO usage_figures (tkey, svc, day, active_users, qualified)
    SELECT DISTINCT ON (tkey, svc, day) tkey, svc, day, active, qualified FROM {t}
    ORDER BY tkey, svc, day, seq DESC
    ON CONFLICT (tkey, svc, day) DO UPDATE SET active_users = excluded.active_users,
        qualified = excluded.qualified
    WHERE usage_figures.active_users <> excluded.active_users
       OR usage_figures.qualified <> excluded.qualified";

/// The same for an import whose tenants have no figure stored yet: every row is new, so a
/// plain insert does, without the upsert's check for a conflict (a third of its time).
const MOVE_NEW: &str = "INSERT INTO usage_figures (tkey, svc, day, active_users, qualified)
    SELECT DISTINCT ON (tkey, svc, day) tkey, svc, day, active, qualified FROM {t}
    ORDER BY tkey, svc, day, seq DESC";

/// Whether any tenant of the scratch table `{t}` has a figure stored: one index probe per
/// tenant (a semi-join could read every figure to find none).
const ANY_STORED: &str = "SELECT EXISTS (SELECT 1 FROM (SELECT DISTINCT tkey FROM {t}) s
    CROSS JOIN LATERAL (SELECT 1 FROM usage_figures f WHERE f.tkey = s.tkey LIMIT 1) x)";

/// The scratch table of one import, the rows sent so far and a buffer for the text.
pub(super) struct Staged {
    stage: Stage,
    sent: i64,
    text: CopyText,
}

impl Store {
    /// PostgreSQL: the scratch table of a new import (None on SQLite).
    pub(super) async fn usage_stage(&self) -> Result<Option<Staged>> {
        let Some(url) = &self.pg_url else {
            return Ok(None);
        };
        Ok(Some(Staged {
            stage: Stage::create(&url.0, "usage", STAGE).await?,
            sent: 0,
            text: CopyText::with_capacity(super::BUFFER_ROWS * 40),
        }))
    }
}

impl UsageImport {
    /// Sends settled figures to the scratch table.
    pub(super) async fn copy_rows(&mut self, buffer: &[Figure]) -> Result<()> {
        let s = self.staged.as_mut().ok_or_else(super::no_tx)?;
        s.text.clear();
        for f in buffer {
            s.text
                .int(s.sent)
                .int(f.tkey)
                .int(f.svc)
                .int(i64::from(f.day))
                .int(f.active)
                .int(f.qualified);
            s.text.end_row();
            s.sent += 1;
        }
        let Staged { stage, text, .. } = s;
        let took = stage.copy(COLUMNS, text).await?;
        if took != buffer.len() as u64 {
            return Err(StoreError::Internal(format!(
                "COPY took {took} of {} usage rows",
                buffer.len()
            )));
        }
        Ok(())
    }
}

impl Staged {
    /// Moves the staged figures into `usage_figures` in `tx`, which holds the rollup
    /// writers' turn (no other import adds figures until it ends); returns the figures
    /// that are new or changed. (`&mut`: the connection in it is not `Sync`, and the
    /// import's futures must stay `Send`.)
    pub(super) async fn apply(&mut self, tx: &mut Transaction<'static, Any>) -> Result<u64> {
        if self.sent == 0 {
            return Ok(0);
        }
        sqlx::query(SORT_MEMORY).execute(&mut **tx).await?;
        let t = self.stage.table();
        let stored: bool = sqlx::query(&ANY_STORED.replace("{t}", t))
            .fetch_one(&mut **tx)
            .await?
            .try_get(0)?;
        let text = if stored { MOVE } else { MOVE_NEW };
        let done = sqlx::query(&text.replace("{t}", t))
            .execute(&mut **tx)
            .await?;
        Ok(done.rows_affected())
    }

    /// Drops the scratch table (after the import's transaction has ended).
    pub(super) async fn finish(self) {
        if let Err(e) = self.stage.finish().await {
            tracing::warn!(error = %e, "the usage import's scratch table was not dropped");
        }
    }
}
