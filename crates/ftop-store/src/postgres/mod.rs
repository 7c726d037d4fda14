//! What talks to PostgreSQL through its native driver instead of sqlx's `Any`: the hot
//! reads on native connections of their own (`hot`: sessions, bearer tokens, the tenant
//! with its access and task states, the access check of a change) and the bulk paths' COPY (`copy`), used by the tenant import
//! (`engagement/tenants/import_copy.rs`) and the usage import (`adoption/usage/`). SQLite
//! never takes these paths (its fast paths are in `sqlite/`).
//!
//! The shape: rows are sent with `COPY ... FROM STDIN` over a connection of their own into
//! a scratch table ([`copy::Stage`]), then one `INSERT ... SELECT ... ON CONFLICT` per
//! target table moves them in the store's own write transaction, beside the audit entries
//! and rollups written by the same helpers as the generic path. The scratch table holds no
//! data of record: the real tables change only in that one transaction, so a failure at
//! any point (a bad row, a full disk, a lost connection) leaves nothing half-written.

pub(crate) mod copy;
pub(crate) mod hot;
mod recompute;

/// Memory a bulk statement may sort in, for the rest of its transaction (the server's
/// default spills an import's or a recompute's sorts to disk).
pub(crate) const SORT_MEMORY: &str = "SET LOCAL work_mem = '256MB'";

/// The server's URL, as the store was opened with (kept out of debug output: it may hold
/// a password).
#[derive(Clone)]
pub(crate) struct Url(pub(crate) String);

impl std::fmt::Debug for Url {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Url(..)")
    }
}
