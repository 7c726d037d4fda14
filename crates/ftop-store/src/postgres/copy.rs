//! COPY into a scratch table: [`Stage`] opens its own `PgConnection`, creates an unlogged
//! table under a name no other import uses, takes rows in COPY's text format
//! ([`CopyText`]) and drops the table when done (or, dropped without `finish`, in a task
//! of its own).

use crate::Result;
use sqlx::{Connection, PgConnection};
use std::sync::atomic::{AtomicU64, Ordering};

/// Scratch tables created by this process so far (part of their names).
static STAGES: AtomicU64 = AtomicU64::new(0);

/// A scratch table on the server, with the connection that copies into it.
pub(crate) struct Stage {
    conn: Option<PgConnection>,
    table: String,
}

impl std::fmt::Debug for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stage").field("table", &self.table).finish()
    }
}

impl Stage {
    /// Creates the scratch table `ftop_stage_<kind>_<unique>` with `columns` (SQL column
    /// definitions) on the server at `url`. Unlogged: what it holds is rebuilt by the next
    /// import, never read after a crash.
    pub(crate) async fn create(url: &str, kind: &str, columns: &str) -> Result<Stage> {
        let mut conn = PgConnection::connect(url).await?;
        let n = STAGES.fetch_add(1, Ordering::Relaxed);
        let table = format!(
            "ftop_stage_{kind}_{}_{n}_{:08x}",
            std::process::id(),
            rand::random::<u32>()
        );
        sqlx::query(&format!("CREATE UNLOGGED TABLE {table} ({columns})"))
            .execute(&mut conn)
            .await?;
        Ok(Stage {
            conn: Some(conn),
            table,
        })
    }

    /// The table's name (made of letters, digits and underscores only).
    pub(crate) fn table(&self) -> &str {
        &self.table
    }

    /// Appends rows given in COPY's text format to `columns` (a column list); returns
    /// the rows the server took. Committed at once: the table is scratch.
    pub(crate) async fn copy(&mut self, columns: &str, rows: &CopyText) -> Result<u64> {
        let conn = self.conn.as_mut().ok_or_else(gone)?;
        let mut copy = conn
            .copy_in_raw(&format!(
                "COPY {} ({columns}) FROM STDIN WITH (FORMAT text)",
                self.table
            ))
            .await?;
        if let Err(e) = copy.send(rows.buf.as_slice()).await {
            let _ = copy.abort("the import stopped").await;
            return Err(e.into());
        }
        Ok(copy.finish().await?)
    }

    /// Drops the table. Call it after the transaction that read the table has ended
    /// (the drop waits for that transaction's locks).
    pub(crate) async fn finish(mut self) -> Result<()> {
        if let Some(mut conn) = self.conn.take() {
            sqlx::query(&format!("DROP TABLE IF EXISTS {}", self.table))
                .execute(&mut conn)
                .await?;
            conn.close().await?;
        }
        Ok(())
    }
}

impl Drop for Stage {
    /// Dropped without `finish` (an error or a cancelled import): the table is dropped by
    /// a task of its own, once the import's transaction has rolled back.
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else {
            return;
        };
        let table = std::mem::take(&mut self.table);
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move {
                let drop = format!("DROP TABLE IF EXISTS {table}");
                if let Err(e) = sqlx::query(&drop).execute(&mut conn).await {
                    tracing::warn!(table = %table, error = %e, "scratch table left on the server");
                }
                let _ = conn.close().await;
            });
        }
    }
}

fn gone() -> crate::StoreError {
    crate::StoreError::Internal("the COPY connection is closed".into())
}

/// Rows in COPY's text format: fields separated by tabs, rows ended by newlines, `\N` for
/// NULL, and a backslash before the characters that would otherwise end a field or row.
#[derive(Debug, Default)]
pub(crate) struct CopyText {
    buf: Vec<u8>,
    at_row_start: bool,
}

impl CopyText {
    /// Empty, with room for about `bytes`.
    pub(crate) fn with_capacity(bytes: usize) -> CopyText {
        CopyText {
            buf: Vec::with_capacity(bytes),
            at_row_start: true,
        }
    }

    fn sep(&mut self) {
        if !self.at_row_start {
            self.buf.push(b'\t');
        }
        self.at_row_start = false;
    }

    /// A text field.
    pub(crate) fn text(&mut self, s: &str) -> &mut Self {
        self.sep();
        for &b in s.as_bytes() {
            match b {
                b'\\' => self.buf.extend_from_slice(b"\\\\"),
                b'\t' => self.buf.extend_from_slice(b"\\t"),
                b'\n' => self.buf.extend_from_slice(b"\\n"),
                b'\r' => self.buf.extend_from_slice(b"\\r"),
                _ => self.buf.push(b),
            }
        }
        self
    }

    /// A nullable text field.
    pub(crate) fn opt_text(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => self.text(s),
            None => {
                self.sep();
                self.buf.extend_from_slice(b"\\N");
                self
            }
        }
    }

    /// An integer field.
    pub(crate) fn int(&mut self, n: i64) -> &mut Self {
        use std::io::Write;
        self.sep();
        let _ = write!(self.buf, "{n}");
        self
    }

    /// Ends the row.
    pub(crate) fn end_row(&mut self) {
        self.buf.push(b'\n');
        self.at_row_start = true;
    }

    /// Forgets the rows, keeping the room.
    pub(crate) fn clear(&mut self) {
        self.buf.clear();
        self.at_row_start = true;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::CopyText;

    #[test]
    fn fields_that_would_end_a_field_or_row_are_escaped() {
        let mut t = CopyText::with_capacity(0);
        t.text("a\tb\nc\\d\re \"q\" ü").int(-7).opt_text(None);
        t.end_row();
        t.int(1);
        t.end_row();
        assert_eq!(
            String::from_utf8(t.buf).unwrap(),
            "a\\tb\\nc\\\\d\\re \"q\" ü\t-7\t\\N\n1\n"
        );
    }
}
