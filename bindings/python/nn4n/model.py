# SPDX-License-Identifier: MIT
"""nn4n-compatible models: ``from nn4n.model import CTRNN``.

``CTRNN`` takes nn4n's (1.2) keyword arguments and returns what nn4n
returns, but runs (forward and exact BPTT) in libnn4n. It works with plain
numpy arrays, and with torch tensors when PyTorch is installed: then
``rnn.parameters()`` are ``torch.nn.Parameter`` mirrors that torch
optimisers update, and ``loss.backward()`` back-propagates through the
library. See the package README for the differences from nn4n (fixed
defects) and the mask orientation.
"""

import json
import os
import sys
import tempfile
import warnings

import numpy as np

from . import core, errors
from .core import Model

__all__ = ["CTRNN", "Model"]

_LAYER_NAMES = ("input", "hidden", "readout")
_NATIVE_W = ("w_in", "w_rec", "w_out")
_NATIVE_B = ("b_in", "b_rec", "b_out")
_NATIVE_MASK = ("mask_in", "mask_rec", "mask_out")
_NATIVE_SIGN = ("sign_in", "sign_rec", "sign_out")
_NATIVE_PLAS = ("plasticity_in", "plasticity_rec", "plasticity_out")
_TRAIN_B = ("train_bias_in", "train_bias_rec", "train_bias_out")

_KNOWN = {"dims", "preact_noise", "postact_noise", "activation", "tau", "dt", "weights", "biases",
          "sparsity_masks", "ei_masks", "plasticity_masks", "learn_alpha", "init_state",
          "suppress_warnings", "batch_first", "precision", "seed", "dale", "mask_orientation",
          "rec_noise", "synapse_growth_masks"}

# Deprecated nn4n arguments and the advice nn4n gives for each (our wording).
_DEPRECATED = {
    "ei_balance": "ei_balance is deprecated; E/I balance needs no setting.",
    "allow_negative": "allow_negative is deprecated; it needs no setting.",
    "use_dale": "use_dale is deprecated; pass ei_masks instead. Dale's law is not applied from this flag.",
    "new_synapses": "new_synapses is deprecated; pass sparsity_masks instead. No synapse constraint comes from this flag.",
    "learnable": "learnable is deprecated; pass plasticity_masks instead (a matrix of per-synapse learning rates).",
    "positivity_constraints": "positivity_constraints is deprecated; pass ei_masks instead (a matrix of signs).",
    "sparsity_constraints": "sparsity_constraints is deprecated; pass sparsity_masks instead (0 where a synapse is absent).",
    "scaling": "scaling is deprecated; pass weights instead (generate them with the scaling you want).",
    "self_connections": "self_connections is deprecated; pass sparsity_masks instead (zero the diagonal).",
    "layer_distributions": "layer_distributions is deprecated; pass weights instead (it takes a list of distributions).",
    "layer_biases": "layer_biases is deprecated; pass biases instead (it takes a list).",
    "layer_masks": "layer_masks is deprecated; pass sparsity_masks, ei_masks and plasticity_masks instead.",
}
_DIM_KEYS = ("input_dim", "hidden_size", "output_dim")
# Constructor arguments only nn4n ≤ 1.1 takes: they select its time-first layout.
_V11_ONLY = set(_DIM_KEYS) | set(_DEPRECATED) | {"init_state"}


def _restore_ctrnn(cls, data, state):
    """Unpickles a CTRNN (see CTRNN.__reduce__)."""
    return cls._restore(data, state)


def _stacklevel():
    """The stacklevel of the first caller outside this package, for warnings."""
    pkg = os.path.dirname(os.path.abspath(__file__))
    f, level = sys._getframe(1), 1
    while f is not None and os.path.dirname(os.path.abspath(f.f_code.co_filename)) == pkg:
        f, level = f.f_back, level + 1
    return level


