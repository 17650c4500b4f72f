# SPDX-License-Identifier: MIT
"""Training on neurogym tasks (``pip install neurogym``).

:func:`batches` draws whole trials from a neurogym env (or the env of a
``neurogym.Dataset``) and yields batch-first ``inputs`` (B×T×I), integer
``labels`` (B×T, −1 on padding) and an error ``mask`` (B×T×O) built from the
env's period information: each step is weighted by the weight of its period
(decision periods ``decision_weight``, the others ``fixation_weight``, or a
``period_weights`` dict), times the class weight of the output. The library's
cross-entropy with labels weights step s by M[s, label_s] and normalises by
the sum of the weights (PyTorch's ``CrossEntropyLoss(weight=...)`` rule), so
period weights and class weights need no numerics of their own here.

:func:`evaluate` runs held-out trials and scores each decision period the way
neurogym's envs score a trial: the first step of the period where the network
leaves fixation (argmax ≠ 0) is its response; a period whose ground truth is
fixation everywhere (a no-go) is correct when there is no response, any other
is correct when the response equals the ground truth at that step
(``score="first"``, default); ``score="last"`` compares the argmax at the
period's last step with the ground truth there. It reports per-condition
accuracy for the env's trial keys with few values, and returns the
predictions so the score can be recomputed. :func:`accuracy` is its
``"accuracy"`` entry.
"""

import warnings

import numpy as np

from . import errors

__all__ = ["batches", "accuracy", "evaluate", "dims", "decision_periods", "score_trials", "MultiTask",
           "DECISION_NAMES"]

#: Period names taken as decision (response) periods when an env has no
#: period called "decision".
DECISION_NAMES = ("decision", "test", "test1", "test2", "production", "reach", "response", "go", "choice")

# Envs whose defaults are known not to suit the recipe; batches() warns with
# the advice. (Only entries backed by a run: see docs/RESULTS.md.)
_ADVICE = {name: (f"the default recipe (64 units, Adam lr 0.01 max_norm 1, 2000 updates, seed 0) did not train it "
                  f"(decision accuracy {acc}, docs/RESULTS.md) and no setting that does is known yet: check "
                  "nn4n.neurogym.evaluate before relying on the network")
           for name, acc in (("DelayMatchCategory", 0.498), ("DelayPairedAssociation", 0.478),
                             ("PostDecisionWager", 0.480))}

#: The global-norm gradient clip the recipe needs (``nn4n.optim.Adam(lr=0.01,
#: max_norm=1)``). Without clipping, Adam at lr 0.01 diverges on the memory
#: tasks: DelayMatchSample-v0 (64 units, 600 updates) reached decision
#: accuracy > 0.8 for 1 of 8 seeds (0-7) unclipped and 16 of 16 (0-15) with
#: max_norm 1 (docs/RESULTS.md). ``fit`` warns when it trains on :func:`batches` with an
#: optimiser whose max_norm is 0.
RECOMMENDED_MAX_NORM = 1.0


def _base(env):
    env = getattr(env, "env", env) if not hasattr(env, "new_trial") else env
    return getattr(env, "unwrapped", env)


def dims(dataset_or_env):
    """(n_inputs, n_outputs) of a neurogym Dataset or env."""
    env = getattr(dataset_or_env, "env", dataset_or_env)
    return int(env.observation_space.shape[0]), int(env.action_space.n)


def decision_periods(env, decision=None):
    """The names of the decision periods of ``env`` (after one new trial).

    ``decision`` (a name or a list of names) overrides the choice. Raises
    InvalidArgument for an env without period information (``start_ind``,
    ``end_ind``, ``gt``) or when no period is a decision period.
    """
    base = _base(env)
    if not all(hasattr(base, a) for a in ("start_ind", "end_ind", "new_trial")):
        raise errors.InvalidArgument(
            f"{type(base).__name__}: the env has no period information (start_ind/end_ind); "
            "nn4n.neurogym needs a trial-based neurogym env (TrialEnv with add_period)")
    if not base.start_ind:
        base.new_trial()
    if not base.start_ind or getattr(base, "gt", None) is None:
        raise errors.InvalidArgument(
            f"{type(base).__name__}: the env defines no periods or no ground truth (gt); "
            "nn4n.neurogym needs a trial-based neurogym env with add_period and set_groundtruth")
    periods = list(base.start_ind)
    if decision is None and getattr(base, "decision_names", None):
        return list(base.decision_names)
    if decision is not None:
        names = [decision] if isinstance(decision, str) else list(decision)
        bad = [n for n in names if n not in periods]
        if bad:
            raise errors.InvalidArgument(f"{type(base).__name__}: decision periods {bad} are not periods of "
                                         f"the env (its periods: {periods})")
        return names
    if "decision" in periods:
        return ["decision"]
    names = [p for p in periods if p in DECISION_NAMES]
    if not names:
        raise errors.InvalidArgument(f"{type(base).__name__}: no period is named like a decision period "
                                     f"({', '.join(DECISION_NAMES)}); its periods are {periods}: pass "
                                     "decision='<period>'")
    return names


