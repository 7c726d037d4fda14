-- A partner organisation's own administrators: partner users who may add, change and
-- deactivate the users of their organisation and assign them to its tenants.

ALTER TABLE users ADD COLUMN partner_admin BIGINT NOT NULL DEFAULT 0;
