# SPDX-License-Identifier: MIT
"""Thin, numpy-level wrappers of the library objects.

These classes mirror the C ABI one to one (see include/nn4n.h): ``Model``,
``Objective``, ``Optimizer``, ``Structure``, ``Task`` and ``Trainer``. The
nn4n-compatible API (:mod:`nn4n.model`, :mod:`nn4n.mask`,
:mod:`nn4n.criterion`) is built on them.

Conventions: arrays are batch-first (inputs B×T×I, outputs B×T×O, rates and
states B×T×N) and weights are stored (post, pre): ``w_in`` N×I, ``w_rec``
N×N, ``w_out`` O×N; every mask has its weight's shape. Arrays cross the ABI
as float64; the compute precision is the model's ``precision`` setting.
"""

import collections
import ctypes
import os

import numpy as np

from . import _lib, errors
from ._handle import Handle
from ._lib import lib, cstr, as_f64, ptr
from ._lib import step_raw as _step_raw

__all__ = ["Model", "Objective", "Optimizer", "Structure", "Task", "Trainer", "KeyInfo", "keys"]

_VECTOR_KEYS = {"b_in", "b_rec", "b_out", "alpha", "x0"}
_PRECISIONS = {"float64": 0, "float32": 1, np.float64: 0, np.float32: 1, 0: 0, 1: 1}


def _precision_code(p):
    if isinstance(p, np.dtype):
        p = p.type
    if p in _PRECISIONS:
        return _PRECISIONS[p]
    if hasattr(p, "__name__") and p.__name__ in _PRECISIONS:
        return _PRECISIONS[p.__name__]
    text = str(p).replace("torch.", "")
    if text in _PRECISIONS:
        return _PRECISIONS[text]
    raise errors.InvalidArgument(f"precision = {p!r}, want 'float64' or 'float32'")


def _u64(h):
    return ctypes.c_uint64(0) if h is None else h


def _handle_of(obj):
    if obj is None:
        return 0
    if isinstance(obj, Handle):
        return obj.handle
    return int(obj)


def _check_ndim(name, arr, ndims):
    if arr.ndim not in ndims:
        raise errors.ShapeError(f"{name}: expected {' or '.join(str(n) + '-d' for n in ndims)} "
                                f"array, got shape {arr.shape}")


class KeyInfo(collections.namedtuple("KeyInfo", "name type access default doc lo hi")):
    """One setting as the library describes it (``nn4n_<kind>_key_info``).

    Fields: ``name``, ``type`` ("f64", "flag" (an f64 that is 0 or 1), "str"
    or "enum"), ``access`` ("rw" or
    "ro"), ``default`` (text), ``doc`` (one line), ``lo`` and ``hi`` (the
    bounds of a numeric key; -inf and inf when unbounded)."""

    __slots__ = ()

    def __str__(self):
        bounds = "" if self.type == "str" else " in [%g, %g]" % (self.lo, self.hi)
        return "%s (%s, %s%s, default %s): %s" % (self.name, self.type, self.access, bounds, self.default, self.doc)


class _Settings:
    """Mixin: get/set of f64 and string settings through a kind prefix."""

    _prefix = None

    def keys(self):
        """Every setting of this object, read from the library: a list of :class:`KeyInfo`."""
        count = ctypes.c_int64()
        self._fn("key_count")(self._h, ctypes.byref(count))
        out = []
        for i in range(count.value):
            needed, lo, hi = ctypes.c_int64(), ctypes.c_double(), ctypes.c_double()
            info = self._fn("key_info")
            info(self._h, i, None, 0, ctypes.byref(needed), ctypes.byref(lo), ctypes.byref(hi))
            buf = ctypes.create_string_buffer(max(int(needed.value), 1))
            info(self._h, i, buf, len(buf), ctypes.byref(needed), ctypes.byref(lo), ctypes.byref(hi))
            fields = buf.value.decode("utf-8", "replace").split("\t", 4)
            out.append(KeyInfo(*fields, lo.value, hi.value))
        return out

    def describe(self):
        """The settings of :meth:`keys`, one line each, as text."""
        return "\n".join(str(k) for k in self.keys())

    def _fn(self, verb):
        return getattr(lib, f"nn4n_{self._prefix}_{verb}")

    def get(self, key):
        """Numeric setting ``key``."""
        v = ctypes.c_double()
        self._fn("get_f64")(self._h, cstr(key), ctypes.byref(v))
        return v.value

    def get_str(self, key):
        """String setting ``key``."""
        return _lib.read_string(self._fn("get_str"), self._h, cstr(key))

    def set(self, key, value):
        """Set ``key`` to a number (``*_set_f64``) or a string (``*_set_str``)."""
        if isinstance(value, str):
            self._fn("set_str")(self._h, cstr(key), cstr(value))
        else:
            if isinstance(value, (bool, np.bool_)):
                value = float(value)
            self._fn("set_f64")(self._h, cstr(key), float(value))
        return self

    def configure(self, **settings):
        for k, v in settings.items():
            self.set(k, v)
        return self


