# SPDX-License-Identifier: MIT
"""PyTorch integration: :class:`nn4n.CTRNN` as a ``torch.nn.Module``.

Imported by :mod:`nn4n.model` whenever torch is importable. The module's
registered Parameters (nn4n's names: ``recurrent_layer.input_layer.weight``
…) are the torch side of the library model's arrays: a changed Parameter
(optimiser step, ``load_state_dict``, ``.double()``) is pushed to the
library before the next pass, which re-applies the constraints (Dale,
sparsity) and pulls the projected values back. One
``torch.autograd.Function`` runs the library forward; its backward is one
``nn4n_model_backward`` call (exact BPTT, the same noise replayed from the
pass's seed), which returns the gradients of the inputs, of the initial
state and of every parameter, so gradients reach upstream modules.
CPU tensors only.
"""

import numpy as np
import torch

from . import errors
from .model import _CTRNNBase, _NATIVE_MASK, _NATIVE_SIGN, _NATIVE_PLAS, _TorchLayout

# nn4n name -> native key
PARAM_KEYS = {
    "recurrent_layer.input_layer.weight": "w_in",
    "recurrent_layer.input_layer.bias": "b_in",
    "recurrent_layer.hidden_layer.weight": "w_rec",
    "recurrent_layer.hidden_layer.bias": "b_rec",
    "readout_layer.weight": "w_out",
    "readout_layer.bias": "b_out",
    "recurrent_layer.alpha": "alpha",
    "recurrent_layer.hidden_state": "x0",
}
_WEIGHT_NAMES = ("recurrent_layer.input_layer.weight", "recurrent_layer.hidden_layer.weight",
                 "readout_layer.weight")


def _numpy64(t):
    return np.ascontiguousarray(t.detach().to(torch.float64).numpy())


class _Pass(torch.autograd.Function):
    """y, r = CTRNN(x, x0); backward = nn4n_model_backward."""

    @staticmethod
    def forward(ctx, net, seed, x, x0, *params):
        native = net.native
        u, x0n = _numpy64(x), None if x0 is None else _numpy64(x0)
        native.set("seed", seed)
        y, r, _ = native.forward(u, x0n)
        ctx.net, ctx.seed, ctx.u, ctx.x0n = net, seed, u, x0n
        ctx.x0_dim = None if x0 is None else x0.dim()
        ctx.names = list(net._torch_params)
        ctx.set_materialize_grads(False)
        ctx.save_for_backward(*params)  # torch then rejects in-place changes before backward
        dt = x.dtype
        return torch.from_numpy(y).to(dt), torch.from_numpy(r).to(dt)

    @staticmethod
    def backward(ctx, gy, gr):
        params = ctx.saved_tensors
        net = ctx.net
        native = net.native
        gy_n = None if gy is None else _numpy64(gy)
        gr_n = None if gr is None else _numpy64(gr)
        native.set("seed", ctx.seed)
        gu, gx0, _ = native.backward(ctx.u, gy_n, gr_n, x0=ctx.x0n)
        dt = params[0].dtype if params else torch.float64
        out = [None, None, None, None]
        if ctx.needs_input_grad[2] and gu is not None:
            out[2] = torch.from_numpy(gu).to(dt)
        if ctx.needs_input_grad[3]:
            g = gx0.sum(axis=0) if ctx.x0_dim == 1 else gx0
            out[3] = torch.from_numpy(np.ascontiguousarray(g)).to(dt)
        for k, (name, p) in enumerate(zip(ctx.names, params)):
            if not ctx.needs_input_grad[4 + k]:
                out.append(None)
                continue
            g = native.grad(PARAM_KEYS[name])
            out.append(torch.from_numpy(np.ascontiguousarray(g)).to(p.dtype).reshape(p.shape))
        return tuple(out)


class _TorchLayer(torch.nn.Module):
    """One layer (input, hidden or readout) with nn4n's attribute names."""

    def __init__(self, net, idx):
        super().__init__()
        object.__setattr__(self, "_net", net)  # not a child module
        self._i = idx
        i, n, o = net.dims
        self.input_dim, self.output_dim = ((i, n), (n, n), (n, o))[idx]

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

    def extra_repr(self):
        return f"input_dim={self.input_dim}, output_dim={self.output_dim}"


class _TorchRecurrent(torch.nn.Module):
    def __init__(self, net):
        super().__init__()
        object.__setattr__(self, "_net", net)
        self.input_layer = _TorchLayer(net, 0)
        self.hidden_layer = _TorchLayer(net, 1)

    @property
    def preact_noise(self):
        return self._net.native.get("pre_noise")

    @property
    def postact_noise(self):
        return self._net.native.get("post_noise")


