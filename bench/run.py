"""Driver of bench/run.sh: runs bertsent, PyTorch and ONNX Runtime side by side, one process per
measurement, rotating which goes first, prints the table and writes bench/results/<timestamp>.json.
Run through bench/run.sh, which prepares the venv, the build, the model and the data.

Sides of a config: bertsent ("ours"), PyTorch ("theirs"), ONNX Runtime ("ort": inference, latency and
reviews rows; FP32 with ORT_ENABLE_ALL, int8 from quantize_dynamic, bf16 rows against ORT FP32 as ORT
has no CPU bf16; files from bench/onnx_export.py), a second bertsent binary ("baseline",
--baseline-bin), and bertsent under each instruction-set cap ("ours[avx2]", --isa, run with
BERTSENT_ISA set), which become rows of their own named with the cap, against the same anchors.
PyTorch's and ORT's class probabilities on the same inputs are compared with PyTorch FP32's."""
import argparse
import csv
import re
import shutil
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# Targets from issue 7: (kind, bound) on the ratio shown in the table.
TARGETS = {"train": ("speed", 3.0), "throughput": ("speed", 3.0), "latency": ("latency", 0.3),
           "reviews": ("speed", 3.0), "tokenizer": ("speed", 2.0), "rss": ("rss", 0.5)}

# Targets from issue 16 against ONNX Runtime, by (kind, precision): ORT int8 for int8 rows, ORT FP32 for FP32.
ORT_TARGETS = {("throughput", "int8"): ("speed", 1.5), ("reviews", "int8"): ("speed", 1.5),
               ("latency", "int8"): ("latency", 0.7), ("throughput", "fp32"): ("speed", 1.2),
               ("reviews", "fp32"): ("speed", 1.2)}
ORT_KINDS = ("throughput", "latency", "reviews")

# Instruction-set caps bertsent understands (BERTSENT_ISA); a cap above the CPU's best is clamped by bertsent.
ISAS = ("avx512", "avx-vnni", "avx2", "portable")

# Reduced-precision rows: PyTorch's own counterpart of bertsent's --precision, and the configs it applies to.
REDUCED = {"bf16": {"torchFlag": "--autocast-bf16", "torchLabel": "bf16 autocast", "kinds": ("train", "throughput", "latency", "reviews")},
           "int8": {"torchFlag": "--dynamic-int8", "torchLabel": "dynamic int8", "kinds": ("throughput", "latency", "reviews")}}


def load_config(path):
    with open(path) as f:
        return json.load(f)


def flops(config, batch, seq, training, cls_only_last_layer=False):
    """Matmul FLOPs of one step: 2·params·tokens forward (plus QKᵀ and PV), ×3 with backward — the
    model's nominal work, the same count for both sides. With `cls_only_last_layer`, the work bertsent
    executes: its last layer computes keys and values for every token but queries, attention, output
    and feed-forward for the [CLS] rows only (what the classifier reads)."""
    h, inter, layers = config["hidden_size"], config["intermediate_size"], config["num_hidden_layers"]
    tokens = batch * seq
    full_layer = 2 * tokens * (4 * h * h + 2 * h * inter) + 4 * batch * seq * seq * h
    last_layer = 2 * tokens * 2 * h * h + 2 * batch * (2 * h * h + 2 * h * inter) + 4 * batch * seq * h
    forward = (layers - 1) * full_layer + (last_layer if cls_only_last_layer else full_layer) + 2 * batch * h * h
    return forward * (3 if training else 1)


def run_measured(argv, env, timeout):
    """Runs argv; returns its last JSON line of stdout with the child's peak RSS (ru_maxrss from wait4,
    measured the same way for both sides) and wall time added."""
    start = time.perf_counter()
    out_path = os.path.join(STATE["tmp"], "out.txt")
    err_path = os.path.join(STATE["tmp"], "err.txt")
    with open(out_path, "w") as out, open(err_path, "w") as err:
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                raise RuntimeError(f"timed out after {timeout}s: {' '.join(argv)}")
            time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    text = open(out_path).read()
    if proc.returncode != 0:
        raise RuntimeError(f"exit {proc.returncode}: {' '.join(argv)}\n{open(err_path).read()[-2000:]}")
    lines = [l for l in text.splitlines() if l.startswith("{")]
    result = json.loads(lines[-1]) if lines else {}
    result["processPeakRSSMegabytes"] = usage.ru_maxrss / 1024
    result["processWallSeconds"] = wall
    return result


STATE = {}


def uptime():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def busy_processes():
    out = subprocess.run(["ps", "-eo", "pcpu,args", "--sort=-pcpu"], capture_output=True, text=True).stdout.splitlines()
    return [l.strip()[:160] for l in out[1:6] if l.strip() and float(l.split()[0]) >= 5.0]


