"""The full IMDB run (issue 18), driven by bench/imdb_full.sh: split, train, evaluate, record.

  python3 bench/imdb_full.py --bin BERTSENT --imdb IMDB.csv --work DIR [--proxy | --curve | --choice] [-- TRAIN FLAGS]

1. Split (once, kept in DIR): drops exact duplicate reviews (the same text twice keeps its first row;
   the count is recorded), then splits the rest in half, stratified by label, with seed 42: train.csv
   and test.csv. --proxy instead trains on 5,000 and scores 5,000 others, both from the training half
   (for comparing recipes without touching the test half).
2. Train: `bertsent train` on the training half with the defaults (plus any flags after --, recorded),
   its validation set for best/ and early stopping drawn from the training half (--test-size 1000), in
   bf16 mixed precision where the CPU has a native bf16 kernel (unless the flags name a precision).
3. Evaluate: `bertsent evaluate` on the test half once, with best/ (metrics.json and report.html), in
   bf16 where the CPU has a native bf16 kernel, else fp32 (--eval-precision overrides; recorded).
4. Record: accuracy, F1, wall time and peak RSS per phase, the CPU, kernels and precision, as JSON in
   bench/results/imdb_full-<time>.json (imdb_proxy-… for --proxy).
--curve: the learning curve instead: the same recipe on the first 1k, 2k, 5k, 10k and all training
reviews (each a stratified prefix; a fifth of them, at most 1,000, validate for best/), scored on a
fixed 5,000-review subset of the test half; JSON plus
docs/imdb_learning_curve.svg. The point for all training reviews is the newest full run with the same
flags when its best/ is still in DIR (the same training; recorded as reused), else trained afresh.
--choice: whether the precision of the evaluations during training changes which checkpoint becomes
best/: the proxy recipe trained three times, evaluating its validation set every 50 updates in fp32,
bf16 and int8; records each evaluation's accuracy and time, the best step each picks, and whether the
training losses are the same (evaluations must not touch training).
"""
import argparse, csv, datetime, glob, json, os, platform, random, resource, subprocess, sys, time

csv.field_size_limit(sys.maxsize)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [(r["review"], r["sentiment"]) for r in csv.DictReader(f)]


def write_rows(path, rows):
    with open(path + ".part", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["review", "sentiment"])
        w.writerows(rows)
    os.replace(path + ".part", path)


def stratified_halves(rows, first_count, seed):
    """Rows split stratified by label: `first_count` rows (each label in its share), then the rest."""
    rng = random.Random(seed)
    by_label = {}
    for row in rows:
        by_label.setdefault(row[1], []).append(row)
    first, rest = [], []
    for label in sorted(by_label):
        members = by_label[label]
        rng.shuffle(members)
        take = round(first_count * len(members) / len(rows))
        first += members[:take]
        rest += members[take:]
    rng.shuffle(first)
    rng.shuffle(rest)
    return first, rest


def split(imdb, work):
    info_path = os.path.join(work, "split.json")
    if os.path.exists(info_path):
        return json.load(open(info_path))
    rows = read_rows(imdb)
    seen, unique = set(), []
    for row in rows:
        if row[0] not in seen:
            seen.add(row[0])
            unique.append(row)
    train, test = stratified_halves(unique, len(unique) // 2, seed=42)
    proxy_train, rest = stratified_halves(train, 5000, seed=42)
    proxy_test, _ = stratified_halves(rest, 5000, seed=42)
    curve_test, _ = stratified_halves(test, 5000, seed=42)
    for name, part in (("train", train), ("test", test), ("proxy_train", proxy_train),
                       ("proxy_test", proxy_test), ("curve_test", curve_test)):
        write_rows(os.path.join(work, name + ".csv"), part)
    info = {"reviews": len(rows), "duplicates_dropped": len(rows) - len(unique), "train": len(train),
            "test": len(test), "seed": 42}
    json.dump(info, open(info_path, "w"), indent=2)
    return info


def run(command, log_path):
    """Runs `command`, its output to `log_path`; returns wall seconds and the child's peak RSS (MiB)."""
    start = time.monotonic()
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"imdb_full: {' '.join(command)} failed (exit {os.waitstatus_to_exitcode(status)}); see {log_path}")
    return {"wall_s": round(wall, 1), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}


def train(bin_path, train_csv, out, flags, validation=1000):
    os.makedirs(out, exist_ok=True)
    return run([bin_path, "train", train_csv, "--output-dir", os.path.join(out, "run"), "--test-size",
                str(validation), "--log-format", "jsonl"] + flags, os.path.join(out, "train.log"))


def evaluate(bin_path, test_csv, model, out, eval_precision):
    os.makedirs(out, exist_ok=True)
    phase = run([bin_path, "evaluate", test_csv, "--model", model, "--output-dir", os.path.join(out, "eval"),
                 "--precision", eval_precision], os.path.join(out, "evaluate.log"))
    metrics = json.load(open(os.path.join(out, "eval", "metrics.json")))
    # The record keeps the scores; the ROC curve's thousands of points stay in the run's metrics.json.
    metrics.pop("roc_curve", None)
    return {"evaluate": phase}, metrics


