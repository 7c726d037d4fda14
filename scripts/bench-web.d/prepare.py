#!/usr/bin/env python3
"""Prepares the inputs of scripts/bench-web's runs from a running server.

Usage: prepare.py --port PORT --token TOKEN --csv TENANTS.csv --out DIR
                  [--read-tenants 500] [--updates 60000]

Writes, in DIR:
  page_paths.txt   /tenants/ID?tab=playbook for --read-tenants tenants spread over the file
  task_paths.txt   /api/v1/tenants/ID/tasks for the same tenants
  updates.txt      "TENANT_ID TASK_ID SERVICE" (SERVICE "-" for tenant-wide), shuffled: at least
                   --updates task instances that were never set (version 0), fetched with the
                   API from randomly chosen other tenants
Prints one line of facts on stdout.
"""
import argparse
import csv
import http.client
import json
import os
import random
import sys
import time


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--csv", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--read-tenants", type=int, default=500)
    ap.add_argument("--updates", type=int, default=60000)
    a = ap.parse_args()

    ids = []
    seen = set()
    with open(a.csv, newline="") as f:
        for row in csv.DictReader(f):
            t = row["tenant_id"].strip().lower()
            if t not in seen:
                seen.add(t)
                ids.append(t)
    if not ids:
        print("prepare: no tenants in " + a.csv, file=sys.stderr)
        return 1
    # At most half the tenants are read; the others are for updates.
    k = max(1, min(a.read_tenants, len(ids) // 2))
    step = len(ids) / k
    read = [ids[int(i * step)] for i in range(k)]
    read_set = set(read)
    with open(os.path.join(a.out, "page_paths.txt"), "w") as f:
        for t in read:
            f.write(f"/tenants/{t}?tab=playbook\n")
    with open(os.path.join(a.out, "task_paths.txt"), "w") as f:
        for t in read:
            f.write(f"/api/v1/tenants/{t}/tasks\n")

    conn = http.client.HTTPConnection(a.host, a.port, timeout=30)
    headers = {"Authorization": "Bearer " + a.token, "Accept": "application/json"}

    def tasks_of(t):
        conn.request("GET", f"/api/v1/tenants/{t}/tasks", headers=headers)
        r = conn.getresponse()
        body = r.read()
        if r.status != 200:
            raise SystemExit(f"prepare: GET /api/v1/tenants/{t}/tasks answered {r.status}: {body[:200]!r}")
        return json.loads(body)["tasks"]

    # The read tenants' task counts (what a page and a JSON answer hold).
    sample = read[: min(50, len(read))]
    counts = [len(tasks_of(t)) for t in sample]

    rng = random.Random(time.time_ns())
    others = [t for t in ids if t not in read_set]
    rng.shuffle(others)
    pool = []
    used = 0
    started = time.monotonic()
    for t in others:
        if len(pool) >= a.updates:
            break
        used += 1
        for task in tasks_of(t):
            if task.get("version", 0) == 0:
                pool.append(f"{t} {task['task_id']} {task['service'] or '-'}")
    rng.shuffle(pool)
    with open(os.path.join(a.out, "updates.txt"), "w") as f:
        f.write("\n".join(pool))
        f.write("\n")
    took = time.monotonic() - started
    print(
        f"read_tenants={k} tasks_per_read_tenant_min={min(counts)} "
        f"tasks_per_read_tenant_mean={sum(counts) / len(counts):.0f} "
        f"tasks_per_read_tenant_max={max(counts)} "
        f"update_tenants={used} update_pairs={len(pool)} fetch_seconds={took:.1f}"
    )
    if len(pool) < a.updates:
        print(f"prepare: only {len(pool)} never-set task instances found (wanted {a.updates})",
              file=sys.stderr)
    return 0 if pool else 1


if __name__ == "__main__":
    sys.exit(main())
