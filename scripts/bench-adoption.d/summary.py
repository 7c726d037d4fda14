#!/usr/bin/env python3
"""Summary of scripts/bench-adoption: medians over runs, ratios, targets.

Usage: summary.py RESULTS.tsv ROWS TENANTS MONTHS [RESULTS-PG.tsv]
(exit 1 when a sample disagrees). With PostgreSQL's results, prints each engine's table
and then both side by side.
"""
import statistics
import sys
from collections import defaultdict


def read(path):
    vals = defaultdict(list)
    queries = defaultdict(lambda: ([], []))
    reports = defaultdict(lambda: ([], []))
    bad = 0
    compared = 0
    for line in open(path):
        f = line.rstrip("\n").split("\t")
        if len(f) < 3:
            continue
        if f[1] == "query":
            queries[f[2]][0].append(float(f[3]))
            queries[f[2]][1].append(float(f[4]))
        elif f[1] == "report":
            reports[f[2]][0].append(float(f[3]))
            reports[f[2]][1].append(float(f[4]))
        elif f[1] == "compare":
            compared += int(f[2])
            bad += int(f[3])
        else:
            vals[f[1]].append(float(f[2]))
    return vals, queries, compared, bad, reports


def med(vals, k):
    return statistics.median(vals[k]) if vals[k] else float("nan")


def table(engine, vals, queries, rows, reports):
    imp = med(vals, "import_s")
    rec = med(vals, "recompute_s")
    agg = med(vals, "duckdb_aggregate")
    load = med(vals, "duckdb_load")
    print(f"\n{engine}: {len(vals['import_s'])} runs, medians (machine busy after each run: {vals['busy_after']}%)\n")
    print("| measure | median | runs | target |")
    print("|---|---|---|---|")
    rate = rows / imp
    print(f"| `ftop usage import` ({rows:,} rows, rollups maintained) | {imp:.2f} s = {rate:,.0f} rows/s "
          f"| {', '.join(f'{x:.2f}' for x in vals['import_s'])} s | >= 1,000,000 rows/s: "
          f"{'met' if rate >= 1e6 else '**not met**'} |")
    if vals["floor_copy_s"]:
        fl = med(vals, "floor_copy_s")
        print(f"| floor: the same figures by `COPY` into a bare table of their columns and key "
              f"| {fl:.2f} s = {rows / fl:,.0f} rows/s "
              f"| {', '.join(f'{x:.2f}' for x in vals['floor_copy_s'])} s | |")
        print(f"| import / floor | {imp / fl:.2f} "
              f"| {', '.join(f'{a / b:.2f}' for a, b in zip(vals['import_s'], vals['floor_copy_s']))} | |")
    for name, (p50, p95) in queries.items():
        m95 = statistics.median(p95)
        print(f"| dashboard: {name} | p50 {statistics.median(p50):.1f} ms, p95 {m95:.1f} ms "
              f"| p95 {', '.join(f'{x:.1f}' for x in p95)} ms | p95 <= 200 ms: "
              f"{'met' if m95 <= 200 else '**not met**'} |")
    print(f"| `ftop usage recompute` | {rec:.2f} s | {', '.join(f'{x:.2f}' for x in vals['recompute_s'])} s | |")
    print(f"| DuckDB, same aggregation (tables loaded) | {agg:.2f} s "
          f"| {', '.join(f'{x:.2f}' for x in vals['duckdb_aggregate'])} s | |")
    if vals["duckdb_aggregate_eq"]:
        print(f"| DuckDB, same aggregation with an equality join on seats (one record per service here) "
              f"| {med(vals, 'duckdb_aggregate_eq'):.2f} s | "
              f"{', '.join(f'{x:.2f}' for x in vals['duckdb_aggregate_eq'])} s | |")
    print(f"| DuckDB, loading the CSVs (not in the ratio) | {load:.2f} s | "
          f"{', '.join(f'{x:.2f}' for x in vals['duckdb_load'])} s | |")
    ratio = rec / agg
    print(f"| recompute / DuckDB (as-of join) | {ratio:.2f} | "
          f"{', '.join(f'{a / b:.2f}' for a, b in zip(vals['recompute_s'], vals['duckdb_aggregate']))} "
          f"| <= 3.0: {'met' if ratio <= 3 else '**not met**'} |")
    if vals["duckdb_aggregate_eq"]:
        r2 = rec / med(vals, "duckdb_aggregate_eq")
        print(f"| recompute / DuckDB (equality join, the stricter floor) | {r2:.2f} | "
              f"{', '.join(f'{a / b:.2f}' for a, b in zip(vals['recompute_s'], vals['duckdb_aggregate_eq']))} "
              f"| <= 3.0: {'met' if r2 <= 3 else '**not met**'} |")
    if reports:
        print(f"\nB10 the report tabs on {engine} (first page + counts, store reads), medians\n")
        print("| report | median | runs | target |")
        print("|---|---|---|---|")
        for name, (p50, p95) in reports.items():
            m95 = statistics.median(p95)
            print(f"| {name} | p50 {statistics.median(p50):.1f} ms, p95 {m95:.1f} ms "
                  f"| p95 {', '.join(f'{x:.1f}' for x in p95)} ms | p95 <= 300 ms: "
                  f"{'met' if m95 <= 300 else '**not met**'} |")


def side_by_side(lite, pg, rows):
    (lv, lq, _, _, _), (pv, pq, _, _, _) = lite, pg
    print("\nSQLite and PostgreSQL, same run (medians)\n")
    print("| measure | SQLite | PostgreSQL | target |")
    print("|---|---|---|---|")
    li, pi = med(lv, "import_s"), med(pv, "import_s")
    print(f"| usage import, rows/s | {rows / li:,.0f} | {rows / pi:,.0f} | >= 1,000,000 |")
    lr, pr = med(lv, "recompute_s"), med(pv, "recompute_s")
    print(f"| usage recompute | {lr:.2f} s | {pr:.2f} s | |")
    print(f"| recompute / DuckDB (as-of join; DuckDB timed beside each engine) "
          f"| {lr / med(lv, 'duckdb_aggregate'):.2f} | {pr / med(pv, 'duckdb_aggregate'):.2f} | <= 3.0 |")
    for name in lq:
        l95 = statistics.median(lq[name][1])
        p95 = statistics.median(pq[name][1]) if name in pq else float("nan")
        print(f"| dashboard p95: {name} | {l95:.1f} ms | {p95:.1f} ms | <= 200 ms |")


def main() -> int:
    path, rows, tenants, months = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    lite = read(path)
    print(f"\nB5 adoption analytics: {tenants} tenants x 10 services x {months} months = {rows:,} rows")
    table("SQLite", lite[0], lite[1], rows, lite[4])
    results = [("SQLite", lite)]
    if len(sys.argv) > 5:
        pg = read(sys.argv[5])
        table("PostgreSQL", pg[0], pg[1], rows, pg[4])
        side_by_side(lite, pg, rows)
        results.append(("PostgreSQL", pg))
    status = 0
    for engine, (_, _, compared, bad, _) in results:
        print(f"\n{engine}: sample compared with DuckDB: {compared} rollups, {bad} differ")
        if bad or not compared:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
