"""Distillation's table (issue 19), driven by bench/distill_table.sh: train students, or measure models.

  python3 bench/distill_table.py --bin BERTSENT --imdb IMDB.csv --work DIR students [--teacher DIR] [--layers 3,2,4] [-- FLAGS]
  python3 bench/distill_table.py --bin BERTSENT --imdb IMDB.csv --work DIR gain [--teacher DIR] [--alpha A] [--tag NAME] [-- FLAGS]
  python3 bench/distill_table.py --bin BERTSENT --imdb IMDB.csv --work DIR table [--teacher DIR]

The split is bench/imdb_full.py's (DIR/train.csv, DIR/test.csv, DIR/curve_test.csv; made there when
missing). Students learn on the training half; the table scores the 5,000-review subset of the test half
that the learning curve uses, which neither teacher nor students saw.
"""
import argparse, glob, json, os, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import imdb_full  # noqa: E402  (the split, the runner and the machine record)

ROOT = imdb_full.ROOT
LAYERS = (4, 3, 2)


def newest_teacher(work):
    runs = sorted(glob.glob(os.path.join(work, "full-*", "run", "best")))
    if not runs:
        sys.exit("distill_table: no full-IMDB model in " + work + "; run bench/imdb_full.sh or pass --teacher")
    return runs[-1]


def students(args, teacher, flags):
    for layers in (int(l) for l in args.layers.split(",")):
        out = os.path.join(args.work, "students", f"L{layers}")
        done = os.path.join(out, "done.json")
        if os.path.exists(done):
            print(f"distill_table: {out} done; skipped", flush=True)
            continue
        os.makedirs(out, exist_ok=True)
        command = [args.bin, "distill", os.path.join(args.work, "train.csv"), "--teacher", teacher,
                   "--student-layers", str(layers), "--output-dir", os.path.join(out, "run"), "--test-size", "1000",
                   "--log-format", "jsonl"] + flags
        # An interrupted student continues from its newest checkpoint.
        checkpoints = sorted(glob.glob(os.path.join(out, "run", "checkpoint-*")),
                             key=lambda c: int(c.rsplit("-", 1)[1]))
        if checkpoints:
            command += ["--resume", checkpoints[-1]]
        phase = imdb_full.run(command, os.path.join(out, f"distill-{len(checkpoints)}.log"))
        json.dump({"teacher": teacher, "flags": flags, "phase": phase}, open(done, "w"), indent=2)
        print(f"distill_table: {layers} layers in {phase['wall_s']} s (peak RSS {phase['peak_rss_mb']} MB)", flush=True)


def gain(args, teacher, flags):
    """Distillation against labels alone (`--alpha 0`: the same student, data and steps), 3 seeds each, on
    --train-file (by default the proxy split of the training half: 4,000 texts to learn from, 1,000
    validating), scored on the 5,000
    held-out reviews of the test half: not on the training half's proxy_test.csv, whose reviews the
    full-IMDB teacher trained on (its soft labels there would favour distillation). The students start from
    the pretrained model's layers (--student-model, half its layers), not the teacher's: a student cut from
    the fine-tuned teacher already holds what the teacher learnt from all the labels, so its labels-only
    twin would not be a student trained without the teacher. A finished run (done.json) is scored again, not
    retrained."""
    runs = {}
    folder = os.path.splitext(args.train_file)[0] + (f"-{args.tag}" if args.tag else "")
    for alpha in (args.alpha, "0"):
        for seed in (1, 2, 3):
            out = os.path.join(args.work, "gain-pretrained", folder, f"alpha{alpha}-seed{seed}")
            done = os.path.join(out, "done.json")
            if os.path.exists(done):
                phase = json.load(open(done))["phase"]
            else:
                os.makedirs(out, exist_ok=True)
                phase = imdb_full.run([args.bin, "distill", os.path.join(args.work, args.train_file), "--teacher", teacher,
                                       "--student-model", args.student_model, "--student-layers", str(args.student_layers),
                                       "--alpha", alpha, "--seed", str(seed), "--output-dir", os.path.join(out, "run"),
                                       "--test-size", "1000", "--log-format", "jsonl"] + flags,
                                      os.path.join(out, "distill.log"))
                json.dump({"teacher": teacher, "flags": flags, "phase": phase}, open(done, "w"), indent=2)
            _, metrics = imdb_full.evaluate(args.bin, os.path.join(args.work, "curve_test.csv"),
                                            os.path.join(out, "run", "best"), out, "fp32")
            runs.setdefault(alpha, []).append({"seed": seed, "accuracy": metrics["accuracy"], "train": phase})
            print(f"distill_table: alpha {alpha} seed {seed}: accuracy {metrics['accuracy']:.4f}", flush=True)
    accuracies = {a: [r["accuracy"] for r in rs] for a, rs in runs.items()}
    mean = {a: sum(v) / len(v) for a, v in accuracies.items()}
    spread = {a: max(v) - min(v) for a, v in accuracies.items()}
    gained = mean[args.alpha] - mean["0"]
    return {"alpha": args.alpha, "runs": runs, "mean": mean, "spread": spread, "gain": gained,
            "gain_exceeds_spreads": gained > max(spread.values())}


