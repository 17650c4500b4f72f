# SPDX-License-Identifier: MIT
"""Context-dependent integration (Mante, Sussillo et al. 2013): train a
100-unit tanh network with the library's own Adam and BPTT, then find its
input-conditioned fixed points.

Each trial carries two noisy evidence streams, motion and colour, with
signed coherences, and a context cue (one of two tonic inputs) saying which
stream counts. After the stimulus the output must hold the sign of the
relevant coherence. The analysis conditions the search on a constant input
u*: the context cue alone (each context its own fixed points), then a sweep
of u* along a line, the cue plus a constant motion or colour input from −s
to +s. In a network that gates by context, the relevant input moves the
stable points' readout and destroys the attractor of the opposite choice;
the irrelevant input leaves both attractors in place.

    python examples/python/context_fixed_points.py [--out DIR] [--updates N] [--seed S]
                                                    [--save FILE | --model FILE]

Writes context_fixed_points.png (trajectories and each context's fixed
points in the top PCs) and context_sweep.png (readout of the stable points
against the swept input, per context and input), and prints what it found.
"""

import argparse
import os
import time

import numpy as np

from nn4n import analysis
from nn4n.core import Model, Objective, Optimizer

MOTION, COLOUR, CUE_M, CUE_C = 0, 1, 2, 3
COHS = np.array([0.05, 0.15, 0.5])
FIX, STIM, DEC = 5, 40, 30
NOISE = 0.3


def context_batch(rng, batch, fix=FIX, stim=STIM, dec=DEC, noise=NOISE):
    """Inputs (B×T×4), targets and mask (B×T×1), and the trial conditions
    (context 0 motion / 1 colour, motion and colour coherences)."""
    t = fix + stim + dec
    ctx = rng.integers(0, 2, batch)
    cm = rng.choice(COHS, batch) * rng.choice([-1.0, 1.0], batch)
    cc = rng.choice(COHS, batch) * rng.choice([-1.0, 1.0], batch)
    u = np.zeros((batch, t, 4))
    u[np.arange(batch), :, CUE_M + ctx] = 1.0
    s = slice(fix, fix + stim)
    u[:, s, MOTION] = cm[:, None] + noise * rng.standard_normal((batch, stim))
    u[:, s, COLOUR] = cc[:, None] + noise * rng.standard_normal((batch, stim))
    relevant = np.where(ctx == 0, cm, cc)
    y = np.zeros((batch, t, 1))
    y[:, fix + stim:, 0] = np.sign(relevant)[:, None]
    mask = np.zeros_like(y)
    mask[:, :fix] = 1.0
    mask[:, fix + stim:] = 1.0
    return u, y, mask, (ctx, cm, cc)


def train(updates=2000, seed=0, batch=64, per_batch=25, verbose=True):
    """Adam for ``updates`` updates, ``per_batch`` on each fresh batch of 64
    trials. (Stopping at a validation-accuracy criterion does not work here:
    accuracy is near the ideal observer's ~0.95 after 250 updates, while the
    gating by context, which the fixed points show, keeps improving, and
    how cleanly a network gates depends on the seed and on the last bits of
    its arithmetic: on the AMD Zen 5 machine of 2026-12-07, of seeds 0-3 at
    2000 or 4000 updates (25 or 5 per batch) only seed 2 at 4000 updates
    (25 per batch) passed every check of the test; seed 0 at 2000 updates,
    which passed on the earlier machine, ended with one context's held-out
    accuracy at 0.83. The library's own weight-gradient and input products,
    which replaced OpenBLAS's later that day, changed the last bits again:
    of seeds 0-11 at 4000 updates only 10 and 11 passed, on two threads.)"""
    m = Model(4, 100, 1, seed=seed, activation="tanh", alpha=0.2, init="normal")
    obj = Objective("mse")
    opt = Optimizer("adam", lr=3e-3, max_norm=1.0)
    rng = np.random.default_rng(seed)
    t0 = time.time()
    for k in range(0, updates, per_batch):
        u, y, mask, _ = context_batch(rng, batch)
        _, terms = m.train(obj, opt, u, y, mask, n_updates=per_batch)
        if verbose and k % 250 == 0:
            print(f"update {k:5d}  loss {list(terms.values())[0]:.5f}  ({time.time() - t0:.1f} s)")
    return m


def held_out(m, seed=123, batch=400):
    """Held-out trials: states (B×T×N), outputs, targets, conditions."""
    u, y, _, cond = context_batch(np.random.default_rng(seed), batch)
    out, _, x = m.forward(u, rates=False, states=True)
    return x, out, y, cond


def accuracy(out, y, cond):
    """Fraction of trials whose final output has the sign of the relevant
    coherence, per context."""
    ok = np.sign(out[:, -1, 0]) == y[:, -1, 0]
    return [float(ok[cond[0] == c].mean()) for c in (0, 1)]


def cue(context, motion=0.0, colour=0.0):
    """The constant input u* of a context with constant evidence."""
    u = np.zeros(4)
    u[CUE_M + context] = 1.0
    u[MOTION], u[COLOUR] = motion, colour
    return u


