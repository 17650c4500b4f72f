"""Octave against Python on the same training loop (issue: host overhead).

    python bench/host_loop.py [--calls 300] [--rounds 5]

One update per call, `calls` calls, on the MATLAB README's shape (1-80-1,
alpha 0.2, float64, 16 trials of 50 steps, Song-Yang objective, Adam lr
1e-3): in Octave `net.train(u, target, 'updates', 1, 'lr', 1e-3)` in a loop
(bench/host_loop.m), in Python `model.train(objective, optimizer, u, target)`
(nn4n.core, objective and optimizer made once). Also one call of `calls`
updates on each side (the engine alone, the same work). One library thread
on both sides. Prints the median per-call time of each loop over the rounds
(interleaved: Octave, Python, Python, Octave, ...), the ratio, and checks
that both loops end at the same loss (same engine, same seed).
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


def python_round(calls):
    nn4n.set_num_threads(1)
    u = np.concatenate([np.zeros((16, 10, 1)), np.ones((16, 40, 1))], 1)
    target = 0.5 * u
    obj, opt = core.Objective("songyang"), core.Optimizer("adam", lr=1e-3)
    m = core.Model(1, 80, 1, "float64", seed=1, alpha=0.2)
    m.train(obj, opt, u, target)  # warm-up, as on the Octave side
    t0 = time.perf_counter()
    for _ in range(calls):
        _, terms = m.train(obj, opt, u, target)
    loop = time.perf_counter() - t0
    m2 = core.Model(1, 80, 1, "float64", seed=1, alpha=0.2)
    opt2 = core.Optimizer("adam", lr=1e-3)
    m2.train(obj, opt2, u, target)
    t0 = time.perf_counter()
    m2.train(obj, opt2, u, target, n_updates=calls)
    single = time.perf_counter() - t0
    return loop, single, terms["total"]


def octave_round(calls, octave):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "octave.txt")
        subprocess.run([octave, "-q", "-f", "--no-history", "--eval",
                        f"addpath('{ROOT / 'bench'}'); host_loop({calls}, 1, '{out}')"],
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        vals = dict(line.split() for line in open(out))
    return float(vals["loop"]), float(vals["single"]), float(vals["loss"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--octave", default=os.environ.get("OCTAVE", "octave-cli"))
    a = ap.parse_args()
    res = {"octave": [], "python": []}
    for r in range(a.rounds):
        order = ("octave", "python") if r % 2 == 0 else ("python", "octave")
        for side in order:
            res[side].append(octave_round(a.calls, a.octave) if side == "octave" else python_round(a.calls))
    med = {s: (statistics.median(x[0] for x in v), statistics.median(x[1] for x in v)) for s, v in res.items()}
    losses = {s: {x[2] for x in v} for s, v in res.items()}
    print(f"host_loop: {a.calls} calls of 1 update, {a.rounds} rounds, 1-min load {os.getloadavg()[0]:.1f}")
    for s in ("octave", "python"):
        print(f"  {s:7s} loop {1e3 * med[s][0] / a.calls:.3f} ms/call   one call of {a.calls} updates "
              f"{1e3 * med[s][1] / a.calls:.3f} ms/update")
    print(f"  ratio Octave/Python: loop {med['octave'][0] / med['python'][0]:.2f}x, "
          f"single call {med['octave'][1] / med['python'][1]:.2f}x")
    same = losses["octave"] == losses["python"] and len(losses["python"]) == 1
    print(f"  final loss: Octave {sorted(losses['octave'])}, Python {sorted(losses['python'])}: "
          f"{'identical' if same else 'DIFFERENT'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