def bench_json(command, log):
    """Runs a `bertsent bench` command; its one JSON line."""
    imdb_full.run(command, log)
    return json.loads(open(log).read().strip().splitlines()[-1])


def measure(args, name, model, precision, reference_labels):
    out = os.path.join(args.work, "table", f"{name}-{precision}")
    os.makedirs(out, exist_ok=True)
    heldout = os.path.join(args.work, "curve_test.csv")
    predictions = os.path.join(out, "predictions.jsonl")
    phase = imdb_full.run([args.bin, "predict", "--model", model, "--precision", precision, "--input", heldout,
                           "--format", "jsonl"], predictions)
    labels = [json.loads(l)["label"] for l in open(predictions) if l.startswith("{")]
    truth = [r[1] for r in imdb_full.read_rows(heldout)]
    if len(labels) != len(truth):
        sys.exit(f"distill_table: {predictions}: {len(labels)} predictions for {len(truth)} reviews")
    b1 = bench_json([args.bin, "bench", "inference", "--model", model, "--precision", precision, "--batch-size", "1",
                     "--seq-len", "128", "--warmup", "3", "--repetitions", "30"], os.path.join(out, "b1.json"))
    b32 = bench_json([args.bin, "bench", "inference", "--model", model, "--precision", precision, "--batch-size", "32",
                      "--seq-len", "128", "--warmup", "1", "--repetitions", "5"], os.path.join(out, "b32.json"))
    reviews = bench_json([args.bin, "bench", "reviews", "--model", model, "--precision", precision, "--input",
                          os.path.join(args.work, "test.csv"), "--count", "2000", "--batch-size", "32",
                          "--warmup", "1", "--repetitions", "3"], os.path.join(out, "reviews.json"))
    size = sum(os.path.getsize(f) for f in glob.glob(os.path.join(model, "*.safetensors")))
    config = json.load(open(os.path.join(model, "config.json")))
    return {"model": name, "precision": precision, "folder": model,
            "layers": config.get("num_hidden_layers", config.get("n_layers")),
            "accuracy": sum(a == b for a, b in zip(labels, truth)) / len(truth),
            "agreement_with_teacher_fp32": (sum(a == b for a, b in zip(labels, reference_labels)) / len(labels)) if reference_labels else 1.0,
            "labels": labels, "weights_mb": round(size / 1e6, 1), "predict_5000_peak_rss_mb": phase["peak_rss_mb"],
            "b1_latency_ms": round(b1["medianSeconds"] * 1000, 2), "b32_s128_samples_per_s": round(b32["samplesPerSecond"], 1),
            "reviews_2000_per_s": round(reviews["samplesPerSecond"], 1)}