def fmt_time(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def isa_list(values):
    """--isa given once or more, each a value or a comma list: the caps in order, without repeats."""
    caps = []
    for value in values or []:
        for cap in (v.strip() for v in value.split(",")):
            if cap and cap not in caps:
                caps.append(cap)
    return caps


def kernels_text(info):
    """`bench info`'s "kernels" object as one line (newer builds), or None."""
    kernels = info.get("kernels") if info else None
    if isinstance(kernels, dict):
        return ", ".join(f"{k} {v}" for k, v in kernels.items())
    return kernels if isinstance(kernels, str) else None


def slug(text):
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


def probability_difference(path, reference):
    """Largest and mean |probability difference| between two .npy files of class probabilities."""
    import numpy as np
    a, b = np.load(path), np.load(reference)
    if a.shape != b.shape:
        raise RuntimeError(f"{path}: shape {a.shape}, reference {b.shape}")
    d = np.abs(a.astype(np.float64) - b.astype(np.float64))
    return float(d.max()), float(d.mean())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true")
    p.add_argument("--bin", required=True)
    p.add_argument("--python", default=sys.executable)
    p.add_argument("--imdb", required=True, help="IMDB CSV (review,sentiment)")
    p.add_argument("--data-dir", required=True)
    p.add_argument("--model", required=True)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--only", help="comma-separated parts of config names to run ('e2e' for the fine-tune)")
    p.add_argument("--e2e-count", type=int, default=3000, help="synthetic reviews of the end-to-end run (3000)")
    p.add_argument("--e2e-epochs", type=int, default=3, help="epochs of the end-to-end run (3)")
    p.add_argument("--precisions", default="bf16,int8",
                   help="reduced-precision rows to add: bf16 and/or int8 (every x86-64 CPU; each row names the kernel that ran)")
    p.add_argument("--e2e-precisions", default="fp32,bf16",
                   help="end-to-end runs: fp32 (bertsent FP32 vs Trainer FP32) and/or bf16 (--precision bf16 vs Trainer bf16=True)")
    p.add_argument("--isa", action="append", metavar="CAP",
                   help=f"also run bertsent with BERTSENT_ISA=CAP ({', '.join(ISAS)}), as rows named '… [CAP]' beside the "
                        "uncapped ones, against the same anchors; repeat or give a comma list")
    p.add_argument("--baseline-bin", help="a second bertsent binary (e.g. an earlier commit's build) alternated with --bin "
                                          "in every row, for before/after ratios")
    p.add_argument("--no-ort", action="store_true", help="leave out ONNX Runtime")
    p.add_argument("--ort-fused", action="store_true",
                   help="ORT scores onnxruntime.transformers' fused BERT graph (Attention, SkipLayerNorm; int8: QAttention) "
                        "instead of the plain export")
    p.add_argument("--ort-per-channel", choices=["on", "off"], default="on", help="quantize_dynamic per channel (on)")
    args = p.parse_args()
    precisions = [x.strip() for x in args.precisions.split(",") if x.strip()]
    unknown = [x for x in precisions if x not in REDUCED]
    if unknown:
        p.error(f"--precisions: unknown {', '.join(unknown)}; choose from {', '.join(REDUCED)}")
    caps = isa_list(args.isa)
    unknown = [c for c in caps if c not in ISAS]
    if unknown:
        p.error(f"--isa: unknown {', '.join(unknown)}; choose from {', '.join(ISAS)}")
    quick = args.quick
    sys.stdout.reconfigure(line_buffering=True)
    STATE["tmp"] = os.path.join(args.data_dir, "tmp")
    probs_dir = os.path.join(STATE["tmp"], "probabilities")
    shutil.rmtree(probs_dir, ignore_errors=True)  # a file from an earlier run must not stand in as a reference
    os.makedirs(probs_dir)

    env = dict(os.environ)
    inherited_coretype = env.get("OPENBLAS_CORETYPE")
    if env.get("BENCH_OPENBLAS_CORETYPE"):
        env["OPENBLAS_CORETYPE"] = env["BENCH_OPENBLAS_CORETYPE"]
    else:
        env.pop("OPENBLAS_CORETYPE", None)  # issue 7: unset for both sides
    env["PYTHONUNBUFFERED"] = "1"
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "RAYON_NUM_THREADS"):
        env.pop(var, None)
    inherited_isa = env.pop("BERTSENT_ISA", None)  # uncapped unless --isa asks; each cap is its own side
    cap_env = {cap: {**env, "BERTSENT_ISA": cap} for cap in caps}

    ours_bin, py, torch_bench = args.bin, args.python, os.path.join(HERE, "torch_bench.py")
    ort_bench = os.path.join(HERE, "ort_bench.py")
    base_cfg = load_config(os.path.join(args.model, "config.json"))
    bert_base = os.path.join(HERE, "bert-base-config.json")
    base_big = load_config(bert_base)

    started = datetime.datetime.now()
    load_before = uptime()
    print(f"bench: {'quick' if quick else 'full'} run, load average {load_before} (machine shared: other processes may be running)")
    for line in busy_processes():
        print(f"bench:   busy: {line}")

    meta = {"startedAt": started.isoformat(timespec="seconds"), "mode": "quick" if quick else "full",
            "loadAverageBefore": load_before, "busyProcessesBefore": busy_processes(), "cpu": cpu_model(),
            "cores": os.cpu_count(), "threads": args.threads, "kernel": platform.release(),
            "openblasCoretypeInherited": inherited_coretype, "openblasCoretypeUsed": env.get("OPENBLAS_CORETYPE"),
            "bertsentIsaInherited": inherited_isa, "isaCaps": caps, "bin": ours_bin, "baselineBin": args.baseline_bin,
            "command": " ".join(["bench/run.sh"] + sys.argv[1:])}
    meta["bertsentInfo"] = run_measured([ours_bin, "bench", "info"], env, 60)
    meta["bertsentInfoByIsa"] = {cap: run_measured([ours_bin, "bench", "info"], cap_env[cap], 60) for cap in caps}
    if args.baseline_bin:
        meta["baselineInfo"] = run_measured([args.baseline_bin, "bench", "info"], env, 60)
    meta["torchInfo"] = run_measured([py, torch_bench, "info", "--threads", str(args.threads)], env, 120)
    try:
        meta["gitCommit"] = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    except OSError:
        pass
    print(f"bench: bertsent BLAS: {meta['bertsentInfo']['blas']}")
    for label, info in [("bertsent", meta["bertsentInfo"])] + [(f"bertsent [{c}]", meta["bertsentInfoByIsa"][c]) for c in caps] \
            + ([("baseline", meta["baselineInfo"])] if args.baseline_bin else []):
        same = label.startswith("bertsent [") and kernels_text(info) and kernels_text(info) == kernels_text(meta["bertsentInfo"])
        print(f"bench: {label} kernels: {kernels_text(info) or 'not reported by this build'}"
              + (" (the uncapped path: this CPU's best is at or below the cap)" if same else ""))
    ti = meta["torchInfo"]
    print(f"bench: torch {ti['torch']} (MKL {ti['mkl']}, oneDNN {ti['mkldnn']}, {ti['cpuCapability']}), "
          f"transformers {ti['transformers']}, threads {ti['threads']}, OPENBLAS_CORETYPE={env.get('OPENBLAS_CORETYPE', 'unset')}")

    # ONNX Runtime: the ONNX files (exported once, cached) and the runtime's own description.
    onnx_files = None
    if not args.no_ort:
        try:
            export_argv = [py, os.path.join(HERE, "onnx_export.py"), "--model", args.model,
                           "--cache-dir", os.path.join(args.data_dir, "onnx"), "--per-channel", args.ort_per_channel]
            onnx_files = run_measured(export_argv + (["--fused"] if args.ort_fused else []), env, 1800)
            meta["onnxExport"] = onnx_files
            meta["ortInfo"] = run_measured([py, ort_bench, "info", "--threads", str(args.threads)], env, 120)
            q = onnx_files["quantization"]
            print(f"bench: onnxruntime {meta['ortInfo']['onnxruntime']} ({', '.join(meta['ortInfo']['providers'])}), "
                  f"{args.threads} intra-op threads, 1 inter-op, ORT_ENABLE_ALL; {onnx_files['graph']} graph from "
                  f"{onnx_files['exporter']}, opset {onnx_files['opset']}; int8: quantize_dynamic {q['weightType']} "
                  f"{'per channel' if q['perChannel'] else 'per tensor'}{', reduce_range' if q['reduceRange'] else ''}; "
                  f"vs PyTorch FP32 on padded test batches: max |Δp| FP32 {onnx_files['maxProbabilityDifferenceVsTorch']['fp32']:.1e}, "
                  f"int8 {onnx_files['maxProbabilityDifferenceVsTorch']['int8']:.1e}")
        except RuntimeError as error:
            print(f"bench: ONNX Runtime left out: {error}", file=sys.stderr)
            onnx_files = None

    # SGEMM ceilings, measured now, in the same conditions.
    gemm_reps = "5" if quick else "10"
    ours_gemm = run_measured([ours_bin, "bench", "gemm", "--repetitions", gemm_reps], env, 300)
    theirs_gemm = run_measured([py, torch_bench, "gemm", "--repetitions", gemm_reps, "--threads", str(args.threads)], env, 300)
    sgemm_peak = max(ours_gemm["blasThreadsGflops"], ours_gemm["bertsentGemmGflops"])
    fma = ours_gemm["fmaPeak"]
    fma_peak = fma["allThreadsGflops"]
    print(f"bench: SGEMM 1024×768×3072: OpenBLAS {ours_gemm['blasOneThreadGflops']:.0f} GFLOP/s (1 thread), "
          f"{ours_gemm['blasThreadsGflops']:.0f} ({ours_gemm['threads']} threads), bertsent gemm {ours_gemm['bertsentGemmGflops']:.0f}; "
          f"torch.mm {theirs_gemm['gflops']:.0f}")
    print(f"bench: FMA peak: " + ", ".join(f"{isa} {g:.0f}" for isa, g in sorted(fma["oneThreadGflops"].items()))
          + f" GFLOP/s on 1 thread, {fma_peak:.0f} on {fma['threads']}; OpenBLAS SGEMM reaches "
          f"{ours_gemm['blasOneThreadGflops'] / max(fma['oneThreadGflops'].values()) * 100:.0f}% of it on 1 thread, "
          f"{sgemm_peak / fma_peak * 100:.0f}% on {fma['threads']}")
    for line in kernel_rate_lines(ours_gemm):
        print("bench: " + line)
    gemm_by_isa = {}
    for cap in caps:
        try:
            gemm_by_isa[cap] = run_measured([ours_bin, "bench", "gemm", "--repetitions", gemm_reps], cap_env[cap], 300)
            for line in kernel_rate_lines(gemm_by_isa[cap]):
                print(f"bench: [{cap}] " + line)
        except RuntimeError as error:
            print(f"bench: bench gemm [{cap}] failed: {error}", file=sys.stderr)

    # Data every side reads: the first 10,000 IMDB reviews, cleaned by bertsent's cleaner.
    cleaned = os.path.join(args.data_dir, "imdb_clean_10000.csv")
    if not os.path.exists(cleaned):
        subprocess.run([ours_bin, "bench", "clean", "--input", args.imdb, "--count", "10000", "--output", cleaned + ".part"],
                       check=True, env=env)
        os.replace(cleaned + ".part", cleaned)

    procs = 1 if quick else 3          # processes per side per config, rotating the order (quick: one each, under 5 minutes)
    steps = 2 if quick else 5          # timed repetitions inside each process
    review_count = 300 if quick else 2000
    t = str(args.threads)
    m = ["--model", args.model]

    def step_cfg(name, kind, task, b, s, cfg, random_config=None, reps=steps, warmup=1):
        extra = ["--random-config", random_config] if random_config else m
        common = ["--batch-size", str(b), "--seq-len", str(s), "--warmup", str(warmup), "--repetitions", str(reps)]
        c = {"name": name, "kind": kind, "batch": b, "seq": s,
             "flops": flops(cfg, b, s, task == "train"),
             "oursExecutedFlops": flops(cfg, b, s, task == "train", cls_only_last_layer=True),
             "ours": [ours_bin, "bench", task] + extra + common,
             "theirs": [py, torch_bench, task, "--threads", t] + extra + common}
        if task == "inference" and not random_config:
            c["ort"] = [py, ort_bench, "inference", "--threads", t] + m + common
        return c

    def reduced_cfg(fp32, precision):
        """The same config with bertsent's linear layers in bf16 / int8 against PyTorch's own equivalent
        (bf16 autocast / quantize_dynamic int8) and ONNX Runtime int8 (bf16: ORT FP32); the table also
        states the ratio to PyTorch in FP32 (the FP32 row's PyTorch time)."""
        c = {**fp32, "name": fp32["name"] + " " + precision, "precision": precision, "fp32Name": fp32["name"],
             "ours": fp32["ours"] + ["--precision", precision], "theirs": fp32["theirs"] + [REDUCED[precision]["torchFlag"]]}
        if "ort" in fp32:
            c["ort"] = fp32["ort"] + (["--precision", "int8"] if precision == "int8" else [])
        return c

    reviews_common = ["--input", cleaned, "--count", str(review_count), "--batch-size", "32", "--warmup", "0", "--repetitions", "1"]
    configs = [
        step_cfg("train b8×s128", "train", "train", 8, 128, base_cfg),
        step_cfg("train b8×s256", "train", "train", 8, 256, base_cfg),
        step_cfg("train b32×s128", "train", "train", 32, 128, base_cfg),
        step_cfg("train bert-base b8×s128", "train", "train", 8, 128, base_big, random_config=bert_base),
        step_cfg("inference b32×s128", "throughput", "inference", 32, 128, base_cfg, reps=3 if quick else 5),
        step_cfg("latency b1×s128", "latency", "inference", 1, 128, base_cfg, reps=10 if quick else 30, warmup=3),
        # One pass over the reviews and no warmup pass, in both modes: a user's run pays the first batches too.
        {"name": f"reviews {review_count} IMDB", "kind": "reviews", "batch": review_count, "seq": 256, "flops": None,
         "ours": [ours_bin, "bench", "reviews"] + reviews_common + m,
         "theirs": [py, torch_bench, "reviews"] + reviews_common + ["--threads", t] + m,
         "ort": [py, ort_bench, "reviews"] + reviews_common + ["--threads", t] + m},
        {"name": "tokenizer 10000 IMDB", "kind": "tokenizer", "batch": 10000, "seq": 512, "flops": None,
         "ours": [ours_bin, "bench", "tokenizer", "--input", cleaned, "--count", "10000", "--repetitions", "3"] + m,
         "theirs": [py, torch_bench, "tokenizer", "--input", cleaned, "--count", "10000", "--repetitions", "3", "--threads", t] + m},
    ]
    for precision in precisions:
        configs += [reduced_cfg(c, precision) for c in configs if c["kind"] in REDUCED[precision]["kinds"] and "precision" not in c]
    if args.only:
        wanted = [w.strip() for w in args.only.split(",")]
        configs = [c for c in configs if any(w in c["name"] for w in wanted)]

    def sides_of(cfg):
        """Every process of a config: side name → (argv, environment)."""
        sides = {"ours": (cfg["ours"], env), "theirs": (cfg["theirs"], env)}
        if cfg["kind"] != "tokenizer":  # the tokenizer calls no kernel: nothing to cap
            for cap in caps:
                sides[f"ours[{cap}]"] = (cfg["ours"], cap_env[cap])
        if onnx_files and "ort" in cfg:
            onnx = onnx_files["int8" if cfg.get("precision") == "int8" else "fp32"]
            sides["ort"] = (cfg["ort"] + ["--onnx", onnx], env)
        if args.baseline_bin:
            sides["baseline"] = ([args.baseline_bin] + cfg["ours"][1:], env)
        # The anchors' class probabilities, for the comparison with PyTorch FP32 on the same inputs.
        if cfg["kind"] in ORT_KINDS:
            for side in ("theirs", "ort"):
                if side in sides:
                    argv, e = sides[side]
                    sides[side] = (argv + ["--save-probabilities", os.path.join(probs_dir, f"{slug(cfg['name'])}-{side}.npy")], e)
        return sides

    def torch_fp32_reference(cfg):
        """PyTorch FP32's probabilities on this config's inputs: the FP32 row's file, or one untimed run."""
        base = cfg.get("fp32Name", cfg["name"])
        path = os.path.join(probs_dir, f"{slug(base)}-theirs.npy")
        if base == cfg["name"] or os.path.exists(path):
            return path if os.path.exists(path) else None
        flags = {v["torchFlag"] for v in REDUCED.values()}
        argv = [a for a in cfg["theirs"] if a not in flags]
        for i, a in enumerate(argv):
            if a == "--repetitions":
                argv[i + 1] = "1"
            if a == "--warmup":
                argv[i + 1] = "0"
        try:
            run_measured(argv + ["--save-probabilities", path], env, 1800)
        except RuntimeError as error:
            print(f"bench: PyTorch FP32 reference for {cfg['name']} failed: {error}", file=sys.stderr)
        return path if os.path.exists(path) else None

    def summary(cfg, rs):
        median = statistics.median(r["medianSeconds"] for r in rs)
        out = {"medianSeconds": median, "samplesPerSecond": cfg["batch"] / median,
               "peakRSSMegabytes": statistics.median(r["processPeakRSSMegabytes"] for r in rs),
               "gflops": cfg["flops"] / median / 1e9 if cfg["flops"] else None, "runs": rs}
        if rs[0].get("tokens"):
            out["tokensPerSecond"] = rs[0]["tokens"] / median
        kernels = sorted({r["kernel"] for r in rs if isinstance(r.get("kernel"), str)})
        if kernels:
            out["kernel"] = "/".join(kernels)
        return out

    rows = []
    for cfg in configs:
        sides = sides_of(cfg)
        order = list(sides)
        runs = {side: [] for side in sides}
        for rep in range(procs):
            k = rep % len(order)
            for side in order[k:] + order[:k]:
                argv, side_env = sides[side]
                try:
                    runs[side].append(run_measured(argv, side_env, 1800))
                except RuntimeError as error:
                    print(f"bench: {cfg['name']} ({side}) failed: {error}", file=sys.stderr)
        measured = {side: summary(cfg, rs) if rs else None for side, rs in runs.items()}
        if measured.get("theirs") and cfg["kind"] in ORT_KINDS:
            reference = torch_fp32_reference(cfg)
            for side in ("theirs", "ort"):
                path = os.path.join(probs_dir, f"{slug(cfg['name'])}-{side}.npy")
                if measured.get(side) and reference and os.path.exists(path):
                    mx, mean = probability_difference(path, reference)
                    measured[side]["maxProbabilityDifferenceVsTorchFP32"] = mx
                    measured[side]["meanProbabilityDifferenceVsTorchFP32"] = mean
        group = [("ours", cfg["name"])] + [(f"ours[{cap}]", f"{cfg['name']} [{cap}]") for cap in caps if f"ours[{cap}]" in sides]
        for ours_side, name in group:
            row = {k: v for k, v in cfg.items() if k not in ("ours", "theirs", "ort")}
            row["name"] = name
            if ours_side != "ours":
                row["isaCap"] = ours_side[5:-1]
                row["anchorsFrom"] = cfg["name"]  # PyTorch, ORT and baseline: the uncapped row's processes
                if row.get("fp32Name"):
                    row["fp32Name"] = f"{row['fp32Name']} [{row['isaCap']}]"
            row["commands"] = {side: argv for side, (argv, _) in sides.items()}
            if caps:
                row["commandEnvironment"] = {side: {"BERTSENT_ISA": e["BERTSENT_ISA"]} for side, (_, e) in sides.items()
                                             if "BERTSENT_ISA" in e}
            row["ours"] = measured[ours_side]
            row["theirs"] = measured["theirs"]
            row["ort"] = measured.get("ort")
            row["baseline"] = measured.get("baseline")
            if row["ours"] and row["ours"].get("kernel"):
                row["kernel"] = row["ours"]["kernel"]
            for r in runs[ours_side][:1] + runs["theirs"][:1]:
                if r.get("attnImplementation"):
                    row["attnImplementation"] = r["attnImplementation"]
            complete_row(row, rows, runs, ours_side, sgemm_peak, fma_peak)
            rows.append(row)
            print_row(row, header=len(rows) == 1)

    e2e = {}
    if not quick and (not args.only or "e2e" in args.only):
        for precision in [p.strip() for p in args.e2e_precisions.split(",") if p.strip()]:
            e2e[precision] = end_to_end(ours_bin, py, args, env, precision)

    load_after = uptime()
    result = {"meta": {**meta, "loadAverageAfter": load_after, "finishedAt": datetime.datetime.now().isoformat(timespec="seconds"),
                       "sgemm": {"bertsent": ours_gemm, "torch": theirs_gemm, "peakUsedForFractions": sgemm_peak},
                       "gemmByIsa": gemm_by_isa, "fmaPeakUsedForFractions": fma_peak},
              "configs": rows, "endToEnd": e2e.get("fp32"), "endToEndBf16": e2e.get("bf16")}
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    path = os.path.join(HERE, "results", started.strftime("%Y%m%d-%H%M%S") + ".json")
    with open(path, "w") as f:
        json.dump(result, f, indent=1)
    print()
    print_markdown(result)
    print(f"\nbench: load average before {load_before}, after {load_after}; results in {os.path.relpath(path, ROOT)}")


