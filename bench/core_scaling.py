# SPDX-License-Identifier: MIT
"""How well this machine runs two jobs at once (not a test): the ceiling of
any 2-worker sweep here, measured without Dask.

    .venv/bin/python bench/core_scaling.py [--trials 250000] [--repeat 3] [--json FILE]

Two workloads, each run alone and then as two identical processes started
together (spawned, so nothing is shared but the machine), interleaved over
--repeat repetitions in an order that reverses each time:

* ``spin``: a pure-Python integer loop (a few KiB of memory): what two busy
  vCPUs cost each other with no data to share (clock, host scheduling);
* ``run``: one run of bench/sweep_bench.py's study (rdm_dense, 30 units,
  one library thread), called as ``nn4n.sweep.run_one`` in the process,
  with no Dask.

Throughput of two against one = 2 × (time alone) / (wall of the pair). A
Dask study with 2 workers cannot exceed the ``run`` figure: it runs the same
runs in the same kind of processes, plus its own scheduling.
"""

import argparse
import json
import multiprocessing as mp
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def spin(n):
    """spin counts to n in pure Python and returns its own wall and CPU time."""
    t, c = time.perf_counter(), time.process_time()
    s = 0
    for i in range(n):
        s += i & 7
    return time.perf_counter() - t, time.process_time() - c


def one_run(trials):
    """one_run trains one run of the sweep benchmark's study in this process."""
    from nn4n import sweep
    from sweep_bench import study
    cfg = study(1, trials).configs()[0][2]
    t, c = time.perf_counter(), time.process_time()
    m = sweep.run_one(cfg)
    assert m["status"] == "ok", m
    return time.perf_counter() - t, time.process_time() - c


def together(pool, fn, arg, k):
    """together runs fn(arg) in k processes of pool at once: (wall, [(wall, cpu)])."""
    t = time.perf_counter()
    res = pool.starmap(fn, [(arg,)] * k)
    return time.perf_counter() - t, res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=250000, help="trials of one sweep run")
    ap.add_argument("--spin", type=int, default=60_000_000, help="iterations of the spin loop")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", help="write every measurement to this file")
    a = ap.parse_args()
    ctx = mp.get_context("spawn")
    out = {"cores": os.cpu_count(), "measurements": []}
    with ctx.Pool(2) as pool:
        pool.starmap(one_run, [(2000,)] * 2)  # loads the library in both processes
        cases = [("spin", spin, a.spin, 1), ("spin", spin, a.spin, 2),
                 ("run", one_run, a.trials, 1), ("run", one_run, a.trials, 2)]
        for rep in range(a.repeat):
            for name, fn, arg, k in (cases if rep % 2 == 0 else cases[::-1]):
                load = os.getloadavg()[0]
                wall, res = together(pool, fn, arg, k)
                rec = {"workload": name, "procs": k, "wall": wall, "each": res, "load": [load, os.getloadavg()[0]]}
                out["measurements"].append(rec)
                print(f"rep {rep} {name:4s} x{k}: wall {wall:7.2f} s  each (wall, cpu) "
                      + "  ".join(f"({w:.2f}, {c:.2f})" for w, c in res)
                      + f"  load {rec['load'][0]:.2f}->{rec['load'][1]:.2f}", flush=True)
    print(f"\ncores={os.cpu_count()} repeat={a.repeat} (medians over repetitions)")
    for name in ("spin", "run"):
        ms = [m for m in out["measurements"] if m["workload"] == name]
        alone = statistics.median(m["wall"] for m in ms if m["procs"] == 1)
        pair = statistics.median(m["wall"] for m in ms if m["procs"] == 2)
        cpu1 = statistics.median(m["each"][0][1] for m in ms if m["procs"] == 1)
        cpu2 = statistics.median(c for m in ms if m["procs"] == 2 for _, c in m["each"])
        print(f"{name:4s}: alone {alone:.2f} s, pair {pair:.2f} s -> throughput of two vs one "
              f"{2 * alone / pair:.2f}x; CPU time per job {100 * (cpu2 / cpu1 - 1):+.1f} % with both cores busy")
        out[name] = {"alone": alone, "pair": pair, "ratio": 2 * alone / pair, "cpu_alone": cpu1, "cpu_pair": cpu2}
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
