# SPDX-License-Identifier: MIT
"""nn4n's criteria: ``RNNLoss``, ``CompositeLoss`` and the single criteria,
plus the Song-Yang objective.

Each criterion is two things:

* a callable with nn4n's signature that evaluates the loss on arrays you
  pass (numpy, or torch tensors — then the result is a torch scalar that
  ``backward()`` differentiates, through the library for the network part);
* a library objective (:attr:`objective`) with exact analytic gradients,
  used by ``CTRNN.gradients``, ``CTRNN.fit``/``train_steps`` and
  :mod:`nn4n.train`.

Definitions follow nn4n 1.2 (batch-first states B×T×N):
  RNNLoss = λ_mse·mean (y−ŷ)² + λ_in‖W_in‖²_F/(N·I) + λ_hid‖W_rec‖²_F/N²
          + λ_out‖W_out‖²_F/(O·N) + λ_fr‖m‖²/N + λ_fr_sd·sd(m) + λ_fr_cv·sd(m̃)/mean(m̃)
with m the per-unit mean rate over batch and time, m̃ that of |r|, sd the
unbiased standard deviation. (nn4n 1.1.1 computed fr_sd as the sd of m² and
fr_cv over time only; 1.2 changed both to the above.)
"""

import math

import numpy as np

from . import errors
from .core import Objective

__all__ = ["RNNLoss", "CompositeLoss", "SongYangLoss", "FiringRateLoss", "FiringRateDistLoss",
           "RNNConnectivityLoss", "StatePredictionLoss", "EntropyLoss", "HebbianLoss",
           "CrossEntropyLoss", "MSELoss"]


def _is_torch(*xs):
    return any(type(x).__module__.startswith("torch") and hasattr(x, "detach") for x in xs if x is not None)


class _Ops:
    """The few array operations the criteria need, for numpy or torch."""

    def __init__(self, torch_mode):
        self.t = torch_mode
        if torch_mode:
            import torch
            self.m = torch
        else:
            self.m = np

    def mean(self, x, axis=None):
        if axis is None:
            return x.mean()
        return x.mean(dim=axis) if self.t else x.mean(axis=axis)

    def sum(self, x, axis=None):
        if axis is None:
            return x.sum()
        return x.sum(dim=axis) if self.t else x.sum(axis=axis)

    def std(self, x):
        return x.std() if self.t else x.std(ddof=1)

    def abs(self, x):
        return self.m.abs(x)

    def log(self, x):
        return self.m.log(x)

    def sqnorm(self, x):
        return (x * x).sum()

    def norm(self, x):
        return self.m.sqrt((x * x).sum())

    def asarray(self, x, like=None):
        if self.t:
            import torch
            if isinstance(x, torch.Tensor):
                return x
            return torch.as_tensor(np.asarray(x), dtype=like.dtype if like is not None else torch.float32)
        if hasattr(x, "detach"):
            x = x.detach().cpu().numpy()
        return np.asarray(x, dtype=np.float64)


def _weights(model, ops):
    """The three weight matrices of a CTRNN (torch mirrors in torch mode)."""
    if ops.t:
        p = dict(model.named_parameters())
        model._sync()
        return (p["recurrent_layer.input_layer.weight"], p["recurrent_layer.hidden_layer.weight"],
                p["readout_layer.weight"])
    w = model.effective_weights() if hasattr(model, "effective_weights") else model
    return w["w_in"], w["w_rec"], w["w_out"]


def _states_of(kwargs):
    for k in ("states", "state", "h"):
        if k in kwargs and kwargs[k] is not None:
            return kwargs[k]
    return None


def _batch_first(model, s):
    if s is not None and model is not None and not getattr(model, "batch_first", True) and s.ndim == 3:
        return s.transpose(0, 1) if hasattr(s, "transpose") and not isinstance(s, np.ndarray) else s.swapaxes(0, 1)
    return s


class _Criterion:
    """Base: holds the library objective, freed with ``close()``."""

    kind = None
    objective = None

    def _make_objective(self, kind, **settings):
        self.objective = Objective(kind, **settings)

    def close(self):
        if self.objective is not None:
            self.objective.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


