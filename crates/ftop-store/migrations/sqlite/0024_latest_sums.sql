-- The latest figures' sums by service (usage_latest_totals) and the number of tenants
-- with a figure (usage_latest_tenants), which PostgreSQL has kept since migration 23,
-- now kept on SQLite too (adoption/report_sums.rs; BENCHMARKS.md, B10): the milestone,
-- conversion, service usage and credit reports over every tenant read ten rows instead
-- of scanning a million rollups after each change. The usage import's writer moves them
-- by the difference it computes, the other writers by the range they rebuild, and a
-- recompute rebuilds them.
CREATE TABLE usage_latest_totals (
    svc            INTEGER PRIMARY KEY,
    services       INTEGER NOT NULL,
    with_seats     INTEGER NOT NULL,
    active_users   INTEGER NOT NULL,
    seated_active  INTEGER NOT NULL,
    qualified      INTEGER NOT NULL,
    capped_active  INTEGER NOT NULL,
    at_10          INTEGER NOT NULL,
    at_40          INTEGER NOT NULL
);
INSERT INTO usage_latest_totals (svc, services, with_seats, active_users, seated_active, qualified, capped_active, at_10, at_40)
SELECT r.svc, COUNT(*),
    SUM(CASE WHEN r.qualified > 0 THEN 1 ELSE 0 END),
    SUM(r.active_users),
    SUM(CASE WHEN r.qualified > 0 THEN r.active_users ELSE 0 END),
    SUM(CASE WHEN r.qualified > 0 THEN r.qualified ELSE 0 END),
    SUM(CASE WHEN r.qualified <= 0 THEN 0 WHEN r.active_users < r.qualified
        THEN r.active_users ELSE r.qualified END),
    SUM(CASE WHEN r.qualified > 0 AND r.active_users * 100 >= r.qualified * 10 THEN 1 ELSE 0 END),
    SUM(CASE WHEN r.qualified > 0 AND r.active_users * 100 >= r.qualified * 40 THEN 1 ELSE 0 END)
FROM adoption_rollups r WHERE r.as_of IS NOT NULL AND r.active_users IS NOT NULL
GROUP BY r.svc;

CREATE TABLE usage_latest_tenants (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    tenants  INTEGER NOT NULL
);
INSERT INTO usage_latest_tenants (id, tenants)
SELECT 1, COUNT(*) FROM adoption_tenants k WHERE EXISTS (SELECT 1 FROM adoption_rollups r
    WHERE r.tkey = k.tkey AND r.as_of IS NOT NULL AND r.active_users IS NOT NULL);
