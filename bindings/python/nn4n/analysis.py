# SPDX-License-Identifier: MIT
"""Dynamics analysis of a trained model: fixed and slow points, Jacobians,
linearisation (Sussillo & Barak 2013), and the usual pictures.

The numerics run in the library (``nn4n_model_fixed_points``,
``nn4n_model_jacobian``, ``nn4n_model_linearize``): a Levenberg–Marquardt
search on F(x) − x with the exact Jacobian of the noise-free update
F(x; u) = (1−α)x + α(W_rec f(x) + b_rec + W_in u + b_in). This module only
converts arrays, does a PCA for plotting and draws.

>>> fp = fixed_points(model, states, u=np.zeros(3))
>>> fp.points[fp.stable]        # the stable fixed points
"""

import ctypes
from dataclasses import dataclass, field

import numpy as np

from . import errors
from ._lib import lib, as_f64, ptr

__all__ = ["FixedPoints", "fixed_points", "jacobian", "linearize", "sweep", "pca",
           "plot_fixed_points", "plot_spectra", "STABLE", "SADDLE", "UNSTABLE"]

STABLE, SADDLE, UNSTABLE = 0, 1, 2


def _native(model):
    """The core.Model behind ``model`` (a core.Model or an nn4n CTRNN)."""
    if hasattr(model, "native"):
        push = getattr(model, "_push_if_needed", None)
        if push is not None:
            push()
        return model.native
    return model


def _input(m, u):
    i = m.dims[0]
    if u is None:
        u = np.zeros(i)
    u = as_f64(u, "u").reshape(-1)
    if u.size != i:
        raise errors.ShapeError(f"u has {u.size} values, want the model's {i} inputs")
    return u


@dataclass
class FixedPoints:
    """Kept fixed (and slow) points, K of them, sorted by q, and every search.

    points (K×N), q (K), iterations (K), converged (K, bool), count (K: the
    searches that ended there), eigenvalues (K×N complex, by decreasing
    modulus), continuous (K×N complex: (λ−1)/ᾱ), n_unstable (K), stability
    (K: STABLE, SADDLE or UNSTABLE), u (the constant input). ends, end_q,
    end_iterations, end_converged and labels (n_init each) describe every
    search: its label is the index of its point, −1 not converged, −2 an
    outlier.
    """
    points: np.ndarray
    q: np.ndarray
    iterations: np.ndarray
    converged: np.ndarray
    count: np.ndarray
    eigenvalues: np.ndarray
    continuous: np.ndarray
    n_unstable: np.ndarray
    stability: np.ndarray
    u: np.ndarray
    ends: np.ndarray = field(repr=False)
    end_q: np.ndarray = field(repr=False)
    end_iterations: np.ndarray = field(repr=False)
    end_converged: np.ndarray = field(repr=False)
    labels: np.ndarray = field(repr=False)

    @property
    def stable(self):
        """Boolean mask of the stable points."""
        return self.stability == STABLE

    def __len__(self):
        return len(self.points)


def jacobian(model, x, u=None):
    """(∂F/∂x N×N, ∂F/∂u N×I) of the noise-free update at state x, input u."""
    m = _native(model)
    i, n, _ = m.dims
    x = as_f64(x, "x").reshape(-1)
    u = _input(m, u)
    jx, ju = np.empty((n, n)), np.empty((n, i))
    xp, xl = ptr(x)
    up, ul = ptr(u)
    jxp, jxl = ptr(jx)
    jup, jul = ptr(ju)
    lib.nn4n_model_jacobian(m._h, xp, xl, up, ul, jxp, jxl, jup, jul)
    return jx, ju


