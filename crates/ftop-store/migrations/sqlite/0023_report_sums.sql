-- PostgreSQL's kept sums for the usage reports (usage_latest_totals,
-- usage_latest_tenants, usage_tenant_months). SQLite has none: its scan of the rollups
-- and month rows in Rust (reports/scan.rs) answers the same reports as fast. This
-- migration keeps the two engines' numbering in step.
SELECT 1;
