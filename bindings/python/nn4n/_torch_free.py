# SPDX-License-Identifier: MIT
"""state_dict conversion in nn4n's names, without torch."""

import numpy as np

from . import errors

# nn4n name -> (native key, shape kind)
NAMES = [
    ("recurrent_layer.input_layer.weight", "w_in"),
    ("recurrent_layer.input_layer.bias", "b_in"),
    ("recurrent_layer.hidden_layer.weight", "w_rec"),
    ("recurrent_layer.hidden_layer.bias", "b_rec"),
    ("readout_layer.weight", "w_out"),
    ("readout_layer.bias", "b_out"),
]
OPTIONAL = [("recurrent_layer.alpha", "alpha"), ("recurrent_layer.hidden_state", "x0")]


def state_dict_numpy(net):
    m = net.native
    out = {}
    out["recurrent_layer.hidden_state"] = m.get_array("x0")  # as nn4n 1.1.1, always
    for name, key in NAMES:
        # nn4n stores the projected weight itself; the effective weight is what runs
        out[name] = m.get_array(key + "_eff") if key.startswith("w_") else m.get_array(key)
    if m.get("learn_alpha"):
        out["recurrent_layer.alpha"] = m.get_array("alpha")
    return out


def load_state_dict_numpy(net, sd, strict=True):
    m = net.native
    known = dict(NAMES + OPTIONAL)
    unknown = [k for k in sd if k not in known]
    if unknown and strict:
        raise errors.UnknownKey(f"unexpected keys in state_dict: {unknown}")
    missing = [k for k, _ in NAMES if k not in sd]
    if missing and strict:
        raise errors.UnknownKey(f"missing keys in state_dict: {missing}")
    for name, value in sd.items():
        key = known.get(name)
        if key is None:
            continue
        v = np.asarray(value, dtype=np.float64)
        if key == "alpha" and v.ndim == 0:
            m.set("alpha", float(v))
            continue
        if key.startswith("w_") and m.get_str("dale") != "clip":
            # rectify/abs keep the sign in the transform: raw = eff · sign
            sk = "sign" + key[1:]
            r, c = m.shape(sk)
            if r * c:
                v = v * m.get_array(sk)
        m.set_array(key, v)
