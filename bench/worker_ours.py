# SPDX-License-Identifier: MIT
"""Benchmark worker for nn4n here (the Python binding over libnn4n), and the
numpy GEMM floor. Driven by bench/run.py over the line protocol of
bench/_proto.py; run with the repository's .venv python.

The network of the forward/train benchmarks is nn4n's usual E/I model:
``CTRNN(dims=[4, N, 2], ei_masks, sparsity_masks)`` with the masks of
``MultiAreaEI(dims=[4, N, 2], n_areas=2, area_connectivities=[0.1, 0.1],
exc_pct=0.8, seed=1)`` (the same arrays are given to PyTorch nn4n), ReLU,
dt = 10, τ = 100, Dale "clip" (nn4n's), no noise.
"""

import ctypes
import os
import platform
import sys

import numpy as np

import nn4n
from nn4n import _lib
from nn4n.criterion import RNNLoss
from nn4n.mask import MultiAreaEI
from nn4n.model import CTRNN
from nn4n.optim import Adam

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _proto import serve, timeit  # noqa: E402

I, O = 4, 2


def info():
    return {"library": nn4n.library_version(), "binding": nn4n.__version__, "blas": nn4n.blas_info(),
            "threads": list(nn4n.get_num_threads()), "numpy": np.__version__,
            "python": platform.python_version()}


def masks(n, path):
    m = MultiAreaEI(dims=[I, n, O], n_areas=2, area_connectivities=[0.1, 0.1], exc_pct=0.8, seed=1)
    ei, sp = m.get_masks(), m.get_sparsity_masks()  # nn4n's (pre, post) orientation
    np.savez(path, **{f"ei{i}": a for i, a in enumerate(ei)}, **{f"sp{i}": a for i, a in enumerate(sp)})
    return {"path": path}


def _net(n, precision, path):
    z = np.load(path)
    return CTRNN(dims=[I, n, O], ei_masks=[z[f"ei{i}"] for i in range(3)],
                 sparsity_masks=[z[f"sp{i}"] for i in range(3)], activation="relu", dt=10, tau=100,
                 precision=precision, seed=1)


def _data(n, b, t):
    rng = np.random.default_rng(1)
    return rng.random((b, t, I)), rng.standard_normal((b, t, O))


def forward(n, b, t, precision, variant, masks, min_time):
    """variant "ctrnn": nn4n's API, net(x) → (output, {"h": rates});
    "outputs": net.native.forward(x, rates=False), outputs only."""
    net = _net(n, precision, masks)
    net.eval()
    x, _ = _data(n, b, t)
    if variant == "ctrnn":
        def fn():
            net(x)
    else:
        native = net.native

        def fn():
            native.forward(x, rates=False)
    mean, iters, best = timeit(fn, min_time)
    net.close()
    return {"mean": mean, "iters": iters, "min": best}


def train(n, b, t, precision, masks, min_time):
    """One optimiser step per call: forward + RNNLoss (MSE) + BPTT + Adam."""
    net = _net(n, precision, masks)
    net.train()
    x, y = _data(n, b, t)
    crit, opt = RNNLoss(net), Adam(lr=1e-3)

    def fn():
        net.train_steps(x, y, criterion=crit, optimizer=opt, n_updates=1)
    mean, iters, best = timeit(fn, min_time)
    net.close()
    return {"mean": mean, "iters": iters, "min": best}


def gemm(n, b, t, dtype, min_time):
    """The floor: T products (B×N)·(N×N)ᵀ with numpy (same OpenBLAS), on
    zero states like the Go floor (no overflow, no subnormals)."""
    w = (np.arange(n * n) % 7 * 0.01).reshape(n, n).astype(dtype)
    xs = np.zeros((t + 1, b, n), dtype=dtype)
    wt = w.T

    def fn():
        for k in range(1, t + 1):
            np.matmul(xs[k - 1], wt, out=xs[k])
    mean, iters, best = timeit(fn, min_time)
    return {"mean": mean, "iters": iters, "min": best}


def step(precision, variant, min_time):
    """Simulator step, B = 1, N = 256, I = 4, O = 2 (as tests/c/bench_step.c):
    "python" = nn4n.core.Model.step; "ctypes" = the bare C call through ctypes."""
    m = nn4n.core.Model(I, 256, O, precision=precision, seed=1)
    m.training = False
    state = np.zeros((1, 256))
    u = np.array([[0.1, 0.2, 0.3, 0.4]])
    if variant == "python":
        def fn():
            m.step(state, u)
    else:
        y = np.empty((1, O))
        cf = _lib.lib.nn4n_model_step.cfunc
        h = ctypes.c_uint64(m.handle)
        sp, up, yp = (a.ctypes.data_as(_lib.DOUBLE_P) for a in (state, u, y))
        null = _lib._NULL_D

        def fn():
            cf(h, 1, sp, 256, up, I, null, 0, yp, O)
    mean, iters, best = timeit(fn, min_time, warmup=1000)
    m.close()
    return {"mean": mean, "iters": iters, "min": best}


def threads(n):
    nn4n.set_num_threads(int(n))
    return {"threads": list(nn4n.get_num_threads())}


def profile(n, b, t, precision, masks, iters, path):
    """cProfile of the Python train step (train_steps) for the report."""
    import cProfile
    import io
    import pstats
    net = _net(n, precision, masks)
    x, y = _data(n, b, t)
    crit, opt = RNNLoss(net), Adam(lr=1e-3)
    net.train_steps(x, y, criterion=crit, optimizer=opt, n_updates=1)
    pr = cProfile.Profile()
    pr.enable()
    for _ in range(iters):
        net.train_steps(x, y, criterion=crit, optimizer=opt, n_updates=1)
    pr.disable()
    s = io.StringIO()
    pstats.Stats(pr, stream=s).sort_stats("tottime").print_stats(12)
    with open(path, "w") as f:
        f.write(s.getvalue())
    net.close()
    return {"path": path}


if __name__ == "__main__":
    serve({"info": info, "masks": masks, "forward": forward, "train": train, "gemm": gemm, "step": step,
           "threads": threads, "profile": profile})
