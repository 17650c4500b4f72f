# SPDX-License-Identifier: MIT
"""The peer benchmark: nn4n against JAX and PyTorch 2 on one workload.

    make bench-peers                       # venvs (setup_venvs.sh), then this
    .venv/bin/python bench/peers/run.py [--smoke] [--shapes 64x16x100,...] [--report-only]

Workload: nn4n's float32 E/I CTRNN (ReLU, MultiAreaEI masks, I = 4, O = 2,
Dale "clip"), forward (outputs for a batch) and train step (forward +
mean-squared-error loss + backward + Adam + projection), at shapes N×B×T.
Each implementation is a long-lived worker process in its own interpreter
(bench/_proto.py's JSON lines):

  nn4n            bench/peers/worker_nn4n.py    .venv (the Python binding)
  jax             bench/peers/worker_jax.py     build/bench-venvs/jax
  torch2-eager    bench/peers/worker_torch2.py  build/bench-venvs/torch2
  torch2-compile  bench/peers/worker_torch2.py  build/bench-venvs/torch2 (torch.compile)
  nn4n-torch      bench/worker_torch.py         .venv + PyTorch nn4n 1.1.1 on Debian's torch

Per shape, nn4n's worker writes the network, initial parameters and batch
(build/bench/peers/<shape>.npz) and its loss and gradients on that batch;
every peer loads the same arrays, compiles (timed apart), and must match
nn4n's loss and gradients to --tol (max |Δ| / max |ref| per array, float32)
before it is timed. PyTorch nn4n 1.1.1 builds its own network from the same
masks (its own initial weights) and is timed only, not checked.

Shape by shape, rounds interleave the implementations (order reversed
every round); each
measurement is the mean time per call over at least --min-time seconds;
reported: the median over rounds. Load averages before and after, and
around each round, go into the report. Writes build/bench/peers.json and
the section of docs/BENCHMARKS.md between its GENERATED markers (--smoke:
build/bench/peers.smoke.md, docs untouched).
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]
from _check import PASS_KEYS  # noqa: E402
from _proto import WorkerError, request  # noqa: E402
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
VENVS = os.environ.get("PEERS_VENVS", os.path.join(ROOT, "build", "bench-venvs"))
OURS_PY = os.path.join(ROOT, ".venv", "bin", "python")
TORCH113_PATH = os.path.join(ROOT, ".venv", "nn4n-torch-1.1.1")

BEGIN = "<!-- BEGIN GENERATED (bench/peers) -->"
END = "<!-- END GENERATED (bench/peers) -->"

DEFAULT_SHAPES = "64x16x100,128x32x200,256x64x200,512x64x200,1024x32x100"
SMOKE_SHAPES = "16x4x10,32x8x20"

# name -> (label, interpreter, script, extra request arguments, checked)
IMPLS = {
    "nn4n": ("nn4n f32", OURS_PY, os.path.join(HERE, "worker_nn4n.py"), {}, None),
    "jax": ("JAX", os.path.join(VENVS, "jax", "bin", "python"), os.path.join(HERE, "worker_jax.py"), {}, True),
    "torch2-eager": ("PyTorch 2 eager", os.path.join(VENVS, "torch2", "bin", "python"),
                     os.path.join(HERE, "worker_torch2.py"), {"variant": "eager"}, True),
    "torch2-compile": ("PyTorch 2 compile", os.path.join(VENVS, "torch2", "bin", "python"),
                       os.path.join(HERE, "worker_torch2.py"), {"variant": "compile"}, True),
    "nn4n-torch": ("PyTorch nn4n 1.1.1 (torch 1.13)", OURS_PY, os.path.join(ROOT, "bench", "worker_torch.py"),
                   {}, False),
}


class Worker:
    """One implementation's process; requests and answers are JSON lines."""

    def __init__(self, name, logdir):
        self.name = name
        label, py, script, self.extra, self.checked = IMPLS[name]
        env = dict(os.environ)
        if name == "nn4n-torch":
            env["PYTHONPATH"] = TORCH113_PATH + os.pathsep + env.get("PYTHONPATH", "")
        self.tmp = None
        if name.startswith("torch2"):
            # A fresh Inductor cache: compile times are cold, not cache hits
            # of an earlier run.
            self.tmp = tempfile.mkdtemp(prefix=f"inductor-{name}-", dir=logdir)
            env["TORCHINDUCTOR_CACHE_DIR"] = self.tmp
        self.log = open(os.path.join(logdir, name + ".log"), "w")
        self.p = subprocess.Popen([py, script], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=self.log, text=True, env=env, cwd=ROOT)

    def call(self, op, **kw):
        return request(self.p, self.name, self.log.name, op, **kw)

    def close(self):
        try:
            self.call("quit")
        except (WorkerError, BrokenPipeError, OSError):
            pass
        try:
            self.p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.p.kill()
        self.log.close()
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)


