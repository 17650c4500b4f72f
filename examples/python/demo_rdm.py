# SPDX-License-Identifier: MIT
"""make demo: train Song, Yang & Wang's (2016) E/I perceptual-decision
network (pycog's rdm_dense) from Python and write what it learned.

    python examples/python/demo_rdm.py [output_dir] [seed]

The network and protocol are pycog's defaults: N = 100 (80 % excitatory,
20 % inhibitory), Dale's law by rectification, the dense balanced Crec,
readout from excitatory units only, τ = 100 ms, dt = 20 ms, σ_rec = 0.15,
trained x0; the Song-Yang objective with λ_Ω = 2; SGD (lr 0.01, gradient
norm clipped to 1) on minibatches of 20 trials; a validation set of 1100
trials every 10⁴ trials; stop when the mean of the last five validation
accuracies exceeds 85 %. Written into output_dir (default demo/):

    rdm_dense.npz       the trained model (numpy.load reads it)
    psychometric.png    P(choose output 1) vs signed coherence, 100 held-out trials
                        per coherence (0 % included), cumulative-Gaussian fit
    weights.png         the effective recurrent weights (E/I blocks)
    trials.png          example trials: inputs, outputs and targets
    summary.txt         the one-line summary, also printed
"""
import os
import sys
import time

import numpy as np

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from nn4n.core import Model, Structure  # noqa: E402
from nn4n.criterion import SongYangLoss  # noqa: E402
from nn4n.tasks import Task  # noqa: E402
from nn4n.train import HISTORY_COLUMNS, Trainer  # noqa: E402

COHERENCES = [-51.2, -25.6, -12.8, -6.4, -3.2, 0.0, 3.2, 6.4, 12.8, 25.6, 51.2]


def build(seed):
    """The rdm_dense task and pycog's E/I network for it."""
    task = Task("rdm_dense", dt=20)
    n_in, n_out, n = int(task.get("inputs")), int(task.get("outputs")), int(task.get("n_units"))
    structure = Structure("pycog", n_in, n, n_out, seed=seed, exc_readout=1).build()
    model = Model.from_structure(structure, seed=seed)
    model.configure(alpha=20 / 100, rec_noise=0.15, x0=0.1, train_x0=1, init="pycog")
    model.reinitialize()
    return task, structure, model


def train(model, task, seed):
    """pycog's protocol, one progress line per validation."""
    trainer = Trainer(model, task, SongYangLoss(), seed=seed)
    col = {c: k for k, c in enumerate(HISTORY_COLUMNS)}
    t0 = time.time()
    while True:
        done = trainer.run(1)
        row = trainer.history()[-1]
        print(f"trials {int(row[col['trials']]):7d}  loss {row[col['loss']]:.4f}  "
              f"accuracy {row[col['perf']]:5.1f} %  {row[col['elapsed']]:6.1f} s", flush=True)
        if done:
            return trainer, time.time() - t0


def psychometric(model, task, seed, path):
    """Held-out trials per signed coherence, P(choose output 1), a cumulative-Gaussian fit."""
    table = np.zeros((100 * len(COHERENCES), len(Task.CONDITION_COLUMNS)))
    col = {c: k for k, c in enumerate(Task.CONDITION_COLUMNS)}
    for k, c in enumerate(np.repeat(COHERENCES, 100)):
        table[k, col["coherence"]] = abs(c)
        table[k, col["sign"]] = 1 if c >= 0 else -1
    batch = task.sample_conditions(table, seed=seed)
    outputs, _, _ = model.forward(batch["input"], rates=False)
    curve = task.psychometric(outputs, choice=0)
    x, p = curve["x"], curve["k"] / curve["n"]
    fit = curve["fit"]
    xs = np.linspace(-55, 55, 400)
    from math import erf, sqrt
    pf = [0.5 * (1 + erf((v - fit["mu"]) / (fit["sigma"] * sqrt(2)))) for v in xs]
    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    ax.plot(xs, pf, color="0.4", lw=1.5, label=f"fit: bias {fit['mu']:.1f} %, σ {fit['sigma']:.1f} %")
    ax.plot(x, p, "o", color="tab:blue", label="network (100 trials each)")
    ax.set_xlabel("signed coherence (%)")
    ax.set_ylabel("P(choose output 1)")
    ax.set_ylim(-0.03, 1.03)
    ax.set_title("rdm_dense: psychometric curve")
    ax.legend(loc="upper left", fontsize=7, frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)
    strong = np.isin(x, [-51.2, 51.2])
    correct = np.where(x[strong] > 0, curve["k"][strong], curve["n"][strong] - curve["k"][strong])
    return fit, correct.sum() / curve["n"][strong].sum()


