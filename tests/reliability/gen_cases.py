# SPDX-License-Identifier: MIT
"""gen_cases.py GOOD.npz OUTDIR: writes hostile model files made the way a
numpy user (or an attacker) would make them, and OUTDIR/cases.tsv with one
line per file: file, expected status name, a substring the error must hold.
Every door (C, Python, Octave) loads the same files."""
import io
import json
import os
import sys
import zipfile

import numpy as np

good, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
with np.load(good) as f:
    arrays = {k: f[k] for k in f.files}
cfg = json.loads(str(arrays["config"]))
n, ni, no = cfg["units"], cfg["inputs"], cfg["outputs"]
cases = []


def npy_bytes(a, allow_pickle=False):
    b = io.BytesIO()
    np.save(b, a, allow_pickle=allow_pickle)
    return b.getvalue()


def write(name, members, status, want, compress=zipfile.ZIP_STORED):
    """members: {entry name: bytes}; entries of arrays not in members are copied."""
    path = os.path.join(out, name + ".npz")
    with zipfile.ZipFile(path, "w", compress) as z:
        for k, v in members.items():
            z.writestr(k, v)
    cases.append((name + ".npz", status, want))


def model(**repl):
    m = {k + ".npy": npy_bytes(v) for k, v in arrays.items()}
    for k, v in repl.items():
        if v is None:
            m.pop(k + ".npy", None)
        else:
            m[k + ".npy"] = v if isinstance(v, bytes) else npy_bytes(v, allow_pickle=True)
    return m


def header(descr, shape):
    d = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape)
    d += " " * (63 - (10 + len(d)) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + len(d).to_bytes(2, "little") + d.encode()


def bomb(name, entry, hdr, nbytes, want):
    path = os.path.join(out, name + ".npz")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in model().items():
            if k != entry:
                z.writestr(k, v)
        with z.open(entry, "w", force_zip64=True) as w:
            w.write(hdr)
            chunk = bytes(1 << 24)
            for _ in range(nbytes // len(chunk)):
                w.write(chunk)
    cases.append((name + ".npz", "NN4N_ERR_FORMAT", want))


# zip bombs: 1 GiB of zeros deflated to ~1 MiB, behind a plausible header
bomb("bomb_w_rec", "w_rec.npy", header("<f8", "(16384, 8192)"), 1 << 30, "w_rec has shape [16384 8192]")
bomb("bomb_unknown", "junk.npy", header("<f8", "(134217728,)"), 1 << 30, 'unknown array "junk"')
bomb("bomb_config", "config.npy", header("<U16777216", "()"), 1 << 26, "over the read limit")
# pickles and object arrays (np.save with allow_pickle)
write("object_w_rec", model(w_rec=npy_bytes(np.empty((n, n), dtype=object), True)), "NN4N_ERR_FORMAT", "object arrays need pickle")
write("pickle_config", model(config=npy_bytes(np.array({"format": "nn4n-model"}, dtype=object), True)), "NN4N_ERR_FORMAT", "pickle")
write("pickle_member", {**model(), "evil.pkl": b"\x80\x04\x95\x1d\x00\x00\x00\x00\x00\x00\x00\x8c\x02os\x94\x8c\x06system\x94\x93\x94."}, "NN4N_ERR_FORMAT", "not a .npy entry")
# wrong dtypes and kinds
write("complex_w_in", model(w_in=arrays["w_in"].astype(np.complex128)), "NN4N_ERR_FORMAT", 'unsupported dtype "<c16"')
write("structured_b_in", model(b_in=np.zeros(n, dtype=[("a", "<f8")])), "NN4N_ERR_FORMAT", "unsupported dtype")
write("datetime_alpha", model(alpha=np.zeros(n, dtype="datetime64[s]")), "NN4N_ERR_FORMAT", "unsupported dtype")
write("string_w_out", model(w_out=np.array("not a weight")), "NN4N_ERR_FORMAT", "w_out is a text")
write("config_array", model(config=np.zeros(3)), "NN4N_ERR_FORMAT", "config is an array")
write("float16_x0", model(x0=arrays["x0"].astype(np.float16)), "NN4N_ERR_FORMAT", "only f4 and f8")
# shapes
write("shape_transposed_w_in", model(w_in=np.ascontiguousarray(arrays["w_in"].T)) if ni != n else model(w_in=np.zeros((n, n + 1))),
      "NN4N_ERR_FORMAT", "w_in has shape")
write("shape_huge_header", model(w_rec=header("<f8", "(2147483647, 2147483647)")), "NN4N_ERR_FORMAT", "more than")
write("shape_negative", model(w_rec=header("<f8", "(-7, 7)")), "NN4N_ERR_FORMAT", "w_rec.npy")
write("shape_65_dims", model(w_rec=header("<f8", "(" + "1, " * 65 + ")")), "NN4N_ERR_FORMAT", "dimensions")
# truncation, duplicates, garbage
write("truncated_member", model(w_rec=npy_bytes(arrays["w_rec"])[:-9]), "NN4N_ERR_FORMAT", "data has")
with open(good, "rb") as f:
    raw = f.read()
for k, frac in [("truncated_file_half", 0.5), ("truncated_file_tail", 0.99)]:
    with open(os.path.join(out, k + ".npz"), "wb") as f:
        f.write(raw[: int(len(raw) * frac)])
    cases.append((k + ".npz", "NN4N_ERR_FORMAT", "zip"))
dup = os.path.join(out, "duplicate_member.npz")
with zipfile.ZipFile(dup, "w") as z:
    for k, v in model().items():
        z.writestr(k, v)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        z.writestr("w_rec.npy", npy_bytes(arrays["w_rec"]))
cases.append(("duplicate_member.npz", "NN4N_ERR_FORMAT", "duplicate entry"))
write("garbage_header", model(x0=b"\x93NUMPY\x01\x00\x10\x00{'descr': evil}"), "NN4N_ERR_FORMAT", "x0.npy")
write("bad_magic", model(b_rec=b"PK\x03\x04" + bytes(100)), "NN4N_ERR_FORMAT", "bad magic")
write("nan_weight", model(w_out=np.full(arrays["w_out"].shape, np.nan)), "NN4N_ERR_FORMAT", "not finite")
write("no_config", model(config=None), "NN4N_ERR_FORMAT", "no config entry")
big = dict(cfg, units=1 << 20)
write("config_units_2e20", model(config=np.array(json.dumps(big))), "NN4N_ERR_MEMORY", "memory limit")
write("config_units_negative", model(config=np.array(json.dumps(dict(cfg, units=-3)))), "NN4N_ERR_FORMAT", "")
write("config_not_json", model(config=np.array("{not json")), "NN4N_ERR_FORMAT", "config")
with open(os.path.join(out, "empty.npz"), "wb"):
    pass
cases.append(("empty.npz", "NN4N_ERR_FORMAT", "zip"))
with open(os.path.join(out, "not_zip.npz"), "wb") as f:
    f.write(b"\x80\x04K\x01." * 10)
cases.append(("not_zip.npz", "NN4N_ERR_FORMAT", "zip"))
cases.append(("missing.npz", "NN4N_ERR_IO", "no such file"))
os.makedirs(os.path.join(out, "a_directory.npz"), exist_ok=True)
cases.append(("a_directory.npz", "NN4N_ERR_IO", "directory"))
with open(os.path.join(out, "cases.tsv"), "w") as f:
    for c in cases:
        f.write("\t".join(c) + "\n")
print("gen_cases: %d hostile files" % len(cases))
