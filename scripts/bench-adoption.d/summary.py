#!/usr/bin/env python3
"""Summary of scripts/bench-adoption: medians over runs, ratios, targets.

Usage: summary.py RESULTS.tsv ROWS TENANTS MONTHS   (exit 1 when the sample disagrees)
"""
import statistics
import sys
from collections import defaultdict


def main() -> int:
    path, rows, tenants, months = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
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
    med = lambda k: statistics.median(vals[k]) if vals[k] else float("nan")
    runs = len(vals["import_s"])
    imp = med("import_s")
    rec = med("recompute_s")
    agg = med("duckdb_aggregate")
    load = med("duckdb_load")
    print(f"\nB5 adoption analytics: {tenants} tenants x 10 services x {months} months = {rows:,} rows; "
          f"{runs} runs, medians (machine busy after each run: {vals['busy_after']}%)\n")
    print("| measure | median | runs | target |")
    print("|---|---|---|---|")
    rate = rows / imp
    print(f"| `ftop usage import` ({rows:,} rows, rollups maintained) | {imp:.2f} s = {rate:,.0f} rows/s "
          f"| {', '.join(f'{x:.2f}' for x in vals['import_s'])} s | >= 1,000,000 rows/s: "
          f"{'met' if rate >= 1e6 else '**not met**'} |")
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
              f"| {med('duckdb_aggregate_eq'):.2f} s | "
              f"{', '.join(f'{x:.2f}' for x in vals['duckdb_aggregate_eq'])} s | |")
    print(f"| DuckDB, loading the CSVs (not in the ratio) | {load:.2f} s | "
          f"{', '.join(f'{x:.2f}' for x in vals['duckdb_load'])} s | |")
    ratio = rec / agg
    print(f"| recompute / DuckDB (as-of join) | {ratio:.2f} | "
          f"{', '.join(f'{a / b:.2f}' for a, b in zip(vals['recompute_s'], vals['duckdb_aggregate']))} "
          f"| <= 3.0: {'met' if ratio <= 3 else '**not met**'} |")
    if vals["duckdb_aggregate_eq"]:
        r2 = rec / med("duckdb_aggregate_eq")
        print(f"| recompute / DuckDB (equality join, the stricter floor) | {r2:.2f} | "
              f"{', '.join(f'{a / b:.2f}' for a, b in zip(vals['recompute_s'], vals['duckdb_aggregate_eq']))} "
              f"| <= 3.0: {'met' if r2 <= 3 else '**not met**'} |")
    if reports:
        print(f"\nB10 the report tabs (first page + counts, store reads), {runs} runs, medians\n")
        print("| report | median | runs | target |")
        print("|---|---|---|---|")
        for name, (p50, p95) in reports.items():
            m95 = statistics.median(p95)
            print(f"| {name} | p50 {statistics.median(p50):.1f} ms, p95 {m95:.1f} ms "
                  f"| p95 {', '.join(f'{x:.1f}' for x in p95)} ms | p95 <= 300 ms: "
                  f"{'met' if m95 <= 300 else '**not met**'} |")
    print(f"\nsample compared with DuckDB: {compared} rollups, {bad} differ")
    return 1 if bad or not compared else 0


if __name__ == "__main__":
    sys.exit(main())
