# SPDX-License-Identifier: MIT
"""The line protocol of the benchmark workers and their timing loop.

A worker reads one JSON request per line on stdin ({"op": ..., ...}) and
answers one JSON line on stdout ({"ok": true, ...} or {"ok": false,
"error": ...}); drivers send requests with request(). bench/run.py drives the workers so that the implementations
are measured in interleaved rounds by long-lived processes (no import or
start-up cost inside a measurement).
"""

import json
import sys
import time
import traceback


class WorkerError(RuntimeError):
    """A worker died, or answered a request with an error."""


def request(p, who, log, op, **kw):
    """request sends op with the arguments kw to the worker process p (a
    Popen whose stdin and stdout are text pipes) and returns its answer
    without "ok". A worker that died or failed raises WorkerError, naming
    who, the op and log (where its stderr goes)."""
    p.stdin.write(json.dumps(dict(kw, op=op)) + "\n")
    p.stdin.flush()
    line = p.stdout.readline()
    if not line:
        raise WorkerError(f"worker {who} died during {op} (see {log})")
    res = json.loads(line)
    if not res.pop("ok"):
        raise WorkerError(f"{who}.{op}: {res.get('error')}\n{res.get('trace', '')}")
    return res


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
