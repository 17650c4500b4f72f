# SPDX-License-Identifier: MIT
"""Loading libnn4n.so and declaring its C ABI (include/nn4n.h).

The file named by the ``NN4N_LIBRARY`` environment variable when it is set
(an error naming it if it does not load: never another library). Otherwise,
in order (the first that loads wins):

1. the copy bundled inside this package (``nn4n/libnn4n.so``);
2. the repository's ``build/libnn4n.so`` (for a source checkout);
3. ``ctypes.util.find_library("nn4n")`` (a system install).

When none loads, :class:`nn4n.errors.LibraryNotFound` lists every path tried
with its error. The ABI version is checked right after loading.

``PROTOTYPES`` is the one table of every exported symbol, generated from
``nn4n.h`` into ``_abi.py`` by tools/gen_bindings.py with the header's C types. Each status-returning function raises a typed exception
(:mod:`nn4n.errors`) with the library's message when it fails.

The library contains a Go runtime: it is loaded once and never unloaded, and
it must not be used in a process forked after loading (every call checks the
process id and raises :class:`nn4n.errors.ForkError` there).
"""

import ctypes
import ctypes.util
import os
import threading

import numpy as np

from . import errors
from ._abi import ABI_VERSION, PROTOTYPES, STATUS_NAMES  # noqa: F401 (re-exported)

# C type (as spelled in nn4n.h) -> ctypes type.
C_TYPES = {
    "int32_t": ctypes.c_int32,
    "int64_t": ctypes.c_int64,
    "uint64_t": ctypes.c_uint64,
    "double": ctypes.c_double,
    "const char*": ctypes.c_char_p,
    "char*": ctypes.POINTER(ctypes.c_char),
    "const double*": ctypes.POINTER(ctypes.c_double),
    "double*": ctypes.POINTER(ctypes.c_double),
    "const float*": ctypes.POINTER(ctypes.c_float),
    "float*": ctypes.POINTER(ctypes.c_float),
    "int64_t*": ctypes.POINTER(ctypes.c_int64),
    "uint64_t*": ctypes.POINTER(ctypes.c_uint64),
    "int32_t*": ctypes.POINTER(ctypes.c_int32),
}

# Functions that return a value rather than a status.
QUERIES = {"nn4n_version_string", "nn4n_version_number", "nn4n_abi_version",
           "nn4n_status_name", "nn4n_last_error"}

# PROTOTYPES (name, return type, parameter types) lists every function of
# include/nn4n.h; it is generated into _abi.py by tools/gen_bindings.py.

_HERE = os.path.dirname(os.path.abspath(__file__))
_LIBNAME = "libnn4n.so"


def candidate_paths():
    """The (origin, path) pairs the loader tries, in order; only
    $NN4N_LIBRARY when it is set."""
    env = os.environ.get("NN4N_LIBRARY")
    if env:
        return [("NN4N_LIBRARY", env)]
    out = []
    out.append(("bundled", os.path.join(_HERE, _LIBNAME)))
    # bindings/python/nn4n -> repository root (source checkout or editable install)
    repo = os.path.abspath(os.path.join(_HERE, "..", "..", ".."))
    out.append(("repository build/", os.path.join(repo, "build", _LIBNAME)))
    found = ctypes.util.find_library("nn4n")
    if found:
        out.append(("find_library", found))
    return out


# A wheel made by scripts/build-wheel.sh carries this file (the manylinux
# build, OpenBLAS in ../nn4n.libs); a source install does not.
_WHEEL_MARK = os.path.join(_HERE, "_wheel.txt")


def _advice(bundled_error):
    """What to do when nothing loaded, for how this package was installed."""
    bundled = os.path.join(_HERE, _LIBNAME)
    # "libfoo.so.0: cannot open shared object file" names the missing file.
    missing = str(bundled_error).split(":")[0].strip() if bundled_error else ""
    if missing == bundled:
        missing = ""
    if os.path.exists(_WHEEL_MARK):
        what = (f"{missing} (a library libnn4n.so needs, shipped in "
                f"{os.path.normpath(os.path.join(_HERE, '..', 'nn4n.libs'))})") if missing else bundled
        return (f"\nThis nn4n was installed from a wheel, which is incomplete: {what} is missing "
                "or unloadable. Reinstall it: pip install --force-reinstall --no-cache-dir nn4n")
    if missing:
        return (f"\nlibnn4n.so was found but {missing}, which it needs, was not: install it (the "
                "source build links the system OpenBLAS, e.g. apt-get install libopenblas0), "
                "or install the manylinux wheel, which bundles OpenBLAS.")
    return (f"\nThis is a source install without {_LIBNAME}: run `make` at the repository root "
            "(needs Go and OpenBLAS) and reinstall bindings/python, set NN4N_LIBRARY to the "
            "library's path, or install the manylinux wheel (`make wheel`).")


