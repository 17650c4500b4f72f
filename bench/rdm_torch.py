# SPDX-License-Identifier: MIT
"""rdm_dense to criterion with pycog's protocol, written in PyTorch (float32).

This is the PyTorch side of the task-level benchmark (docs/BENCHMARKS.md).
It implements pycog's (Song, Yang & Wang 2016) training of rdm_dense as
/work/shared/reference/song2016.md describes it, independently of libnn4n's
engine; only the trials come from the library's task generator (through the
Python binding), so both sides train on the same task distribution:

* network: N = 100 (80 E / 20 I), 2 inputs, 2 outputs, ReLU, α = dt/τ = 0.2,
  recurrent noise √(2α)·σ_rec·η with σ_rec = 0.15 (the task's inputs already
  carry the baseline 0.2 and the input noise), trained x0 (initially 0.1);
* Dale "rectify": W_in,eff = [W_in]₊, W_rec,eff = [C_rec ⊙ W_rec]₊·diag(ei),
  W_out,eff = [C_out ⊙ W_out]₊·diag(ei) with the readout from E units only;
  pycog's dense balanced C_rec (no autapses, inhibitory entries scaled to
  balance each row, rows L2-normalised);
* init: W_in, W_out ~ |0.1·U(−1, 1)|, W_rec ~ Gamma(k = 2, θ = 0.1·C_rec/2),
  then W_rec scaled so that ρ(C_rec ⊙ W_rec · diag(ei)) = 1.5;
* objective: L = Σ M(z − y)² / Σ M, plus Ω (Pascanu et al.) whose immediate
  gradient (v_t = ∂L/∂x_t and x_t held fixed) is added to W_rec's with
  λ_Ω = 2: q_t = (1 − α)v_t + α(v_t W_rec,eff) ⊙ f'(x_t),
  Ω = Σ_{t,b: |v|² ≥ 1e-20} (|q|²/|v|² − 1)² / #{t,b: |v|² ≥ 1e-20};
* SGD lr 0.01, one global L2 norm over every gradient clipped to 1; NaN
  guard (norm NaN/Inf/<0/>1e10: grad W_rec = 0.02·W_rec, the rest 0);
* minibatch 20 fresh trials per update; validation every 10⁴ trials on 1100
  balanced trials (noise on), percent correct at each trial's last step,
  best (lowest validation loss) parameters kept; stop when the mean of the
  last 5 validation accuracies > 85 % (after at least one update), after
  100 validations without a new best, or at the trial/wall-time caps.

Usage: python bench/rdm_torch.py --seed 101 [--max-seconds 1800] [--json out.json]
Prints one JSON line (trials, updates, seconds, converged, history, ...).
"""

import argparse
import json
import sys
import time

import numpy as np
import torch

import nn4n  # the binding: only its task generator is used here
from nn4n.tasks import Task

N, RHO0, ALPHA, SIGMA_REC, X0 = 100, 1.5, 0.2, 0.15, 0.1
LR, MAX_NORM, LAMBDA_OMEGA, BOUND = 0.01, 1.0, 2.0, 1e-20
MINIBATCH, VALID_EVERY, N_VALID, PATIENCE, WINDOW, TARGET = 20, 10_000, 1100, 100, 5, 85.0


def pycog_init(n_in, n_out, seed):
    """pycog's E/I network for rdm_dense: (params, masks, ei) as numpy."""
    rng = np.random.RandomState(seed)
    n_exc = int(0.8 * N)
    ei = np.r_[np.ones(n_exc), -np.ones(N - n_exc)]
    exc, inh = np.where(ei > 0)[0], np.where(ei < 0)[0]
    c = np.zeros((N, N))
    for i in range(N):  # dense, balanced, no autapses (pycog trainer.py)
        c[i, exc] = 1
        c[i, inh] = 1
        c[i, i] = 0
        c[i, inh] *= c[i, exc].sum() / c[i, inh].sum()
    c /= np.linalg.norm(c, axis=1)[:, None]
    c_out = np.zeros((n_out, N))
    c_out[:, exc] = 1
    w_in = np.abs(0.1 * rng.uniform(-1, 1, size=(N, n_in)))
    w_rec = np.abs(rng.gamma(2.0, 0.1 * c / 2.0))  # θ = 0.1·C/k (0 where C = 0)
    w_out = np.abs(0.1 * rng.uniform(-1, 1, size=(n_out, N))) * c_out
    rho = np.max(np.abs(np.linalg.eigvals((c != 0) * w_rec * ei[None, :])))
    w_rec *= RHO0 / rho
    return ({"w_in": w_in, "w_rec": w_rec, "w_out": w_out, "x0": np.full(N, X0)},
            {"rec": (c != 0).astype(float), "out": c_out}, ei)


