# SPDX-License-Identifier: MIT
"""Plots (matplotlib is optional: imported only when a plot is asked for)."""

import numpy as np


def _plt():
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover
        raise ImportError("plotting needs matplotlib (pip install matplotlib, or apt install "
                          "python3-matplotlib)") from e
    return plt


def plot_connectivity(w, title, show=True, hist=True):
    """A matrix (blue-white-red, 0 white) and, below, the histogram of its non-zero entries."""
    plt = _plt()
    w = np.asarray(w, dtype=np.float64)
    r = float(np.max(np.abs(w))) if w.size else 1.0
    r = r or 1.0
    rows = 2 if hist else 1
    fig, axes = plt.subplots(rows, 1, figsize=(6, 6 * min(max(w.shape[0] / max(w.shape[1], 1), 0.2), 3) + 2),
                             gridspec_kw={"height_ratios": [4, 1]} if hist else None, squeeze=False)
    ax = axes[0, 0]
    im = ax.imshow(w, cmap="bwr", vmin=-r, vmax=r, aspect="auto", interpolation="nearest")
    ax.set_title(title)
    ax.set_xlabel("presynaptic")
    ax.set_ylabel("postsynaptic")
    fig.colorbar(im, ax=ax)
    if hist:
        nz = w[w != 0]
        axes[1, 0].hist(nz.ravel(), bins=100)
        axes[1, 0].set_title(f"{title}: non-zero entries")
    fig.tight_layout()
    if show:
        plt.show()
    return fig