class RNNLoss(_Criterion):
    """nn4n's RNNLoss: ``RNNLoss(model, lambda_mse=1, lambda_in=0, lambda_hid=0,
    lambda_out=0, lambda_fr=0, lambda_fr_sd=0, lambda_fr_cv=0)``.

    ``loss(pred, label, states=h)`` returns ``(total, terms)`` like nn4n
    (terms: the MSE then each term whose λ ≠ 0). Extra: ``masked=True``
    (an error mask for the MSE, passed as ``mask=``), ``weights`` ("effective"
    default | "raw").
    """

    LAMBDAS = ("lambda_in", "lambda_hid", "lambda_out", "lambda_fr", "lambda_fr_sd", "lambda_fr_cv")

    def __init__(self, model=None, **kwargs):
        if model is not None and not hasattr(model, "native"):
            raise TypeError("model must be an nn4n.model.CTRNN")
        self.model = model
        self.lambda_mse = float(kwargs.pop("lambda_mse", 1))
        self.lambdas = {k: float(kwargs.pop(k, 0)) for k in self.LAMBDAS}
        self.masked = bool(kwargs.pop("masked", False))
        weights = kwargs.pop("weights", "effective")
        if kwargs:
            raise errors.InvalidArgument(f"RNNLoss: unknown arguments {sorted(kwargs)}")
        self._make_objective("rnnloss", lambda_mse=self.lambda_mse, masked=self.masked, weights=weights,
                             **self.lambdas)

    def forward(self, pred, label, **kwargs):
        torch_mode = _is_torch(pred, label, _states_of(kwargs))
        ops = _Ops(torch_mode)
        pred = ops.asarray(pred)
        label = ops.asarray(label, like=pred)
        mask = kwargs.get("mask")
        if self.masked and mask is not None:
            mk = ops.asarray(mask, like=pred)
            mse = ops.sum(mk * (pred - label) ** 2) / ops.sum(mk)
        else:
            mse = ops.mean((pred - label) ** 2)
        terms = [self.lambda_mse * mse]
        lam = self.lambdas
        if lam["lambda_in"] or lam["lambda_hid"] or lam["lambda_out"]:
            if self.model is None:
                raise errors.StateError("RNNLoss: weight terms need the model (RNNLoss(model, ...))")
            w_in, w_rec, w_out = _weights(self.model, ops)
            for (key, w) in (("lambda_in", w_in), ("lambda_hid", w_rec), ("lambda_out", w_out)):
                if lam[key]:
                    terms.append(lam[key] * (ops.sqnorm(w) / max(w.shape[0] * w.shape[1], 1)))
        if lam["lambda_fr"] or lam["lambda_fr_sd"] or lam["lambda_fr_cv"]:
            s = _states_of(kwargs)
            if s is None:
                raise errors.InvalidArgument("RNNLoss: the firing-rate terms need states= (the 'h' output)")
            s = _batch_first(self.model, ops.asarray(s, like=pred))
            m = ops.mean(s, (0, 1))
            if lam["lambda_fr"]:
                terms.append(lam["lambda_fr"] * ops.sqnorm(m) / m.shape[0])
            if lam["lambda_fr_sd"]:
                terms.append(lam["lambda_fr_sd"] * ops.std(m))
            if lam["lambda_fr_cv"]:
                ma = ops.mean(ops.abs(s), (0, 1))
                terms.append(lam["lambda_fr_cv"] * ops.std(ma) / ops.mean(ma))
        if torch_mode:
            import torch
            vec = torch.stack([t if isinstance(t, torch.Tensor) else torch.as_tensor(t) for t in terms])
        else:
            vec = np.array([float(t) for t in terms])
        return vec.sum(), vec

    __call__ = forward


class SongYangLoss(_Criterion):
    """The Song, Yang & Wang (2016) objective as pycog: masked loss (``head`` =
    "squared" | "bce" | "softmax_ce") + L1/L2 penalties + rate penalty + Ω.

    Keys: lambda1_in, lambda1_rec, lambda1_out, lambda2_in, lambda2_rec,
    lambda2_out, lambda2_r (default 0), lambda_omega (default 2), weights
    ("raw" | "effective"). Training use only (it needs BPTT through the
    model): pass it as ``criterion=`` to ``fit``/``train_steps``/``gradients``.
    """

    def __init__(self, head="squared", **settings):
        self._make_objective("songyang", head=head, **settings)


# ------------------------------------------------------------ single criteria

class FiringRateLoss(_Criterion):
    """Mean-rate penalty: metric "l2" (mean m²) or "l1" (mean |m|)."""
    kind = "fr"

    def __init__(self, metric="l2", on="rates"):
        self.metric = metric
        self._make_objective("fr", metric=metric, on=on)

    def forward(self, states, **kwargs):
        ops = _Ops(_is_torch(states))
        m = ops.mean(ops.asarray(states), (0, 1))
        return ops.mean(ops.abs(m)) if self.metric == "l1" else ops.mean(m * m)

    __call__ = forward