def readout(m, points):
    w, b = m.get_array("w_out"), m.get_array("b_out").reshape(-1)
    return np.tanh(points) @ w.T + b


def find(m, states, u, n_init=512, seed=1):
    rng = np.random.default_rng(seed)
    flat = states.reshape(-1, states.shape[-1])
    init = flat[rng.integers(0, len(flat), n_init)]
    return analysis.fixed_points(m, init, u, noise=0.2, seed=seed, dedup_tol=1e-4)


def context_points(m, states):
    """FixedPoints of each context's cue (no evidence): [motion, colour]."""
    return [find(m, states, cue(c)) for c in (0, 1)]


def sweep(m, states, context, which, strength=0.3, steps=9, n_init=256, seed=1):
    """analysis.sweep of u* from the cue with −strength to +strength of
    input ``which`` (MOTION or COLOUR); returns (levels, [FixedPoints])."""
    rng = np.random.default_rng(seed)
    flat = states.reshape(-1, states.shape[-1])
    init = flat[rng.integers(0, len(flat), n_init)]
    lo, hi = cue(context), cue(context)
    lo[which], hi[which] = -strength, strength
    fps = analysis.sweep(m, init, lo, hi, steps, dedup_tol=1e-4)
    return np.linspace(-strength, strength, steps), fps


def stable_readouts(m, fp):
    return readout(m, fp.points[fp.stable])[:, 0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=".")
    ap.add_argument("--updates", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--save", help="write the trained model to this .npz file")
    ap.add_argument("--model", help="analyse this model file (from --save) instead of training one")
    args = ap.parse_args()
    m = Model.load(args.model) if args.model else train(args.updates, args.seed)
    if args.save:
        m.save(args.save)
    m.training = False
    x, out, y, cond = held_out(m)
    acc = accuracy(out, y, cond)
    print(f"held-out accuracy: motion context {acc[0]:.3f}, colour context {acc[1]:.3f}")
    t0 = time.time()
    fps = context_points(m, x)
    for c, fp in zip(("motion", "colour"), fps):
        print(f"{c} context: {len(fp)} points ({int(fp.stable.sum())} stable, "
              f"{int((fp.stability == analysis.SADDLE).sum())} saddles, max q {fp.q.max():.1e}), "
              f"stable readouts {np.round(stable_readouts(m, fp), 2)}")
    print(f"search: {time.time() - t0:.2f} s")
    sweeps = {}
    for c in (0, 1):
        for which in (MOTION, COLOUR):
            lev, sw = sweep(m, x, c, which)
            sweeps[(c, which)] = (lev, sw)
            r = [np.round(stable_readouts(m, fp), 2).tolist() for fp in sw]
            print(f"context {'mc'[c]}, sweep {'motion' if which == MOTION else 'colour'}: stable readouts per level {r}")

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    os.makedirs(args.out, exist_ok=True)
    mu, comp, _ = analysis.pca(x, 2)
    fig, ax = plt.subplots(figsize=(6, 5))
    for b in range(60):
        z = (x[b] - mu) @ comp.T
        ax.plot(z[:, 0], z[:, 1], color="tab:green" if cond[0][b] == 0 else "tab:purple", lw=0.5, alpha=0.4)
    for c, (fp, marker) in enumerate(zip(fps, ("o", "s"))):
        z = (fp.points - mu) @ comp.T
        for cls, col in ((analysis.STABLE, "tab:blue"), (analysis.SADDLE, "tab:red"), (analysis.UNSTABLE, "tab:orange")):
            sel = fp.stability == cls
            if sel.any():
                ax.scatter(z[sel, 0], z[sel, 1], marker=marker, color=col, s=50, edgecolor="k", zorder=3,
                           label=f"{('motion', 'colour')[c]} ctx, {('stable', 'saddle', 'unstable')[cls]} ({sel.sum()})")
    ax.set_xlabel("PC1")
    ax.set_ylabel("PC2")
    ax.set_title("Context-dependent integration: fixed points per context\n(trajectories: green motion, purple colour)")
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    fig.savefig(os.path.join(args.out, "context_fixed_points.png"), dpi=120)
    fig, axs = plt.subplots(1, 2, figsize=(9, 4), sharey=True)
    for c, ax in enumerate(axs):
        for which, col, name in ((MOTION, "tab:green", "motion"), (COLOUR, "tab:purple", "colour")):
            lev, sw = sweeps[(c, which)]
            for k, fp in enumerate(sw):
                r = stable_readouts(m, fp)
                ax.scatter(np.full(len(r), lev[k]) + (0.006 if which == COLOUR else -0.006), r, color=col, s=18,
                           label=f"{name} input swept" if k == 0 else None)
        ax.axhline(0, color="k", lw=0.5)
        ax.set_title(f"{('motion', 'colour')[c]} context")
        ax.set_xlabel("constant input u* added to the cue")
        ax.legend(fontsize=8)
    axs[0].set_ylabel("readout of each stable fixed point")
    fig.tight_layout()
    fig.savefig(os.path.join(args.out, "context_sweep.png"), dpi=120)
    print("wrote", os.path.join(args.out, "context_fixed_points.png"), "and context_sweep.png")


if __name__ == "__main__":
    main()
