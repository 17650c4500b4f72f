# SPDX-License-Identifier: MIT
import os
import subprocess
import sys

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))


def torch_ref_path():
    """Folder holding PyTorch nn4n 1.1.1 (make python installs it in .venv/nn4n-torch-1.1.1)."""
    p = os.environ.get("NN4N_TORCH_REF")
    if not p:
        root = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
        cand = os.path.join(root, ".venv", "nn4n-torch-1.1.1")
        p = cand if os.path.isdir(cand) else None
    return p


@pytest.fixture(scope="session")
def torch_ref():
    """Run tests/torch_ref.py on a case dict in a subprocess; returns its output dict."""
    path = torch_ref_path()
    if path is None or not os.path.isdir(os.path.join(path, "nn4n")):
        if os.environ.get("NN4N_TORCH_REF"):
            pytest.fail(f"NN4N_TORCH_REF={path} holds no nn4n package")
        pytest.skip("PyTorch nn4n 1.1.1 reference not installed (run `make python`)")
    try:
        import torch  # noqa: F401
    except ImportError:
        pytest.skip("torch not installed")

    def run(case, tmp_path):
        cin, cout = tmp_path / "case.npz", tmp_path / "ref.npz"
        np.savez(cin, **case)
        env = dict(os.environ, PYTHONPATH=path)
        r = subprocess.run([sys.executable, os.path.join(HERE, "torch_ref.py"), str(cin), str(cout)],
                           env=env, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        return dict(np.load(cout))
    return run