def _load():
    env = os.environ.get("NN4N_LIBRARY")
    if env:  # an explicit choice: never fall back to another library silently
        if not os.path.exists(env):
            raise errors.LibraryNotFound(f"NN4N_LIBRARY={env}: file not found (unset NN4N_LIBRARY "
                                         "to use the bundled library)")
        try:
            return ctypes.CDLL(env), env
        except OSError as e:
            raise errors.LibraryNotFound(f"NN4N_LIBRARY={env}: cannot load it: {e}") from None
    tried = []
    bundled_error = None
    for origin, path in candidate_paths():
        if origin != "find_library" and not os.path.exists(path):
            tried.append(f"  {origin}: {path}: file not found")
            continue
        try:
            return ctypes.CDLL(path), path
        except OSError as e:
            tried.append(f"  {origin}: {path}: {e}")
            if origin == "bundled":
                bundled_error = e
    if not any(o == "find_library" for o, _ in candidate_paths()):
        tried.append("  find_library('nn4n'): not found")
    raise errors.LibraryNotFound(
        "cannot load libnn4n.so; tried:\n" + "\n".join(tried) + _advice(bundled_error))


_cdll, LIBRARY_PATH = _load()
_pid = os.getpid()
_forked = False


def _after_fork_in_child():
    global _forked
    _forked = True


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def check_process():
    """Raise ForkError in a process forked after the library was loaded."""
    if _forked or os.getpid() != _pid:
        raise errors.ForkError(
            "nn4n was loaded in process %d and this is its forked child %d: the Go runtime "
            "inside libnn4n does not survive fork(). Use multiprocessing with the 'spawn' or "
            "'forkserver' start method (multiprocessing.set_start_method('spawn'))."
            % (_pid, os.getpid()))


def last_error():
    """The calling thread's last error message from the library."""
    f = _cdll.nn4n_last_error
    n = f(None, 0)
    if n <= 1:
        return ""
    buf = ctypes.create_string_buffer(int(n))
    f(buf, n)
    return buf.value.decode("utf-8", "replace")


def status_name(code):
    return _cdll.nn4n_status_name(int(code)).decode("ascii", "replace")


def _errcheck(result, func, args):
    if result != 0:
        msg = last_error()
        cls = errors.error_for_status(result)
        raise cls(msg, status=int(result), status_name=status_name(result), function=func.__name__)
    return result


class _Function:
    """A declared C function: checks the process, then calls it."""

    __slots__ = ("name", "cfunc")

    def __init__(self, name, cfunc):
        self.name = name
        self.cfunc = cfunc

    def __call__(self, *args):
        if _forked or os.getpid() != _pid:
            check_process()
        return self.cfunc(*args)

    def __repr__(self):
        return f"<nn4n C function {self.name}>"


class _Lib:
    """Attribute access to every declared function (``lib.nn4n_model_create``)."""


lib = _Lib()
for _name, _ret, _params in PROTOTYPES:
    _f = getattr(_cdll, _name)
    _f.restype = C_TYPES[_ret]
    _f.argtypes = [C_TYPES[p] for p in _params]
    if _name not in QUERIES:
        _f.errcheck = _errcheck
    setattr(lib, _name, _Function(_name, _f))

_abi = _cdll.nn4n_abi_version()
if _abi != ABI_VERSION:
    raise errors.AbiMismatch(
        f"{LIBRARY_PATH} has ABI version {_abi}, this binding needs {ABI_VERSION}: "
        "rebuild the library and the binding from the same checkout")

# ------------------------------------------------------------------ helpers

_STEP_RAW = {}


