# SPDX-License-Identifier: MIT
"""rdm_dense to criterion with pycog's protocol, run by libnn4n through the
Python binding (nn4n.train.Trainer): the nn4n side of the task-level
benchmark (docs/BENCHMARKS.md; the PyTorch side is bench/rdm_torch.py).

Model: the pycog structure (N = 100, 80 E / 20 I, dense balanced C_rec,
readout from E), Dale "rectify", pycog init (gamma, ρ = 1.5), α = 0.2,
σ_rec = 0.15, x0 = 0.1 trained; Song-Yang objective (masked MSE + Ω,
λ_Ω = 2); SGD lr 0.01, global-norm clip 1, NaN guard; minibatch 20,
validation every 10⁴ trials on 1100 trials, stop when the mean of the last 5
validation accuracies > 85 %.

Usage: python bench/rdm_ours.py --seed 101 [--precision float32] [--threads 0]
Prints one JSON line.
"""

import argparse
import json
import time

import numpy as np

import nn4n
from nn4n.core import Model, Structure
from nn4n.tasks import Task


def train(seed, precision="float32", threads=0, max_seconds=None):
    if threads:
        nn4n.set_num_threads(threads)
    task = Task("rdm_dense", dt=20)
    n_in, n_out, n = int(task.get("inputs")), int(task.get("outputs")), int(task.get("n_units"))
    st = Structure("pycog", n_in, n, n_out, seed=seed, exc_readout=1).build()
    m = Model.from_structure(st, precision=precision, seed=seed)
    m.configure(alpha=0.2, rec_noise=0.15, x0=0.1, train_x0=1, init="pycog")
    m.reinitialize()
    rho0 = m.spectral_radius()
    tr = nn4n.train.Trainer(m, task, nn4n.criterion.SongYangLoss(), nn4n.optim.SGD(lr=0.01, max_norm=1.0),
                            seed=seed)
    t0 = time.perf_counter()
    capped = False
    while True:  # one validation per call: a wall-time cap can stop between them
        if tr.run(1):
            break
        if max_seconds and time.perf_counter() - t0 >= max_seconds:
            capped = True
            break
    seconds = time.perf_counter() - t0
    h = tr.history()
    cols = nn4n.train.HISTORY_COLUMNS
    history = [dict(zip(cols, map(float, row))) for row in h]
    trials = int(h[-1, 0])
    return {"impl": "nn4n", "precision": precision, "seed": seed, "trials": trials, "updates": int(h[-1, 1]),
            "seconds": seconds, "trials_per_s": trials / seconds, "converged": bool(tr.get("converged")),
            "capped": capped, "reason": tr.reason if not capped else f"wall-time cap {max_seconds:.0f} s",
            "final_perf": float(h[-1, 4]), "rho0": rho0, "history": history,
            "threads": list(nn4n.get_num_threads())}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=101)
    ap.add_argument("--precision", default="float32", choices=("float32", "float64"))
    ap.add_argument("--threads", type=int, default=0, help="0 = the library's default")
    ap.add_argument("--max-seconds", type=float, default=None)
    ap.add_argument("--json", default=None)
    a = ap.parse_args()
    res = train(a.seed, a.precision, a.threads, a.max_seconds)
    line = json.dumps(res)
    if a.json:
        with open(a.json, "w") as f:
            f.write(line + "\n")
    print(line)


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
