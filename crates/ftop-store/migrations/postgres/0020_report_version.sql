-- The version of what the report tabs read (issue 17). The store keeps the reports it
-- computed with the version they were read at and serves them again while the version
-- has not moved (reports/memo.rs). Every change that ftop makes to a table a report reads
-- moves the version, here, in the transaction of the change, whatever code path or
-- instance made it. Like adoption_group_version it starts at a random value, so that
-- another database put in its place is not taken for this one.
--
-- A statement that changes one of those tables marks its transaction once (a row in
-- report_version_marks and a transaction-local setting); the mark's deferred trigger
-- moves the version when the transaction commits. The version's row is so locked only
-- during a commit, as the last thing a transaction does: a long import holds no lock
-- that other changes wait for, and no lock order can deadlock on it. This holds while
-- the mark's trigger is the last deferred work of a commit (add no other deferrable
-- constraint without thinking of it), under READ COMMITTED (under REPEATABLE READ two
-- concurrent commits would fail on the row instead of waiting), and unless a transaction
-- sets its constraints immediate (the version then moves, and its row stays locked, from
-- the first change on).
CREATE TABLE report_version (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  BIGINT NOT NULL
);
INSERT INTO report_version (id, version) VALUES (1, floor(random() * 1000000000000)::bigint);

CREATE TABLE report_version_marks (
    id  BIGSERIAL PRIMARY KEY
);

CREATE FUNCTION report_version_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('ftop.report_version_marked', true) IS DISTINCT FROM 'on' THEN
        PERFORM set_config('ftop.report_version_marked', 'on', true);
        INSERT INTO report_version_marks DEFAULT VALUES;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION report_version_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE report_version SET version = version + 1;
    DELETE FROM report_version_marks WHERE id = NEW.id;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER report_version_at_commit AFTER INSERT ON report_version_marks
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION report_version_move();

CREATE TRIGGER tenants_report_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tenants
    FOR EACH STATEMENT EXECUTE FUNCTION report_version_mark();
CREATE TRIGGER tenant_services_report_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tenant_services
    FOR EACH STATEMENT EXECUTE FUNCTION report_version_mark();
CREATE TRIGGER service_delivery_report_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON service_delivery
    FOR EACH STATEMENT EXECUTE FUNCTION report_version_mark();
CREATE TRIGGER entitlement_status_report_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON entitlement_status
    FOR EACH STATEMENT EXECUTE FUNCTION report_version_mark();
CREATE TRIGGER assignments_report_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON assignments
    FOR EACH STATEMENT EXECUTE FUNCTION report_version_mark();
CREATE TRIGGER tenant_partners_report_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tenant_partners
    FOR EACH STATEMENT EXECUTE FUNCTION report_version_mark();
CREATE TRIGGER users_report_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION report_version_mark();
CREATE TRIGGER adoption_tenants_report_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON adoption_tenants
    FOR EACH STATEMENT EXECUTE FUNCTION report_version_mark();
CREATE TRIGGER adoption_services_report_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON adoption_services
    FOR EACH STATEMENT EXECUTE FUNCTION report_version_mark();
CREATE TRIGGER adoption_rollups_report_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON adoption_rollups
    FOR EACH STATEMENT EXECUTE FUNCTION report_version_mark();
CREATE TRIGGER usage_month_totals_report_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON usage_month_totals
    FOR EACH STATEMENT EXECUTE FUNCTION report_version_mark();
CREATE TRIGGER usage_months_report_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON usage_months
    FOR EACH STATEMENT EXECUTE FUNCTION report_version_mark();
