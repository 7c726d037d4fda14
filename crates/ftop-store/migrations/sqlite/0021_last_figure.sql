-- Each service line keeps the day of its latest usage figure (issue 17, B10): the data
-- health report's "no recent usage" check then reads one table through one index
-- instead of joining every line to its rollup (760 ms at 1,000,000 lines).
--
-- The day is the rollup's as_of, copied here by the triggers below whatever writes the
-- rollups (imports, recompute, seat changes): a rollup written, moved or removed, and a
-- line added for a tenant and service that already has figures. The rollup's own
-- triggers move report_version; the copy does not move it again (the update trigger of
-- tenant_services from migration 20 is narrowed to the other columns).
ALTER TABLE tenant_services ADD COLUMN last_figure INTEGER;
UPDATE tenant_services SET last_figure = (
    SELECT r.as_of FROM adoption_tenants k
    JOIN adoption_services c ON c.service = tenant_services.service
    JOIN adoption_rollups r ON r.tkey = k.tkey AND r.svc = c.svc
    WHERE k.tenant_id = tenant_services.tenant_id);
CREATE INDEX tenant_services_last_figure ON tenant_services (last_figure) WHERE qualified > 0;

DROP TRIGGER tenant_services_update_report_version;
CREATE TRIGGER tenant_services_update_report_version
AFTER UPDATE OF tenant_id, service, entitlements, qualified, version ON tenant_services
BEGIN UPDATE report_version SET version = version + 1; END;

CREATE TRIGGER adoption_rollups_insert_last_figure AFTER INSERT ON adoption_rollups
WHEN NEW.as_of IS NOT NULL
BEGIN
    UPDATE tenant_services SET last_figure = NEW.as_of
    WHERE tenant_id = (SELECT tenant_id FROM adoption_tenants WHERE tkey = NEW.tkey)
      AND service = (SELECT service FROM adoption_services WHERE svc = NEW.svc);
END;
CREATE TRIGGER adoption_rollups_update_last_figure AFTER UPDATE OF tkey, svc, as_of ON adoption_rollups
WHEN NEW.as_of IS NOT OLD.as_of OR NEW.tkey <> OLD.tkey OR NEW.svc <> OLD.svc
BEGIN
    UPDATE tenant_services SET last_figure = NULL
    WHERE (NEW.tkey <> OLD.tkey OR NEW.svc <> OLD.svc)
      AND tenant_id = (SELECT tenant_id FROM adoption_tenants WHERE tkey = OLD.tkey)
      AND service = (SELECT service FROM adoption_services WHERE svc = OLD.svc);
    UPDATE tenant_services SET last_figure = NEW.as_of
    WHERE tenant_id = (SELECT tenant_id FROM adoption_tenants WHERE tkey = NEW.tkey)
      AND service = (SELECT service FROM adoption_services WHERE svc = NEW.svc);
END;
CREATE TRIGGER adoption_rollups_delete_last_figure AFTER DELETE ON adoption_rollups
WHEN OLD.as_of IS NOT NULL
BEGIN
    UPDATE tenant_services SET last_figure = NULL
    WHERE tenant_id = (SELECT tenant_id FROM adoption_tenants WHERE tkey = OLD.tkey)
      AND service = (SELECT service FROM adoption_services WHERE svc = OLD.svc);
END;
CREATE TRIGGER tenant_services_insert_last_figure AFTER INSERT ON tenant_services
WHEN EXISTS (SELECT 1 FROM adoption_tenants k JOIN adoption_rollups r ON r.tkey = k.tkey
    JOIN adoption_services c ON c.svc = r.svc
    WHERE k.tenant_id = NEW.tenant_id AND c.service = NEW.service AND r.as_of IS NOT NULL)
BEGIN
    UPDATE tenant_services SET last_figure = (
        SELECT r.as_of FROM adoption_tenants k
        JOIN adoption_services c ON c.service = NEW.service
        JOIN adoption_rollups r ON r.tkey = k.tkey AND r.svc = c.svc
        WHERE k.tenant_id = NEW.tenant_id)
    WHERE tenant_id = NEW.tenant_id AND service = NEW.service;
END;
