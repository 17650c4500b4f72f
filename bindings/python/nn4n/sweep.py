# SPDX-License-Identifier: MIT
"""Studies (seeds × settings) on Dask distributed: resumable, fault tolerant.

A :class:`Study` is a base configuration (task, structure, model, objective,
optimizer, trainer stop rule), a grid and/or a random search over settings
named by dotted paths (``"optimizer.lr"``, ``"structure.n_hid"``), and a
list of seeds. Every run is one Dask task, :func:`run_one`, that builds
everything from its configuration (plain data: settings + seed, never a
library handle), trains with :class:`nn4n.train.Trainer` to the stop rule
and writes one record to the results directory::

    results/runs/<run id>/config.json, model.npz, history.csv, metrics.json

A record is written in a temporary directory and renamed into place, so it
is either complete or absent; the run id is a stable hash of the run's
configuration, and a study run again skips the runs whose record exists.
A run that raises is recorded with ``status = "failed"`` and its error; a
worker that dies mid-run is replaced by its nanny and Dask runs the task
again elsewhere (``distributed.scheduler.allowed-failures``).

>>> study = Study(base, grid={"optimizer.lr": [1e-3, 1e-2]}, seeds=range(4))
>>> df = study.run("results")            # LocalCluster sized to the machine
>>> df = study.run("results", scheduler="tcp://host:8786")

CLI: ``python -m nn4n.sweep study.toml [--scheduler ADDRESS] [--workers N]``.
"""

import copy
import hashlib
import itertools
import json
import math
import os
import shutil
import sys
import time
import traceback
import uuid

import numpy as np

__all__ = ["Study", "run_one", "run_id", "load_table", "load_record", "load_psychometric", "plot",
           "plot_psychometric", "psychometric", "psychometric_conditions", "main", "DEFAULT_BASE"]

#: DEFAULT_BASE is the base configuration every study starts from; a
#: study's ``base`` overrides it section by section.
DEFAULT_BASE = {
    "task": {"name": "rdm_dense", "dt": 20.0},
    "structure": {"kind": "pycog", "n_hid": 50},
    "model": {"precision": "float64"},
    "objective": None,        # None: the trainer's default (the task's); or {"kind": ..., settings}
    "optimizer": None,        # None: the trainer's default; or {"kind": "sgd"|"adam", settings}
    "trainer": {"valid_every": 200, "n_validation": 50, "max_trials": 2000},
    "threads": 1,             # library threads inside one run (one per worker process)
    # the trained model's psychometric curves (see psychometric()): trials per condition
    # (0: none), seed of the trials and of the model's noise, pycog's analysis timing (0/1)
    "psychometric": {"trials": 100, "seed": 7, "test": 1},
}

SECTIONS = ("task", "structure", "model", "objective", "optimizer", "trainer")


# ----------------------------------------------------------------- configs

def _merge(base, over):
    out = copy.deepcopy(base)
    for k, v in (over or {}).items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def _plain(v):
    """v as plain JSON data (numpy scalars → Python numbers)."""
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, np.generic):
        return v.item()
    return v


def _set_path(cfg, path, value):
    keys = path.split(".")
    if keys[0] not in SECTIONS:
        raise ValueError(f"swept setting {path!r}: the first part must be one of {SECTIONS}")
    if len(keys) < 2:
        raise ValueError(f"swept setting {path!r}: name a setting inside {keys[0]!r} (e.g. {keys[0]}.x)")
    d = cfg
    for k in keys[:-1]:
        if d.get(k) is None:
            d[k] = {}
        if not isinstance(d[k], dict):
            raise ValueError(f"swept setting {path!r}: {k!r} is not a section")
        d = d[k]
    d[keys[-1]] = value


