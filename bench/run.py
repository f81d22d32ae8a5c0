"""Driver of bench/run.sh: runs bertsent and PyTorch side by side, one process per measurement,
alternating which goes first, prints the table and writes bench/results/<timestamp>.json.
Run through bench/run.sh, which prepares the venv, the build, the model and the data."""
import argparse
import csv
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
    p.add_argument("--precisions", default="bf16,int8", help="reduced-precision rows to add: bf16 and/or int8 (needs AVX-512 BF16 / VNNI)")
    p.add_argument("--e2e-precisions", default="fp32,bf16",
                   help="end-to-end runs: fp32 (bertsent FP32 vs Trainer FP32) and/or bf16 (--precision bf16 vs Trainer bf16=True)")
    args = p.parse_args()
    precisions = [x.strip() for x in args.precisions.split(",") if x.strip()]
    unknown = [x for x in precisions if x not in REDUCED]
    if unknown:
        p.error(f"--precisions: unknown {', '.join(unknown)}; choose from {', '.join(REDUCED)}")
    quick = args.quick
    sys.stdout.reconfigure(line_buffering=True)
    STATE["tmp"] = os.path.join(args.data_dir, "tmp")
    os.makedirs(STATE["tmp"], exist_ok=True)

    env = dict(os.environ)
    inherited_coretype = env.get("OPENBLAS_CORETYPE")
    if env.get("BENCH_OPENBLAS_CORETYPE"):
        env["OPENBLAS_CORETYPE"] = env["BENCH_OPENBLAS_CORETYPE"]
    else:
        env.pop("OPENBLAS_CORETYPE", None)  # issue 7: unset for both sides
    env["PYTHONUNBUFFERED"] = "1"
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "RAYON_NUM_THREADS"):
        env.pop(var, None)

    ours_bin, py, torch_bench = args.bin, args.python, os.path.join(HERE, "torch_bench.py")
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
            "command": " ".join(["bench/run.sh"] + (["--quick"] if quick else []))}
    meta["bertsentInfo"] = run_measured([ours_bin, "bench", "info"], env, 60)
    meta["torchInfo"] = run_measured([py, torch_bench, "info", "--threads", str(args.threads)], env, 120)
    try:
        meta["gitCommit"] = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    except OSError:
        pass
    print(f"bench: bertsent BLAS: {meta['bertsentInfo']['blas']}")
    ti = meta["torchInfo"]
    print(f"bench: torch {ti['torch']} (MKL {ti['mkl']}, oneDNN {ti['mkldnn']}, {ti['cpuCapability']}), "
          f"transformers {ti['transformers']}, threads {ti['threads']}, OPENBLAS_CORETYPE={env.get('OPENBLAS_CORETYPE', 'unset')}")

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

    # Data both sides read: the first 10,000 IMDB reviews, cleaned by bertsent's cleaner.
    cleaned = os.path.join(args.data_dir, "imdb_clean_10000.csv")
    if not os.path.exists(cleaned):
        subprocess.run([ours_bin, "bench", "clean", "--input", args.imdb, "--count", "10000", "--output", cleaned + ".part"],
                       check=True, env=env)
        os.replace(cleaned + ".part", cleaned)

    procs = 1 if quick else 3          # processes per side per config, alternating (quick: one each, under 5 minutes)
    steps = 2 if quick else 5          # timed repetitions inside each process
    review_count = 300 if quick else 2000
    t = str(args.threads)
    m = ["--model", args.model]

    def step_cfg(name, kind, task, b, s, cfg, random_config=None, reps=steps, warmup=1):
        extra = ["--random-config", random_config] if random_config else m
        common = ["--batch-size", str(b), "--seq-len", str(s), "--warmup", str(warmup), "--repetitions", str(reps)]
        return {"name": name, "kind": kind, "batch": b, "seq": s,
                "flops": flops(cfg, b, s, task == "train"),
                "oursExecutedFlops": flops(cfg, b, s, task == "train", cls_only_last_layer=True),
                "ours": [ours_bin, "bench", task] + extra + common,
                "theirs": [py, torch_bench, task, "--threads", t] + extra + common}

    def reduced_cfg(fp32, precision):
        """The same config with bertsent's linear layers in bf16 / int8 against PyTorch's own equivalent
        (bf16 autocast / quantize_dynamic int8); the table also states the ratio to PyTorch in FP32 (the
        FP32 row's PyTorch time)."""
        return {**fp32, "name": fp32["name"] + " " + precision, "precision": precision, "fp32Name": fp32["name"],
                "ours": fp32["ours"] + ["--precision", precision], "theirs": fp32["theirs"] + [REDUCED[precision]["torchFlag"]]}

    configs = [
        step_cfg("train b8×s128", "train", "train", 8, 128, base_cfg),
        step_cfg("train b8×s256", "train", "train", 8, 256, base_cfg),
        step_cfg("train b32×s128", "train", "train", 32, 128, base_cfg),
        step_cfg("train bert-base b8×s128", "train", "train", 8, 128, base_big, random_config=bert_base),
        step_cfg("inference b32×s128", "throughput", "inference", 32, 128, base_cfg, reps=3 if quick else 5),
        step_cfg("latency b1×s128", "latency", "inference", 1, 128, base_cfg, reps=10 if quick else 30, warmup=3),
        # One pass over the reviews and no warmup pass, in both modes: a user's run pays the first batches too.
        {"name": f"reviews {review_count} IMDB", "kind": "reviews", "batch": review_count, "seq": 256, "flops": None,
         "ours": [ours_bin, "bench", "reviews", "--input", cleaned, "--count", str(review_count), "--batch-size", "32",
                  "--warmup", "0", "--repetitions", "1"] + m,
         "theirs": [py, torch_bench, "reviews", "--input", cleaned, "--count", str(review_count), "--batch-size", "32",
                    "--warmup", "0", "--repetitions", "1", "--threads", t] + m},
        {"name": "tokenizer 10000 IMDB", "kind": "tokenizer", "batch": 10000, "seq": 512, "flops": None,
         "ours": [ours_bin, "bench", "tokenizer", "--input", cleaned, "--count", "10000", "--repetitions", "3"] + m,
         "theirs": [py, torch_bench, "tokenizer", "--input", cleaned, "--count", "10000", "--repetitions", "3", "--threads", t] + m},
    ]
    for precision in precisions:
        configs += [reduced_cfg(c, precision) for c in configs if c["kind"] in REDUCED[precision]["kinds"] and "precision" not in c]
    if args.only:
        wanted = [w.strip() for w in args.only.split(",")]
        configs = [c for c in configs if any(w in c["name"] for w in wanted)]

    rows = []
    for cfg in configs:
        runs = {"ours": [], "theirs": []}
        for rep in range(procs):
            order = ("ours", "theirs") if rep % 2 == 0 else ("theirs", "ours")
            for side in order:
                try:
                    runs[side].append(run_measured(cfg[side], env, 1800))
                except RuntimeError as error:
                    print(f"bench: {cfg['name']} ({side}) failed: {error}", file=sys.stderr)
        row = {k: v for k, v in cfg.items() if k not in ("ours", "theirs")}
        row["commands"] = {"ours": cfg["ours"], "theirs": cfg["theirs"]}
        for side in ("ours", "theirs"):
            rs = runs[side]
            if not rs:
                row[side] = None
                continue
            median = statistics.median(r["medianSeconds"] for r in rs)
            row[side] = {"medianSeconds": median, "samplesPerSecond": cfg["batch"] / median,
                         "peakRSSMegabytes": statistics.median(r["processPeakRSSMegabytes"] for r in rs),
                         "gflops": cfg["flops"] / median / 1e9 if cfg["flops"] else None, "runs": rs}
            if rs[0].get("tokens"):
                row[side]["tokensPerSecond"] = rs[0]["tokens"] / median
            if rs[0].get("attnImplementation"):
                row["attnImplementation"] = rs[0]["attnImplementation"]
        if row["ours"] and row["theirs"]:
            row["speedRatio"] = row["theirs"]["medianSeconds"] / row["ours"]["medianSeconds"]
            row["latencyRatio"] = row["ours"]["medianSeconds"] / row["theirs"]["medianSeconds"]
            row["rssRatio"] = row["ours"]["peakRSSMegabytes"] / row["theirs"]["peakRSSMegabytes"]
            # Each alternating pair ran back to back, under similar load: their ratios show the spread.
            row["pairedSpeedRatios"] = [t["medianSeconds"] / o["medianSeconds"] for o, t in zip(runs["ours"], runs["theirs"])]
            fp32 = next((r for r in rows if r["name"] == cfg.get("fp32Name") and r["ours"] and r["theirs"]), None)
            if fp32:
                # bf16 / int8 rows: against PyTorch in FP32 too, and against bertsent's own FP32.
                row["speedRatioVsTorchFP32"] = fp32["theirs"]["medianSeconds"] / row["ours"]["medianSeconds"]
                row["latencyRatioVsTorchFP32"] = row["ours"]["medianSeconds"] / fp32["theirs"]["medianSeconds"]
                row["speedupOverOursFP32"] = fp32["ours"]["medianSeconds"] / row["ours"]["medianSeconds"]
            if row["ours"]["gflops"] and not cfg.get("precision"):
                # Shares of the (FP32) ceilings count the FLOPs bertsent executes, not the nominal ones.
                executed = cfg["oursExecutedFlops"] / row["ours"]["medianSeconds"] / 1e9
                row["ours"]["executedGflops"] = executed
                row["oursFractionOfSgemm"] = executed / sgemm_peak
                row["oursFractionOfFmaPeak"] = executed / fma_peak
        rows.append(row)
        print_row(row, header=len(rows) == 1)

    e2e = {}
    if not quick and (not args.only or "e2e" in args.only):
        for precision in [p.strip() for p in args.e2e_precisions.split(",") if p.strip()]:
            e2e[precision] = end_to_end(ours_bin, py, args, env, precision)

    load_after = uptime()
    result = {"meta": {**meta, "loadAverageAfter": load_after, "finishedAt": datetime.datetime.now().isoformat(timespec="seconds"),
                       "sgemm": {"bertsent": ours_gemm, "torch": theirs_gemm, "peakUsedForFractions": sgemm_peak},
                       "fmaPeakUsedForFractions": fma_peak},
              "configs": rows, "endToEnd": e2e.get("fp32"), "endToEndBf16": e2e.get("bf16")}
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    path = os.path.join(HERE, "results", started.strftime("%Y%m%d-%H%M%S") + ".json")
    with open(path, "w") as f:
        json.dump(result, f, indent=1)
    print()
    print_markdown(result)
    print(f"\nbench: load average before {load_before}, after {load_after}; results in {os.path.relpath(path, ROOT)}")


