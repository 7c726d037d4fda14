-- SQLite's copy of migration 23's latest sums (usage_latest_totals and
-- usage_latest_tenants). PostgreSQL has kept them since migration 23; this migration keeps
-- the two engines' numbering in step.
SELECT 1;