def train_and_evaluate(bin_path, train_csv, test_csv, out, flags, eval_precision, validation=1000):
    trained = train(bin_path, train_csv, out, flags, validation)
    phases, metrics = evaluate(bin_path, test_csv, os.path.join(out, "run", "best"), out, eval_precision)
    return {"train": trained, **phases}, metrics


def newest_full_run(work, flags):
    """The newest full run in `work` recorded with these flags (as given, so with the same automatic
    precision) whose best/ is still there, or None."""
    records = sorted(glob.glob(os.path.join(ROOT, "bench", "results", "imdb_full-*.json")), reverse=True)
    for record in records:
        stamp = os.path.basename(record)[len("imdb_full-"):-len(".json")]
        folder = os.path.join(work, "full-" + stamp)
        if json.load(open(record)).get("train_flags") == flags and os.path.isdir(os.path.join(folder, "run", "best")):
            return folder
    return None


def precision_choice(bin_path, train_csv, out, flags):
    """The proxy recipe trained once per evaluation precision; what each evaluation saw and chose."""
    runs = {}
    for precision in ("fp32", "bf16", "int8"):
        folder = os.path.join(out, precision)
        phase = train(bin_path, train_csv, folder, flags + ["--eval-strategy", "steps", "--eval-steps", "50",
                                                            "--eval-precision", precision])
        log = [json.loads(l) for l in open(os.path.join(folder, "run", "log.jsonl")) if l.strip()]
        evals = [{k: e.get(k) for k in ("step", "accuracy", "loss", "runtime")} for e in log if e["type"] == "eval"]
        best = max(evals, key=lambda e: e["accuracy"])  # the first of equals, as the trainer keeps it
        runs[precision] = {"train": phase, "evaluations": evals, "best_step": best["step"],
                           "eval_seconds": round(sum(e["runtime"] for e in evals), 1),
                           "train_losses": [e["loss"] for e in log if e["type"] == "train"]}
        print(f"imdb_full: choice {precision}: best step {best['step']} (accuracy {best['accuracy']:.4f}), "
              f"evaluations {runs[precision]['eval_seconds']} s", flush=True)
    same_training = len({tuple(r.pop("train_losses")) for r in runs.values()}) == 1
    return {"runs": runs, "same_training_losses": same_training,
            "same_best_step": len({r["best_step"] for r in runs.values()}) == 1}


def machine(bin_path):
    model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    flags = next((l.split(":", 1)[1].split() for l in open("/proc/cpuinfo") if l.startswith("flags")), [])
    info = subprocess.run([bin_path, "bench", "info"], capture_output=True, text=True).stdout.strip()
    return {"cpu": model, "cores": os.cpu_count(), "vector_flags": sorted(f for f in flags if f.startswith(("avx", "fma"))),
            "bench_info": json.loads(info) if info.startswith("{") else info}