def linearize(model, x, u=None, top=0):
    """Eigen-decomposition of ∂F/∂x at (x, u).

    Returns a dict: eigenvalues (N complex, by decreasing modulus),
    continuous ((λ−1)/ᾱ), n_unstable, stability, and when top > 0 right and
    left (N×top complex: columns are the unit-norm eigenvectors of the top
    modes, J r = λ r, lᴴ J = λ lᴴ).
    """
    m = _native(model)
    n = m.dims[1]
    x = as_f64(x, "x").reshape(-1)
    u = _input(m, u)
    top = int(top)
    bufs = [np.empty(n) for _ in range(4)] + [np.empty((n, top)) if top > 0 else None for _ in range(4)]
    nu = ctypes.c_int64()
    args = []
    for b in bufs[:4]:
        args += list(ptr(b))
    tail = []
    for b in bufs[4:]:
        tail += list(ptr(b))
    xp, xl = ptr(x)
    up, ul = ptr(u)
    lib.nn4n_model_linearize(m._h, xp, xl, up, ul, *args, ctypes.byref(nu), top, *tail)
    out = {"eigenvalues": bufs[0] + 1j * bufs[1], "continuous": bufs[2] + 1j * bufs[3],
           "n_unstable": int(nu.value), "stability": _class(int(nu.value), n)}
    if top > 0:
        out["right"] = bufs[4] + 1j * bufs[5]
        out["left"] = bufs[6] + 1j * bufs[7]
    return out


def _class(k, n):
    return STABLE if k == 0 else (UNSTABLE if k == n else SADDLE)


def fixed_points(model, states, u=None, *, tol=1e-12, slow_q=0.0, max_iter=100, dedup_tol=1e-6,
                 outlier_scale=10.0, noise=0.0, seed=0):
    """Fixed (and slow) points of the noise-free update with constant input u.

    states (P×N, or any array whose last axis is N, e.g. B×T×N trajectories)
    are the initial states; ``noise`` > 0 adds N(0, noise²) to them (seeded).
    Searches that reach q = ½‖F(x)−x‖² < tol converge; slow_q > tol also
    keeps slow points; dedup_tol merges points; outlier_scale drops points
    farther than that many RMS radii of the initial states from their
    centroid (< 0 keeps all). Returns :class:`FixedPoints`.
    """
    m = _native(model)
    n = m.dims[1]
    x0 = as_f64(states, "states")
    if x0.shape[-1] != n:
        raise errors.ShapeError(f"states have last axis {x0.shape[-1]}, want N = {n}")
    x0 = np.ascontiguousarray(x0.reshape(-1, n))
    if noise:
        x0 = x0 + np.random.default_rng(seed).normal(0.0, float(noise), x0.shape)
    p = x0.shape[0]
    u = _input(m, u)
    ends, q, it, conv, lab = np.empty((p, n)), np.empty(p), np.empty(p), np.empty(p), np.empty(p)
    k = ctypes.c_int64()
    args = []
    for b in (ends, q, it, conv, lab):
        args += list(ptr(b))
    up, ul = ptr(u)
    xp, xl = ptr(x0)
    lib.nn4n_model_fixed_points(m._h, up, ul, xp, xl, p, float(tol), float(slow_q), int(max_iter),
                                float(dedup_tol), float(outlier_scale), *args, ctypes.byref(k))
    lab = lab.astype(np.int64)
    kk = int(k.value)
    rep = np.empty(kk, dtype=np.int64)
    count = np.zeros(kk, dtype=np.int64)
    for j in range(kk):
        idx = np.flatnonzero(lab == j)
        rep[j] = idx[np.argmin(q[idx])]
        count[j] = idx.size
    eig = np.empty((kk, n), dtype=complex)
    cont = np.empty((kk, n), dtype=complex)
    nun = np.empty(kk, dtype=np.int64)
    for j in range(kk):
        lin = linearize(m, ends[rep[j]], u)
        eig[j], cont[j], nun[j] = lin["eigenvalues"], lin["continuous"], lin["n_unstable"]
    stab = np.array([_class(v, n) for v in nun], dtype=np.int64)
    return FixedPoints(points=ends[rep].copy(), q=q[rep].copy(), iterations=it[rep].astype(np.int64),
                       converged=conv[rep] > 0, count=count, eigenvalues=eig, continuous=cont,
                       n_unstable=nun, stability=stab, u=u, ends=ends, end_q=q,
                       end_iterations=it.astype(np.int64), end_converged=conv > 0, labels=lab)


