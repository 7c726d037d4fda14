-- The version of what the report tabs read (issue 17). The store keeps the reports it
-- computed with the version they were read at and serves them again while the version
-- has not moved (reports/memo.rs); every change to a table a report reads moves it, here,
-- whatever code path made the change. Like adoption_group_version it starts at a random
-- value, so that another database put in its place is not taken for this one.
--
-- One statement trigger a table, so a bulk COPY or UPDATE moves it once.
CREATE TABLE report_version (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  BIGINT NOT NULL
);
INSERT INTO report_version (id, version) VALUES (1, floor(random() * 1000000000000)::bigint);

CREATE FUNCTION report_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE report_version SET version = version + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER tenants_report_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tenants
    FOR EACH STATEMENT EXECUTE FUNCTION report_version_bump();
CREATE TRIGGER tenant_services_report_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tenant_services
    FOR EACH STATEMENT EXECUTE FUNCTION report_version_bump();
CREATE TRIGGER service_delivery_report_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON service_delivery
    FOR EACH STATEMENT EXECUTE FUNCTION report_version_bump();
CREATE TRIGGER entitlement_status_report_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON entitlement_status
    FOR EACH STATEMENT EXECUTE FUNCTION report_version_bump();
CREATE TRIGGER assignments_report_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON assignments
    FOR EACH STATEMENT EXECUTE FUNCTION report_version_bump();
CREATE TRIGGER tenant_partners_report_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tenant_partners
    FOR EACH STATEMENT EXECUTE FUNCTION report_version_bump();
CREATE TRIGGER users_report_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION report_version_bump();
CREATE TRIGGER adoption_tenants_report_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON adoption_tenants
    FOR EACH STATEMENT EXECUTE FUNCTION report_version_bump();
CREATE TRIGGER adoption_services_report_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON adoption_services
    FOR EACH STATEMENT EXECUTE FUNCTION report_version_bump();
CREATE TRIGGER adoption_rollups_report_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON adoption_rollups
    FOR EACH STATEMENT EXECUTE FUNCTION report_version_bump();
CREATE TRIGGER usage_month_totals_report_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON usage_month_totals
    FOR EACH STATEMENT EXECUTE FUNCTION report_version_bump();
CREATE TRIGGER usage_months_report_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON usage_months
    FOR EACH STATEMENT EXECUTE FUNCTION report_version_bump();
