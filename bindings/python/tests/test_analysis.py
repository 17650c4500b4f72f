# SPDX-License-Identifier: MIT
"""nn4n.analysis: fixed points, Jacobians and linearisation through the C ABI."""

import numpy as np
import pytest

from nn4n import analysis, errors
from nn4n.core import Model


def _model(n=20, i=2, seed=3, **kw):
    m = Model(i, n, 1, seed=seed, activation="tanh", **kw)
    m.set_array("w_rec", 1.8 * np.random.default_rng(seed).standard_normal((n, n)) / np.sqrt(n))
    m.training = False
    return m


def _F(m, x, u):
    st, _, _ = m.step(np.array(x, dtype=float).reshape(1, -1).copy(), u.reshape(1, -1), outputs=False)
    return st[0]


def test_jacobian_matches_finite_differences():
    m = _model()
    rng = np.random.default_rng(1)
    x, u = rng.standard_normal(20), np.array([0.3, -0.5])
    jx, ju = analysis.jacobian(m, x, u)
    h = 1e-6
    fd = np.stack([(_F(m, x + h * e, u) - _F(m, x - h * e, u)) / (2 * h) for e in np.eye(20)], axis=1)
    fdu = np.stack([(_F(m, x, u + h * e) - _F(m, x, u - h * e)) / (2 * h) for e in np.eye(2)], axis=1)
    assert np.abs(jx - fd).max() < 1e-7
    assert np.abs(ju - fdu).max() < 1e-7


def test_fixed_points_are_fixed_and_classified():
    m = _model()
    u = np.array([0.1, 0.0])
    x0 = np.random.default_rng(2).standard_normal((200, 20))
    fp = analysis.fixed_points(m, x0, u)
    assert len(fp) >= 1
    assert fp.count.sum() + (fp.labels < 0).sum() == 200
    for j, x in enumerate(fp.points):
        r = _F(m, x, u) - x
        assert 0.5 * r @ r < 1e-12
        assert fp.converged[j] and fp.q[j] < 1e-12
        lin = analysis.linearize(m, x, u, top=2)
        assert np.allclose(lin["eigenvalues"], fp.eigenvalues[j])
        k = int((np.abs(fp.eigenvalues[j]) > 1).sum())
        assert fp.n_unstable[j] == k
        jx, _ = analysis.jacobian(m, x, u)
        v, lam = lin["right"][:, 0], lin["eigenvalues"][0]
        assert np.abs(jx @ v - lam * v).max() < 1e-10
    # eigenvalues match numpy's at the first point
    jx, _ = analysis.jacobian(m, fp.points[0], u)
    ref = np.linalg.eigvals(jx)
    assert np.allclose(np.sort(np.abs(ref))[::-1], np.abs(fp.eigenvalues[0]), atol=1e-10)


def test_one_unit_three_points():
    m = Model(0, 1, 1, seed=0, activation="tanh")
    m.set_array("w_rec", np.array([[2.0]]))
    m.training = False
    fp = analysis.fixed_points(m, np.linspace(-4, 4, 41).reshape(-1, 1), outlier_scale=-1)
    assert len(fp) == 3
    order = np.argsort(fp.points[:, 0])
    root = fp.points[order[2], 0]
    assert abs(root - 2 * np.tanh(root)) < 1e-12 and root > 1.9
    assert list(fp.stability[order]) == [analysis.STABLE, analysis.UNSTABLE, analysis.STABLE]


def test_bad_input():
    m = _model()
    with pytest.raises(errors.ShapeError, match="u"):
        analysis.fixed_points(m, np.zeros((3, 20)), u=np.zeros(3))
    with pytest.raises(errors.ShapeError, match="last axis"):
        analysis.fixed_points(m, np.zeros((3, 19)), u=np.zeros(2))
    x = np.zeros((3, 20))
    x[1, 4] = np.nan
    with pytest.raises(errors.NotFinite, match="init"):
        analysis.fixed_points(m, x, u=np.zeros(2))
    noisy = Model(2, 5, 1, seed=0, rec_noise=0.1)
    with pytest.raises(errors.StateError, match="training mode"):
        analysis.fixed_points(noisy, np.zeros((2, 5)), u=np.zeros(2))


def test_not_converged_flagged():
    m = Model(0, 1, 1, seed=0, activation="linear")
    m.set_array("w_rec", np.array([[1.0]]))
    m.set_array("b_rec", np.array([1.0]))
    m.training = False
    fp = analysis.fixed_points(m, np.array([[0.0], [2.0]]), max_iter=10)
    assert len(fp) == 0
    assert not fp.end_converged.any() and (fp.labels == -1).all() and (fp.end_q > 1e-12).all()


def test_pca_and_plots(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib
    matplotlib.use("Agg")
    m = _model()
    x0 = np.random.default_rng(4).standard_normal((50, 20))
    fp = analysis.fixed_points(m, x0, np.zeros(2))
    tr = x0.reshape(5, 10, 20)
    mu, comp, ratio = analysis.pca(tr, 3)
    assert comp.shape == (3, 20) and np.allclose(comp @ comp.T, np.eye(3), atol=1e-12)
    assert 0 < ratio.sum() <= 1 + 1e-12
    ax = analysis.plot_fixed_points(fp, tr)
    ax.figure.savefig(tmp_path / "fp.png")
    ax = analysis.plot_spectra(fp)
    ax.figure.savefig(tmp_path / "spec.png")
    assert (tmp_path / "fp.png").stat().st_size > 0


def test_sweep():
    m = Model(1, 1, 1, seed=0, activation="tanh")
    m.set_array("w_rec", np.array([[2.0]]))
    m.set_array("w_in", np.array([[1.0]]))
    m.training = False
    out = analysis.sweep(m, np.array([[-3.0], [0.0], [3.0]]), [0.0], [2.0], 5, outlier_scale=-1)
    assert [len(f) for f in out][0] == 3 and len(out[-1]) == 1
    for f in out:
        for x in f.points[:, 0]:
            assert abs(2 * np.tanh(x) + f.u[0] - x) < 1e-10