def complete_row(row, rows, runs, ours_side, sgemm_peak, fma_peak):
    """The ratios of a row: bertsent against PyTorch, ONNX Runtime, the baseline binary, PyTorch FP32 and
    bertsent's own FP32 (bf16 / int8 rows), and its shares of the FP32 ceilings."""
    o, t = row["ours"], row["theirs"]
    if not o:
        return
    if t:
        row["speedRatio"] = t["medianSeconds"] / o["medianSeconds"]
        row["latencyRatio"] = o["medianSeconds"] / t["medianSeconds"]
        row["rssRatio"] = o["peakRSSMegabytes"] / t["peakRSSMegabytes"]
        # Processes that ran back to back, under similar load: their ratios show the spread.
        row["pairedSpeedRatios"] = [b["medianSeconds"] / a["medianSeconds"] for a, b in zip(runs[ours_side], runs["theirs"])]
    if row.get("ort"):
        a = row["ort"]
        row["speedRatioVsORT"] = a["medianSeconds"] / o["medianSeconds"]
        row["latencyRatioVsORT"] = o["medianSeconds"] / a["medianSeconds"]
        row["rssRatioVsORT"] = o["peakRSSMegabytes"] / a["peakRSSMegabytes"]
        row["pairedSpeedRatiosVsORT"] = [b["medianSeconds"] / a["medianSeconds"] for a, b in zip(runs[ours_side], runs["ort"])]
        row["ortPrecision"] = "int8" if row.get("precision") == "int8" else "fp32"
        target = ORT_TARGETS.get((row["kind"], row.get("precision", "fp32")))
        if target:
            row["ortTarget"] = {"kind": target[0], "bound": target[1],
                                "met": (row["latencyRatioVsORT"] <= target[1]) if target[0] == "latency"
                                else (row["speedRatioVsORT"] >= target[1])}
    if row.get("baseline"):
        row["speedRatioVsBaseline"] = row["baseline"]["medianSeconds"] / o["medianSeconds"]
        row["pairedSpeedRatiosVsBaseline"] = [b["medianSeconds"] / a["medianSeconds"] for a, b in zip(runs[ours_side], runs["baseline"])]
    fp32 = next((r for r in rows if r["name"] == row.get("fp32Name") and r["ours"] and r["theirs"]), None)
    if fp32 and t:
        # bf16 / int8 rows: against PyTorch in FP32 too, and against bertsent's own FP32.
        row["speedRatioVsTorchFP32"] = fp32["theirs"]["medianSeconds"] / o["medianSeconds"]
        row["latencyRatioVsTorchFP32"] = o["medianSeconds"] / fp32["theirs"]["medianSeconds"]
        row["speedupOverOursFP32"] = fp32["ours"]["medianSeconds"] / o["medianSeconds"]
    if o["gflops"] and not row.get("precision"):
        # Shares of the (FP32) ceilings count the FLOPs bertsent executes, not the nominal ones.
        executed = row["oursExecutedFlops"] / o["medianSeconds"] / 1e9
        o["executedGflops"] = executed
        row["oursFractionOfSgemm"] = executed / sgemm_peak
        row["oursFractionOfFmaPeak"] = executed / fma_peak


