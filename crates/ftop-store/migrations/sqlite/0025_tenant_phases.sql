-- Each tenant's current phase, kept for the portfolio summary (issue 16, BENCHMARKS.md
-- B11) so that a view counts phases in SQL instead of working out every tenant's phase
-- from its facts and task states. The phase is the domain rule's (the first phase whose
-- mandatory tenant-wide tasks are not all done), which only Rust applies: the store
-- works it out for the tenants whose kept phase is not current and writes it here
-- (engagement/portfolio/kept.rs).
--
-- gen counts the changes of what the phase is worked out from: the triggers below move
-- it, in the transaction of the change, when a tenant-wide task state, the tenant's
-- flags, its service lines or its CSM assignments change. A kept phase counts only while
-- phase_gen equals gen and playbook_version is the version in force, so a phase worked
-- out from rows that changed meanwhile is never counted (its write carries the gen it
-- read and changes nothing once gen has moved).
CREATE TABLE tenant_phases (
    tenant_id         TEXT PRIMARY KEY REFERENCES tenants (tenant_id) ON DELETE CASCADE,
    gen               INTEGER NOT NULL DEFAULT 0,
    phase             INTEGER,
    phase_gen         INTEGER,
    playbook_version  INTEGER
);
INSERT INTO tenant_phases (tenant_id) SELECT tenant_id FROM tenants;

CREATE TRIGGER tenants_insert_phase AFTER INSERT ON tenants
BEGIN
    INSERT OR IGNORE INTO tenant_phases (tenant_id) VALUES (NEW.tenant_id);
END;
CREATE TRIGGER tenants_update_phase AFTER UPDATE OF enterprise_exception, adoption_benefit ON tenants
WHEN OLD.enterprise_exception IS NOT NEW.enterprise_exception
  OR OLD.adoption_benefit IS NOT NEW.adoption_benefit
BEGIN
    UPDATE tenant_phases SET gen = gen + 1 WHERE tenant_id = NEW.tenant_id;
END;

CREATE TRIGGER task_states_insert_phase AFTER INSERT ON task_states
WHEN NEW.service = ''
BEGIN
    UPDATE tenant_phases SET gen = gen + 1 WHERE tenant_id = NEW.tenant_id;
END;
CREATE TRIGGER task_states_update_phase AFTER UPDATE OF tenant_id, task_id, service, status, archived_version ON task_states
WHEN (NEW.service = '' OR OLD.service = '')
  AND (OLD.tenant_id IS NOT NEW.tenant_id OR OLD.task_id IS NOT NEW.task_id
    OR OLD.service IS NOT NEW.service OR OLD.status IS NOT NEW.status
    OR OLD.archived_version IS NOT NEW.archived_version)
BEGIN
    UPDATE tenant_phases SET gen = gen + 1 WHERE tenant_id IN (OLD.tenant_id, NEW.tenant_id);
END;
CREATE TRIGGER task_states_delete_phase AFTER DELETE ON task_states
WHEN OLD.service = ''
BEGIN
    UPDATE tenant_phases SET gen = gen + 1 WHERE tenant_id = OLD.tenant_id;
END;

CREATE TRIGGER tenant_services_insert_phase AFTER INSERT ON tenant_services
BEGIN
    UPDATE tenant_phases SET gen = gen + 1 WHERE tenant_id = NEW.tenant_id;
END;
CREATE TRIGGER tenant_services_update_phase AFTER UPDATE OF tenant_id, service, qualified ON tenant_services
WHEN OLD.tenant_id IS NOT NEW.tenant_id OR OLD.service IS NOT NEW.service
  OR OLD.qualified IS NOT NEW.qualified
BEGIN
    UPDATE tenant_phases SET gen = gen + 1 WHERE tenant_id IN (OLD.tenant_id, NEW.tenant_id);
END;
CREATE TRIGGER tenant_services_delete_phase AFTER DELETE ON tenant_services
BEGIN
    UPDATE tenant_phases SET gen = gen + 1 WHERE tenant_id = OLD.tenant_id;
END;

CREATE TRIGGER assignments_insert_phase AFTER INSERT ON assignments
WHEN NEW.role = 'csm'
BEGIN
    UPDATE tenant_phases SET gen = gen + 1 WHERE tenant_id = NEW.tenant_id;
END;
CREATE TRIGGER assignments_update_phase AFTER UPDATE OF tenant_id, role ON assignments
WHEN (NEW.role = 'csm' OR OLD.role = 'csm')
  AND (OLD.tenant_id IS NOT NEW.tenant_id OR OLD.role IS NOT NEW.role)
BEGIN
    UPDATE tenant_phases SET gen = gen + 1 WHERE tenant_id IN (OLD.tenant_id, NEW.tenant_id);
END;
CREATE TRIGGER assignments_delete_phase AFTER DELETE ON assignments
WHEN OLD.role = 'csm'
BEGIN
    UPDATE tenant_phases SET gen = gen + 1 WHERE tenant_id = OLD.tenant_id;
END;
