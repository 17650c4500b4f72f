# SPDX-License-Identifier: MIT
"""wheel_blas.py: forward and train-step timings of one libnn4n.so at a shape
(default N=256, B=64, T=200, float32, I=4, O=2), for comparing the wheel's
OpenBLAS (scipy-openblas32) with the system-OpenBLAS build (docs/PACKAGING.md).

    python bench/wheel_blas.py LIB [LIB ...]   # libraries compared in interleaved rounds

Each library runs in its own subprocess (NN4N_LIBRARY=LIB) per round; the
figure is the median over rounds of the per-round median. Not a test.
"""

import json
import os
import subprocess
import sys
import time

N, B, T, I, O = 256, 64, 200, 4, 2


def worker(reps):
    import numpy as np

    import nn4n
    from nn4n import core
    m = core.Model(I, N, O, precision="float32", seed=1)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((B, T, I))
    tg = rng.standard_normal((B, T, O)) * 0.1
    obj = core.Objective("mse")
    opt = core.Optimizer("adam", lr=1e-4)
    m.forward(x)
    m.train(obj, opt, x, tg)
    fw, tr = [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        m.forward(x)
        fw.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        m.train(obj, opt, x, tg)
        tr.append(time.perf_counter() - t0)
    print(json.dumps({"forward": sorted(fw)[reps // 2], "train": sorted(tr)[reps // 2],
                      "lib": nn4n.LIBRARY_PATH, "blas": nn4n.blas_info()}))


def main(libs, rounds=5, reps=15):
    res = {lib: {"forward": [], "train": []} for lib in libs}
    info = {}
    for _ in range(rounds):
        for lib in libs:
            env = dict(os.environ, NN4N_LIBRARY=lib)
            out = subprocess.run([sys.executable, __file__, "--worker", str(reps)], env=env,
                                 check=True, capture_output=True, text=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            info[lib] = r["blas"]
            for k in ("forward", "train"):
                res[lib][k].append(r[k])
    print(f"N={N} B={B} T={T} float32, {rounds} rounds x {reps} reps, median ms:")
    base = None
    for lib in libs:
        f = sorted(res[lib]["forward"])[rounds // 2] * 1e3
        t = sorted(res[lib]["train"])[rounds // 2] * 1e3
        rel = "" if base is None else f"  ({f / base[0] - 1:+.1%} forward, {t / base[1] - 1:+.1%} train)"
        base = base or (f, t)
        print(f"  forward {f:8.2f}  train {t:8.2f}  {lib}{rel}\n      {info[lib]}")


if __name__ == "__main__":
    if sys.argv[1] == "--worker":
        worker(int(sys.argv[2]))
    else:
        main([os.path.abspath(p) for p in sys.argv[1:]])