def ratio_text(row, kind, speed_key, latency_key):
    return f"{row[latency_key]:.2f}×" if kind == "latency" else f"{row[speed_key]:.2f}×"


def print_row(row, header):
    if header:
        print(f"\n{'config':<34} {'kernel':<14} {'PyTorch':>10} {'ORT':>10} {'bertsent':>10} {'vs torch':>8} {'target':>8} "
              f"{'vs ORT':>7} {'target':>8} {'RSS torch/ORT/ours':>20}  GFLOP/s nominal (ours vs torch); ours executed "
              f"(% SGEMM, % FMA peak); ORT/PyTorch max |Δp| vs PyTorch FP32")
    o, t, a = row["ours"], row["theirs"], row.get("ort")
    if not o:
        print(f"{row['name']:<34} failed")
        return
    kind, bound = TARGETS[row["kind"]]
    kernel = row.get("kernel", "")
    if t:
        vs_torch = ratio_text(row, kind, "speedRatio", "latencyRatio")
        ok = row["latencyRatio"] <= bound if kind == "latency" else row["speedRatio"] >= bound
        target = f"{'≤' if kind == 'latency' else '≥'}{bound}×" + (" ok" if ok else " no")
    else:
        vs_torch, target = "failed", ""
    vs_ort, ort_target = "", ""
    if a:
        vs_ort = ratio_text(row, kind, "speedRatioVsORT", "latencyRatioVsORT")
        if row.get("ortTarget"):
            ot = row["ortTarget"]
            ort_target = f"{'≤' if ot['kind'] == 'latency' else '≥'}{ot['bound']}×" + (" ok" if ot["met"] else " no")
    rss = "/".join(f"{x['peakRSSMegabytes']:.0f}" if x else "-" for x in (t, a, o)) + " MB"
    notes = [f"{o['gflops']:.0f} vs {t['gflops']:.0f}"] if o.get("gflops") and t else []
    if o.get("executedGflops"):
        notes[-1:] = [(notes[-1] if notes else "") + f"; {o['executedGflops']:.0f} ({row['oursFractionOfSgemm'] * 100:.0f}%, "
                      f"{row['oursFractionOfFmaPeak'] * 100:.0f}%)"]
    if row.get("speedupOverOursFP32"):
        vs = row["latencyRatioVsTorchFP32"] if kind == "latency" else row["speedRatioVsTorchFP32"]
        notes.append(f"vs PyTorch FP32 {vs:.2f}×, vs bertsent FP32 {row['speedupOverOursFP32']:.2f}× faster")
    if row.get("speedRatioVsBaseline"):
        notes.append(f"vs baseline {row['speedRatioVsBaseline']:.2f}× ({fmt_time(row['baseline']['medianSeconds'])})")
    if a and a.get("maxProbabilityDifferenceVsTorchFP32") is not None:
        delta = f"|Δp| ORT {a['maxProbabilityDifferenceVsTorchFP32']:.1e}"
        if t and t.get("maxProbabilityDifferenceVsTorchFP32") and row.get("precision"):
            delta += f", PyTorch {t['maxProbabilityDifferenceVsTorchFP32']:.1e}"
        notes.append(delta)
    gf = "; ".join(notes)
    print(f"{row['name']:<34} {kernel:<14} {fmt_time(t['medianSeconds']) if t else '-':>10} "
          f"{fmt_time(a['medianSeconds']) if a else '-':>10} {fmt_time(o['medianSeconds']):>10} {vs_torch:>8} {target:>8} "
          f"{vs_ort:>7} {ort_target:>8} {rss:>20}  {gf}")


