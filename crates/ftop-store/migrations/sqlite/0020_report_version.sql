-- The version of what the report tabs read (issue 17). The store keeps the reports it
-- computed with the version they were read at and serves them again while the version
-- has not moved (reports/memo.rs). Every change that ftop makes to a table a report reads
-- moves the version, here, in the transaction of the change, whatever code path or
-- instance made it. Like adoption_group_version it starts at a random value, so that
-- another database put in its place is not taken for this one.
--
-- SQLite has no statement triggers, so each row a statement changes moves the version
-- (one single-writer database: no other writer waits on it). Three exceptions keep the
-- bulk paths cheap: updates of a tenant's or a rollup's predicted gain (no report reads
-- them) do not count, and the month rows (usage_months, millions an import) have no
-- trigger: the code that writes them moves the version itself (adoption/months.rs,
-- sqlite/recompute.rs). A change made by hand to the month rows must do the same, or be
-- followed by `ftop usage recompute`, which does.
CREATE TABLE report_version (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  INTEGER NOT NULL
);
INSERT INTO report_version (id, version) VALUES (1, abs(random() % 1000000000000));
CREATE TRIGGER tenants_insert_report_version AFTER INSERT ON tenants
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER tenants_update_report_version AFTER UPDATE ON tenants
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER tenants_delete_report_version AFTER DELETE ON tenants
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER tenant_services_insert_report_version AFTER INSERT ON tenant_services
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER tenant_services_update_report_version AFTER UPDATE ON tenant_services
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER tenant_services_delete_report_version AFTER DELETE ON tenant_services
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER service_delivery_insert_report_version AFTER INSERT ON service_delivery
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER service_delivery_update_report_version AFTER UPDATE ON service_delivery
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER service_delivery_delete_report_version AFTER DELETE ON service_delivery
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER entitlement_status_insert_report_version AFTER INSERT ON entitlement_status
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER entitlement_status_update_report_version AFTER UPDATE ON entitlement_status
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER entitlement_status_delete_report_version AFTER DELETE ON entitlement_status
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER assignments_insert_report_version AFTER INSERT ON assignments
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER assignments_update_report_version AFTER UPDATE ON assignments
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER assignments_delete_report_version AFTER DELETE ON assignments
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER tenant_partners_insert_report_version AFTER INSERT ON tenant_partners
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER tenant_partners_update_report_version AFTER UPDATE ON tenant_partners
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER tenant_partners_delete_report_version AFTER DELETE ON tenant_partners
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER users_insert_report_version AFTER INSERT ON users
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER users_update_report_version AFTER UPDATE ON users
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER users_delete_report_version AFTER DELETE ON users
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER adoption_tenants_insert_report_version AFTER INSERT ON adoption_tenants
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER adoption_tenants_update_report_version AFTER UPDATE OF tkey, tenant_id ON adoption_tenants
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER adoption_tenants_delete_report_version AFTER DELETE ON adoption_tenants
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER adoption_services_insert_report_version AFTER INSERT ON adoption_services
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER adoption_services_update_report_version AFTER UPDATE ON adoption_services
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER adoption_services_delete_report_version AFTER DELETE ON adoption_services
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER adoption_rollups_insert_report_version AFTER INSERT ON adoption_rollups
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER adoption_rollups_update_report_version AFTER UPDATE OF tkey, svc, as_of, active_users, qualified, au_bp, bucket, milestone_10, milestone_40, target_10, target_40 ON adoption_rollups
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER adoption_rollups_delete_report_version AFTER DELETE ON adoption_rollups
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER usage_month_totals_insert_report_version AFTER INSERT ON usage_month_totals
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER usage_month_totals_update_report_version AFTER UPDATE ON usage_month_totals
BEGIN UPDATE report_version SET version = version + 1; END;
CREATE TRIGGER usage_month_totals_delete_report_version AFTER DELETE ON usage_month_totals
BEGIN UPDATE report_version SET version = version + 1; END;
