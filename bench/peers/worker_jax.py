# SPDX-License-Identifier: MIT
"""Peer benchmark worker: the workload written in JAX, as a JAX user would.

Run with build/bench-venvs/jax/bin/python (bench/peers/setup_venvs.sh);
driven by bench/peers/run.py over the line protocol of bench/_proto.py.
The network, batch and initial parameters come from the ``.npz`` that
bench/peers/worker_nn4n.py wrote, so the model is nn4n's, in JAX:

    x_t = (1 − α) x_{t−1} + α (W_rec r_{t−1} + b_rec + W_in u_t + b_in),  x_0 = 0
    r_t = relu(x_t),   y_t = W_out r_t + b_out,   t = 1..T
    W_eff = W ⊙ exists;  loss = mean over (B, T, O) of (y − ŷ)²

``jax.jit`` over ``lax.scan`` for the recurrence (the input drive computed
for all steps at once, before the scan), ``jax.value_and_grad``,
``optax.adam(1e-3)`` and the Dale projection (nn4n's "clip") inside the
jitted update, parameters and optimiser state donated. JAX's default
threading on CPU.
"""

import os
import platform
import sys
import time

import numpy as np

import jax
import jax.numpy as jnp
import jaxlib
import optax

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from _proto import serve, timeit  # noqa: E402
from _check import residuals  # noqa: E402  (beside this script)

LR = 1e-3
NAMES = ("w_in", "w_rec", "w_out", "b_in", "b_rec", "b_out")
_states = {}  # shape key -> dict


def info():
    return {"impl": "jax", "jax": jax.__version__, "jaxlib": jaxlib.__version__,
            "optax": optax.__version__, "backend": jax.default_backend(),
            "devices": [str(d) for d in jax.devices()], "cpu_count": os.cpu_count(),
            "xla_flags": os.environ.get("XLA_FLAGS", ""), "numpy": np.__version__,
            "python": platform.python_version()}


def _key(n, b, t):
    return f"{n}x{b}x{t}"


def _load(path):
    z = np.load(path)
    params = {k: jnp.asarray(z[k]) for k in NAMES}
    const = {k: jnp.asarray(z[k]) for k in ("exists_in", "exists_rec", "exists_out",
                                             "sign_in", "sign_rec", "sign_out")}
    alpha = float(z["alpha"])
    return params, const, alpha, jnp.asarray(z["u"]), jnp.asarray(z["y"])


def _make(const, alpha):
    """forward, loss, projection and the jitted train step for one network."""

    def outputs(p, u):
        w_in = p["w_in"] * const["exists_in"]
        w_rec = p["w_rec"] * const["exists_rec"]
        w_out = p["w_out"] * const["exists_out"]
        drive = jnp.einsum("bti,ni->tbn", u, w_in) + p["b_in"] + p["b_rec"]
        x0 = jnp.zeros((u.shape[0], w_rec.shape[0]), u.dtype)

        def step(x, d):
            x = (1 - alpha) * x + alpha * (jax.nn.relu(x) @ w_rec.T + d)
            return x, jax.nn.relu(x)

        _, rates = jax.lax.scan(step, x0, drive)  # T × B × N
        return jnp.einsum("tbn,on->bto", rates, w_out) + p["b_out"]

    def loss_fn(p, u, y):
        return jnp.mean((outputs(p, u) - y) ** 2)

    def project(p):
        out = dict(p)
        for w, s in (("w_in", "in"), ("w_rec", "rec"), ("w_out", "out")):
            sign = const["sign_" + s]
            v = p[w] * const["exists_" + s]
            out[w] = jnp.where(sign > 0, jnp.maximum(v, 0), jnp.where(sign < 0, jnp.minimum(v, 0), v))
        return out

    opt = optax.adam(LR)

    def train_step(p, opt_state, u, y):
        loss, g = jax.value_and_grad(loss_fn)(p, u, y)
        updates, opt_state = opt.update(g, opt_state, p)
        p = project(optax.apply_updates(p, updates))
        return p, opt_state, loss

    return outputs, loss_fn, opt, train_step


def check(n, b, t, ref):
    """Loss, outputs and gradients on the shared batch, before any training
    step, against nn4n's (bench/peers/_check.py)."""
    st = _states[_key(n, b, t)]
    loss, g = jax.jit(jax.value_and_grad(st["loss_fn"]))(st["p"], st["u"], st["y"])
    mine = {"loss": float(loss), "outputs": np.asarray(st["fwd"](st["p"], st["u"]))}
    mine.update({"g_" + k: np.asarray(g[k]) for k in NAMES})
    return dict(residuals(mine, ref), loss=float(loss), dtype=str(st["u"].dtype))


def compile(n, b, t, data):
    """Load the shape's parameters and compile its forward and train step
    (``jit(...).lower(...).compile()``, timed apart from the runs)."""
    params, const, alpha, u, y = _load(data)
    outputs, loss_fn, opt, train_step = _make(const, alpha)
    opt_state = opt.init(params)
    t0 = time.perf_counter()
    fwd = jax.jit(outputs).lower(params, u).compile()
    t1 = time.perf_counter()
    trn = jax.jit(train_step, donate_argnums=(0, 1)).lower(params, opt_state, u, y).compile()
    t2 = time.perf_counter()
    _states[_key(n, b, t)] = {"fwd": fwd, "trn": trn, "p": params, "s": opt_state, "u": u, "y": y,
                             "loss_fn": loss_fn}
    return {"forward_compile": t1 - t0, "train_compile": t2 - t1}


def forward(n, b, t, min_time):
    st = _states[_key(n, b, t)]
    fwd, p, u = st["fwd"], st["p"], st["u"]

    def fn():
        fwd(p, u).block_until_ready()
    mean, iters, best = timeit(fn, min_time)
    return {"mean": mean, "iters": iters, "min": best}


def train(n, b, t, min_time):
    st = _states[_key(n, b, t)]
    trn, u, y = st["trn"], st["u"], st["y"]

    def fn():
        st["p"], st["s"], loss = trn(st["p"], st["s"], u, y)
        jax.block_until_ready((st["p"], loss))
    mean, iters, best = timeit(fn, min_time)
    return {"mean": mean, "iters": iters, "min": best}


def drop(n, b, t):
    _states.pop(_key(n, b, t), None)
    return {}


if __name__ == "__main__":
    serve({"info": info, "check": check, "compile": compile, "forward": forward, "train": train,
           "drop": drop})