def loadavg():
    return [round(v, 2) for v in os.getloadavg()]


def parse_shapes(s):
    out = []
    for part in s.split(","):
        n, b, t = (int(v) for v in part.lower().split("x"))
        out.append((n, b, t))
    return out


def skey(shape):
    return "x".join(str(v) for v in shape)


def fmt_time(s):
    if s is None:
        return "—"
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1:
        return f"{s * 1e3:.3g} ms" if s < 0.1 else f"{s * 1e3:.0f} ms"
    return f"{s:.2f} s"


def run(args):
    shapes = parse_shapes(args.shapes)
    names = [n for n in IMPLS if n in args.impls.split(",")]
    datadir = os.path.join(ROOT, "build", "bench", "peers")
    os.makedirs(datadir, exist_ok=True)
    started = datetime.datetime.now(datetime.timezone.utc)
    res = {"started": started.strftime("%Y-%m-%d %H:%M UTC"), "host": platform.node(), "cpus": os.cpu_count(),
           "shapes": [skey(s) for s in shapes], "impls": names, "rounds": args.rounds,
           "min_time": args.min_time, "tol": args.tol, "smoke": args.smoke, "load_start": loadavg(),
           "info": {}, "check": {}, "compile": {}, "forward": {}, "train": {}, "round_load": [],
           "errors": []}
    print(f"peers: load {res['load_start']} at start", file=sys.stderr)
    workers = {}
    try:
        for name in names:
            workers[name] = Worker(name, datadir)
        for name, w in workers.items():
            res["info"][name] = w.call("info")
        usable = {s: [] for s in res["shapes"]}
        for shape in shapes:
            k = skey(shape)
            n, b, t = shape
            prep = workers["nn4n"].call("prepare", n=n, b=b, t=t, folder=datadir)
            workers["nn4n"].call("compile", n=n, b=b, t=t, data=prep["data"])
            usable[k].append("nn4n")
            res["check"][k] = {"nn4n_loss": prep["loss"], "nn4n_vs_f64": prep["vs_f64"]}
            res["compile"][k] = {}
            for name, w in workers.items():
                if name == "nn4n":
                    continue
                if not w.checked:
                    usable[k].append(name)
                    continue
                try:
                    c = w.call("compile", n=n, b=b, t=t, data=prep["data"], **w.extra)
                    res["compile"][k][name] = c
                    chk = w.call("check", n=n, b=b, t=t, ref=prep["ref"], **w.extra)
                except WorkerError as e:
                    res["errors"].append(f"{k} {name}: {e}")
                    print(f"peers: {k} {name}: {e}", file=sys.stderr)
                    continue
                worst = max(chk["vs_nn4n"][kk] for kk in PASS_KEYS)
                ok = worst <= args.tol
                res["check"][k][name] = dict(chk, worst=worst, passed=ok)
                print(f"peers: check {k} {name}: worst {worst:.2e} {'ok' if ok else 'FAILED'}", file=sys.stderr)
                if ok:
                    usable[k].append(name)
            masks = os.path.join(datadir, k + ".masks.npz")
            res["check"][k]["masks"] = masks
            # Rounds at this shape: every usable implementation once per
            # round, forward then train step, the order reversed each round.
            # (Shape by shape, so that a compiled peer holds one shape's
            # programs at a time and nothing is recompiled inside a run.)
            for kind in ("forward", "train"):
                res[kind][k] = {name: [] for name in usable[k]}
            for r in range(args.rounds):
                before = loadavg()
                order = usable[k] if r % 2 == 0 else usable[k][::-1]
                for kind in ("forward", "train"):
                    for name in order:
                        w = workers[name]
                        kw = dict(n=n, b=b, t=t, min_time=args.min_time, **w.extra)
                        if name == "nn4n-torch":
                            kw["masks"] = masks
                        try:
                            m = w.call(kind, **kw)
                        except WorkerError as e:
                            res["errors"].append(f"round {r} {k} {kind} {name}: {e}")
                            print(f"peers: {k} {kind} {name}: {e}", file=sys.stderr)
                            continue
                        if m.get("recompiled"):
                            res["errors"].append(f"round {r} {k} {kind} {name}: compiled again during the run")
                        res[kind][k][name].append(m)
                res["round_load"].append({"shape": k, "round": r, "before": before, "after": loadavg()})
                print(f"peers: {k} round {r + 1}/{args.rounds}, load {loadavg()}", file=sys.stderr)
            for name in usable[k]:
                if name != "nn4n-torch":
                    workers[name].call("drop", n=n, b=b, t=t, **workers[name].extra)
        res["usable"] = usable
    finally:
        for w in workers.values():
            w.close()
    res["load_end"] = loadavg()
    res["finished"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    for kind in ("forward", "train"):
        res[kind + "_median"] = {k: {name: (statistics.median(x["mean"] for x in ms) if ms else None)
                                     for name, ms in v.items()} for k, v in res[kind].items()}
    return res


def ratio_cell(med, checked_peers):
    ours = med.get("nn4n")
    best, who = None, None
    for name in checked_peers:
        v = med.get(name)
        if v is not None and (best is None or v < best):
            best, who = v, name
    if ours is None or best is None:
        return "—"
    return f"{best / ours:.2f}× ({IMPLS[who][0]})"


def render(res):
    names = res["impls"]
    checked = [n for n in names if IMPLS[n][4]]
    lines = [BEGIN, "", "_Generated by `make bench-peers` (bench/peers/run.py) — do not edit between these markers._",
             ""]
    lines.append(f"Run {res['started']} – {res['finished']} on `{res['host']}` ({res['cpus']} CPUs); "
                 f"load average (1/5/15 min) {fmt_load(res['load_start'])} at the start, "
                 f"{fmt_load(res['load_end'])} at the end; {res['rounds']} interleaved rounds, each "
                 f"measurement ≥ {res['min_time']} s; median over rounds of the mean time per call.")
    lines.append("")
    lines.append("Ratio = the fastest cross-checked peer's time / nn4n's time (> 1: nn4n is faster). "
                 "PyTorch nn4n 1.1.1 is timed on the same masks but with its own initial weights and "
                 "data, is not cross-checked and not counted in the ratio; its forward also returns the "
                 "hidden states.")
    for kind, title in (("forward", "Forward (outputs for a batch)"),
                        ("train", "Train step (forward + loss + backward + Adam + projection)")):
        lines += ["", f"### {title}", ""]
        lines.append("| N×B×T | " + " | ".join(IMPLS[n][0] for n in names) + " | ratio (best peer) |")
        lines.append("|---|" + "---|" * len(names) + "---|")
        for k in res["shapes"]:
            med = res[kind + "_median"].get(k, {})
            cells = []
            for n in names:
                if n in med:
                    cells.append(fmt_time(med[n]))
                elif n in res["check"].get(k, {}) and not res["check"][k][n].get("passed", True):
                    cells.append("check failed")
                else:
                    cells.append("—")
            lines.append(f"| {k.replace('x', '×')} | " + " | ".join(cells) + f" | {ratio_cell(med, checked)} |")
    comp = [n for n in names if n in ("jax", "torch2-compile")]
    if comp:
        lines += ["", "### Compile time (once per shape, not in the figures above)", "",
                  "JAX: `jit(...).lower(...).compile()`; PyTorch: the first call of the compiled module "
                  "(compilation and one run), in inference mode for the forward and forward + backward for "
                  "the train step. Each run starts with an empty Inductor cache.", ""]
        hdr = []
        for n in comp:
            hdr += [f"{IMPLS[n][0]} forward", f"{IMPLS[n][0]} train step"]
        lines.append("| N×B×T | " + " | ".join(hdr) + " |")
        lines.append("|---|" + "---|" * len(hdr))
        for k in res["shapes"]:
            cells = []
            for n in comp:
                c = res["compile"].get(k, {}).get(n)
                cells += [fmt_time(c["forward_compile"]) if c else "—", fmt_time(c["train_compile"]) if c else "—"]
            lines.append(f"| {k.replace('x', '×')} | " + " | ".join(cells) + " |")
    lines += ["", "### Numerics cross-check (before timing)", "",
              "Each peer's loss, outputs and gradients on the shared batch and initial weights against "
              "nn4n's, all in float32: |Δloss| / |loss|, and max |Δ| / max |nn4n's| per array. Passed: loss "
              f"and every gradient within {res['tol']:g} (the outputs are shown, not judged). The last two "
              "columns compare with the exact result (nn4n in float64 on the same float32 weights and "
              "data): the worst gradient and the outputs.", ""]
    cols = ["loss", "outputs", "g_w_in", "g_w_rec", "g_w_out", "g_b_in", "g_b_rec", "g_b_out"]
    lines.append("| N×B×T | implementation | " + " | ".join(c.replace("g_", "∇") for c in cols) +
                 " | passed | worst ∇ vs f64 | outputs vs f64 |")
    lines.append("|---|---|" + "---|" * len(cols) + "---|---|---|")

    def f64cells(v):
        if not v:
            return "— | —"
        return f"{max(v[x] for x in PASS_KEYS[1:]):.1e} | {v['outputs']:.1e}"
    for k in res["shapes"]:
        ck = res["check"].get(k, {})
        sk = k.replace("x", "×")
        if "nn4n_vs_f64" in ck:
            lines.append(f"| {sk} | nn4n f32 | " + " | ".join("(ref)" for _ in cols) + " | — | " +
                         f64cells(ck["nn4n_vs_f64"]) + " |")
        for n in checked:
            c = ck.get(n)
            if not c:
                lines.append(f"| {sk} | {IMPLS[n][0]} | " + " | ".join("—" for _ in cols) + " | error | — | — |")
                continue
            rr = c["vs_nn4n"]
            lines.append(f"| {sk} | {IMPLS[n][0]} | " + " | ".join(f"{rr[x]:.1e}" for x in cols) +
                         f" | {'yes' if c['passed'] else '**no**'} | {f64cells(c.get('vs_f64'))} |")
    lines += ["", "### Versions and threads", ""]
    for n in names:
        lines.append(f"- {IMPLS[n][0]}: " + describe(n, res["info"].get(n, {})))
    lines.append("")
    lines.append("1-min load average before → after each round, per shape: " + "; ".join(
        f"{k.replace('x', '×')}: " + ", ".join(f"{x['before'][0]:.2f}→{x['after'][0]:.2f}"
                                            for x in res["round_load"] if x["shape"] == k)
        for k in res["shapes"]) + ".")
    if res["errors"]:
        lines += ["", "Errors:", ""] + [f"- {e.splitlines()[0]}" for e in res["errors"]]
    lines += ["", END]
    return "\n".join(lines) + "\n"


def fmt_load(v):
    return "/".join(f"{x:.2f}" for x in v)


def describe(name, info):
    if name == "nn4n":
        return (f"libnn4n {info.get('library')}, binding {info.get('binding')}, threads (Go, BLAS per call) "
                f"{info.get('threads')}, {info.get('blas')}, Python {info.get('python')}")
    if name == "jax":
        return (f"jax {info.get('jax')}, jaxlib {info.get('jaxlib')}, optax {info.get('optax')}, backend "
                f"{info.get('backend')}, {len(info.get('devices', []))} device(s), default threading "
                f"(XLA_FLAGS '{info.get('xla_flags')}'), Python {info.get('python')}")
    if name.startswith("torch2"):
        return (f"torch {info.get('torch')}, {info.get('threads')} intra-op / {info.get('interop_threads')} "
                f"inter-op threads (defaults), Python {info.get('python')}")
    if name == "nn4n-torch":
        return (f"nn4n {info.get('nn4n_torch')} on torch {info.get('torch')}, {info.get('threads')} intra-op "
                f"threads (default), Python {info.get('python')}")
    return json.dumps(info)


def write_docs(section, path):
    old = open(path).read() if os.path.exists(path) else ""
    if BEGIN in old and END in old:
        pre, rest = old.split(BEGIN, 1)
        new = pre + section.rstrip("\n") + rest.split(END, 1)[1]
    else:
        new = old.rstrip("\n") + "\n\n" + section
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(new)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--smoke", action="store_true", help="tiny shapes, one short round, report to build/")
    ap.add_argument("--shapes", default=None, help=f"N×B×T list (default {DEFAULT_SHAPES})")
    ap.add_argument("--rounds", type=int, default=None, help="interleaved rounds (default 5; smoke 1)")
    ap.add_argument("--min-time", type=float, default=None, help="seconds per measurement (default 0.3)")
    ap.add_argument("--tol", type=float, default=1e-5, help="cross-check tolerance (default 1e-5)")
    ap.add_argument("--impls", default=",".join(IMPLS), help="comma-separated subset of " + ",".join(IMPLS))
    ap.add_argument("--no-setup", action="store_true", help="do not run setup_venvs.sh when a venv is missing")
    ap.add_argument("--docs", default=os.path.join(ROOT, "docs", "BENCHMARKS.md"))
    ap.add_argument("--report-only", action="store_true",
                    help="re-render build/bench/peers.json into --docs without measuring")
    args = ap.parse_args()
    if args.report_only:
        with open(os.path.join(ROOT, "build", "bench", "peers.json")) as f:
            write_docs(render(json.load(f)), args.docs)
        print(f"peers: re-rendered build/bench/peers.json into {args.docs}", file=sys.stderr)
        return 0
    if args.shapes is None:
        args.shapes = SMOKE_SHAPES if args.smoke else DEFAULT_SHAPES
    if args.rounds is None:
        args.rounds = 1 if args.smoke else 5
    if args.min_time is None:
        args.min_time = 0.02 if args.smoke else 0.3
    if "nn4n" not in args.impls.split(","):
        args.impls = "nn4n," + args.impls
    if "nn4n-torch" in args.impls.split(",") and not os.path.isdir(TORCH113_PATH):
        print(f"peers: {TORCH113_PATH} missing (make python): PyTorch nn4n 1.1.1 left out", file=sys.stderr)
        args.impls = ",".join(n for n in args.impls.split(",") if n != "nn4n-torch")
    need = {IMPLS[n][1] for n in args.impls.split(",") if n in IMPLS}
    if any(not os.path.exists(p) for p in need) and not args.no_setup:
        subprocess.run([os.path.join(HERE, "setup_venvs.sh")], check=True)
    res = run(args)
    outdir = os.path.join(ROOT, "build", "bench")
    os.makedirs(outdir, exist_ok=True)
    jpath = os.path.join(outdir, "peers.smoke.json" if args.smoke else "peers.json")
    with open(jpath, "w") as f:
        json.dump(res, f, indent=1)
    section = render(res)
    if args.smoke:
        md = os.path.join(outdir, "peers.smoke.md")
        with open(md, "w") as f:
            f.write(section)
    else:
        md = args.docs
        write_docs(section, md)
    print(section)
    print(f"peers: wrote {jpath} and {md}", file=sys.stderr)
    failed = [f"{k} {n}" for k, v in res["check"].items() for n, c in v.items()
              if isinstance(c, dict) and c.get("passed") is False]
    if failed or res["errors"]:
        print("peers: cross-check failed or errors: " + ", ".join(failed + res["errors"][:3]), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
