# SPDX-License-Identifier: MIT
"""Fixed-point search: nn4n's exact-Jacobian Levenberg–Marquardt against a
PyTorch gradient-descent finder (Adam on q, as FixedPointFinder's torch
version does), on a trained 3-bit flip-flop (tanh, N = 100), from the same
2048 initial states, float64 both.

    python bench/fixed_points.py [--iters 5000] [--lr 1e-2] [--threads 1] [--model PATH]

The model is trained once with examples/python/flipflop_fixed_points.py and
saved to build/bench/flipflop.npz (reused when present). Reported: wall time
of each finder, the fraction of searches with q < 1e-12, and the median and
maximum q reached. The torch finder stops when every q < 1e-12 or after
--iters Adam steps. Not part of make test.
"""

import argparse
import importlib.util
import json
import os
import time

import numpy as np
import torch

import nn4n
from nn4n import analysis
from nn4n.core import Model

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def _example():
    path = os.path.join(ROOT, "examples", "python", "flipflop_fixed_points.py")
    spec = importlib.util.spec_from_file_location("flipflop_fixed_points", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def torch_finder(m, init, iters, lr, tol=1e-12):
    """Adam on q(x) = ½‖F(x) − x‖² for every state at once (u = 0)."""
    w = torch.tensor(m.get_array("w_rec_eff"))
    b = torch.tensor(m.get_array("b_rec").reshape(-1) + m.get_array("b_in").reshape(-1))
    a = torch.tensor(m.get_array("alpha").reshape(-1))
    x = torch.tensor(init.copy(), requires_grad=True)
    opt = torch.optim.Adam([x], lr=lr)
    t0 = time.perf_counter()
    for k in range(iters):
        opt.zero_grad()
        f = (1 - a) * x + a * (torch.tanh(x) @ w.T + b)
        q = 0.5 * ((f - x) ** 2).sum(dim=1)
        if bool((q < tol).all()):
            break
        q.sum().backward()
        opt.step()
    elapsed = time.perf_counter() - t0
    return elapsed, q.detach().numpy(), k


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iters", type=int, default=5000)
    ap.add_argument("--lr", type=float, default=1e-2)
    ap.add_argument("--model", default=os.path.join(ROOT, "build", "bench", "flipflop.npz"))
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1, help="threads for both finders")
    args = ap.parse_args()
    nn4n.set_num_threads(args.threads)
    torch.set_num_threads(args.threads)
    ff = _example()
    if os.path.exists(args.model):
        m = Model.load(args.model)
    else:
        m = ff.train(verbose=False)
        os.makedirs(os.path.dirname(args.model), exist_ok=True)
        m.save(args.model)
    m.training = False
    x, _, _ = ff.held_out_end_states(m)
    rng = np.random.default_rng(1)
    flat = x.reshape(-1, x.shape[-1])
    init = flat[rng.integers(0, len(flat), 2048)] + rng.normal(0, 0.5, (2048, flat.shape[1]))

    ours = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        fp = analysis.fixed_points(m, init, np.zeros(3), dedup_tol=1e-4)
        ours.append(time.perf_counter() - t0)
    t_ours = float(np.median(ours))
    tt, tq, steps = torch_finder(m, init, args.iters, args.lr)
    res = {
        "n_init": 2048, "N": 100, "threads": args.threads,
        "ours": {"seconds_median": t_ours, "seconds_all": ours, "converged": float(fp.end_converged.mean()),
                 "q_median": float(np.median(fp.end_q)), "q_max": float(fp.end_q.max()),
                 "iterations_mean": float(fp.end_iterations.mean()), "points": len(fp),
                 "stable": int(fp.stable.sum())},
        "torch_adam": {"seconds": tt, "steps": steps + 1, "lr": args.lr, "converged": float((tq < 1e-12).mean()),
                       "q_median": float(np.median(tq)), "q_max": float(tq.max()),
                       "threads": torch.get_num_threads()},
    }
    res["speedup"] = tt / t_ours
    print(json.dumps(res, indent=1))
    os.makedirs(os.path.join(ROOT, "build", "bench"), exist_ok=True)
    with open(os.path.join(ROOT, "build", "bench", "fixed_points.json"), "w") as f:
        json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
