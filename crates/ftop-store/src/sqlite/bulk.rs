//! What the SQLite bulk paths share: their connections and the writing of rollups. The
//! import's writer is in `usage_writer.rs`, the full recompute in `recompute.rs`.

use crate::Result;
use ftop_domain::adoption::{Bucket, RollupState};
use rusqlite::{Connection, OpenFlags};
use std::time::Duration;

/// Where a (tenant, service) stands: the usage columns of its rollup (the domain's
/// arithmetic, `ftop_domain::adoption::RollupState`).
pub(crate) type Roll = RollupState;

/// The stored columns derived from the latest figure: AU in basis points and the
/// bucket's key.
pub(crate) fn derived(r: &Roll) -> (Option<i64>, Option<&'static str>) {
    let (au_bp, bucket) = r.derived();
    (au_bp, bucket.map(Bucket::key))
}

pub(crate) fn open(path: &str, read_only: bool) -> Result<Connection> {
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let c = Connection::open_with_flags(path, flags)?;
    c.busy_timeout(Duration::from_secs(30))?;
    c.execute_batch(
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -32768;",
    )?;
    Ok(c)
}

/// Rollup rows a statement.
const ROLLUP_ROWS: usize = 100;

/// Writes the usage columns of rollups, many rows a statement, as new rows or over the
/// stored ones (their targets kept).
pub(crate) fn write_rollups(conn: &Connection, rows: &[(i64, i64, Roll)]) -> Result<()> {
    for chunk in rows.chunks(ROLLUP_ROWS) {
        let mut sql = String::from(
            "INSERT INTO adoption_rollups
                (tkey, svc, as_of, active_users, qualified, au_bp, bucket, milestone_10, milestone_40)
             VALUES ",
        );
        for i in 0..chunk.len() {
            sql.push_str(if i == 0 {
                "(?,?,?,?,?,?,?,?,?)"
            } else {
                ",(?,?,?,?,?,?,?,?,?)"
            });
        }
        sql.push_str(
            " ON CONFLICT (tkey, svc) DO UPDATE SET as_of = excluded.as_of,
                active_users = excluded.active_users, qualified = excluded.qualified,
                au_bp = excluded.au_bp, bucket = excluded.bucket,
                milestone_10 = excluded.milestone_10, milestone_40 = excluded.milestone_40",
        );
        let mut st = conn.prepare_cached(&sql)?;
        for (i, (tkey, svc, r)) in chunk.iter().enumerate() {
            let b = i * 9;
            let (au_bp, bucket_key) = derived(r);
            st.raw_bind_parameter(b + 1, tkey)?;
            st.raw_bind_parameter(b + 2, svc)?;
            st.raw_bind_parameter(b + 3, r.as_of)?;
            st.raw_bind_parameter(b + 4, r.active)?;
            st.raw_bind_parameter(b + 5, r.qualified)?;
            st.raw_bind_parameter(b + 6, au_bp)?;
            st.raw_bind_parameter(b + 7, bucket_key)?;
            st.raw_bind_parameter(b + 8, r.m10)?;
            st.raw_bind_parameter(b + 9, r.m40)?;
        }
        st.raw_execute()?;
    }
    Ok(())
}
