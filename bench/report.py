"""Render build/bench/results.json as the generated part of docs/BENCHMARKS.md.

The document keeps hand-written text outside the markers
``<!-- BEGIN GENERATED (bench/run.py) -->`` and ``<!-- END GENERATED -->``;
:func:`write` replaces only what lies between them.
"""

import os
import statistics

BEGIN = "<!-- BEGIN GENERATED (bench/run.py) -->"
END = "<!-- END GENERATED -->"

TARGETS_TRAIN = {"64x16x100": 8.0, "256x64x200": 2.0, "1024x32x100": 1.3}
FLOOR_SLACK = 1.10
STEP_TARGET = 5e-6
RDM_TARGET = 5.0


def fmt_t(s):
    if s is None:
        return "—"
    if s < 1e-3:
        return f"{s * 1e6:.2f} µs" if s < 1e-5 else f"{s * 1e6:.1f} µs"
    if s < 1:
        return f"{s * 1e3:.2f} ms" if s < 1e-2 else f"{s * 1e3:.1f} ms"
    return f"{s:.2f} s"


def stats(vals):
    if not vals:
        return None
    return {"med": statistics.median(vals), "min": min(vals), "n": len(vals)}


class Data:
    def __init__(self, res):
        self.res = res
        self.micro = {k: stats(v) for k, v in res.get("micro", {}).items()}
        self.step = {k: stats(v) for k, v in res.get("step", {}).items()}

    def get(self, op, impl, shape):
        return self.micro.get(f"{op}|{impl}|{shape}")

    def cell(self, op, impl, shape):
        s = self.get(op, impl, shape)
        if s is None:
            return "—"
        return f"{fmt_t(s['med'])} ({fmt_t(s['min'])})"

    def ratio(self, num, den):
        if num is None or den is None:
            return None
        return num["med"] / den["med"]


def best_floor(d, prec, shape):
    """The GEMM floor: the faster of the default-thread and 1-thread runs."""
    cands = [d.get("floor", f"gogemm_{prec}", shape), d.get("floor", f"gogemm1t_{prec}", shape)]
    cands = [c for c in cands if c]
    return min(cands, key=lambda c: c["med"]) if cands else None


def r2(x, suffix="×"):
    return "—" if x is None else f"{x:.2f}{suffix}"


def verdict(ok):
    return "—" if ok is None else ("**met**" if ok else "**missed**")


def shapes_of(d):
    seen = []
    for k in d.res.get("micro", {}):
        s = k.split("|")[2]
        if s not in seen:
            seen.append(s)
    return sorted(seen, key=lambda s: tuple(int(v) for v in s.split("x")))


def shape_label(s):
    return s.replace("x", "×")


def machine_section(res):
    m = res["meta"]
    cpu = m.get("lscpu", {})
    t = m.get("torch", {})
    o = m.get("nn4n", {})
    cfg = m.get("config", {})
    lines = ["## Machine and conditions", ""]
    lines.append(f"- **CPU**: {cpu.get('Model name', '?')}, {cpu.get('CPU(s)', '?')} CPUs "
                 f"({cpu.get('Core(s) per socket', '?')} cores × {cpu.get('Thread(s) per core', '?')} thread, "
                 f"{cpu.get('Socket(s)', '?')} socket), hypervisor {cpu.get('Hypervisor vendor', 'none')}, "
                 f"L1d {cpu.get('L1d cache', '?')}, L2 {cpu.get('L2 cache', '?')}, L3 {cpu.get('L3 cache', '?')}; "
                 f"SIMD: {', '.join(m.get('simd', []))}; kernel {m.get('kernel', '?')}.")
    lines.append(f"- **nn4n here**: libnn4n {o.get('library', '?')} (binding {o.get('binding', '?')}), "
                 f"{m.get('go_version', '?')}; BLAS: {o.get('blas', '?')}; threads (Go GOMAXPROCS, OpenBLAS): "
                 f"{tuple(o.get('threads', []))}; Python {o.get('python', '?')}, numpy {o.get('numpy', '?')} "
                 "(numpy's BLAS is Debian's libblas.so.3 = the same OpenBLAS 0.3.21, pthread build).")
    lines.append(f"- **PyTorch nn4n**: nn4n {t.get('nn4n_torch', '?')} (PyPI) on Debian's torch {t.get('torch', '?')}, "
                 f"default threads: intra-op {t.get('threads', '?')}, inter-op {t.get('interop_threads', '?')}; its "
                 f"matrix products go to the same OpenBLAS (libblas.so.3), which runs "
                 f"{t.get('blas_threads', '?')} threads inside the torch process.")
    env = {k: v for k, v in m.get("env", {}).items() if v}
    lines.append(f"- Environment overrides: {env if env else 'none (OPENBLAS_*, OMP_NUM_THREADS, GOMAXPROCS unset)'}.")
    w = m.get("wait", {})
    lines.append(f"- **Load**: 1/5/15-min load average {m.get('load_before_wait')} before the run; waited "
                 f"{w.get('waited', 0):.0f} s for the 1-min load ≤ {cfg.get('max_load')} → "
                 f"{w.get('load1', float('nan')):.2f} ({'quiet' if w.get('quiet') else 'NOT quiet: figures are pessimistic'}).")
    top = m.get("top_at_start") or []
    if top:
        lines.append("- Other processes using CPU when the measurements started: " +
                     "; ".join(f"{p['cpu_pct']:.0f}% `{p['cmd'][:60]}`" for p in top[:5]) + ".")
    else:
        lines.append("- No other process used more than 1% CPU when the measurements started.")
    lines += ["", "| section | wall time | load avg at start → end | CPU used by other processes | steal |",
              "|---|---|---|---|---|"]
    for name, s in res.get("sections", {}).items():
        lines.append(f"| {name} | {s['seconds'] / 60:.1f} min | {s['load_start'][0]:.2f} → {s['load_end'][0]:.2f} | "
                     f"{s['other_cores']:.2f} cores | {s['steal_cores']:.2f} cores |")
    lines += ["", f"Run: {m.get('started')} → {m.get('finished')}, {m.get('seconds', 0) / 60:.1f} min; "
              f"{cfg.get('rounds')} interleaved rounds, each measurement a loop of ≥ {cfg.get('min_time')} s "
              f"(≥ 3 calls) after a warm-up call; Go benchmarks with -benchtime {cfg.get('go_benchtime')}. "
              "Cells are **median over rounds (min)** of the mean time per call.", ""]
    return lines


