-- The Enterprise status of enterprise tenants: a history of entries, the newest being the
-- current status. Entries are only ever added. `reasons` holds the reason keys separated by
-- commas; `next_update` is a day (YYYY-MM-DD); `author` is the name the audit log records.

CREATE TABLE enterprise_status (
    id          INTEGER PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants(tenant_id),
    reasons     TEXT NOT NULL,
    rag         TEXT NOT NULL,
    summary     TEXT NOT NULL,
    overview    TEXT NOT NULL,
    activities  TEXT NOT NULL DEFAULT '',
    risks       TEXT NOT NULL DEFAULT '',
    brand       TEXT NOT NULL DEFAULT '',
    awareness   TEXT NOT NULL DEFAULT '',
    next_update TEXT NOT NULL,
    author      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX enterprise_status_tenant ON enterprise_status(tenant_id, id);
