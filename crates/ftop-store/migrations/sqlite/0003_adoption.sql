-- Adoption analytics (SQLite): usage figures, qualified seats over time, per-service
-- rollups, forecast dates. Dates in these tables are whole days since 1970-01-01
-- (INTEGER): a usage table of tens of millions of rows stays small (two or three bytes a
-- date instead of ten), and ranges and "first date reaching" are integer comparisons.
-- Tenants and services get small integer keys here so a usage row is a few bytes.

CREATE TABLE adoption_tenants (
    tkey       INTEGER PRIMARY KEY,
    tenant_id  TEXT NOT NULL UNIQUE REFERENCES tenants(tenant_id)
);

CREATE TABLE adoption_services (
    svc      INTEGER PRIMARY KEY,
    service  TEXT NOT NULL UNIQUE
);

-- One figure per tenant, service and date: the distinct active users of the 28 days up
-- to that date, and the qualified seats in effect that day (kept in step with
-- seat_history, so every AU test is row-local).
CREATE TABLE usage_figures (
    tkey          INTEGER NOT NULL,
    svc           INTEGER NOT NULL,
    day           INTEGER NOT NULL,
    active_users  INTEGER NOT NULL CHECK (active_users >= 0),
    qualified     INTEGER NOT NULL,
    PRIMARY KEY (tkey, svc, day)
) WITHOUT ROWID;

-- Qualified seats of a tenant's service from a day on. Before the first record the
-- first record's value applies.
CREATE TABLE seat_history (
    tkey       INTEGER NOT NULL,
    svc        INTEGER NOT NULL,
    effective  INTEGER NOT NULL,
    qualified  INTEGER NOT NULL CHECK (qualified >= 0),
    PRIMARY KEY (tkey, svc, effective)
) WITHOUT ROWID;

-- Where each service of each tenant stands, maintained as figures, seats and forecasts
-- change (never recomputed on read). Usage columns are NULL until figures arrive.
CREATE TABLE adoption_rollups (
    tkey          INTEGER NOT NULL,
    svc           INTEGER NOT NULL,
    as_of         INTEGER,
    active_users  INTEGER,
    qualified     INTEGER NOT NULL DEFAULT 0,
    au_bp         INTEGER,
    bucket        TEXT,
    milestone_10  INTEGER,
    milestone_40  INTEGER,
    target_10     INTEGER,
    target_40     INTEGER,
    -- What the dashboard counts read, packed (BENCHMARKS.md, B5): one stored column
    -- instead of seven. Dates are coded as day + 719529 (22 bits; 0: none). dash_a: bit 0
    -- seats, bit 1 figures, bits 2-3 bucket (0 none, 1 below-10, 2 10-40, 3 40-plus),
    -- then milestone_10 (bits 4-25) and milestone_40 (bits 26-47). dash_b: target_10
    -- (bits 0-21) and target_40 (bits 22-43). NULL when a value does not fit: readers
    -- then take the plain columns.
    dash_a        INTEGER GENERATED ALWAYS AS (CASE WHEN (milestone_10 IS NULL OR (milestone_10 >= -719528 AND milestone_10 <= 3474774)) AND (milestone_40 IS NULL OR (milestone_40 >= -719528 AND milestone_40 <= 3474774))
        AND (bucket IS NULL OR bucket IN ('below-10', '10-40', '40-plus'))
        THEN (CASE WHEN qualified > 0 THEN 1 ELSE 0 END) + (CASE WHEN as_of IS NULL THEN 0 ELSE 2 END)
            + 4 * (CASE bucket WHEN 'below-10' THEN 1 WHEN '10-40' THEN 2 WHEN '40-plus' THEN 3 ELSE 0 END)
            + 16 * COALESCE(milestone_10 + 719529, 0) + 67108864 * COALESCE(milestone_40 + 719529, 0) END) STORED,
    dash_b        INTEGER GENERATED ALWAYS AS (CASE WHEN (target_10 IS NULL OR (target_10 >= -719528 AND target_10 <= 3474774)) AND (target_40 IS NULL OR (target_40 >= -719528 AND target_40 <= 3474774))
        THEN COALESCE(target_10 + 719529, 0) + 4194304 * COALESCE(target_40 + 719529, 0) END) STORED,
    PRIMARY KEY (tkey, svc)
) WITHOUT ROWID;

CREATE TABLE forecasts (
    tenant_id   TEXT NOT NULL,
    service     TEXT NOT NULL,
    submitted   INTEGER NOT NULL,
    target_10   INTEGER,
    target_40   INTEGER,
    target_max  INTEGER,
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, service),
    FOREIGN KEY (tenant_id, service) REFERENCES tenant_services(tenant_id, service)
);

CREATE TABLE forecast_history (
    id          INTEGER PRIMARY KEY,
    tenant_id   TEXT NOT NULL,
    service     TEXT NOT NULL,
    submitted   INTEGER NOT NULL,
    target_10   INTEGER,
    target_40   INTEGER,
    target_max  INTEGER,
    saved_at    TEXT NOT NULL,
    saved_by    TEXT NOT NULL,
    FOREIGN KEY (tenant_id, service) REFERENCES tenant_services(tenant_id, service)
);
CREATE INDEX forecast_history_service ON forecast_history(tenant_id, service, id);

-- What exists already: keys, today's seats as the first known value, empty rollups.
INSERT INTO adoption_tenants (tenant_id) SELECT tenant_id FROM tenants ORDER BY tenant_id;
INSERT INTO adoption_services (service) SELECT DISTINCT service FROM tenant_services ORDER BY service;
INSERT INTO seat_history (tkey, svc, effective, qualified)
    SELECT k.tkey, c.svc, CAST(julianday('now') - 2440587.5 AS INTEGER), s.qualified
    FROM tenant_services s JOIN adoption_tenants k ON k.tenant_id = s.tenant_id
    JOIN adoption_services c ON c.service = s.service;
INSERT INTO adoption_rollups (tkey, svc, qualified)
    SELECT k.tkey, c.svc, s.qualified
    FROM tenant_services s JOIN adoption_tenants k ON k.tenant_id = s.tenant_id
    JOIN adoption_services c ON c.service = s.service;
