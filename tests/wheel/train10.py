# SPDX-License-Identifier: MIT
"""Run by tests/wheel/run.sh (and, with --system-blas, tests/sdist/run.sh)
inside the fresh venv: import the installed wheel, check which libraries the
process mapped, train 10 updates, check that a forked child is refused by the
fork shim."""

import os
import sys

import numpy as np

site = os.path.realpath(sys.argv[1])
masked = sys.argv[sys.argv.index("--masked") + 1:] if "--masked" in sys.argv else []
for f in masked:  # the mask is in place: the system library reads as empty
    assert os.path.getsize(f) == 0, f"{f} is not masked"
print(f"test-wheel: {len(masked)} system libraries masked:", *masked)

import nn4n  # noqa: E402
from nn4n import _lib  # noqa: E402
from nn4n.model import CTRNN  # noqa: E402

errs = []
if not os.path.realpath(nn4n.__file__).startswith(site):
    errs.append(f"nn4n imported from {nn4n.__file__}, not from {site}")
if not os.path.realpath(_lib.LIBRARY_PATH).startswith(site):
    errs.append(f"libnn4n.so loaded from {_lib.LIBRARY_PATH}, not from the wheel")
maps = {line.split()[-1] for line in open("/proc/self/maps") if ".so" in line}
blas = sorted(m for m in maps if "blas" in m or "gfortran" in m or "quadmath" in m)
print("test-wheel: BLAS-related libraries mapped:", *blas, sep="\n  ")
if "--system-blas" in sys.argv:  # an install built from the sdist links the system OpenBLAS
    if not any("libopenblas" in m and not os.path.realpath(m).startswith(site) for m in blas):
        errs.append("the system libopenblas is not mapped")
else:
    if not any("nn4n.libs/libscipy_openblas" in m for m in blas):
        errs.append("the wheel's libscipy_openblas is not mapped")
    outside = [m for m in blas if not os.path.realpath(m).startswith(site)]
    if outside:
        errs.append(f"libraries from outside the wheel mapped: {outside}")

rng = np.random.default_rng(0)
x = rng.standard_normal((16, 20, 3))
target = np.tanh(np.cumsum(x[:, :, :2], axis=1) / 10)
rnn = CTRNN(dims=[3, 32, 2], dt=10, tau=100, seed=1, precision="float64")
res = rnn.fit(x, target, optimizer=nn4n.optim.Adam(lr=1e-2), n_updates=10, chunk=1, progress=False)
loss = np.asarray(res["loss"], dtype=float)
print(f"test-wheel: {len(loss)} updates, loss {loss[0]:.5f} -> {loss[-1]:.5f}")
if len(loss) != 10 or not np.all(np.isfinite(loss)) or not loss[-1] < loss[0]:
    errs.append(f"training: expected 10 finite losses, decreasing; got {loss}")

# The fork shim (capi/shim/, linked by scripts/link-lib.sh) is in the wheel's
# library: a forked child calling the raw C function gets NN4N_ERR_FORK (15)
# at once instead of entering the Go runtime (which could hang: an alarm
# kills the child after 20 s).
import warnings  # noqa: E402
warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    import ctypes
    import signal
    signal.alarm(20)
    f = ctypes.CDLL(_lib.LIBRARY_PATH).nn4n_set_num_threads  # no errcheck
    f.argtypes, f.restype = [ctypes.c_int64], ctypes.c_int32
    st = f(2)
    os.write(w, f"{st} {_lib.last_error()}".encode())
    os._exit(0)
os.close(w)
_, wst = os.waitpid(pid, 0)
out = os.read(r, 4096).decode()
os.close(r)
print(f"test-wheel: forked child: nn4n_set_num_threads -> {out[:90]}...")
if not (os.WIFEXITED(wst) and out.startswith("15 ") and "forked" in out):
    errs.append(f"fork shim: child status {wst}, got {out!r}, want NN4N_ERR_FORK (15)")
for e in errs:
    print("FAIL", e)
sys.exit(1 if errs else 0)