class FiringRateDistLoss(_Criterion):
    """Spread of the per-unit mean rates: "sd", "cv", "mean_ad", "max_ad"."""
    kind = "fr_dist"

    def __init__(self, metric="sd", on="rates"):
        self.metric = metric
        self._make_objective("fr_dist", metric=metric, on=on)

    def forward(self, states, **kwargs):
        ops = _Ops(_is_torch(states))
        m = ops.mean(ops.asarray(states), (0, 1))
        if self.metric == "sd":
            return ops.std(m)
        if self.metric == "cv":
            return ops.std(m) / ops.mean(m)
        dev = ops.abs(m - ops.mean(m))
        return ops.mean(dev) if self.metric == "mean_ad" else dev.max()

    __call__ = forward


class RNNConnectivityLoss(_Criterion):
    """‖W‖_F or ‖W‖₁ of a layer ("all", "input", "hidden", "readout")."""
    kind = "rnn_conn"

    def __init__(self, layer="all", metric="fro", weights="effective"):
        self.layer, self.metric = layer, metric
        self._make_objective("rnn_conn", layer=layer, metric=metric, weights=weights)

    def forward(self, model, **kwargs):
        ops = _Ops(bool(getattr(model, "_torch_params", None)))
        ws = _weights(model, ops)
        pick = {"all": ws, "input": ws[:1], "hidden": ws[1:2], "readout": ws[2:]}[self.layer]
        norm = (lambda w: ops.sum(ops.abs(w))) if self.metric == "l1" else ops.norm
        total = 0
        for w in pick:
            total = total + norm(w)
        return total

    __call__ = forward


class StatePredictionLoss(_Criterion):
    """MSE between the state and itself ``tau`` steps later, along time (nn4n
    shifted the batch axis instead: fixed)."""
    kind = "state_pred"

    def __init__(self, tau=1, on="rates"):
        self.tau = int(tau)
        self._make_objective("state_pred", tau=self.tau, on=on)

    def forward(self, states, **kwargs):
        ops = _Ops(_is_torch(states))
        s = ops.asarray(states)
        if s.shape[1] <= self.tau:
            raise errors.InvalidArgument("StatePredictionLoss: the sequence is not longer than tau")
        d = s[:, :-self.tau] - s[:, self.tau:]
        return ops.mean(d * d)

    __call__ = forward


class EntropyLoss(_Criterion):
    """Entropy of the rate distribution across units + reg·mean ‖r‖²."""
    kind = "entropy"

    def __init__(self, reg=10.0, on="rates"):
        self.reg = float(reg)
        self._make_objective("entropy", reg=self.reg, on=on)

    def forward(self, states, **kwargs):
        ops = _Ops(_is_torch(states))
        s = ops.asarray(states)
        eps = 1e-8
        p = s / (ops.sum(s, -1)[..., None] + eps)
        ent = -ops.sum(p * ops.log(p + eps), -1)
        return ops.mean(ent) + self.reg * ops.mean(ops.sum(s * s, -1))

    __call__ = forward


class HebbianLoss(_Criterion):
    """mean_{b,t} |Σ_ij W_ij r_i r_j| with the recurrent weights."""
    kind = "hebbian"

    def __init__(self, weights="effective", on="rates"):
        self._make_objective("hebbian", weights=weights, on=on)

    def forward(self, states, weights, **kwargs):
        ops = _Ops(_is_torch(states, weights))
        s = ops.asarray(states)
        w = ops.asarray(weights, like=s)
        if ops.t:
            import torch
            q = torch.einsum("bti,ij,btj->bt", s, w, s)
        else:
            q = np.einsum("bti,ij,btj->bt", s, w, s)
        return ops.mean(ops.abs(q))

    __call__ = forward


def _class_weights(cw):
    if cw is None:
        return None
    v = np.asarray(cw.detach().cpu().numpy() if hasattr(cw, "detach") else cw, dtype=np.float64).ravel()
    if v.size == 0 or not np.all(np.isfinite(v)) or np.any(v < 0):
        raise errors.InvalidArgument("class_weights must be a non-empty vector of finite, non-negative numbers")
    return v


def _check_cw(cw, n_out):
    if cw is not None and cw.size != n_out:
        raise errors.InvalidArgument(f"class_weights has length {cw.size}, want {n_out} (one per output)")


