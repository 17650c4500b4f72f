# SPDX-License-Identifier: MIT
"""The one prototype table (nn4n._lib.PROTOTYPES) against include/nn4n.h."""

import os
import re

import pytest

from nn4n import _lib

HEADER = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "include", "nn4n.h"))


def parse_header(path):
    src = open(path).read()
    src = re.sub(r"/\*.*?\*/", "", src, flags=re.S)
    src = re.sub(r"//[^\n]*", "", src)
    out = {}
    for m in re.finditer(r"([A-Za-z_][\w \*]*?)\b(nn4n_\w+)\s*\(([^)]*)\)\s*;", src):
        ret = " ".join(m.group(1).split()).replace(" *", "*")
        params = " ".join(m.group(3).split())
        types = []
        if params != "void":
            for p in params.split(","):
                mm = re.match(r"(.*?)(\w+)$", p.strip())
                types.append(mm.group(1).replace(" *", "*").strip())
        out[m.group(2)] = (ret, types)
    return out


@pytest.fixture(scope="module")
def header():
    if not os.path.exists(HEADER):
        pytest.skip("not a source checkout: include/nn4n.h is not there")
    return parse_header(HEADER)


def test_every_header_function_is_declared_exactly(header):
    table = {name: (ret, params) for name, ret, params in _lib.PROTOTYPES}
    assert len(table) == len(_lib.PROTOTYPES), "duplicate entries in PROTOTYPES"
    assert sorted(header) == sorted(table), (set(header) ^ set(table))
    for name, (ret, params) in header.items():
        assert table[name][0] == ret, (name, "return", table[name][0], ret)
        assert table[name][1] == params, (name, "parameters", table[name][1], params)


def test_every_type_maps_to_ctypes(header):
    for ret, params in header.values():
        for t in [ret] + params:
            assert t in _lib.C_TYPES, t


def test_loaded_symbols_have_the_declared_prototypes():
    for name, ret, params in _lib.PROTOTYPES:
        f = getattr(_lib.lib, name).cfunc
        assert f.restype is _lib.C_TYPES[ret]
        assert list(f.argtypes) == [_lib.C_TYPES[p] for p in params]
        assert (f.errcheck is not None) == (name not in _lib.QUERIES), name


def test_abi_and_status_constants_agree_with_header():
    src = open(HEADER).read() if os.path.exists(HEADER) else None
    if src is None:
        pytest.skip("no header")
    abi = int(re.search(r"#define NN4N_ABI_VERSION (\d+)", src).group(1))
    assert abi == _lib.ABI_VERSION == _lib._cdll.nn4n_abi_version()
    from nn4n import errors
    for name, code in re.findall(r"#define NN4N_ERR_(\w+) (\d+)", src):
        cls = errors.error_for_status(int(code))
        assert cls.status == int(code), name
        assert _lib.status_name(int(code)) == "NN4N_ERR_" + name