def step_raw(name):
    """``nn4n_model_step`` or ``nn4n_model_step_f32`` declared with raw
    addresses (``c_void_p``) for its arrays, for the hot path of
    ``Model.step``: the caller passes ``ndarray.ctypes.data`` integers (or
    None) and checks the process itself. Same symbol, same status check."""
    f = _STEP_RAW.get(name)
    if f is None:
        f = _cdll[name]  # a new function object: the declared one keeps its types
        vp, i64 = ctypes.c_void_p, ctypes.c_int64
        f.argtypes = [ctypes.c_uint64, i64, vp, i64, vp, i64, vp, i64, vp, i64]
        f.restype = ctypes.c_int32
        f.errcheck = _errcheck
        _STEP_RAW[name] = f
    return f


DOUBLE_P = ctypes.POINTER(ctypes.c_double)
_NULL_D = ctypes.cast(None, DOUBLE_P)


def cstr(s):
    """Encode a Python string for a ``const char*`` parameter."""
    if isinstance(s, bytes):
        return s
    if not isinstance(s, str):
        raise TypeError(f"expected a string, got {type(s).__name__}")
    return s.encode("utf-8")


def as_f64(a, name="array"):
    """A C-contiguous float64 copy/view of ``a`` (numpy, list or torch tensor)."""
    if a is None:
        return None
    if hasattr(a, "detach") and hasattr(a, "cpu"):  # torch tensor without importing torch
        a = a.detach().cpu().numpy()
    arr = np.asarray(a)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise errors.DTypeError(f"{name}: expected a real numeric array, got dtype {arr.dtype}")
    if np.iscomplexobj(arr):
        raise errors.DTypeError(f"{name}: complex values cannot cross the ABI (dtype {arr.dtype})")
    return np.ascontiguousarray(arr, dtype=np.float64)


def ptr(arr):
    """(pointer, length) of a float64 array, or (NULL, 0) for None."""
    if arr is None:
        return _NULL_D, 0
    return arr.ctypes.data_as(DOUBLE_P), arr.size


def read_string(fn, *args):
    """Call a string-output function ``fn(*args, buf, len, needed)``."""
    needed = ctypes.c_int64(0)
    fn(*args, None, 0, ctypes.byref(needed))
    n = max(int(needed.value), 1)
    buf = ctypes.create_string_buffer(n)
    fn(*args, buf, n, ctypes.byref(needed))
    return buf.value.decode("utf-8", "replace")


def version():
    """The version string of the loaded library."""
    return _cdll.nn4n_version_string().decode("utf-8", "replace")


def set_num_threads(n):
    """Set the number of threads nn4n computes with (process-wide; Go's
    GOMAXPROCS becomes max(n, 2), see nn4n_set_num_threads in nn4n.h):
    batches are split into up to n blocks of trials run in parallel. With
    n >= 2, a single-state step of a large network shares its product with
    a helper thread that spins for 50 us after each step; n = 1 keeps steps
    on the calling thread. Results do not depend on n."""
    lib.nn4n_set_num_threads(int(n))


def get_num_threads():
    """(go_threads, blas_threads): the threads nn4n computes with
    (set_num_threads; by default the number of CPUs) and OpenBLAS's threads
    per call (1)."""
    g, b = ctypes.c_int64(), ctypes.c_int64()
    lib.nn4n_get_num_threads(ctypes.byref(g), ctypes.byref(b))
    return int(g.value), int(b.value)


def blas_info():
    return read_string(lib.nn4n_blas_info)


def runtime_stats():
    """(live_handles, go_heap_bytes), after a Go garbage collection."""
    h, b = ctypes.c_int64(), ctypes.c_int64()
    lib.nn4n_runtime_stats(ctypes.byref(h), ctypes.byref(b))
    return int(h.value), int(b.value)


def set_memory_limit(nbytes):
    """Set the library-wide memory budget in bytes (0: the default, half of
    physical memory). Calls that would allocate more raise MemoryLimitError."""
    lib.nn4n_set_memory_limit(int(nbytes))


def get_memory_limit():
    """(limit, default): the memory budget in effect and its default, in bytes."""
    v, d = ctypes.c_int64(), ctypes.c_int64()
    lib.nn4n_get_memory_limit(ctypes.byref(v), ctypes.byref(d))
    return int(v.value), int(d.value)


_lock = threading.Lock()