def _trial(base, decision, n_out):
    """One new trial: (ob T×I, gt T, decision flag T, period name per step, trial info)."""
    info = base.new_trial()
    ob = np.asarray(base.ob, dtype=np.float64)
    gt = np.asarray(base.gt)
    if gt.ndim != 1 or not np.issubdtype(gt.dtype, np.integer):
        raise errors.InvalidArgument(f"{type(base).__name__}: the ground truth is not one integer label per step "
                                     f"(shape {gt.shape}, dtype {gt.dtype}); nn4n.neurogym handles discrete actions")
    if gt.size and (gt.min() < 0 or gt.max() >= n_out):
        raise errors.InvalidArgument(f"{type(base).__name__}: ground truth {gt.min()}..{gt.max()} is outside "
                                     f"0..{n_out - 1}")
    T = len(gt)
    per = np.array([""] * T, dtype=object)
    for p in base.start_ind:
        per[base.start_ind[p]:base.end_ind[p]] = p
    dec = np.zeros(T, dtype=bool)
    for p in decision:
        if p in base.start_ind:
            dec[base.start_ind[p]:base.end_ind[p]] = True
    spans = [(base.start_ind[p], base.end_ind[p]) for p in decision
             if p in base.start_ind and base.end_ind[p] > base.start_ind[p]]
    return ob, gt.astype(np.int64), dec, per, spans, info or {}


def _check_class_weights(class_weights, n_out):
    if class_weights is None:
        return None
    cw = np.asarray(class_weights, dtype=np.float64).ravel()
    if cw.size != n_out:
        raise errors.InvalidArgument(f"class_weights has length {cw.size}, want {n_out} (one per output/action)")
    if not np.all(np.isfinite(cw)) or np.any(cw < 0):
        raise errors.InvalidArgument("class_weights must be finite and non-negative")
    return cw


def batches(source, batch_size=None, decision=None, decision_weight="balanced", fixation_weight=1.0,
            period_weights=None, class_weights=None, seed=None, warn=True):
    """A callable for ``fit``: each call draws ``batch_size`` new trials.

    ``source`` is a neurogym env or Dataset (its env and batch size are
    used). Trials are padded to the longest in the batch (label −1, mask 0).
    The mask of step t, output k is w(period of t)·c_k, with w =
    ``decision_weight`` on the decision periods (:func:`decision_periods`,
    or ``decision=``; "balanced", the default: per trial, the decision steps
    together weigh as much as the other steps, and each at least 5 times
    ``fixation_weight``), ``fixation_weight``
    elsewhere, a per-period override
    in ``period_weights`` ({name: weight}), and c = ``class_weights`` (one
    per action; default all 1). The batch dict also holds ``decision``
    (B×T, bool) and ``periods`` (B×T names) for inspection.

    Train with gradient clipping (``nn4n.optim.Adam(lr=0.01, max_norm=1)``,
    :data:`RECOMMENDED_MAX_NORM`): ``fit`` warns when the optimiser does not
    clip; ``warn=False`` silences that and the per-env advice.
    """
    base = _base(source)
    env_name = type(base).__name__
    dec_names = decision_periods(base, decision)
    n_out = int(getattr(source, "env", source).action_space.n)
    if batch_size is None:
        batch_size = int(getattr(source, "batch_size", 32) or 32)
    if seed is not None and hasattr(base, "seed"):
        base.seed(seed)
    cw = _check_class_weights(class_weights, n_out)
    pw = dict(period_weights or {})
    for k, v in pw.items():
        if not (np.isfinite(v) and v >= 0):
            raise errors.InvalidArgument(f"period_weights[{k!r}] = {v}: weights must be finite and non-negative")
    balanced = isinstance(decision_weight, str)
    if balanced and decision_weight != "balanced":
        raise errors.InvalidArgument(f"decision_weight = {decision_weight!r}, want a number or 'balanced'")
    if not ((balanced or decision_weight >= 0) and fixation_weight >= 0):
        raise errors.InvalidArgument("decision_weight and fixation_weight must be non-negative")
    if warn and env_name in _ADVICE:
        warnings.warn(f"nn4n.neurogym: {env_name}: {_ADVICE[env_name]}", stacklevel=2)

    def draw():
        trials = [_trial(base, dec_names, n_out) for _ in range(int(batch_size))]
        T = max(len(t[1]) for t in trials)
        n_in = trials[0][0].shape[1]
        x = np.zeros((len(trials), T, n_in))
        lab = np.full((len(trials), T), -1.0)
        w = np.zeros((len(trials), T))
        decm = np.zeros((len(trials), T), dtype=bool)
        pers = np.full((len(trials), T), "", dtype=object)
        for b, (ob, gt, dec, per, _, _) in enumerate(trials):
            n = len(gt)
            x[b, :n] = ob
            lab[b, :n] = gt
            decm[b, :n] = dec
            pers[b, :n] = per
            dw = decision_weight
            if balanced:  # the decision steps weigh as much as the others, and at least 5x a step
                dw = fixation_weight * max(5.0, float(np.sum(~dec)) / max(float(np.sum(dec)), 1.0))
            w[b, :n] = np.where(dec, dw, fixation_weight)
            for p, v in pw.items():
                w[b, :n][per == p] = v
        mask = np.repeat(w[:, :, None], n_out, axis=2)
        if cw is not None:
            mask = mask * cw[None, None, :]
        return {"inputs": x, "labels": lab, "mask": np.ascontiguousarray(mask), "decision": decm,
                "periods": pers}
    # read by nn4n.train.fit: it warns when the optimiser does not clip (None: warn=False)
    draw.recommended_max_norm = RECOMMENDED_MAX_NORM if warn else None
    draw.source = env_name
    return draw


