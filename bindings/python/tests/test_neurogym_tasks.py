# SPDX-License-Identifier: MIT
"""neurogym tasks with the default recipe (issue 22): period masks from the
env's periods, decision-period accuracy, class weights, and the bad-input
errors. Small networks and budgets; the full table is
examples/python/neurogym_table.py."""

import warnings

import numpy as np
import pytest

ngym = pytest.importorskip("neurogym")
warnings.filterwarnings("ignore")

import nn4n  # noqa: E402
import nn4n.neurogym as nng  # noqa: E402
from nn4n import errors  # noqa: E402
from nn4n.criterion import CrossEntropyLoss, MSELoss  # noqa: E402
from nn4n.model import CTRNN  # noqa: E402


def _net(env, hidden=64, seed=0):
    n_in, n_out = nng.dims(env)
    return CTRNN(dims=[n_in, hidden, n_out], dt=100, tau=200, activation="relu", seed=seed,
                 biases=[None, "zero", "zero"])


def _clip_warnings(seen):
    return [w for w in seen if "does not clip" in str(w.message)]


def _train(name, updates, seed=0):
    """The documented recipe: batches(env, 32), CrossEntropyLoss, Adam(lr=0.01, max_norm=1)."""
    env = ngym.make(name)
    net = _net(env, seed=seed)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        hist = net.fit(nng.batches(env, batch_size=32, seed=seed), criterion=CrossEntropyLoss(),
                       optimizer=nn4n.optim.Adam(lr=0.01, max_norm=1), n_updates=updates, progress=False)
    assert not _clip_warnings(seen)  # the recipe itself is not warned about
    assert hist["updates"] == updates
    return net, env


# Without max_norm, DelayMatchSample-v0 at these sizes reached > 0.8 for 1 of 8 seeds (0-7), and a
# one-ulp change of the float32 readout's summation order decides which; with max_norm 1: 16 of 16
# (seeds 0-15). See docs/RESULTS.md.
@pytest.mark.parametrize("name,updates", [("ContextDecisionMaking-v0", 1000), ("DelayMatchSample-v0", 600)])
def test_default_recipe_trains(name, updates):
    net, env = _train(name, updates)
    res = nng.evaluate(net, env, n_trials=300, seed=123)
    print(f"\n{name}: decision accuracy {res['accuracy']:.3f}, fixation {res['fixation']:.3f}, "
          f"per condition {res['per_condition'].get('ground_truth')}")
    assert res["accuracy"] > 0.8, res["accuracy"]
    # both choices are made (not one answer for everything)
    gt = res["per_condition"]["ground_truth"]
    assert len(gt) == 2 and min(gt.values()) > 0.6, gt


def test_fit_warns_when_the_optimizer_does_not_clip():
    env = ngym.make("GoNogo-v0")
    net = _net(env, hidden=8)
    with pytest.warns(UserWarning, match=r"GoNogo: the optimizer does not clip gradients .*max_norm=1"):
        net.fit(nng.batches(env, batch_size=4, seed=0), criterion=CrossEntropyLoss(),
                optimizer=nn4n.optim.Adam(lr=0.01), n_updates=2, progress=False)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        for draw, opt in [(nng.batches(env, batch_size=4, seed=0), nn4n.optim.Adam(lr=0.01, max_norm=1)),
                          (nng.batches(env, batch_size=4, seed=0, warn=False), nn4n.optim.Adam(lr=0.01)),
                          (nng.batches(env, batch_size=4, seed=0), nn4n.optim.SGD(lr=0.01))]:
            assert net.fit(draw, criterion=CrossEntropyLoss(), optimizer=opt, n_updates=2,
                           progress=False)["updates"] == 2
    assert not _clip_warnings(seen), [str(w.message) for w in seen]


def test_batches_warns_for_tasks_the_recipe_does_not_train():
    with pytest.warns(UserWarning, match=r"DelayMatchCategory: the default recipe .* did not train it "
                                         r"\(decision accuracy 0.498"):
        nng.batches(ngym.make("DelayMatchCategory-v0"))
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        nng.batches(ngym.make("DelayMatchCategory-v0"), warn=False)
        nng.batches(ngym.make("DelayMatchSample-v0"))
    assert not [w for w in seen if "did not train" in str(w.message)]


