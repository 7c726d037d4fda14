-- Each service line keeps the day of its latest usage figure (issue 17, B10): the data
-- health report's "no recent usage" check then reads one table through one index
-- instead of joining every line to its rollup (640 ms at 1,000,000 lines).
--
-- The day is the rollup's as_of, copied here by the triggers below whatever writes the
-- rollups (imports, recompute, seat changes): rollups written, moved or removed, and
-- lines added for a tenant and service that already have figures. They are statement
-- triggers that read the statement's changed rows (transition tables), so an import that
-- writes thousands of rollups a statement updates the lines in one join, and a statement
-- that changes no rollup's day (a predicted gain, a target) updates none. The writers of
-- rollups with figures take turns (an advisory lock, adoption/rollups/mod.rs), and so do
-- changes to an existing tenant's service lines, before they touch a line: a line added
-- while an import writes its figures then sees them, and no writer holds a line another
-- one waits for while it waits for the turn.
ALTER TABLE tenant_services ADD COLUMN last_figure INTEGER;
UPDATE tenant_services ts SET last_figure = r.as_of
FROM adoption_tenants k, adoption_services c, adoption_rollups r
WHERE k.tenant_id = ts.tenant_id AND c.service = ts.service
  AND r.tkey = k.tkey AND r.svc = c.svc AND r.as_of IS NOT NULL;
CREATE INDEX tenant_services_last_figure ON tenant_services (last_figure) WHERE qualified > 0;

-- The lines of the rollups in `rows` (tkey, svc, as_of) take their day.
CREATE FUNCTION last_figure_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        -- Most updates change no rollup's day or keys (predicted gains, targets, seats of
        -- services without figures): two small joins of the statement's own rows say so
        -- before any line is looked at.
        IF NOT EXISTS (SELECT 1 FROM new_rows n JOIN old_rows o ON o.tkey = n.tkey AND o.svc = n.svc
                       WHERE o.as_of IS DISTINCT FROM n.as_of)
           AND NOT EXISTS (SELECT 1 FROM old_rows o
                       WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.tkey = o.tkey AND n.svc = o.svc)) THEN
            RETURN NULL;
        END IF;
        -- A rollup moved to other keys leaves its old line without figures.
        UPDATE tenant_services ts SET last_figure = NULL
        FROM old_rows o JOIN adoption_tenants k ON k.tkey = o.tkey
        JOIN adoption_services c ON c.svc = o.svc
        WHERE ts.tenant_id = k.tenant_id AND ts.service = c.service
          AND ts.last_figure IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.tkey = o.tkey AND n.svc = o.svc);
        UPDATE tenant_services ts SET last_figure = n.as_of
        FROM new_rows n LEFT JOIN old_rows o ON o.tkey = n.tkey AND o.svc = n.svc
        JOIN adoption_tenants k ON k.tkey = n.tkey
        JOIN adoption_services c ON c.svc = n.svc
        WHERE (o.tkey IS NULL OR o.as_of IS DISTINCT FROM n.as_of)
          AND ts.tenant_id = k.tenant_id AND ts.service = c.service
          AND ts.last_figure IS DISTINCT FROM n.as_of;
    ELSE
        UPDATE tenant_services ts SET last_figure = n.as_of
        FROM new_rows n JOIN adoption_tenants k ON k.tkey = n.tkey
        JOIN adoption_services c ON c.svc = n.svc
        WHERE n.as_of IS NOT NULL AND ts.tenant_id = k.tenant_id AND ts.service = c.service
          AND ts.last_figure IS DISTINCT FROM n.as_of;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION last_figure_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tenant_services ts SET last_figure = NULL
    FROM old_rows o JOIN adoption_tenants k ON k.tkey = o.tkey
    JOIN adoption_services c ON c.svc = o.svc
    WHERE o.as_of IS NOT NULL AND ts.tenant_id = k.tenant_id AND ts.service = c.service
      AND ts.last_figure IS NOT NULL;
    RETURN NULL;
END $$;

CREATE FUNCTION last_figure_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tenant_services SET last_figure = NULL WHERE last_figure IS NOT NULL;
    RETURN NULL;
END $$;

-- Lines added for a tenant and service that already has figures.
CREATE FUNCTION last_figure_of_new_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tenant_services ts SET last_figure = r.as_of
    FROM new_lines n JOIN adoption_tenants k ON k.tenant_id = n.tenant_id
    JOIN adoption_services c ON c.service = n.service
    JOIN adoption_rollups r ON r.tkey = k.tkey AND r.svc = c.svc
    WHERE r.as_of IS NOT NULL AND ts.tenant_id = n.tenant_id AND ts.service = n.service;
    RETURN NULL;
END $$;

CREATE TRIGGER adoption_rollups_last_figure_insert AFTER INSERT ON adoption_rollups
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION last_figure_written();
CREATE TRIGGER adoption_rollups_last_figure_update AFTER UPDATE ON adoption_rollups
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION last_figure_written();
CREATE TRIGGER adoption_rollups_last_figure_delete AFTER DELETE ON adoption_rollups
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION last_figure_removed();
CREATE TRIGGER adoption_rollups_last_figure_truncate AFTER TRUNCATE ON adoption_rollups
    FOR EACH STATEMENT EXECUTE FUNCTION last_figure_truncated();
CREATE TRIGGER tenant_services_last_figure_insert AFTER INSERT ON tenant_services
    REFERENCING NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION last_figure_of_new_lines();