def targets_section(d):
    res = d.res
    lines = ["## Performance targets", "", "| target | measured | result |", "|---|---|---|"]
    summary = {}
    for shape, want in TARGETS_TRAIN.items():
        t, o = d.get("train", "torch", shape), d.get("train", "nn4n_f32", shape)
        r = d.ratio(t, o)
        ok = None if r is None else r >= want
        summary[f"train {shape}"] = ok
        lines.append(f"| train step E/I float32, {shape_label(shape)}: ≥ {want:g}× faster than PyTorch nn4n | "
                     f"{r2(r)} ({fmt_t(t and t['med'])} vs {fmt_t(o and o['med'])}) | {verdict(ok)} |")
    for shape in shapes_of(d):
        if int(shape.split("x")[0]) < 256:
            continue
        fl = best_floor(d, "f32", shape)
        py = d.ratio(d.get("forward", "nn4n_f32_out", shape), fl)
        eng = d.ratio(d.get("forward", "go_f32", shape), fl)
        eng1 = d.ratio(d.get("forward", "go1t_f32", shape), fl)
        ok = None if py is None else py <= FLOOR_SLACK
        summary[f"forward {shape}"] = ok
        lines.append(f"| forward float32 {shape_label(shape)} within 10% of the GEMM floor | binding "
                     f"{r2(py)} of the floor, Go engine {r2(eng)} (1 thread {r2(eng1)}); floor {fmt_t(fl and fl['med'])} | "
                     f"{verdict(ok)} |")
    s = d.step.get("capi|float64|threads=default")
    s1 = d.step.get("capi|float64|threads=1")
    s32 = d.step.get("capi|float32|threads=default")
    ok = None if s is None else s["med"] <= STEP_TARGET
    summary["step"] = ok
    lines.append(f"| simulator step B=1, N=256 through the C ABI ≤ 5 µs, float64, default threads | "
                 f"{fmt_t(s and s['med'])} (1 thread {fmt_t(s1 and s1['med'])}) | {verdict(ok)} |")
    f1 = d.step.get("capi|float32|threads=1")
    ok1 = None if f1 is None else f1["med"] <= STEP_TARGET
    summary["step_f32_1t"] = ok1
    lines.append(f"| … float32, `nn4n_set_num_threads(1)` | "
                 f"{fmt_t(f1 and f1['med'])} (default threads {fmt_t(s32 and s32['med'])}) | {verdict(ok1)} |")
    rr = rdm_ratios(res.get("rdm", []))
    if rr:
        ok = rr["wall"] >= RDM_TARGET if rr["comparable"] else None
        summary["rdm"] = ok
        note = "" if rr["comparable"] else " (not comparable: a run did not reach the criterion)"
        lines.append(f"| rdm_dense to criterion ≥ 5× less wall time than PyTorch | {r2(rr['wall'])} "
                     f"(trials/s {r2(rr['rate'])}){note} | {verdict(ok)} |")
    lines.append("")
    return lines, summary


