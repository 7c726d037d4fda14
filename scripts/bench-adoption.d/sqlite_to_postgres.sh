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
# PostgreSQL's sums by tenant and month (adoption/report_sums.rs), from the month rows,
# by migration 23's own statement.
MIGRATION="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/crates/ftop-store/migrations/postgres/0023_report_sums.sql"
fill=$(sed -n '/^INSERT INTO usage_tenant_months/,/^FROM usage_months r GROUP BY r.tkey, r.month;/p' "$MIGRATION")
[ -n "$fill" ] || { echo "sqlite_to_postgres: no tenant-month statement in $MIGRATION" >&2; exit 1; }
psql "$URL" -q -c "TRUNCATE usage_tenant_months" -c "$fill"
psql "$URL" -q -c "ANALYZE"
