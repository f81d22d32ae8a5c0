"""Batch scoring whatever the input's size (issue 21), driven by bench/predict_rows.sh: writes CSVs of short
reviews (a few words each, seeded) of each --rows count, scores each with `bertsent predict --input F
--output scores.csv` (under `mpirun -np RANKS` with --ranks), and compares the peak RSS of the runs: streaming keeps it flat. Checks that each
scores file has one row per review, numbered in input order. Writes bench/results/predict_rows-<time>.json.
"""
import argparse, csv, json, os, random, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import imdb_full  # noqa: E402  (the runner and the machine record)

OPENINGS = ["Loved", "Hated", "Enjoyed", "Endured", "Admired", "Regretted", "Adored", "Disliked"]
SUBJECTS = ["the acting", "the plot", "every scene", "the ending", "the music", "the dialogue", "the pacing"]
VERDICTS = ["truly wonderful.", "dull and slow.", "a masterpiece.", "a waste of time.", "quite moving.",
            "badly edited.", "worth seeing twice.", "forgettable."]


def write_reviews(path, rows, seed=21):
    rng = random.Random(seed)
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["review"])
        for _ in range(rows):
            writer.writerow([f"{rng.choice(OPENINGS)} {rng.choice(SUBJECTS)}, {rng.choice(VERDICTS)}"])


def check_scores(path, rows):
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        count = 0
        for count, record in enumerate(reader, start=1):
            if int(record[0]) != count:
                sys.exit(f"predict_rows: {path}: row {count} is numbered {record[0]}")
    if header[:2] != ["row", "label"] or count != rows:
        sys.exit(f"predict_rows: {path}: header {header[:2]}, {count} rows for {rows} reviews")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--rows", default="100000,1000000", help="comma-separated input sizes, smallest first")
    p.add_argument("--precision", default="fp32")
    p.add_argument("--ranks", type=int, default=1,
                   help="score under `mpirun -np RANKS` (peak RSS is then the largest rank's)")
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    runs = []
    for rows in [int(r) for r in args.rows.split(",")]:
        reviews = os.path.join(args.work, f"reviews-{rows}.csv")
        if not os.path.exists(reviews):
            write_reviews(reviews, rows)
        scores = os.path.join(args.work, f"scores-{rows}.csv")
        launcher = (["mpirun", "--allow-run-as-root", "--oversubscribe", "-np", str(args.ranks)]
                    if args.ranks > 1 else [])
        phase = imdb_full.run(launcher + [args.bin, "predict", "--input", reviews, "--output", scores,
                                          "--precision", args.precision],
                              os.path.join(args.work, f"predict-{rows}.log"))
        check_scores(scores, rows)
        runs.append({"rows": rows, "input_mb": round(os.path.getsize(reviews) / 2**20, 1),
                     "rows_per_s": round(rows / phase["wall_s"], 1), **phase})
        print(f"predict_rows: {rows:,} rows in {phase['wall_s']} s ({runs[-1]['rows_per_s']:,} rows/s), "
              f"peak RSS {phase['peak_rss_mb']} MB", flush=True)
    growth = runs[-1]["peak_rss_mb"] / runs[0]["peak_rss_mb"] - 1
    result = {"precision": args.precision, "ranks": args.ranks, "machine": imdb_full.machine(args.bin), "runs": runs,
              "peak_rss_growth": round(growth, 4), "within_5_percent": abs(growth) <= 0.05}
    path = os.path.join(imdb_full.ROOT, "bench", "results", time.strftime("predict_rows-%Y%m%d-%H%M%S.json"))
    json.dump(result, open(path, "w"), indent=2)
    print(f"predict_rows: peak RSS {runs[-1]['rows']:,} rows vs {runs[0]['rows']:,}: {growth:+.1%} → {path}")
    sys.exit(0 if result["within_5_percent"] else 1)


if __name__ == "__main__":
    main()
