# SPDX-License-Identifier: MIT
"""Octave against Python on the same training loop.

    python bench/host_loop.py [--calls 200] [--per-call 1] [--rounds 5]

`calls` training calls of `per_call` updates each on the MATLAB README's
shape (1-80-1, alpha 0.2, float64, 16 trials of 50 steps, Song-Yang
objective, Adam lr 1e-3, one library thread): in Octave
`net.train(u, target, 'updates', per_call, 'lr', 1e-3)` in a loop
(bench/octave/host_loop.m), in Python `model.train(objective, optimizer, u, target,
n_updates=per_call)` (nn4n.core; objective and optimizer made once). Then one
call of calls*per_call updates on each side (the engine alone, the same
work). Rounds alternate the order (Octave first, then Python first, ...);
reported: the median over rounds of the wall time and of the process CPU
time (all threads; steadier than wall time on a loaded machine) per call,
their Octave/Python ratios, and whether both loops end at the same loss
(same engine, same seed: they must).
"""
import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
# Both sides on the library the Octave gateway links: the repository's build.
os.environ.setdefault("NN4N_LIBRARY", str(ROOT / "build" / "libnn4n.so"))
import nn4n  # noqa: E402
from nn4n import core  # noqa: E402


def python_round(calls, per_call):
    nn4n.set_num_threads(1)
    u = np.concatenate([np.zeros((16, 10, 1)), np.ones((16, 40, 1))], 1)
    target = 0.5 * u
    obj = core.Objective("songyang")
    res = {}
    for mode in ("loop", "single"):
        opt = core.Optimizer("adam", lr=1e-3)
        m = core.Model(1, 80, 1, "float64", seed=1, alpha=0.2)
        m.train(obj, opt, u, target)  # warm-up, as on the Octave side
        c0, t0 = time.process_time(), time.perf_counter()
        if mode == "loop":
            for _ in range(calls):
                _, terms = m.train(obj, opt, u, target, n_updates=per_call)
            res["loss"] = terms["total"]
        else:
            m.train(obj, opt, u, target, n_updates=calls * per_call)
        res[mode + "_wall"] = time.perf_counter() - t0
        res[mode + "_cpu"] = time.process_time() - c0
    return res


def octave_round(calls, per_call, octave):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "octave.txt")
        subprocess.run([octave, "-q", "-f", "--no-history", "--eval",
                        f"addpath('{ROOT / 'bench' / 'octave'}'); host_loop({calls}, {per_call}, '{out}')"],
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        return {k: float(v) for k, v in (line.split() for line in open(out))}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--per-call", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--octave", default=os.environ.get("OCTAVE", "octave-cli"))
    a = ap.parse_args()
    res = {"octave": [], "python": []}
    load0 = os.getloadavg()[0]
    for r in range(a.rounds):
        for side in (("octave", "python") if r % 2 == 0 else ("python", "octave")):
            res[side].append(octave_round(a.calls, a.per_call, a.octave) if side == "octave"
                             else python_round(a.calls, a.per_call))
    med = {s: {k: statistics.median(x[k] for x in v) for k in v[0]} for s, v in res.items()}
    print(f"host_loop: {a.calls} calls of {a.per_call} update(s), {a.rounds} rounds, "
          f"1-min load {load0:.1f} -> {os.getloadavg()[0]:.1f}")
    for s in ("octave", "python"):
        m = med[s]
        print(f"  {s:7s} loop: wall {1e3 * m['loop_wall'] / a.calls:7.3f} ms/call, cpu "
              f"{1e3 * m['loop_cpu'] / a.calls:7.3f} ms/call | one call of {a.calls * a.per_call}: wall "
              f"{1e3 * m['single_wall'] / a.calls:7.3f}, cpu {1e3 * m['single_cpu'] / a.calls:7.3f} ms per "
              f"{a.per_call} update(s)")
    o, p = med["octave"], med["python"]
    print(f"  ratio Octave/Python: loop wall {o['loop_wall'] / p['loop_wall']:.2f}x, loop cpu "
          f"{o['loop_cpu'] / p['loop_cpu']:.2f}x; one call wall {o['single_wall'] / p['single_wall']:.2f}x, "
          f"cpu {o['single_cpu'] / p['single_cpu']:.2f}x")
    lo, lp = {x["loss"] for x in res["octave"]}, {x["loss"] for x in res["python"]}
    same = lo == lp and len(lp) == 1
    print(f"  final loss: Octave {sorted(lo)}, Python {sorted(lp)}: {'identical' if same else 'DIFFERENT'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
