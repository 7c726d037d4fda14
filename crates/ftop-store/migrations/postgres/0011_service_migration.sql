-- The data migration decision of a tenant's service eligible for migration: whether
-- Microsoft performs it (0 or 1), the desired start and end (YYYY-MM-DD, indications
-- only), why not (a MigrationRejection key) with notes, and the migration type rows as a
-- JSON array (ftop_domain::migration::TypeRow), saved whole with the decision. A service
-- without a row has no decision yet (version 0).

CREATE TABLE service_migration (
    tenant_id         TEXT NOT NULL,
    service           TEXT NOT NULL,
    performing        BIGINT NOT NULL DEFAULT 0,
    desired_start     TEXT,
    desired_end       TEXT,
    rejection_reason  TEXT,
    notes             TEXT NOT NULL DEFAULT '',
    types             TEXT NOT NULL DEFAULT '[]',
    version           BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, service),
    FOREIGN KEY (tenant_id, service) REFERENCES tenant_services(tenant_id, service)
);