def train_section(d):
    lines = ["## Train step (forward + loss + BPTT + Adam), E/I masks from MultiAreaEI", "",
             "nn4n's network `CTRNN(dims=[4, N, 2], ei_masks, sparsity_masks)` with the masks of "
             "`MultiAreaEI(dims=[4, N, 2], n_areas=2, area_connectivities=[0.1, 0.1], exc_pct=0.8)` (the same "
             "arrays on both sides), ReLU, α = 0.1, no noise, RNNLoss (MSE), Adam (lr 1e-3); one update per call "
             "on a fixed batch. PyTorch: nn4n 1.1.1's loop (`zero_grad`, forward in training mode, loss, "
             "`backward`, `step`). nn4n here: `CTRNN.train_steps(x, y, RNNLoss(net), Adam(), n_updates=1)` "
             "(one C call per update); Go engine: `Model.TrainStep` (bench/engine_test.go).", "",
             "| N×B×T | PyTorch nn4n (default threads) | PyTorch nn4n (2 threads) | nn4n float32 (Python) | "
             "nn4n float64 (Python) | Go engine float32 | Go engine float32, 1 thread | Go engine float64 | "
             "speed-up float32 | speed-up float64 |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for s in shapes_of(d):
        t = d.get("train", "torch", s)
        lines.append(f"| {shape_label(s)} | {d.cell('train', 'torch', s)} | {d.cell('train', 'torch_2t', s)} | "
                     f"{d.cell('train', 'nn4n_f32', s)} | {d.cell('train', 'nn4n_f64', s)} | "
                     f"{d.cell('train', 'go_f32', s)} | {d.cell('train', 'go1t_f32', s)} | {d.cell('train', 'go_f64', s)} | "
                     f"{r2(d.ratio(t, d.get('train', 'nn4n_f32', s)))} | {r2(d.ratio(t, d.get('train', 'nn4n_f64', s)))} |")
    lines += ["", "Speed-up = PyTorch nn4n (default threads) median / nn4n median.", ""]
    return lines


def forward_section(d):
    lines = ["## Forward pass and the GEMM floor", "",
             "PyTorch: `net(x)` in eval mode under `torch.no_grad()` (returns outputs and rates). nn4n: "
             "`net(x)` (nn4n's API: outputs and rates, copied out as float64 then cast) and "
             "`net.native.forward(x, rates=False)` (outputs only); Go engine: `Model.ForwardInto`, outputs only. "
             "Floor: T bare products (B×N)·(N×N)ᵀ through the same OpenBLAS — Go (`linalg.Gemm`, no Python) "
             "and numpy (`np.matmul(..., out=)`, one Python call per step).", ""]
    for prec, p in (("float32", "f32"), ("float64", "f64")):
        one = p == "f32"
        lines += [f"### {prec}", "",
                  f"| N×B×T | PyTorch nn4n{' (float32)' if p == 'f64' else ''} | nn4n `net(x)` | nn4n outputs only | "
                  "Go engine |" + (" Go engine, 1 thread |" if one else "") + " floor (Go) |" +
                  (" floor (Go, 1 thread) |" if one else "") + " floor (numpy) | binding / floor | engine / floor |" +
                  (" engine 1 thread / floor |" if one else "") + " speed-up vs PyTorch |",
                  "|---|---|---|---|---|" + ("---|" if one else "") + "---|" + ("---|" if one else "") +
                  "---|---|---|" + ("---|" if one else "") + "---|"]
        for s in shapes_of(d):
            fl = best_floor(d, p, s)
            row = (f"| {shape_label(s)} | {d.cell('forward', 'torch', s)} | {d.cell('forward', f'nn4n_{p}', s)} | "
                   f"{d.cell('forward', f'nn4n_{p}_out', s)} | {d.cell('forward', f'go_{p}', s)} | ")
            if one:
                row += f"{d.cell('forward', 'go1t_f32', s)} | "
            row += f"{d.cell('floor', f'gogemm_{p}', s)} | "
            if one:
                row += f"{d.cell('floor', 'gogemm1t_f32', s)} | "
            row += (f"{d.cell('floor', f'numpy_{p}', s)} | "
                    f"{r2(d.ratio(d.get('forward', f'nn4n_{p}_out', s), fl))} | {r2(d.ratio(d.get('forward', f'go_{p}', s), fl))} | ")
            if one:
                row += f"{r2(d.ratio(d.get('forward', 'go1t_f32', s), fl))} | "
            row += f"{r2(d.ratio(d.get('forward', 'torch', s), d.get('forward', f'nn4n_{p}', s)))} |"
            lines.append(row)
        lines.append("")
    lines += ["Ratios to the floor use the faster of the two Go floors (default threads, 1 thread). Speed-up vs "
              "PyTorch compares like with like: `net(x)` on both sides (outputs and rates).", ""]
    return lines


def step_section(d):
    lines = ["## Simulator step, B = 1, N = 256 (I = 4, O = 2, ReLU, noise off)", "",
             "| path | float64 | float32 |", "|---|---|---|"]
    th = d.res["meta"].get("step_threads", {})
    rows = [("C ABI `nn4n_model_step` (tests/c/bench_step.c), default threads "
             f"(GOMAXPROCS, OpenBLAS = {tuple(th.get('default', []))})", "capi", "threads=default"),
            ("C ABI, `nn4n_set_num_threads(1)`", "capi", "threads=1"),
            ("Go engine `Model.Step` (Go caller, no C ABI)", "go", "threads=default"),
            ("Go engine `Model.Step`, 1 thread", "go", "threads=1"),
            ("floor: the step's one product (N×(N+I))·z, `linalg.Gemv` (Go)", "gogemv", "threads=default"),
            ("floor, 1 thread", "gogemv", "threads=1"),
            ("Python `nn4n.core.Model.step(state, u)`", "python", "threads=default"),
            ("Python, bare ctypes call of `nn4n_model_step`", "ctypes", "threads=default")]
    for label, path, thr in rows:
        cells = []
        for prec in ("float64", "float32"):
            s = d.step.get(f"{path}|{prec}|{thr}")
            cells.append("—" if s is None else f"{fmt_t(s['med'])} ({fmt_t(s['min'])})")
        lines.append(f"| {label} | {cells[0]} | {cells[1]} |")
    s = d.step.get("torch|float32|threads=default")
    lines.append(f"| PyTorch nn4n 1.1.1: `_recurrence` + readout under `no_grad` | — | "
                 f"{'—' if s is None else fmt_t(s['med']) + ' (' + fmt_t(s['min']) + ')'} |")
    for thr in ("default", "1"):
        s = d.step.get(f"abi_overhead|threads={thr}")
        if s:
            lines.append(f"| C ABI call that does no numerics (`nn4n_model_term_count`), threads {thr} | "
                         f"{fmt_t(s['med'])} | |")
    lines.append("")
    return lines


def rdm_ratios(runs):
    ours = {r["seed"]: r for r in runs if r["impl"] == "nn4n" and r.get("precision", "float32") == "float32"}
    torch = {r["seed"]: r for r in runs if r["impl"] == "torch"}
    seeds = [s for s in ours if s in torch]
    if not seeds:
        return None
    o_sec = sum(ours[s]["seconds"] for s in seeds)
    t_sec = sum(torch[s]["seconds"] for s in seeds)
    o_tr = sum(ours[s]["trials"] for s in seeds)
    t_tr = sum(torch[s]["trials"] for s in seeds)
    comparable = all(ours[s]["converged"] and torch[s]["converged"] for s in seeds)
    return {"wall": t_sec / o_sec, "rate": (o_tr / o_sec) / (t_tr / t_sec), "seeds": seeds,
            "comparable": comparable, "per_seed": {s: torch[s]["seconds"] / ours[s]["seconds"] for s in seeds}}


def rdm_section(res):
    runs = res.get("rdm", [])
    lines = ["## rdm_dense to criterion (pycog's protocol, both sides)", "",
             "Same protocol on both sides: pycog structure (N = 100, 80/20 E/I, dense balanced C_rec, readout "
             "from E), Dale rectify, pycog init (gamma, ρ = 1.5), α = 0.2, σ_rec = 0.15, x0 = 0.1 trained, "
             "masked MSE + Ω (λ_Ω = 2, immediate gradient), SGD lr 0.01, global-norm clip 1, NaN guard, "
             "minibatch 20, validation on 1100 trials every 10⁴ trials, stop when the mean of the last 5 "
             "validation accuracies > 85 %. Trials from the library's rdm_dense generator on both sides. "
             "nn4n: `nn4n.train.Trainer` (bench/rdm_ours.py); PyTorch: bench/rdm_torch.py (float32, default "
             "threads), whose objective and gradients equal the library's to 1e-14 (bench/check_rdm_torch.py). "
             "Wall time from the first validation to the stop, validations included; process start-up excluded.",
             "", "| implementation | precision | seed | trials | updates | wall time | trials/s | converged | "
             "last accuracy | reason |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        name = "nn4n (binding Trainer)" if r["impl"] == "nn4n" else "PyTorch (bench/rdm_torch.py)"
        lines.append(f"| {name} | {r.get('precision', 'float32')} | {r['seed']} | {r['trials']:,} | {r['updates']:,} | "
                     f"{r['seconds']:.1f} s | {r['trials_per_s']:,.0f} | {'yes' if r['converged'] else 'no'} | "
                     f"{r['final_perf']:.1f} % | {r['reason']} |")
    eng = res.get("rdm_engine", {})
    if runs:
        lines += ["", "| per update (10⁴ trials = 500 updates + 1 validation) | time |", "|---|---|"]
        for r in runs:
            name = "nn4n binding Trainer" if r["impl"] == "nn4n" else "PyTorch"
            lines.append(f"| {name}, {r.get('precision', 'float32')}, seed {r['seed']} (wall time / updates) | "
                         f"{fmt_t(r['seconds'] / max(r['updates'], 1))} |")
        if "RDMTrainer|float32" in eng:
            lines.append(f"| Go engine alone, `train.Trainer` (bench/trainer_test.go), float32 | "
                         f"{fmt_t(eng['RDMTrainer|float32'] / 500)} |")
        if "RDMUpdate|float32" in eng:
            lines.append(f"| Go engine alone, one update without validation, float32 | {fmt_t(eng['RDMUpdate|float32'])} |")
    rr = rdm_ratios(runs)
    if rr:
        per = ", ".join(f"seed {s}: {v:.2f}×" for s, v in rr["per_seed"].items())
        lines += ["", f"Wall-time ratio PyTorch / nn4n (float32), summed over seeds: **{rr['wall']:.2f}×** ({per}); "
                  f"throughput ratio (trials/s): **{rr['rate']:.2f}×**."]
        if not rr["comparable"]:
            lines.append("A run stopped before the criterion (cap or patience): compare trials/s, not wall time.")
    lines.append("")
    return lines


def profiles_section(res):
    prof = res.get("profiles", {})
    if not prof:
        return []
    titles = {
        "go_train_64x16x100_f32": "Go CPU profile: train step 64×16×100 float32 (go test -cpuprofile)",
        "go_train_256x64x200_f32": "Go CPU profile: train step 256×64×200 float32",
        "go_train_1024x32x100_f32": "Go CPU profile: train step 1024×32×100 float32",
        "go_forward_256x64x200_f32": "Go CPU profile: forward 256×64×200 float32",
        "go_forward_512x64x200_f32": "Go CPU profile: forward 512×64×200 float32",
        "go_step_256_f64": "Go CPU profile: simulator step B=1, N=256 float64",
        "go_rdm_update_f32": "Go CPU profile: one rdm_dense update (N=100, B=20, Song-Yang + Ω, SGD) float32",
        "py_train_64x16x100_f32_nn4n": "cProfile: nn4n `CTRNN.train_steps`, 64×16×100 float32 (300 calls)",
        "py_train_64x16x100_torch": "cProfile: PyTorch nn4n train step, 64×16×100 (60 calls)",
    }
    lines = ["## Profiles (raw)", ""]
    for k, text in prof.items():
        body = "\n".join(text.splitlines()[:40])
        lines += [f"<details><summary>{titles.get(k, k)}</summary>", "", "```", body, "```", "", "</details>", ""]
    return lines


def render(res):
    d = Data(res)
    lines = [BEGIN, "", "_Generated by `make bench` (bench/run.py) — do not edit between these markers._", ""]
    tl, _ = targets_section(d)
    lines += tl
    lines += machine_section(res)
    lines += train_section(d)
    lines += forward_section(d)
    lines += step_section(d)
    lines += rdm_section(res)
    lines += profiles_section(res)
    if res.get("errors"):
        lines += ["## Errors during the run", "", "```"] + [e.splitlines()[0] for e in res["errors"]] + ["```", ""]
    lines.append(END)
    return "\n".join(lines) + "\n"


HEADER = """# nn4n benchmarks

`make bench` measures nn4n here (libnn4n through the Python binding, and the
Go engine underneath) side by side with PyTorch nn4n 1.1.1 in one run on
this machine. See bench/README.md for what each script does.

"""


def write(res, path):
    text = render(res)
    old = ""
    if os.path.exists(path):
        with open(path) as f:
            old = f.read()
    if BEGIN in old and END in old:
        pre, rest = old.split(BEGIN, 1)
        post = rest.split(END, 1)[1]
        new = pre + text.rstrip("\n") + post
    else:
        new = HEADER + text
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(new)
    os.replace(tmp, path)
