# SPDX-License-Identifier: MIT
"""Train an E/I network on neurogym's PerceptualDecisionMaking through nn4n
(the setting of nn-brain's EI-RNN tutorial: 50 units, 80% excitatory,
readout from excitatory units only, recurrent noise 0.15, dt 20 ms, τ 100 ms,
batches of 16 × 100 steps, Adam) and report the trial accuracy.

    python examples/python/neurogym_ei_rnn.py --steps 5000 --lr 0.01
"""

import argparse
import time
import warnings

import numpy as np

warnings.filterwarnings("ignore")  # gymnasium's deprecation chatter

import neurogym as ngym  # noqa: E402

import nn4n  # noqa: E402
from nn4n.criterion import CrossEntropyLoss  # noqa: E402
from nn4n.mask import MultiAreaEI  # noqa: E402
from nn4n.model import CTRNN  # noqa: E402


def build(seed=0, hidden=50, dale="clip"):
    np.random.seed(seed)
    timing = {"fixation": ("choice", (50, 100, 200, 400)), "stimulus": ("choice", (100, 200, 400, 800))}
    dataset = ngym.Dataset("PerceptualDecisionMaking-v0", env_kwargs={"dt": 20, "timing": timing},
                           batch_size=16, seq_len=100)
    dataset.seed(seed) if hasattr(dataset, "seed") else None
    n_in, n_out = nn4n.neurogym.dims(dataset)
    ei = MultiAreaEI(dims=[n_in, hidden, n_out], n_areas=1, exc_pct=0.8, inh_readout=False, seed=seed)
    net = CTRNN(dims=[n_in, hidden, n_out], dt=20, tau=100, activation="relu", dale=dale,
                ei_masks=ei.get_masks(), sparsity_masks=ei.get_sparsity_masks(), rec_noise=0.15,
                biases=[None, "zero", "zero"], seed=seed)
    return dataset, net


def main(steps=5000, lr=0.01, seed=0, n_eval=500, progress=True):
    import nn4n.neurogym  # noqa: F401
    dataset, net = build(seed)
    t0 = time.time()
    hist = net.fit(nn4n.neurogym.batches(dataset), criterion=CrossEntropyLoss(),
                   optimizer=nn4n.optim.Adam(lr=lr, max_norm=1), n_updates=steps, progress=progress)
    train_s = time.time() - t0
    acc = nn4n.neurogym.accuracy(net, dataset.env, n_trials=n_eval, seed=seed + 1)
    trials = steps * 16
    print(f"updates {hist['updates']}, batches of 16x100 steps ({trials} sequences), "
          f"train {train_s:.1f} s, final loss {hist['loss'][-1]:.4f}, accuracy {acc:.3f} on {n_eval} trials")
    return acc, train_s, hist


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--steps", type=int, default=5000)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--eval", type=int, default=500)
    a = ap.parse_args()
    main(a.steps, a.lr, a.seed, a.eval)
