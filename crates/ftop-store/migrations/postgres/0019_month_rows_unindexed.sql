-- The month rows are read by tenant (their key) or, for the whole portfolio, through the
-- month totals: the index by month and service cost the usage import more than twice the
-- writing of the rows themselves (BENCHMARKS.md, B5) and no report needs it any more.
DROP INDEX IF EXISTS usage_months_month;
