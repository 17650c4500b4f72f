# SPDX-License-Identifier: MIT
"""A network moves both ways between this library and PyTorch nn4n 1.1.1:
our .pt file loads in nn4n (nn4n's own CTRNN.load) and runs to the same
outputs, and nn4n's .pth loads here."""

import os
import subprocess
import sys

import numpy as np
import pytest

from nn4n.mask import MultiAreaEI
from nn4n.model import CTRNN

SCRIPT = r"""
import sys, warnings, numpy as np, torch
warnings.simplefilter("ignore")
from nn4n.model import CTRNN
mode, path, xpath, out = sys.argv[1:5]
x = torch.from_numpy(np.load(xpath)).float()
if mode == "load":
    m = CTRNN(dims=[1, 1, 1])
    m.load(path)
else:
    torch.manual_seed(3)
    m = CTRNN(dims=[2, 24, 2], activation="tanh", biases="zero")
    m.save(path)
m.eval()
y, hs = m(x)
np.savez(out, y=y.detach().numpy(), h=hs[0].detach().numpy())
"""


def _run(torch_ref_dir, tmp_path, *args):
    env = dict(os.environ, PYTHONPATH=torch_ref_dir)
    r = subprocess.run([sys.executable, "-c", SCRIPT, *map(str, args)], env=env, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return dict(np.load(args[3]))


@pytest.fixture
def ref_dir(torch_ref):
    from conftest import torch_ref_path
    return torch_ref_path()


def test_export_to_nn4n_and_back(ref_dir, tmp_path):
    pytest.importorskip("torch")
    x = np.random.default_rng(0).standard_normal((30, 4, 2)).astype(np.float32)
    xp = tmp_path / "x.npy"
    np.save(xp, x)
    ei = MultiAreaEI(dims=[2, 24, 2], n_areas=2, area_connectivities=[0.3, 0.3], seed=2)
    net = CTRNN(dims=[2, 24, 2], ei_masks=ei.get_masks(), sparsity_masks=ei.get_sparsity_masks(),
                batch_first=False, biases="zero", seed=4, activation="relu")
    net.eval()
    y, hs = net(x)
    pt = tmp_path / "ours.pt"
    net.save(str(pt))
    ref = _run(ref_dir, tmp_path, "load", pt, xp, tmp_path / "o1.npz")
    assert np.abs(ref["y"] - y).max() < 1e-5 and np.abs(ref["h"] - hs["h"]).max() < 1e-5

    # and nn4n's own file loads here
    pth = tmp_path / "theirs.pth"
    ref2 = _run(ref_dir, tmp_path, "save", pth, xp, tmp_path / "o2.npz")
    ours = CTRNN.from_file(str(pth), batch_first=False)
    ours.eval()
    y2, h2 = ours(x)
    assert np.abs(ref2["y"] - y2).max() < 1e-5 and np.abs(ref2["h"] - h2["h"]).max() < 1e-5


SD_SCRIPT = r"""
import pickle, sys, warnings, numpy as np, torch
warnings.simplefilter("ignore")
from nn4n.model import CTRNN
mode, kwpath, sdpath, xpath, out = sys.argv[1:6]
with open(kwpath, "rb") as f:
    kw = pickle.load(f)
if mode == "load":
    m = CTRNN(**kw)
    print(m.load_state_dict(torch.load(sdpath)))  # strict: raises on a missing or unexpected key
else:
    torch.manual_seed(5)
    m = CTRNN(**kw)
    torch.save(m.state_dict(), sdpath)
m.eval()
y, hs = m(torch.from_numpy(np.load(xpath)))
np.savez(out, y=y.detach().numpy(), h=hs[0].detach().numpy())
"""


def _kwargs(kind):
    kw = {"dims": [3, 24, 2], "biases": "zero"}
    if kind == "ei":
        ei = MultiAreaEI(dims=[3, 24, 2], n_areas=2, area_connectivities=[0.4, 0.2], exc_pct=0.75, seed=6)
        kw.update(ei_masks=ei.get_masks(), sparsity_masks=ei.get_sparsity_masks(), activation="relu")
    else:
        kw.update(activation="tanh")
    return kw


def _run_sd(ref_dir, tmp_path, mode, kw, sd_path, x):
    import pickle
    kp, xp, out = tmp_path / f"kw_{mode}.pkl", tmp_path / "x.npy", tmp_path / f"o_{mode}.npz"
    with open(kp, "wb") as f:
        pickle.dump(kw, f)
    np.save(xp, x)
    env = dict(os.environ, PYTHONPATH=ref_dir)
    r = subprocess.run([sys.executable, "-c", SD_SCRIPT, mode, str(kp), str(sd_path), str(xp), str(out)],
                       env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return dict(np.load(out))


@pytest.mark.parametrize("kind", ["plain", "ei"])
def test_state_dict_loads_strictly_into_nn4n_111(ref_dir, tmp_path, kind):
    """Our state_dict (default batch_first model, no init_state) is a complete
    nn4n 1.1.1 state_dict: torch's strict load_state_dict accepts it and the
    1.1.1 model gives the same outputs and rates to 1e-6."""
    torch = pytest.importorskip("torch")
    kw = _kwargs(kind)
    x = 3 * np.abs(np.random.default_rng(1).standard_normal((40, 5, 3))).astype(np.float32)  # (T, B, I)
    net = CTRNN(seed=8, **kw)
    net.eval()
    sd = net.state_dict()
    assert "recurrent_layer.hidden_state" in sd
    sd_path = tmp_path / "ours_sd.pt"
    torch.save(sd, sd_path)
    ref = _run_sd(ref_dir, tmp_path, "load", kw, sd_path, x)
    y, hs = net(torch.from_numpy(x.transpose(1, 0, 2).copy()))
    y, h = y.detach().numpy().transpose(1, 0, 2), hs["h"].detach().numpy().transpose(1, 0, 2)
    assert np.abs(y).max() > 1e-3 and np.abs(h).max() > 1e-2  # not a trivially zero network
    np.testing.assert_allclose(ref["y"], y, rtol=0, atol=1e-6)
    np.testing.assert_allclose(ref["h"], h, rtol=0, atol=1e-6)


@pytest.mark.parametrize("kind", ["plain", "ei"])
def test_nn4n_111_state_dict_loads_strictly_here(ref_dir, tmp_path, kind):
    """nn4n 1.1.1's state_dict loads with strict=True into the same model built
    here and gives the same outputs and rates to 1e-6."""
    torch = pytest.importorskip("torch")
    kw = _kwargs(kind)
    x = 3 * np.abs(np.random.default_rng(2).standard_normal((40, 5, 3))).astype(np.float32)
    sd_path = tmp_path / "theirs_sd.pt"
    ref = _run_sd(ref_dir, tmp_path, "save", kw, sd_path, x)
    theirs = torch.load(sd_path)
    net = CTRNN(seed=9, **kw)
    assert set(net.state_dict()) == set(theirs)
    net.load_state_dict(theirs, strict=True)
    net.eval()
    y, hs = net(torch.from_numpy(x.transpose(1, 0, 2).copy()))
    y, h = y.detach().numpy().transpose(1, 0, 2), hs["h"].detach().numpy().transpose(1, 0, 2)
    assert np.abs(ref["y"]).max() > 1e-3 and np.abs(ref["h"]).max() > 1e-2
    np.testing.assert_allclose(ref["y"], y, rtol=0, atol=1e-6)
    np.testing.assert_allclose(ref["h"], h, rtol=0, atol=1e-6)
