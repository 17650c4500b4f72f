# SPDX-License-Identifier: MIT
"""Native extras: precision, save/load (.npz, .pt), gradients, optimisers,
chunked and cancellable training, the pycog Trainer, step-by-step simulation."""

import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import nn4n
from nn4n import errors
from nn4n.core import Model, Objective, Optimizer
from nn4n.criterion import RNNLoss, SongYangLoss, CompositeLoss
from nn4n.model import CTRNN


def test_float32_and_float64_agree():
    x = np.random.default_rng(0).standard_normal((3, 25, 2))
    a = CTRNN(dims=[2, 30, 2], precision="float64", seed=3)
    b = CTRNN(dims=[2, 30, 2], precision="float32", seed=3)
    b.load_state_dict(a.state_dict())
    ya, _ = a(x)
    yb, _ = b(x)
    assert ya.dtype == np.float64 and yb.dtype == np.float32
    assert np.abs(ya - yb).max() < 1e-5


def test_npz_roundtrip_readable_by_numpy(tmp_path):
    net = CTRNN(dims=[2, 16, 3], activation="tanh", seed=5, biases="uniform")
    x = np.random.default_rng(1).standard_normal((2, 10, 2))
    net.eval()
    y, _ = net(x)
    p = tmp_path / "m.npz"
    net.save(p)
    z = np.load(p)
    assert z["w_rec"].shape == (16, 16) and "config" in z.files
    net2 = CTRNN.from_file(p)
    net2.eval()
    y2, _ = net2(x)
    assert np.array_equal(y, y2)
    net3 = CTRNN(dims=[1, 1, 1]).load(p)
    net3.eval()
    assert np.array_equal(net3(x)[0], y)
    # a damaged file is rejected with a FORMAT error naming the problem
    bad = tmp_path / "bad.npz"
    bad.write_bytes(p.read_bytes()[:200])
    with pytest.raises(errors.FormatError):
        Model.load(bad)
    with pytest.raises(errors.IOError_):
        Model.load(tmp_path / "missing.npz")


def test_pt_file_in_nn4n_format(tmp_path):
    torch = pytest.importorskip("torch")
    net = CTRNN(dims=[2, 8, 1], seed=2, biases="zero")
    p = tmp_path / "m.pt"
    net.save(str(p))
    ck = torch.load(p)
    assert set(ck) == {"model_state_dict", "kwargs"}
    assert "recurrent_layer.hidden_layer.weight" in ck["model_state_dict"]
    net2 = CTRNN.from_file(str(p))
    x = np.ones((1, 5, 2))
    net.eval(), net2.eval()
    np.testing.assert_allclose(net(x)[0], net2(x)[0], rtol=1e-6)


def test_gradients_match_finite_differences():
    net = CTRNN(dims=[2, 6, 2], activation="tanh", precision="float64", seed=9)
    net.eval()
    x = np.random.default_rng(2).standard_normal((2, 8, 2))
    t = np.random.default_rng(3).standard_normal((2, 8, 2))
    crit = RNNLoss(net, lambda_fr=0.5, lambda_out=0.3)
    g, _ = net.gradients(x, t, criterion=crit)
    w = net.native.get_array("w_rec")
    eps = 1e-6
    for (i, j) in [(0, 1), (3, 2), (5, 5)]:
        wp = w.copy(); wp[i, j] += eps
        net.native.set_array("w_rec", wp)
        lp = net.native.loss(crit.objective, x, t)[0]["total"]
        wm = w.copy(); wm[i, j] -= eps
        net.native.set_array("w_rec", wm)
        lm = net.native.loss(crit.objective, x, t)[0]["total"]
        net.native.set_array("w_rec", w)
        assert abs((lp - lm) / (2 * eps) - g["w_rec"][i, j]) < 1e-6


def test_fit_learns_and_reports():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 30, 1))
    y = np.cumsum(x, axis=1) * 0.1
    net = CTRNN(dims=[1, 20, 1], precision="float64", seed=1)
    net.eval()
    before = net.native.loss(RNNLoss().objective, x, y)[0]["total"]
    h = net.fit(x, y, optimizer=nn4n.optim.Adam(lr=0.01), n_updates=200, chunk=50, progress=False)
    assert h["updates"] == 200 and len(h["loss"]) == 4 and not h["interrupted"]
    assert h["loss"][-1] < 0.5 * before


def test_train_is_cancellable_from_another_thread():
    m = Model(1, 200, 1, seed=1)
    o, opt = Objective("rnnloss"), Optimizer("adam")
    x = np.ones((4, 200, 1))
    res = {}

    def work():
        try:
            res["r"] = m.train(o, opt, x, np.zeros((4, 200, 1)), n_updates=100000)
        except errors.Cancelled as e:
            res["e"] = e
    t = threading.Thread(target=work)
    t.start()
    time.sleep(0.5)
    m.cancel()
    t.join(30)
    assert not t.is_alive() and "e" in res
    m.forward(x)  # the model is still usable


def test_songyang_objective_and_sgd():
    net = CTRNN(dims=[2, 10, 2], seed=4, precision="float64")
    x = np.random.default_rng(5).random((4, 20, 2))
    t = np.random.default_rng(6).random((4, 20, 2))
    mask = np.ones_like(t)
    mask[:, :10] = 0
    sy = SongYangLoss(lambda2_rec=1e-3, lambda_omega=2.0)
    terms = net.train_steps(x, t, criterion=sy, optimizer=nn4n.optim.SGD(lr=0.01), n_updates=3, mask=mask)
    assert "grad_norm" in terms and "omega" in terms


