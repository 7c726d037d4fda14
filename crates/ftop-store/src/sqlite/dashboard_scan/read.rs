//! Reading a rollup for the scan, from its packed columns (see `dash_a` and `dash_b` in
//! the SQLite migrations) or, when a value did not fit, from the plain columns.

use crate::Result;
use crate::adoption::filter::{RollupFacts, bucket_code};
use rusqlite::Connection;

/// The columns the scan reads.
pub(super) const COLS: &str = "SELECT tkey, svc, dash_a, dash_b FROM adoption_rollups";

/// Offset of the packed dates (see `dash_a` in the migration).
const DAY_CODE: i64 = 719_529;
const DAY_MASK: i64 = (1 << 22) - 1;

fn day_code(v: i64) -> Option<i64> {
    let c = v & DAY_MASK;
    (c != 0).then(|| c - DAY_CODE)
}

/// A rollup from its packed columns; when they are NULL (a value did not fit), from the
/// plain columns.
pub(super) fn read(conn: &Connection, r: &rusqlite::Row<'_>) -> Result<RollupFacts> {
    // Straight from the value: the hot loop of the dashboard (see the module note).
    let int = |i: usize| -> Result<Option<i64>> {
        Ok(match r.get_ref(i)? {
            rusqlite::types::ValueRef::Integer(v) => Some(v),
            _ => None,
        })
    };
    let (tkey, svc): (i64, i64) = (r.get(0)?, r.get(1)?);
    if let (Some(a), Some(b)) = (int(2)?, int(3)?) {
        let code = (a >> 2) & 3;
        return Ok(RollupFacts {
            tkey,
            svc,
            as_of: a & 2 != 0,
            engaged: a & 1 != 0,
            bucket: (code != 0).then_some(code as u8),
            m10: day_code(a >> 4),
            m40: day_code(a >> 26),
            t10: day_code(b),
            t40: day_code(b >> 22),
        });
    }
    let mut st = conn.prepare_cached(
        "SELECT as_of IS NOT NULL, qualified > 0, bucket, milestone_10, milestone_40, target_10,
            target_40 FROM adoption_rollups WHERE tkey = ?1 AND svc = ?2",
    )?;
    Ok(st.query_row((tkey, svc), |r| {
        Ok(RollupFacts {
            tkey,
            svc,
            as_of: r.get(0)?,
            engaged: r.get(1)?,
            bucket: bucket_code(r.get_ref(2)?.as_bytes_or_null()?),
            m10: r.get(3)?,
            m40: r.get(4)?,
            t10: r.get(5)?,
            t40: r.get(6)?,
        })
    })?)
}
