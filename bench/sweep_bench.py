# SPDX-License-Identifier: MIT
"""Benchmark of nn4n.sweep (not a test): throughput of 2 Dask workers vs 1, and
the per-run overhead of the Dask path against a plain in-process loop.

    .venv/bin/python bench/sweep_bench.py [--runs 4] [--trials 60000]

Each run trains rdm_dense (30 units, SGD at lr 1e-6 with no patience limit, so that it
does not stop early) for --trials trials.
"""

import argparse
import shutil
import tempfile
import time

from nn4n import sweep


def study(runs, trials):
    base = {"structure": {"n_hid": 30}, "optimizer": {"kind": "sgd", "lr": 1e-6},  # too small to reach the stop rule
            "trainer": {"valid_every": 1000, "n_validation": 50, "max_trials": trials, "patience": 10**9}}
    return sweep.Study(base, seeds=list(range(1, runs + 1)), name="bench")


def timed(fn):
    d = tempfile.mkdtemp(prefix="nn4n-sweep-bench-")
    try:
        t = time.perf_counter()
        df = fn(d)
        return time.perf_counter() - t, df
    finally:
        shutil.rmtree(d, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=4)
    ap.add_argument("--trials", type=int, default=60000)
    a = ap.parse_args()
    s = study(a.runs, a.trials)
    t_loop, df = timed(s.run_serial)
    per_run = df["seconds"].mean()
    t1, _ = timed(lambda d: s.run(d, n_workers=1, progress=False))
    t2, _ = timed(lambda d: s.run(d, n_workers=2, progress=False))
    print(f"runs={a.runs} trials={a.trials} mean run {per_run:.2f} s")
    print(f"plain loop      {t_loop:8.2f} s")
    print(f"dask 1 worker   {t1:8.2f} s  overhead per run {(t1 - t_loop) / a.runs:.2f} s "
          f"({100 * (t1 - t_loop) / t_loop:.1f} %)")
    print(f"dask 2 workers  {t2:8.2f} s  speed-up vs 1 worker {t1 / t2:.2f}x")


if __name__ == "__main__":
    main()
