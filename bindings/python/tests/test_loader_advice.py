# SPDX-License-Identifier: MIT
"""The loader's advice when libnn4n.so cannot be loaded fits the install
(wheel vs source) and names the missing file (nn4n._lib._advice)."""

from nn4n import _lib


def test_wheel_install_names_missing_dependency(monkeypatch, tmp_path):
    mark = tmp_path / "_wheel.txt"
    mark.write_text("wheel\n")
    monkeypatch.setattr(_lib, "_WHEEL_MARK", str(mark))
    err = OSError("libscipy_openblas-1209e25e.so: cannot open shared object file: No such file or directory")
    msg = _lib._advice(err)
    assert "installed from a wheel" in msg
    assert "libscipy_openblas-1209e25e.so" in msg and "nn4n.libs" in msg
    assert "pip install --force-reinstall" in msg
    assert "make" not in msg


def test_wheel_install_missing_library_itself(monkeypatch, tmp_path):
    mark = tmp_path / "_wheel.txt"
    mark.write_text("wheel\n")
    monkeypatch.setattr(_lib, "_WHEEL_MARK", str(mark))
    msg = _lib._advice(None)
    assert "installed from a wheel" in msg and "libnn4n.so" in msg


def test_source_install_missing_openblas(monkeypatch, tmp_path):
    monkeypatch.setattr(_lib, "_WHEEL_MARK", str(tmp_path / "absent"))
    msg = _lib._advice(OSError("libopenblas.so.0: cannot open shared object file: No such file or directory"))
    assert "libopenblas.so.0" in msg and "OpenBLAS" in msg
    assert "from a wheel" not in msg


def test_source_install_not_built(monkeypatch, tmp_path):
    monkeypatch.setattr(_lib, "_WHEEL_MARK", str(tmp_path / "absent"))
    msg = _lib._advice(None)
    assert "source install" in msg and "make" in msg and "libnn4n.so" in msg
