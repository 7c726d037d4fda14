#!/usr/bin/env python3
"""The reference for scripts/bench-adoption: DuckDB computes what ftop's rollups hold, on the
same usage CSV and seats, and compares a sample with ftop's.

Usage: duckdb_rollups.py DIR SEATS_DAY FTOP_SAMPLE.csv EVERY
  DIR/usage.csv    tenant_id,service,date,active_users
  DIR/tenants.csv  the tenant import (qualified_entitlements: the seats ftop recorded,
                   effective SEATS_DAY (YYYY-MM-DD), the day of the tenant import)
Prints `duckdb_load SECONDS`, `duckdb_aggregate SECONDS` and `compare ROWS MISMATCHES`.

Per (tenant, service): the latest date's figure (active users, seats in effect, AU in basis
points rounded half up, bucket) and the first date AU reached 10% and 40%, each figure
measured against the seats in effect on its date (the latest seat record on or before it;
before the first record, the first record's value), as ftop's rollups do.
"""
import csv
import sys
import time

import duckdb


def main() -> int:
    d, seats_day, sample, every = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    con = duckdb.connect()
    t = time.perf_counter()
    con.execute(f"""CREATE TABLE usage AS SELECT * FROM read_csv('{d}/usage.csv', header = true,
        columns = {{'tenant_id': 'VARCHAR', 'service': 'VARCHAR', 'date': 'DATE',
                   'active_users': 'BIGINT'}})""")
    con.execute(f"""CREATE TABLE seats AS SELECT tenant_id, service, DATE '{seats_day}' AS effective,
        CAST(qualified_entitlements AS BIGINT) AS qualified
        FROM read_csv('{d}/tenants.csv', header = true, all_varchar = true)""")
    load = time.perf_counter() - t
    print(f"duckdb_load {load:.3f}", flush=True)
    t = time.perf_counter()
    con.execute("""CREATE TABLE rollups AS
        WITH first_seats AS (
            SELECT tenant_id, service, arg_min(qualified, effective) AS q0 FROM seats GROUP BY ALL),
        f AS (
            SELECT u.tenant_id, u.service, u.date, u.active_users,
                COALESCE(s.qualified, fs.q0, 0) AS q
            FROM usage u
            ASOF LEFT JOIN seats s ON s.tenant_id = u.tenant_id AND s.service = u.service
                AND u.date >= s.effective
            LEFT JOIN first_seats fs ON fs.tenant_id = u.tenant_id AND fs.service = u.service),
        g AS (
            SELECT tenant_id, service, max(date) AS as_of,
                arg_max(active_users, date) AS active_users, arg_max(q, date) AS qualified,
                min(date) FILTER (WHERE q > 0 AND active_users * 100 >= q * 10) AS milestone_10,
                min(date) FILTER (WHERE q > 0 AND active_users * 100 >= q * 40) AS milestone_40
            FROM f GROUP BY tenant_id, service)
        SELECT *,
            CASE WHEN qualified > 0 THEN (active_users * 20000 + qualified) // (2 * qualified) END AS au_bp,
            CASE WHEN qualified <= 0 THEN NULL
                WHEN active_users * 100 >= qualified * 40 THEN '40-plus'
                WHEN active_users * 100 >= qualified * 10 THEN '10-40'
                ELSE 'below-10' END AS bucket
        FROM g""")
    agg = time.perf_counter() - t
    print(f"duckdb_aggregate {agg:.3f}", flush=True)
    # A stricter floor for this data set, where each (tenant, service) has one seat
    # record: an equality join instead of the as-of join (same result here, checked).
    multi = con.execute("""SELECT count(*) FROM (SELECT 1 FROM seats GROUP BY tenant_id, service
        HAVING count(*) > 1)""").fetchone()[0]
    if multi == 0:
        t = time.perf_counter()
        con.execute("""CREATE TABLE rollups_eq AS
            WITH f AS (
                SELECT u.tenant_id, u.service, u.date, u.active_users, COALESCE(s.qualified, 0) AS q
                FROM usage u LEFT JOIN seats s ON s.tenant_id = u.tenant_id AND s.service = u.service),
            g AS (
                SELECT tenant_id, service, max(date) AS as_of,
                    arg_max(active_users, date) AS active_users, arg_max(q, date) AS qualified,
                    min(date) FILTER (WHERE q > 0 AND active_users * 100 >= q * 10) AS milestone_10,
                    min(date) FILTER (WHERE q > 0 AND active_users * 100 >= q * 40) AS milestone_40
                FROM f GROUP BY tenant_id, service)
            SELECT *,
                CASE WHEN qualified > 0 THEN (active_users * 20000 + qualified) // (2 * qualified) END AS au_bp,
                CASE WHEN qualified <= 0 THEN NULL
                    WHEN active_users * 100 >= qualified * 40 THEN '40-plus'
                    WHEN active_users * 100 >= qualified * 10 THEN '10-40'
                    ELSE 'below-10' END AS bucket
            FROM g""")
        eq = time.perf_counter() - t
        differ = con.execute("""SELECT count(*) FROM (SELECT * FROM rollups EXCEPT SELECT * FROM rollups_eq)""").fetchone()[0]
        print(f"duckdb_aggregate_eq {eq:.3f}", flush=True)
        if differ:
            print(f"the equality-join variant differs on {differ} rollups", file=sys.stderr)
    n = con.execute("SELECT count(*) FROM rollups").fetchone()[0]
    print(f"duckdb_rollups {n}", flush=True)

    def day(v):
        return "" if v is None else str((v - __import__("datetime").date(1970, 1, 1)).days)

    with open(sample, newline="") as fh:
        ours = list(csv.DictReader(fh))
    ids = sorted({r["tenant_id"] for r in ours})
    con.execute("CREATE TABLE ids (tenant_id VARCHAR)")
    con.executemany("INSERT INTO ids VALUES (?)", [(i,) for i in ids])
    theirs = {}
    for r in con.execute("""SELECT r.tenant_id, service, as_of, active_users, qualified, au_bp,
            bucket, milestone_10, milestone_40 FROM rollups r JOIN ids USING (tenant_id)""").fetchall():
        theirs[(r[0], r[1])] = [day(r[2]), str(r[3]), str(r[4]), "" if r[5] is None else str(r[5]),
                                r[6] or "", day(r[7]), day(r[8])]
    bad = 0
    for r in ours:
        mine = [r["as_of"], r["active_users"], r["qualified"], r["au_bp"], r["bucket"],
                r["milestone_10"], r["milestone_40"]]
        other = theirs.get((r["tenant_id"], r["service"]))
        if mine != other:
            bad += 1
            if bad <= 5:
                print(f"mismatch {r['tenant_id']} {r['service']}: ftop {mine} duckdb {other}",
                      file=sys.stderr)
    missing = len(theirs) - len(ours)
    print(f"compare {len(ours)} {bad + max(missing, 0)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