def table(args, teacher):
    rows = []
    plan = [("teacher", teacher, p) for p in ("fp32", "int8", "bf16")]
    for layers in LAYERS:
        folder = os.path.join(args.work, "students", f"L{layers}", "run", "best")
        if os.path.isdir(folder):
            plan += [(f"student-{layers}", folder, p) for p in ("fp32", "int8")]
        else:
            print(f"distill_table: no {layers}-layer student ({folder}); run `bench/distill_table.sh students`", flush=True)
    reference = None
    for name, folder, precision in plan:
        row = measure(args, name, folder, precision, reference)
        if reference is None:
            reference = row["labels"]
        rows.append(row)
        print(f"distill_table: {name} {precision}: accuracy {row['accuracy']:.4f}, agreement "
              f"{row['agreement_with_teacher_fp32']:.4f}, b32 {row['b32_s128_samples_per_s']}/s", flush=True)
    for row in rows:
        row.pop("labels")
    teacher_fp32 = rows[0]
    lines = ["| model | precision | accuracy | agreement | weights MB | peak RSS MB | b1 ms | b32×s128 /s | 2,000 reviews /s |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['model']} ({r['layers']} layers) | {r['precision']} | {r['accuracy']:.4f} | "
                     f"{r['agreement_with_teacher_fp32']:.4f} | {r['weights_mb']} | {r['predict_5000_peak_rss_mb']} | "
                     f"{r['b1_latency_ms']} | {r['b32_s128_samples_per_s']} "
                     f"({r['b32_s128_samples_per_s'] / teacher_fp32['b32_s128_samples_per_s']:.2f}×) | "
                     f"{r['reviews_2000_per_s']} ({r['reviews_2000_per_s'] / teacher_fp32['reviews_2000_per_s']:.2f}×) |")
    return rows, "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", required=True)
    p.add_argument("--imdb", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("mode", choices=["students", "gain", "table"])
    p.add_argument("--teacher")
    p.add_argument("--student-model", default=os.path.join(
                       os.environ.get("BERTSENT_HOME", os.path.expanduser("~/.cache/bertsent")), "models", "all-MiniLM-L6-v2"),
                   help="gain: the pretrained model whose layers the students start from (scripts/setup.sh's)")
    p.add_argument("--student-layers", type=int, default=3, help="gain: layers of --student-model the students keep")
    p.add_argument("--alpha", default="0.5", help="gain: the distilled students' --alpha (the others have 0)")
    p.add_argument("--tag", help="gain: names a variant's folder (runs with other FLAGS must not share one)")
    p.add_argument("--train-file", default="proxy_train.csv",
                   help="gain: the work folder's CSV the students learn from, less 1,000 validating (proxy_train.csv: "
                        "5,000 reviews; curve_train_2000.csv: 2,000)")
    p.add_argument("--layers", default="3,2,4", help="students: their layer counts, in training order "
                   "(the half-size student first: the one the targets name)")
    # Everything after "--" goes to bertsent distill.
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    args = p.parse_args(argv[:split])
    flags = argv[split + 1:]
    os.makedirs(args.work, exist_ok=True)
    imdb_full.split(args.imdb, args.work)
    teacher = args.teacher or newest_teacher(args.work)
    started = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    if args.mode == "students":
        students(args, teacher, flags)
        return
    if args.mode == "gain":
        result = {"teacher": teacher, "student_model": args.student_model, "student_layers": args.student_layers,
                  "train_file": args.train_file,
                  "flags": flags, "machine": imdb_full.machine(args.bin), **gain(args, teacher, flags)}
        os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
        with open(os.path.join(ROOT, "bench", "results", f"distill_gain-{started}.json"), "w") as f:
            json.dump(result, f, indent=2)
        print(json.dumps({k: result[k] for k in ("mean", "spread", "gain", "gain_exceeds_spreads")}))
        return
    rows, markdown = table(args, teacher)
    result = {"teacher": teacher, "heldout": "5,000 reviews of the test half (curve_test.csv)",
              "machine": imdb_full.machine(args.bin), "rows": rows, "markdown": markdown}
    os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "results", f"distill_table-{started}.json"), "w") as f:
        json.dump(result, f, indent=2)
    print(markdown)


if __name__ == "__main__":
    main()
