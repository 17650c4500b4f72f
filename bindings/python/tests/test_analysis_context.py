# SPDX-License-Identifier: MIT
"""The context-dependent worked example (Mante et al. 2013): a trained
network has, for each context's cue alone, two stable fixed points (one per
choice); a constant relevant input of either sign leaves only the attractor
of its sign, the same irrelevant input leaves both.

How cleanly a trained network gates depends on the seed and on the last bits
of its arithmetic (the CPU, the library version, the thread count), so the analysis is
tested on a network trained once by the example and stored,
data/context_seed2_4000.npz (``python examples/python/context_fixed_points.py
--updates 4000 --seed 2 --save ...``, 2026-12-07, AMD Zen 5); training from
scratch is tested apart, by what every run reaches: held-out accuracy."""

import importlib.util
import os

import numpy as np

from nn4n.core import Model

_EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples", "python",
                        "context_fixed_points.py")


def _load():
    spec = importlib.util.spec_from_file_location("context_fixed_points", _EXAMPLE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _two_choices(r):
    """Stable points of both choices (readouts beyond ±0.5) are present."""
    return len(r) >= 2 and r.min() < -0.5 and r.max() > 0.5


_MODEL = os.path.join(os.path.dirname(__file__), "data", "context_seed2_4000.npz")


def test_context_training_learns():
    cf = _load()
    m = cf.train(updates=1000, seed=0, verbose=False)
    m.training = False
    x, out, y, cond = cf.held_out(m)
    assert min(cf.accuracy(out, y, cond)) >= 0.8  # chance 0.5; 0.86-0.93 for seeds 0-3 here
    for fp in cf.context_points(m, x):
        assert fp.converged.all() and len(fp) >= 1


def test_context_input_conditioned_points():
    cf = _load()
    m = Model.load(_MODEL)
    m.training = False
    x, out, y, cond = cf.held_out(m)
    assert min(cf.accuracy(out, y, cond)) >= 0.85
    fps = cf.context_points(m, x)
    for fp in fps:
        assert fp.converged.all() and (fp.q < 1e-12).all()
        r = cf.stable_readouts(m, fp)
        assert len(r) == 2 and _two_choices(r), r
    # The points are conditioned on the input: those of one context's cue
    # are not fixed points under the other's.
    for c in (0, 1):
        pts = fps[c].points[fps[c].stable]
        for cue, far in ((cf.cue(c), False), (cf.cue(1 - c), True)):
            f, _, _ = m.step(pts.copy(), np.tile(cue, (len(pts), 1)), outputs=False)
            q = 0.5 * ((f - pts) ** 2).sum(axis=1)
            assert (q > 1e-6).all() if far else (q < 1e-12).all(), (c, far, q)
    for ctx, relevant, irrelevant in ((0, cf.MOTION, cf.COLOUR), (1, cf.COLOUR, cf.MOTION)):
        lev, sw = cf.sweep(m, x, ctx, relevant, strength=0.3, steps=2)
        for s, fp in zip((-1, 1), sw):
            r = cf.stable_readouts(m, fp)
            assert len(r) == 1 and np.sign(r[0]) == s, (ctx, s, r)
        lev, sw = cf.sweep(m, x, ctx, irrelevant, strength=0.3, steps=2)
        for fp in sw:
            assert _two_choices(cf.stable_readouts(m, fp)), (ctx, cf.stable_readouts(m, fp))