def score_trials(pred, gt, spans, score="first"):
    """Decision correctness of trials from their predictions.

    ``pred`` and ``gt`` are lists of per-trial integer arrays (argmax of the
    output, ground truth), ``spans`` lists of (start, end) decision periods.
    Returns a bool array (trials × periods flattened per trial: one entry
    per trial, True when every decision period of the trial is correct).
    """
    if score not in ("first", "last"):
        raise errors.InvalidArgument(f"score = {score!r}, want 'first' or 'last'")
    out = np.zeros(len(pred), dtype=bool)
    for i, (p, g, sp) in enumerate(zip(pred, gt, spans)):
        ok = bool(sp)
        for (s, e) in sp:
            ps, gs = np.asarray(p[s:e]), np.asarray(g[s:e])
            if score == "last":
                ok &= bool(ps[-1] == gs[-1])
                continue
            resp = np.flatnonzero(ps != 0)
            if not np.any(gs != 0):
                ok &= resp.size == 0
            else:
                ok &= resp.size > 0 and bool(ps[resp[0]] == gs[resp[0]])
        out[i] = ok
    return out


def evaluate(model, env, n_trials=200, seed=None, decision=None, score="first", max_conditions=12):
    """Decision-period accuracy of ``model`` on ``n_trials`` new trials of ``env``.

    Returns a dict: ``accuracy`` (fraction of trials whose every decision
    period is correct, see the module doc), ``fixation`` (fraction of
    non-decision steps where the argmax is 0), ``per_condition``
    ({trial key: {value: accuracy}} for keys with at most ``max_conditions``
    values), and ``predictions``, ``ground_truth``, ``spans``, ``conditions``
    (per trial) to recompute the score.
    """
    base = _base(env)
    n_out = int(getattr(env, "env", env).action_space.n) if hasattr(getattr(env, "env", env), "action_space") \
        else int(base.action_space.n)
    dec_names = decision_periods(base, decision)
    native = model.native if hasattr(model, "native") else model
    if hasattr(model, "_sync"):
        model._sync()
    was = native.get("training")
    native.set("training", 0.0)
    preds, gts, spans, conds, fix_ok, fix_n = [], [], [], [], 0, 0
    try:
        if seed is not None and hasattr(base, "seed"):
            base.seed(seed)
        for _ in range(int(n_trials)):
            ob, gt, dec, _, sp, info = _trial(base, dec_names, n_out)
            y, _, _ = native.forward(ob[None], rates=False)
            p = np.argmax(y[0], axis=-1)
            preds.append(p)
            gts.append(gt)
            spans.append(sp)
            conds.append(info)
            fix_ok += int(np.sum(p[~dec] == gt[~dec]))
            fix_n += int(np.sum(~dec))
    finally:
        native.set("training", was)
    correct = score_trials(preds, gts, spans, score)
    per = {}
    keys = set().union(*[c.keys() for c in conds]) if conds else set()
    for k in sorted(keys):
        vals = [c.get(k) for c in conds]
        try:
            vals = [v if np.isscalar(v) or v is None else tuple(np.ravel(v).tolist()) for v in vals]
            uniq = sorted(set(vals), key=repr)
        except TypeError:
            continue
        if 1 < len(uniq) <= max_conditions:
            per[k] = {u: float(np.mean([c for c, v in zip(correct, vals) if v == u])) for u in uniq}
    return {"accuracy": float(np.mean(correct)) if len(correct) else float("nan"),
            "fixation": fix_ok / fix_n if fix_n else float("nan"), "per_condition": per,
            "predictions": preds, "ground_truth": gts, "spans": spans, "conditions": conds,
            "decision_periods": dec_names, "score": score}


