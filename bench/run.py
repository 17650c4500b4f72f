#!/usr/bin/env python3
"""make bench: nn4n here (libnn4n through the Python binding, float32 and
float64, and the Go engine underneath) against PyTorch nn4n 1.1.1, side by
side in one run on this machine, in interleaved rounds. Writes
build/bench/results.json and the generated part of docs/BENCHMARKS.md.

    .venv/bin/python bench/run.py            # the full run (make bench)
    BENCH_QUICK=1 .venv/bin/python bench/run.py   # a ~2-minute smoke run
    .venv/bin/python bench/run.py --smoke    # a few seconds: every script runs (make test)
    .venv/bin/python bench/run.py --report-only   # re-render docs from results.json

What is measured (see docs/BENCHMARKS.md for the set-up):
  * forward and train step at (N, B, T) = the five benchmark shapes: PyTorch nn4n
    1.1.1 (default threads; and 2 threads as a supplement), nn4n here through
    the Python binding (float32, float64), the Go engine alone;
  * the floor of the forward pass: T bare (B×N)·(N×N) products (Go, and numpy);
  * the simulator step B = 1, N = 256: C ABI (tests/c/bench_step.c), Go,
    Python (nn4n.core.Model.step and a bare ctypes call), PyTorch nn4n;
  * rdm_dense to criterion with pycog's protocol: bench/rdm_ours.py (the
    binding's Trainer) against bench/rdm_torch.py (PyTorch);
  * CPU profiles (go test -cpuprofile, cProfile) for the report.

Environment: BENCH_QUICK=1 (smoke-size run), BENCH_ROUNDS, BENCH_MIN_TIME
(seconds per measurement), BENCH_MAX_LOAD (0.5) and BENCH_WAIT (seconds to
wait for the 1-minute load average to fall below it; 600), BENCH_RDM_SEEDS
("101,102"), BENCH_RDM_CAP (seconds per rdm run; 720), BENCH_TORCH_THREADS2
(1: also measure PyTorch with 2 threads), BENCH_PROFILE (1), GO (go).
"""

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, "build", "bench")
PY = sys.executable
SHAPES = [(64, 16, 100), (128, 32, 200), (256, 64, 200), (512, 64, 200), (1024, 32, 100)]
TLS = {"GLIBC_TUNABLES": "glibc.rtld.optional_static_tls=65536"}  # bindings/python/README.md
TORCH_REF = os.path.join(ROOT, ".venv", "nn4n-torch-1.1.1")
CLK = os.sysconf("SC_CLK_TCK")

sys.path.insert(0, HERE)
import report  # noqa: E402
from _proto import WorkerError, request  # noqa: E402


def env_num(name, default, cast=float):
    v = os.environ.get(name)
    return cast(v) if v not in (None, "") else default


def log(*a):
    print("[bench]", *a, flush=True)


# ------------------------------------------------------------- machine load

def loadavg():
    with open("/proc/loadavg") as f:
        return [float(v) for v in f.read().split()[:3]]


