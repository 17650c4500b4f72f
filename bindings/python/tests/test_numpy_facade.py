# SPDX-License-Identifier: MIT
"""Without torch (NN4N_NO_TORCH=1 stands in for an install without it) CTRNN is
the numpy façade: same layout rule, copies by value, a clear parameters() error."""

import os
import subprocess
import sys

SCRIPT = r"""
import copy, pickle, numpy as np, nn4n
from nn4n.model import CTRNN
assert CTRNN.__mro__[1] is object
m = CTRNN(dims=[2, 8, 1], seed=1)
m.eval()
x = np.random.default_rng(0).random((3, 5, 2))
y = m(x)[0]
for c in (pickle.loads(pickle.dumps(m)), copy.deepcopy(m)):
    assert c.native.handle != m.native.handle and np.array_equal(c(x)[0], y)
    c.native.set_array("w_out", np.zeros((1, 8)))
    assert np.array_equal(m(x)[0], y) and not np.array_equal(c(x)[0], y)
assert m(x[0])[0].shape == (5, 1)
try:
    m(np.zeros((9, 1, 2)))
    raise SystemExit("ambiguous layout accepted")
except nn4n.errors.ShapeError as e:
    assert "batch_first=False" in str(e)
try:
    m.parameters()
    raise SystemExit("parameters() without torch")
except nn4n.errors.InvalidArgument as e:
    assert "PyTorch" in str(e)
print("ok")
"""


def test_numpy_facade_without_torch():
    env = dict(os.environ, NN4N_NO_TORCH="1")
    r = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr + r.stdout