class CTRNN(torch.nn.Module, _CTRNNBase):
    __doc__ = _CTRNNBase.__doc__

    def __init__(self, **kwargs):
        _CTRNNBase.__init__(self, **kwargs)

    __init__.__signature__ = _CTRNNBase.__init__.__signature__

    def _pre_init(self):
        torch.nn.Module.__init__(self)
        self._register_state_dict_hook(_save_hook)
        self._register_load_state_dict_pre_hook(self._load_hook)

    def _requires_grad_flags(self):
        return {k: p.requires_grad for k, p in self._torch_params.items()}

    def _set_requires_grad_flags(self, flags):
        for k, v in (flags or {}).items():
            if k in self._torch_params:
                self._torch_params[k].requires_grad_(v)

    __reduce__ = _CTRNNBase.__reduce__

    # ------------------------------------------------------------ building
    def _drop_torch(self):
        for k in ("recurrent_layer", "readout_layer"):
            self._modules.pop(k, None)

    def _initialize(self, **kwargs):
        self._drop_torch()
        _CTRNNBase._initialize(self, **kwargs)
        self._build_torch()

    def _adopt(self, m):
        self._drop_torch()
        _CTRNNBase._adopt(self, m)
        self._build_torch()

    def _build_torch(self):
        """Register the submodules and Parameters from the library's arrays."""
        dt = self._torch_dtype()
        self.recurrent_layer = _TorchRecurrent(self)
        self.readout_layer = _TorchLayer(self, 2)
        trained = self._trained_keys()
        params = {}
        owners = {"recurrent_layer.input_layer": self.recurrent_layer.input_layer,
                  "recurrent_layer.hidden_layer": self.recurrent_layer.hidden_layer,
                  "recurrent_layer": self.recurrent_layer, "readout_layer": self.readout_layer}
        for name, key in PARAM_KEYS.items():
            owner_name, attr = name.rsplit(".", 1)
            owner = owners[owner_name]
            v = torch.from_numpy(self.native.get_array(key).copy()).to(dt)
            present = not ((key == "alpha" and not self._learn_alpha) or
                           (key == "x0" and self._init_state != "learn" and not self._legacy))
            if present:
                p = torch.nn.Parameter(v, requires_grad=key in trained)
                setattr(owner, attr, p)
                params[name] = p
            else:
                # a read-only view of the fixed value; hidden_state stays in the
                # state_dict (nn4n 1.1.1 always has it, and loads strictly), alpha not
                owner.register_buffer(attr, v, persistent=key == "x0")
        self._torch_params = params
        self._record_versions()

    def _torch_dtype(self):
        return torch.float32 if self.native.precision == "float32" else torch.float64

    def _ensure_torch(self):
        return self._torch_params

    def _apply(self, fn):
        probe = fn(torch.zeros(1, dtype=self._torch_dtype()))
        if probe.device.type != "cpu":
            raise errors.InvalidArgument(
                f"nn4n.CTRNN runs on the CPU only (libnn4n); got device {probe.device}. "
                "Keep the CTRNN on the CPU and move tensors with .cpu() around it.")
        if probe.dtype not in (torch.float32, torch.float64):
            raise errors.DTypeError(f"nn4n.CTRNN computes in float32 or float64, not {probe.dtype}")
        super()._apply(fn)
        want = "float32" if probe.dtype == torch.float32 else "float64"
        if want != self.native.precision:
            self._push_if_needed()
            self.native.set("precision", want)
        self._torch_versions = {}  # push everything before the next pass
        return self

    # --------------------------------------------------------------- sync
    def _record_versions(self):
        self._torch_versions = {k: p._version for k, p in self._torch_params.items()}

    def _push_if_needed(self):
        """Parameters → library (after an optimiser step), then pull the projection back."""
        changed = False
        for name, p in self._torch_params.items():
            if p._version != self._torch_versions.get(name):
                self.native.set_array(PARAM_KEYS[name], _numpy64(p))
                changed = True
        if changed:
            self._pull_if_needed()

    def _pull_if_needed(self, force=True):
        """library → Parameters (after native training or projection)."""
        native = self.native
        with torch.no_grad():
            for p, key, buf, src in self._pull_buffers():
                native.get_array_into(key, buf)
                p.copy_(src)
        self._record_versions()

    def _pull_buffers(self):
        """(Parameter, key, float64 buffer, the buffer as a tensor of the
        Parameter's shape) for every Parameter, kept from one pull to the
        next while the Parameters are the same: a pull after every native
        train call then allocates nothing and asks no shapes."""
        params = self._torch_params
        cache = self.__dict__.get("_pull_cache")
        if cache is not None and len(cache) == len(params) and all(
                e[0] is p and e[2].size == p.numel() for e, p in zip(cache, params.values())):
            return cache
        cache = []
        for name, p in params.items():
            buf = np.empty(p.numel(), dtype=np.float64)
            cache.append((p, PARAM_KEYS[name], buf, torch.from_numpy(buf).reshape(p.shape)))
        self.__dict__["_pull_cache"] = cache
        return cache

    # ------------------------------------------------------------ forward
    def forward(self, x, init_state=None):
        """Run the network. x is (B, T, I) (or (T, B, I) with batch_first=False).

        Returns ``(output, {"h": rates})``. With a torch tensor the result
        is differentiable with respect to x, ``init_state`` (the state x₀,
        (N,) or (B, N)) and every Parameter. The tensors must be on the CPU
        and of the model's dtype (``.double()``/``.float()`` change it).
        """
        if not torch.is_tensor(x):
            return _CTRNNBase.forward(self, x, init_state)
        if x.device.type != "cpu":
            raise errors.InvalidArgument(f"nn4n.CTRNN runs on the CPU only; the input is on {x.device}: "
                                         "pass x.cpu()")
        dt = self._torch_dtype()
        if x.dtype != dt:
            raise errors.DTypeError(f"input is {x.dtype} but the model computes in {dt}: pass "
                                    f"x.to({dt}) or convert the model with .{'double' if x.dtype == torch.float64 else 'float'}()")
        self._push_if_needed()
        if init_state is None and self._init_state == "keep" and self._last_state is not None:
            init_state = torch.from_numpy(self._last_state)
        lay = _TorchLayout(self, x)
        xb = lay.batch_first(x)
        x0 = None
        if init_state is not None:
            x0 = init_state if torch.is_tensor(init_state) else torch.as_tensor(np.asarray(init_state))
            if x0.device.type != "cpu":
                raise errors.InvalidArgument(f"init_state is on {x0.device}; nn4n.CTRNN runs on the CPU only")
            n = self.dims[1]
            if x0.shape not in ((n,), (xb.shape[0], n)):
                raise errors.ShapeError(f"init_state: expected ({n},) or (B, {n}) = ({xb.shape[0]}, {n}), "
                                        f"got {tuple(x0.shape)}")
        seed = int(self._noise_rng.integers(0, 2**53))
        y, r = _Pass.apply(self, seed, xb, x0, *self._torch_params.values())
        if self._init_state == "keep":
            self._keep(_numpy64(xb), None if x0 is None else _numpy64(x0))
        return lay.restore(y), _States(h=lay.restore(r))

    # ------------------------------------------------------------ modes
    def train(self, mode=True):
        """Training mode (noise on); eval() turns the noise off."""
        torch.nn.Module.train(self, mode)
        self.native.set("training", 1.0 if mode else 0.0)
        return self

    def eval(self):
        return self.train(False)

    def apply_plasticity(self):
        """Kept for nn4n scripts: the library's gradients are already scaled by
        the plasticity masks (as ``nn4n_model_get_grad`` returns them), so this
        changes nothing."""
        return None

    # ------------------------------------------------------- state_dict
    def _load_hook(self, state_dict, prefix, *args):
        """Before torch copies the values: numpy → tensors, a scalar α → (N,),
        nn4n's effective weights → raw (rectify/abs), and hidden_state/alpha
        entries this model holds fixed (nn4n 1.1.1 files) → the library."""
        native = self.native
        for name, key in PARAM_KEYS.items():
            k = prefix + name
            if k not in state_dict:
                if key == "x0" and name not in self._torch_params:
                    # a file written before hidden_state was kept in every
                    # state_dict: the fixed x0 keeps its value
                    state_dict[k] = self.recurrent_layer.hidden_state.detach().clone()
                continue
            v = state_dict[k]
            v = v.detach() if torch.is_tensor(v) else torch.as_tensor(np.asarray(v, dtype=np.float64))
            if key == "alpha" and v.dim() == 0:
                v = v.expand(self.dims[1]).clone()
            if name not in self._torch_params:  # fixed here: set the library and the buffer
                native.set_array(key, v.double().numpy().reshape(-1))
                owner, attr = name.rsplit(".", 1)
                if key == "x0":  # a persistent buffer: torch copies it
                    state_dict[k] = v.reshape(-1)
                else:
                    with torch.no_grad():
                        getattr(self.get_submodule(owner), attr).copy_(v.reshape(-1))
                    del state_dict[k]
                continue
            if key.startswith("w_") and native.get_str("dale") != "clip":
                # rectify/abs keep the sign in the transform: raw = eff · sign
                sk = "sign" + key[1:]
                r, c = native.shape(sk)
                if r * c:
                    v = v * torch.from_numpy(native.get_array(sk)).to(v.dtype)
            state_dict[k] = v

    def state_dict(self, *args, **kwargs):
        self._push_if_needed()
        return torch.nn.Module.state_dict(self, *args, **kwargs)

    def load_state_dict(self, state_dict, strict=True):
        res = torch.nn.Module.load_state_dict(self, state_dict, strict=strict)
        self._push_if_needed()
        return res

    def __repr__(self):
        return _CTRNNBase.__repr__(self)


def _save_hook(net, destination, prefix, local_metadata):
    """The state_dict holds the effective (constrained) weights, as nn4n's,
    and the library's x0 as ``recurrent_layer.hidden_state`` when it is fixed."""
    k = prefix + "recurrent_layer.hidden_state"
    if k in destination and "recurrent_layer.hidden_state" not in net._torch_params:
        destination[k] = torch.from_numpy(net.native.get_array("x0")).to(destination[k].dtype)
    if net.native.get_str("dale") == "clip":
        return
    for name, key in zip(_WEIGHT_NAMES, ("w_in", "w_rec", "w_out")):
        k = prefix + name
        if k in destination:
            destination[k] = torch.from_numpy(net.native.get_array(key + "_eff")).to(destination[k].dtype)


from .model import _States  # noqa: E402
