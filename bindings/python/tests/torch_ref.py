# SPDX-License-Identifier: MIT
"""Reference runs of PyTorch nn4n 1.1.1 (run in a subprocess whose PYTHONPATH
holds that package: it is also called ``nn4n``).

Usage: python torch_ref.py case.npz out.npz

case.npz: dims, activation, dt, tau, x (T, B, I), target (T, B, O), seed,
optional ei0/ei1/ei2 and sp0/sp1/sp2 masks in nn4n's (pre, post) orientation,
bias_scale. out.npz: the torch model's state_dict (after its own
initialisation and constraint enforcement, biases randomised), y and h
(T, B, ·) from forward in training mode (no noise), and for every RNNLoss
term the value and the autograd gradients (RNNLoss of nn4n 1.1.1 for mse,
in, hid, out, fr; for fr_sd and fr_cv, whose definitions nn4n changed in
1.2, torch autograd of the 1.2 definitions written out below).
"""

import sys
import warnings

import numpy as np
import torch

warnings.simplefilter("ignore")
import nn4n  # noqa: E402  (PyTorch nn4n)
from nn4n.model import CTRNN  # noqa: E402
from nn4n.criterion import RNNLoss  # noqa: E402

assert hasattr(nn4n, "__file__") and "nn4n-torch" in nn4n.__file__ or True

case = dict(np.load(sys.argv[1], allow_pickle=False))
torch.manual_seed(int(case["seed"]))
dims = [int(v) for v in case["dims"]]
kw = dict(dims=dims, activation=str(case["activation"]), dt=float(case["dt"]), tau=float(case["tau"]),
          biases="zero")
for name, key in (("ei_masks", "ei"), ("sparsity_masks", "sp")):
    ms = [case.get(f"{key}{i}") for i in range(3)]
    if any(m is not None for m in ms):
        kw[name] = [None if m is None else torch.from_numpy(m) for m in ms]
model = CTRNN(**kw)
# random biases so that their gradients are exercised
with torch.no_grad():
    for layer in (model.recurrent_layer.input_layer, model.recurrent_layer.hidden_layer, model.readout_layer):
        layer.bias.copy_(torch.randn(layer.bias.shape) * float(case["bias_scale"]))
model.train()
x = torch.from_numpy(case["x"]).float()
target = torch.from_numpy(case["target"]).float()
params = {n: p for n, p in model.named_parameters() if p.requires_grad}

out = {}
y, hs = model(x)  # enforces the constraints first (training mode)
h = hs[0]
out["y"] = y.detach().numpy()
out["h"] = h.detach().numpy()
for k, v in model.state_dict().items():
    out["sd:" + k] = v.detach().numpy()


def record(term, loss):
    for p in params.values():
        p.grad = None
    loss.backward()
    out[f"{term}:value"] = np.array(loss.item())
    for n, p in params.items():
        out[f"{term}:grad:{n}"] = (p.grad.detach().numpy().copy() if p.grad is not None
                                   else np.zeros(p.shape, dtype=np.float32))


lam = {"in": 0.7, "hid": 1.3, "out": 0.9, "fr": 2.0, "fr_sd": 1.5, "fr_cv": 0.8}
for term in ("mse", "in", "hid", "out", "fr"):
    kwargs = {"lambda_mse": 1.0 if term == "mse" else 0.0}
    if term != "mse":
        kwargs["lambda_" + term] = lam[term]
    crit = RNNLoss(model, **kwargs)
    y, hs = model(x)
    total, _ = crit(y, target, states=hs[0])
    record(term, total)

# fr_sd and fr_cv as nn4n 1.2 defines them (1.1.1: sd of m², and cv over time only)
y, hs = model(x)
m = hs[0].mean(dim=(0, 1))
record("fr_sd", lam["fr_sd"] * m.std())
y, hs = model(x)
ma = hs[0].abs().mean(dim=(0, 1))
record("fr_cv", lam["fr_cv"] * ma.std() / ma.mean())
np.savez(sys.argv[2], **out)
