# SPDX-License-Identifier: MIT
"""One network, several neurogym tasks interleaved with a rule input
(Yang et al. 2019 style), through nn4n.neurogym.MultiTask.

Every trial is a random task; the network sees the task's observation
(padded) and a one-hot rule input; actions are shared (0 = fixate). Per-task
decision-period accuracy is recorded every --eval-every updates and plotted.

    python examples/python/neurogym_multitask.py --updates 4000 --seed 0 --plot multitask.png
"""

import argparse
import json
import time
import warnings

import numpy as np

warnings.filterwarnings("ignore")

import neurogym as ngym  # noqa: E402

import nn4n  # noqa: E402
import nn4n.neurogym as nng  # noqa: E402
from nn4n.criterion import CrossEntropyLoss  # noqa: E402
from nn4n.model import CTRNN  # noqa: E402

TASKS = ["PerceptualDecisionMaking-v0", "ContextDecisionMaking-v0", "DelayMatchSample-v0", "GoNogo-v0",
         "DelayMatchCategory-v0", "MultiSensoryIntegration-v0"]


def main(tasks=TASKS, updates=4000, seed=0, hidden=128, eval_every=500, n_eval=300, plot=None, progress=True,
         lr=0.01):
    mt = nng.MultiTask([ngym.make(t, dt=100) for t in tasks], names=[t[:-3] for t in tasks], seed=seed)
    n_in, n_out = nng.dims(mt)
    net = CTRNN(dims=[n_in, hidden, n_out], dt=100, tau=200, activation="relu", seed=seed,
                biases=[None, "zero", "zero"])
    history = []

    def record(done, terms):
        if done % eval_every == 0 or done == updates:
            res = nng.evaluate(net, mt, n_trials=n_eval, seed=seed + 1000 + done)
            per = res["per_condition"].get("task", {})
            history.append({"updates": done, "accuracy": res["accuracy"], "per_task": per})
            if progress:
                print(f"{done:6d} updates: mean {res['accuracy']:.3f}  " +
                      "  ".join(f"{k} {v:.2f}" for k, v in per.items()), flush=True)

    t0 = time.time()
    hist = net.fit(nng.batches(mt, batch_size=32, seed=seed), criterion=CrossEntropyLoss(),
                   optimizer=nn4n.optim.Adam(lr=lr, max_norm=1), n_updates=updates, progress=False, callback=record)
    wall = time.time() - t0
    final = nng.evaluate(net, mt, n_trials=200 * len(tasks), seed=seed + 99)
    per = final["per_condition"]["task"]
    print(f"final ({hist['updates']} updates, lr {lr}, {wall:.1f} s incl. evaluations, seed {seed}): "
          + json.dumps({k: round(v, 3) for k, v in per.items()}))
    if plot:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(6, 4))
        for name in per:
            ax.plot([h["updates"] for h in history], [h["per_task"].get(name, np.nan) for h in history],
                    marker="o", label=name)
        ax.set_xlabel("updates")
        ax.set_ylabel("decision-period accuracy")
        ax.set_ylim(0, 1.02)
        ax.legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(plot, dpi=120)
    return per, history, wall


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasks", nargs="*", default=TASKS)
    ap.add_argument("--updates", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--eval-every", type=int, default=500)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--plot", default=None)
    a = ap.parse_args()
    main(a.tasks, a.updates, a.seed, a.hidden, a.eval_every, plot=a.plot, lr=a.lr)
