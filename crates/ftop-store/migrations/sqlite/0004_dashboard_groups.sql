-- The adoption dashboard's groupings by partner and by manager (dashboard.rs) keep the
-- tenant -> partner and tenant -> primary FastTrack Manager maps in memory between page
-- views. This counter, bumped by every change to the tables they come from, tells a
-- process (the server, or another one sharing the file) when its copy is stale. It starts
-- at a random value so that another database put in the same file is not taken for this one.
CREATE TABLE adoption_group_version (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  INTEGER NOT NULL
);
INSERT INTO adoption_group_version (id, version) VALUES (1, abs(random() % 1000000000000));

CREATE TRIGGER tenant_partners_insert_version AFTER INSERT ON tenant_partners
BEGIN UPDATE adoption_group_version SET version = version + 1; END;
CREATE TRIGGER tenant_partners_update_version AFTER UPDATE ON tenant_partners
BEGIN UPDATE adoption_group_version SET version = version + 1; END;
CREATE TRIGGER tenant_partners_delete_version AFTER DELETE ON tenant_partners
BEGIN UPDATE adoption_group_version SET version = version + 1; END;
CREATE TRIGGER assignments_insert_version AFTER INSERT ON assignments
BEGIN UPDATE adoption_group_version SET version = version + 1; END;
CREATE TRIGGER assignments_update_version AFTER UPDATE ON assignments
BEGIN UPDATE adoption_group_version SET version = version + 1; END;
CREATE TRIGGER assignments_delete_version AFTER DELETE ON assignments
BEGIN UPDATE adoption_group_version SET version = version + 1; END;
CREATE TRIGGER adoption_tenants_insert_version AFTER INSERT ON adoption_tenants
BEGIN UPDATE adoption_group_version SET version = version + 1; END;
CREATE TRIGGER adoption_tenants_update_version AFTER UPDATE ON adoption_tenants
BEGIN UPDATE adoption_group_version SET version = version + 1; END;
CREATE TRIGGER adoption_tenants_delete_version AFTER DELETE ON adoption_tenants
BEGIN UPDATE adoption_group_version SET version = version + 1; END;
