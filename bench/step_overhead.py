# SPDX-License-Identifier: MIT
"""Per-call cost of nn4n.core.Model.step against a bare ctypes call.

    python bench/step_overhead.py [--units 256] [--batch 1] [--calls 20000] [--rounds 7]

"bare" calls the library's nn4n_model_step(_f32) through ctypes with the
pointers built once, outside the loop (what a hand-written ctypes loop does
at best); "Model.step" is the binding's method, allocating its outputs on
every call. Rounds are interleaved; the median over rounds of the per-call
time is printed with the load average. The ratio is Model.step / bare.
"""

import argparse
import ctypes
import os
import statistics
import time

import numpy as np

from nn4n.core import Model
from nn4n import _lib


def bare_caller(m, prec, b):
    i, n, o = m.dims
    dt, ct, name = (np.float32, ctypes.c_float, "nn4n_model_step_f32") if prec == "float32" \
        else (np.float64, ctypes.c_double, "nn4n_model_step")
    f = getattr(_lib._cdll, name)  # the declared function (POINTER argtypes, errcheck)
    st = np.zeros((b, n), dt)
    u = np.full((b, i), 0.1, dt)
    y = np.empty((b, o), dt)
    P = ctypes.POINTER(ct)
    args = (m.handle, b, st.ctypes.data_as(P), st.size, u.ctypes.data_as(P), u.size,
            ctypes.cast(None, P), 0, y.ctypes.data_as(P), y.size)

    def call():
        f(*args)
    return call


def method_caller(m, prec, b):
    i, n, o = m.dims
    dt = np.float32 if prec == "float32" else np.float64
    st = np.zeros((b, n), dt)
    u = np.full((b, i), 0.1, dt)
    step = m.step

    def call():
        step(st, u)
    return call


def per_call(fn, calls):
    t0 = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - t0) / calls * 1e6


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=256)
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--calls", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=7)
    a = ap.parse_args()
    _lib.set_num_threads(1)
    print(f"N={a.units} B={a.batch} I=4 O=2, {a.calls} calls x {a.rounds} interleaved rounds, "
          f"load average before {os.getloadavg()}")
    print("| precision | bare ctypes (µs) | Model.step (µs) | ratio |")
    print("|---|---|---|---|")
    for prec in ("float64", "float32"):
        m = Model(4, a.units, 2, precision=prec, seed=1)
        m.training = False
        fns = {"bare": bare_caller(m, prec, a.batch), "method": method_caller(m, prec, a.batch)}
        for fn in fns.values():
            per_call(fn, a.calls // 10)  # warm up (first-call allocation)
        res = {k: [] for k in fns}
        for _ in range(a.rounds):
            for k, fn in fns.items():
                res[k].append(per_call(fn, a.calls))
        bm, mm = statistics.median(res["bare"]), statistics.median(res["method"])
        print(f"| {prec} | {bm:.2f} | {mm:.2f} | {mm / bm:.2f}× |")
    print(f"load average after {os.getloadavg()}")


if __name__ == "__main__":
    main()