def _proc_cpu(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
        fields = s[s.rindex(")") + 2:].split()
        return (int(fields[11]) + int(fields[12])) / CLK
    except (OSError, ValueError, IndexError):
        return 0.0


def _system_cpu():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (v + [0] * 8)[:8]
    return (user + nice + system + irq + softirq) / CLK, steal / CLK


class Meter:
    """CPU used during a section by processes other than this run, and steal."""

    def __init__(self, workers):
        self.workers = workers

    def snap(self):
        busy, steal = _system_cpu()
        t = os.times()
        ours = t.user + t.system + t.children_user + t.children_system
        ours += sum(_proc_cpu(w.pid) for w in self.workers if w.alive())
        return {"t": time.time(), "busy": busy, "steal": steal, "ours": ours, "load": loadavg()}

    @staticmethod
    def section(a, b):
        dt = max(b["t"] - a["t"], 1e-9)
        return {"seconds": dt, "load_start": a["load"], "load_end": b["load"],
                "other_cores": max(0.0, (b["busy"] - a["busy"]) - (b["ours"] - a["ours"])) / dt,
                "steal_cores": (b["steal"] - a["steal"]) / dt,
                "ours_cores": (b["ours"] - a["ours"]) / dt}


def top_processes(interval=2.0, n=8):
    """The processes using the most CPU over interval seconds (other than us)."""
    def sample():
        out = {}
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                out[int(pid)] = _proc_cpu(pid)
        return out
    a = sample()
    time.sleep(interval)
    b = sample()
    me = os.getpid()
    rows = []
    for pid, v in b.items():
        d = v - a.get(pid, v)
        if pid != me and d > 0.01 * interval:
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()[:90]
            except OSError:
                cmd = "?"
            rows.append({"pid": pid, "cpu_pct": 100 * d / interval, "cmd": cmd})
    return sorted(rows, key=lambda r: -r["cpu_pct"])[:n]


def wait_quiet(max_load, max_wait):
    t0 = time.time()
    while True:
        l1 = loadavg()[0]
        if l1 <= max_load:
            return {"waited": time.time() - t0, "load1": l1, "quiet": True}
        if time.time() - t0 >= max_wait:
            return {"waited": time.time() - t0, "load1": l1, "quiet": False}
        log(f"load average {l1:.2f} > {max_load}: waiting ({time.time() - t0:.0f}/{max_wait:.0f} s)")
        time.sleep(min(30, max(1, max_wait - (time.time() - t0))))


# ------------------------------------------------------------------ workers

class Worker:
    def __init__(self, name, script, extra_env=None):
        self.name = name
        env = dict(os.environ, **TLS, **(extra_env or {}))
        self.stderr = open(os.path.join(OUT, f"worker_{name}.log"), "w")
        self.p = subprocess.Popen([PY, os.path.join(HERE, script)], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=self.stderr, env=env, text=True,
                                  cwd=ROOT)
        self.pid = self.p.pid

    def alive(self):
        return self.p.poll() is None

    def call(self, op, **kw):
        if not self.alive():
            raise WorkerError(f"worker {self.name} is not running (see {self.stderr.name})")
        return request(self.p, self.name, self.stderr.name, op, **kw)

    def close(self):
        if self.alive():
            try:
                self.call("quit")
            except (WorkerError, OSError, ValueError):
                pass
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        self.stderr.close()


# --------------------------------------------------------------- Go / C side

def go_cmd():
    return os.environ.get("GO", "go")


def build_tools(res):
    """The Go engine benchmark binary (bench/engine_test.go) and the C ABI step
    benchmark (tests/c/bench_step.c, built as tests/c/run.sh builds it)."""
    eng = os.path.join(OUT, "engine.test")
    subprocess.run([go_cmd(), "test", "-c", "-o", eng, "./bench/"], cwd=ROOT, check=True)
    step = os.path.join(OUT, "bench_step")
    subprocess.run([os.environ.get("CC", "gcc"), "-O2", "-std=c99", "-D_POSIX_C_SOURCE=200809L", "-Iinclude",
                    "tests/c/bench_step.c", "-Lbuild", "-lnn4n", "-lm", "-lpthread",
                    f"-Wl,-rpath,{ROOT}/build", "-o", step], cwd=ROOT, check=True)
    res["meta"]["go_version"] = subprocess.run([go_cmd(), "version"], capture_output=True, text=True).stdout.strip()
    res["meta"]["engine_test"] = eng
    return eng, step


GO_LINE = re.compile(r"^Benchmark(\w+)/(\S+?)(?:-\d+)?\s+(\d+)\s+([\d.]+) ns/op")


ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "GOMAXPROCS": "1"}


