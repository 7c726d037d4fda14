-- The report tabs at 100,000 tenants (BENCHMARKS.md, B10): the indexes their paged reads
-- and counts need.

-- "Tenants of partner organisation P" (the partner filter, and every partner's view):
-- read from the partner side instead of the whole table.
CREATE INDEX tenant_partners_partner ON tenant_partners (partner_id, tenant_id);

-- Milestones and conversion: the services with a usage figure counted by service and
-- bucket from the index alone.
CREATE INDEX adoption_rollups_bucket ON adoption_rollups (svc, bucket)
    WHERE as_of IS NOT NULL AND active_users IS NOT NULL;

-- The forecast tabs: forecast dates in date order (and counted by day) with whether and
-- when the milestone was reached, without reading the rollups that have none.
CREATE INDEX adoption_rollups_target_10 ON adoption_rollups (target_10, milestone_10)
    WHERE target_10 IS NOT NULL;
CREATE INDEX adoption_rollups_target_40 ON adoption_rollups (target_40, milestone_40)
    WHERE target_40 IS NOT NULL;

-- New subscriptions (and In Progress rows): status rows by consumption status and
-- reason, counted by service from the index alone.
CREATE INDEX entitlement_status_l1 ON entitlement_status (l1, l2, service);

-- Data health: the few service lines with more qualified seats than entitlements.
CREATE INDEX tenant_services_over ON tenant_services (tenant_id, service)
    WHERE qualified > entitlements;
