# SPDX-License-Identifier: MIT
"""Moving networks between nn4n (PyTorch) and this library, both ways.

* :func:`from_torch` — a CTRNN from an nn4n (PyTorch) ``CTRNN`` instance, or
  from its ``state_dict()`` plus the settings it was built with.
* :func:`to_state_dict` — nn4n-named tensors (or arrays) to load into an
  nn4n ``CTRNN`` with ``load_state_dict`` (or :meth:`CTRNN.save` to
  ``.pt``, nn4n's own file format).

Weights are exported effective (projected), which is what nn4n stores after
its constraint enforcement. Masks move in nn4n's (pre, post) orientation.
"""

import numpy as np

from .model import CTRNN, _to_numpy

__all__ = ["from_torch", "from_state_dict", "to_state_dict", "to_torch"]


def _masks_of(layers, attr):
    out = []
    for layer in layers:
        m = getattr(layer, attr, None)
        out.append(None if m is None else _to_numpy(m).T.astype(np.float64))  # (post,pre) -> (pre,post)
    return out if any(m is not None for m in out) else None


def from_torch(torch_model, **kwargs):
    """A CTRNN equal to an nn4n (PyTorch) CTRNN: weights, biases, α, masks, activation, noise.

    The result is batch-first unless ``batch_first=False`` is passed (for an
    nn4n ≤ 1.1 model, whose forward takes (T, B, I)).
    """
    rl = torch_model.recurrent_layer
    layers = [rl.input_layer, rl.hidden_layer, torch_model.readout_layer]
    dims = [int(layers[0].weight.shape[1]), int(layers[1].weight.shape[0]), int(layers[2].weight.shape[0])]
    alpha = rl.alpha
    alpha = _to_numpy(alpha) if hasattr(alpha, "shape") else np.asarray(alpha)
    kw = dict(dims=dims, activation=getattr(rl, "act", "relu"), dt=float(np.mean(alpha)) * 100.0, tau=100.0,
              preact_noise=float(getattr(torch_model, "preact_noise", 0.0)),
              postact_noise=float(getattr(torch_model, "postact_noise", 0.0)),
              learn_alpha=bool(getattr(alpha, "requires_grad", False)),
              sparsity_masks=_masks_of(layers, "sparsity_mask"), suppress_warnings=True)
    ei = _masks_of(layers, "ei_mask")
    if ei is not None:
        # nn4n turns the zeros of an ei mask into -1; a synapse that the sparsity
        # mask removes has no sign here, so keep the ±1 values as they are.
        kw["ei_masks"] = ei
    kw["biases"] = [("zero" if l.bias.requires_grad else None) for l in layers]
    kw.update(kwargs)
    net = CTRNN(**kw)
    net.load_state_dict({k: _to_numpy(v) for k, v in torch_model.state_dict().items()}, strict=False)
    a = alpha.reshape(-1)
    if a.size > 1:
        net.native.set_array("alpha", np.broadcast_to(a, (dims[1],)))
    return net


def from_state_dict(state_dict, **ctrnn_kwargs):
    """A CTRNN built with ``ctrnn_kwargs`` (nn4n's arguments) holding ``state_dict``'s values."""
    sd = {k: _to_numpy(v) for k, v in state_dict.items()}
    if "dims" not in ctrnn_kwargs:
        w_in = sd["recurrent_layer.input_layer.weight"]
        w_out = sd["readout_layer.weight"]
        ctrnn_kwargs["dims"] = [int(w_in.shape[1]), int(w_in.shape[0]), int(w_out.shape[0])]
    net = CTRNN(**ctrnn_kwargs)
    net.load_state_dict(sd, strict=False)
    return net


def to_state_dict(net, as_torch=True):
    """nn4n-named parameters of ``net`` (torch tensors, or numpy with as_torch=False)."""
    from ._torch_free import state_dict_numpy
    net._sync()
    sd = state_dict_numpy(net)
    if not as_torch:
        return sd
    import torch
    return {k: torch.from_numpy(np.ascontiguousarray(v)).float() for k, v in sd.items()}


def to_torch(net, torch_ctrnn_class=None, **kwargs):
    """An nn4n (PyTorch) CTRNN with ``net``'s weights. ``torch_ctrnn_class`` is
    nn4n's ``CTRNN`` class (import it under another name: both packages are
    called nn4n)."""
    if torch_ctrnn_class is None:
        raise ValueError("pass the PyTorch nn4n CTRNN class as torch_ctrnn_class")
    kw = net._nn4n_kwargs()
    kw.update(kwargs)
    tm = torch_ctrnn_class(**kw)
    sd = to_state_dict(net)
    own = tm.state_dict()
    tm.load_state_dict({k: v.to(own[k].dtype) for k, v in sd.items() if k in own}, strict=False)
    return tm