def _step_mask(mask, shape, ops, like):
    """A mask of shape B×T or B×T×O as B×T×O (broadcast), or InvalidArgument."""
    mk = ops.asarray(mask, like=like)
    if tuple(mk.shape) == tuple(shape[:-1]):
        return mk[..., None]
    if tuple(mk.shape) != tuple(shape):
        raise errors.InvalidArgument(f"mask has shape {tuple(mk.shape)}, want {tuple(shape[:-1])} (per step) "
                                     f"or {tuple(shape)} (per output)")
    return mk


class CrossEntropyLoss(_Criterion):
    """Cross-entropy of softmax(pred) against soft targets (or integer labels
    in training). ``apply_softmax=False``: pred already holds probabilities.

    ``class_weights`` (one per output) weights each class as PyTorch's
    ``CrossEntropyLoss(weight=...)``; with integer labels and/or a ``mask``
    (B×T or B×T×O) the loss is Σ_s w_s·ℓ_s / Σ_s w_s with w_s = mask(s,
    label_s)·c_{label_s}. In training (``fit``/``train_steps``) the class
    weights are folded into the batch's error mask, which the library's
    cross-entropy reads exactly that way.
    """
    kind = "cross_entropy"

    def __init__(self, apply_softmax=True, class_weights=None):
        self.apply_softmax = bool(apply_softmax)
        self.class_weights = _class_weights(class_weights)
        self._make_objective("cross_entropy", no_softmax=0.0 if apply_softmax else 1.0)

    def forward(self, pred, target, mask=None, **kwargs):
        ops = _Ops(_is_torch(pred, target, mask))
        p = ops.asarray(pred)
        t = ops.asarray(target, like=p)
        if self.apply_softmax:
            z = p - p.max(-1, keepdims=True) if not ops.t else p - p.max(dim=-1, keepdim=True).values
            e = ops.m.exp(z)
            p = e / ops.sum(e, -1)[..., None]
        p = p.clip(1e-12, None) if not ops.t else p.clamp(min=1e-12)
        labels = tuple(t.shape) == tuple(p.shape[:-1])
        if labels:  # integer labels (negative = ignored) -> one-hot
            ti = t.long() if ops.t else t.astype(np.int64)
            keep = ti >= 0
            oh = ops.m.zeros_like(p)
            idx = ti.clamp(min=0) if ops.t else np.clip(ti, 0, None)
            if ops.t:
                oh.scatter_(-1, idx[..., None], 1.0)
                oh = oh * keep[..., None].to(p.dtype)
            else:
                np.put_along_axis(oh, idx[..., None], 1.0, axis=-1)
                oh = oh * keep[..., None]
            t = oh
        elif tuple(t.shape) != tuple(p.shape):
            raise errors.InvalidArgument(f"target has shape {tuple(t.shape)}, want {tuple(p.shape)} (soft targets) "
                                         f"or {tuple(p.shape[:-1])} (integer labels)")
        _check_cw(self.class_weights, p.shape[-1])
        ce = -t * ops.log(p)  # per class
        if self.class_weights is None and mask is None and not labels:
            return ops.mean(ops.sum(ce, -1))
        m = ops.m.ones_like(p) if mask is None else _step_mask(mask, p.shape, ops, p) * ops.m.ones_like(p)
        if self.class_weights is not None:
            m = m * ops.asarray(self.class_weights, like=p)
        if labels:  # step weight = mask at the label's class
            ws = ops.sum(m * t, -1)
            return ops.sum(ws * ops.sum(ce, -1)) / ops.sum(ws)
        if mask is not None:
            raise errors.InvalidArgument("CrossEntropyLoss: a mask applies to integer labels, not to soft targets")
        return ops.mean(ops.sum(m * ce, -1))  # PyTorch's soft-target rule with class weights

    __call__ = forward


class MSELoss(_Criterion):
    """Mean squared error over every entry (``masked=True``: Σ M(y−ŷ)²/Σ M).

    ``class_weights`` (one per output) multiply the mask along the output
    axis (and make the loss masked): Σ c_k M (y−ŷ)² / Σ c_k M. ``mask`` may
    be B×T (per step) or B×T×O.
    """
    kind = "mse"

    def __init__(self, masked=False, class_weights=None):
        self.class_weights = _class_weights(class_weights)
        self.masked = bool(masked) or self.class_weights is not None
        self._make_objective("mse", masked=1.0 if self.masked else 0.0)

    def forward(self, pred, target, mask=None, **kwargs):
        ops = _Ops(_is_torch(pred, target))
        p = ops.asarray(pred)
        t = ops.asarray(target, like=p)
        _check_cw(self.class_weights, p.shape[-1])
        if self.masked and (mask is not None or self.class_weights is not None):
            mk = ops.m.ones_like(p) if mask is None else _step_mask(mask, p.shape, ops, p) * ops.m.ones_like(p)
            if self.class_weights is not None:
                mk = mk * ops.asarray(self.class_weights, like=p)
            return ops.sum(mk * (p - t) ** 2) / ops.sum(mk)
        return ops.mean((p - t) ** 2)

    __call__ = forward


