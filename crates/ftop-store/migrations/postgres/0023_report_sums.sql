-- Sums the usage reports read on PostgreSQL (issue 17, B10), kept in the transaction that
-- changes the rollups and month rows (adoption/report_sums.rs), like usage_month_totals.
-- SQLite has none: its scan of the rollups and month rows in Rust (reports/scan.rs)
-- answers the same reports as fast.
--
-- usage_latest_totals: per service, the sums of the latest figures (the rollups with a
-- figure), with the columns of usage_month_totals; usage_latest_tenants: how many
-- tenants have at least one. The service usage and credit reports over every tenant read
-- these instead of a million rollups.
CREATE TABLE usage_latest_totals (
    svc            INTEGER PRIMARY KEY,
    services       BIGINT NOT NULL,
    with_seats     BIGINT NOT NULL,
    active_users   BIGINT NOT NULL,
    seated_active  BIGINT NOT NULL,
    qualified      BIGINT NOT NULL,
    capped_active  BIGINT NOT NULL,
    at_10          BIGINT NOT NULL,
    at_40          BIGINT NOT NULL
);
INSERT INTO usage_latest_totals (svc, services, with_seats, active_users, seated_active, qualified, capped_active, at_10, at_40)
SELECT r.svc, CAST(COUNT(*) AS BIGINT),
    SUM(CASE WHEN r.qualified > 0 THEN 1 ELSE 0 END),
    SUM(CAST(r.active_users AS BIGINT)),
    SUM(CASE WHEN r.qualified > 0 THEN CAST(r.active_users AS BIGINT) ELSE 0 END),
    SUM(CASE WHEN r.qualified > 0 THEN CAST(r.qualified AS BIGINT) ELSE 0 END),
    SUM(CASE WHEN r.qualified <= 0 THEN 0 WHEN r.active_users < r.qualified
        THEN CAST(r.active_users AS BIGINT) ELSE CAST(r.qualified AS BIGINT) END),
    SUM(CASE WHEN r.qualified > 0 AND CAST(r.active_users AS BIGINT) * 100 >= CAST(r.qualified AS BIGINT) * 10 THEN 1 ELSE 0 END),
    SUM(CASE WHEN r.qualified > 0 AND CAST(r.active_users AS BIGINT) * 100 >= CAST(r.qualified AS BIGINT) * 40 THEN 1 ELSE 0 END)
FROM adoption_rollups r WHERE r.as_of IS NOT NULL AND r.active_users IS NOT NULL
GROUP BY r.svc;

CREATE TABLE usage_latest_tenants (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    tenants  BIGINT NOT NULL
);
INSERT INTO usage_latest_tenants (id, tenants)
SELECT 1, COUNT(*) FROM adoption_tenants k WHERE EXISTS (SELECT 1 FROM adoption_rollups r
    WHERE r.tkey = k.tkey AND r.as_of IS NOT NULL AND r.active_users IS NOT NULL);

-- usage_tenant_months: per tenant and month, the sums of its month rows over every
-- service. The usage trend of some tenants (a partner's, a manager's) reads one row per
-- tenant and month instead of one per tenant, service and month.
CREATE TABLE usage_tenant_months (
    tkey           INTEGER NOT NULL,
    month          INTEGER NOT NULL,
    services       BIGINT NOT NULL,
    with_seats     BIGINT NOT NULL,
    active_users   BIGINT NOT NULL,
    seated_active  BIGINT NOT NULL,
    qualified      BIGINT NOT NULL,
    capped_active  BIGINT NOT NULL,
    at_10          BIGINT NOT NULL,
    at_40          BIGINT NOT NULL,
    PRIMARY KEY (tkey, month)
);
INSERT INTO usage_tenant_months (tkey, month, services, with_seats, active_users, seated_active, qualified, capped_active, at_10, at_40)
SELECT r.tkey, r.month, CAST(COUNT(*) AS BIGINT),
    SUM(CASE WHEN r.qualified > 0 THEN 1 ELSE 0 END),
    SUM(CAST(r.active_users AS BIGINT)),
    SUM(CASE WHEN r.qualified > 0 THEN CAST(r.active_users AS BIGINT) ELSE 0 END),
    SUM(CASE WHEN r.qualified > 0 THEN CAST(r.qualified AS BIGINT) ELSE 0 END),
    SUM(CASE WHEN r.qualified <= 0 THEN 0 WHEN r.active_users < r.qualified
        THEN CAST(r.active_users AS BIGINT) ELSE CAST(r.qualified AS BIGINT) END),
    SUM(CASE WHEN r.qualified > 0 AND CAST(r.active_users AS BIGINT) * 100 >= CAST(r.qualified AS BIGINT) * 10 THEN 1 ELSE 0 END),
    SUM(CASE WHEN r.qualified > 0 AND CAST(r.active_users AS BIGINT) * 100 >= CAST(r.qualified AS BIGINT) * 40 THEN 1 ELSE 0 END)
FROM usage_months r GROUP BY r.tkey, r.month;