def run_id(config):
    """run_id is the stable hash (16 hex digits of SHA-256) of a run's configuration."""
    text = json.dumps(_plain(config), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _sample(spec, rng, path):
    if isinstance(spec, (list, tuple)):
        return spec[int(rng.integers(len(spec)))]
    if not isinstance(spec, dict) or len(spec) != 1:
        raise ValueError(f"random setting {path!r}: give a list of choices or one of "
                         "{'uniform': [a, b]}, {'loguniform': [a, b]}, {'randint': [a, b]}")
    (kind, arg), = spec.items()
    if kind == "choice":
        return arg[int(rng.integers(len(arg)))]
    a, b = arg
    if kind == "uniform":
        return float(rng.uniform(a, b))
    if kind == "loguniform":
        if a <= 0 or b <= 0:
            raise ValueError(f"random setting {path!r}: loguniform bounds must be > 0, got {arg}")
        return float(math.exp(rng.uniform(math.log(a), math.log(b))))
    if kind == "randint":
        return int(rng.integers(a, b + 1))
    raise ValueError(f"random setting {path!r}: unknown distribution {kind!r} "
                     "(choice, uniform, loguniform, randint)")


class Study:
    """Study is a base configuration, a search over settings and a list of seeds.

    ``grid``: {path: [values]} (every combination); ``random``: {path: spec}
    with ``n_random`` draws (spec: list of choices, {"uniform": [a, b]},
    {"loguniform": [a, b]}, {"randint": [a, b]}), drawn reproducibly from
    ``search_seed``; with both, each random draw is combined with each grid
    point. ``seeds``: one run per seed per point.
    """

    def __init__(self, base=None, grid=None, random=None, n_random=0, seeds=(0,), search_seed=0,
                 name="study"):
        self.base = _merge(DEFAULT_BASE, base or {})
        unknown = set(self.base) - set(DEFAULT_BASE)
        if unknown:
            raise ValueError(f"study base: unknown sections {sorted(unknown)} (known: {sorted(DEFAULT_BASE)})")
        self.grid = dict(grid or {})
        for k, v in self.grid.items():
            if not isinstance(v, (list, tuple)) or not v:
                raise ValueError(f"grid setting {k!r}: give a non-empty list of values")
        self.random = dict(random or {})
        self.n_random = int(n_random)
        if self.random and self.n_random < 1:
            raise ValueError("a random search needs n_random ≥ 1")
        self.seeds = [int(s) for s in seeds]
        if not self.seeds:
            raise ValueError("a study needs at least one seed")
        self.search_seed = int(search_seed)
        self.name = name

    @property
    def swept(self):
        """swept lists the setting paths the study varies."""
        return list(self.grid) + [k for k in self.random if k not in self.grid]

    def points(self):
        """points returns the search points as a list of {path: value}."""
        keys = list(self.grid)
        grid = [dict(zip(keys, vals)) for vals in itertools.product(*(self.grid[k] for k in keys))]
        if not self.random:
            return grid
        rng = np.random.default_rng(self.search_seed)
        draws = [{k: _sample(spec, rng, k) for k, spec in self.random.items()} for _ in range(self.n_random)]
        return [{**g, **d} for g in grid for d in draws]

    def configs(self):
        """configs returns (run id, point, configuration) for every run of the study."""
        out = []
        for point in self.points():
            for seed in self.seeds:
                cfg = copy.deepcopy(self.base)
                for k, v in point.items():
                    _set_path(cfg, k, _plain(v))
                cfg["seed"] = seed
                cfg = _plain(cfg)
                out.append((run_id(cfg), {**_plain(point), "seed": seed}, cfg))
        return out

    @classmethod
    def from_toml(cls, path):
        """from_toml reads a study file: [study] name/seeds/search_seed/n_random,
        [base.<section>] tables, [grid] and [random] tables of dotted keys."""
        try:
            import tomllib
        except ImportError:  # Python < 3.11
            import tomli as tomllib
        with open(path, "rb") as f:
            doc = tomllib.load(f)
        st = doc.get("study", {})
        unknown = set(doc) - {"study", "base", "grid", "random"}
        if unknown:
            raise ValueError(f"{path}: unknown tables {sorted(unknown)} (study, base, grid, random)")
        return cls(base=doc.get("base"), grid=_flatten(doc.get("grid", {})),
                   random=_flatten(doc.get("random", {})), n_random=st.get("n_random", 0),
                   seeds=st.get("seeds", [0]), search_seed=st.get("search_seed", 0),
                   name=st.get("name", os.path.splitext(os.path.basename(path))[0]))

    def pending(self, results_dir):
        """pending returns the runs whose record is not yet in results_dir."""
        return [r for r in self.configs() if not _done(results_dir, r[0])]

    def run(self, results_dir, scheduler=None, n_workers=None, progress=True, retries=2,
            allowed_failures=3, log=None):
        """run executes the missing runs on Dask and returns the results table.

        ``scheduler``: address of an existing cluster, a ``distributed.Client``,
        or None for a LocalCluster of ``n_workers`` processes (default: the
        machine's cores), one thread each. ``retries``: Dask retries of a task
        that raises outside the run (a run's own error is recorded, not
        retried); ``allowed_failures``: how many workers may die running one
        task before it is given up. The results directory must be visible to
        the workers (a shared file system on a cluster).
        """
        import dask
        from distributed import Client, LocalCluster, as_completed
        log = log or (lambda s: print(s, file=sys.stderr, flush=True))
        results_dir = os.path.abspath(os.fspath(results_dir))
        os.makedirs(os.path.join(results_dir, "runs"), exist_ok=True)
        _clean_partial(results_dir)
        self._write_study(results_dir)
        todo = self.pending(results_dir)
        total = len(self.configs())
        log(f"nn4n.sweep: {self.name}: {total} runs, {total - len(todo)} already done, {len(todo)} to run")
        self.last_ran = []
        if not todo:
            return load_table(results_dir)
        cluster = client = None
        with dask.config.set({"distributed.scheduler.allowed-failures": int(allowed_failures)}):
            try:
                if scheduler is None:
                    n = int(n_workers or os.cpu_count() or 1)
                    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                           dashboard_address=":0")
                    client = Client(cluster)
                elif isinstance(scheduler, Client):
                    client = scheduler
                else:
                    client = Client(scheduler)
                log(f"nn4n.sweep: dashboard {client.dashboard_link}")
                futures = [client.submit(run_one, cfg, results_dir, key=f"nn4n-run-{rid}", pure=False,
                                         retries=int(retries)) for rid, _, cfg in todo]
                bar = _bar(len(futures), progress)
                failed = 0
                for fut in as_completed(futures):
                    m = fut.result()
                    self.last_ran.append(m["run_id"])
                    failed += m.get("status") != "ok"
                    if bar is not None:
                        bar.update(1)
                        bar.set_postfix_str(f"failed={failed}")
                if bar is not None:
                    bar.close()
            finally:
                if client is not None and client is not scheduler:
                    client.close()
                if cluster is not None:
                    cluster.close()
        return load_table(results_dir)

    def run_serial(self, results_dir):
        """run_serial executes the missing runs one after another in this process."""
        results_dir = os.path.abspath(os.fspath(results_dir))
        os.makedirs(os.path.join(results_dir, "runs"), exist_ok=True)
        _clean_partial(results_dir)
        self._write_study(results_dir)
        self.last_ran = []
        for rid, _, cfg in self.pending(results_dir):
            run_one(cfg, results_dir)
            self.last_ran.append(rid)
        return load_table(results_dir)

    def _write_study(self, results_dir):
        doc = {"name": self.name, "base": self.base, "grid": self.grid, "random": self.random,
               "n_random": self.n_random, "seeds": self.seeds, "search_seed": self.search_seed,
               "swept": self.swept}
        _atomic_write(os.path.join(results_dir, "study.json"), json.dumps(_plain(doc), indent=1))


