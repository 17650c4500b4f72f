# SPDX-License-Identifier: MIT
"""The library's multitask ("multi:<task>,<task>", issue 22): tasks that live
in Go, with a rule input per task, from Python (C: tests/c/test_abi.c
test_multitask; MATLAB: test_task.m)."""

import numpy as np
import pytest

import nn4n
from nn4n import errors
from nn4n.criterion import MSELoss
from nn4n.model import CTRNN
from nn4n.tasks import Task


def _last_choice(y, cond):
    steps = cond[:, 13].astype(int)
    return y[np.arange(len(y)), steps - 1].argmax(1)


def test_rule_inputs_and_errors():
    t = Task("multi:rdm_fixed,romo", dt=20, sigma_in=0)
    n_rdm, n_romo = int(Task("rdm_fixed").get("inputs")), int(Task("romo").get("inputs"))
    w = max(n_rdm, n_romo)
    assert (t.get("inputs"), t.get("outputs")) == (w + 2, 2)
    b = t.sample(30, seed=4)
    steps = b["conditions"][:, 13].astype(int)
    rule = b["input"][:, :, w:] - 0.2  # baseline 0.2
    for i, n in enumerate(steps):
        k = int(np.argmax(rule[i, 0]))
        np.testing.assert_allclose(rule[i, :n], np.tile(np.eye(2)[k], (n, 1)), atol=1e-12)
        np.testing.assert_allclose(rule[i, n:], 0, atol=1e-12)
    assert set(np.argmax(rule[:, 0], 1)) == {0, 1}
    with pytest.raises(errors.InvalidArgument, match="not a choice task"):
        Task("multi:rdm_fixed,sinewave")
    with pytest.raises(errors.InvalidArgument, match="at least 2 tasks"):
        Task("multi:romo")
    with pytest.raises(errors.InvalidArgument, match="not one of the tasks"):
        t.sample_conditions(b["conditions"][:1])


def test_multitask_trains_and_score_agrees():
    t = Task("multi:rdm_fixed,romo", dt=20)
    I, O = int(t.get("inputs")), int(t.get("outputs"))
    net = CTRNN(dims=[I, 64, O], dt=20, tau=100, activation="relu", seed=0, biases=[None, "zero", "zero"])
    k = [0]

    def draw():
        k[0] += 1
        b = t.sample(32, seed=k[0])
        return {"inputs": b["input"], "targets": b["target"], "mask": b["mask"]}

    net.fit(draw, criterion=MSELoss(), optimizer=nn4n.optim.Adam(lr=0.01, max_norm=1), n_updates=600,
            progress=False)
    v = t.sample(400, kind="validation", seed=999)
    net.native.set("training", 0.0)
    y, _, _ = net.native.forward(v["input"], rates=False)
    cond = v["conditions"]
    choice = cond[:, 1].astype(int)
    ok = _last_choice(y, cond) == choice
    task_of = np.argmax(v["input"][:, 0, I - 2:], 1)
    acc = {k_: ok[(task_of == k_) & (choice >= 0)].mean() for k_ in (0, 1)}
    print(f"\nmulti:rdm_fixed,romo after 600 updates: rdm_fixed {acc[0]:.3f}, romo {acc[1]:.3f}")
    assert acc[0] > 0.9 and acc[1] > 0.6, acc
    # the library's percent correct equals the same count done here
    assert t.score(y, "percent_correct") == pytest.approx(100 * ok[choice >= 0].mean(), rel=1e-12)