def print_markdown(result):
    meta = result["meta"]
    has_ort = any(r.get("ort") for r in result["configs"])
    has_baseline = any(r.get("baseline") for r in result["configs"])
    print("| config | kernel | PyTorch | " + ("ONNX Runtime | " if has_ort else "") + "bertsent | ratio (target) | "
          + ("vs ORT (target); ORT max \\|Δp\\| vs PyTorch FP32 | " if has_ort else "") + ("vs baseline | " if has_baseline else "")
          + "peak RSS PyTorch / " + ("ORT / " if has_ort else "") + "bertsent (ratio to PyTorch, target ≤ 0.5×) | "
          "GFLOP/s PyTorch / bertsent (nominal) | bertsent executed GFLOP/s (% of SGEMM, % of FMA peak) |")
    print("|" + "---|" * (8 + (2 if has_ort else 0) + (1 if has_baseline else 0)))
    for row in result["configs"]:
        o, t, a = row["ours"], row["theirs"], row.get("ort")
        if not o or not t:
            print(f"| {row['name']} | " + " | ".join(["failed"] + [""] * (6 + 2 * has_ort + has_baseline)) + " |")
            continue
        kind, bound = TARGETS[row["kind"]]
        unit = "sentences/s" if row["kind"] == "tokenizer" else "samples/s"

        def shown(x):
            return fmt_time(x["medianSeconds"]) if row["kind"] == "latency" else f"{x['samplesPerSecond']:.1f} {unit}"
        if row["kind"] == "latency":
            ratio = f"{row['latencyRatio']:.2f}× latency (≤ {bound}×)"
        else:
            ratio = f"{row['speedRatio']:.2f}× (≥ {bound}×)"
        tt, oo = shown(t), shown(o)
        if row.get("precision"):
            tt += f" ({REDUCED[row['precision']]['torchLabel']})"
        cells = [row["name"], row.get("kernel", ""), tt]
        if has_ort:
            cells.append(f"{shown(a)} ({row['ortPrecision']})" if a else "")
        cells.append(oo)
        gf = [f"{t['gflops']:.0f} / {o['gflops']:.0f}" if o.get("gflops") else "",
              f"{o['executedGflops']:.0f} ({row['oursFractionOfSgemm'] * 100:.0f}%, {row['oursFractionOfFmaPeak'] * 100:.0f}%)"
              if o.get("executedGflops") else ""]
        if row.get("speedupOverOursFP32"):
            # bf16 / int8 rows: PyTorch's column is its autocast / quantize_dynamic; against PyTorch FP32 and bertsent FP32 too.
            vs = row["latencyRatioVsTorchFP32"] if row["kind"] == "latency" else row["speedRatioVsTorchFP32"]
            ratio += f"; vs PyTorch FP32 {vs:.2f}×; {row['speedupOverOursFP32']:.2f}× bertsent FP32's speed"
        cells.append(ratio)
        if has_ort:
            text = ""
            if a:
                text = ratio_text(row, row["kind"], "speedRatioVsORT", "latencyRatioVsORT")
                if row.get("ortTarget"):
                    ot = row["ortTarget"]
                    text += f" ({'≤' if ot['kind'] == 'latency' else '≥'} {ot['bound']}×{'' if ot['met'] else ', missed'})"
                if a.get("maxProbabilityDifferenceVsTorchFP32") is not None:
                    text += f"; \\|Δp\\| {a['maxProbabilityDifferenceVsTorchFP32']:.1e}"
            cells.append(text)
        if has_baseline:
            cells.append(f"{row['speedRatioVsBaseline']:.2f}×" if row.get("speedRatioVsBaseline") else "")
        cells.append(f"{t['peakRSSMegabytes']:.0f} / " + (f"{a['peakRSSMegabytes']:.0f} / " if a else ("- / " if has_ort else ""))
                     + f"{o['peakRSSMegabytes']:.0f} MB ({row['rssRatio']:.2f}×)")
        cells += gf
        print("| " + " | ".join(cells) + " |")
    for e2e in (result.get("endToEnd"), result.get("endToEndBf16")):
        if not (e2e and e2e.get("ours") and e2e.get("theirs")):
            continue
        o, t = e2e["ours"], e2e["theirs"]
        which = " bf16 (Trainer bf16=True)" if e2e.get("precision") == "bf16" else ""
        print(f"| demo fine-tune{which} ({e2e['count']:,} synthetic, {e2e['epochs']} epochs): wall time, final accuracy | | {t['wallSeconds']:.0f} s, acc {t['accuracy']:.3f} | "
              + ("| " if has_ort else "") + f"{o['wallSeconds']:.0f} s, acc {o['accuracy']:.3f} | {t['wallSeconds'] / o['wallSeconds']:.2f}× | "
              + ("| " if has_ort else "") + ("| " if has_baseline else "")
              + f"{t['processPeakRSSMegabytes']:.0f} / {o['processPeakRSSMegabytes']:.0f} MB ({o['processPeakRSSMegabytes'] / t['processPeakRSSMegabytes']:.2f}×) | | |")
    sg = meta["sgemm"]
    print(f"\nCPU: {meta['cpu']}; {meta['threads']} threads per process.")
    for label, info in [("bertsent", meta.get("bertsentInfo"))] + [(f"bertsent [{c}]", i) for c, i in (meta.get("bertsentInfoByIsa") or {}).items()]:
        if kernels_text(info):
            print(f"{label} kernels: {kernels_text(info)}.")
    if meta.get("onnxExport") and meta.get("ortInfo"):
        x, q = meta["onnxExport"], meta["onnxExport"]["quantization"]
        print(f"ONNX Runtime {meta['ortInfo']['onnxruntime']}, CPUExecutionProvider, ORT_ENABLE_ALL, {meta['threads']} intra-op threads, "
              f"1 inter-op; {x['graph']} graph ({x['exporter']}, opset {x['opset']}, {x['attnImplementation']} attention); int8 by "
              f"quantize_dynamic, {q['weightType']} weights {'per channel' if q['perChannel'] else 'per tensor'}"
              f"{', reduce_range' if q['reduceRange'] else ''}, activations {q['activations']}; bf16 rows against ORT FP32.")
    print(f"SGEMM 1024×768×3072: OpenBLAS {sg['bertsent']['blasOneThreadGflops']:.0f} GFLOP/s on 1 thread, "
          f"{sg['bertsent']['blasThreadsGflops']:.0f} on {sg['bertsent']['threads']}, bertsent's gemm {sg['bertsent']['bertsentGemmGflops']:.0f}; "
          f"torch.mm {sg['torch']['gflops']:.0f} on {sg['torch']['threads']} threads. FMA peak: "
          + ", ".join(f"{isa} {g:.0f}" for isa, g in sorted(sg['bertsent']['fmaPeak']['oneThreadGflops'].items()))
          + f" GFLOP/s on 1 thread, {meta['fmaPeakUsedForFractions']:.0f} on {sg['bertsent']['fmaPeak']['threads']}.")
    for line in kernel_rate_lines(sg["bertsent"]):
        print(line)
    for cap, gemm in (meta.get("gemmByIsa") or {}).items():
        for line in kernel_rate_lines(gemm):
            print(f"[{cap}] {line}")


