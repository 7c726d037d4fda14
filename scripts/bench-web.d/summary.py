#!/usr/bin/env python3
"""Prints scripts/bench-web's summary table from its results file.

Usage: summary.py RATE LABEL=RESULTS.tsv [LABEL=RESULTS.tsv]
With two engines (SQLite, then PostgreSQL) a table sets the second beside the first.
RESULTS.tsv: one line per measurement, "RUN<TAB>KIND<TAB>key=value ...", KIND one of
healthz, page, tasks, update (wrk's BENCH line) and paced-page, paced-tasks (pace.py's line).
Exit status 1 when a measurement had errors (non-2xx, socket errors, late or missing requests).
"""
import statistics
import sys

ROWS = [
    ("healthz", "GET /healthz (floor)", None),
    ("page", "GET /tenants/{id}?tab=playbook (session)", ("rps", 3000)),
    ("tasks", "GET /api/v1/tenants/{id}/tasks (bearer)", ("rps", 5000)),
    ("update", "PATCH /api/v1/tenants/{id}/tasks/{task}", ("rps", 1000)),
    ("paced-healthz", "/healthz at a fixed {rate} req/s (floor)", None),
    ("paced-page", "tenant page at a fixed {rate} req/s", ("p99", 50)),
    ("paced-tasks", "task JSON at a fixed {rate} req/s", ("p99", 50)),
]


def parse(path):
    runs = {}
    for line in open(path):
        line = line.rstrip("\n")
        if not line:
            continue
        run, kind, rest = line.split("\t", 2)
        kv = {}
        for tok in rest.split():
            if "=" in tok:
                k, v = tok.split("=", 1)
                try:
                    kv[k] = float(v)
                except ValueError:
                    kv[k] = v
        runs.setdefault(int(run), {})[kind] = kv
    return runs


def errors_of(kind, m):
    if kind.startswith("paced"):
        return int(m.get("errors", 0) + m.get("late", 0))
    return int(m.get("connect", 0) + m.get("read", 0) + m.get("write", 0) + m.get("timeout", 0)
               + m.get("exhausted", 0))


def non2xx_of(m):
    return int(max(m.get("non2xx", 0), m.get("status_errors", 0)))


def row_values(kind, m, floor):
    rps = m.get("achieved_rate") if kind.startswith("paced") else m.get("rps")
    ratio = (rps / floor) if (floor and not kind.startswith("paced") and kind != "healthz") else None
    if kind == "healthz":
        ratio = 1.0
    return {
        "rps": rps,
        "p50": m.get("p50_us", 0) / 1000.0,
        "p99": m.get("p99_us", 0) / 1000.0,
        "non2xx": non2xx_of(m),
        "errors": errors_of(kind, m),
        "ratio": ratio,
        "other": m.get("cpu_other"),
        "server": m.get("cpu_server"),
        "rss": m.get("rss_mb"),
        "hwm": m.get("hwm_mb"),
    }


def met(target, v, rate):
    if target is None:
        return ""
    what, limit = target
    if what == "rps":
        return ("yes" if v["rps"] >= limit else "NO") + f" (>= {limit:,})"
    ok = v["p99"] <= limit and v["rps"] >= 0.98 * rate
    return ("yes" if ok else "NO") + f" (p99 <= {limit} ms)"


def fmt_table(values, rate, title):
    head = ["request", "req/s", "p50 ms", "p99 ms", "non-2xx", "errors", "x /healthz",
            "CPU server/other", "RSS/peak MB", "target met"]
    lines = []
    for kind, label, target in ROWS:
        v = values.get(kind)
        if v is None:
            continue
        lines.append([
            label.replace("{rate}", f"{rate:,.0f}"),
            f"{v['rps']:,.0f}",
            f"{v['p50']:.2f}",
            f"{v['p99']:.2f}",
            f"{v['non2xx']}",
            f"{v['errors']}",
            "" if v["ratio"] is None else f"{v['ratio']:.2f}",
            "" if v.get("server") is None else f"{v['server']:.0f}% / {v['other']:.0f}%",
            "" if v.get("rss") is None else f"{v['rss']:.0f} / {v['hwm']:.0f}",
            met(target, v, rate),
        ])
    widths = [max(len(h), *(len(l[i]) for l in lines)) for i, h in enumerate(head)]
    out = [title, "  ".join(h.ljust(w) for h, w in zip(head, widths)),
           "  ".join("-" * w for w in widths)]
    for l in lines:
        out.append("  ".join((c.ljust(w) if i in (0, 9) else c.rjust(w))
                             for i, (c, w) in enumerate(zip(l, widths))))
    return "\n".join(l.rstrip() for l in out)


def medians(per_run):
    med = {}
    for kind, _, _ in ROWS:
        vals = [per_run[r][kind] for r in per_run if kind in per_run[r]]
        if not vals:
            continue
        med[kind] = {
            key: (None if any(v[key] is None for v in vals)
                  else statistics.median(v[key] for v in vals))
            for key in ("rps", "p50", "p99", "ratio", "server", "other", "rss")
        }
        # The peak is the highest of the runs, not their median.
        peaks = [v["hwm"] for v in vals if v.get("hwm") is not None]
        med[kind]["hwm"] = max(peaks) if len(peaks) == len(vals) else None
        med[kind]["non2xx"] = sum(v["non2xx"] for v in vals)
        med[kind]["errors"] = sum(v["errors"] for v in vals)
    return med