def accuracy(model, env, n_trials=200, seed=None, decision=None, score="first"):
    """Decision-period accuracy of ``model`` on new trials (``evaluate(...)["accuracy"]``)."""
    return evaluate(model, env, n_trials=n_trials, seed=seed, decision=decision, score=score)["accuracy"]


class _Discrete:
    def __init__(self, n):
        self.n = int(n)


class _Box:
    def __init__(self, n):
        self.shape = (int(n),)


class MultiTask:
    """Several neurogym tasks behind one env, with a rule input (Yang et al. 2019).

    ``MultiTask(envs, names=None, seed=None, probs=None)``: every new trial
    draws a task (uniformly, or with ``probs``), runs its ``new_trial``
    and presents its observation padded to the widest task, followed by a
    one-hot rule input (one unit per task). Actions are shared: 0 =
    fixation, k = choice k, the number of outputs is the largest among the
    tasks. Each task's decision periods (:func:`decision_periods`) become
    "decision", "decision_2", ... and the trial info gets ``task`` (its
    name), so :func:`evaluate` reports per-task accuracy in
    ``per_condition["task"]``. Every task must have the same dt.
    """

    def __init__(self, envs, names=None, seed=None, probs=None):
        envs = list(envs)
        if len(envs) < 2:
            raise errors.InvalidArgument("MultiTask needs at least 2 tasks")
        self.envs = [_base(e) for e in envs]
        self.names = list(names) if names is not None else [type(e).__name__ for e in self.envs]
        if len(self.names) != len(self.envs):
            raise errors.InvalidArgument(f"MultiTask: {len(self.names)} names for {len(self.envs)} tasks")
        dts = sorted({float(e.dt) for e in self.envs})
        if len(dts) != 1:
            raise errors.InvalidArgument(f"MultiTask: the tasks have different dt {dts}; make them with the same "
                                         "env_kwargs={'dt': ...}")
        self.dt = dts[0]
        self._dec = [decision_periods(e) for e in self.envs]
        self.n_task_inputs = max(int(e.observation_space.shape[0]) for e in self.envs)
        self.observation_space = _Box(self.n_task_inputs + len(self.envs))
        self.action_space = _Discrete(max(int(e.action_space.n) for e in self.envs))
        self.decision_names = ["decision"] + [f"decision_{i + 1}" for i in range(1, max(map(len, self._dec)))]
        p = np.full(len(self.envs), 1.0 / len(self.envs)) if probs is None else np.asarray(probs, float)
        if p.shape != (len(self.envs),) or np.any(p < 0) or not p.sum() > 0:
            raise errors.InvalidArgument(f"MultiTask: probs must be {len(self.envs)} non-negative numbers")
        self.probs = p / p.sum()
        self.rng = np.random.default_rng(seed)
        self.start_ind, self.end_ind, self.ob, self.gt, self.task = {}, {}, None, None, None

    def seed(self, seed=None):
        """Seed the task choice and every task."""
        self.rng = np.random.default_rng(seed)
        for i, e in enumerate(self.envs):
            if hasattr(e, "seed"):
                e.seed(None if seed is None else int(seed) + 7919 * (i + 1))

    def new_trial(self, task=None):
        """A new trial of a random task (or of task index/name ``task``); returns its info."""
        i = self.rng.choice(len(self.envs), p=self.probs) if task is None else \
            (self.names.index(task) if isinstance(task, str) else int(task))
        e = self.envs[i]
        info = dict(e.new_trial() or {})
        ob = np.asarray(e.ob, dtype=np.float64)
        full = np.zeros((ob.shape[0], self.observation_space.shape[0]))
        full[:, :ob.shape[1]] = ob
        full[:, self.n_task_inputs + i] = 1.0
        self.ob, self.gt, self.task = full, np.asarray(e.gt), i
        rename = {p: ("decision" if j == 0 else f"decision_{j + 1}") for j, p in enumerate(self._dec[i])}
        self.start_ind = {rename.get(p, "task_" + p): v for p, v in e.start_ind.items()}
        self.end_ind = {rename.get(p, "task_" + p): v for p, v in e.end_ind.items()}
        info["task"] = self.names[i]
        return info