def curve_svg(points, path):
    """Accuracy against training reviews (log scale), a small self-contained SVG."""
    import math
    width, height, left, bottom = 480, 300, 60, 40
    xs = [math.log10(p["train_reviews"]) for p in points]
    ys = [p["accuracy"] for p in points]
    x0, x1 = math.log10(800), math.log10(30000)
    y0, y1 = min(0.5, min(ys) - 0.02), 1.0
    px = lambda x: left + (x - x0) / (x1 - x0) * (width - left - 20)
    py = lambda y: height - bottom - (y - y0) / (y1 - y0) * (height - bottom - 20)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - 20}" y2="{height - bottom}" stroke="#333"/>',
             f'<line x1="{left}" y1="20" x2="{left}" y2="{height - bottom}" stroke="#333"/>']
    for n in (1000, 2000, 5000, 10000, 25000):
        x = px(math.log10(n))
        parts.append(f'<text x="{x:.1f}" y="{height - bottom + 15}" text-anchor="middle">{n // 1000}k</text>')
    tick = math.floor(y0 * 20) / 20
    while tick <= 1.0001:
        y = py(tick)
        if 20 <= y <= height - bottom:
            parts.append(f'<line x1="{left - 4}" y1="{y:.1f}" x2="{width - 20}" y2="{y:.1f}" stroke="#ddd"/>')
            parts.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{tick:.2f}</text>')
        tick += 0.05
    path_d = " ".join(f"{'M' if i == 0 else 'L'}{px(x):.1f},{py(y):.1f}" for i, (x, y) in enumerate(zip(xs, ys)))
    parts.append(f'<path d="{path_d}" fill="none" stroke="#1f77b4" stroke-width="2"/>')
    for x, y in zip(xs, ys):
        parts.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3.5" fill="#1f77b4"/>')
        parts.append(f'<text x="{px(x):.1f}" y="{py(y) - 8:.1f}" text-anchor="middle">{y:.3f}</text>')
    parts.append(f'<text x="{(left + width - 20) / 2}" y="{height - 8}" text-anchor="middle">training reviews (log scale)</text>')
    parts.append(f'<text x="14" y="{(height - bottom) / 2}" transform="rotate(-90 14 {(height - bottom) / 2})" text-anchor="middle">accuracy on 5,000 test reviews</text>')
    parts.append("</svg>\n")
    open(path, "w").write("\n".join(parts))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", required=True)
    p.add_argument("--imdb", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--proxy", action="store_true")
    p.add_argument("--curve", action="store_true")
    p.add_argument("--choice", action="store_true")
    p.add_argument("--eval-precision", choices=["auto", "fp32", "bf16", "int8"], default="auto")
    p.add_argument("flags", nargs=argparse.REMAINDER)
    args = p.parse_args()
    flags = [f for f in args.flags if f != "--"]
    os.makedirs(args.work, exist_ok=True)
    started = datetime.datetime.now(datetime.timezone.utc)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    info = split(args.imdb, args.work)
    print(f"imdb_full: {info['reviews']} reviews, {info['duplicates_dropped']} exact duplicates dropped, "
          f"{info['train']} train / {info['test']} test", flush=True)
    result = {"startedAt": started.isoformat(timespec="seconds"), "split": info, "train_flags": flags,
              "machine": machine(args.bin)}
    kernels = result["machine"]["bench_info"].get("kernels", {}) if isinstance(result["machine"]["bench_info"], dict) else {}
    eval_precision = args.eval_precision
    if eval_precision == "auto":
        eval_precision = "bf16" if kernels.get("bf16", "fp32-widened") != "fp32-widened" else "fp32"
    result["eval_precision"] = eval_precision
    if "--precision" not in flags and eval_precision == "bf16" and args.eval_precision == "auto":
        flags = flags + ["--precision", "bf16"]
    result["train_precision"] = flags[flags.index("--precision") + 1] if "--precision" in flags else "fp32"
    w = lambda name: os.path.join(args.work, name)
    if args.choice:
        result.update({"set": "proxy: 5,000 of the training half (1,000 of them validation)",
                       **precision_choice(args.bin, w("proxy_train.csv"), w(f"choice-{stamp}"), flags)})
        name = f"imdb_choice-{stamp}.json"
    elif args.curve:
        train_rows = read_rows(w("train.csv"))
        points = []
        for n in (1000, 2000, 5000, 10000, len(train_rows)):
            out = w(f"curve-{stamp}/{n}")
            full_run = newest_full_run(args.work, result["train_flags"]) if n == len(train_rows) else None
            if full_run:
                phases, metrics = evaluate(args.bin, w("curve_test.csv"), os.path.join(full_run, "run", "best"),
                                           out, eval_precision)
                phases["reused_training"] = os.path.basename(full_run)
            else:
                subset = train_rows if n == len(train_rows) else stratified_halves(train_rows, n, seed=42)[0]
                write_rows(w(f"curve_train_{n}.csv"), subset)
                phases, metrics = train_and_evaluate(args.bin, w(f"curve_train_{n}.csv"), w("curve_test.csv"),
                                                     out, flags, eval_precision, validation=min(1000, n // 5))
            points.append({"train_reviews": n, "accuracy": metrics["accuracy"], "f1": metrics.get("f1"), **phases})
            print(f"imdb_full: curve {n}: accuracy {metrics['accuracy']:.4f}", flush=True)
        result["curve"] = points
        curve_svg(points, os.path.join(ROOT, "docs", "imdb_learning_curve.svg"))
        name = f"imdb_curve-{stamp}.json"
    else:
        train_csv, test_csv = (w("proxy_train.csv"), w("proxy_test.csv")) if args.proxy else (w("train.csv"), w("test.csv"))
        phases, metrics = train_and_evaluate(args.bin, train_csv, test_csv, w(("proxy-" if args.proxy else "full-") + stamp), flags,
                                             eval_precision)
        result.update({"set": "proxy 5,000 / 5,000 of the training half" if args.proxy else "full: training half / test half",
                       "phases": phases, "total_wall_s": round(sum(p["wall_s"] for p in phases.values()), 1),
                       "accuracy": metrics["accuracy"], "metrics": metrics})
        print(f"imdb_full: accuracy {metrics['accuracy']:.4f}, train {phases['train']['wall_s']} s, "
              f"evaluate {phases['evaluate']['wall_s']} s", flush=True)
        name = f"imdb_{'proxy' if args.proxy else 'full'}-{stamp}.json"
    os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "results", name), "w") as f:
        json.dump(result, f, indent=2)
    print(f"imdb_full: results in bench/results/{name}")


if __name__ == "__main__":
    main()