def plot_weights(model, path):
    """The effective recurrent weights, excitatory and inhibitory blocks marked."""
    w = model.get_array("w_rec_eff")
    n_exc = int(np.sum(np.max(w, axis=0) > 0))
    lim = np.max(np.abs(w))
    fig, ax = plt.subplots(figsize=(4.8, 4.2))
    im = ax.imshow(w, cmap="bwr", vmin=-lim, vmax=lim, interpolation="nearest")
    ax.axvline(n_exc - 0.5, color="k", lw=0.8)
    ax.axhline(n_exc - 0.5, color="k", lw=0.8)
    ax.set_xlabel(f"presynaptic unit (E: 0–{n_exc - 1}, I: {n_exc}–{w.shape[1] - 1})")
    ax.set_ylabel("postsynaptic unit")
    ax.set_title("effective W_rec (red excitatory, blue inhibitory)", fontsize=9)
    fig.colorbar(im, ax=ax, shrink=0.8)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)


def plot_trials(model, task, seed, path):
    """Four example trials: inputs, outputs and targets over time."""
    col = {c: k for k, c in enumerate(Task.CONDITION_COLUMNS)}
    table = np.zeros((4, len(Task.CONDITION_COLUMNS)))
    for k, c in enumerate([51.2, 6.4, -6.4, -51.2]):
        table[k, col["coherence"]], table[k, col["sign"]] = abs(c), np.sign(c)
    batch = task.sample_conditions(table, seed=seed)
    outputs, _, _ = model.forward(batch["input"], rates=False)
    t = np.arange(batch["input"].shape[1]) * 20
    fig, axes = plt.subplots(2, 4, figsize=(11, 4.2), sharex=True)
    for k in range(4):
        c = table[k, col["sign"]] * table[k, col["coherence"]]
        axes[0, k].plot(t, batch["input"][k, :, 0], color="tab:orange", label="input 1")
        axes[0, k].plot(t, batch["input"][k, :, 1], color="tab:purple", label="input 2")
        axes[0, k].set_title(f"coherence {c:+.1f} %", fontsize=9)
        for o, color in ((0, "tab:blue"), (1, "tab:red")):
            axes[1, k].plot(t, outputs[k, :, o], color=color, label=f"output {o + 1}")
            m = batch["mask"][k, :, o] > 0
            axes[1, k].plot(t[m], batch["target"][k, m, o], ".", ms=3, color=color, alpha=0.5,
                            label=f"target {o + 1}")
        axes[1, k].set_xlabel("time (ms)")
    axes[0, 0].set_ylabel("input")
    axes[1, 0].set_ylabel("output")
    axes[0, 0].legend(fontsize=7, frameon=False)
    axes[1, 0].legend(fontsize=7, frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)


def dale_holds(model, structure):
    """Every effective weight has its presynaptic unit's sign; absent synapses are 0."""
    for weight, mask in (("w_in_eff", "input"), ("w_rec_eff", "hidden"), ("w_out_eff", "readout")):
        w = model.get_array(weight)
        sparsity = structure.get_array(f"{mask}_mask")
        sign = structure.get_array(f"{mask}_sign")
        if np.any(w[sparsity == 0] != 0) or np.any(w * sign < 0):
            return False
    return True


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "demo"
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 101
    os.makedirs(out, exist_ok=True)
    task, structure, model = build(seed)
    trainer, wall = train(model, task, seed)
    last = trainer.history()[-1]
    col = {c: k for k, c in enumerate(HISTORY_COLUMNS)}
    model.save(os.path.join(out, "rdm_dense.npz"))
    fit, strong = psychometric(model, task, seed + 1000, os.path.join(out, "psychometric.png"))
    plot_weights(model, os.path.join(out, "weights.png"))
    plot_trials(model, task, seed + 2000, os.path.join(out, "trials.png"))
    dale = dale_holds(model, structure)
    summary = (f"rdm_dense (seed {seed}): {trainer.reason} after {int(last[col['trials']])} trials "
               f"in {wall:.0f} s; last validation accuracy {last[col['perf']]:.1f} %; held-out "
               f"accuracy at ±51.2 % coherence {100 * strong:.0f} %; psychometric bias {fit['mu']:.1f} %, "
               f"threshold {fit['sigma']:.1f} %; Dale's law {'holds exactly' if dale else 'VIOLATED'}")
    print(summary)
    with open(os.path.join(out, "summary.txt"), "w") as f:
        f.write(summary + "\n")
    return 0 if dale else 1


if __name__ == "__main__":
    sys.exit(main())
