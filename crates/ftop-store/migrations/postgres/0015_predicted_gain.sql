-- The predicted Active Usage gain over the next six months (issue 17, the domain's
-- `forecast_gain`), in basis points, kept with the adoption rollups whenever figures are
-- imported or the rollups recomputed: per tenant and service on its rollup, and per
-- tenant (the largest gain of its services) for ordering the tenant grid without
-- computing anything per row. NULL: no prediction (no figures, or no seats). Filled for
-- existing figures by the next `ftop usage recompute`.

ALTER TABLE adoption_rollups ADD COLUMN gain_6m_bp BIGINT;
ALTER TABLE adoption_tenants ADD COLUMN gain_6m_bp BIGINT;
CREATE INDEX adoption_tenants_gain ON adoption_tenants (gain_6m_bp);
