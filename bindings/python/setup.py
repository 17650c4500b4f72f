# SPDX-License-Identifier: MIT
"""Bundles libnn4n.so into the package (see pyproject.toml for the metadata).

The library is taken from, in order: $NN4N_LIBRARY; in an sdist
(scripts/build-sdist.sh: native/ holds the Go sources, vendored modules and
scripts/link-lib.sh), a build from those sources with the system's Go, C
compiler and OpenBLAS; nn4n/libnn4n.so if already there; the repository's
build/libnn4n.so (run `make` first). The wheel is platform-specific because
it carries a shared library, but tagged py3-none: the library is loaded with
ctypes and needs no CPython ABI, so one wheel serves every Python 3
(scripts/build-wheel.sh makes it manylinux).
"""

import os
import re
import shutil
import subprocess
import tempfile

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

try:
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # setuptools < 70.1
    from wheel.bdist_wheel import bdist_wheel

HERE = os.path.dirname(os.path.abspath(__file__))


NATIVE = os.path.join(HERE, "native")
GO_MIN = (1, 24)  # native/go.mod's go line


def find_library():
    for p in (os.environ.get("NN4N_LIBRARY"), os.path.join(HERE, "nn4n", "libnn4n.so")):
        if p and os.path.exists(p):
            return os.path.abspath(p)
    repo_lib = os.path.join(HERE, "..", "..", "build", "libnn4n.so")
    if os.path.exists(os.path.join(HERE, "..", "..", "include", "nn4n.h")) and os.path.exists(repo_lib):
        return os.path.abspath(repo_lib)
    return None


def _fail(msg):
    raise SystemExit("nn4n: cannot build libnn4n.so from source: " + msg)


def build_from_source(out_dir):
    """Links native/ into out_dir/libnn4n.so with scripts/link-lib.sh, after
    checking for each tool it needs, so a missing one is named."""
    go = os.environ.get("GO", "go")
    if shutil.which(go) is None:
        _fail(f"Go ({go}) is not on PATH. This source distribution compiles the library, which is "
              f"written in Go: install Go >= {GO_MIN[0]}.{GO_MIN[1]} (https://go.dev/dl/) or set GO "
              "to its path; or, on x86_64 Linux, install the manylinux wheel, which needs nothing.")
    env = dict(os.environ, GO=go, GOTOOLCHAIN="local", GOFLAGS="-mod=vendor")
    v = subprocess.run([go, "env", "GOVERSION"], capture_output=True, text=True, env=env).stdout
    m = re.match(r"go(\d+)\.(\d+)", v.strip())
    if not m or (int(m.group(1)), int(m.group(2))) < GO_MIN:
        _fail(f"{go} is {v.strip() or 'of unknown version'}; Go >= {GO_MIN[0]}.{GO_MIN[1]} is needed.")
    cc = env.get("CC", "cc")
    for tool in (cc.split()[0], env.get("OBJCOPY", "objcopy"), env.get("AR", "ar")):
        if shutil.which(tool) is None:
            _fail(f"{tool} is not on PATH (a C compiler and binutils are needed: e.g. apt-get install "
                  "gcc binutils, or set CC / OBJCOPY / AR).")
    blas = env.get("BLAS_LIBS", "-lopenblas")
    with tempfile.TemporaryDirectory() as t:
        probe = os.path.join(t, "p.c")
        with open(probe, "w") as f:
            f.write("void cblas_sgemm(void); int main(void) { cblas_sgemm(); return 0; }\n")
        r = subprocess.run(cc.split() + [probe, "-o", os.path.join(t, "p")] + env.get("CGO_LDFLAGS", "").split()
                           + blas.split(), capture_output=True, text=True)
        if r.returncode != 0:
            _fail(f"linking a test program with {blas} failed: OpenBLAS (its development files) is "
                  "needed, e.g. apt-get install libopenblas-dev, dnf install openblas-devel; or set "
                  "BLAS_LIBS (and CGO_LDFLAGS=-L...). The linker said:\n" + r.stderr.strip())
    so = os.path.join(out_dir, "libnn4n.so")
    os.makedirs(out_dir, exist_ok=True)
    print(f"nn4n: building {so} from native/ with {go} ({v.strip()}), {cc} and {blas}", flush=True)
    r = subprocess.run(["bash", os.path.join(NATIVE, "scripts", "link-lib.sh"), so], env=env)
    if r.returncode != 0 or not os.path.exists(so):
        _fail("scripts/link-lib.sh failed (its output is above).")
    return so


class BuildPy(build_py):
    def run(self):
        super().run()
        env = os.environ.get("NN4N_LIBRARY")
        if env and os.path.exists(env):
            lib = os.path.abspath(env)
        elif os.path.isdir(NATIVE):
            lib = build_from_source(os.path.join(HERE, "build", "native"))
        else:
            lib = find_library()
        if lib is None:
            raise SystemExit("nn4n: libnn4n.so not found: run `make` at the repository root first "
                             "(or set NN4N_LIBRARY)")
        dest = os.path.join(self.build_lib, "nn4n", "libnn4n.so")
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        if os.path.abspath(lib) != os.path.abspath(dest):
            shutil.copy2(lib, dest)


class BinaryDistribution(Distribution):
    def has_ext_modules(self):
        return True


class BdistWheel(bdist_wheel):
    def get_tag(self):
        _, _, plat = super().get_tag()
        return "py3", "none", plat


setup(cmdclass={"build_py": BuildPy, "bdist_wheel": BdistWheel}, distclass=BinaryDistribution)
