"""Bundles libnn4n.so into the package (see pyproject.toml for the metadata).

The library is taken from, in order: $NN4N_LIBRARY, nn4n/libnn4n.so if
already there, the repository's build/libnn4n.so (run `make` first). The
wheel is platform-specific because it carries a shared library, but tagged
py3-none: the library is loaded with ctypes and needs no CPython ABI, so one
wheel serves every Python 3 (scripts/build-wheel.sh makes it manylinux).
"""

import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

try:
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # setuptools < 70.1
    from wheel.bdist_wheel import bdist_wheel

HERE = os.path.dirname(os.path.abspath(__file__))


def find_library():
    for p in (os.environ.get("NN4N_LIBRARY"), os.path.join(HERE, "nn4n", "libnn4n.so"),
              os.path.join(HERE, "..", "..", "build", "libnn4n.so")):
        if p and os.path.exists(p):
            return os.path.abspath(p)
    return None


class BuildPy(build_py):
    def run(self):
        super().run()
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
