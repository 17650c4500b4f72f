# SPDX-License-Identifier: MIT
"""Training on a neurogym dataset through the binding (cross-entropy against
integer labels). The full nn-brain setting (5000 updates, ≈0.85) is
examples/python/neurogym_ei_rnn.py; here a bounded budget must show learning."""

import os
import sys
import time
import warnings

import pytest

ngym = pytest.importorskip("neurogym")
warnings.filterwarnings("ignore")

EXAMPLES = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples", "python"))


def test_perceptual_decision_making_learns():
    sys.path.insert(0, EXAMPLES)
    try:
        import neurogym_ei_rnn as ex
    finally:
        sys.path.remove(EXAMPLES)
    t0 = time.time()
    acc, train_s, hist = ex.main(steps=2500, lr=0.01, seed=0, n_eval=300, progress=False)
    print(f"\nneurogym PDM: 2500 updates in {train_s:.1f} s, accuracy {acc:.3f}")
    assert hist["updates"] == 2500
    assert acc > 0.7, acc
    assert time.time() - t0 < 300
