#!/usr/bin/env bash
# scripts/bench-adoption.d/sqlite_to_postgres.sh SQLITE_FILE POSTGRES_URL
#
# BENCHMARKS.md, B10: loads what the report tabs read from a SQLite database made by
# scripts/bench-adoption (tenants, their services, status rows, partners, assignments,
# deliveries, forecasts, the adoption rollups and the month rows and totals) into a
# PostgreSQL database whose schema
# ftop has created (open it once first, e.g. `ftop --database URL users`), with psql
# \copy, then ANALYZE. The same rows on both engines; the raw usage figures are not
# copied (no report reads them: they read the rollups).
set -euo pipefail
DB=${1:?sqlite file}
URL=${2:?postgres url}
TABLES="customers partners users tenants tenant_services entitlement_status tenant_partners
    assignments service_delivery forecasts adoption_tenants adoption_services adoption_rollups
    usage_months usage_month_totals"
for t in $TABLES; do
    # The table's stored (not generated) columns, as PostgreSQL has them.
    cols=$(psql "$URL" -At -c "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute
        WHERE attrelid = 'public.$t'::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''")
    psql "$URL" -q -c "TRUNCATE $t CASCADE" >/dev/null
    n=$(sqlite3 "$DB" "SELECT count(*) FROM $t")
    sqlite3 -csv "$DB" "SELECT $cols FROM $t" | psql "$URL" -q -c "\\copy $t ($cols) FROM STDIN CSV"
    echo "$t: $n rows" >&2
done
psql "$URL" -q -c "ANALYZE"
