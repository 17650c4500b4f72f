# SPDX-License-Identifier: MIT
"""Peer benchmark worker for nn4n here (the Python binding over libnn4n).

Run with the repository's .venv python; driven by bench/peers/run.py over
the line protocol of bench/_proto.py. This worker is also the source of
truth of the workload: ``prepare`` builds the network once per shape and
writes what every peer loads (masks, signs, initial weights and biases,
inputs, targets) and nn4n's own loss and gradients on that batch, which the
peers are checked against before any timing.

The network: ``CTRNN(dims=[4, N, 2])`` with the masks of
``MultiAreaEI(dims=[4, N, 2], n_areas=2, area_connectivities=[0.1, 0.1],
exc_pct=0.8, seed=1)``, ReLU, dt = 10, τ = 100 (α = 0.1), Dale "clip"
(nn4n's: weights projected onto their signs after each step), trained
zero-initialised biases b_in, b_rec, b_out, no noise, float32 compute.
Objective: nn4n's default criterion, ``RNNLoss`` = mean over B×T×O of
(y − ŷ)². Optimiser: ``nn4n.optim.Adam(lr=1e-3)`` (torch's defaults).
"""

import os
import platform
import sys
import warnings

import numpy as np

import nn4n
from nn4n.criterion import RNNLoss
from nn4n.mask import MultiAreaEI
from nn4n.model import CTRNN
from nn4n.optim import Adam

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from _proto import serve, timeit  # noqa: E402
from _check import residuals  # noqa: E402  (beside this script)

I, O = 4, 2
LR = 1e-3
_nets = {}  # shape key -> (net, u64, y64, criterion, optimiser)


def info():
    return {"impl": "nn4n", "library": nn4n.library_version(), "binding": nn4n.__version__,
            "blas": nn4n.blas_info(), "threads": list(nn4n.get_num_threads()),
            "numpy": np.__version__, "python": platform.python_version()}


def _key(n, b, t):
    return f"{n}x{b}x{t}"


def _build(n, precision="float32"):
    m = MultiAreaEI(dims=[I, n, O], n_areas=2, area_connectivities=[0.1, 0.1], exc_pct=0.8, seed=1)
    ei, sp = m.get_masks(), m.get_sparsity_masks()  # nn4n's (pre, post) orientation
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = CTRNN(dims=[I, n, O], ei_masks=ei, sparsity_masks=sp, activation="relu", dt=10, tau=100,
                    biases="zero", precision=precision, seed=1)
    return net, ei, sp


