# SPDX-License-Identifier: MIT
"""Times the PyTorch training loop through nn4n.CTRNN (forward, MSE,
backward, Adam step) on one batch, in ms per step.

    python bench/torch_loop.py [--b 16 --t 100 --n 64 --steps 30] [--encoder]

With PYTHONPATH pointing at another checkout's bindings/python (and its
libnn4n.so) it times that version, e.g. the twin-model binding before
nn4n_model_backward. --encoder puts a Linear(4, I) in front (needs input
gradients, which the twin binding did not have).
"""

import argparse
import time

import numpy as np
import torch

import nn4n
from nn4n.model import CTRNN


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--b", type=int, default=16)
    ap.add_argument("--t", type=int, default=100)
    ap.add_argument("--n", type=int, default=64)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--precision", default="float32")
    ap.add_argument("--encoder", action="store_true")
    a = ap.parse_args()
    dt = torch.float32 if a.precision == "float32" else torch.float64
    torch.manual_seed(0)
    rnn = CTRNN(dims=[4, a.n, 1], seed=0, biases="zero", precision=a.precision, batch_first=True)
    mods = [rnn]
    enc = None
    if a.encoder:
        enc = torch.nn.Linear(4, 4).to(dt)
        mods.append(enc)
    params = [p for m in mods for p in m.parameters()]
    opt = torch.optim.Adam(params, lr=1e-3)
    x = torch.randn(a.b, a.t, 4, dtype=dt)
    y = torch.randn(a.b, a.t, 1, dtype=dt)

    def step():
        out, _ = rnn(enc(x) if enc is not None else x)
        loss = torch.nn.functional.mse_loss(out, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    step()
    t0 = time.perf_counter()
    for _ in range(a.steps):
        step()
    ms = (time.perf_counter() - t0) / a.steps * 1e3
    print(f"torch loop B={a.b} T={a.t} N={a.n} {a.precision} encoder={a.encoder}: {ms:.2f} ms/step "
          f"({nn4n.__file__})")


if __name__ == "__main__":
    main()