def test_composite_objective_trains():
    cl = CompositeLoss({"mse": {"type": "mse", "lambda": 1.0},
                        "fr": {"type": "fr", "params": {"metric": "l2"}, "lambda": 0.1}})
    net = CTRNN(dims=[1, 10, 1], seed=1)
    g, terms = net.gradients(np.ones((2, 5, 1)), np.zeros((2, 5, 1)), criterion=cl)
    assert set(terms) >= {"mse", "fr"} and g["w_rec"].shape == (10, 10)


def test_step_reproduces_forward():
    m = Model(2, 8, 1, seed=3)
    m.training = False
    x = np.random.default_rng(0).random((1, 6, 2))
    y, _, _ = m.forward(x)
    s = np.tile(m.get_array("x0"), (1, 1))
    for t in range(6):
        s, yt, _ = m.step(s, x[:, t])
        assert np.allclose(yt, y[:, t])


def test_pycog_trainer_runs_in_chunks():
    task = nn4n.tasks.Task("rdm_dense", dt=20)
    st = nn4n.Structure("pycog", int(task.get("inputs")), 60, int(task.get("outputs")), seed=1).build()
    m = Model.from_structure(st, seed=1)
    m.set("rec_noise", 0.15)
    tr = nn4n.train.Trainer(m, task, valid_every=200, n_validation=50, max_trials=400, seed=2)
    hist = tr.fit(progress=False)
    assert hist.shape[1] == len(nn4n.train.HISTORY_COLUMNS) and len(hist) >= 1
    assert tr.get("finished") == 1


def test_task_conditions_and_psychometric():
    task = nn4n.tasks.Task("rdm_dense", dt=20)
    cols = {c: k for k, c in enumerate(task.CONDITION_COLUMNS)}
    table = np.zeros((6, len(cols)))
    for k, c in enumerate([-12.8, -12.8, 0.0, 0.0, 12.8, 12.8]):
        table[k, cols["coherence"]], table[k, cols["sign"]] = abs(c), 1 if c >= 0 else -1
    b = task.sample_conditions(table, seed=4)
    assert b["input"].shape[0] == 6
    np.testing.assert_array_equal(b["conditions"][:, cols["choice"]], [1, 1, -1, -1, 0, 0])
    # outputs choosing output 0 on the last step of the trials at +12.8 % and one at 0 %
    y = np.zeros_like(b["target"])
    last = b["conditions"][:, cols["steps"]].astype(int) - 1
    for k, choose0 in enumerate([False, False, True, False, True, True]):
        y[k, last[k], 0 if choose0 else 1] = 1
    curve = task.psychometric(y, choice=0, fit=False)
    np.testing.assert_array_equal(curve["x"], [-12.8, 0, 12.8])
    np.testing.assert_array_equal(curve["n"], [2, 2, 2])
    np.testing.assert_array_equal(curve["k"], [0, 1, 2])
    with pytest.raises(nn4n.errors.NumericError):  # separated choices: no fit
        task.psychometric(y, choice=0)
    with pytest.raises(nn4n.errors.ShapeError):
        task.sample_conditions(table[:, :5])
    table[0, cols["freq"]] = 12.0
    with pytest.raises(nn4n.errors.InvalidArgument):
        task.sample_conditions(table)


def test_vjp_equals_objective_gradient():
    m = Model(3, 12, 2, seed=2, post_noise=0.1)
    x = np.random.default_rng(0).random((3, 9, 3))
    t = np.random.default_rng(1).random((3, 9, 2))
    m.set("seed", 11)
    y, _, _ = m.forward(x)
    m.set("seed", 11)
    m.gradient(Objective("rnnloss"), x, t)
    g1 = m.grads()
    g2 = nn4n.vjp(m, x, 2 * (y - t) / y.size, seed=11)
    for k in g1:
        np.testing.assert_allclose(g1[k], g2[k], atol=1e-14)


def test_carry_state_trains_consecutive_chunks_by_truncated_bptt():
    """With carry_state, a gradient pass starts where the previous one ended:
    bit for bit the pass of a twin whose x0 is the first chunk's last state."""
    rng = np.random.default_rng(4)
    x1, x2 = rng.random((2, 1, 15, 3))
    y1, y2 = rng.random((2, 1, 15, 2))
    carrying = Model(3, 20, 2, seed=6, activation="tanh")
    twin = Model(3, 20, 2, seed=6, activation="tanh")
    carrying.set("carry_state", 1)
    assert carrying.get("carry_state") == 1
    obj = Objective("songyang")
    first = carrying.gradient(obj, x1, y1)
    assert first == twin.gradient(obj, x1, y1)          # the first pass starts from x0
    _, _, states = twin.forward(x1, rates=False, states=True)
    twin.set_array("x0", states[0, -1])
    got, want = carrying.gradient(obj, x2, y2), twin.gradient(obj, x2, y2)
    assert got == want
    assert got != Model(3, 20, 2, seed=6, activation="tanh").gradient(obj, x2, y2)   # from x0: not the same
    for k, g in twin.grads().items():
        assert np.array_equal(carrying.grad(k), g), k
    # the streams keep their batch size; writing the setting starts new ones
    with pytest.raises(errors.ShapeError, match="carry_state"):
        carrying.train(obj, Optimizer("adam"), np.zeros((3, 15, 3)), np.zeros((3, 15, 2)))
    carrying.set("carry_state", 1)
    assert carrying.gradient(obj, x1, y1) == first