def run_go(eng, bench_re, benchtime, extra=(), env=None):
    r = subprocess.run([eng, "-test.run", "^$", "-test.bench", bench_re, "-test.benchtime", benchtime, *extra],
                       cwd=HERE, capture_output=True, text=True, env=dict(os.environ, **(env or {})))
    if r.returncode != 0:
        raise WorkerError(f"engine.test failed:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    out = {}
    for line in r.stdout.splitlines():
        m = GO_LINE.match(line.strip())
        if m:
            out[(m.group(1), m.group(2))] = float(m.group(4)) * 1e-9
    return out


STEP_LINE = re.compile(r"nn4n_model_step .* (float32|float64) GOMAXPROCS=(\d+) BLAS threads=(\d+): ([\d.]+) us/step")
ABI_LINE = re.compile(r"ABI overhead .*: ([\d.]+) us/call")


def run_bench_step(step, n, threads):
    r = subprocess.run([step, str(n), str(threads)], capture_output=True, text=True, cwd=ROOT)
    if r.returncode != 0:
        raise WorkerError(f"bench_step failed: {r.stdout}{r.stderr}")
    out = {}
    for m in STEP_LINE.finditer(r.stdout):
        out[(m.group(1), int(m.group(2)), int(m.group(3)))] = float(m.group(4)) * 1e-6
    abi = [float(m.group(1)) * 1e-6 for m in ABI_LINE.finditer(r.stdout)]
    return out, abi


# ------------------------------------------------------------------- rounds

def shape_key(s):
    return f"{s[0]}x{s[1]}x{s[2]}"


def add(store, key, value):
    store.setdefault(key, []).append(value)


def micro_round(r, cfg, wt, wo, masks, res):
    """One round of forward/train measurements, every implementation once per
    shape, in an order that alternates between rounds (A, B, …; …, B, A)."""
    mt = cfg["min_time"]
    for s in cfg["shapes"]:
        n, b, t = s
        k = shape_key(s)
        base = {"n": n, "b": b, "t": t, "min_time": mt}
        tasks = [
            ("forward", "torch", wt, "forward", dict(base, masks=masks[n])),
            ("forward", "nn4n_f32", wo, "forward", dict(base, masks=masks[n], precision="float32", variant="ctrnn")),
            ("forward", "nn4n_f32_out", wo, "forward", dict(base, masks=masks[n], precision="float32", variant="outputs")),
            ("forward", "nn4n_f64", wo, "forward", dict(base, masks=masks[n], precision="float64", variant="ctrnn")),
            ("forward", "nn4n_f64_out", wo, "forward", dict(base, masks=masks[n], precision="float64", variant="outputs")),
            ("floor", "numpy_f32", wo, "gemm", dict(base, dtype="float32")),
            ("floor", "numpy_f64", wo, "gemm", dict(base, dtype="float64")),
            ("train", "torch", wt, "train", dict(base, masks=masks[n])),
            ("train", "nn4n_f32", wo, "train", dict(base, masks=masks[n], precision="float32")),
            ("train", "nn4n_f64", wo, "train", dict(base, masks=masks[n], precision="float64")),
        ]
        if cfg["torch_threads2"]:
            tasks.insert(8, ("train", "torch_2t", wt, "train", dict(base, masks=masks[n])))
        if r % 2:
            tasks.reverse()
        for op, impl, w, call, kw in tasks:
            try:
                if impl == "torch_2t":
                    w.call("threads", n=2)
                try:
                    v = w.call(call, **kw)
                finally:
                    if impl == "torch_2t":
                        w.call("threads", n=cfg["torch_default_threads"])
                add(res["micro"], f"{op}|{impl}|{k}", v["mean"])
            except WorkerError as e:
                res["errors"].append(str(e))
                log("error:", str(e).splitlines()[0])
            time.sleep(cfg["settle"])


def go_round(r, cfg, eng, res):
    # The Go benchmarks have the same five shapes; the smoke run takes the smallest.
    go_shapes = [s for s in cfg["shapes"] if s in SHAPES] or SHAPES[:1]
    shapes = "^(" + "|".join(f"N={n}" for n, _, _ in go_shapes) + ")$"
    # Default threads (GOMAXPROCS = 2 here: the engine splits a batch between
    # 2 workers, or, for large N and small B, runs OpenBLAS on 2 threads), then
    # float32 with one thread (OPENBLAS_NUM_THREADS = GOMAXPROCS = 1).
    passes = [("", None, "")]
    if cfg["go_one_thread"]:
        passes.append(("1t", ONE_THREAD, "/././^float32$"))
    for suffix, env, tail in passes:
        for name in ("Forward", "TrainStep", "StepGemm"):
            try:
                got = run_go(eng, f"^Benchmark{name}$/{shapes}{tail}", cfg["go_benchtime"], env=env)
            except WorkerError as e:
                res["errors"].append(str(e))
                continue
            for (bench, sub), sec in got.items():
                n, b, t, prec = re.match(r"N=(\d+)/B=(\d+)/T=(\d+)/(float\d+)", sub).groups()
                op = {"Forward": "forward", "TrainStep": "train", "StepGemm": "floor"}[bench]
                impl = ("go" if op != "floor" else "gogemm") + suffix + "_" + ("f32" if prec == "float32" else "f64")
                add(res["micro"], f"{op}|{impl}|{n}x{b}x{t}", sec)
            time.sleep(cfg["settle"])


def step_round(r, cfg, wt, wo, eng, step, res):
    st = res["step"]
    try:
        for threads in (0, 1):
            got, abi = run_bench_step(step, cfg["step_n"], threads)
            for (prec, gt, bt), sec in got.items():
                label = "default" if threads == 0 else "1"
                add(st, f"capi|{prec}|threads={label}", sec)
                res["meta"].setdefault("step_threads", {})[label] = [gt, bt]
            for a in abi:
                add(st, f"abi_overhead|threads={'default' if threads == 0 else '1'}", a)
        time.sleep(cfg["settle"])
        for label, env in (("default", None), ("1", ONE_THREAD)):
            got = run_go(eng, "^BenchmarkStep(Gemv)?$", cfg["go_step_benchtime"], env=env)
            for (bench, sub), sec in got.items():
                path = "go" if bench == "Step" else "gogemv"
                add(st, f"{path}|{sub.split('/')[1]}|threads={label}", sec)
            time.sleep(cfg["settle"])
        for prec in ("float64", "float32"):
            for variant in ("python", "ctypes"):
                v = wo.call("step", precision=prec, variant=variant, min_time=cfg["min_time"])
                add(st, f"{variant}|{prec}|threads=default", v["mean"])
        time.sleep(cfg["settle"])
        v = wt.call("step", min_time=cfg["min_time"])
        add(st, "torch|float32|threads=default", v["mean"])
    except WorkerError as e:
        res["errors"].append(str(e))
        log("error:", str(e).splitlines()[0])


# ---------------------------------------------------------------- rdm_dense

def rdm_run(which, seed, cfg, precision="float32"):
    env = dict(os.environ, **TLS)
    if which == "nn4n":
        argv = [PY, os.path.join(HERE, "rdm_ours.py"), "--seed", str(seed), "--precision", precision]
    else:
        argv = [PY, os.path.join(HERE, "rdm_torch.py"), "--seed", str(seed)]
    if cfg["rdm_cap"]:
        argv += ["--max-seconds", str(cfg["rdm_cap"])]
    t0 = time.time()
    r = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=ROOT)
    if r.returncode != 0:
        raise WorkerError(f"{which} rdm_dense seed {seed} failed:\n{r.stderr[-3000:]}")
    out = json.loads(r.stdout.strip().splitlines()[-1])
    out["process_seconds"] = time.time() - t0
    return out


