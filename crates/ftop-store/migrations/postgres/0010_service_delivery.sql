-- Who delivers each service of a tenant (its engagement scenario, which decides whom the
-- service's Active Usage growth is credited to), the delivery teams and the engagement
-- start date. A service without a row has the default scenario and nothing else.

CREATE TABLE service_delivery (
    tenant_id   TEXT NOT NULL,
    service     TEXT NOT NULL,
    scenario    TEXT NOT NULL,
    start_date  TEXT,
    teams       TEXT NOT NULL DEFAULT '',
    version     BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, service),
    FOREIGN KEY (tenant_id, service) REFERENCES tenant_services(tenant_id, service)
);
