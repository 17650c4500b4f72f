# SPDX-License-Identifier: MIT
"""The peer benchmark's numerics cross-check, shared by the peers' workers
(numpy only, so that every venv can import it).

A reference file (worker_nn4n.prepare) holds nn4n's float32 results on the
shared batch and weights (``loss``, ``outputs``, ``g_<param>``) and the same
from a float64 nn4n model with the same (float32-representable) weights
(``f64_`` prefix). A peer's results are compared with both: the loss as
|Δ| / |ref|, arrays as max |Δ| / max |ref|. The pass criterion (``PASS_KEYS``)
is on the loss and the gradients, as issue 21 states it; the outputs are
reported beside them.
"""

import numpy as np

PARAMS = ("w_in", "w_rec", "w_out", "b_in", "b_rec", "b_out")
PASS_KEYS = ("loss",) + tuple("g_" + k for k in PARAMS)
KEYS = ("loss", "outputs") + PASS_KEYS[1:]


def rel(a, ref):
    """max |a − ref| / max |ref| (|a − ref| / |ref| for scalars)."""
    a = np.asarray(a, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64).reshape(a.shape)
    scale = np.max(np.abs(ref))
    return float(np.max(np.abs(a - ref)) / scale) if scale > 0 else float(np.max(np.abs(a)))


def residuals(mine, ref_path):
    """mine: {"loss": float, "outputs": B×T×O, "g_<param>": array} →
    {"vs_nn4n": {key: residual}, "vs_f64": {key: residual}}."""
    r = np.load(ref_path)
    out = {"vs_nn4n": {}, "vs_f64": {}}
    for k in KEYS:
        out["vs_nn4n"][k] = rel(mine[k], r[k])
        if "f64_" + k in r:
            out["vs_f64"][k] = rel(mine[k], r["f64_" + k])
    return out


def worst(res, keys=PASS_KEYS):
    return max(res[k] for k in keys if k in res)
