-- The month rows are read by tenant (their key), through the month totals, or, for one
-- month of the whole portfolio, in key order. The index by month and service cost the
-- usage import more than writing the rows themselves, and at B5's size the scan in key
-- order answers a month's drill-down sooner than its look-ups did (BENCHMARKS.md, B5).
DROP INDEX IF EXISTS usage_months_month;

-- Since this version the imports keep the month rows from the rows they pass, so every
-- service with figures must have its month rows. Services that have none yet (usage not
-- imported since migration 16 and no recompute since) get them from their figures: each
-- month's last figure, the month computed as in adoption/months.rs.
INSERT INTO usage_months (tkey, svc, month, day, active_users, qualified)
SELECT f.tkey, f.svc, g.month, f.day, f.active_users, f.qualified
FROM (SELECT tkey, svc, month, MAX(day) AS day
      FROM (SELECT tkey, svc, day,
               (yoe + era * 400 + CASE WHEN mp >= 10 THEN 1 ELSE 0 END) * 12
                   + CASE WHEN mp < 10 THEN mp + 3 ELSE mp - 9 END - 1 AS month
            FROM (SELECT tkey, svc, day, era, yoe,
                     (5 * (doe - (365 * yoe + yoe / 4 - yoe / 100)) + 2) / 153 AS mp
                  FROM (SELECT tkey, svc, day, era, doe,
                           (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365 AS yoe
                        FROM (SELECT tkey, svc, day, era, z - era * 146097 AS doe
                              FROM (SELECT tkey, svc, day, z,
                                       (CASE WHEN z >= 0 THEN z ELSE z - 146096 END) / 146097 AS era
                                    FROM (SELECT u.tkey, u.svc, u.day, CAST(u.day AS BIGINT) + 719468 AS z
                                          FROM usage_figures u
                                          WHERE NOT EXISTS (SELECT 1 FROM usage_months m
                                                            WHERE m.tkey = u.tkey AND m.svc = u.svc)) z0) z1)
                              z2) z3) z4) m
      GROUP BY tkey, svc, month) g
JOIN usage_figures f ON f.tkey = g.tkey AND f.svc = g.svc AND f.day = g.day;

-- And the totals again from all month rows.
DELETE FROM usage_month_totals;
INSERT INTO usage_month_totals (month, svc, services, with_seats, active_users,
    seated_active, qualified, capped_active, at_10, at_40)
SELECT month, svc, COUNT(*),
    SUM(CASE WHEN qualified > 0 THEN 1 ELSE 0 END),
    SUM(CAST(active_users AS BIGINT)),
    SUM(CASE WHEN qualified > 0 THEN CAST(active_users AS BIGINT) ELSE 0 END),
    SUM(CASE WHEN qualified > 0 THEN CAST(qualified AS BIGINT) ELSE 0 END),
    SUM(CASE WHEN qualified <= 0 THEN 0 WHEN active_users < qualified
        THEN CAST(active_users AS BIGINT) ELSE CAST(qualified AS BIGINT) END),
    SUM(CASE WHEN qualified > 0 AND CAST(active_users AS BIGINT) * 100 >= CAST(qualified AS BIGINT) * 10
        THEN 1 ELSE 0 END),
    SUM(CASE WHEN qualified > 0 AND CAST(active_users AS BIGINT) * 100 >= CAST(qualified AS BIGINT) * 40
        THEN 1 ELSE 0 END)
FROM usage_months GROUP BY month, svc;
