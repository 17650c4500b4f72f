# SPDX-License-Identifier: MIT
"""The worked example: a trained 3-bit flip-flop has 8 stable fixed points,
one per output pattern, each nearest the mean final state of the held-out
trials holding that pattern, and saddles between them (~25 s)."""

import importlib.util
import itertools
import os

import numpy as np

from nn4n import analysis

_EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples", "python",
                        "flipflop_fixed_points.py")


def _load():
    spec = importlib.util.spec_from_file_location("flipflop_fixed_points", _EXAMPLE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_flipflop_eight_stable_points():
    ff = _load()
    m = ff.train(verbose=False)
    m.training = False
    x, target, out = ff.held_out_end_states(m)
    assert np.mean(np.sign(out[:, -1]) != target) < 0.02
    fp = ff.find(m, x)
    assert fp.stable.sum() == 8
    assert (fp.stability == analysis.SADDLE).sum() >= 1
    assert (fp.q < 1e-12).all() and fp.converged.all()
    stable = fp.points[fp.stable]
    patterns = np.sign(ff.stable_patterns(m, fp))
    want = {p for p in itertools.product((-1.0, 1.0), repeat=3)}
    assert {tuple(p) for p in patterns} == want
    # Each pattern's held-out mean final state is nearest its own stable point.
    ends = x[:, -1]
    for p in want:
        sel = (target == np.array(p)).all(axis=1)
        if sel.sum() < 3:
            continue
        mean = ends[sel].mean(axis=0)
        nearest = np.argmin(((stable - mean) ** 2).sum(axis=1))
        assert tuple(patterns[nearest]) == p