def prepare(n, b, t, folder):
    """Build the shape's network and batch; write ``<key>.npz`` (what the
    peers load, float32) and ``<key>.ref.npz`` (nn4n's loss and gradients on
    that batch, float32 results held in float64)."""
    key = _key(n, b, t)
    net, ei, sp = _build(n)
    nat = net.native
    rng = np.random.default_rng(1)
    u = rng.random((b, t, I)).astype(np.float32)
    y = rng.standard_normal((b, t, O)).astype(np.float32)
    arrays = {"u": u, "y": y, "alpha": np.float32(nat.get("alpha"))}
    for w, mk, sg in (("w_in", "mask_in", "sign_in"), ("w_rec", "mask_rec", "sign_rec"),
                      ("w_out", "mask_out", "sign_out")):
        raw = nat.get_array(w)  # the trained (projected) parameter, (post, pre)
        mask, sign = _optional(nat, mk), _optional(nat, sg)
        # The effective weight is raw ⊙ sparsity with absent synapses (sign 0
        # where signs are given) removed: the peers use W ⊙ exists, and after
        # each step project W onto exists and the signs (0 = unsigned).
        exists = np.ones(raw.shape, dtype=bool)
        if mask is not None:
            exists &= mask != 0
        if sign is not None:
            exists &= sign != 0
        else:
            sign = np.zeros_like(raw)
        arrays[w] = raw.astype(np.float32)
        arrays[w.replace("w_", "exists_")] = exists.astype(np.float32)
        arrays[w.replace("w_", "sign_")] = sign.astype(np.float32)
        if not np.array_equal(raw.astype(np.float32), nat.get_array(w + "_eff").astype(np.float32)):
            raise RuntimeError(f"{w}: the projected raw weight differs from the effective weight")
    for bname in ("b_in", "b_rec", "b_out"):
        arrays[bname] = nat.get_array(bname).astype(np.float32)
    path = os.path.join(folder, key + ".npz")
    np.savez(path, **arrays)
    # PyTorch nn4n 1.1.1's worker (bench/worker_torch.py) reads these masks.
    masks = os.path.join(folder, key + ".masks.npz")
    np.savez(masks, **{f"ei{i}": a for i, a in enumerate(ei)}, **{f"sp{i}": a for i, a in enumerate(sp)})

    u64, y64 = u.astype(np.float64), y.astype(np.float64)
    crit = RNNLoss(net)
    grads, terms = net.gradients(u64, y64, criterion=crit)
    ref = {"loss": np.float64(terms["total"])}
    for k in ("w_in", "w_rec", "w_out", "b_in", "b_rec", "b_out"):
        ref["g_" + k] = grads[k]
    yref, _, _ = nat.forward(u64, rates=False)
    ref["outputs"] = yref
    # The same network in float64, with the float32 weights the peers load:
    # how far each float32 implementation is from the exact result.
    net64, _, _ = _build(n, "float64")
    for w in ("w_in", "w_rec", "w_out"):
        net64.native.set_array(w, arrays[w].astype(np.float64))
    crit64 = RNNLoss(net64)
    g64, t64 = net64.gradients(u64, y64, criterion=crit64)
    crit64.close()
    ref["f64_loss"] = np.float64(t64["total"])
    for k in ("w_in", "w_rec", "w_out", "b_in", "b_rec", "b_out"):
        ref["f64_g_" + k] = g64[k]
    ref["f64_outputs"] = net64.native.forward(u64, rates=False)[0]
    net64.close()
    refpath = os.path.join(folder, key + ".ref.npz")
    np.savez(refpath, **ref)
    mine = {"loss": ref["loss"], "outputs": yref, **{k: ref[k] for k in ref if k.startswith("g_")}}
    self_check = residuals(mine, refpath)
    _nets[key] = (net, u64, y64, crit, Adam(lr=LR))
    return {"data": path, "ref": refpath, "masks": masks, "loss": float(terms["total"]),
            "trained": sorted(grads), "vs_f64": self_check["vs_f64"]}


def _optional(nat, key):
    """Mask ``key`` of the model, or None when it has none."""
    try:
        a = nat.get_array(key)
    except nn4n.errors.Nn4nError:
        return None
    return a if a.size else None


def compile(n, b, t, data):
    """Nothing to compile: the library is ahead-of-time. Kept for symmetry."""
    return {"forward_compile": 0.0, "train_compile": 0.0}


def forward(n, b, t, min_time):
    """Outputs only for the batch (no rates kept), eval mode."""
    net, u64, _, _, _ = _nets[_key(n, b, t)]
    nat = net.native
    nat.training = False

    def fn():
        nat.forward(u64, rates=False)
    mean, iters, best = timeit(fn, min_time)
    return {"mean": mean, "iters": iters, "min": best}


def train(n, b, t, min_time):
    """One optimiser step per call, through the user API: forward + RNNLoss
    + BPTT + Adam + Dale projection (``CTRNN.train_steps``)."""
    net, u64, y64, crit, opt = _nets[_key(n, b, t)]
    net.native.training = True

    def fn():
        net.train_steps(u64, y64, criterion=crit, optimizer=opt, n_updates=1)
    mean, iters, best = timeit(fn, min_time)
    return {"mean": mean, "iters": iters, "min": best}


def drop(n, b, t):
    e = _nets.pop(_key(n, b, t), None)
    if e is not None:
        e[3].close()
        e[0].close()
    return {}


if __name__ == "__main__":
    serve({"info": info, "prepare": prepare, "compile": compile, "forward": forward, "train": train,
           "drop": drop})
