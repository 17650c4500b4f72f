# SPDX-License-Identifier: MIT
"""nn4n.keys: the settings lists come from the library's key tables (nn4n_<kind>_key_info)."""

import math

import pytest

import nn4n
from nn4n import errors


def test_model_keys_come_from_the_library_with_bounds():
    ks = {k.name: k for k in nn4n.keys("model")}
    assert len(ks) >= 10
    for k in ks.values():
        assert k.type in ("f64", "flag", "str", "enum"), k
        assert k.access in ("rw", "ro"), k
        assert k.doc, k
        assert k.lo <= k.hi or k.type == "str", k
    # Every numeric rw key reads back through get() and out-of-range sets fail with RangeError.
    m = nn4n.Model(1, 3, 1)
    checked = 0
    for k in ks.values():
        if k.type not in ("f64", "flag") or k.access != "rw":
            continue
        m.get(k.name)
        if math.isfinite(k.hi):
            with pytest.raises(errors.RangeError, match=k.name):
                m.set(k.name, k.hi + 1.0 + abs(k.hi))
            checked += 1
    assert checked >= 1
    # Flags are the 0/1 settings: learn_alpha is one, alpha (in [1e-4, 1]) is not.
    assert ks["learn_alpha"].type == "flag" and (ks["learn_alpha"].lo, ks["learn_alpha"].hi) == (0, 1)
    assert ks["alpha"].type == "f64" and ks["input_alpha"].type == "f64"


def test_keys_of_objects_and_kinds_agree():
    a = [k.name for k in nn4n.keys("optimizer")]
    b = [k.name for k in nn4n.Optimizer("adam").keys()]
    assert a == b and "lr" in a
    assert "lr" in nn4n.Optimizer("adam").describe()
    with pytest.raises(ValueError, match="kind 'nope'"):
        nn4n.keys("nope")
    with pytest.raises(TypeError):
        nn4n.keys(3)
