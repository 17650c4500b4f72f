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
        p1, p2 = (open(d / "runs" / rid / "psychometric.json").read() for d in (res, serial))
        assert p1 == p2
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


def test_psychometric_records_table_and_figure(tmp_path):
    base = {**BASE, "trainer": {**BASE["trainer"], "max_trials": 2000}, "psychometric": {"trials": 30}}
    study = sweep.Study(base, grid={"optimizer.lr": [0.01, 0.001]}, seeds=[1, 2], name="p")
    df = study.run_serial(tmp_path)
    assert len(df) == 4 and (df["status"] == "ok").all()
    assert "psy_mu" in df and "psy_sigma" in df
    pts = sweep.load_psychometric(tmp_path)
    # 11 stimuli per run: the 10 signed coherences of training and the held-out 0 %
    assert len(pts) == 4 * 11 and (pts["n"] == 30).all() and set(pts["group"]) == {"all"}
    assert 0.0 in set(pts["x"]) and sorted(set(pts["x"]))[-1] == 51.2
    assert set(pts["optimizer.lr"]) == {0.01, 0.001}
    np.testing.assert_array_equal(pts["p"], pts["k"] / pts["n"])
    # the curves are those of the saved model: recomputed from model.npz, bit for bit
    import nn4n
    for rid, _, cfg in study.configs():
        task = sweep._build(cfg)[0]
        model = nn4n.Model.load(tmp_path / "runs" / rid / "model.npz")
        again = sweep.psychometric(task, model, cfg["psychometric"])
        mine = pts[pts["run_id"] == rid].sort_values("x")
        np.testing.assert_array_equal(mine["k"].values, again["all"]["k"])
        np.testing.assert_array_equal(mine["x"].values, again["all"]["x"])
    png = sweep.plot_psychometric(tmp_path)
    assert png == str(tmp_path / "psychometric.png")
    with open(png, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    import matplotlib.image
    assert matplotlib.image.imread(png).shape[:2] == (360, 480)


def test_psychometric_groups_per_condition(tmp_path):
    import nn4n
    cfg = sweep.Study({"task": {"name": "mante"}, "structure": {"n_hid": 20}}, seeds=[3]).configs()[0][2]
    task, model, _, _ = sweep._build(cfg)
    psy = sweep.psychometric(task, model, {"trials": 4})
    assert sorted(psy) == ["colour", "motion"]
    for c in psy.values():  # 36 conditions per context, 6 signed coherences of the cued modality
        assert len(c["x"]) == 6 and sum(c["n"]) == 36 * 4
    task = nn4n.tasks.Task("multisensory")
    assert sorted(sweep.psychometric(task, model_ms(task), {"trials": 2})) == ["auditory", "multisensory", "visual"]
    assert sweep.psychometric(nn4n.tasks.Task("sinewave"), nn4n.Model(0, 10, 1), None) is None
    assert sweep.psychometric(task, model_ms(task), {"trials": 0}) is None
    with pytest.raises(ValueError, match="unknown settings"):
        sweep.psychometric(task, model_ms(task), {"trails": 3})


def model_ms(task):
    import nn4n
    return nn4n.Model(int(task.get("inputs")), 12, int(task.get("outputs")), seed=1)


def test_slurm_example_renders_single_core_job_script():
    """The documented SLURM example builds its cluster and job script here (nothing is submitted:
    there is no SLURM on this machine)."""
    pytest.importorskip("dask_jobqueue")
    import importlib.util
    path = os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples", "python", "sweep_slurm.py")
    spec = importlib.util.spec_from_file_location("sweep_slurm", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    cluster = mod.make_cluster(queue="q1", walltime="01:00:00")
    try:
        script = cluster.job_script()
    finally:
        cluster.close()
    assert "#SBATCH --cpus-per-task=1" in script and "#SBATCH -p q1" in script and "#SBATCH -t 01:00:00" in script
    assert "--nthreads 1" in script and "--nworkers" not in script  # one single-threaded worker per job
    assert sys.executable in script