class PycogRNN:
    """The model, the objective with Ω, and pycog's SGD step."""

    def __init__(self, params, masks, ei, seed, dtype=torch.float32):
        f = self.dtype = dtype
        self.p = {k: torch.tensor(v, dtype=f, requires_grad=True) for k, v in params.items()}
        self.m_rec = torch.tensor(masks["rec"], dtype=f)
        self.m_out = torch.tensor(masks["out"], dtype=f)
        self.ei = torch.tensor(ei, dtype=f)
        self.gen = torch.Generator().manual_seed(seed)
        self.noise = float(np.sqrt(2 * ALPHA) * SIGMA_REC)

    def effective(self):
        p = self.p
        return (torch.relu(p["w_in"]), torch.relu(self.m_rec * p["w_rec"]) * self.ei,
                torch.relu(self.m_out * p["w_out"]) * self.ei)

    def run(self, u, keep_states=False):
        """u: (T, B, I) float32. Returns outputs z (T, B, O) and the list of x_t."""
        w_in, w_rec, w_out = self.effective()
        nt, nb, _ = u.shape
        drive = u @ w_in.T  # the input projection of every step at once
        noise = torch.randn((nt, nb, N), generator=self.gen, dtype=self.dtype) * self.noise
        x = self.p["x0"].expand(nb, N)
        r = torch.relu(x)
        wt = w_rec.T
        xs, rs = [], []
        for t in range(nt):
            x = (1 - ALPHA) * x + ALPHA * torch.addmm(drive[t], r, wt) + noise[t]
            r = torch.relu(x)
            xs.append(x)
            rs.append(r)
        z = torch.stack(rs) @ w_out.T
        return z, xs

    @staticmethod
    def loss(z, y, m):
        return ((z - y) ** 2 * m).sum() / m.sum()

    def gradients(self, u, y, m):
        """Gradients of L (+ λ_Ω's immediate Ω gradient on W_rec): (g, loss, Ω)."""
        names = ("w_in", "w_rec", "w_out", "x0")
        z, xs = self.run(u)
        loss = self.loss(z, y, m)
        grads = torch.autograd.grad(loss, [self.p[k] for k in names] + xs)
        g = dict(zip(names, grads[:4]))
        v = torch.stack(grads[4:])  # ∂L/∂x_t, t = 1..T: held fixed in Ω
        x = torch.stack([t.detach() for t in xs])
        fp = (x > 0).to(v.dtype)
        w_rec_eff = torch.relu(self.m_rec * self.p["w_rec"]) * self.ei
        q = (1 - ALPHA) * v + ALPHA * (v @ w_rec_eff) * fp
        nv, nq = (v * v).sum(-1), (q * q).sum(-1)
        ok = nv >= BOUND
        ratio = torch.where(ok, nq / torch.where(ok, nv, torch.ones_like(nv)), torch.ones_like(nv))
        count = ok.sum()
        omega = ((ratio - 1) ** 2).sum() / count.clamp(min=1)
        g_omega, = torch.autograd.grad(omega, self.p["w_rec"])
        g["w_rec"] = g["w_rec"] + LAMBDA_OMEGA * g_omega
        return g, loss, omega

    def update(self, u, y, m):
        """One SGD step of pycog's protocol. Returns (loss, Ω, grad norm)."""
        g, loss, omega = self.gradients(u, y, m)
        with torch.no_grad():
            norm = torch.sqrt(sum((gi * gi).sum() for gi in g.values()))
            nf = float(norm)
            if not np.isfinite(nf) or nf < 0 or nf > 1e10:  # pycog's guard
                g = {k: (0.02 * self.p[k] if k == "w_rec" else torch.zeros_like(self.p[k])) for k in g}
            elif nf > MAX_NORM:
                g = {k: gi * (MAX_NORM / norm) for k, gi in g.items()}
            for k, gi in g.items():
                self.p[k].sub_(LR * gi)
        return float(loss), float(omega), nf

    def snapshot(self):
        return {k: v.detach().clone() for k, v in self.p.items()}

    def restore(self, snap):
        with torch.no_grad():
            for k, v in snap.items():
                self.p[k].copy_(v)