def test_untrained_is_not_scored_as_trained():
    env = ngym.make("ContextDecisionMaking-v0")
    res = nng.evaluate(_net(env), env, n_trials=100, seed=1)
    assert res["accuracy"] < 0.6


def test_accuracy_agrees_with_independent_scoring():
    net, env = _train("DelayMatchSample-v0", 150)
    res = nng.evaluate(net, env, n_trials=120, seed=7)
    # Independent: replay the same trials, run the model again, score with
    # neurogym's own rule (first non-fixation action in "decision" must equal gt).
    base = env.unwrapped
    base.seed(7)
    n_ok = 0
    net.native.set("training", 0.0)
    for i in range(120):
        base.new_trial()
        y, _, _ = net.native.forward(np.asarray(base.ob, float)[None], rates=False)
        act = y[0].argmax(-1)
        np.testing.assert_array_equal(act, res["predictions"][i])
        s, e = base.start_ind["decision"], base.end_ind["decision"]
        a, g = act[s:e], base.gt[s:e]
        moved = np.flatnonzero(a != 0)
        if (g == 0).all():
            n_ok += moved.size == 0
        else:
            n_ok += moved.size > 0 and a[moved[0]] == g[moved[0]]
    assert res["accuracy"] == pytest.approx(n_ok / 120)
    # score_trials on saved predictions reproduces the figure
    assert nng.score_trials(res["predictions"], res["ground_truth"], res["spans"]).mean() == \
        pytest.approx(res["accuracy"])


def test_score_trials_rules():
    gt = [np.array([0, 0, 1, 1]), np.array([0, 0, 0, 0]), np.array([0, 0, 2, 2])]
    pred = [np.array([0, 0, 0, 1]), np.array([0, 0, 0, 1]), np.array([0, 0, 1, 2])]
    spans = [[(2, 4)]] * 3
    np.testing.assert_array_equal(nng.score_trials(pred, gt, spans), [True, False, False])
    np.testing.assert_array_equal(nng.score_trials(pred, gt, spans, score="last"), [True, False, True])


def test_batch_mask_follows_periods_and_class_weights():
    env = ngym.make("DelayMatchSample-v0")
    draw = nng.batches(env, batch_size=4, seed=0, decision_weight=3.0, period_weights={"sample": 0.5},
                       class_weights=[1.0, 2.0, 4.0])
    b = draw()
    B, T, O = b["mask"].shape
    assert (B, O) == (4, 3) and b["labels"].shape == (B, T) and b["inputs"].shape[:2] == (B, T)
    cw = np.array([1.0, 2.0, 4.0])
    want = np.where(b["decision"], 3.0, 1.0)
    want[b["periods"] == "sample"] = 0.5
    want[b["labels"] < 0] = 0.0
    np.testing.assert_allclose(b["mask"], want[:, :, None] * cw)
    # balanced default: decision steps weigh as much as the rest per trial, each at least 5
    for name in ("DelayMatchSample-v0", "ContextDecisionMaking-v0"):
        b = nng.batches(ngym.make(name), batch_size=3, seed=0)()
        w = b["mask"][:, :, 0]
        for i in range(3):
            valid = b["labels"][i] >= 0
            d = b["decision"][i] & valid
            ratio = max(5.0, (valid & ~d).sum() / d.sum())
            np.testing.assert_allclose(w[i][d], ratio)
            np.testing.assert_allclose(w[i][valid & ~d], 1.0)


def test_class_weighted_cross_entropy_matches_library():
    rng = np.random.default_rng(0)
    env = ngym.make("DelayMatchSample-v0")
    net = _net(env, hidden=16)
    b = nng.batches(env, batch_size=3, seed=0)()
    crit = CrossEntropyLoss(class_weights=[0.5, 2.0, 3.0])
    mk = nn4n.criterion._training_mask(crit, b["mask"], 3, b["labels"].shape)
    terms, y = net.native.loss(crit.objective, b["inputs"], None, mk, b["labels"])
    v = crit(y, b["labels"], mask=b["mask"])
    assert float(v) == pytest.approx(next(iter(terms.values())), rel=1e-10)
    # MSE with class weights: Σ c M d² / Σ c M, library vs binding
    tg = rng.normal(size=y.shape)
    m = MSELoss(class_weights=[1.0, 0.0, 2.0])
    mk = nn4n.criterion._training_mask(m, b["mask"][:, :, 0], 3, b["labels"].shape)
    terms, y = net.native.loss(m.objective, b["inputs"], tg, mk, None)
    assert float(m(y, tg, mask=b["mask"][:, :, 0])) == pytest.approx(next(iter(terms.values())), rel=1e-10)


