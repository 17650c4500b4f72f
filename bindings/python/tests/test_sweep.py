# SPDX-License-Identifier: MIT
"""nn4n.sweep: fault tolerance (kill -9 of a worker), bit-identical runs, resume after SIGINT."""

import glob
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest

distributed = pytest.importorskip("distributed")
from nn4n import sweep  # noqa: E402

BASE = {"structure": {"n_hid": 30}, "optimizer": {"kind": "sgd"},
        "trainer": {"valid_every": 200, "n_validation": 50, "max_trials": 10000}}


def _study():
    return sweep.Study(BASE, grid={"optimizer.lr": [0.01, 0.001]}, seeds=[1, 2, 3, 4], name="t")


def test_kill_worker_study_completes_identical_to_serial(tmp_path):
    study = _study()
    res = tmp_path / "dask"
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    killed = {}

    def killer():
        deadline = time.time() + 60
        while time.time() < deadline and not glob.glob(str(res / "runs" / ".tmp-*")):
            time.sleep(0.05)
        time.sleep(0.3)  # the run is in flight
        pids = client.run(os.getpid)
        addr, pid = sorted(pids.items())[0]
        killed["pid"], killed["tmp"] = pid, glob.glob(str(res / "runs" / ".tmp-*"))
        os.kill(pid, signal.SIGKILL)

    t = threading.Thread(target=killer)
    t.start()
    try:
        df = study.run(res, scheduler=client, progress=False)
    finally:
        t.join()
        client.close()
        cluster.close()
    assert "pid" in killed and killed["tmp"], "no worker was killed while a run was in flight"
    assert len(df) == 8 and (df["status"] == "ok").all()
    assert len(study.last_ran) == 8
    # each result is the same as the run done serially in this process
    for rid, _, cfg in study.configs():
        m = sweep.run_one(cfg)
        assert m["status"] == "ok"
        _, met, hist, model = sweep.load_record(res, rid)
        assert met["trials"] == m["trials"] and met["final_loss"] == m["final_loss"]
    serial = tmp_path / "serial"
    study.run_serial(serial)
    for rid, _, _ in study.configs():
        _, _, h1, w1 = sweep.load_record(res, rid)
        _, _, h2, w2 = sweep.load_record(serial, rid)
        assert sorted(w1) == sorted(w2)
        for k in w1:
            if w1[k].dtype.kind == "f":
                np.testing.assert_array_equal(w1[k], w2[k], err_msg=k)
        np.testing.assert_array_equal(h1[:, :6], h2[:, :6])  # column 6 is wall time
    # re-running does no new run
    again = study.run(res, progress=False, n_workers=1)
    assert study.last_ran == [] and len(again) == 8


def test_failed_run_is_recorded_and_study_goes_on(tmp_path):
    study = sweep.Study(BASE, grid={"structure.n_hid": [20, -5]}, seeds=[1], name="f")
    df = study.run_serial(tmp_path)
    assert sorted(df["status"]) == ["failed", "ok"]
    err = df[df["status"] == "failed"]["error"].iloc[0]
    assert "n_hid = -5 is negative" in err


def test_sigint_then_resume_runs_only_missing(tmp_path):
    toml = tmp_path / "s.toml"
    toml.write_text(textwrap.dedent("""
        [study]
        name = "r"
        seeds = [1, 2, 3, 4]
        [base.structure]
        n_hid = 30
        [base.optimizer]
        kind = "sgd"
        [base.trainer]
        valid_every = 200
        n_validation = 50
        max_trials = 10000
        [grid]
        "optimizer.lr" = [0.01, 0.001]
        """))
    res = tmp_path / "res"
    cmd = [sys.executable, "-m", "nn4n.sweep", str(toml), "-o", str(res), "--workers", "1", "--no-progress"]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 90
    while time.time() < deadline and len(glob.glob(str(res / "runs" / "*" / "metrics.json"))) < 2:
        time.sleep(0.05)
    p.send_signal(signal.SIGINT)
    out = p.communicate(timeout=60)[0]
    done = {os.path.basename(os.path.dirname(f)) for f in glob.glob(str(res / "runs" / "*" / "metrics.json"))}
    assert 2 <= len(done) < 8, out
    mtimes = {r: os.stat(res / "runs" / r / "metrics.json").st_mtime_ns for r in done}
    study = sweep.Study.from_toml(toml)
    df = study.run(res, n_workers=1, progress=False)
    assert len(df) == 8 and (df["status"] == "ok").all()
    assert sorted(study.last_ran) == sorted(r for r, _, _ in study.configs() if r not in done)
    for r in done:
        assert os.stat(res / "runs" / r / "metrics.json").st_mtime_ns == mtimes[r]
