-- The report tabs at 100,000 tenants (BENCHMARKS.md, B10): the indexes their paged reads
-- and counts need.

-- "Tenants of partner organisation P" (the partner filter, and every partner's view):
-- read from the partner side instead of the whole table.
CREATE INDEX tenant_partners_partner ON tenant_partners (partner_id, tenant_id);