def test_bad_inputs_have_clear_errors():
    class NoPeriods:  # a gym-like env without neurogym's period bookkeeping
        def new_trial(self):
            return {}
    with pytest.raises(errors.InvalidArgument, match="no period information"):
        nng.batches(NoPeriods())
    env = ngym.make("DelayMatchSample-v0")
    with pytest.raises(errors.InvalidArgument, match="class_weights has length 2, want 3"):
        nng.batches(env, class_weights=[1.0, 2.0])
    with pytest.raises(errors.InvalidArgument, match="not periods of the env"):
        nng.batches(env, decision="response")
    net = _net(env, hidden=8)
    b = nng.batches(env, batch_size=2, seed=0)()
    with pytest.raises(errors.InvalidArgument, match=r"mask has shape \(2, 3\)"):
        net.fit(b["inputs"], labels=b["labels"], mask=np.ones((2, 3)), criterion=CrossEntropyLoss(),
                n_updates=1, progress=False)
    with pytest.raises(errors.InvalidArgument, match="class_weights has length 4, want 3"):
        net.fit(b["inputs"], labels=b["labels"], criterion=CrossEntropyLoss(class_weights=[1, 1, 1, 1]),
                n_updates=1, progress=False)
    with pytest.raises(errors.InvalidArgument, match="class_weights has length 2, want 3"):
        CrossEntropyLoss(class_weights=[1, 2])(np.zeros((1, 2, 3)), np.zeros((1, 2)))


def test_multitask_rule_input_and_per_task_accuracy():
    envs = [ngym.make(n, dt=100) for n in ("GoNogo-v0", "DelayMatchSample-v0", "DualDelayMatchSample-v0")]
    mt = nng.MultiTask(envs, names=["gonogo", "dms", "dual"], seed=0)
    n_in, n_out = nng.dims(mt)
    assert (n_in, n_out) == (7 + 3, 3)
    info = mt.new_trial(task="dual")
    assert info["task"] == "dual"
    np.testing.assert_array_equal(mt.ob[:, 7:], np.tile([0.0, 0.0, 1.0], (len(mt.gt), 1)))
    assert {"decision", "decision_2"} <= set(mt.start_ind)
    b = nng.batches(mt, batch_size=16, seed=0)()
    assert b["inputs"].shape[2] == n_in and b["mask"].shape[2] == n_out
    # each sequence's rule input is one-hot and constant over its valid steps
    rule = b["inputs"][:, :, 7:]
    valid = b["labels"] >= 0
    assert np.all(rule.sum(-1)[valid] == 1)
    res = nng.evaluate(_net(mt, hidden=16), mt, n_trials=60, seed=3)
    assert set(res["per_condition"]["task"]) == {"gonogo", "dms", "dual"}
    with pytest.raises(errors.InvalidArgument, match="different dt"):
        nng.MultiTask([ngym.make("GoNogo-v0", dt=100), ngym.make("GoNogo-v0", dt=50)])


def test_class_weights_in_gradients_equal_explicit_mask():
    env = ngym.make("DelayMatchSample-v0")
    net = _net(env, hidden=12)
    b = nng.batches(env, batch_size=4, seed=2)()
    cw = np.array([0.3, 1.0, 4.0])
    g1, t1 = net.gradients(b["inputs"], labels=b["labels"], mask=b["mask"][:, :, 0],
                           criterion=CrossEntropyLoss(class_weights=cw))
    g2, t2 = net.gradients(b["inputs"], labels=b["labels"], mask=b["mask"] * cw, criterion=CrossEntropyLoss())
    g3, _ = net.gradients(b["inputs"], labels=b["labels"], mask=b["mask"], criterion=CrossEntropyLoss())
    assert next(iter(t1.values())) == pytest.approx(next(iter(t2.values())), rel=1e-12)
    np.testing.assert_allclose(g1["w_rec"], g2["w_rec"], rtol=1e-10, atol=1e-14)
    assert not np.allclose(g1["w_rec"], g3["w_rec"])  # the weights do change the gradient