def _flatten(d, prefix=""):
    """{"optimizer": {"lr": [..]}} (TOML's dotted keys) → {"optimizer.lr": [..]}."""
    out = {}
    for k, v in d.items():
        p = f"{prefix}{k}"
        if isinstance(v, dict) and not (len(v) == 1 and next(iter(v)) in
                                        ("uniform", "loguniform", "randint", "choice")):
            out.update(_flatten(v, p + "."))
        else:
            out[p] = v
    return out


def _bar(total, enabled):
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        from .train import _TextBar
        return _TextBar(total, "nn4n sweep")
    return tqdm(total=total, desc="nn4n sweep", unit="run")


# ----------------------------------------------------------------- records

def _run_dir(results_dir, rid):
    return os.path.join(results_dir, "runs", rid)


def _done(results_dir, rid):
    return os.path.exists(os.path.join(_run_dir(results_dir, rid), "metrics.json"))


def _clean_partial(results_dir):
    """Remove temporary record directories left by runs that were killed."""
    runs = os.path.join(results_dir, "runs")
    for name in os.listdir(runs):
        if name.startswith(".tmp-"):
            shutil.rmtree(os.path.join(runs, name), ignore_errors=True)


def _atomic_write(path, text):
    tmp = f"{path}.tmp-{uuid.uuid4().hex}"
    with open(tmp, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _commit(results_dir, rid, tmp):
    """Rename the finished temporary record into place (atomic); a record
    already there (the same run finished twice) is kept."""
    final = _run_dir(results_dir, rid)
    try:
        os.rename(tmp, final)
    except OSError:
        if not _done(results_dir, rid):
            raise
        shutil.rmtree(tmp, ignore_errors=True)


# ----------------------------------------------------------------- one run

def _build(cfg):
    """The task, model, objective and optimizer of one run, made from settings and seed."""
    import nn4n
    seed = int(cfg["seed"])
    t = dict(cfg["task"])
    task = nn4n.tasks.Task(t.pop("name"), dt=float(t.pop("dt", 20.0)), **t)
    n_in, n_out = int(task.get("inputs")), int(task.get("outputs"))
    m = dict(cfg.get("model") or {})
    precision = m.pop("precision", "float64")
    s = dict(cfg.get("structure") or {})
    if s:
        kind, n_hid = s.pop("kind", "pycog"), int(s.pop("n_hid"))
        st = nn4n.Structure(kind, n_in, n_hid, n_out, seed=seed, **s).build()
        model = nn4n.Model.from_structure(st, precision=precision, seed=seed, **m)
    else:
        n_hid = int(m.pop("n_hid"))
        model = nn4n.Model(n_in, n_hid, n_out, precision=precision, seed=seed, **m)
    if {"init", "spectral_radius", "balance"} & set(m):  # settings that act at the next reinitialize
        model.reinitialize()
    obj = opt = None
    if cfg.get("objective"):
        o = dict(cfg["objective"])
        obj = nn4n.Objective(o.pop("kind"), **o)
    if cfg.get("optimizer"):
        o = dict(cfg["optimizer"])
        opt = nn4n.Optimizer(o.pop("kind", "adam"), **o)
    return task, model, obj, opt


#: PSYCHOMETRIC_GROUPS names, per task, the condition column that splits its
#: psychometric curves and the names of its values (one curve per value).
PSYCHOMETRIC_GROUPS = {
    "mante": ("context", {1: "motion", 2: "colour"}),
    "mante_areas": ("context", {1: "motion", 2: "colour"}),
    "multisensory": ("modality", {1: "visual", 2: "auditory", 3: "multisensory"}),
}


def psychometric_conditions(task, trials=100, seed=7):
    """psychometric_conditions returns the held-out condition table (rows of
    :attr:`nn4n.tasks.Task.CONDITION_COLUMNS`) of a psychometric analysis:
    every non-catch condition of the task's validation set ``trials`` times,
    and for the rdm tasks also 0 % coherence (not a training condition)."""
    n_cond = int(task.get("n_conditions"))
    cond = task.sample(n_cond, "validation", seed=seed)["conditions"]
    col = {c: k for k, c in enumerate(task.CONDITION_COLUMNS)}
    cond = cond[cond[:, col["catch"]] == 0]
    if task.name.startswith("rdm") and not (cond[:, col["coherence"]] == 0).any():
        zero = np.zeros((1, cond.shape[1]))
        zero[0, col["sign"]] = 1
        cond = np.vstack([zero, cond])
    cond[:, col["choice"]] = cond[:, col["steps"]] = 0  # set by the task
    return np.repeat(cond, int(trials), axis=0)


def psychometric(task, model, settings=None):
    """psychometric returns the psychometric curves of ``model`` on held-out
    trials of ``task``: {group: {"x", "n", "k", "fit"}} with P(choice 0) =
    k/n at each stimulus x (signed coherence in %, or frequency; see
    :meth:`nn4n.tasks.Task.psychometric`) and the maximum-likelihood
    cumulative-Gaussian fit (mu, sigma, standard errors; None when the
    choices separate perfectly or fall with the stimulus).

    The trials are :func:`psychometric_conditions` (``settings["trials"]``
    per condition, default 100; 0: no analysis) with pycog's analysis timing
    (``settings["test"]``, default 1), drawn with ``settings["seed"]``, which
    also seeds the model's noise: a run's curves are reproducible. The
    model's noise settings are those it was trained with. mante's trials
    are split by context and multisensory's by modality
    (PSYCHOMETRIC_GROUPS); other tasks have one group, "all". Returns None
    for sinewave (no choices) or ``trials = 0``.
    """
    from .errors import NumericError
    settings = {**DEFAULT_BASE["psychometric"], **(settings or {})}
    unknown = set(settings) - set(DEFAULT_BASE["psychometric"])
    if unknown:
        raise ValueError(f"psychometric: unknown settings {sorted(unknown)} "
                         f"(known: {sorted(DEFAULT_BASE['psychometric'])})")
    trials, seed = int(settings["trials"]), int(settings["seed"])
    if task.name == "sinewave" or trials <= 0:
        return None
    task.set("test", float(settings["test"]))
    cond = psychometric_conditions(task, trials, seed)
    col = {c: k for k, c in enumerate(task.CONDITION_COLUMNS)}
    if task.name in PSYCHOMETRIC_GROUPS:
        key, names = PSYCHOMETRIC_GROUPS[task.name]
        groups = [(names[v], cond[:, col[key]] == v) for v in sorted(names)]
    else:
        groups = [("all", np.ones(len(cond), bool))]
    out = {}
    for g, rows in groups:
        if not rows.any():
            continue
        b = task.sample_conditions(cond[rows], seed=seed)
        model.set("seed", seed)
        y = model.forward(b["input"], rates=False)[0]
        try:
            c = task.psychometric(y, choice=0, fit=True)
        except NumericError:
            c = task.psychometric(y, choice=0, fit=False)
            c["fit"] = None
        out[g] = {"x": c["x"].tolist(), "n": c["n"].tolist(), "k": c["k"].tolist(), "fit": c["fit"]}
    return out


def run_one(config, results_dir=None):
    """run_one trains one run from its configuration and returns its metrics.

    Everything is built here from ``config`` (settings + ``seed``), with the
    library on ``config["threads"]`` threads, so the result is the same in
    any process. With ``results_dir`` the record is written atomically to
    ``results_dir/runs/<run id>/`` and an existing record is returned as is.
    An error inside the run is recorded (status "failed", error, traceback).
    """
    import nn4n
    from .core import HISTORY_COLUMNS
    rid = run_id(config)
    if results_dir is not None and _done(results_dir, rid):
        with open(os.path.join(_run_dir(results_dir, rid), "metrics.json")) as f:
            return json.load(f)
    tmp = None
    if results_dir is not None:
        tmp = os.path.join(results_dir, "runs", f".tmp-{rid}-{uuid.uuid4().hex[:8]}")
        os.makedirs(tmp)
        with open(os.path.join(tmp, "config.json"), "w") as f:
            json.dump(config, f, indent=1, sort_keys=True)
    metrics = {"run_id": rid, "seed": config["seed"], "host": os.uname().nodename, "pid": os.getpid()}
    t0, c0 = time.time(), time.process_time()
    try:
        nn4n.set_num_threads(int(config.get("threads", 1)))
        task, model, obj, opt = _build(config)
        tr = nn4n.train.Trainer(model, task, obj, opt, seed=int(config["seed"]), **config.get("trainer", {}))
        hist = tr.fit(progress=False)
        converged = bool(tr.get("converged"))
        trials = int(tr.get("trials"))
        last = hist[-1] if len(hist) else np.full(len(HISTORY_COLUMNS), np.nan)
        col = {c: k for k, c in enumerate(HISTORY_COLUMNS)}
        metrics.update(status="ok", reason=tr.reason, converged=converged, trials=trials,
                       updates=int(tr.get("updates")), n_validations=int(tr.get("n_validations")),
                       final_loss=float(last[col["loss"]]), final_rmse=float(last[col["rmse"]]),
                       final_perf=float(last[col["perf"]]),
                       best_perf=float(np.nanmax(hist[:, col["perf"]])) if len(hist) else float("nan"),
                       best_loss=float(tr.get("best_loss")) if len(hist) else float("nan"),
                       trials_to_criterion=trials if converged else None)
        if tmp is not None:
            model.save(os.path.join(tmp, "model.npz"))  # before psychometric() reseeds the model
        psy = psychometric(task, model, config.get("psychometric"))
        for g, c in (psy or {}).items():
            fit = c.get("fit") or {}
            sfx = "" if g == "all" else f"_{g}"
            metrics[f"psy_mu{sfx}"], metrics[f"psy_sigma{sfx}"] = fit.get("mu"), fit.get("sigma")
        if tmp is not None:
            if psy is not None:
                with open(os.path.join(tmp, "psychometric.json"), "w") as f:
                    json.dump(_plain(psy), f, indent=1)
            np.savetxt(os.path.join(tmp, "history.csv"), hist, delimiter=",",
                       header=",".join(HISTORY_COLUMNS), comments="")
    except Exception as e:  # recorded, and the study goes on
        metrics.update(status="failed", error=f"{type(e).__name__}: {e}", traceback=traceback.format_exc())
    metrics["seconds"] = time.time() - t0
    metrics["cpu_seconds"] = time.process_time() - c0  # this process's CPU time (all its threads)
    if tmp is not None:
        _atomic_write(os.path.join(tmp, "metrics.json"), json.dumps(_plain(metrics), indent=1))
        _commit(results_dir, rid, tmp)
    return metrics


# ----------------------------------------------------------------- tables, plots

def load_record(results_dir, rid):
    """load_record returns (config, metrics, history array, model .npz dict) of one run."""
    d = _run_dir(os.fspath(results_dir), rid)
    with open(os.path.join(d, "config.json")) as f:
        cfg = json.load(f)
    with open(os.path.join(d, "metrics.json")) as f:
        met = json.load(f)
    hist = model = None
    if os.path.exists(os.path.join(d, "history.csv")):
        hist = np.loadtxt(os.path.join(d, "history.csv"), delimiter=",", skiprows=1, ndmin=2)
    if os.path.exists(os.path.join(d, "model.npz")):
        with np.load(os.path.join(d, "model.npz"), allow_pickle=False) as z:
            model = {k: z[k] for k in z.files}
    return cfg, met, hist, model


def _get_path(cfg, path):
    d = cfg
    for k in path.split("."):
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def load_table(results_dir, write=True):
    """load_table returns one row per completed run (swept settings, seed,
    metrics) as a pandas DataFrame; with ``write`` it is also saved as
    results.parquet (when pyarrow is installed) and results.csv."""
    import pandas as pd
    results_dir = os.fspath(results_dir)
    swept = []
    sp = os.path.join(results_dir, "study.json")
    if os.path.exists(sp):
        with open(sp) as f:
            swept = json.load(f).get("swept", [])
    rows = []
    runs = os.path.join(results_dir, "runs")
    for rid in sorted(os.listdir(runs)) if os.path.isdir(runs) else []:
        if rid.startswith(".") or not _done(results_dir, rid):
            continue
        with open(os.path.join(runs, rid, "config.json")) as f:
            cfg = json.load(f)
        with open(os.path.join(runs, rid, "metrics.json")) as f:
            met = json.load(f)
        met.pop("traceback", None)
        rows.append({**{k: _get_path(cfg, k) for k in swept}, **met})
    df = pd.DataFrame(rows)
    if write and len(df):
        df.to_csv(os.path.join(results_dir, "results.csv"), index=False)
        try:
            df.to_parquet(os.path.join(results_dir, "results.parquet"), index=False)
        except ImportError:
            pass
    return df


def plot(results_dir, metric="best_perf", out=None):
    """plot draws, for each swept setting, ``metric`` against the setting
    (mean ± s.d. over seeds, each run a dot) and the distribution of trials
    to criterion; saves the figure (default results_dir/sweep.png) and
    returns its path."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    results_dir = os.fspath(results_dir)
    df = load_table(results_dir, write=False)
    with open(os.path.join(results_dir, "study.json")) as f:
        swept = json.load(f).get("swept", [])
    ok = df[df["status"] == "ok"] if len(df) else df
    panels = len(swept) + 1
    fig, axes = plt.subplots(1, panels, figsize=(4 * panels, 3.2), squeeze=False)
    for ax, key in zip(axes[0], swept):
        g = ok.groupby(key)[metric]
        xs = list(g.mean().index)
        pos = np.arange(len(xs)) if not all(isinstance(x, (int, float)) for x in xs) else np.asarray(xs, float)
        ax.errorbar(pos, g.mean().values, yerr=g.std().fillna(0).values, fmt="o-", capsize=3)
        for p, x in zip(pos, xs):
            v = ok[ok[key] == x][metric].values
            ax.plot(np.full(len(v), p), v, ".", color="0.6")
        if not all(isinstance(x, (int, float)) for x in xs):
            ax.set_xticks(pos, [str(x) for x in xs])
        elif len(xs) > 1 and min(xs) > 0 and max(xs) / min(xs) > 20:
            ax.set_xscale("log")
        ax.set_xlabel(key)
        ax.set_ylabel(metric + " (mean ± s.d. over seeds)")
    ax = axes[0][-1]
    ttc = ok["trials_to_criterion"].dropna().values if "trials_to_criterion" in ok else []
    if len(ttc):
        ax.hist(ttc, bins=min(20, max(3, len(ttc))))
    ax.ticklabel_format(axis="x", style="sci", scilimits=(0, 0))
    ax.set_xlabel("trials to criterion")
    ax.set_ylabel("runs")
    ax.set_title(f"{len(ttc)} of {len(ok)} runs reached criterion", fontsize=9)
    fig.tight_layout()
    out = out or os.path.join(results_dir, "sweep.png")
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return out


_PSY_XLABEL = {"multisensory": "event rate (Hz)", "romo": "f1 - f2 (Hz)"}


def _swept(results_dir):
    sp = os.path.join(results_dir, "study.json")
    if not os.path.exists(sp):
        return []
    with open(sp) as f:
        return json.load(f).get("swept", [])


def load_psychometric(results_dir):
    """load_psychometric returns the psychometric points of every completed
    run as a long pandas DataFrame: run_id, seed, the swept settings, task,
    group, x, n, k, p = k/n (one row per run, group and stimulus)."""
    import pandas as pd
    results_dir = os.fspath(results_dir)
    swept = _swept(results_dir)
    rows = []
    runs = os.path.join(results_dir, "runs")
    for rid in sorted(os.listdir(runs)) if os.path.isdir(runs) else []:
        path = os.path.join(runs, rid, "psychometric.json")
        if rid.startswith(".") or not _done(results_dir, rid) or not os.path.exists(path):
            continue
        with open(os.path.join(runs, rid, "config.json")) as f:
            cfg = json.load(f)
        with open(path) as f:
            psy = json.load(f)
        head = {"run_id": rid, "seed": cfg["seed"], **{k: _get_path(cfg, k) for k in swept if k != "seed"},
                "task": cfg["task"]["name"]}
        for g, c in psy.items():
            for x, n, k in zip(c["x"], c["n"], c["k"]):
                rows.append({**head, "group": g, "x": x, "n": n, "k": k, "p": k / n if n else float("nan")})
    return pd.DataFrame(rows)


def plot_psychometric(results_dir, out=None):
    """plot_psychometric draws the psychometric curves of a study, one panel
    per task: one curve per search point and condition group (mante's
    contexts, multisensory's modalities) overlaid, P(choice 0) as the mean ±
    s.d. over seeds at each stimulus, and the cumulative Gaussian
    Phi((x - mu)/sigma) at the seeds' mean mu and sigma (runs without a fit
    left out of it); saves the figure (default results_dir/psychometric.png)
    and returns its path (None when no run has psychometric data)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    results_dir = os.fspath(results_dir)
    pts = load_psychometric(results_dir)
    if not len(pts):
        return None
    fits = {}
    for rid in pts["run_id"].unique():
        with open(os.path.join(_run_dir(results_dir, rid), "psychometric.json")) as f:
            for g, c in json.load(f).items():
                if c.get("fit"):
                    fits[(rid, g)] = (c["fit"]["mu"], c["fit"]["sigma"])
    swept = [k for k in _swept(results_dir) if k != "seed" and k in pts and k != "task.name"]
    tasks = sorted(pts["task"].unique())
    fig, axes = plt.subplots(1, len(tasks), figsize=(4.8 * len(tasks), 3.6), squeeze=False)
    styles = ["-", "--", ":", "-."]
    for ax, name in zip(axes[0], tasks):
        d = pts[pts["task"] == name]
        groups = list(dict.fromkeys(d["group"]))
        keys = swept + ["group"]
        for j, (label, c) in enumerate(d.groupby(keys, sort=True, dropna=False) if swept else d.groupby("group", sort=False)):
            label = label if isinstance(label, tuple) else (label,)
            g = label[-1]
            per_x = c.groupby("x")["p"]
            xs, mean, sd = per_x.mean().index.values, per_x.mean().values, per_x.std().fillna(0).values
            name_l = ", ".join(f"{k.split('.')[-1]}={v}" for k, v in zip(swept, label[:-1]))
            name_l = (name_l + (f", {g}" if g != "all" else "")).strip(", ") or "all"
            seeds = c["run_id"].nunique()
            eb = ax.errorbar(xs, mean, yerr=sd, fmt="o", ms=3.5, capsize=2, label=f"{name_l} ({seeds} seeds)")
            fs = [fits[(r, g)] for r in c["run_id"].unique() if (r, g) in fits]
            if fs:
                mu, sigma = np.mean(fs, axis=0)
                grid = np.linspace(xs.min(), xs.max(), 200)
                ax.plot(grid, [0.5 * (1 + math.erf((v - mu) / (sigma * math.sqrt(2)))) for v in grid],
                        styles[groups.index(g) % len(styles)], color=eb[0].get_color(), lw=1.2)
        ax.set_ylim(-0.03, 1.03)
        ax.axhline(0.5, color="0.85", lw=0.8, zorder=0)
        ax.set_xlabel(_PSY_XLABEL.get(name, "signed coherence (%)"))
        ax.set_ylabel("P(choose output 0)")
        ax.set_title(name, fontsize=10)
        ax.legend(fontsize=7, frameon=False)
    fig.tight_layout()
    out = out or os.path.join(results_dir, "psychometric.png")
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return out


# ----------------------------------------------------------------- CLI

def main(argv=None):
    """main is the command line: ``python -m nn4n.sweep study.toml [options]``."""
    import argparse
    ap = argparse.ArgumentParser(prog="python -m nn4n.sweep", description=__doc__.split("\n")[0])
    ap.add_argument("study", help="study file (TOML)")
    ap.add_argument("-o", "--results", help="results directory (default: <study name>-results)")
    ap.add_argument("--scheduler", help="address of an existing Dask scheduler (default: a LocalCluster)")
    ap.add_argument("--workers", type=int, help="LocalCluster worker processes (default: the cores)")
    ap.add_argument("--serial", action="store_true", help="run in this process, without Dask")
    ap.add_argument("--no-progress", action="store_true")
    ap.add_argument("--plot", metavar="METRIC", nargs="?", const="best_perf",
                    help="draw the study's figure afterwards (default metric best_perf)")
    a = ap.parse_args(argv)
    study = Study.from_toml(a.study)
    results = a.results or f"{study.name}-results"
    try:
        if a.serial:
            df = study.run_serial(results)
        else:
            df = study.run(results, scheduler=a.scheduler, n_workers=a.workers, progress=not a.no_progress)
    except KeyboardInterrupt:
        print("nn4n.sweep: interrupted; completed runs are kept, run again to resume", file=sys.stderr)
        return 130
    n_ok = int((df["status"] == "ok").sum()) if len(df) else 0
    print(f"nn4n.sweep: ran {len(study.last_ran)}; {len(df)} records ({n_ok} ok) in {results}")
    if a.plot:
        print(f"nn4n.sweep: figure {plot(results, metric=a.plot)}")
        psy = plot_psychometric(results)
        if psy:
            print(f"nn4n.sweep: figure {psy}")
    return 0


if __name__ == "__main__":
    # import the module by its name, so that Dask pickles nn4n.sweep.run_one by reference
    from nn4n.sweep import main as _main
    sys.exit(_main())
