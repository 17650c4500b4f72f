# SPDX-License-Identifier: MIT
"""numpy_check.py MODEL.npz W_REC.txt: numpy.load reads an nn4n model file
written through the C ABI with no nn4n installed, and its arrays are the
ones the ABI returned (W_REC.txt holds w_rec as the C test read it)."""
import json
import sys

import numpy as np

path, wtxt = sys.argv[1], sys.argv[2]
with np.load(path) as f:
    names = set(f.files)
    cfg = json.loads(str(f["config"]))
    w = f["w_rec"]
    eff = f["w_rec_eff"]
    sign = f["sign_rec"]
    alpha = f["alpha"]
want = np.loadtxt(wtxt)
ok = True
for cond, what in [
    ({"w_in", "w_rec", "w_out", "b_in", "b_rec", "b_out", "alpha", "x0", "config"} <= names, "array names"),
    (cfg["format"] == "nn4n-model" and cfg["units"] == 5 and cfg["dale"] == "clip", "config"),
    (w.shape == (5, 5) and w.dtype == np.float64, "w_rec shape and dtype"),
    (np.array_equal(w.ravel(), want), "w_rec values"),
    (np.all(eff[:, 3:] <= 0) and np.all(eff[:, :3] >= 0), "Dale signs of w_rec_eff"),
    (sign.shape == (5, 5) and alpha.shape == (5,), "sign and alpha shapes"),
]:
    print(("ok   " if cond else "FAIL ") + what)
    ok &= bool(cond)
sys.exit(0 if ok else 1)