def rdm_section(cfg, res):
    for i, seed in enumerate(cfg["rdm_seeds"]):
        order = ["nn4n", "torch"] if i % 2 == 0 else ["torch", "nn4n"]
        for which in order:
            log(f"rdm_dense seed {seed}: {which}")
            try:
                out = rdm_run(which, seed, cfg)
                res["rdm"].append(out)
                log(f"  {out['trials']} trials, {out['seconds']:.1f} s, converged {out['converged']}"
                    f"{' (capped)' if out['capped'] else ''}")
            except WorkerError as e:
                res["errors"].append(str(e))
                log("error:", str(e).splitlines()[0])
            time.sleep(cfg["settle"])
    if cfg["rdm_seeds"]:  # the engine alone on the same protocol (bench/trainer_test.go)
        try:
            got = run_go(res["meta"]["engine_test"], "^BenchmarkRDM(Update|Trainer)$/^float32$",
                         "2x" if cfg["quick"] else cfg["rdm_go_benchtime"])
            for (bench, sub), sec in got.items():
                res["rdm_engine"][f"{bench}|{sub}"] = sec
        except WorkerError as e:
            res["errors"].append(str(e))
    if cfg["rdm_f64"] and cfg["rdm_seeds"]:
        seed = cfg["rdm_seeds"][0]
        log(f"rdm_dense seed {seed}: nn4n float64 (supplement)")
        try:
            res["rdm"].append(rdm_run("nn4n", seed, cfg, "float64"))
        except WorkerError as e:
            res["errors"].append(str(e))


# ----------------------------------------------------------------- profiles

PROFILES = [  # (name, benchmark pattern, benchtime)
    ("go_train_64x16x100_f32", "^BenchmarkTrainStep$/^N=64$/^B=16$/^T=100$/^float32$", "300x"),
    ("go_train_256x64x200_f32", "^BenchmarkTrainStep$/^N=256$/^B=64$/^T=200$/^float32$", "10x"),
    ("go_train_1024x32x100_f32", "^BenchmarkTrainStep$/^N=1024$/^B=32$/^T=100$/^float32$", "8x"),
    ("go_forward_256x64x200_f32", "^BenchmarkForward$/^N=256$/^B=64$/^T=200$/^float32$", "40x"),
    ("go_forward_512x64x200_f32", "^BenchmarkForward$/^N=512$/^B=64$/^T=200$/^float32$", "15x"),
    ("go_step_256_f64", "^BenchmarkStep$/^N=256$/^float64$", "200000x"),
    ("go_rdm_update_f32", "^BenchmarkRDMUpdate$/^float32$", "400x"),
]


