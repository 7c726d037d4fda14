#!/usr/bin/env bash
# scripts/bench-adoption.d/sqlite_to_postgres.sh SQLITE_FILE POSTGRES_URL
#
# BENCHMARKS.md, B10: loads what the report tabs read from a SQLite database made by
# scripts/bench-adoption (tenants, their services, status rows, partners, assignments,
# deliveries, forecasts, the adoption rollups, the month rows and totals and the latest
# figures' kept sums; the tenant months, which SQLite does not keep, are summed here) into a
# PostgreSQL database whose schema
# ftop has created (open it once first, e.g. `ftop --database URL tenant list`), with psql
# \copy, then ANALYZE. The same rows on both engines; the raw usage figures are not
# copied (no report reads them: they read the rollups).
set -euo pipefail
DB=${1:?sqlite file}
URL=${2:?postgres url}
TABLES="customers partners users tenants tenant_services entitlement_status tenant_partners
    assignments service_delivery forecasts adoption_tenants adoption_services adoption_rollups
    usage_months usage_month_totals usage_latest_totals usage_latest_tenants"
for t in $TABLES; do
    # The table's stored (not generated) columns, as PostgreSQL has them.
    cols=$(psql "$URL" -At -c "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute
        WHERE attrelid = 'public.$t'::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''")
    psql "$URL" -q -c "TRUNCATE $t CASCADE" >/dev/null
    n=$(sqlite3 "$DB" "SELECT count(*) FROM $t")
    sqlite3 -csv "$DB" "SELECT $cols FROM $t" | psql "$URL" -q -c "\\copy $t ($cols) FROM STDIN CSV"
    echo "$t: $n rows" >&2
done
# PostgreSQL's sums by tenant and month (adoption/report_sums.rs), from the month rows.
psql "$URL" -q -c "TRUNCATE usage_tenant_months" -c "INSERT INTO usage_tenant_months
    (tkey, month, services, with_seats, active_users, seated_active, qualified, capped_active, at_10, at_40)
    SELECT r.tkey, r.month, COUNT(*),
        SUM(CASE WHEN r.qualified > 0 THEN 1 ELSE 0 END),
        SUM(CAST(r.active_users AS BIGINT)),
        SUM(CASE WHEN r.qualified > 0 THEN CAST(r.active_users AS BIGINT) ELSE 0 END),
        SUM(CASE WHEN r.qualified > 0 THEN CAST(r.qualified AS BIGINT) ELSE 0 END),
        SUM(CASE WHEN r.qualified <= 0 THEN 0 WHEN r.active_users < r.qualified
            THEN CAST(r.active_users AS BIGINT) ELSE CAST(r.qualified AS BIGINT) END),
        SUM(CASE WHEN r.qualified > 0 AND CAST(r.active_users AS BIGINT) * 100 >= CAST(r.qualified AS BIGINT) * 10 THEN 1 ELSE 0 END),
        SUM(CASE WHEN r.qualified > 0 AND CAST(r.active_users AS BIGINT) * 100 >= CAST(r.qualified AS BIGINT) * 40 THEN 1 ELSE 0 END)
    FROM usage_months r GROUP BY r.tkey, r.month"
psql "$URL" -q -c "ANALYZE"