def engine_tables(label, path, rate, bad):
    """Prints one engine's tables; returns its per-run values and their medians."""
    runs = parse(path)
    per_run = {}
    for r, kinds in sorted(runs.items()):
        floor = kinds.get("healthz", {}).get("rps")
        per_run[r] = {k: row_values(k, m, floor) for k, m in kinds.items()}
        for k, v in per_run[r].items():
            if v["non2xx"] or v["errors"]:
                bad.append(f"{label} run {r} {k}: {v['non2xx']} non-2xx, {v['errors']} errors")
    if len(per_run) > 1:
        for r in sorted(per_run):
            print(fmt_table(per_run[r], rate, f"{label}, run {r}:"))
            print()
        med = medians(per_run)
        print(fmt_table(med, rate,
                        f"{label}, median of {len(per_run)} runs (non-2xx and errors: totals):"))
    else:
        med = next(iter(per_run.values()), {})
        print(fmt_table(med, rate, f"{label}:"))
    print()
    return per_run, med


# Issue 16: what the second engine (PostgreSQL) must reach beside the first (SQLite) of
# the same run: a share of its req/s, or a p99 bound at the fixed rate.
BESIDE_GOALS = {
    "page": ("share", 0.5),
    "tasks": ("share", 0.5),
    "update": ("share", 1.0),
    "paced-page": ("p99", 20),
    "paced-tasks": ("p99", 20),
}


def beside(labels, runs, meds, rate):
    """The second engine beside the first: medians, and the median of the per-run ratios."""
    a, b = labels
    head = ["request", f"{a} req/s", f"{b} req/s", f"{b}/{a} (runs)", f"{a} p99 ms",
            f"{b} p99 ms", "goal"]
    lines = []
    for kind, label, _ in ROWS:
        va, vb = meds[0].get(kind), meds[1].get(kind)
        if va is None or vb is None:
            continue
        common = sorted(set(runs[0]) & set(runs[1]))
        ratios = [runs[1][r][kind]["rps"] / runs[0][r][kind]["rps"] for r in common
                  if kind in runs[0][r] and kind in runs[1][r] and runs[0][r][kind]["rps"]]
        ratio = statistics.median(ratios) if ratios else None
        goal = ""
        g = BESIDE_GOALS.get(kind)
        if g and g[0] == "share" and ratio is not None:
            goal = ("yes" if ratio >= g[1] else "NO") + f" (>= {g[1]:.2f} x {a})"
        elif g and g[0] == "p99":
            ok = vb["p99"] <= g[1] and vb["rps"] >= 0.98 * rate
            goal = ("yes" if ok else "NO") + f" ({b} p99 <= {g[1]} ms)"
        lines.append([
            label.replace("{rate}", f"{rate:,.0f}"),
            f"{va['rps']:,.0f}",
            f"{vb['rps']:,.0f}",
            "" if ratio is None else
            f"{ratio:.2f} ({', '.join(f'{x:.2f}' for x in ratios)})",
            f"{va['p99']:.2f}",
            f"{vb['p99']:.2f}",
            goal,
        ])
    widths = [max(len(h), *(len(l[i]) for l in lines)) for i, h in enumerate(head)]
    out = [f"{b} beside {a} (medians; the ratio is the median of each run's ratio):",
           "  ".join(h.ljust(w) for h, w in zip(head, widths)),
           "  ".join("-" * w for w in widths)]
    for l in lines:
        out.append("  ".join((c.ljust(w) if i in (0, 3, 6) else c.rjust(w))
                             for i, (c, w) in enumerate(zip(l, widths))))
    print("\n".join(l.rstrip() for l in out))
    print()


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    rate = float(sys.argv[1])
    engines = [arg.split("=", 1) for arg in sys.argv[2:]]
    bad = []
    labels, runs, meds = [], [], []
    for label, path in engines:
        per_run, med = engine_tables(label, path, rate, bad)
        labels.append(label)
        runs.append(per_run)
        meds.append(med)
    if len(engines) == 2:
        beside(labels, runs, meds, rate)
    print("CPU server/other: the server's and other people's CPU time during the measurement, in % of")
    print("the whole machine (the rest is the load generator and idle time; a database server's")
    print("processes count as other). RSS/peak MB: the server's resident memory after the")
    print("measurement and its peak since it started (VmRSS, VmHWM; ftop's process only; with")
    print("several runs the median RSS and the highest peak).")
    disturbed = [f"{label} run {r} {k} ({v['other']:.0f}%)"
                 for label, per_run in zip(labels, runs) for r in sorted(per_run)
                 for k, v in per_run[r].items()
                 if (v.get("other") or 0) > 10 and not label.startswith("PostgreSQL")]
    if disturbed:
        print("DISTURBED (other work above 10% of the machine): " + ", ".join(disturbed))
    if bad:
        print()
        print("ERRORS:")
        for b in bad:
            print("  " + b)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
