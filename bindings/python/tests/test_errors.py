# SPDX-License-Identifier: MIT
"""Error paths: typed exceptions with the library's message, never a crash."""

import multiprocessing as mp
import os
import subprocess
import sys

import numpy as np
import pytest

import nn4n
from nn4n import errors
from nn4n.core import Model, Objective
from nn4n.model import CTRNN


def test_wrong_input_shape_is_shape_error_with_library_message():
    m = Model(3, 10, 2, seed=1)
    with pytest.raises(errors.ShapeError) as e:
        m.forward(np.zeros((2, 5, 4)))  # 4 inputs for a 3-input model
    assert e.value.status == 3 and e.value.status_name == "NN4N_ERR_SHAPE"
    assert "input" in e.value.message and e.value.function == "nn4n_model_forward"
    with pytest.raises(errors.ShapeError):
        m.forward(np.zeros(5))  # 1-d
    with pytest.raises(errors.ShapeError):
        m.set_array("w_rec", np.zeros((9, 10)))


def test_bad_dtypes_and_values():
    m = Model(2, 5, 1)
    with pytest.raises(errors.DTypeError):
        m.forward(np.array([[["a", "b"]]]))
    with pytest.raises(errors.DTypeError):
        m.forward(np.zeros((1, 3, 2), dtype=complex))
    with pytest.raises(errors.NotFinite) as e:
        m.forward(np.full((1, 3, 2), np.nan))
    assert e.value.message
    with pytest.raises(errors.InvalidArgument):
        m.set("alpha", 5.0)
    with pytest.raises(errors.InvalidArgument):
        m.set("activation", "banana")


def test_unknown_keys():
    m = Model(2, 5, 1)
    for call in (lambda: m.get("nope"), lambda: m.get_array("w_nope"), lambda: m.set("nope", 1),
                 lambda: Objective("nope")):
        with pytest.raises(errors.UnknownKey) as e:
            call()
        assert "nope" in str(e.value)
    assert isinstance(e.value, KeyError)


def test_closed_model_raises_invalid_handle_not_crash():
    m = Model(2, 5, 1)
    m.close()
    m.close()  # idempotent
    with pytest.raises(errors.InvalidHandle) as e:
        m.forward(np.zeros((1, 3, 2)))
    assert e.value.status_name == "NN4N_ERR_INVALID_HANDLE" and e.value.message
    net = CTRNN(dims=[2, 5, 1])
    net.close()
    with pytest.raises(errors.InvalidHandle):
        net(np.zeros((1, 3, 2)))
    with CTRNN(dims=[2, 5, 1]) as net2:
        net2(np.zeros((1, 3, 2)))
    with pytest.raises(errors.InvalidHandle):
        net2.native.get("alpha")


def test_wrong_kind_handle():
    m = Model(2, 5, 1)
    o = Objective("rnnloss")
    with pytest.raises(errors.InvalidHandle):
        m.gradient(m, np.zeros((1, 3, 2)), np.zeros((1, 3, 1)))  # a model as objective
    m.gradient(o, np.zeros((1, 3, 2)), np.zeros((1, 3, 1)))


def test_handles_are_freed_by_gc():
    import gc
    gc.collect()
    before, _ = nn4n.runtime_stats()
    for _ in range(50):
        Model(2, 5, 1)
    gc.collect()
    after, _ = nn4n.runtime_stats()
    assert after <= before


def test_bad_mask_shape_message_suggests_orientation():
    with pytest.raises(errors.ShapeError) as e:
        CTRNN(dims=[2, 6, 1], sparsity_masks=[np.ones((6, 2)), None, None])
    assert "post_pre" in str(e.value)


def _child(q):
    try:
        nn4n.Model(1, 2, 1)
        q.put("no error")
    except errors.ForkError as e:
        q.put("ForkError: " + str(e))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
def test_forked_child_is_refused_cleanly():
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_child, args=(q,))
    p.start()
    p.join(60)
    msg = q.get(timeout=5)
    assert msg.startswith("ForkError") and "spawn" in msg


def test_loader_lists_every_path_tried():
    code = "import nn4n._lib as l\nprint([o for o, p in l.candidate_paths()])\n"
    env = {k: v for k, v in os.environ.items() if k != "NN4N_LIBRARY"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert "'bundled', 'repository build/'" in r.stdout


@pytest.mark.parametrize("path", ["/nonexistent/libnn4n.so", "/etc/hostname"])
def test_a_bad_nn4n_library_is_an_error_not_a_fallback(path):
    # NN4N_LIBRARY is an explicit choice: loading the bundled copy instead
    # would silently run another library.
    env = {**os.environ, "NN4N_LIBRARY": path}
    r = subprocess.run([sys.executable, "-c", "import nn4n"], capture_output=True, text=True, env=env)
    assert r.returncode != 0
    assert "LibraryNotFound" in r.stderr and f"NN4N_LIBRARY={path}" in r.stderr, r.stderr
