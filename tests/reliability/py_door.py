# SPDX-License-Identifier: MIT
"""py_door.py CASES_DIR GOOD.npz: the Python door of tests/reliability.
Every hostile file of CASES_DIR/cases.tsv raises the nn4n exception of its
status with a message naming the problem, and hostile arguments (huge
dimensions, strings, objects, complex, None, NaN, wrong shapes, bad paths)
raise a clear exception; nothing crashes, GOOD.npz is never modified."""
import hashlib
import os
import sys
import tempfile

import numpy as np

import nn4n
from nn4n import errors
from nn4n.core import Model

cases_dir, good = sys.argv[1], sys.argv[2]
digest = hashlib.sha256(open(good, "rb").read()).hexdigest()
by_name = {cls.__name__: cls for cls in errors._BY_STATUS.values()}
status_cls = {f"NN4N_ERR_{k}": errors.error_for_status(v) for k, v in [
    ("FORMAT", 8), ("IO", 7), ("MEMORY", 16)]}
passed, failed = 0, []


def expect(what, exc, fn, want=""):
    global passed
    try:
        fn()
    except exc as e:
        if want.lower() in str(e).lower():
            passed += 1
            return
        failed.append(f"{what}: {type(e).__name__}: {e!s:.300} lacks {want!r}")
    except Exception as e:  # noqa: BLE001 - any other exception is a failure
        failed.append(f"{what}: {type(e).__name__}: {e!s:.300}, want {exc.__name__}")
    else:
        failed.append(f"{what}: no exception, want {exc.__name__}")


n_files = 0
for line in open(os.path.join(cases_dir, "cases.tsv")):
    f, status, want = (line.rstrip("\n").split("\t") + [""])[:3]
    n_files += 1
    expect(f, status_cls[status], lambda: Model.load(os.path.join(cases_dir, f)), want)
    expect(f + " (CTRNN.from_file)", status_cls[status], lambda: nn4n.CTRNN.from_file(os.path.join(cases_dir, f)), want)

m = Model(2, 8, 1, seed=3, training=0)
u = np.zeros((2, 5, 2))
args = [
    ("N = 2^20", errors.MemoryLimitError, lambda: Model(1, 1 << 20, 1), "memory limit"),
    ("N = 2^20 float32", errors.MemoryLimitError, lambda: Model(1, 1 << 20, 1, precision="float32"), "memory limit"),
    ("N = 2^20 + 1", errors.InvalidArgument, lambda: Model(1, (1 << 20) + 1, 1), "n_hid"),
    ("negative n_in", errors.InvalidArgument, lambda: Model(-1, 8, 1), "n_in"),
    ("n_hid string", (TypeError, ValueError), lambda: Model(1, "eight", 1), ""),
    ("n_hid float NaN", (TypeError, ValueError), lambda: Model(1, float("nan"), 1), ""),
    ("unknown precision", (errors.Nn4nError, ValueError), lambda: Model(1, 8, 1, precision="float16"), "precision"),
    ("input strings", errors.DTypeError, lambda: m.forward(np.array([[["a", "b"]]])), "dtype"),
    ("input objects", errors.DTypeError, lambda: m.forward(np.array([[[object(), object()]]], dtype=object)), "dtype"),
    ("input complex", errors.DTypeError, lambda: m.forward(np.zeros((2, 5, 2), complex)), "complex"),
    ("input NaN", errors.NotFinite, lambda: m.forward(np.full((2, 5, 2), np.nan)), "not finite"),
    ("input Inf", errors.NotFinite, lambda: m.forward(np.full((2, 5, 2), np.inf)), "not finite"),
    ("input wrong width", errors.ShapeError, lambda: m.forward(np.zeros((2, 5, 3))), ""),
    ("input 4-d", (errors.ShapeError, ValueError), lambda: m.forward(np.zeros((1, 2, 5, 2))), ""),
    ("input None", (TypeError, errors.Nn4nError), lambda: m.forward(None), ""),
    ("input str", (TypeError, errors.Nn4nError, ValueError), lambda: m.forward("zeros"), ""),
    ("x0 wrong length", errors.ShapeError, lambda: m.forward(u, x0=np.zeros(7)), "x0"),
    ("set_array strings", errors.DTypeError, lambda: m.set_array("w_rec", np.array(["x"] * 64)), "dtype"),
    ("set_array wrong size", errors.ShapeError, lambda: m.set_array("w_rec", np.zeros(63)), "values_len"),
    ("unknown array", errors.UnknownKey, lambda: m.get_array("w_evil"), "w_evil"),
    ("memory limit negative", errors.InvalidArgument, lambda: nn4n.set_memory_limit(-1), "bytes"),
    ("load missing", errors.IOError_, lambda: Model.load("/nonexistent/x.npz"), "no such file"),
    ("load NUL in path", (ValueError, errors.Nn4nError), lambda: Model.load("a\0b.npz"), ""),
    ("load int path", TypeError, lambda: Model.load(42), ""),
    ("save missing dir", errors.IOError_, lambda: m.save("/nonexistent/x.npz"), "no such file"),
    ("save onto a directory", errors.IOError_, lambda: m.save(tempfile.gettempdir()), ""),
    ("closed handle", errors.InvalidHandle, lambda: (lambda x: (x.close(), x.forward(u)))(Model(2, 8, 1)), ""),
]
for what, exc, fn, want in args:
    expect(what, exc, fn, want)

# a small memory limit refuses what the default accepts, and 0 restores it
lim, default = nn4n.get_memory_limit()
nn4n.set_memory_limit(1 << 20)
expect("400 units under 1 MiB", errors.MemoryLimitError, lambda: Model(1, 400, 1), "1048576 bytes")
nn4n.set_memory_limit(0)
ok_default = nn4n.get_memory_limit() == (default, default) and Model(1, 400, 1) is not None
if not ok_default or lim != default:
    failed.append("memory limit not restored")
else:
    passed += 1

if hashlib.sha256(open(good, "rb").read()).hexdigest() != digest:
    failed.append("GOOD.npz was modified")
else:
    passed += 1
hostile = 2 * n_files + len(args) + 1
print(f"python door: {hostile} hostile cases ({n_files} files, each by Model.load and CTRNN.from_file; "
      f"{len(args) + 1} arguments), {len(failed)} failed")
for f in failed:
    print("FAIL", f)
sys.exit(1 if failed else 0)