def sweep(model, states, u0, u1, steps, **kwargs):
    """fixed_points at ``steps`` inputs evenly spaced from u0 to u1 (a line
    attractor search, Mante et al. 2013); each search also starts from the
    points found at the previous input. Returns a list of FixedPoints."""
    m = _native(model)
    u0, u1 = _input(m, u0), _input(m, u1)
    if int(steps) < 2:
        raise errors.InvalidArgument(f"steps = {steps}, want ≥ 2")
    n = m.dims[1]
    base = as_f64(states, "states").reshape(-1, n)
    out, prev = [], np.empty((0, n))
    for t in np.linspace(0.0, 1.0, int(steps)):
        fp = fixed_points(m, np.vstack([base, prev]), (1 - t) * u0 + t * u1, **kwargs)
        out.append(fp)
        prev = fp.points
    return out


def pca(data, k=3):
    """(mean, components k×N, explained variance ratio) of the rows of data
    (any array whose last axis is N)."""
    x = np.asarray(data, dtype=float)
    x = x.reshape(-1, x.shape[-1])
    mu = x.mean(axis=0)
    _, s, vt = np.linalg.svd(x - mu, full_matrices=False)
    var = s ** 2
    return mu, vt[:k], var[:k] / var.sum()


_COLOURS = {STABLE: "tab:blue", SADDLE: "tab:red", UNSTABLE: "tab:orange"}
_NAMES = {STABLE: "stable", SADDLE: "saddle", UNSTABLE: "unstable"}


def plot_fixed_points(fp, trajectories=None, ax=None, max_trajectories=20):
    """Trajectories (B×T×N, grey) and fixed points in the top-3 PCs of the
    trajectories (or of the points), coloured by stability. Returns the axes."""
    import matplotlib.pyplot as plt
    ref = trajectories if trajectories is not None else fp.points
    mu, comp, _ = pca(ref, 3)
    if ax is None:
        ax = plt.figure(figsize=(6, 5)).add_subplot(projection="3d")
    if trajectories is not None:
        tr = np.asarray(trajectories)
        for b in range(min(len(tr), max_trajectories)):
            z = (tr[b] - mu) @ comp.T
            ax.plot(*z.T[:3], color="0.7", lw=0.6)
    z = (fp.points - mu) @ comp.T
    for cls in (STABLE, SADDLE, UNSTABLE):
        sel = fp.stability == cls
        if sel.any():
            ax.scatter(*z[sel].T[:3], color=_COLOURS[cls], s=30, label=f"{_NAMES[cls]} ({sel.sum()})",
                       depthshade=False)
    ax.set_xlabel("PC1")
    ax.set_ylabel("PC2")
    ax.set_zlabel("PC3")
    ax.legend(loc="upper left")
    return ax


def plot_spectra(fp, ax=None, which=None):
    """Eigenvalues of the Jacobian at the points (``which``: indices, default
    all) against the unit circle, coloured by stability. Returns the axes."""
    import matplotlib.pyplot as plt
    if ax is None:
        ax = plt.figure(figsize=(5, 5)).add_subplot()
    t = np.linspace(0, 2 * np.pi, 400)
    ax.plot(np.cos(t), np.sin(t), color="k", lw=0.8)
    idx = range(len(fp)) if which is None else which
    for j in idx:
        ev = fp.eigenvalues[j]
        ax.scatter(ev.real, ev.imag, s=6, color=_COLOURS[int(fp.stability[j])], alpha=0.5)
    ax.set_aspect("equal")
    ax.set_xlabel("Re λ")
    ax.set_ylabel("Im λ")
    ax.set_title("Jacobian eigenvalues (discrete time)")
    return ax
