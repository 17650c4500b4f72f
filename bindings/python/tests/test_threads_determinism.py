# SPDX-License-Identifier: MIT
"""Forward outputs, rates and states do not depend on the thread count.

The benchmark network (ReLU, MultiAreaEI E/I and sparsity masks, Dale
"clip"), in float32 and float64, in evaluation mode and in training mode
(noise on, reseeded before every run), on 1, 2, 3 and 4 threads
(``nn4n_set_num_threads``): every value must be bit-identical to the one
thread run. The batches are large enough (B·T·N² ≥ 2^20 multiply-adds)
that the library splits them between workers, and their sizes do not
divide evenly between 3 or 4 workers.
"""

import numpy as np
import pytest

import nn4n
from nn4n.mask import MultiAreaEI
from nn4n.model import CTRNN

I, O = 4, 2


@pytest.fixture
def restore_threads():
    before = nn4n.get_num_threads()[0]
    yield
    nn4n.set_num_threads(before)


def _net(n, precision):
    m = MultiAreaEI(dims=[I, n, O], n_areas=2, area_connectivities=[0.1, 0.1], exc_pct=0.8, seed=1)
    return CTRNN(dims=[I, n, O], ei_masks=m.get_masks(), sparsity_masks=m.get_sparsity_masks(),
                 activation="relu", dt=10, tau=100, precision=precision, seed=1)


@pytest.mark.parametrize("precision", ["float32", "float64"])
@pytest.mark.parametrize("n,b,t", [(64, 13, 40), (96, 30, 20), (160, 17, 12)])
@pytest.mark.parametrize("training", [False, True])
def test_forward_bit_identical_for_1_to_4_threads(restore_threads, precision, n, b, t, training):
    assert b * t * n * n >= 1 << 20  # split between workers (ctrnn minWork)
    net = _net(n, precision)
    native = net.native
    if training:
        native.set("pre_noise", 0.05)
        native.set("rec_noise", 0.05)
    native.training = training
    x = np.random.default_rng(3).random((b, t, I))
    runs = []
    for threads in (1, 2, 3, 4):
        nn4n.set_num_threads(threads)
        assert nn4n.get_num_threads()[0] == threads
        native.set("seed", 11)
        runs.append(native.forward(x, rates=True, states=True))
    y1, r1, s1 = runs[0]
    assert np.all(np.isfinite(y1)) and np.any(y1 != 0)
    for threads, (y, r, s) in zip((2, 3, 4), runs[1:]):
        for name, a, c in (("outputs", y1, y), ("rates", r1, r), ("states", s1, s)):
            differ = int(np.count_nonzero(a != c))
            assert differ == 0, (f"{threads} threads: {differ} of {a.size} {name} differ from one "
                                 f"thread's (max |Δ| {np.max(np.abs(a - c)):.3g})")
    if training:  # the noise was on: a second draw of the same seed differs from no noise
        native.training = False
        y0 = native.forward(x, rates=False)[0]
        assert np.any(y0 != y1)


def test_one_cpu_computes_on_one_thread():
    # Started with one P (GOMAXPROCS=1, as on a machine or cgroup of one
    # CPU), the library computes on one thread (and keeps a second, idle P
    # for Go: see nn4n_set_num_threads in nn4n.h).
    import os
    import subprocess
    import sys
    code = ("import nn4n, numpy as np\nfrom nn4n.core import Model\n"
            "print(nn4n.get_num_threads()[0])\n"
            "m = Model(4, 64, 2, seed=1)\n"
            "print(np.isfinite(m.forward(np.ones((16, 50, 4)))[0]).all())\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={**os.environ, "GOMAXPROCS": "1"})
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["1", "True"], r.stdout