class _TorchLayout:
    """The layout rule of forward: batch-first (B, T, I) unless the model is
    time-first (T, B, I); a 2-D input (T, I) is one trial and its outputs
    come back 2-D. A batch-first default (no batch_first argument) with
    input of shape (B > 1, 1, I), the shape of time-first nn4n 1.1 data of
    one trial, is rejected naming the fix instead of running B one-step
    trials. Works on numpy arrays and torch tensors."""

    def __init__(self, net, x):
        i = net.dims[0]
        self.ndim, self.tf = x.ndim, not net.batch_first
        want = "(T, B, I)" if self.tf else "(B, T, I)"
        shape = tuple(x.shape)
        if x.ndim not in (2, 3):
            raise errors.ShapeError(f"input: expected {want.replace('I', str(i))} or (T, {i}), got {shape}")
        if shape[-1] != i:
            lead = "(T, " if x.ndim == 2 else want[:-2]
            raise errors.ShapeError(f"input: expected {lead}{i}), got {lead}{shape[-1]}) (shape {shape}): "
                                    f"the model has {i} input(s)")
        if x.ndim == 3 and not self.tf and not net._layout_explicit and shape[1] == 1 and shape[0] > 1:
            raise errors.ShapeError(
                f"input of shape {shape} read batch-first (B, T, I) would be {shape[0]} trials of one step. "
                f"If it is time-first (T, B, I) data (nn4n 1.1), construct the CTRNN with batch_first=False "
                f"or import it from nn4n.legacy; pass batch_first=True to run one-step trials.")

    def _swap(self, a):
        return a.swapaxes(0, 1)

    def batch_first(self, x):
        if self.ndim == 2:
            return x[None]
        return self._swap(x) if self.tf else x

    def restore(self, y):
        if self.ndim == 2:
            return y[0]
        return self._swap(y) if self.tf else y


def _is_tensor(x):
    return type(x).__module__.startswith("torch") and hasattr(x, "detach")


def _to_numpy(x):
    if x is None:
        return None
    if _is_tensor(x):
        return x.detach().cpu().numpy()
    return np.asarray(x)


class _States(dict):
    """The hidden-state dict {"h": rates}; ``states[0]`` also gives "h"
    (nn4n ≤ 1.1 returned a one-element list)."""

    def __getitem__(self, k):
        if isinstance(k, int):
            if k in (0, -1):
                return dict.__getitem__(self, "h")
            raise IndexError(k)
        return dict.__getitem__(self, k)

    def __iter__(self):  # nn4n 1.1: `states, = ...` / list semantics when indexed
        return dict.__iter__(self)


class _Layer:
    """A view of one layer with nn4n's attribute names (weight, bias, masks)."""

    def __init__(self, net, idx):
        self._net, self._i = net, idx
        i, n, o = net.dims
        self.input_dim, self.output_dim = ((i, n), (n, n), (n, o))[idx]

    def _param(self, kind):
        net = self._net
        name = ("recurrent_layer.input_layer.", "recurrent_layer.hidden_layer.", "readout_layer.")[self._i] + kind
        if net._torch_params is not None:
            net._pull_if_needed()
            return net._torch_params[name]
        key = (_NATIVE_W if kind == "weight" else _NATIVE_B)[self._i]
        return net.native.get_array(key)

    @property
    def weight(self):
        """The weight (post, pre) — a torch Parameter when torch is in use."""
        return self._param("weight")

    @property
    def bias(self):
        return self._param("bias")

    @property
    def sparsity_mask(self):
        """(post, pre), or None."""
        return self._net._mask_or_none(_NATIVE_MASK[self._i])

    @property
    def ei_mask(self):
        """(post, pre) signs, or None."""
        return self._net._mask_or_none(_NATIVE_SIGN[self._i])

    @property
    def plasticity_mask(self):
        return self._net.native.get_array(_NATIVE_PLAS[self._i])

    def plot_layer(self):
        self._net._plot_matrix(self._i)

    def print_layer(self):
        self._net._print_layer(self._i)


class _RecurrentLayer:
    def __init__(self, net):
        self._net = net
        self.input_layer = _Layer(net, 0)
        self.hidden_layer = _Layer(net, 1)

    @property
    def alpha(self):
        return self._net.native.get_array("alpha")

    @property
    def hidden_state(self):
        return self._net.native.get_array("x0")

    @property
    def preact_noise(self):
        return self._net.native.get("pre_noise")

    @property
    def postact_noise(self):
        return self._net.native.get("post_noise")


