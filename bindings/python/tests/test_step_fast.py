# SPDX-License-Identifier: MIT
"""Model.step's fast path (issue 21): cached dims, preallocated buffers, raw addresses."""

import numpy as np
import pytest

from nn4n import errors
from nn4n.core import Model


def _model(prec):
    m = Model(3, 16, 2, precision=prec, seed=4)
    m.training = False
    return m


@pytest.mark.parametrize("prec", ["float64", "float32"])
def test_step_loop_matches_forward_and_outputs_are_fresh(prec):
    m = _model(prec)
    x = np.random.default_rng(1).random((2, 7, 3))
    y, _, _ = m.forward(x)
    dt = np.float32 if prec == "float32" else np.float64
    s = np.tile(m.get_array("x0"), (2, 1)).astype(dt)
    outs = []
    for t in range(7):
        s2, yt, rt = m.step(s, x[:, t], rates=True)  # x[:, t] is not contiguous
        assert s2 is s and yt.dtype == dt and rt.shape == (2, 16)
        outs.append(yt)
    got = np.stack(outs, 1)
    assert not np.shares_memory(outs[0], outs[1])
    tol = 1e-5 if prec == "float32" else 1e-12
    np.testing.assert_allclose(got, y, rtol=tol, atol=tol)


def test_f32_state_matches_f64_state_on_float32_model():
    m = _model("float32")
    x0 = m.get_array("x0")
    u = np.array([0.3, -0.2, 0.5])
    s32 = x0.astype(np.float32)
    s64 = s32.astype(np.float64)
    _, y32, r32 = m.step(s32, u.astype(np.float32), rates=True)
    _, y64, r64 = m.step(s64, u.astype(np.float32).astype(np.float64), rates=True)
    assert y32.shape == (2,) and r32.shape == (16,)
    np.testing.assert_array_equal(s32.astype(np.float64), s64)
    np.testing.assert_array_equal(y32.astype(np.float64), y64)


def test_one_dim_state_and_list_inputs():
    m = _model("float64")
    a = m.get_array("x0").copy()
    b = a.copy()
    m.step(a, [0.1, 0.2, 0.3])
    m.step(b.reshape(1, -1), np.array([[0.1, 0.2, 0.3]]))
    np.testing.assert_array_equal(a, b)


def test_precision_change_clears_the_cache():
    m = _model("float32")
    s = m.get_array("x0").astype(np.float32)
    m.step(s, np.zeros(3, np.float32))
    m.set("precision", "float64")
    s2, y, _ = m.step(s, np.zeros(3))  # a float32 state is now copied to float64
    assert s2.dtype == np.float64 and s2 is not s and y.dtype == np.float64


def test_bad_inputs_raise_named_errors():
    m = _model("float64")
    s = np.zeros((2, 16))
    with pytest.raises(errors.Nn4nError):
        m.step(s, np.zeros((2, 4)))  # wrong input length: the library names it
    with pytest.raises(errors.Nn4nError):
        m.step(np.zeros((2, 15)), np.zeros((2, 3)))
    with pytest.raises(errors.ShapeError):
        m.step(np.zeros((1, 2, 16)), np.zeros((2, 3)))
    with pytest.raises(errors.DTypeError):
        m.step(s, np.array([["a", "b", "c"]] * 2))
