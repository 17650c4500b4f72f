# SPDX-License-Identifier: MIT
"""Parity with PyTorch nn4n 1.1.1: same weights and inputs give the same
outputs and hidden states (float32, within 1e-5), and our BPTT gradients of
every RNNLoss term match torch autograd within 1e-4 relative."""

import numpy as np
import pytest

from nn4n.criterion import RNNLoss
from nn4n.mask import MultiAreaEI
from nn4n.model import CTRNN

NAMES = {"recurrent_layer.input_layer.weight": "w_in", "recurrent_layer.input_layer.bias": "b_in",
         "recurrent_layer.hidden_layer.weight": "w_rec", "recurrent_layer.hidden_layer.bias": "b_rec",
         "readout_layer.weight": "w_out", "readout_layer.bias": "b_out"}
LAM = {"in": 0.7, "hid": 1.3, "out": 0.9, "fr": 2.0, "fr_sd": 1.5, "fr_cv": 0.8}
RESULTS = {}


def make_case(kind):
    rng = np.random.default_rng({"plain": 1, "ei": 2, "sparse": 3}[kind])
    I, N, O, T, B = 3, 40, 2, 60, 6
    case = dict(dims=np.array([I, N, O]), dt=np.array(10.0), tau=np.array(100.0), seed=np.array(7),
                bias_scale=np.array(0.1),
                x=rng.standard_normal((T, B, I)).astype(np.float32) * 0.8 + 0.3,
                target=rng.standard_normal((T, B, O)).astype(np.float32))
    if kind == "plain":
        case["activation"] = np.array("relu")
    elif kind == "ei":
        case["activation"] = np.array("relu")
        m = MultiAreaEI(dims=[I, N, O], n_areas=2, area_connectivities=[0.3, 0.2], exc_pct=0.8, seed=5)
        for i, a in enumerate(m.get_masks()):
            case[f"ei{i}"] = a.astype(np.float32)
        for i, a in enumerate(m.get_sparsity_masks()):
            case[f"sp{i}"] = a.astype(np.float32)
    elif kind == "sparse":
        case["activation"] = np.array("tanh")
        shapes = [(I, N), (N, N), (N, O)]  # nn4n's (pre, post)
        for i, s in enumerate(shapes):
            case[f"sp{i}"] = (rng.random(s) < (0.8, 0.25, 0.7)[i]).astype(np.float32)
    return case


def ours_from(case, ref):
    I, N, O = (int(v) for v in case["dims"])
    kw = dict(dims=[I, N, O], activation=str(case["activation"]), dt=float(case["dt"]), tau=float(case["tau"]),
              biases="zero", batch_first=False, precision="float32", seed=0)
    for name, key in (("ei_masks", "ei"), ("sparsity_masks", "sp")):
        if f"{key}0" in case:
            kw[name] = [case[f"{key}{i}"] for i in range(3)]
    net = CTRNN(**kw)
    net.load_state_dict({k[3:]: v for k, v in ref.items() if k.startswith("sd:")}, strict=False)
    return net


@pytest.mark.parametrize("kind", ["plain", "ei", "sparse"])
def test_forward_and_gradients_match_nn4n(kind, torch_ref, tmp_path):
    case = make_case(kind)
    ref = torch_ref(case, tmp_path)
    net = ours_from(case, ref)
    y, hs = net(case["x"])
    assert y.dtype == np.float32 and y.shape == ref["y"].shape
    err_y = float(np.abs(y - ref["y"]).max())
    err_h = float(np.abs(hs["h"] - ref["h"]).max())
    assert hs[0] is hs["h"]
    assert err_y < 1e-5, err_y
    assert err_h < 1e-5, err_h
    # the weights the torch model ran with are ours, bit for bit
    for k, key in NAMES.items():
        mine = net.native.get_array(key + ("_eff" if key.startswith("w_") else ""))
        assert np.array_equal(mine.astype(np.float32), ref["sd:" + k]), k

    sp = [net._mask_or_none(k) for k in ("mask_in", "mask_rec", "mask_out")]
    worst = {}
    for term in ("mse", "in", "hid", "out", "fr", "fr_sd", "fr_cv"):
        kwargs = {"lambda_mse": 1.0 if term == "mse" else 0.0}
        if term != "mse":
            kwargs["lambda_" + term] = LAM[term]
        crit = RNNLoss(net, **kwargs)
        grads, terms = net.gradients(case["x"], case["target"], criterion=crit)
        assert abs(terms["total"] - float(ref[f"{term}:value"])) <= 1e-5 * max(1.0, abs(terms["total"])), term
        # the nn4n-style evaluation on the returned arrays agrees too
        total, vec = crit(y, case["target"], states=hs["h"])
        assert abs(float(total) - float(ref[f"{term}:value"])) <= 1e-4 * max(1.0, abs(float(total))), term
        for name, key in NAMES.items():
            g_ref = ref[f"{term}:grad:{name}"].astype(np.float64)
            layer = {"w_in": 0, "w_rec": 1, "w_out": 2}.get(key)
            if layer is not None and sp[layer] is not None:
                g_ref = g_ref * sp[layer]  # absent synapses have no gradient here
            g = grads[key]
            scale = max(np.abs(g_ref).max(), 1e-12)
            rel = float(np.abs(g - g_ref).max() / scale)
            worst[(term, key)] = rel
            if np.abs(g_ref).max() < 1e-9:
                assert np.abs(g).max() < 1e-7, (term, key)
            else:
                assert rel < 1e-4, (term, key, rel)
        crit.close()
    RESULTS[kind] = (err_y, err_h, max(worst.values()))
    print(f"\nparity[{kind}]: max|Δy|={err_y:.2e} max|Δh|={err_h:.2e} "
          f"max relative gradient error={max(worst.values()):.2e}")
    net.close()