# ===================================================================== model

class Model(_Settings, Handle):
    """A continuous-time RNN in the library (``nn4n_model_*``).

    >>> m = Model(2, 50, 3, precision="float32", seed=1, activation="relu")
    >>> y, r = m.forward(np.zeros((8, 100, 2)))[:2]
    """

    _free_name = "nn4n_model_free"
    _prefix = "model"

    def __init__(self, n_in, n_hid, n_out, precision="float64", seed=0, **settings):
        h = ctypes.c_uint64()
        lib.nn4n_model_create(int(n_in), int(n_hid), int(n_out), _precision_code(precision),
                              int(seed), ctypes.byref(h))
        self._own(h.value)
        self.configure(**settings)

    @classmethod
    def _wrap(cls, handle):
        self = cls.__new__(cls)
        self._own(handle)
        return self

    @classmethod
    def from_structure(cls, structure, precision="float64", seed=0, **settings):
        """A model whose dimensions and masks come from a built :class:`Structure`."""
        h = ctypes.c_uint64()
        lib.nn4n_model_create_from_structure(_handle_of(structure), _precision_code(precision),
                                             int(seed), ctypes.byref(h))
        self = cls._wrap(h.value)
        return self.configure(**settings)

    @classmethod
    def load(cls, path):
        """Read a model file written by :meth:`save` (``.npz``)."""
        h = ctypes.c_uint64()
        lib.nn4n_model_load(cstr(os.fspath(path)), ctypes.byref(h))
        return cls._wrap(h.value)

    def save(self, path):
        """Write the model as an ``.npz`` file (atomically) that ``numpy.load`` reads."""
        lib.nn4n_model_save(self._h, cstr(os.fspath(path)))

    # -- dimensions and settings
    @property
    def dims(self):
        """(inputs, units, outputs)."""
        return int(self.get("inputs")), int(self.get("units")), int(self.get("outputs"))

    @property
    def precision(self):
        return self.get_str("precision")

    @property
    def dtype(self):
        return np.float32 if self.precision == "float32" else np.float64

    @property
    def training(self):
        return bool(self.get("training"))

    @training.setter
    def training(self, on):
        self.set("training", 1.0 if on else 0.0)

    # -- arrays
    def shape(self, key):
        r, c = ctypes.c_int64(), ctypes.c_int64()
        lib.nn4n_model_shape(self._h, cstr(key), ctypes.byref(r), ctypes.byref(c))
        return int(r.value), int(c.value)

    def get_array(self, key):
        """A copy of array ``key`` (vectors as 1-d arrays, matrices (post, pre))."""
        rows, cols = self.shape(key)
        out = np.empty((rows, cols), dtype=np.float64)
        p, n = ptr(out)
        lib.nn4n_model_get_array(self._h, cstr(key), p, n)
        if key in _VECTOR_KEYS:
            return out.reshape(-1)
        return out

    def get_array_into(self, key, out):
        """Copy array ``key`` into ``out``, a C-contiguous float64 numpy array
        of its size (any shape): :meth:`get_array` without the shape query
        and the allocation. Returns ``out``."""
        if not isinstance(out, np.ndarray) or out.dtype != np.float64 or not out.flags.c_contiguous \
                or not out.flags.writeable:
            raise errors.DTypeError(f"{key}: get_array_into needs a writable C-contiguous float64 array")
        p, n = ptr(out)
        lib.nn4n_model_get_array(self._h, cstr(key), p, n)
        return out

    def set_array(self, key, values):
        """Replace array ``key``; ``None`` (or an empty array) removes a mask."""
        arr = None if values is None else as_f64(values, key)
        if arr is not None and arr.size == 0:
            arr = None
        p, n = ptr(arr)
        lib.nn4n_model_set_array(self._h, cstr(key), p, n)
        return self

    def effective_weights(self):
        """{"w_in", "w_rec", "w_out"}: the weights the dynamics use (masks and Dale applied)."""
        return {k: self.get_array(k + "_eff") for k in ("w_in", "w_rec", "w_out")}

    def reinitialize(self):
        lib.nn4n_model_reinitialize(self._h)
        return self

    def spectral_radius(self):
        v = ctypes.c_double()
        lib.nn4n_model_spectral_radius(self._h, ctypes.byref(v))
        return v.value

    # -- running
    def _batch(self, inputs, steps=None):
        """Validate inputs: returns (array B×T×I, B, T, squeezed)."""
        i, _, _ = self._fwd_info()[0]
        if inputs is None:
            if i != 0 or steps is None:
                raise errors.ShapeError("inputs: required (pass steps= only for a model with 0 inputs)")
            return None, 1, int(steps), True
        u = as_f64(inputs, "inputs")
        _check_ndim("inputs", u, (2, 3))
        squeeze = u.ndim == 2
        if squeeze:
            u = u[None]
        return u, u.shape[0], u.shape[1], squeeze

    def forward(self, inputs, x0=None, *, rates=True, states=False, steps=None):
        """Run a batch: inputs B×T×I (or T×I for one trial).

        Returns ``(outputs, rates, states)``: outputs B×T×O, rates r and
        states x B×T×N (``None`` for those not requested). Noise follows
        the ``training`` setting.
        """
        u, b, t, squeeze = self._batch(inputs, steps)
        _, n, o = self._fwd_info()[0]
        x = None if x0 is None else as_f64(x0, "x0")
        y = np.empty((b, t, o))
        r = np.empty((b, t, n)) if rates else None
        s = np.empty((b, t, n)) if states else None
        up, ul = ptr(u)
        xp, xl = ptr(x)
        yp, yl = ptr(y)
        rp, rl = ptr(r)
        sp, sl = ptr(s)
        lib.nn4n_model_forward(self._h, up, ul, b, t, xp, xl, yp, yl, rp, rl, sp, sl)
        if squeeze:
            y = y[0]
            r = None if r is None else r[0]
            s = None if s is None else s[0]
        return y, r, s

    def backward(self, inputs, grad_outputs=None, grad_rates=None, grad_states=None, x0=None, *,
                 outputs=False, steps=None):
        """Vector-Jacobian product of a forward pass (``nn4n_model_backward``).

        Runs the batch forward (noise as :meth:`forward` would draw it now)
        and back-propagates ⟨G_y, y⟩ + ⟨G_r, r⟩ + ⟨G_x, x⟩ through time;
        ``grad_*`` are B×T×O / B×T×N arrays or None (zero). Returns
        ``(grad_inputs B×T×I or None, grad_x0 B×N, outputs B×T×O or None)``;
        the parameter gradients are then read with :meth:`grad`/:meth:`grads`.
        """
        u, b, t, squeeze = self._batch(inputs, steps)
        i, n, o = self.dims

        def up(a, k, name):
            if a is None:
                return None
            a = as_f64(a, name)
            if a.shape != (b, t, k) and not (squeeze and a.shape == (t, k)):
                raise errors.ShapeError(f"{name}: expected shape {(b, t, k)}, got {a.shape}")
            return a
        gy, gr, gs = up(grad_outputs, o, "grad_outputs"), up(grad_rates, n, "grad_rates"), \
            up(grad_states, n, "grad_states")
        x = None if x0 is None else as_f64(x0, "x0")
        gu = np.empty((b, t, i)) if i > 0 else None
        gx = np.empty((b, n))
        y = np.empty((b, t, o)) if outputs else None
        args = [self._h, *ptr(u), b, t, *ptr(x), *ptr(gy), *ptr(gr), *ptr(gs), *ptr(y), *ptr(gu), *ptr(gx)]
        lib.nn4n_model_backward(*args)
        if squeeze:
            gu = None if gu is None else gu[0]
            y = None if y is None else y[0]
        return gu, gx, y

    def _step_fns(self):
        """Cached (dims, f64 step, f32 step or None) for :meth:`step`.

        Dimensions are fixed at creation; the float32 entry is set only for
        a model whose precision is float32 (``set("precision", ...)``
        clears the cache). The functions take raw addresses (``c_void_p``)
        so that a call builds no ctypes pointer objects.
        """
        c = self.__dict__.get("_stepc")
        if c is None:
            f32 = _step_raw("nn4n_model_step_f32") if self.precision == "float32" else None
            c = self._stepc = (self.dims, _step_raw("nn4n_model_step"), f32)
        return c

    def _fwd_info(self):
        """Cached (dims, dtype) for :meth:`forward`: dims are fixed at
        creation and the precision changes only through :meth:`set`, so a
        call asks the library for neither (five C calls)."""
        c = self.__dict__.get("_fwdc")
        if c is None:
            c = self._fwdc = (self.dims, self.dtype)
        return c

    def set(self, key, value):
        if key == "precision":
            for k in ("_fwdc", "_stepc", "_stepst", "_stepsp", "_stepbufs"):
                self.__dict__.pop(k, None)
        return super().set(key, value)

    def _step_buffers(self, dt, b, i, n, o):
        """Preallocated (inputs, rates, outputs) arrays of one dtype and batch
        size for :meth:`step`, with their addresses."""
        key = (dt, b)
        bufs = self.__dict__.setdefault("_stepbufs", {})
        e = bufs.get(key)
        if e is None:
            if len(bufs) > 8:
                bufs.clear()
            u, r, y = np.empty((b, i), dt), np.empty((b, n), dt), np.empty((b, o), dt)
            e = bufs[key] = (u, r, y, u.ctypes.data if i else None, r.ctypes.data, y.ctypes.data)
        return e

    def step(self, state, inputs=None, *, rates=False, outputs=True):
        """Advance states (batch×N) one step; returns ``(state, outputs, rates)``.

        A C-contiguous float64 state is updated in place (so is a float32
        one on a float32 model, through ``nn4n_model_step_f32``, with
        inputs, outputs and rates in float32); any other state is copied to
        float64 first. The outputs and rates returned are new arrays.
        Lengths are checked by the library.
        """
        (i, n, o), f64, f32 = self._step_fns()
        st = state
        if st is self.__dict__.get("_stepst"):
            sp = self._stepsp  # same object as the last call: same buffer (it is referenced here)
        else:
            if type(st) is not np.ndarray or not st.flags.c_contiguous or (
                    st.dtype != np.float64 and not (f32 is not None and st.dtype == np.float32)):
                st = as_f64(st, "state").copy()
            if st.ndim not in (1, 2):
                raise errors.ShapeError(f"state: expected 1 or 2 dimensions (batch×N), got {st.ndim}")
            sp = st.ctypes.data
            if st is state:
                self._stepst, self._stepsp = st, sp
        dt = st.dtype
        one = st.ndim == 1
        bsz = 1 if one else st.shape[0]
        ub, rb, yb, ubp, rbp, ybp = self._step_buffers(dt, bsz, i, n, o)
        if inputs is None:
            up, ul = None, 0
        else:
            u = inputs
            ush = u.shape if type(u) is np.ndarray else None
            if ush == ub.shape and u.dtype.kind in "fiub":
                ub[...] = u
                up, ul = ubp, ub.size
            elif one and ush == (i,) and u.dtype.kind in "fiub":
                ub[0] = u
                up, ul = ubp, ub.size
            else:
                u = as_f64(u, "inputs")
                if dt != np.float64:
                    u = u.astype(dt)
                up, ul = u.ctypes.data, u.size
        if _lib._forked or os.getpid() != _lib._pid:
            _lib.check_process()
        (f64 if dt == np.float64 else f32)(
            self._h, bsz, sp, st.size, up, ul,
            rbp if rates else None, rb.size if rates else 0,
            ybp if outputs else None, yb.size if outputs else 0)
        y = (yb[0].copy() if one else yb.copy()) if outputs else None
        r = (rb[0].copy() if one else rb.copy()) if rates else None
        return st, y, r

    def _objective_args(self, inputs, targets, mask, labels, steps=None):
        u, b, t, squeeze = self._batch(inputs, steps)
        tg = None if targets is None else as_f64(targets, "targets")
        mk = None if mask is None else as_f64(mask, "mask")
        lb = None if labels is None else as_f64(labels, "labels")
        if squeeze:
            tg = None if tg is None else tg[None]
            mk = None if mk is None else mk[None]
            lb = None if lb is None else lb[None]
        return u, tg, mk, lb, b, t, squeeze

    def gradient(self, objective, inputs, targets=None, mask=None, labels=None, steps=None):
        """Forward + objective + BPTT; returns the terms {name: value}.

        Read the gradients with :meth:`grad` / :meth:`grads` (scaled by
        plasticity and sparsity masks). Parameters do not change.
        """
        u, tg, mk, lb, b, t, _ = self._objective_args(inputs, targets, mask, labels, steps)
        args = [ptr(a) for a in (u, tg, mk, lb)]
        flat = [v for pair in args for v in pair]
        lib.nn4n_model_gradient(self._h, _handle_of(objective), *flat, b, t)
        return self.terms()

    def loss(self, objective, inputs, targets=None, mask=None, labels=None, steps=None):
        """Evaluate the objective without back-propagating: (terms, outputs)."""
        u, tg, mk, lb, b, t, squeeze = self._objective_args(inputs, targets, mask, labels, steps)
        o = self.dims[2]
        y = np.empty((b, t, o))
        args = [ptr(a) for a in (u, tg, mk, lb)]
        flat = [v for pair in args for v in pair]
        yp, yl = ptr(y)
        lib.nn4n_model_loss(self._h, _handle_of(objective), *flat, b, t, yp, yl)
        return self.terms(), (y[0] if squeeze else y)

    def train(self, objective, optimizer, inputs, targets=None, mask=None, labels=None,
              n_updates=1, steps=None):
        """Run ``n_updates`` optimiser steps on one batch.

        Returns ``(updates_done, terms)``. Raises :class:`nn4n.errors.Cancelled`
        if :meth:`cancel` stopped it (the updates made stay).
        """
        u, tg, mk, lb, b, t, _ = self._objective_args(inputs, targets, mask, labels, steps)
        args = [ptr(a) for a in (u, tg, mk, lb)]
        flat = [v for pair in args for v in pair]
        done = ctypes.c_int64()
        lib.nn4n_model_train(self._h, _handle_of(objective), _handle_of(optimizer), *flat, b, t,
                             int(n_updates), ctypes.byref(done))
        return int(done.value), self.terms()

    def cancel(self):
        """Ask a running (or the next) :meth:`train` call to stop before its next update."""
        lib.nn4n_model_cancel(self._h)

    def grad(self, key):
        """The last gradient of trained parameter ``key`` (shape of the parameter)."""
        rows, cols = self.shape(key)
        out = np.empty((rows, cols))
        p, n = ptr(out)
        lib.nn4n_model_get_grad(self._h, cstr(key), p, n)
        return out.reshape(-1) if key in _VECTOR_KEYS else out

    def grads(self):
        """{key: gradient} for every trained parameter."""
        out = {}
        for k in ("w_in", "w_rec", "w_out", "b_in", "b_rec", "b_out", "alpha", "x0"):
            try:
                out[k] = self.grad(k)
            except errors.UnknownKey:
                pass
        return out

    def terms(self):
        """The terms {name: value} of the last gradient, loss or train call (first: total)."""
        c = ctypes.c_int64()
        lib.nn4n_model_term_count(self._h, ctypes.byref(c))
        out = {}
        buf = ctypes.create_string_buffer(64)
        v = ctypes.c_double()
        for k in range(int(c.value)):
            lib.nn4n_model_term(self._h, k, buf, 64, ctypes.byref(v))
            out[buf.value.decode()] = v.value
        return out

    def __repr__(self):
        if self._closed:
            return "<nn4n.core.Model (closed)>"
        try:
            i, n, o = self.dims
            return f"<nn4n.core.Model {i}-{n}-{o} {self.precision}>"
        except errors.Nn4nError:
            return "<nn4n.core.Model (invalid)>"