class _CTRNNBase:
    """Continuous-time RNN with nn4n's interface, computed by libnn4n.

    Keyword arguments (nn4n 1.2): ``dims=[I, N, O]`` (default [1, 100, 1]),
    ``activation`` ("relu", "tanh", "sigmoid", "retanh"; also "softplus",
    "linear"), ``dt`` (10), ``tau`` (100; α = dt/τ), ``weights`` ("uniform",
    "normal", "zero" or arrays, one or a list of 3), ``biases`` (None =
    zero and frozen, "zero", "normal", "uniform" or arrays), ``sparsity_masks``,
    ``ei_masks``, ``plasticity_masks`` (lists of 3, None entries allowed),
    ``preact_noise``, ``postact_noise``, ``learn_alpha``.

    Extras: ``batch_first`` (True; False for nn4n ≤ 1.1 scripts, whose
    inputs are (T, B, I)), ``precision`` ("float32" like nn4n, or
    "float64"), ``seed`` (None draws one from numpy's global generator),
    ``dale`` ("clip" = nn4n's projection, "rectify", "abs"),
    ``mask_orientation`` ("pre_post" = what nn4n's mask classes return and
    nn4n's CTRNN takes, the default; "post_pre" = the weights' own shape),
    ``init_state`` ("zero", "learn", "keep": nn4n 1.1's option).

    ``forward(x, init_state=None)`` returns ``(output, {"h": rates})``.
    """

    def __init__(self, **kwargs):
        self._pre_init()
        self.kwargs_checkpoint = dict(kwargs)
        self._initialize(**kwargs)

    def _pre_init(self):
        pass

    # ------------------------------------------------------------ copies
    # Python attributes a copy keeps besides the library model's file.
    _COPY_ATTRS = ("batch_first", "_layout_explicit", "_legacy", "_init_state", "seed", "dt", "tau",
                   "mask_orientation", "kwargs_checkpoint", "activation", "preact_noise", "postact_noise",
                   "_learn_alpha", "_has_ei", "_last_state")

    def __reduce__(self):
        """Copies (pickle, copy.deepcopy, multiprocessing) carry the model by
        value: its .npz bytes and settings, never the library handle."""
        self._sync()
        with tempfile.TemporaryDirectory(prefix="nn4n-copy-") as d:
            path = os.path.join(d, "model.npz")
            self.native.save(path)
            with open(path, "rb") as f:
                data = f.read()
        state = {k: getattr(self, k) for k in self._COPY_ATTRS if hasattr(self, k)}
        state["_noise_rng_state"] = self._noise_rng.bit_generator.state
        state["training"] = bool(self.training)
        state["requires_grad"] = self._requires_grad_flags()
        return (_restore_ctrnn, (type(self), data, state))

    def _requires_grad_flags(self):
        return None

    def _set_requires_grad_flags(self, flags):
        pass

    @classmethod
    def _restore(cls, data, state):
        self = cls.__new__(cls)
        self._pre_init()
        with tempfile.TemporaryDirectory(prefix="nn4n-copy-") as d:
            path = os.path.join(d, "model.npz")
            with open(path, "wb") as f:
                f.write(data)
            self._initialize(dims=[1, 1, 1], seed=0, suppress_warnings=True, batch_first=True)
            for k in cls._COPY_ATTRS:
                if k in state:
                    setattr(self, k, state[k])
            self._adopt(Model.load(path))
        self._noise_rng = np.random.default_rng()
        self._noise_rng.bit_generator.state = state["_noise_rng_state"]
        self._set_requires_grad_flags(state.get("requires_grad"))
        self.train(state["training"])
        return self

    # ------------------------------------------------------------ building
    def _initialize(self, **kwargs):
        kwargs = dict(kwargs)
        self._layout_explicit = "batch_first" in kwargs
        v11 = sorted(k for k in kwargs if k in _V11_ONLY)
        if self._layout_explicit:
            self.batch_first = bool(kwargs.pop("batch_first"))
        else:
            # The layout rule: nn4n 1.1-only constructor arguments select nn4n
            # 1.1's time-first inputs (T, B, I); otherwise batch-first.
            self.batch_first = not v11
            if v11 and not kwargs.get("suppress_warnings", False):
                warnings.warn(f"nn4n 1.1 argument(s) {', '.join(v11)}: inputs are read time-first (T, B, I) "
                              "as nn4n 1.1 did; pass batch_first=True for (B, T, I) inputs.",
                              UserWarning, stacklevel=_stacklevel())
        self._legacy = not self.batch_first
        suppress = kwargs.pop("suppress_warnings", False)
        dims = kwargs.pop("dims", None)
        if any(k in kwargs for k in _DIM_KEYS):
            if dims is None:
                dims = [kwargs.pop("input_dim", 1), kwargs.pop("hidden_size", 100), kwargs.pop("output_dim", 1)]
            else:
                for k in _DIM_KEYS:
                    kwargs.pop(k, None)
            if not suppress:
                warnings.warn("input_dim, output_dim and hidden_size are deprecated; use dims=[input_dim, "
                              "hidden_size, output_dim].", UserWarning, stacklevel=_stacklevel())
        if dims is None:
            dims = [1, 100, 1]
        if "init_state" in kwargs and not (self._layout_explicit and self._legacy) and not suppress:
            warnings.warn("init_state is deprecated; pass the initial state to forward(x, init_state).",
                          UserWarning, stacklevel=_stacklevel())
        for k in list(kwargs):
            if k in _DEPRECATED:
                kwargs.pop(k)
                if not suppress:
                    warnings.warn(_DEPRECATED[k], UserWarning, stacklevel=_stacklevel())
        for k in kwargs:
            if k not in _KNOWN:
                warnings.warn(f"unrecognized parameter: {k}", UserWarning, stacklevel=_stacklevel())

        if not isinstance(dims, (list, tuple)) or len(dims) != 3:
            raise errors.InvalidArgument(f"dims must be a list [input_dim, hidden_size, output_dim], got {dims!r}")
        for d in dims:
            if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 0:
                raise errors.InvalidArgument(f"dims must hold non-negative integers, got {dims!r}")
        self.dims = [int(d) for d in dims]
        I, N, O = self.dims

        self.activation = kwargs.get("activation", "relu")
        self.dt = float(kwargs.get("dt", 10))
        self.tau = kwargs.get("tau", 100)
        self.preact_noise = float(kwargs.get("preact_noise", 0))
        self.postact_noise = float(kwargs.get("postact_noise", 0))
        self._learn_alpha = bool(kwargs.get("learn_alpha", False))
        self._init_state = kwargs.get("init_state", "zero") or "zero"
        if self._init_state not in ("zero", "learn", "keep"):
            raise errors.InvalidArgument(f"init_state = {self._init_state!r}, want 'zero', 'learn' or 'keep'")
        self.mask_orientation = kwargs.get("mask_orientation", "pre_post")
        if self.mask_orientation not in ("pre_post", "post_pre"):
            raise errors.InvalidArgument("mask_orientation must be 'pre_post' (nn4n) or 'post_pre' (weight shape)")
        seed = kwargs.get("seed")
        if seed is None:
            seed = int(np.random.randint(0, 2**31 - 1))
        self.seed = int(seed)
        self._noise_rng = np.random.default_rng(self.seed + 1)
        precision = kwargs.get("precision", "float32")

        old = getattr(self, "native", None)
        if old is not None:
            old.close()
        self.native = m = Model(I, N, O, precision=precision, seed=self.seed)
        m.set("activation", self.activation)
        m.set("head", "linear")
        m.set("dale", kwargs.get("dale", "clip"))
        tau = np.asarray(self.tau, dtype=np.float64)
        alpha = self.dt / tau
        if alpha.ndim == 0:
            m.set("alpha", float(alpha))
        else:
            m.set_array("alpha", np.broadcast_to(alpha, (N,)))
        m.set("learn_alpha", self._learn_alpha)
        m.set("pre_noise", self.preact_noise)
        m.set("post_noise", self.postact_noise)
        m.set("rec_noise", float(kwargs.get("rec_noise", 0.0)))
        m.set("train_x0", self._init_state == "learn")

        # masks (nn4n: lists of 3; entries None or arrays)
        sp = self._mask_list(kwargs.get("sparsity_masks"), "sparsity_masks")
        ei = self._mask_list(kwargs.get("ei_masks"), "ei_masks")
        pl = self._mask_list(kwargs.get("plasticity_masks"), "plasticity_masks")
        for idx in range(3):
            if sp[idx] is not None:
                m.set_array(_NATIVE_MASK[idx], (sp[idx] != 0).astype(np.float64))
            if ei[idx] is not None:
                m.set_array(_NATIVE_SIGN[idx], np.sign(ei[idx]))
            if pl[idx] is not None:
                m.set_array(_NATIVE_PLAS[idx], pl[idx])
        self._has_ei = any(e is not None for e in ei)

        # weights
        weights = kwargs.get("weights", "uniform")
        if weights is None:
            raise errors.InvalidArgument("weights cannot be None")
        if not isinstance(weights, list):
            weights = [weights] * 3
        if len(weights) != 3:
            raise errors.InvalidArgument("weights must be one value or a list of 3")
        m.set("balance", 1.0 if self._has_ei else 0.0)
        inits = {w for w in weights if isinstance(w, str)}
        drawn = {}
        for name in sorted(inits):
            if name not in ("uniform", "normal", "zero"):
                raise errors.InvalidArgument(f"weights: unknown distribution {name!r} (uniform, normal, zero)")
            m.set("init", name)
            m.reinitialize()
            drawn[name] = [m.get_array(k) for k in _NATIVE_W]
        if not drawn:
            m.set("init", "uniform")
            m.reinitialize()
        for idx, w in enumerate(weights):
            if isinstance(w, str):
                m.set_array(_NATIVE_W[idx], drawn[w][idx])
            else:
                shape = (self.dims[1], (I, N, N)[idx]) if idx < 2 else (O, N)
                m.set_array(_NATIVE_W[idx], self._as_weight(w, shape, f"weights[{idx}]"))

        # biases
        biases = kwargs.get("biases", None)
        if not isinstance(biases, list):
            biases = [biases] * 3
        if len(biases) != 3:
            raise errors.InvalidArgument("biases must be one value or a list of 3")
        rng = np.random.default_rng(self.seed + 2)
        for idx, b in enumerate(biases):
            size = (N, N, O)[idx]
            fan_in = (I, N, N)[idx]
            if b is None:
                vec, trained = np.zeros(size), False
            elif isinstance(b, str) or (np.isscalar(b) and b == 0):
                trained = True
                k = 1.0 / np.sqrt(max(fan_in, 1))
                if b == "zero" or b == 0:
                    vec = np.zeros(size)
                elif b == "uniform":
                    vec = rng.uniform(-k, k, size)
                elif b == "normal":
                    vec = rng.standard_normal(size) * k
                else:
                    raise errors.InvalidArgument(f"biases[{idx}]: unknown option {b!r}")
            else:
                vec, trained = _to_numpy(b).astype(np.float64).reshape(-1), True
                if vec.shape != (size,):
                    raise errors.ShapeError(f"biases[{idx}] must have shape ({size},), got {vec.shape}")
            m.set_array(_NATIVE_B[idx], vec)
            m.set(_TRAIN_B[idx], trained)

        self.training = True
        m.set("training", 1.0)
        self._last_state = None
        self._torch_params = None
        self._torch_versions = None
        self.recurrent_layer = _RecurrentLayer(self)
        self.readout_layer = _Layer(self, 2)

    def _mask_list(self, masks, what):
        if masks is None:
            return [None, None, None]
        if not isinstance(masks, (list, tuple)) or len(masks) != 3:
            raise errors.InvalidArgument(f"{what} must be a list of 3 entries (None or arrays)")
        I, N, O = self.dims
        shapes = [(N, I), (N, N), (O, N)]  # (post, pre)
        out = []
        for idx, mk in enumerate(masks):
            if mk is None:
                out.append(None)
                continue
            a = _to_numpy(mk)
            if a.dtype == object or not (np.issubdtype(a.dtype, np.number) or a.dtype == bool):
                raise errors.DTypeError(f"{what}[{idx}]: expected a numeric array, got dtype {a.dtype}")
            a = a.astype(np.float64)
            want = shapes[idx]
            if self.mask_orientation == "pre_post":
                if a.shape != want[::-1]:
                    hint = (" (that is the weight's (post, pre) shape: pass mask_orientation='post_pre')"
                            if a.shape == want else "")
                    raise errors.ShapeError(f"{what}[{idx}] must have nn4n's (pre, post) shape {want[::-1]}, "
                                            f"got {a.shape}{hint}")
                a = a.T
            elif a.shape != want:
                raise errors.ShapeError(f"{what}[{idx}] must have the weight's (post, pre) shape {want}, got {a.shape}")
            out.append(np.ascontiguousarray(a))
        return out

    @staticmethod
    def _as_weight(w, shape, what):
        a = _to_numpy(w)
        if a.dtype == object or not np.issubdtype(a.dtype, np.number):
            raise errors.DTypeError(f"{what}: expected a numeric array, got dtype {a.dtype}")
        a = a.astype(np.float64)
        if a.shape != shape:
            raise errors.ShapeError(f"{what} must have the (post, pre) shape {shape}, got {a.shape}")
        return a

    # --------------------------------------------------------------- state
    def _trained_keys(self):
        m = self.native
        keys = {"w_in", "w_rec", "w_out"}
        for k, flag in zip(_NATIVE_B, _TRAIN_B):
            if m.get(flag):
                keys.add(k)
        if m.get("learn_alpha"):
            keys.add("alpha")
        if m.get("train_x0"):
            keys.add("x0")
        return keys

    # The numpy façade has no torch Parameters; nn4n._torch.CTRNN overrides these.
    def _push_if_needed(self):
        pass

    def _pull_if_needed(self, force=True):
        pass

    def _sync(self):
        self._push_if_needed()

    # ------------------------------------------------------------- forward
    def forward(self, x, init_state=None):
        """Run the network. x is (B, T, I) (or (T, B, I) with batch_first=False).

        Returns ``(output, {"h": rates})``; arrays of the input's kind (numpy
        or torch), in the model's precision. ``init_state`` is the state x₀
        (pre-activation), shape (N,) or (B, N).
        """
        self._sync()
        if init_state is None and self._init_state == "keep" and self._last_state is not None:
            init_state = self._last_state
        if _is_tensor(x):
            raise errors.InvalidArgument("this CTRNN is the numpy façade (PyTorch was not importable when "
                                         "nn4n was imported): pass numpy arrays")
        xa = np.asarray(x)
        lay = _TorchLayout(self, xa)
        xa = lay.batch_first(xa)
        seed = int(self._noise_rng.integers(0, 2**53))
        self.native.set("seed", seed)
        want_states = self._init_state == "keep"
        y, r, s = self.native.forward(xa, None if init_state is None else _to_numpy(init_state),
                                      states=want_states)
        if want_states:
            self._last_state = s[:, -1, :].copy()
        dt = self.native._fwd_info()[1]
        y, r = y.astype(dt, copy=False), r.astype(dt, copy=False)
        return lay.restore(y), _States(h=lay.restore(r))

    __call__ = forward

    def _keep(self, xb, x0):
        _, _, s = self.native.forward(xb, x0, rates=False, states=True)
        self._last_state = s[:, -1, :].copy()

    # ------------------------------------------------------------ modes
    def train(self, mode=True):
        """Training mode (noise on; with nn4n's defect fixed, the noise is on
        from construction, not only after the first train() call)."""
        self.training = bool(mode)
        self.native.set("training", 1.0 if mode else 0.0)
        return self

    def eval(self):
        """Evaluation mode: no noise. (Dale's law still holds: the weights are
        projected after every update, not before a training forward.)"""
        return self.train(False)

    # ------------------------------------------------------- parameters
    def parameters(self):
        """torch Parameters: only with PyTorch installed (then CTRNN is a torch.nn.Module)."""
        raise errors.InvalidArgument("parameters() needs PyTorch: install torch (nn4n.CTRNN is then a "
                                     "torch.nn.Module), or train with fit()/train_steps()")

    named_parameters = parameters

    def state_dict(self):
        """nn4n-named weights as numpy arrays."""
        from ._torch_free import state_dict_numpy
        return state_dict_numpy(self)

    def load_state_dict(self, sd, strict=True):
        from ._torch_free import load_state_dict_numpy
        self._sync()
        load_state_dict_numpy(self, {k: _to_numpy(v) for k, v in sd.items()}, strict=strict)
        self._pull_if_needed()

    @property
    def layers(self):
        return [self.recurrent_layer.input_layer, self.recurrent_layer.hidden_layer, self.readout_layer]

    # ------------------------------------------------------ native extras
    def effective_weights(self):
        """{"w_in", "w_rec", "w_out"}: the constrained weights the dynamics use, (post, pre)."""
        self._sync()
        return self.native.effective_weights()

    def gradients(self, x, target=None, criterion=None, mask=None, labels=None, init_state=None):
        """Exact BPTT gradients as numpy arrays {native key: array}, and the loss terms.

        ``criterion``: an nn4n.criterion object (default RNNLoss MSE);
        inputs/targets follow ``batch_first``. Parameters do not change.
        """
        from .criterion import _objective_of
        self._sync()
        obj = _objective_of(criterion, self)
        u, tg, mk, lb = self._batch_arrays(x, target, mask, labels)
        mk = self._criterion_mask(criterion, u, mk, lb)
        self.native.set("seed", int(self._noise_rng.integers(0, 2**53)))
        terms = self.native.gradient(obj, u, tg, mk, lb)
        return self.native.grads(), terms

    def _batch_arrays(self, x, target, mask, labels):
        def bf(a, is_labels=False):
            if a is None:
                return None
            a = _to_numpy(a)
            if not self.batch_first:
                a = a.swapaxes(0, 1) if a.ndim >= 2 else a
            return a
        return bf(x), bf(target), bf(mask), bf(labels, True)

    def _criterion_mask(self, criterion, u, mk, lb):
        """The batch mask checked (B×T or B×T×O) and times the criterion's class weights."""
        from .criterion import _training_mask
        if u is None or np.ndim(u) != 3 or (mk is None and getattr(criterion, "class_weights", None) is None):
            return mk
        return _training_mask(criterion, mk, self.native.dims[2], np.shape(u)[:2], has_labels=lb is not None)

    def train_steps(self, x, target=None, criterion=None, optimizer=None, n_updates=1, mask=None,
                    labels=None):
        """``n_updates`` native optimiser steps on one batch; returns the last terms."""
        from .criterion import _objective_of
        from .optim import _optimizer_of
        self._sync()
        obj = _objective_of(criterion, self)
        opt = _optimizer_of(optimizer, self)
        u, tg, mk, lb = self._batch_arrays(x, target, mask, labels)
        mk = self._criterion_mask(criterion, u, mk, lb)
        try:
            _, terms = self.native.train(obj, opt, u, tg, mk, lb, n_updates=n_updates)
        finally:
            self._pull_if_needed()
        return terms

    def fit(self, data, target=None, criterion=None, optimizer=None, n_updates=1000, chunk=50,
            mask=None, labels=None, progress=True, callback=None):
        """Train with the library's optimiser, in chunks; see :func:`nn4n.train.fit`."""
        from .train import fit
        return fit(self, data, target=target, criterion=criterion, optimizer=optimizer,
                   n_updates=n_updates, chunk=chunk, mask=mask, labels=labels, progress=progress,
                   callback=callback)

    # --------------------------------------------------------- save/load
    def save(self, path):
        """``.npz`` (native, default; numpy.load reads it) or ``.pt``/``.pth``
        (nn4n's torch format: {"model_state_dict", "kwargs"})."""
        path = os.fspath(path)
        self._sync()
        if path.endswith((".pt", ".pth")):
            import torch
            sd = {k: torch.as_tensor(v).detach().to(torch.float64) for k, v in self.state_dict().items()}
            torch.save({"model_state_dict": sd, "kwargs": self._nn4n_kwargs()}, path)
        else:
            self.native.save(path)

    def load(self, path, map_location=None):
        """Load weights saved by :meth:`save` (``.npz``) or by nn4n (``.pt``/``.pth``) into this model."""
        path = os.fspath(path)
        if path.endswith((".pt", ".pth")):
            import torch
            ck = torch.load(path, map_location="cpu")
            kw = dict(ck.get("kwargs", {}))
            kw["suppress_warnings"] = True
            kw.setdefault("batch_first", self.batch_first)
            self._initialize(**kw)
            self.load_state_dict(ck["model_state_dict"], strict=False)
            return self
        loaded = Model.load(path)
        self._adopt(loaded)
        return self

    @classmethod
    def from_file(cls, path, **kwargs):
        """A new CTRNN from a ``.npz`` written by :meth:`save` (or nn4n's ``.pt``)."""
        path = os.fspath(path)
        self = cls.__new__(cls)
        self._pre_init()
        self.kwargs_checkpoint = {}
        if path.endswith((".pt", ".pth")):
            import torch
            ck = torch.load(path, map_location="cpu")
            kw = dict(ck.get("kwargs", {}))
            kw.update(kwargs)
            kw["suppress_warnings"] = True
            self._initialize(**kw)
            self.load_state_dict(ck["model_state_dict"], strict=False)
            return self
        self._initialize(dims=[1, 1, 1], seed=0, suppress_warnings=True, **kwargs)
        self._adopt(Model.load(path))
        return self

    def _adopt(self, m):
        """Replace the native model by ``m`` and read its settings."""
        self.native.close()
        self.native = m
        i, n, o = m.dims
        self.dims = [i, n, o]
        self.activation = m.get_str("activation")
        self.preact_noise = m.get("pre_noise")
        self.postact_noise = m.get("post_noise")
        self._learn_alpha = bool(m.get("learn_alpha"))
        self._has_ei = any(m.shape(k)[0] for k in _NATIVE_SIGN)
        self.training = bool(m.get("training"))
        self._torch_params = None
        self.recurrent_layer = _RecurrentLayer(self)
        self.readout_layer = _Layer(self, 2)

    def _nn4n_kwargs(self):
        """The constructor arguments nn4n itself understands (masks in (pre, post))."""
        m = self.native
        def masks(keys, conv):
            out = []
            for k in keys:
                r, c = m.shape(k)
                has = r * c > 0 and (k.startswith("sign") or not np.all(m.get_array(k) == 1))
                out.append(conv(m.get_array(k)).T.copy() if has else None)
            return out if any(v is not None for v in out) else None
        kw = {"dims": list(self.dims), "activation": self.activation, "dt": self.dt, "tau": self.tau,
              "preact_noise": self.preact_noise, "postact_noise": self.postact_noise,
              "biases": [("zero" if m.get(f) else None) for f in _TRAIN_B]}
        sp = masks(_NATIVE_MASK, lambda a: a)
        if sp is not None:
            kw["sparsity_masks"] = sp
        ei = masks(_NATIVE_SIGN, lambda a: a)
        if ei is not None:
            kw["ei_masks"] = ei
        return kw

    # ------------------------------------------------------ inspection
    def _mask_or_none(self, key):
        r, c = self.native.shape(key)
        return self.native.get_array(key) if r * c else None

    def print_layer(self):
        """Print the specifications of each layer."""
        m = self.native
        print("Recurrence:")
        specs = {"activation": m.get_str("activation"), "alpha_mean": m.get("alpha"),
                 "learn_alpha": bool(m.get("learn_alpha")), "preact_noise": m.get("pre_noise"),
                 "postact_noise": m.get("post_noise"), "dale": m.get_str("dale"),
                 "precision": m.get_str("precision"), "training": bool(m.get("training"))}
        _print_dict(specs)
        for i in range(3):
            self._print_layer(i)

    print_layers = print_layer  # nn4n ≤ 1.1 name

    def _print_layer(self, i):
        m = self.native
        w = m.get_array(_NATIVE_W[i] + "_eff")
        b = m.get_array(_NATIVE_B[i])
        title = ("Input Layer", "Hidden Layer", "Readout Layer")[i]
        print(f"{title}:")
        _print_dict({"input_dim": w.shape[1], "output_dim": w.shape[0],
                     "weight_min": float(w.min()) if w.size else 0.0,
                     "weight_max": float(w.max()) if w.size else 0.0,
                     "bias_learnable": bool(m.get(_TRAIN_B[i])),
                     "bias_min": float(b.min()) if b.size else 0.0, "bias_max": float(b.max()) if b.size else 0.0,
                     "sparsity": float(np.count_nonzero(w)) / max(w.size, 1),
                     "dale": m.shape(_NATIVE_SIGN[i])[0] > 0})

    def plot_layers(self, show=True):
        """Plot each layer's effective weight matrix and its distribution (needs matplotlib)."""
        figs = [self._plot_matrix(i, show=show) for i in range(3)]
        return figs

    plot_layer = plot_layers

    def _plot_matrix(self, i, show=True):
        from .plotting import plot_connectivity
        w = self.native.get_array(_NATIVE_W[i] + "_eff")
        title = ("Input Layer", "Hidden Layer", "Readout Layer")[i] + " (post, pre)"
        return plot_connectivity(w, title, show=show)

    def close(self):
        """Free the library model (also done when garbage-collected)."""
        tw = getattr(self.native, "_twin", None)
        if tw is not None:
            tw.close()
        self.native.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __repr__(self):
        if self.native.closed:
            return "CTRNN(closed)"
        return (f"CTRNN(dims={self.dims}, activation={self.activation!r}, "
                f"precision={self.native.precision!r}, dale={self.native.get_str('dale')!r})")


