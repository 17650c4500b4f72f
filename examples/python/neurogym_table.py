# SPDX-License-Identifier: MIT
"""Train neurogym tasks with nn4n's default recipe and write the table of
decision-period accuracy (issue 22).

Recipe per task: CTRNN with 64 ReLU units, τ = 200 ms, the env's own dt,
readout bias frozen at 0; ``nn4n.neurogym.batches(env, batch_size=32)``
(whole trials, balanced decision-period weight); CrossEntropyLoss;
Adam(lr=0.01, max_norm=1); ``--updates`` updates; scored by
``nn4n.neurogym.evaluate`` on 500 held-out trials (another seed).

    python examples/python/neurogym_table.py --updates 2000 --seed 0 --out docs/neurogym_table.md
    python examples/python/neurogym_table.py --tasks GoNogo-v0 ReadySetGo-v0
"""

import argparse
import sys
import time
import warnings

import numpy as np

warnings.filterwarnings("ignore")

import neurogym as ngym  # noqa: E402

import nn4n  # noqa: E402
import nn4n.neurogym as nng  # noqa: E402
from nn4n.criterion import CrossEntropyLoss  # noqa: E402
from nn4n.model import CTRNN  # noqa: E402

TASKS = ["ContextDecisionMaking-v0", "DelayMatchSample-v0", "PerceptualDecisionMaking-v0", "GoNogo-v0",
         "ReadySetGo-v0", "DualDelayMatchSample-v0", "DelayComparison-v0", "DelayMatchCategory-v0",
         "IntervalDiscrimination-v0", "MultiSensoryIntegration-v0", "AntiReach-v0",
         "DelayPairedAssociation-v0", "PostDecisionWager-v0", "ProbabilisticReasoning-v0"]


def run(name, updates, seed, hidden=64, n_eval=500):
    env = ngym.make(name)
    n_in, n_out = nng.dims(env)
    dt = float(env.unwrapped.dt)
    net = CTRNN(dims=[n_in, hidden, n_out], dt=dt, tau=200, activation="relu", seed=seed,
                biases=[None, "zero", "zero"])
    t0 = time.time()
    hist = net.fit(nng.batches(env, batch_size=32, seed=seed), criterion=CrossEntropyLoss(),
                   optimizer=nn4n.optim.Adam(lr=0.01, max_norm=1), n_updates=updates, progress=False)
    wall = time.time() - t0
    res = nng.evaluate(net, env, n_trials=n_eval, seed=seed + 1000)
    return {"task": name, "accuracy": res["accuracy"], "fixation": res["fixation"], "updates": hist["updates"],
            "seconds": wall, "seed": seed, "periods": ",".join(res["decision_periods"]),
            "loss": float(hist["loss"][-1])}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasks", nargs="*", default=TASKS)
    ap.add_argument("--updates", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=None, help="write the markdown table here")
    a = ap.parse_args(argv)
    rows = []
    for name in a.tasks:
        r = run(name, a.updates, a.seed)
        rows.append(r)
        print(f"{name:32s} acc {r['accuracy']:.3f} fix {r['fixation']:.3f} updates {r['updates']} "
              f"{r['seconds']:.1f} s", flush=True)
    lines = ["| task | decision periods | decision accuracy | fixation (non-decision steps) | updates | wall s | seed | command |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        cmd = f"python examples/python/neurogym_table.py --tasks {r['task']} --updates {r['updates']} --seed {r['seed']}"
        lines.append(f"| {r['task']} | {r['periods']} | {r['accuracy']:.3f} | {r['fixation']:.3f} | {r['updates']} | "
                     f"{r['seconds']:.1f} | {r['seed']} | `{cmd}` |")
    table = "\n".join(lines) + "\n"
    print(table)
    if a.out:
        with open(a.out, "w") as f:
            f.write(table)
    return rows


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