def _training_mask(criterion, mask, n_out, batch_shape, has_labels=True):
    """The error mask the library gets for a batch: ``mask`` (B×T or
    B×T×O) broadcast to B×T×O and times the criterion's class weights.
    ``batch_shape`` is (B, T); returns None when there is nothing to apply."""
    cw = getattr(criterion, "class_weights", None)
    if mask is None and cw is None:
        return None
    if isinstance(criterion, CrossEntropyLoss) and not has_labels:
        raise errors.InvalidArgument("CrossEntropyLoss: class weights and masks apply to integer labels in "
                                     "training (pass labels=, not soft targets)")
    shape = tuple(batch_shape) + (int(n_out),)
    _check_cw(cw, n_out)
    ops = _Ops(False)
    m = np.ones(shape) if mask is None else _step_mask(mask, shape, ops, None) * np.ones(shape)
    if cw is not None:
        m = m * cw
    return np.ascontiguousarray(m)


_CLASSES = {"fr": FiringRateLoss, "fr_dist": FiringRateDistLoss, "rnn_conn": RNNConnectivityLoss,
            "state_pred": StatePredictionLoss, "entropy": EntropyLoss, "mse": MSELoss,
            "cross_entropy": CrossEntropyLoss, "hebbian": HebbianLoss}
# nn4n parameter names -> library keys, where they differ
_PARAM_MAP = {"cross_entropy": {"apply_softmax": ("no_softmax", lambda v: 0.0 if v else 1.0)}}


class CompositeLoss(_Criterion):
    """nn4n's CompositeLoss(loss_cfg): ``{name: {"type", "params", "lambda"}}``.

    ``loss(loss_input_dict)`` returns ``(total, {name: λ·value})`` with the
    inputs per term as in nn4n ("mse"/"cross_entropy": pred, target; rate
    terms: states; "rnn_conn": model; "hebbian": states, weights). For
    training the same configuration is one library objective whose terms
    read the model's own outputs and rates ("mse"/"cross_entropy" against
    the batch targets or labels).
    """

    def __init__(self, loss_cfg):
        self.components = {}
        self._make_objective("composite")
        for name, spec in loss_cfg.items():
            kind = spec["type"]
            if kind not in _CLASSES:
                raise errors.UnknownKey(f"unknown loss type {kind!r} (known: {sorted(_CLASSES)})")
            params = dict(spec.get("params", {}) or {})
            lam = float(spec.get("lambda", 1.0))
            inst = _CLASSES[kind](**params)
            inst.close()  # its own objective is not needed
            self.components[name] = (inst, lam)
            settings = {}
            for k, v in params.items():
                if kind in _PARAM_MAP and k in _PARAM_MAP[kind]:
                    key, conv = _PARAM_MAP[kind][k]
                    settings[key] = conv(v)
                else:
                    settings[k] = v
            self.objective.add_term(kind, name=name, lam=lam, **settings)

    def forward(self, loss_input_dict):
        total = 0
        out = {}
        for name, (fn, lam) in self.components.items():
            if name not in loss_input_dict:
                raise KeyError(f"Loss input for '{name}' not provided in forward.")
            inputs = dict(loss_input_dict[name])
            if isinstance(fn, (MSELoss, CrossEntropyLoss)):
                inputs.setdefault("pred", inputs.pop("input", None))
                v = fn(inputs["pred"], inputs["target"])
            else:
                if "state" in inputs and "states" not in inputs:
                    inputs["states"] = inputs.pop("state")
                v = fn(**inputs)
            out[name] = lam * v
            total = total + out[name]
        return total, out

    __call__ = forward


def _objective_of(criterion, model=None):
    """The library objective for a criterion (default: RNNLoss MSE)."""
    if criterion is None:
        if model is not None:
            obj = getattr(model, "_default_objective", None)
            if obj is None or obj.closed:
                obj = model._default_objective = Objective("rnnloss")
            return obj
        return Objective("rnnloss")
    if isinstance(criterion, Objective):
        return criterion
    if isinstance(criterion, _Criterion):
        return criterion.objective
    if isinstance(criterion, str):
        return Objective(criterion)
    raise TypeError(f"criterion: expected an nn4n criterion or objective, got {type(criterion).__name__}")
