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
-- Statement triggers read the rows each statement changed (transition tables) and
-- refresh the flags of their tenants in one statement: an import of thousands of tenants
-- refreshes them once. The service lines' keys never change, so only their inserts and
-- deletes count (an update trigger would fire on every seat and usage change).
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

-- The flags of tenants `ids` that differ from the rule (the IDs joined as a set: an
-- import's tens of thousands are not searched one by one). The tenants' rows are locked
-- first, in key order, whether or not their flag changes: two transactions changing the
-- same tenant's partners, scenarios or assignments at once then take turns, and the
-- second reads the rule (a statement of its own, so under READ COMMITTED a snapshot taken
-- after the first committed) with the first's change in it.
CREATE FUNCTION rm_not_partner_refresh(ids text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM tenants WHERE tenant_id IN (SELECT unnest(ids))
        ORDER BY tenant_id FOR NO KEY UPDATE;
    UPDATE tenants t SET rm_not_partner = v.listed
    FROM tenant_rm_not_partner v
    WHERE t.tenant_id IN (SELECT unnest(ids)) AND v.tenant_id = t.tenant_id
      AND t.rm_not_partner <> v.listed;
END $$;

CREATE FUNCTION rm_not_partner_of_new_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM rm_not_partner_refresh(ARRAY(SELECT DISTINCT tenant_id FROM new_rows));
    RETURN NULL;
END $$;
CREATE FUNCTION rm_not_partner_of_old_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM rm_not_partner_refresh(ARRAY(SELECT DISTINCT tenant_id FROM old_rows));
    RETURN NULL;
END $$;
CREATE FUNCTION rm_not_partner_of_changed_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM rm_not_partner_refresh(ARRAY(
        SELECT tenant_id FROM old_rows UNION SELECT tenant_id FROM new_rows));
    RETURN NULL;
END $$;
CREATE FUNCTION rm_not_partner_of_every_tenant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tenants t SET rm_not_partner = v.listed
    FROM tenant_rm_not_partner v
    WHERE v.tenant_id = t.tenant_id AND t.rm_not_partner <> v.listed;
    RETURN NULL;
END $$;
-- Assignments added or changed: their users' rows are locked first (FOR SHARE, which a
-- change of role waits for and which waits for one), so an assignment and a change of
-- its user's role made at once are seen together by whichever refreshes second.
CREATE FUNCTION rm_not_partner_of_assignments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM users WHERE id IN (SELECT user_id FROM new_rows) ORDER BY id FOR SHARE;
    IF TG_OP = 'UPDATE' THEN
        PERFORM rm_not_partner_refresh(ARRAY(
            SELECT tenant_id FROM old_rows UNION SELECT tenant_id FROM new_rows));
    ELSE
        PERFORM rm_not_partner_refresh(ARRAY(SELECT DISTINCT tenant_id FROM new_rows));
    END IF;
    RETURN NULL;
END $$;
-- Users whose role changed: the tenants where they are primary tenant-wide RM.
CREATE FUNCTION rm_not_partner_of_users() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM rm_not_partner_refresh(ARRAY(
        SELECT a.tenant_id FROM new_rows n JOIN old_rows o ON o.id = n.id
        JOIN assignments a ON a.user_id = n.id
        WHERE o.role IS DISTINCT FROM n.role
          AND a.service = '' AND a.is_primary = 1 AND a.role = 'rm'));
    RETURN NULL;
END $$;

CREATE TRIGGER tenant_partners_rm_not_partner_insert AFTER INSERT ON tenant_partners
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rm_not_partner_of_new_rows();
CREATE TRIGGER tenant_partners_rm_not_partner_delete AFTER DELETE ON tenant_partners
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rm_not_partner_of_old_rows();
CREATE TRIGGER tenant_partners_rm_not_partner_truncate AFTER TRUNCATE ON tenant_partners
    FOR EACH STATEMENT EXECUTE FUNCTION rm_not_partner_of_every_tenant();
CREATE TRIGGER tenant_partners_rm_not_partner_update AFTER UPDATE ON tenant_partners
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rm_not_partner_of_changed_rows();

CREATE TRIGGER tenant_services_rm_not_partner_insert AFTER INSERT ON tenant_services
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rm_not_partner_of_new_rows();
CREATE TRIGGER tenant_services_rm_not_partner_delete AFTER DELETE ON tenant_services
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rm_not_partner_of_old_rows();
CREATE TRIGGER tenant_services_rm_not_partner_truncate AFTER TRUNCATE ON tenant_services
    FOR EACH STATEMENT EXECUTE FUNCTION rm_not_partner_of_every_tenant();

CREATE TRIGGER service_delivery_rm_not_partner_insert AFTER INSERT ON service_delivery
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rm_not_partner_of_new_rows();
CREATE TRIGGER service_delivery_rm_not_partner_delete AFTER DELETE ON service_delivery
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rm_not_partner_of_old_rows();
CREATE TRIGGER service_delivery_rm_not_partner_truncate AFTER TRUNCATE ON service_delivery
    FOR EACH STATEMENT EXECUTE FUNCTION rm_not_partner_of_every_tenant();
CREATE TRIGGER service_delivery_rm_not_partner_update AFTER UPDATE ON service_delivery
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rm_not_partner_of_changed_rows();

CREATE TRIGGER assignments_rm_not_partner_insert AFTER INSERT ON assignments
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rm_not_partner_of_assignments();
CREATE TRIGGER assignments_rm_not_partner_delete AFTER DELETE ON assignments
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rm_not_partner_of_old_rows();
CREATE TRIGGER assignments_rm_not_partner_truncate AFTER TRUNCATE ON assignments
    FOR EACH STATEMENT EXECUTE FUNCTION rm_not_partner_of_every_tenant();
CREATE TRIGGER assignments_rm_not_partner_update AFTER UPDATE ON assignments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rm_not_partner_of_assignments();

CREATE TRIGGER users_rm_not_partner_update AFTER UPDATE ON users
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rm_not_partner_of_users();
