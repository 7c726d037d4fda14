-- ftop schema v1 (SQLite). Timestamps are UTC RFC 3339 text; dates are YYYY-MM-DD text;
-- booleans are 0/1. Every mutable row carries a version for optimistic concurrency.

CREATE TABLE customers (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

CREATE TABLE partners (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

CREATE TABLE tenants (
    tenant_id            TEXT PRIMARY KEY,
    name                 TEXT NOT NULL UNIQUE,
    customer_id          INTEGER NOT NULL REFERENCES customers(id),
    motion               TEXT,
    priority             TEXT NOT NULL DEFAULT 'medium',
    overall_status       TEXT NOT NULL DEFAULT 'active',
    status_date          TEXT,
    status_note          TEXT NOT NULL DEFAULT '',
    active               INTEGER NOT NULL DEFAULT 1,
    program_exception    INTEGER NOT NULL DEFAULT 0,
    enterprise_exception INTEGER NOT NULL DEFAULT 0,
    adoption_benefit     INTEGER NOT NULL DEFAULT 0,
    playbook_version     INTEGER NOT NULL DEFAULT 0,
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX tenants_customer ON tenants(customer_id);

CREATE TABLE tenant_services (
    tenant_id     TEXT NOT NULL REFERENCES tenants(tenant_id),
    service       TEXT NOT NULL,
    entitlements  INTEGER NOT NULL CHECK (entitlements >= 0),
    qualified     INTEGER NOT NULL CHECK (qualified >= 0),
    version       INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, service)
);

CREATE TABLE entitlement_status (
    tenant_id         TEXT NOT NULL,
    service           TEXT NOT NULL,
    position          INTEGER NOT NULL,
    l1                TEXT NOT NULL,
    l2                TEXT,
    l3                TEXT,
    count             INTEGER NOT NULL CHECK (count > 0),
    target_date       TEXT,
    owner             TEXT,
    note              TEXT NOT NULL DEFAULT '',
    next_action_date  TEXT,
    PRIMARY KEY (tenant_id, service, position),
    FOREIGN KEY (tenant_id, service) REFERENCES tenant_services(tenant_id, service)
);

CREATE TABLE tenant_partners (
    tenant_id           TEXT NOT NULL REFERENCES tenants(tenant_id),
    partner_id          INTEGER NOT NULL REFERENCES partners(id),
    desires_assistance  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, partner_id)
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    role           TEXT NOT NULL,
    partner_id     INTEGER REFERENCES partners(id),
    password_hash  TEXT NOT NULL,
    disabled       INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    label         TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    last_used_at  TEXT
);

CREATE TABLE assignments (
    id          INTEGER PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants(tenant_id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    role        TEXT NOT NULL,
    service     TEXT NOT NULL DEFAULT '',
    is_primary  INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    UNIQUE (tenant_id, user_id, role, service)
);
CREATE UNIQUE INDEX assignments_one_primary ON assignments(tenant_id, service, role) WHERE is_primary = 1;
CREATE INDEX assignments_user ON assignments(user_id);

CREATE TABLE contacts (
    id               INTEGER PRIMARY KEY,
    tenant_id        TEXT NOT NULL REFERENCES tenants(tenant_id),
    kind             TEXT NOT NULL,
    name             TEXT NOT NULL,
    email            TEXT NOT NULL DEFAULT '',
    phone            TEXT NOT NULL DEFAULT '',
    title            TEXT NOT NULL DEFAULT '',
    country          TEXT NOT NULL DEFAULT '',
    engaged          INTEGER NOT NULL DEFAULT 0,
    survey_eligible  INTEGER NOT NULL DEFAULT 0,
    survey_language  TEXT NOT NULL DEFAULT '',
    services         TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL
);
CREATE INDEX contacts_tenant ON contacts(tenant_id);

-- Only tasks someone touched are stored; the rest follow from the playbook.
CREATE TABLE task_states (
    tenant_id         TEXT NOT NULL REFERENCES tenants(tenant_id),
    task_id           INTEGER NOT NULL,
    service           TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL,
    percent           INTEGER NOT NULL DEFAULT 0 CHECK (percent BETWEEN 0 AND 100),
    role              TEXT,
    archived_version  INTEGER,
    version           INTEGER NOT NULL DEFAULT 1,
    updated_at        TEXT NOT NULL,
    updated_by        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, task_id, service)
);

CREATE TABLE notes (
    id                 INTEGER PRIMARY KEY,
    tenant_id          TEXT NOT NULL REFERENCES tenants(tenant_id),
    author_id          INTEGER NOT NULL REFERENCES users(id),
    category           TEXT NOT NULL,
    state              TEXT NOT NULL CHECK (state IN ('draft', 'saved')),
    body               TEXT NOT NULL,
    services           TEXT NOT NULL DEFAULT '',
    task_id            INTEGER,
    escalated          INTEGER NOT NULL DEFAULT 0,
    next_action        TEXT NOT NULL DEFAULT '',
    next_action_date   TEXT,
    next_action_owner  TEXT NOT NULL DEFAULT '',
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX notes_tenant ON notes(tenant_id, created_at);
CREATE INDEX notes_author ON notes(author_id, state);

CREATE TABLE time_entries (
    id          INTEGER PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants(tenant_id),
    task_id     INTEGER NOT NULL,
    service     TEXT NOT NULL DEFAULT '',
    user_id     INTEGER NOT NULL REFERENCES users(id),
    minutes     INTEGER NOT NULL CHECK (minutes >= 1),
    work_date   TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX time_entries_tenant ON time_entries(tenant_id);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    tenant_id   TEXT,
    entity      TEXT NOT NULL,
    entity_key  TEXT NOT NULL,
    action      TEXT NOT NULL,
    before      TEXT,
    after       TEXT
);
CREATE INDEX audit_tenant ON audit_log(tenant_id, id);

CREATE TABLE playbooks (
    version    INTEGER PRIMARY KEY,
    digest     TEXT NOT NULL,
    loaded_at  TEXT NOT NULL,
    loaded_by  TEXT NOT NULL,
    sources    TEXT NOT NULL
);

CREATE TABLE playbook_upgrades (
    version    INTEGER NOT NULL,
    tenant_id  TEXT NOT NULL,
    changes    TEXT NOT NULL,
    PRIMARY KEY (version, tenant_id)
);