def kernel_rate_lines(gemm):
    """One line per rate of bertsent's bf16 and int8 kernels in a `bertsent bench gemm` result."""
    for precision, unit in (("bf16", "GFLOP/s"), ("int8", "GOP/s")):
        for r in gemm.get(precision) or []:
            kernel = f" [{r['kernel']}]" if r.get("kernel") else ""
            yield (f"{precision} GEMM{kernel} {r['m']}×{r['n']}×{r['k']} ({r.get('product', 'inp·Wᵀ+bias')}): "
                   + (f"{r['oneThreadGflops']:.0f} {unit} on 1 thread, " if r.get("oneThreadGflops") else "")
                   + f"{r['threadsGflops']:.0f} {unit} on {r['threads']} threads.")


def end_to_end(ours_bin, py, args, env, precision="fp32"):
    """The demo's fine-tune with bertsent, then HF Trainer on the same split; with precision bf16,
    bertsent's --precision bf16 against Trainer's bf16=True (CPU autocast)."""
    out = {"count": args.e2e_count, "epochs": args.e2e_epochs, "precision": precision}
    root = os.path.join(args.data_dir, "e2e" if precision == "fp32" else "e2e-" + precision)
    subprocess.run(["rm", "-rf", root], check=True)
    os.makedirs(root)
    reviews = os.path.join(root, "reviews.csv")
    subprocess.run([ours_bin, "generate", "--count", str(args.e2e_count), "--seed", "42", "--output", reviews], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    ours_dir = os.path.join(root, "bertsent")
    print(f"\nbench: end to end ({precision}): bertsent train (demo settings) …", flush=True)
    try:
        r = run_measured([ours_bin, "train", reviews, "--model", args.model, "--output-dir", ours_dir, "--test-size", "0.2",
                          "--learning-rate", "2e-5", "--batch-size", "8", "--epochs", str(args.e2e_epochs), "--weight-decay", "0.01",
                          "--warmup-steps", "500", "--max-length", "256", "--early-stopping-patience", "2",
                          "--metric-for-best-model", "accuracy", "--seed", "42", "--log-format", "jsonl", "--precision", precision],
                         env, 7200)
    except RuntimeError as error:
        print(f"bench: bertsent train failed: {error}", file=sys.stderr)
        return None
    evals = []
    with open(os.path.join(ours_dir, "log.jsonl")) as f:
        for line in f:
            entry = json.loads(line)
            if entry.get("type") == "eval":
                evals.append(entry)
    r["wallSeconds"] = r["processWallSeconds"]
    r["accuracy"] = max(e["accuracy"] for e in evals) if evals else None  # best/ is what the run keeps
    r["evalAccuracies"] = [e["accuracy"] for e in evals]
    out["ours"] = r
    print(f"bench:   bertsent {r['wallSeconds']:.0f} s, accuracy {r['accuracy']}", flush=True)

    # HF: train on the complement of bertsent's validation.csv (same texts, same split).
    validation = os.path.join(ours_dir, "validation.csv")
    csv.field_size_limit(sys.maxsize)
    with open(validation, newline="", encoding="utf-8") as f:
        held = {}
        for row in csv.DictReader(f):
            key = (" ".join(row["review"].split()), row["sentiment"])
            held[key] = held.get(key, 0) + 1
    train_rows = []
    with open(reviews, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = (" ".join(row["review"].split()), row["sentiment"])
            if held.get(key, 0) > 0:
                held[key] -= 1
            else:
                train_rows.append(row)
    unmatched = sum(held.values())
    train_csv = os.path.join(root, "train.csv")
    with open(train_csv, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["review", "sentiment"], extrasaction="ignore")
        w.writeheader()
        w.writerows(train_rows)
    print(f"bench: end to end: HF Trainer on {len(train_rows)} train / validation.csv ({unmatched} unmatched) …", flush=True)
    try:
        t = run_measured([py, os.path.join(HERE, "hf_finetune.py"), "--train", train_csv, "--validation", validation,
                          "--model", args.model, "--output-dir", os.path.join(root, "hf"), "--threads", str(args.threads),
                          "--epochs", str(args.e2e_epochs)] + (["--bf16"] if precision == "bf16" else []), env, 14400)
    except RuntimeError as error:
        print(f"bench: HF fine-tune failed: {error}", file=sys.stderr)
        return out
    t["wallSeconds"] = t["processWallSeconds"]
    out["theirs"] = t
    out["trainRows"] = len(train_rows)
    out["unmatchedValidationRows"] = unmatched
    print(f"bench:   HF Trainer {t['wallSeconds']:.0f} s, accuracy {t['accuracy']}", flush=True)
    return out


if __name__ == "__main__":
    main()
