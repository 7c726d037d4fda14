#!/usr/bin/env python3
"""Latency at a fixed request rate, for scripts/bench-web (wrk cannot pace requests and this
machine has no wrk2). Standard library only.

Usage: pace.py --port PORT --paths FILE --header 'Name: value' [--rate 1000] [--duration 15]
               [--warmup 2] [--connections 64]

Opens CONNECTIONS keep-alive HTTP/1.1 connections, then issues GET requests for the paths in
FILE (cycled) on a fixed schedule: request i is due at t0 + i / RATE. A due request goes to
the first idle connection; when every connection is busy it waits for one. Latency is measured
from the request's *scheduled* time to the end of its response, so a stall of the server
delays (and counts against) every request that should have been sent meanwhile: no
coordinated omission. The requests of the first WARMUP seconds are sent but not counted.

Prints one line:
PACED target_rate=.. achieved_rate=.. requests=.. p50_us=.. p90_us=.. p99_us=.. p999_us=..
      max_us=.. service_p99_us=.. send_lag_p99_us=.. non2xx=.. errors=.. late=..
(service_* is from the actual send, send_lag_* is how late the client itself sent: if the
lag is large the client, not the server, was the bottleneck.)
"""
import argparse
import asyncio
import sys


def pct(sorted_vals, p):
    if not sorted_vals:
        return 0
    k = min(len(sorted_vals) - 1, max(0, int(round(p / 100.0 * len(sorted_vals) + 0.5)) - 1))
    return sorted_vals[k]


async def read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = None
    chunked = False
    close = False
    for h in lines[1:]:
        if not h:
            continue
        name, _, value = h.partition(b":")
        name = name.strip().lower()
        value = value.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value:
            chunked = True
        elif name == b"connection" and value == b"close":
            close = True
    if chunked:
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length is not None:
        await reader.readexactly(length)
    else:
        await reader.read()
        close = True
    return status, close


async def main_async(a):
    loop = asyncio.get_running_loop()
    paths = [p.strip() for p in open(a.paths) if p.strip()]
    hname, _, hvalue = a.header.partition(":")
    reqs = [
        (f"GET {p} HTTP/1.1\r\nHost: {a.host}:{a.port}\r\n{hname.strip()}: {hvalue.strip()}\r\n"
         f"Accept: */*\r\n\r\n").encode()
        for p in paths
    ]
    total = int(a.rate * (a.warmup + a.duration))
    skip = int(a.rate * a.warmup)
    queue = asyncio.Queue()
    lat = []       # from the scheduled time
    service = []   # from the actual send
    lag = []       # actual send - scheduled
    counts = {"non2xx": 0, "errors": 0, "done": 0}
    first_bad = []
    last_end = [0.0]

    async def connect():
        return await asyncio.open_connection(a.host, a.port)

    async def worker():
        reader, writer = await connect()
        while True:
            item = await queue.get()
            if item is None:
                break
            i, due = item
            sent = loop.time()
            try:
                writer.write(reqs[i % len(reqs)])
                status, close = await read_response(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as e:
                counts["errors"] += 1
                if len(first_bad) < 1:
                    first_bad.append(f"error {e!r}")
                writer.close()
                reader, writer = await connect()
                continue
            end = loop.time()
            last_end[0] = max(last_end[0], end)
            counts["done"] += 1
            if i >= skip:
                lat.append(end - due)
                service.append(end - sent)
                lag.append(sent - due)
                if status < 200 or status > 299:
                    counts["non2xx"] += 1
                    if len(first_bad) < 1:
                        first_bad.append(f"status {status} for {paths[i % len(paths)]}")
            if close:
                writer.close()
                reader, writer = await connect()
        writer.close()

    workers = [asyncio.create_task(worker()) for _ in range(a.connections)]
    await asyncio.sleep(0.2)  # let the connections open
    t0 = loop.time() + 0.05
    i = 0
    while i < total:
        now = loop.time()
        due_n = min(total, int((now - t0) * a.rate) + 1)
        while i < due_n:
            queue.put_nowait((i, t0 + i / a.rate))
            i += 1
        nxt = t0 + i / a.rate
        delay = nxt - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
    for _ in workers:
        queue.put_nowait(None)
    _, pending = await asyncio.wait(workers, timeout=10)
    for t in pending:
        t.cancel()
    measured_span = max(last_end[0], t0 + total / a.rate) - (t0 + skip / a.rate)
    late = (total - skip) - len(lat) - counts["errors"]
    lat.sort()
    service.sort()
    lag.sort()
    us = lambda v: int(v * 1e6)
    counted = len(lat)
    print(
        f"PACED target_rate={a.rate:.0f} achieved_rate={counted / measured_span:.1f} "
        f"requests={counted} p50_us={us(pct(lat, 50))} p90_us={us(pct(lat, 90))} "
        f"p99_us={us(pct(lat, 99))} p999_us={us(pct(lat, 99.9))} max_us={us(lat[-1] if lat else 0)} "
        f"service_p50_us={us(pct(service, 50))} service_p99_us={us(pct(service, 99))} "
        f"send_lag_p99_us={us(pct(lag, 99))} non2xx={counts['non2xx']} errors={counts['errors']} "
        f"late={max(0, late)}"
    )
    if first_bad:
        print("PACED-EXAMPLE " + first_bad[0])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--paths", required=True)
    ap.add_argument("--header", required=True)
    ap.add_argument("--rate", type=float, default=1000)
    ap.add_argument("--duration", type=float, default=15)
    ap.add_argument("--warmup", type=float, default=2)
    ap.add_argument("--connections", type=int, default=64)
    a = ap.parse_args()
    asyncio.run(main_async(a))
    return 0


if __name__ == "__main__":
    sys.exit(main())
