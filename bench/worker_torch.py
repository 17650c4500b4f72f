# SPDX-License-Identifier: MIT
"""Benchmark worker for PyTorch nn4n 1.1.1 (PyPI) on Debian's PyTorch.

Run with PYTHONPATH holding that package (``make python`` installs it in
.venv/nn4n-torch-1.1.1: it is also called ``nn4n``), driven by bench/run.py
over the line protocol of bench/_proto.py. PyTorch keeps its default thread
settings unless the driver asks for another count ("threads").

Same network as bench/worker_ours.py: ``CTRNN(dims=[4, N, 2], ei_masks,
sparsity_masks, activation="relu", dt=10, tau=100)`` with the MultiAreaEI
masks the other worker wrote. nn4n 1.1.1 is time-first: x is (T, B, I).
"""

import ctypes
import os
import platform
import sys
import warnings

import numpy as np
import torch

warnings.simplefilter("ignore")
import nn4n  # noqa: E402  (PyTorch nn4n 1.1.1)
from nn4n.criterion import RNNLoss  # noqa: E402
from nn4n.model import CTRNN  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _proto import serve, timeit  # noqa: E402

I, O = 4, 2


def _openblas_threads():
    for name in ("libblas.so.3", "libopenblas.so.0"):
        try:
            lib = ctypes.CDLL(name)
            return int(lib.openblas_get_num_threads())
        except (OSError, AttributeError):
            continue
    return None


def info():
    return {"torch": torch.__version__, "nn4n_torch": getattr(nn4n, "__version__", "1.1.1"),
            "nn4n_torch_path": os.path.dirname(nn4n.__file__), "threads": torch.get_num_threads(),
            "interop_threads": torch.get_num_interop_threads(), "blas_threads": _openblas_threads(),
            "parallel_info": torch.__config__.parallel_info(), "python": platform.python_version()}


def _net(n, masks):
    torch.manual_seed(1)
    z = np.load(masks)
    return CTRNN(dims=[I, n, O], ei_masks=[torch.from_numpy(z[f"ei{i}"]) for i in range(3)],
                 sparsity_masks=[torch.from_numpy(z[f"sp{i}"]) for i in range(3)], activation="relu",
                 dt=10, tau=100)


def _data(n, b, t):
    rng = np.random.default_rng(1)
    x = torch.from_numpy(rng.random((t, b, I)).astype(np.float32))
    y = torch.from_numpy(rng.standard_normal((t, b, O)).astype(np.float32))
    return x, y


def forward(n, b, t, masks, min_time):
    """Inference forward: eval mode, torch.no_grad(); returns (output, states)."""
    net = _net(n, masks)
    net.eval()
    x, _ = _data(n, b, t)

    def fn():
        with torch.no_grad():
            net(x)
    mean, iters, best = timeit(fn, min_time)
    return {"mean": mean, "iters": iters, "min": best}


def train(n, b, t, masks, min_time):
    """nn4n's training loop: zero_grad, forward (training mode: constraints
    enforced), RNNLoss (MSE), backward, Adam step."""
    net = _net(n, masks)
    net.train()
    x, y = _data(n, b, t)
    crit = RNNLoss(net)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)

    def fn():
        opt.zero_grad()
        out, states = net(x)
        loss, _ = crit(out, y)
        loss.backward()
        opt.step()
    mean, iters, best = timeit(fn, min_time)
    return {"mean": mean, "iters": iters, "min": best}


def step(min_time):
    """One step of nn4n 1.1.1's recurrence and readout, B = 1, N = 256 (no_grad)."""
    net = CTRNN(dims=[I, 256, O], activation="relu", dt=10, tau=100)
    net.eval()
    rec, out = net.recurrent_layer, net.readout_layer
    v = torch.zeros(1, 256)
    u = torch.tensor([[0.1, 0.2, 0.3, 0.4]])

    def fn():
        with torch.no_grad():
            fr, v2 = rec._recurrence(torch.relu(v), v, u)
            out(fr)
    mean, iters, best = timeit(fn, min_time, warmup=1000)
    return {"mean": mean, "iters": iters, "min": best}


def threads(n):
    torch.set_num_threads(int(n))
    return {"threads": torch.get_num_threads()}


def profile(n, b, t, masks, iters, path):
    """torch.profiler-free cProfile of nn4n's train step (for the report)."""
    import cProfile
    import io
    import pstats
    net = _net(n, masks)
    net.train()
    x, y = _data(n, b, t)
    crit = RNNLoss(net)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)

    def fn():
        opt.zero_grad()
        out, states = net(x)
        loss, _ = crit(out, y)
        loss.backward()
        opt.step()
    fn()
    pr = cProfile.Profile()
    pr.enable()
    for _ in range(iters):
        fn()
    pr.disable()
    s = io.StringIO()
    pstats.Stats(pr, stream=s).sort_stats("tottime").print_stats(12)
    with open(path, "w") as f:
        f.write(s.getvalue())
    return {"path": path}


if __name__ == "__main__":
    serve({"info": info, "forward": forward, "train": train, "step": step, "threads": threads,
           "profile": profile})
