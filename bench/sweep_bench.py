# SPDX-License-Identifier: MIT
"""Benchmark of nn4n.sweep (not a test): throughput of 2 Dask workers vs 1, and
the per-run overhead of the Dask path against a plain in-process loop.

    .venv/bin/python bench/sweep_bench.py [--runs 4] [--trials 200000] [--repeat 3] [--json FILE]
                                          [--max-load L --wait SECONDS]

Each run trains rdm_dense (30 units, SGD at lr 1e-6 with no patience limit, so
that it does not stop early) for --trials trials, with one library thread
(``threads = 1``; the LocalCluster has ``threads_per_worker=1``). Three ways
run the same study: a plain loop in this process (``Study.run_serial``), Dask
with 1 worker process, Dask with 2. The LocalCluster is started before the
clock starts (its start-up time is printed apart); every measurement runs in a
fresh results directory. The three are interleaved, in an order that reverses
from one repetition to the next, and the median and minimum over repetitions
are reported, with the 1-minute load average around each measurement and the
share of a core the runs got (their CPU time / (workers × wall time)).
"""

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time

from nn4n import sweep


def study(runs, trials):
    base = {"structure": {"n_hid": 30}, "optimizer": {"kind": "sgd", "lr": 1e-6},  # too small to reach the stop rule
            "trainer": {"valid_every": 1000, "n_validation": 50, "max_trials": trials, "patience": 10**9},
            "threads": 1}
    return sweep.Study(base, seeds=list(range(1, runs + 1)), name="bench")


def measure(name, s, workers):
    """Wall time of the whole study, with the cluster (if any) already up."""
    from distributed import Client, LocalCluster
    d = tempfile.mkdtemp(prefix="nn4n-sweep-bench-")
    cluster = client = None
    try:
        start = 0.0
        if workers:
            t = time.perf_counter()
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
            client.wait_for_workers(workers)
            start = time.perf_counter() - t
        load0 = os.getloadavg()[0]
        t = time.perf_counter()
        df = s.run_serial(d) if not workers else s.run(d, scheduler=client, progress=False, log=lambda _: None)
        wall = time.perf_counter() - t
        load1 = os.getloadavg()[0]
        assert len(df) == len(s.configs()) and (df["status"] == "ok").all(), df
        w = workers or 1
        run_wall, run_cpu = float(df["seconds"].sum()), float(df["cpu_seconds"].sum())
        return {"name": name, "workers": w, "runs": len(df), "wall": wall, "cluster_start": start,
                "run_mean": run_wall / len(df), "cpu_mean": run_cpu / len(df),
                # time the workers spent outside runs (scheduling, results, imbalance), per run
                "outside_per_run": (wall - run_wall / w) / len(df),
                "core_share": run_cpu / (w * wall), "load": [load0, load1]}
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
        shutil.rmtree(d, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=4)
    ap.add_argument("--trials", type=int, default=200000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", help="write every measurement to this file")
    ap.add_argument("--max-load", type=float, default=0,
                    help="before each measurement wait until the 1-min load average is at most this (0: no wait)")
    ap.add_argument("--wait", type=float, default=1800, help="longest total wait for --max-load, seconds")
    a = ap.parse_args()
    s = study(a.runs, a.trials)
    import pandas  # noqa: F401  (imported once here, not inside the first measurement)
    measure("warm-up", study(1, 1000), 0)  # loads the library and warms this process
    ways = [("loop", 0), ("dask1", 1), ("dask2", 2)]
    res = {n: [] for n, _ in ways}
    for rep in range(a.repeat):
        for n, w in (ways if rep % 2 == 0 else ways[::-1]):
            waited = 0.0
            while a.max_load and os.getloadavg()[0] > a.max_load and a.wait > 0:
                time.sleep(5)
                waited += 5
                a.wait -= 5
            if waited:
                print(f"(waited {waited:.0f} s for load <= {a.max_load}: now {os.getloadavg()[0]:.2f})", flush=True)
            m = measure(n, s, w)
            res[n].append(m)
            print(f"rep {rep} {n:6s} wall {m['wall']:7.2f} s  mean run {m['run_mean']:6.2f} s  "
                  f"core share {m['core_share']:.2f}  cluster start {m['cluster_start']:.2f} s  "
                  f"load {m['load'][0]:.2f}->{m['load'][1]:.2f}", flush=True)
    def med(n, k):
        return statistics.median(m[k] for m in res[n])
    print(f"\nruns={a.runs} trials={a.trials} repeat={a.repeat} cores={os.cpu_count()} (medians over repetitions)")
    print("way     wall (s)  min wall  run wall  run CPU  outside runs/run  core share")
    for n, _ in ways:
        print(f"{n:6s} {med(n, 'wall'):9.2f} {min(m['wall'] for m in res[n]):9.2f} {med(n, 'run_mean'):9.2f} "
              f"{med(n, 'cpu_mean'):8.2f} {med(n, 'outside_per_run'):13.3f}    {med(n, 'core_share'):8.2f}")
    t0, t1, t2 = med("loop", "wall"), med("dask1", "wall"), med("dask2", "wall")
    print(f"Dask 1 worker vs loop, wall: {100 * (t1 - t0) / t0:+.1f} % ({(t1 - t0) / a.runs:+.2f} s per run)")
    extra = med("dask1", "outside_per_run") - med("loop", "outside_per_run")
    print(f"Dask 1 worker vs loop, time outside runs: {extra:+.3f} s per run "
          f"= {100 * extra / med('loop', 'cpu_mean'):+.2f} % of a run's CPU time; "
          f"run CPU time {100 * (med('dask1', 'cpu_mean') / med('loop', 'cpu_mean') - 1):+.1f} %")
    print(f"2 workers vs 1, wall: {t1 / t2:.2f}x (min walls {min(m['wall'] for m in res['dask1']) / min(m['wall'] for m in res['dask2']):.2f}x)")
    c1, c2 = med("dask1", "cpu_mean"), med("dask2", "cpu_mean")
    o1, o2 = med("dask1", "outside_per_run"), med("dask2", "outside_per_run")
    print(f"2 workers vs 1, from CPU time (each worker on a core of its own; not a wall measurement): "
          f"{(c1 + o1) / (c2 / 2 + o2):.2f}x (run CPU time with 2 workers {100 * (c2 / c1 - 1):+.1f} %)")
    print(f"cluster start (not in the walls): median "
          f"{statistics.median(m['cluster_start'] for v in (res['dask1'], res['dask2']) for m in v):.2f} s")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"args": vars(a), "measurements": res}, f, indent=1)


if __name__ == "__main__":
    main()
