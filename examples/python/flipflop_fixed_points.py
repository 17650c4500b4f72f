# SPDX-License-Identifier: MIT
"""3-bit flip-flop (Sussillo & Barak 2013): train a 100-unit tanh network
with the library's own Adam and BPTT, then find its fixed points.

Each of 3 input channels carries rare ±1 pulses; output k must hold the sign
of the last pulse on channel k. A trained network stores 3 bits, so its
noise-free dynamics should have 8 stable fixed points (one per output
pattern) with saddles between them.

    python examples/python/flipflop_fixed_points.py [--out DIR] [--updates N]

Writes flipflop_fixed_points.png (trajectories and fixed points in the top-3
PCs, coloured by stability) and flipflop_spectra.png (Jacobian eigenvalues
against the unit circle), and prints what it found.
"""

import argparse
import os
import time

import numpy as np

from nn4n import analysis
from nn4n.core import Model, Objective, Optimizer

BITS = 3


def flipflop_batch(rng, batch, steps, p=0.04):
    """Inputs, targets (B×T×3). Every channel gets a pulse at step 0, so
    every target is defined throughout; later pulses arrive with
    probability p per step."""
    pulses = rng.random((batch, steps, BITS)) < p
    pulses[:, 0, :] = True
    signs = np.where(rng.random((batch, steps, BITS)) < 0.5, -1.0, 1.0)
    u = np.where(pulses, signs, 0.0)
    y = np.zeros_like(u)
    state = np.zeros((batch, BITS))
    for t in range(steps):
        state = np.where(pulses[:, t], signs[:, t], state)
        y[:, t] = state
    return u, y


def train(updates=1500, seed=0, batch=64, steps=60, verbose=True):
    m = Model(BITS, 100, BITS, seed=seed, activation="tanh", alpha=0.5, init="normal")
    obj = Objective("mse")
    opt = Optimizer("adam", lr=3e-3, max_norm=1.0)
    rng = np.random.default_rng(seed)
    t0 = time.time()
    for k in range(0, updates, 25):
        u, y = flipflop_batch(rng, batch, steps)
        _, terms = m.train(obj, opt, u, y, n_updates=25)
        if verbose and k % 250 == 0:
            print(f"update {k:5d}  loss {list(terms.values())[0]:.5f}  ({time.time() - t0:.1f} s)")
    return m


def held_out_end_states(m, seed=123, batch=256, steps=60):
    """Held-out trials: their final states and the output pattern they hold."""
    u, y = flipflop_batch(np.random.default_rng(seed), batch, steps)
    out, _, x = m.forward(u, rates=False, states=True)
    return x, y[:, -1], out


def find(m, states, n_init=2048, seed=1):
    rng = np.random.default_rng(seed)
    flat = states.reshape(-1, states.shape[-1])
    init = flat[rng.integers(0, len(flat), n_init)]
    return analysis.fixed_points(m, init, np.zeros(BITS), noise=0.5, seed=seed, dedup_tol=1e-4)


def stable_patterns(m, fp):
    """Sign pattern of the readout at each stable point."""
    w, b = m.get_array("w_out"), m.get_array("b_out").reshape(-1)
    ys = np.tanh(fp.points[fp.stable]) @ w.T + b
    return ys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=".")
    ap.add_argument("--updates", type=int, default=1500)
    args = ap.parse_args()
    m = train(args.updates)
    m.training = False
    x, target, out = held_out_end_states(m)
    err = np.mean((np.sign(out[:, -1]) != target))
    print(f"held-out sign error at the last step: {err:.4f}")
    t0 = time.time()
    fp = find(m, x)
    print(f"fixed-point search from 2048 states: {time.time() - t0:.2f} s, {len(fp)} points "
          f"({int(fp.stable.sum())} stable, {int((fp.stability == analysis.SADDLE).sum())} saddles, "
          f"max q {fp.q.max():.2e})")
    for y in stable_patterns(m, fp):
        print("  stable point reads out", np.round(y, 2))
    import matplotlib
    matplotlib.use("Agg")
    os.makedirs(args.out, exist_ok=True)
    ax = analysis.plot_fixed_points(fp, x)
    ax.set_title("3-bit flip-flop: fixed points in the top-3 PCs")
    ax.figure.savefig(os.path.join(args.out, "flipflop_fixed_points.png"), dpi=120)
    ax = analysis.plot_spectra(fp)
    ax.figure.savefig(os.path.join(args.out, "flipflop_spectra.png"), dpi=120)
    print("wrote", os.path.join(args.out, "flipflop_fixed_points.png"), "and flipflop_spectra.png")


if __name__ == "__main__":
    main()