def print_row(row, header):
    if header:
        print(f"\n{'config':<26} {'PyTorch':>10} {'bertsent':>10} {'speed':>7} {'target':>8} {'RSS torch':>10} {'RSS ours':>9} {'RSS':>6}  GFLOP/s nominal (ours vs torch); ours executed (% SGEMM, % FMA peak)")
    o, t = row["ours"], row["theirs"]
    if not o or not t:
        print(f"{row['name']:<26} failed")
        return
    kind, bound = TARGETS[row["kind"]]
    if kind == "latency":
        target = f"≤{bound}×" + (" ok" if row["latencyRatio"] <= bound else " no")
        speed = f"{row['latencyRatio']:.2f}×"
    else:
        target = f"≥{bound}×" + (" ok" if row["speedRatio"] >= bound else " no")
        speed = f"{row['speedRatio']:.2f}×"
    gf = f"{o['gflops']:.0f} vs {t['gflops']:.0f}" if o.get("gflops") else ""
    if o.get("executedGflops"):
        gf += f"; {o['executedGflops']:.0f} ({row['oursFractionOfSgemm'] * 100:.0f}%, {row['oursFractionOfFmaPeak'] * 100:.0f}%)"
    if row.get("speedupOverOursFP32"):
        vs = row["latencyRatioVsTorchFP32"] if kind == "latency" else row["speedRatioVsTorchFP32"]
        gf += f"; vs PyTorch FP32 {vs:.2f}×, vs bertsent FP32 {row['speedupOverOursFP32']:.2f}× faster"
    print(f"{row['name']:<26} {fmt_time(t['medianSeconds']):>10} {fmt_time(o['medianSeconds']):>10} {speed:>7} {target:>8} "
          f"{t['peakRSSMegabytes']:>8.0f}MB {o['peakRSSMegabytes']:>7.0f}MB {row['rssRatio']:>5.2f}×  {gf}")


