# SPDX-License-Identifier: MIT
"""Peer benchmark worker: the workload written in PyTorch 2, as a PyTorch
user would, run eagerly and through ``torch.compile(fullgraph=True)``.

Run with build/bench-venvs/torch2/bin/python (bench/peers/setup_venvs.sh);
driven by bench/peers/run.py over the line protocol of bench/_proto.py.
The network, batch and initial parameters come from the ``.npz`` that
bench/peers/worker_nn4n.py wrote (the model and loss are stated in
bench/peers/worker_jax.py). An ``nn.Module`` with a Python loop over time
(the input drive computed for all steps first), ``F.mse_loss``,
``torch.optim.Adam(lr=1e-3)`` and the Dale projection under ``no_grad``
after each step. The compiled variant compiles the module (forward, and
with it the backward through AOTAutograd); the optimiser and the
projection stay eager in both. Forward passes run under
``torch.inference_mode()``. PyTorch's default threads.
"""

import os
import platform
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from _proto import serve, timeit  # noqa: E402
from _check import residuals  # noqa: E402  (beside this script)

LR = 1e-3
NAMES = ("w_in", "w_rec", "w_out", "b_in", "b_rec", "b_out")
_states = {}  # (shape key, variant) -> dict


def info():
    return {"impl": "torch2", "torch": torch.__version__, "threads": torch.get_num_threads(),
            "interop_threads": torch.get_num_interop_threads(),
            "parallel_info": torch.__config__.parallel_info(), "numpy": np.__version__,
            "python": platform.python_version()}


class EIRNN(nn.Module):
    """nn4n's CTRNN: leaky ReLU units, masked weights, linear readout."""

    def __init__(self, z):
        super().__init__()
        for k in NAMES:
            setattr(self, k, nn.Parameter(torch.from_numpy(np.array(z[k]))))
        for k in ("exists_in", "exists_rec", "exists_out", "sign_in", "sign_rec", "sign_out"):
            self.register_buffer(k, torch.from_numpy(np.array(z[k])))
        self.alpha = float(z["alpha"])

    def forward(self, u):  # u: B × T × I (batch first)
        w_rec = self.w_rec * self.exists_rec
        drive = F.linear(u, self.w_in * self.exists_in, self.b_in) + self.b_rec
        x = u.new_zeros(u.shape[0], w_rec.shape[0])
        rates = []
        for d in drive.unbind(1):  # one backward op for all steps (drive[:, t] would give T full-size ones)
            x = (1 - self.alpha) * x + self.alpha * (F.linear(torch.relu(x), w_rec) + d)
            rates.append(torch.relu(x))
        return F.linear(torch.stack(rates, dim=1), self.w_out * self.exists_out, self.b_out)

    @torch.no_grad()
    def project(self):
        """nn4n's Dale "clip": absent synapses 0, signed weights clamped."""
        for w, s in (("w_in", "in"), ("w_rec", "rec"), ("w_out", "out")):
            p, sign = getattr(self, w), getattr(self, "sign_" + s)
            p.mul_(getattr(self, "exists_" + s))
            p.copy_(torch.where(sign > 0, p.clamp(min=0), torch.where(sign < 0, p.clamp(max=0), p)))


def _key(n, b, t):
    return f"{n}x{b}x{t}"


def _load(path):
    z = np.load(path)
    return EIRNN(z), torch.from_numpy(np.array(z["u"])), torch.from_numpy(np.array(z["y"]))


def check(n, b, t, ref, variant="eager"):
    """Loss, outputs and gradients on the shared batch against nn4n's
    (bench/peers/_check.py), through the variant's own (compiled) module,
    before any training step."""
    st = _states[(_key(n, b, t), variant)]
    model, u, y = st["model"], st["u"], st["y"]
    out = st["trn"](u)
    loss = F.mse_loss(out, y)
    loss.backward()
    mine = {"loss": float(loss), "outputs": out.detach().numpy()}
    mine.update({"g_" + k: getattr(model, k).grad.numpy() for k in NAMES})
    model.zero_grad(set_to_none=True)
    return dict(residuals(mine, ref), loss=float(loss), dtype=str(u.dtype))


def compile(n, b, t, data, variant="eager"):
    """Build the shape's model and optimiser; compiled, also trigger the
    compilation of the forward (inference mode) and of forward + backward
    (one call each, timed; the gradients of that call are dropped)."""
    model, u, y = _load(data)
    res = {"forward_compile": 0.0, "train_compile": 0.0}
    if variant == "eager":
        fwd = trn = model
    else:
        torch._dynamo.reset()
        fwd = trn = torch.compile(model, fullgraph=True)
        t0 = time.perf_counter()
        with torch.inference_mode():
            fwd(u)
        t1 = time.perf_counter()
        trn(u).sum().backward()
        t2 = time.perf_counter()
        model.zero_grad(set_to_none=True)
        res = {"forward_compile": t1 - t0, "train_compile": t2 - t1}
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    _states[(_key(n, b, t), variant)] = {"model": model, "fwd": fwd, "trn": trn, "opt": opt, "u": u, "y": y}
    return res


def _graphs():
    """Graphs Dynamo has compiled so far in this process."""
    return torch._dynamo.utils.counters["stats"]["unique_graphs"]


def forward(n, b, t, min_time, variant="eager"):
    st = _states[(_key(n, b, t), variant)]
    fwd, u = st["fwd"], st["u"]

    def fn():
        with torch.inference_mode():
            fwd(u)
    g0 = _graphs()
    mean, iters, best = timeit(fn, min_time)
    return {"mean": mean, "iters": iters, "min": best, "recompiled": _graphs() != g0}


def train(n, b, t, min_time, variant="eager"):
    st = _states[(_key(n, b, t), variant)]
    model, trn, opt, u, y = st["model"], st["trn"], st["opt"], st["u"], st["y"]

    def fn():
        opt.zero_grad(set_to_none=True)
        loss = F.mse_loss(trn(u), y)
        loss.backward()
        opt.step()
        model.project()
    g0 = _graphs()
    mean, iters, best = timeit(fn, min_time)
    return {"mean": mean, "iters": iters, "min": best, "recompiled": _graphs() != g0}


def drop(n, b, t, variant="eager"):
    _states.pop((_key(n, b, t), variant), None)
    return {}


if __name__ == "__main__":
    serve({"info": info, "check": check, "compile": compile, "forward": forward, "train": train,
           "drop": drop})
