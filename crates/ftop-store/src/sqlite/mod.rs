//! Everything that talks to SQLite through `rusqlite` instead of sqlx: the hot point
//! reads on the calling thread (`local`), the usage import's writer and the full
//! recompute (`bulk`), the dashboard's scans (`dashboard_scan`) and the integer-key hasher
//! they share (`keyhash`). PostgreSQL never takes these paths.

pub(crate) mod bulk;
pub(crate) mod dashboard_scan;
pub(crate) mod keyhash;
pub(crate) mod local;