# ================================================================ objective

class Objective(_Settings, Handle):
    """An objective (``nn4n_objective_*``): "songyang", "rnnloss", "composite"
    or a single criterion ("fr", "fr_dist", "rnn_conn", "state_pred",
    "entropy", "hebbian", "cross_entropy", "mse")."""

    _free_name = "nn4n_objective_free"
    _prefix = "objective"

    def __init__(self, kind, **settings):
        h = ctypes.c_uint64()
        lib.nn4n_objective_create(cstr(kind), ctypes.byref(h))
        self._own(h.value)
        self.kind = kind
        self.configure(**settings)

    def add_term(self, kind, name=None, lam=1.0, **settings):
        """Append a criterion to a "composite" objective; settings are per term."""
        lib.nn4n_objective_add_term(self._h, None if not name else cstr(name), cstr(kind), float(lam))
        prefix = name or kind
        for k, v in settings.items():
            self.set(f"{prefix}.{k}", v)
        return self


class Optimizer(_Settings, Handle):
    """An optimiser (``nn4n_optimizer_*``): "sgd" (pycog) or "adam" (torch defaults).

    Keys: lr, max_norm (global-norm clipping, 0 = off), guard, and for adam
    beta1, beta2, eps, weight_decay. ``Optimizer("adam", lr=1e-3)``.
    """

    _free_name = "nn4n_optimizer_free"
    _prefix = "optimizer"

    def __init__(self, kind="adam", **settings):
        h = ctypes.c_uint64()
        lib.nn4n_optimizer_create(cstr(kind), ctypes.byref(h))
        self._own(h.value)
        self.kind = kind
        self.configure(**settings)

    def get_str(self, key):  # no string keys for optimizers
        raise errors.UnknownKey(f"optimizers have no string settings ({key!r})")

    def reset(self):
        """Forget the state (Adam moments, step count)."""
        lib.nn4n_optimizer_reset(self._h)


