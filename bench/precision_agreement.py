"""A reduced precision (bf16 or int8) against FP32 on real reviews: runs `bertsent predict` on the first
--count texts of a labelled CSV (review,sentiment) once per precision and prints, as one JSON line, how
often the labels agree, each precision's accuracy, and the largest and mean difference of the predicted
class probabilities.

    python3 bench/precision_agreement.py --bin .build/release/bertsent --model runs/imdb/best \\
        --input ~/.cache/bertsent/bench-data/imdb_clean_10000.csv --count 2000 --precision int8
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile


def predict(binary, model, path, precision):
    out = subprocess.run([binary, "predict", "--model", model, "--input", path, "--format", "jsonl",
                          "--precision", precision], check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--model", required=True)
    p.add_argument("--input", required=True, help="CSV with review,sentiment columns (already cleaned)")
    p.add_argument("--count", type=int, default=2000)
    p.add_argument("--precision", choices=["bf16", "int8"], default="bf16")
    args = p.parse_args()
    csv.field_size_limit(sys.maxsize)
    with open(args.input, newline="", encoding="utf-8") as f:
        rows = [row for _, row in zip(range(args.count), csv.DictReader(f))]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "reviews.csv")
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=["review"], extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        fp32, reduced = (predict(args.bin, args.model, path, precision) for precision in ("fp32", args.precision))
    assert len(fp32) == len(reduced) == len(rows), (len(fp32), len(reduced), len(rows))
    labels = [row["sentiment"] for row in rows]
    differences = [abs(a["probabilities"][c] - b["probabilities"][c]) for a, b in zip(fp32, reduced) for c in a["probabilities"]]
    disagreements = [i for i, (a, b) in enumerate(zip(fp32, reduced)) if a["label"] != b["label"]]
    print(json.dumps({
        "precision": args.precision,
        "texts": len(rows),
        "labelAgreement": 1 - len(disagreements) / len(rows),
        "disagreements": [{"index": i, "fp32": fp32[i]["probabilities"], args.precision: reduced[i]["probabilities"]} for i in disagreements],
        "accuracyFP32": sum(a["label"] == y for a, y in zip(fp32, labels)) / len(rows),
        "accuracy" + args.precision.upper(): sum(b["label"] == y for b, y in zip(reduced, labels)) / len(rows),
        "maxProbabilityDifference": max(differences),
        "meanProbabilityDifference": sum(differences) / len(differences),
    }))


if __name__ == "__main__":
    main()
