-- The compliance list "RM is not the partner" (issue 17, B10) as a flag each tenant
-- keeps: tenants.rm_not_partner is 1 when the tenant is shared with a partner
-- organisation, holds at least one partner-led service (a service never given a
-- scenario has the default, partner-led one) and has neither a primary tenant-wide
-- Partner RM nor a partner user as primary tenant-wide RM. The rule is the view
-- tenant_rm_not_partner below (reports/compliance.rs reads the flag, and applies the
-- same rule service by service when a report filter keeps only some services). Counting
-- and paging the list then reads one partial index instead of testing every tenant
-- (280-370 ms at 100,000 tenants).
--
-- Triggers keep the flag of each tenant whose partners, service lines, scenarios or
-- tenant-wide primary assignments change, and of the tenants whose primary RM's role
-- changes. A tenant shared with no partner is never listed: its lines, scenarios and
-- assignments are not looked at (a tenant import adds lines before partners). Each
-- writes the flag only when it changes; the write moves report_version as any change of
-- tenants does.
ALTER TABLE tenants ADD COLUMN rm_not_partner INTEGER NOT NULL DEFAULT 0;
CREATE VIEW tenant_rm_not_partner AS
SELECT t.tenant_id, CASE WHEN
        EXISTS (SELECT 1 FROM tenant_partners sp WHERE sp.tenant_id = t.tenant_id)
        AND EXISTS (SELECT 1 FROM tenant_services ts WHERE ts.tenant_id = t.tenant_id
            AND NOT EXISTS (SELECT 1 FROM service_delivery d
                WHERE d.tenant_id = ts.tenant_id AND d.service = ts.service
                AND d.scenario NOT IN ('ftp-led', 'customer-led-ftp-assist')))
        AND NOT EXISTS (SELECT 1 FROM assignments a JOIN users u ON u.id = a.user_id
            WHERE a.tenant_id = t.tenant_id AND a.service = '' AND a.is_primary = 1
            AND (a.role = 'p-rm' OR (a.role = 'rm' AND u.role = 'partner')))
    THEN 1 ELSE 0 END AS listed
FROM tenants t;
UPDATE tenants SET rm_not_partner = 1
WHERE tenant_id IN (SELECT tenant_id FROM tenant_rm_not_partner WHERE listed = 1);
CREATE INDEX tenants_rm_not_partner ON tenants (name) WHERE rm_not_partner = 1;

CREATE TRIGGER tenant_partners_insert_rm_not_partner AFTER INSERT ON tenant_partners
BEGIN
    UPDATE tenants SET rm_not_partner = (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = NEW.tenant_id)
    WHERE tenant_id = NEW.tenant_id
      AND rm_not_partner <> (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = NEW.tenant_id);
END;
CREATE TRIGGER tenant_partners_delete_rm_not_partner AFTER DELETE ON tenant_partners
BEGIN
    UPDATE tenants SET rm_not_partner = (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = OLD.tenant_id)
    WHERE tenant_id = OLD.tenant_id
      AND rm_not_partner <> (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = OLD.tenant_id);
END;
CREATE TRIGGER tenant_partners_update_rm_not_partner AFTER UPDATE OF tenant_id ON tenant_partners
BEGIN
    UPDATE tenants SET rm_not_partner = (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = OLD.tenant_id)
    WHERE tenant_id = OLD.tenant_id
      AND rm_not_partner <> (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = OLD.tenant_id);
    UPDATE tenants SET rm_not_partner = (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = NEW.tenant_id)
    WHERE tenant_id = NEW.tenant_id
      AND rm_not_partner <> (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = NEW.tenant_id);
END;

CREATE TRIGGER tenant_services_insert_rm_not_partner AFTER INSERT ON tenant_services
WHEN EXISTS (SELECT 1 FROM tenant_partners sp WHERE sp.tenant_id = NEW.tenant_id)
BEGIN
    UPDATE tenants SET rm_not_partner = (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = NEW.tenant_id)
    WHERE tenant_id = NEW.tenant_id
      AND rm_not_partner <> (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = NEW.tenant_id);
END;
CREATE TRIGGER tenant_services_delete_rm_not_partner AFTER DELETE ON tenant_services
WHEN EXISTS (SELECT 1 FROM tenant_partners sp WHERE sp.tenant_id = OLD.tenant_id)
BEGIN
    UPDATE tenants SET rm_not_partner = (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = OLD.tenant_id)
    WHERE tenant_id = OLD.tenant_id
      AND rm_not_partner <> (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = OLD.tenant_id);