def print_markdown(result):
    meta = result["meta"]
    print("| config | PyTorch | bertsent | ratio (target) | peak RSS PyTorch / bertsent (ratio, target ≤ 0.5×) | GFLOP/s PyTorch / bertsent (nominal) | bertsent executed GFLOP/s (% of SGEMM, % of FMA peak) |")
    print("|---|---|---|---|---|---|---|")
    for row in result["configs"]:
        o, t = row["ours"], row["theirs"]
        if not o or not t:
            print(f"| {row['name']} | failed | | | | |")
            continue
        kind, bound = TARGETS[row["kind"]]
        if row["kind"] == "latency":
            ratio = f"{row['latencyRatio']:.2f}× latency (≤ {bound}×)"
            tt, oo = fmt_time(t["medianSeconds"]), fmt_time(o["medianSeconds"])
        else:
            unit = "sentences/s" if row["kind"] == "tokenizer" else "samples/s"
            ratio = f"{row['speedRatio']:.2f}× (≥ {bound}×)"
            tt, oo = f"{t['samplesPerSecond']:.1f} {unit}", f"{o['samplesPerSecond']:.1f} {unit}"
        if row.get("precision"):
            tt += f" ({REDUCED[row['precision']]['torchLabel']})"
        gf = f"{t['gflops']:.0f} / {o['gflops']:.0f} | " if o.get("gflops") else " | "
        if o.get("executedGflops"):
            gf += f"{o['executedGflops']:.0f} ({row['oursFractionOfSgemm'] * 100:.0f}%, {row['oursFractionOfFmaPeak'] * 100:.0f}%)"
        if row.get("speedupOverOursFP32"):
            # bf16 / int8 rows: PyTorch's column is its autocast / quantize_dynamic; against PyTorch FP32 and bertsent FP32 too.
            vs = row["latencyRatioVsTorchFP32"] if row["kind"] == "latency" else row["speedRatioVsTorchFP32"]
            ratio += f"; vs PyTorch FP32 {vs:.2f}×; {row['speedupOverOursFP32']:.2f}× bertsent FP32's speed"
        print(f"| {row['name']} | {tt} | {oo} | {ratio} | {t['peakRSSMegabytes']:.0f} / {o['peakRSSMegabytes']:.0f} MB ({row['rssRatio']:.2f}×) | {gf} |")
    for e2e in (result.get("endToEnd"), result.get("endToEndBf16")):
        if not (e2e and e2e.get("ours") and e2e.get("theirs")):
            continue
        o, t = e2e["ours"], e2e["theirs"]
        which = " bf16 (Trainer bf16=True)" if e2e.get("precision") == "bf16" else ""
        print(f"| demo fine-tune{which} ({e2e['count']:,} synthetic, {e2e['epochs']} epochs): wall time, final accuracy | {t['wallSeconds']:.0f} s, acc {t['accuracy']:.3f} | "
              f"{o['wallSeconds']:.0f} s, acc {o['accuracy']:.3f} | {t['wallSeconds'] / o['wallSeconds']:.2f}× | "
              f"{t['processPeakRSSMegabytes']:.0f} / {o['processPeakRSSMegabytes']:.0f} MB ({o['processPeakRSSMegabytes'] / t['processPeakRSSMegabytes']:.2f}×) | | |")
    sg = meta["sgemm"]
    print(f"\nSGEMM 1024×768×3072: OpenBLAS {sg['bertsent']['blasOneThreadGflops']:.0f} GFLOP/s on 1 thread, "
          f"{sg['bertsent']['blasThreadsGflops']:.0f} on {sg['bertsent']['threads']}, bertsent's gemm {sg['bertsent']['bertsentGemmGflops']:.0f}; "
          f"torch.mm {sg['torch']['gflops']:.0f} on {sg['torch']['threads']} threads. FMA peak: "
          + ", ".join(f"{isa} {g:.0f}" for isa, g in sorted(sg['bertsent']['fmaPeak']['oneThreadGflops'].items()))
          + f" GFLOP/s on 1 thread, {meta['fmaPeakUsedForFractions']:.0f} on {sg['bertsent']['fmaPeak']['threads']}.")
    for line in kernel_rate_lines(sg["bertsent"]):
        print(line)


def kernel_rate_lines(gemm):
    """One line per rate of bertsent's bf16 and int8 kernels in a `bertsent bench gemm` result."""
    for precision, unit in (("bf16", "GFLOP/s"), ("int8", "GOP/s")):
        for r in gemm.get(precision) or []:
            yield (f"{precision} GEMM {r['m']}×{r['n']}×{r['k']} ({r.get('product', 'inp·Wᵀ+bias')}): "
                   f"{r['oneThreadGflops']:.0f} {unit} on 1 thread, {r['threadsGflops']:.0f} on {r['threads']}.")


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
