# SPDX-License-Identifier: MIT
"""Check that bench/rdm_torch.py computes the same objective as libnn4n.

On the same weights (the PyTorch side's pycog init), the same rdm_dense
batch and noise off, in float64: the masked loss, Ω, and the gradients of
W_in, W_rec (with λ_Ω·∂Ω/∂W_rec), W_out and x0 of the PyTorch version must
equal the library's Song-Yang gradients (nn4n.core.Model.gradient). Also
checks the PyTorch init: Dale signs and ρ = 1.5. Exits 1 on a mismatch.

    python bench/check_rdm_torch.py
"""

import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rdm_torch as R  # noqa: E402

from nn4n.core import Model, Objective, Structure  # noqa: E402
from nn4n.tasks import Task  # noqa: E402


def main():
    task = Task("rdm_dense", dt=20)
    n_in, n_out = int(task.get("inputs")), int(task.get("outputs"))
    params, masks, ei = R.pycog_init(n_in, n_out, seed=3)
    net = R.PycogRNN(params, masks, ei, seed=3, dtype=torch.float64)
    net.noise = 0.0
    w_in, w_rec, w_out = (w.detach().numpy() for w in net.effective())
    rho = np.max(np.abs(np.linalg.eigvals(w_rec)))
    problems = []
    if abs(rho - R.RHO0) > 1e-9:
        problems.append(f"initial spectral radius {rho}, want {R.RHO0}")
    if (w_rec[:, ei > 0] < 0).any() or (w_rec[:, ei < 0] > 0).any() or np.diag(w_rec).any():
        problems.append("W_rec,eff violates Dale's law or has autapses")
    if (w_out[:, ei < 0] != 0).any():
        problems.append("W_out,eff reads from inhibitory units")

    # The same network in the library: pycog structure (same C_rec support and
    # signs), raw weights copied, noise off.
    st = Structure("pycog", n_in, R.N, n_out, seed=1, exc_readout=1).build()
    if not np.array_equal(st.get_array("hidden_mask") != 0, masks["rec"] != 0):
        problems.append("library pycog C_rec support differs from the PyTorch one")
    m = Model.from_structure(st, precision="float64", seed=1)
    m.configure(alpha=R.ALPHA, rec_noise=0.0, x0=R.X0, train_x0=1, training=0)
    for k, v in params.items():
        m.set_array(k, v)
    b = task.sample(20, "train", seed=5)
    terms = m.gradient(Objective("songyang", lambda_omega=R.LAMBDA_OMEGA), b["input"], b["target"], b["mask"])
    mine = m.grads()
    g, loss, omega = net.gradients(*R.time_major(b, np.float64))
    if abs(float(loss) - terms["total"]) > 1e-12 * max(1, abs(terms["total"])):
        problems.append(f"loss {float(loss)} vs library {terms['total']}")
    if abs(float(omega) - terms.get("omega", np.nan)) > 1e-9 * max(1, abs(float(omega))):
        problems.append(f"omega {float(omega)} vs library {terms.get('omega')}")
    worst = {}
    for k in ("w_in", "w_rec", "w_out", "x0"):
        a, ref = g[k].detach().numpy(), mine[k]
        worst[k] = float(np.abs(a - ref).max() / max(np.abs(ref).max(), 1e-30))
        if worst[k] > 1e-9:
            problems.append(f"grad {k}: relative max difference {worst[k]:.3g}")
    print(f"check_rdm_torch: loss {float(loss):.6f}, omega {float(omega):.6f}, rho0 {rho:.6f}, "
          "gradient rel. differences " + ", ".join(f"{k} {v:.1e}" for k, v in worst.items()))
    if problems:
        print("check_rdm_torch: FAILED\n  " + "\n  ".join(problems))
        return 1
    print("check_rdm_torch: ok (the PyTorch protocol computes the library's objective and gradients)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
