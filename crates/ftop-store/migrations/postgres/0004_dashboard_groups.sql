-- Nothing on PostgreSQL: the adoption dashboard's groupings run as SQL there, and the
-- version counter of SQLite's 0004 (the in-memory tenant maps of dashboard.rs) has no use.
SELECT 1;