# ================================================================ structure

class Structure(_Settings, Handle):
    """A mask generator (``nn4n_structure_*``): "multi_area", "multi_area_ei",
    "random_input", "multi_io", "pycog". Masks come out (post, pre)."""

    _free_name = "nn4n_structure_free"
    _prefix = "structure"

    def __init__(self, kind, n_in, n_hid, n_out, **settings):
        h = ctypes.c_uint64()
        lib.nn4n_structure_create(cstr(kind), int(n_in), int(n_hid), int(n_out), ctypes.byref(h))
        self._own(h.value)
        self.kind = kind
        for k, v in settings.items():
            if isinstance(v, (list, tuple, np.ndarray)):
                self.set_array(k, v)
            else:
                self.set(k, v)

    def get_str(self, key):
        raise errors.UnknownKey(f"structures have no readable string settings ({key!r})")

    def set_array(self, key, values):
        arr = as_f64(values, key).reshape(-1)
        p, n = ptr(arr)
        lib.nn4n_structure_set_array(self._h, cstr(key), p, n)
        return self

    def build(self):
        lib.nn4n_structure_build(self._h)
        return self

    def shape(self, key):
        r, c = ctypes.c_int64(), ctypes.c_int64()
        lib.nn4n_structure_shape(self._h, cstr(key), ctypes.byref(r), ctypes.byref(c))
        return int(r.value), int(c.value)

    def get_array(self, key):
        """Mask ``key`` ((post, pre)); ``None`` when absent (0×0)."""
        rows, cols = self.shape(key)
        if rows * cols == 0:
            return None
        out = np.empty((rows, cols))
        p, n = ptr(out)
        lib.nn4n_structure_get_array(self._h, cstr(key), p, n)
        return out.reshape(-1) if key == "unit_sign" else out

    def indices(self, key, area=0):
        c = ctypes.c_int64()
        lib.nn4n_structure_index_count(self._h, cstr(key), int(area), ctypes.byref(c))
        out = np.empty(int(c.value))
        p, n = ptr(out)
        lib.nn4n_structure_indices(self._h, cstr(key), int(area), p, n)
        return out.astype(np.int64)

    def area_name(self, area):
        return _lib.read_string(lib.nn4n_structure_area_name, self._h, int(area))