def time_major(batch, dtype=np.float32):
    def tm(a):
        return torch.from_numpy(np.ascontiguousarray(a.transpose(1, 0, 2), dtype=dtype))
    return tm(batch["input"]), tm(batch["target"]), tm(batch["mask"])


def train(seed, max_seconds=None, max_trials=10_000_000, log=None):
    task = Task("rdm_dense", dt=20)
    n_in, n_out = int(task.get("inputs")), int(task.get("outputs"))
    params, masks, ei = pycog_init(n_in, n_out, seed)
    net = PycogRNN(params, masks, ei, seed)
    rho0 = float(np.max(np.abs(np.linalg.eigvals(masks["rec"] * params["w_rec"] * ei[None, :]))))
    history, perfs = [], []
    best_loss, best, since_best = np.inf, net.snapshot(), 0
    trials = updates = 0
    next_check = 0
    reason, converged, capped = "", False, False
    t0 = time.perf_counter()
    while True:
        if trials >= next_check:
            vb = task.sample(N_VALID, "validation", seed=2 * seed + 1 + 7919 * len(history))
            u, y, m = time_major(vb)
            with torch.no_grad():
                z, _ = net.run(u)
                vloss = float(net.loss(z, y, m))
            perf = task.score(np.ascontiguousarray(z.numpy().transpose(1, 0, 2), dtype=np.float64),
                              "percent_correct")
            rec = {"trials": trials, "updates": updates, "loss": vloss, "perf": perf,
                   "elapsed": time.perf_counter() - t0}
            history.append(rec)
            perfs.append(perf)
            if log:
                print(json.dumps(rec), file=log, flush=True)
            if vloss < best_loss:
                best_loss, best, since_best = vloss, net.snapshot(), 0
            else:
                since_best += 1
            next_check += VALID_EVERY
            if updates > 0 and np.mean(perfs[-WINDOW:]) > TARGET:
                reason, converged = "stop rule of rdm_dense (mean of last 5 > 85%)", True
            elif since_best >= PATIENCE:
                reason = f"no new best in {PATIENCE} validations"
            elif trials >= max_trials:
                reason = f"{max_trials} trials"
            elif max_seconds and time.perf_counter() - t0 >= max_seconds:
                reason, capped = f"wall-time cap {max_seconds:.0f} s", True
            if reason:
                break
        if max_seconds and time.perf_counter() - t0 >= max_seconds:
            reason, capped = f"wall-time cap {max_seconds:.0f} s", True
            break
        b = task.sample(MINIBATCH, "train", seed=1_000_003 * seed + updates)
        net.update(*time_major(b))
        trials += MINIBATCH
        updates += 1
    seconds = time.perf_counter() - t0
    net.restore(best)
    return {"impl": "torch", "seed": seed, "trials": trials, "updates": updates, "seconds": seconds,
            "trials_per_s": trials / seconds, "converged": converged, "capped": capped, "reason": reason,
            "final_perf": perfs[-1], "rho0": rho0, "history": history,
            "torch": torch.__version__, "threads": torch.get_num_threads()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=101)
    ap.add_argument("--max-seconds", type=float, default=None)
    ap.add_argument("--max-trials", type=int, default=10_000_000)
    ap.add_argument("--json", default=None)
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    res = train(a.seed, a.max_seconds, a.max_trials, log=sys.stderr if a.verbose else None)
    line = json.dumps(res)
    if a.json:
        with open(a.json, "w") as f:
            f.write(line + "\n")
    print(line)


if __name__ == "__main__":
    main()
