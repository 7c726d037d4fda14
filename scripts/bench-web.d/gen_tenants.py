#!/usr/bin/env python3
"""Writes a deterministic import CSV for scripts/bench-web: N tenants, 1 to 5 services each.

Usage: gen_tenants.py N OUT.csv [SEED]
Header: tenant_id,tenant_name,customer,service,entitlements,qualified_entitlements
"""
import csv
import random
import sys

SERVICES = ["exchange", "sharepoint", "onedrive", "teams", "intune", "yammer", "m365-apps", "aadp"]


def guid(rng: random.Random) -> str:
    h = "%032x" % rng.getrandbits(128)
    # Version 4 / variant bits, so the IDs look like the real thing.
    h = h[:12] + "4" + h[13:16] + "89ab"[int(h[16], 16) % 4] + h[17:]
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def main() -> int:
    if len(sys.argv) not in (3, 4):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    n = int(sys.argv[1])
    out = sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) == 4 else 20261122)
    seen = set()
    rows = 0
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["tenant_id", "tenant_name", "customer", "service", "entitlements",
                    "qualified_entitlements"])
        for i in range(1, n + 1):
            tid = guid(rng)
            while tid in seen:
                tid = guid(rng)
            seen.add(tid)
            name = f"bench{i:06d}.onmicrosoft.com"
            customer = f"Bench Customer {i:06d}"
            for svc in rng.sample(SERVICES, rng.randint(1, 5)):
                seats = rng.choice([50, 150, 300, 500, 1000, 2500, 5000, 15000])
                qualified = max(0, seats - rng.randint(0, seats // 2))
                w.writerow([tid, name, customer, svc, seats, qualified])
                rows += 1
    print(f"{out}: {n} tenants, {rows} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
