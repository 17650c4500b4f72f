"""Optional PyTorch bridge: nn4n models inside torch autograd.

Only imported when torch is installed and a torch tensor is passed (or
``parameters()`` is asked for). The forward pass and the backward pass (BPTT)
run in libnn4n; gradients reach the torch parameter mirrors through a
custom ``torch.autograd.Function`` whose backward is the library's exact
vector-Jacobian product (see :func:`nn4n.core.vjp`).
"""

import numpy as np
import torch

from . import core

# nn4n key -> native key
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


class _Forward(torch.autograd.Function):
    @staticmethod
    def forward(ctx, net, x_bt, x0, seed, *params):
        native = net.native
        native.set("seed", seed)
        y, r, _ = native.forward(x_bt.detach().cpu().numpy(), None if x0 is None else x0)
        ctx.net = net
        ctx.seed = seed
        ctx.x0 = x0
        ctx.save_for_backward(x_bt)
        dt = net._torch_dtype()
        return torch.from_numpy(y).to(dt), torch.from_numpy(r).to(dt)

    @staticmethod
    def backward(ctx, gy, gr):
        (x_bt,) = ctx.saved_tensors
        net = ctx.net
        if ctx.needs_input_grad[1]:
            raise RuntimeError("nn4n: gradients with respect to the inputs are not available "
                               "(the C ABI back-propagates to parameters only)")
        gy_np = None if gy is None else gy.detach().cpu().double().numpy()
        gr_np = None if gr is None else gr.detach().cpu().double().numpy()
        if gr_np is not None and not np.any(gr_np):
            gr_np = None
        grads = core.vjp(net.native, x_bt.detach().cpu().numpy(), gy_np, gr_np, ctx.x0, seed=ctx.seed)
        out = [None, None, None, None]
        for name, p in net._torch_params.items():
            g = grads.get(PARAM_KEYS[name])
            if g is None or not p.requires_grad:
                out.append(None)
            else:
                out.append(torch.from_numpy(np.ascontiguousarray(g)).to(p.dtype).reshape(p.shape))
        return tuple(out)


def forward(net, x_bt, x0):
    """Run ``net`` on a batch-first torch tensor; returns (outputs, rates) tensors."""
    seed = int(net._noise_rng.integers(0, 2**53))
    params = list(net._torch_params.values())
    return _Forward.apply(net, x_bt, x0, seed, *params)


def make_params(net):
    """Parameters mirroring the native arrays, in nn4n's names and shapes."""
    out = {}
    trained = net._trained_keys()
    for name, key in PARAM_KEYS.items():
        if key == "alpha" and not net._learn_alpha:
            continue
        if key == "x0" and net._init_state != "learn" and not net._legacy:
            continue
        v = net.native.get_array(key)
        p = torch.nn.Parameter(torch.from_numpy(v.copy()).to(net._torch_dtype()),
                               requires_grad=key in trained)
        out[name] = p
    return out