def profiles_section(cfg, eng, wt, wo, masks, res):
    prof = res["profiles"]
    for name, pattern, bt in PROFILES:
        path = os.path.join(OUT, name + ".prof")
        try:
            run_go(eng, pattern, bt, ["-test.cpuprofile", path])
            r = subprocess.run([go_cmd(), "tool", "pprof", "-top", "-nodecount=22", eng, path],
                               capture_output=True, text=True, cwd=ROOT)
            prof[name] = r.stdout.strip() or r.stderr.strip()
        except (WorkerError, OSError) as e:
            res["errors"].append(f"profile {name}: {e}")
    n, b, t = SHAPES[0]
    for label, w, kw, iters in (("py_train_64x16x100_f32_nn4n", wo, {"precision": "float32"}, 300),
                                ("py_train_64x16x100_torch", wt, {}, 60)):
        path = os.path.join(OUT, label + ".txt")
        try:
            w.call("profile", n=n, b=b, t=t, masks=masks[n], iters=iters, path=path, **kw)
            with open(path) as f:
                prof[label] = f.read().strip()
        except WorkerError as e:
            res["errors"].append(f"profile {label}: {e}")


# --------------------------------------------------------------------- main

def machine(res, wt_info, wo_info):
    m = res["meta"]
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    keep = ("Architecture", "Model name", "CPU(s)", "Thread(s) per core", "Core(s) per socket", "Socket(s)",
            "L1d cache", "L2 cache", "L3 cache", "Hypervisor vendor", "CPU max MHz", "BogoMIPS")
    m["lscpu"] = {k.strip(): v.strip() for k, v in (l.split(":", 1) for l in lscpu.splitlines() if ":" in l)
                  if k.strip() in keep}
    flags = next((l.split(":", 1)[1].split() for l in lscpu.splitlines() if l.startswith("Flags")), [])
    m["simd"] = [f for f in ("avx2", "fma", "avx512f", "avx512_bf16") if f in flags]
    m["kernel"] = platform.release()
    m["nproc"] = os.cpu_count()
    m["affinity"] = sorted(os.sched_getaffinity(0))
    m["torch"] = wt_info
    m["nn4n"] = wo_info
    m["env"] = {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS",
                                                "OMP_NUM_THREADS", "GOMAXPROCS")}


def config(args):
    quick = args.quick or os.environ.get("BENCH_QUICK") in ("1", "yes", "true")
    smoke = args.smoke
    cfg = {"quick": quick, "smoke": smoke,
           "rounds": int(env_num("BENCH_ROUNDS", 1 if (quick or smoke) else 5, int)),
           "min_time": env_num("BENCH_MIN_TIME", 0.0 if smoke else (0.05 if quick else 0.5)),
           "shapes": [(32, 4, 10)] if smoke else SHAPES,
           "go_benchtime": "1x" if (quick or smoke) else "0.5s",
           "go_step_benchtime": "2000x" if smoke else ("20000x" if quick else "1s"),
           "step_n": 2000 if smoke else (20000 if quick else 200000),
           "settle": 0.0 if smoke else 0.25,
           "go_one_thread": not smoke,
           "rdm_go_benchtime": "8x",
           "torch_threads2": bool(env_num("BENCH_TORCH_THREADS2", 0 if (quick or smoke) else 1, int)),
           "rdm_seeds": [int(s) for s in os.environ.get("BENCH_RDM_SEEDS", "101" if quick else "101,102").split(",")
                         if s] if not smoke else [],
           "rdm_cap": env_num("BENCH_RDM_CAP", 6.0 if quick else 720.0),
           "rdm_f64": not quick and not smoke and bool(env_num("BENCH_RDM_F64", 1, int)),
           "profile": not quick and not smoke and bool(env_num("BENCH_PROFILE", 1, int)),
           "max_load": env_num("BENCH_MAX_LOAD", 0.5),
           "wait": env_num("BENCH_WAIT", 0 if (quick or smoke) else 600)}
    return cfg


