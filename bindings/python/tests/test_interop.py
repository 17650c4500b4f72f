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
