//! Writing buffered figures on the generic path (sqlx, both engines): the seats each
//! figure carries, then multi-row upserts on SQLite, COPY on PostgreSQL (`copy.rs`).

use super::fast::Msg;
use super::{BUFFER_ROWS, UsageImport, no_tx};
use crate::Result;
use crate::adoption::rollups::day_col;
use crate::sqlite::usage_writer::Figure;
use ftop_domain::adoption::seats_on;
use sqlx::Row;

/// Rows per INSERT statement on SQLite, sent as one JSON parameter: binding thousands of
/// parameters costs SQLite time quadratic in their number (it looks each name up).
const JSON_ROWS: usize = 10_000;

/// The SQLite upsert of figures given as one JSON array of `[tkey, svc, day, active,
/// qualified]` arrays.
const SQLITE_UPSERT: &str = "INSERT INTO usage_figures (tkey, svc, day, active_users, qualified)
    SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each(?1)
    WHERE 1 = 1
    ON CONFLICT (tkey, svc, day) DO UPDATE SET active_users = excluded.active_users,
        qualified = excluded.qualified
    WHERE usage_figures.active_users <> excluded.active_users
       OR usage_figures.qualified <> excluded.qualified";

/// Tenants whose seat history one query loads.
const SEAT_QUERY_TENANTS: usize = 256;

impl UsageImport {
    pub(super) async fn load_seats(&mut self) -> Result<()> {
        let mut missing: Vec<i64> = self
            .buffer
            .iter()
            .map(|f| f.tkey)
            .filter(|k| !self.seats_loaded.contains(k))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if missing.is_empty() {
            return Ok(());
        }
        let q = self
            .store
            .pools
            .backend
            .sql(&format!(
                "SELECT tkey, svc, effective, qualified FROM seat_history WHERE tkey IN ({})
             ORDER BY tkey, svc, effective",
                (1..=SEAT_QUERY_TENANTS)
                    .map(|i| format!("${i}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .into_owned();
        for chunk in missing.chunks(SEAT_QUERY_TENANTS) {
            let mut query = sqlx::query(&q);
            for i in 0..SEAT_QUERY_TENANTS {
                query = query.bind(chunk.get(i).copied().unwrap_or(-1));
            }
            let rows = query
                .fetch_all(&mut **self.tx.as_mut().ok_or_else(no_tx)?)
                .await?;
            for r in &rows {
                let pair = (r.try_get::<i64, _>(0)?, r.try_get::<i64, _>(1)?);
                let day = day_col(r.try_get(2)?)?;
                self.seats
                    .entry(pair)
                    .or_default()
                    .push((day, r.try_get(3)?));
            }
            self.seats_loaded.extend(chunk.iter().copied());
        }
        Ok(())
    }

    pub(super) async fn flush(&mut self) -> Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        if self.fast.is_some() {
            return self.send_batch().await;
        }
        self.load_seats().await?;
        self.settle_buffer();
        let buffer = std::mem::take(&mut self.buffer);
        if self.store.pools.backend == crate::Backend::Sqlite {
            self.write_json(&buffer).await?;
        } else {
            self.copy_rows(&buffer).await?;
        }
        self.buffer = buffer;
        self.buffer.clear();
        Ok(())
    }

    /// The SQLite fast path: the batch goes to the writer thread, and an emptied one comes
    /// back for the next rows.
    async fn send_batch(&mut self) -> Result<()> {
        let Some(fast) = &mut self.fast else {
            return Ok(());
        };
        let next = fast
            .spent
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(BUFFER_ROWS));
        let batch = std::mem::replace(&mut self.buffer, next);
        if fast.send.send(Msg::Batch(batch)).await.is_err() {
            // The writer stopped: its error says why.
            return Err(self.writer_error().await);
        }
        Ok(())
    }

    /// Orders the buffer, keeps the later of two rows for the same tenant, service and
    /// date, and fills in the seats in effect on each row's day.
    fn settle_buffer(&mut self) {
        self.buffer.sort_by_key(|f| (f.tkey, f.svc, f.day));
        self.buffer.dedup_by(|later, kept| {
            let same = (later.tkey, later.svc, later.day) == (kept.tkey, kept.svc, kept.day);
            if same {
                *kept = *later;
            }
            same
        });
        let none = Vec::new();
        for f in &mut self.buffer {
            f.qualified = seats_on(self.seats.get(&(f.tkey, f.svc)).unwrap_or(&none), f.day);
            self.touched.insert(f.tkey);
        }
    }

    /// SQLite: the rows as one JSON array per statement.
    async fn write_json(&mut self, buffer: &[Figure]) -> Result<()> {
        let mut json = String::with_capacity(JSON_ROWS.min(buffer.len()) * 32 + 2);
        for chunk in buffer.chunks(JSON_ROWS) {
            use std::fmt::Write;
            json.clear();
            json.push('[');
            for (i, f) in chunk.iter().enumerate() {
                let sep = if i == 0 { "" } else { "," };
                let _ = write!(
                    json,
                    "{sep}[{},{},{},{},{}]",
                    f.tkey, f.svc, f.day, f.active, f.qualified
                );
            }
            json.push(']');
            let done = sqlx::query(SQLITE_UPSERT)
                .bind(json.as_str())
                .execute(&mut **self.tx.as_mut().ok_or_else(no_tx)?)
                .await?;
            self.report.changed += done.rows_affected();
        }
        Ok(())
    }
}