def _print_dict(d):
    w = max(len(k) for k in d)
    for k, v in d.items():
        print(f"   | {k}:{' ' * (w - len(k) + 1)}{v}")
    print()


def _init_signature():
    """The explicit signature help() and IDEs show for CTRNN(...)."""
    import inspect
    P = inspect.Parameter
    kw = [("dims", [1, 100, 1]), ("activation", "relu"), ("dt", 10), ("tau", 100), ("weights", "uniform"),
          ("biases", None), ("sparsity_masks", None), ("ei_masks", None), ("plasticity_masks", None),
          ("preact_noise", 0), ("postact_noise", 0), ("learn_alpha", False), ("batch_first", True),
          ("precision", "float32"), ("seed", None), ("dale", "clip"), ("mask_orientation", "pre_post"),
          ("rec_noise", 0.0), ("init_state", "zero")]
    params = [P("self", P.POSITIONAL_OR_KEYWORD)] + [P(k, P.KEYWORD_ONLY, default=d) for k, d in kw]
    params.append(P("deprecated_kwargs", P.VAR_KEYWORD))
    return inspect.Signature(params)


_CTRNNBase.__init__.__signature__ = _init_signature()


def _select():
    if os.environ.get("NN4N_NO_TORCH"):
        return _CTRNNBase
    try:
        import torch  # noqa: F401
    except ImportError:
        return _CTRNNBase
    from ._torch import CTRNN as _TorchCTRNN
    return _TorchCTRNN


CTRNN = _select()
CTRNN.__name__ = CTRNN.__qualname__ = "CTRNN"
CTRNN.__module__ = __name__