END;
CREATE TRIGGER tenant_services_update_rm_not_partner AFTER UPDATE OF tenant_id, service ON tenant_services
BEGIN
    UPDATE tenants SET rm_not_partner = (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = OLD.tenant_id)
    WHERE tenant_id = OLD.tenant_id
      AND rm_not_partner <> (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = OLD.tenant_id);
    UPDATE tenants SET rm_not_partner = (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = NEW.tenant_id)
    WHERE tenant_id = NEW.tenant_id
      AND rm_not_partner <> (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = NEW.tenant_id);
END;

CREATE TRIGGER service_delivery_insert_rm_not_partner AFTER INSERT ON service_delivery
WHEN EXISTS (SELECT 1 FROM tenant_partners sp WHERE sp.tenant_id = NEW.tenant_id)
BEGIN
    UPDATE tenants SET rm_not_partner = (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = NEW.tenant_id)
    WHERE tenant_id = NEW.tenant_id
      AND rm_not_partner <> (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = NEW.tenant_id);
END;
CREATE TRIGGER service_delivery_delete_rm_not_partner AFTER DELETE ON service_delivery
WHEN EXISTS (SELECT 1 FROM tenant_partners sp WHERE sp.tenant_id = OLD.tenant_id)
BEGIN
    UPDATE tenants SET rm_not_partner = (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = OLD.tenant_id)
    WHERE tenant_id = OLD.tenant_id
      AND rm_not_partner <> (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = OLD.tenant_id);
END;
CREATE TRIGGER service_delivery_update_rm_not_partner AFTER UPDATE OF tenant_id, service, scenario ON service_delivery
BEGIN
    UPDATE tenants SET rm_not_partner = (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = OLD.tenant_id)
    WHERE tenant_id = OLD.tenant_id
      AND rm_not_partner <> (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = OLD.tenant_id);
    UPDATE tenants SET rm_not_partner = (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = NEW.tenant_id)
    WHERE tenant_id = NEW.tenant_id
      AND rm_not_partner <> (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = NEW.tenant_id);
END;

CREATE TRIGGER assignments_insert_rm_not_partner AFTER INSERT ON assignments
WHEN EXISTS (SELECT 1 FROM tenant_partners sp WHERE sp.tenant_id = NEW.tenant_id)
BEGIN
    UPDATE tenants SET rm_not_partner = (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = NEW.tenant_id)
    WHERE tenant_id = NEW.tenant_id
      AND rm_not_partner <> (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = NEW.tenant_id);
END;
CREATE TRIGGER assignments_delete_rm_not_partner AFTER DELETE ON assignments
WHEN EXISTS (SELECT 1 FROM tenant_partners sp WHERE sp.tenant_id = OLD.tenant_id)
BEGIN
    UPDATE tenants SET rm_not_partner = (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = OLD.tenant_id)
    WHERE tenant_id = OLD.tenant_id
      AND rm_not_partner <> (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = OLD.tenant_id);
END;
CREATE TRIGGER assignments_update_rm_not_partner AFTER UPDATE OF tenant_id, user_id, role, service, is_primary ON assignments
BEGIN
    UPDATE tenants SET rm_not_partner = (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = OLD.tenant_id)
    WHERE tenant_id = OLD.tenant_id
      AND rm_not_partner <> (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = OLD.tenant_id);
    UPDATE tenants SET rm_not_partner = (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = NEW.tenant_id)
    WHERE tenant_id = NEW.tenant_id
      AND rm_not_partner <> (SELECT v.listed FROM tenant_rm_not_partner v WHERE v.tenant_id = NEW.tenant_id);
END;

CREATE TRIGGER users_update_rm_not_partner AFTER UPDATE OF role ON users
WHEN NEW.role IS NOT OLD.role
BEGIN
    UPDATE tenants SET rm_not_partner = (SELECT v.listed FROM tenant_rm_not_partner v
        WHERE v.tenant_id = tenants.tenant_id)
    WHERE tenant_id IN (SELECT a.tenant_id FROM assignments a WHERE a.user_id = NEW.id
        AND a.service = '' AND a.is_primary = 1 AND a.role = 'rm');
END;