def main():
    ap = argparse.ArgumentParser(description="nn4n vs PyTorch nn4n benchmarks")
    ap.add_argument("--quick", action="store_true", help="as BENCH_QUICK=1")
    ap.add_argument("--smoke", action="store_true", help="seconds: every piece runs once at a tiny size")
    ap.add_argument("--report-only", action="store_true", help="re-render docs/BENCHMARKS.md from results.json")
    ap.add_argument("--out", default=None, help="report path (default docs/BENCHMARKS.md; quick runs: "
                    "build/bench/BENCHMARKS.quick.md)")
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    cfg = config(args)
    if args.smoke:
        out_dir = os.path.join(OUT, "smoke")
    else:
        out_dir = OUT
    os.makedirs(out_dir, exist_ok=True)
    results_path = os.path.join(out_dir, "results.quick.json" if cfg["quick"] else "results.json")
    report_path = args.out or (os.path.join(OUT, "BENCHMARKS.quick.md") if cfg["quick"]
                               else os.path.join(ROOT, "docs", "BENCHMARKS.md"))
    if args.report_only:
        with open(results_path) as f:
            report.write(json.load(f), report_path)
        log("wrote", report_path)
        return 0
    if not os.path.isdir(os.path.join(TORCH_REF, "nn4n")):
        log(f"PyTorch nn4n 1.1.1 not found in {TORCH_REF}: run `make python` first")
        return 2

    res = {"meta": {"config": {k: v for k, v in cfg.items()}, "started": time.strftime("%Y-%m-%d %H:%M:%S %Z")},
           "sections": {}, "micro": {}, "step": {}, "rdm": [], "rdm_engine": {}, "profiles": {}, "errors": []}
    t_start = time.time()
    if args.smoke:
        r = subprocess.run([PY, os.path.join(HERE, "check_rdm_torch.py")], env=dict(os.environ, **TLS),
                           capture_output=True, text=True, cwd=ROOT)
        print(r.stdout.strip())
        if r.returncode != 0:
            print(r.stderr[-2000:])
            return 1
    eng, step = build_tools(res)
    wo = Worker("nn4n", "worker_ours.py")
    wt = Worker("torch", "worker_torch.py", {"PYTHONPATH": TORCH_REF})
    meter = Meter([wo, wt])
    try:
        res["meta"]["top_before_wait"] = top_processes(1.0 if (cfg["quick"] or args.smoke) else 3.0)
        res["meta"]["load_before_wait"] = loadavg()
        res["meta"]["wait"] = wait_quiet(cfg["max_load"], cfg["wait"])
        res["meta"]["top_at_start"] = top_processes(0.5 if (cfg["quick"] or args.smoke) else 3.0)
        wt_info, wo_info = wt.call("info"), wo.call("info")
        cfg["torch_default_threads"] = wt_info["threads"]
        machine(res, wt_info, wo_info)
        masks = {}
        for n, _, _ in cfg["shapes"]:
            masks[n] = wo.call("masks", n=n, path=os.path.join(out_dir, f"masks_{n}.npz"))["path"]
        log(f"load {loadavg()}; {cfg['rounds']} rounds over {len(cfg['shapes'])} shapes")

        a = meter.snap()
        for r in range(cfg["rounds"]):
            log(f"round {r + 1}/{cfg['rounds']}: forward, train step, floors")
            if r % 2 == 0:
                micro_round(r, cfg, wt, wo, masks, res)
                go_round(r, cfg, eng, res)
            else:
                go_round(r, cfg, eng, res)
                micro_round(r, cfg, wt, wo, masks, res)
            step_round(r, cfg, wt, wo, eng, step, res)
        res["sections"]["micro"] = Meter.section(a, meter.snap())

        a = meter.snap()
        rdm_section(cfg, res)
        res["sections"]["rdm"] = Meter.section(a, meter.snap())

        if cfg["profile"]:
            log("profiles")
            a = meter.snap()
            profiles_section(cfg, eng, wt, wo, masks, res)
            res["sections"]["profiles"] = Meter.section(a, meter.snap())
    finally:
        wt.close()
        wo.close()
    res["meta"]["seconds"] = time.time() - t_start
    res["meta"]["finished"] = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    with open(results_path, "w") as f:
        json.dump(res, f, indent=1)
    log("wrote", results_path)
    if args.smoke:
        missing = [k for k in ("forward|torch|32x4x10", "train|nn4n_f32|32x4x10", "floor|gogemm_f32|64x16x100")
                   if k not in res["micro"]]
        ok = not res["errors"] and not missing and res["step"]
        text = report.render(res)
        log(f"smoke: {len(res['micro'])} micro series, {len(res['step'])} step series, report "
            f"{len(text)} chars, {time.time() - t_start:.1f} s; errors: {len(res['errors'])}")
        for e in res["errors"]:
            print(e)
        return 0 if ok else 1
    report.write(res, report_path)
    log(f"wrote {report_path} ({res['meta']['seconds'] / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
