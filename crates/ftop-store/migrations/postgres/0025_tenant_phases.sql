-- Each tenant's current phase, kept for the portfolio summary (issue 16, BENCHMARKS.md
-- B11): see the SQLite migration of the same number for the rule. Here the triggers of
-- tenants, service lines and assignments run once per statement and read the changed
-- rows (transition tables), so a bulk write moves each tenant's gen once; those of task
-- states run per row (below); TRUNCATE of a table the phase is worked out from moves
-- every tenant's.
CREATE TABLE tenant_phases (
    tenant_id         TEXT PRIMARY KEY REFERENCES tenants (tenant_id) ON DELETE CASCADE,
    gen               BIGINT NOT NULL DEFAULT 0,
    phase             INTEGER,
    phase_gen         BIGINT,
    playbook_version  BIGINT
);
INSERT INTO tenant_phases (tenant_id) SELECT tenant_id FROM tenants;

-- The gens of tenants `ids` moved. The tenants' rows are locked first, in key order, as
-- the "RM is not the partner" triggers lock them (migration 22), then their phase rows:
-- every writer takes the two in the same order.
CREATE FUNCTION tenant_phases_move(ids TEXT[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM tenants WHERE tenant_id IN (SELECT unnest(ids))
        ORDER BY tenant_id FOR NO KEY UPDATE;
    PERFORM 1 FROM tenant_phases WHERE tenant_id IN (SELECT unnest(ids))
        ORDER BY tenant_id FOR NO KEY UPDATE;
    UPDATE tenant_phases SET gen = gen + 1 WHERE tenant_id IN (SELECT unnest(ids));
END $$;

CREATE FUNCTION tenants_phase_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tenant_phases (tenant_id) SELECT tenant_id FROM new_rows
        ON CONFLICT (tenant_id) DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER tenants_insert_phase AFTER INSERT ON tenants
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tenants_phase_added();

CREATE FUNCTION tenants_phase_flags() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids TEXT[];
BEGIN
    ids := ARRAY(SELECT x.tenant_id FROM (
        SELECT tenant_id, enterprise_exception, adoption_benefit FROM new_rows
        EXCEPT SELECT tenant_id, enterprise_exception, adoption_benefit FROM old_rows) x);
    IF cardinality(ids) > 0 THEN
        PERFORM tenant_phases_move(ids);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER tenants_update_phase AFTER UPDATE ON tenants
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tenants_phase_flags();

-- Changed rows of tenant_services (TG_ARGV[0] 'line') and assignments (CSM ones:
-- 'csm'). An update counts only where what the phase reads changed (a line's seats, a CSM
-- row's key): a statement trigger cannot name columns, and the usage import rewrites
-- every touched line's day of its latest figure. The changed rows are found by EXCEPT
-- (hashed or sorted whatever the statement's size), not by a join whose kept plan could
-- suit a one-row statement and then meet a bulk one.
CREATE FUNCTION phase_rows_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids TEXT[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF TG_ARGV[0] = 'csm' THEN
            ids := ARRAY(SELECT tenant_id FROM new_rows WHERE role = 'csm');
        ELSE
            ids := ARRAY(SELECT tenant_id FROM new_rows);
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        IF TG_ARGV[0] = 'csm' THEN
            ids := ARRAY(SELECT tenant_id FROM old_rows WHERE role = 'csm');
        ELSE
            ids := ARRAY(SELECT tenant_id FROM old_rows);
        END IF;
    ELSIF TG_ARGV[0] = 'csm' THEN
        ids := ARRAY(SELECT x.tenant_id FROM (
            (SELECT tenant_id, user_id, service FROM new_rows WHERE role = 'csm'
             EXCEPT SELECT tenant_id, user_id, service FROM old_rows WHERE role = 'csm')
            UNION
            (SELECT tenant_id, user_id, service FROM old_rows WHERE role = 'csm'
             EXCEPT SELECT tenant_id, user_id, service FROM new_rows WHERE role = 'csm')) x);
    ELSE
        ids := ARRAY(SELECT x.tenant_id FROM (
            (SELECT tenant_id, service, qualified FROM new_rows
             EXCEPT SELECT tenant_id, service, qualified FROM old_rows)
            UNION
            (SELECT tenant_id, service, qualified FROM old_rows
             EXCEPT SELECT tenant_id, service, qualified FROM new_rows)) x);
    END IF;
    IF cardinality(ids) > 0 THEN
        PERFORM tenant_phases_move(ids);
    END IF;
    RETURN NULL;
END $$;
CREATE FUNCTION phase_rows_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tenant_phases SET gen = gen + 1;
    RETURN NULL;
END $$;

-- Task states change one at a time on the portal's hottest write path (B3): row
-- triggers whose WHEN conditions PostgreSQL checks without calling a function, so that a
-- service's task or a change of anything else costs nothing, and no transition table is
-- built. They lock only the phase row they move (a task's writer takes no tenant's row,
-- so it never waits for one while holding a phase row), and the task writers of one
-- instance each hold their own tenants (`task_commit.rs`).
CREATE FUNCTION task_state_phase() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE tenant_phases SET gen = gen + 1 WHERE tenant_id = OLD.tenant_id;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.tenant_id <> OLD.tenant_id) THEN
        UPDATE tenant_phases SET gen = gen + 1 WHERE tenant_id = NEW.tenant_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER task_states_insert_phase AFTER INSERT ON task_states
    FOR EACH ROW WHEN (NEW.service = '') EXECUTE FUNCTION task_state_phase();
CREATE TRIGGER task_states_update_phase AFTER UPDATE ON task_states
    FOR EACH ROW WHEN ((NEW.service = '' OR OLD.service = '')
        AND (OLD.status IS DISTINCT FROM NEW.status
            OR OLD.archived_version IS DISTINCT FROM NEW.archived_version
            OR OLD.service IS DISTINCT FROM NEW.service OR OLD.task_id IS DISTINCT FROM NEW.task_id
            OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id))
    EXECUTE FUNCTION task_state_phase();
CREATE TRIGGER task_states_delete_phase AFTER DELETE ON task_states
    FOR EACH ROW WHEN (OLD.service = '') EXECUTE FUNCTION task_state_phase();
CREATE TRIGGER task_states_truncate_phase AFTER TRUNCATE ON task_states
    FOR EACH STATEMENT EXECUTE FUNCTION phase_rows_truncated();

CREATE TRIGGER tenant_services_insert_phase AFTER INSERT ON tenant_services
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION phase_rows_changed('line');
CREATE TRIGGER tenant_services_update_phase AFTER UPDATE ON tenant_services
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION phase_rows_changed('line');
CREATE TRIGGER tenant_services_delete_phase AFTER DELETE ON tenant_services
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION phase_rows_changed('line');
CREATE TRIGGER tenant_services_truncate_phase AFTER TRUNCATE ON tenant_services
    FOR EACH STATEMENT EXECUTE FUNCTION phase_rows_truncated();

CREATE TRIGGER assignments_insert_phase AFTER INSERT ON assignments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION phase_rows_changed('csm');
CREATE TRIGGER assignments_update_phase AFTER UPDATE ON assignments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION phase_rows_changed('csm');
CREATE TRIGGER assignments_delete_phase AFTER DELETE ON assignments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION phase_rows_changed('csm');
CREATE TRIGGER assignments_truncate_phase AFTER TRUNCATE ON assignments
    FOR EACH STATEMENT EXECUTE FUNCTION phase_rows_truncated();
