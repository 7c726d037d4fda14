-- A tenant's default priority (high, medium or low), apart from the priority in force,
-- which may be set by hand over it ("High (overridden)") and reset to this default.
-- A tenant whose priority is already overridden keeps the column's default, medium.

ALTER TABLE tenants ADD COLUMN default_priority TEXT NOT NULL DEFAULT 'medium';
UPDATE tenants SET default_priority = priority WHERE priority IN ('high', 'medium', 'low');

-- The grid's column filters on a service's AU read the service's rollups by AU.
CREATE INDEX adoption_rollups_au ON adoption_rollups(svc, au_bp);
