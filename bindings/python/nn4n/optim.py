# SPDX-License-Identifier: MIT
"""Library optimisers: ``nn4n.optim.Adam(lr=1e-3)``, ``nn4n.optim.SGD(lr=0.01, max_norm=1)``.

They run inside libnn4n (``CTRNN.fit``/``train_steps``, :mod:`nn4n.train`),
with global-norm clipping (``max_norm``, 0 = off), a NaN/Inf guard
(``guard``) and the plasticity masks applied to every update. One optimiser
per model (Adam keeps moments).
"""

from .core import Optimizer

__all__ = ["Optimizer", "Adam", "SGD"]


def Adam(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, max_norm=0.0, guard=True):
    """Adam with torch's defaults."""
    return Optimizer("adam", lr=lr, beta1=betas[0], beta2=betas[1], eps=eps, weight_decay=weight_decay,
                     max_norm=max_norm, guard=guard)


def SGD(lr=0.01, max_norm=1.0, guard=True):
    """Plain SGD with pycog's defaults (lr 0.01, global-norm clip 1, guard on)."""
    return Optimizer("sgd", lr=lr, max_norm=max_norm, guard=guard)


def _optimizer_of(optimizer, model=None):
    if optimizer is None:
        if model is not None:
            opt = getattr(model, "_default_optimizer", None)
            if opt is None or opt.closed:
                opt = model._default_optimizer = Adam()
            return opt
        return Adam()
    if isinstance(optimizer, Optimizer):
        return optimizer
    if isinstance(optimizer, str):
        return Optimizer(optimizer)
    raise TypeError(f"optimizer: expected nn4n.optim.Adam/SGD (an nn4n.core.Optimizer), got "
                    f"{type(optimizer).__name__}; torch optimisers work through model.parameters()")