# ===================================================================== task

class Task(_Settings, Handle):
    """A Song et al. (2016) task as a seeded batch generator (``nn4n_task_*``).

    Names: rdm_dense, rdm_nodale, rdm_fixed, rdm_varstim, rdm_rt, mante,
    mante_areas, multisensory, romo, sinewave.
    """

    _free_name = "nn4n_task_free"
    _prefix = "task"
    CONDITION_COLUMNS = ("catch", "choice", "coherence", "sign", "context", "coh_motion",
                         "coh_colour", "sign_motion", "sign_colour", "modality", "freq",
                         "f1", "f2", "steps")

    def __init__(self, name, dt=20.0, **settings):
        h = ctypes.c_uint64()
        lib.nn4n_task_create(cstr(name), float(dt), ctypes.byref(h))
        self._own(h.value)
        self.name = name
        self.configure(**settings)

    def get_str(self, key):
        raise errors.UnknownKey(f"tasks have no string settings ({key!r})")

    def sample(self, n, kind="train", seed=0):
        """Draw n trials; returns dict(input B×T×I, target B×T×O, mask B×T×O, conditions)."""
        lib.nn4n_task_sample(self._h, cstr(kind), int(n), int(seed))
        return self._current()

    def sample_conditions(self, conditions, seed=0):
        """One trial per row of a conditions table (B×14, columns
        :attr:`CONDITION_COLUMNS`; choice and steps are ignored), e.g. a
        psychometric set with 0 % coherence. Returns what :meth:`sample` does."""
        table = as_f64(conditions, "conditions")
        if table.ndim != 2 or table.shape[1] != len(self.CONDITION_COLUMNS):
            raise errors.ShapeError(f"conditions: want B×{len(self.CONDITION_COLUMNS)}, got shape {table.shape}")
        p, n = ptr(table)
        lib.nn4n_task_sample_conditions(self._h, p, n, int(seed))
        return self._current()

    def psychometric(self, outputs, choice=0, fit=True):
        """P(choose output ``choice``) per stimulus (signed coherence, or
        frequency for multisensory and romo) over the current sample's
        non-catch trials. Returns dict(x, n, k) arrays and, with ``fit``, the
        cumulative-Gaussian fit dict(mu, sigma, mu_se, sigma_se)."""
        y = as_f64(outputs, "outputs")
        yp, yn = ptr(y)
        points = ctypes.c_int64()
        lib.nn4n_task_psychometric(self._h, yp, yn, int(choice), None, 0, ctypes.byref(points), None, 0)
        table = np.empty((points.value, 3))
        tp, tn = ptr(table)
        out = {}
        if fit:
            f = np.empty(4)
            fp, fn = ptr(f)
            lib.nn4n_task_psychometric(self._h, yp, yn, int(choice), tp, tn, ctypes.byref(points), fp, fn)
            out["fit"] = dict(zip(("mu", "sigma", "mu_se", "sigma_se"), f.tolist()))
        else:
            lib.nn4n_task_psychometric(self._h, yp, yn, int(choice), tp, tn, ctypes.byref(points), None, 0)
        out["x"], out["n"], out["k"] = table[:, 0], table[:, 1], table[:, 2]
        return out

    def _current(self):
        out = {}
        i, o = int(self.get("inputs")), int(self.get("outputs"))
        for key, last in (("input", i), ("target", o), ("mask", o)):
            rows, cols = self._shape(key)
            a = self._get(key, rows, cols)
            out[key] = a.reshape(rows, cols // last if last else 0, last) if last else a.reshape(rows, -1, 0)
        rows, cols = self._shape("conditions")
        out["conditions"] = self._get("conditions", rows, cols)
        return out

    def _shape(self, key):
        r, c = ctypes.c_int64(), ctypes.c_int64()
        lib.nn4n_task_shape(self._h, cstr(key), ctypes.byref(r), ctypes.byref(c))
        return int(r.value), int(c.value)

    def _get(self, key, rows, cols):
        out = np.empty((rows, cols))
        p, n = ptr(out)
        lib.nn4n_task_get_array(self._h, cstr(key), p, n)
        return out

    def score(self, outputs, metric="percent_correct"):
        """Score outputs (B×T×O of the current sample)."""
        y = as_f64(outputs, "outputs")
        p, n = ptr(y)
        v = ctypes.c_double()
        lib.nn4n_task_score(self._h, cstr(metric), p, n, ctypes.byref(v))
        return v.value


# ================================================================== trainer

HISTORY_COLUMNS = ("trials", "updates", "loss", "rmse", "perf", "best", "elapsed")


class Trainer(_Settings, Handle):
    """pycog's training protocol on (model, task, objective, optimizer)."""

    _free_name = "nn4n_trainer_free"
    _prefix = "trainer"

    def __init__(self, model, task, objective=None, optimizer=None, **settings):
        h = ctypes.c_uint64()
        lib.nn4n_trainer_create(_handle_of(model), _handle_of(task), _handle_of(objective),
                                _handle_of(optimizer), ctypes.byref(h))
        self._own(h.value)
        # keep the objects alive while the trainer may use them
        self._refs = (model, task, objective, optimizer)
        self.configure(**settings)

    def run(self, max_validations=1):
        """Train until the run ends or max_validations more validations: returns done."""
        done = ctypes.c_int32()
        lib.nn4n_trainer_run(self._h, int(max_validations), ctypes.byref(done))
        return bool(done.value)

    def cancel(self):
        lib.nn4n_trainer_cancel(self._h)

    def history(self):
        r, c = ctypes.c_int64(), ctypes.c_int64()
        lib.nn4n_trainer_shape(self._h, cstr("history"), ctypes.byref(r), ctypes.byref(c))
        out = np.empty((int(r.value), int(c.value)))
        p, n = ptr(out)
        lib.nn4n_trainer_get_array(self._h, cstr("history"), p, n)
        return out


# ======================================================== vector-Jacobian

def vjp(model, inputs, grad_outputs=None, grad_rates=None, x0=None, seed=None, steps=None):
    """Gradients of ⟨G_y, y⟩ + ⟨G_r, r⟩ with respect to every trained parameter.

    One call of ``nn4n_model_backward`` (see :meth:`Model.backward`).
    ``seed``, when given, is set on the model before the pass so that noise
    replays a forward pass run right after ``model.set("seed", seed)``.
    Returns {key: gradient}, scaled by plasticity as
    ``nn4n_model_get_grad`` returns it.
    """
    if seed is not None:
        model.set("seed", seed)
    model.backward(inputs, grad_outputs, grad_rates, x0=x0, steps=steps)
    return model.grads()


def keys(obj):
    """The settings of ``obj`` (a library object, or one of the kinds "model",
    "objective", "optimizer" for a default one), read from the library:
    a list of :class:`KeyInfo` (name, type, access, default, doc, lo, hi).
    """
    if isinstance(obj, str):
        makers = {"model": lambda: Model(1, 2, 1), "objective": lambda: Objective("mse"),
                  "optimizer": lambda: Optimizer("adam")}
        if obj not in makers:
            raise ValueError("nn4n.keys: kind %r: use one of %s, or pass an object (Structure, Task, "
                             "Trainer)" % (obj, ", ".join(sorted(makers))))
        obj = makers[obj]()
    if not isinstance(obj, _Settings):
        raise TypeError("nn4n.keys: %r is not an nn4n library object" % (obj,))
    return obj.keys()
