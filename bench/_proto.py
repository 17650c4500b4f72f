# SPDX-License-Identifier: MIT
"""The line protocol of the benchmark workers and their timing loop.

A worker reads one JSON request per line on stdin ({"op": ..., ...}) and
answers one JSON line on stdout ({"ok": true, ...} or {"ok": false,
"error": ...}). bench/run.py drives the workers so that the implementations
are measured in interleaved rounds by long-lived processes (no import or
start-up cost inside a measurement).
"""

import json
import sys
import time
import traceback


def timeit(fn, min_time=0.5, min_iters=3, warmup=1, max_iters=100000):
    """Mean seconds per call of fn() over a loop of at least min_time seconds
    and min_iters calls, after warmup calls. Returns (mean, iterations, min)."""
    for _ in range(warmup):
        fn()
    n, best = 0, float("inf")
    t_start = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        fn()
        t1 = time.perf_counter()
        best = min(best, t1 - t0)
        n += 1
        if (n >= min_iters and t1 - t_start >= min_time) or n >= max_iters:
            return (t1 - t_start) / n, n, best


def serve(handlers):
    """Answer requests until "quit" or end of input."""
    out = sys.stdout
    sys.stdout = sys.stderr  # anything a library prints must not break the protocol
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        op = req.pop("op")
        if op == "quit":
            out.write(json.dumps({"ok": True}) + "\n")
            out.flush()
            return
        try:
            res = handlers[op](**req)
            res = dict(res or {}, ok=True)
        except Exception as e:  # reported to the driver, which decides
            res = {"ok": False, "error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc()}
        out.write(json.dumps(res) + "\n")
        out.flush()
