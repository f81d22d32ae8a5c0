"""Training memory: bertsent's estimate (printed when a run starts) against the measured peak RSS."""
import argparse
import json
import os
import re
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import imdb_full  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--bin", required=True)
    p.add_argument("--imdb", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("shapes", nargs="*", default=["8x128", "32x256", "16x512"])
    args = p.parse_args()
    imdb_full.split(args.imdb, args.work)
    data = os.path.join(args.work, "proxy_train.csv")
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for shape in args.shapes:
            batch, length = (int(x) for x in shape.split("x"))
            log = os.path.join(scratch, f"{shape}.log")
            phase = imdb_full.run([args.bin, "train", data, "--batch-size", str(batch), "--max-length", str(length),
                                   "--max-steps", "3", "--test-size", "200", "--output-dir", os.path.join(scratch, shape)],
                                  log)
            found = re.search(r"about (\d+) MB of memory", open(log).read())
            if not found:
                sys.exit(f"memory_estimate: no estimate in {log}:\n" + open(log).read())
            estimate = int(found.group(1))
            measured = phase["peak_rss_mb"] * 1.048576  # MiB → MB
            rows.append({"batch": batch, "length": length, "estimate_mb": estimate, "peak_rss_mb": round(measured, 1),
                         "estimate_over_peak": round(estimate / measured, 3)})
            print(f"memory_estimate: {batch} × {length}: estimate {estimate} MB, peak RSS {measured:.0f} MB "
                  f"(ratio {estimate / measured:.2f})", flush=True)
    result = {"machine": imdb_full.machine(args.bin), "rows": rows,
              "within_25_percent": all(0.75 <= r["estimate_over_peak"] <= 1.25 for r in rows)}
    os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
    path = os.path.join(ROOT, "bench", "results", f"memory_estimate-{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}.json")
    with open(path, "w") as f:
        json.dump(result, f, indent=2)
    print(f"memory_estimate: {path}; all within ±25%: {result['within_25_percent']}")
    sys.exit(0 if result["within_25_percent"] else 1)


if __name__ == "__main__":
    main()
