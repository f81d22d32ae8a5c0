"""Reduced precision (bf16, int8) against FP32 on real reviews, on every kernel path: runs `bertsent predict`
on the first --count texts of a labelled CSV (review,sentiment) in FP32 and each reduced precision, once
per instruction-set cap (BERTSENT_ISA; a cap above the CPU's best is clamped by bertsent itself), and
prints one table: label agreement with the same path's FP32, accuracy, and the largest and mean
difference of the class probabilities. Caps whose `bertsent bench info` reports the same kernels as an
earlier cap are the same path and run once. Exits 1 when a path misses a target (int8 ≥ 99%, bf16 ≥ 99.5%
of labels agreeing) or a run fails. Standard library only. bench/agreement.sh runs it on the held-out
reviews of bench/agreement_model.sh's model.

    python3 bench/precision_agreement.py --bin .build/release/bertsent --model MODEL --input heldout.csv \\
        [--count 2000] [--precision bf16,int8] [--isa avx512,avx-vnni,avx2,portable] [--json out.json]
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile

TARGETS = {"int8": 0.99, "bf16": 0.995}
ISAS = ("avx512", "avx-vnni", "avx2", "portable")


def environment(cap):
    env = {k: v for k, v in os.environ.items() if k != "BERTSENT_ISA"}
    if cap:
        env["BERTSENT_ISA"] = cap
    return env


def kernels(binary, cap):
    """What `bertsent bench info` reports under the cap: its "kernels" object, or None (older builds)."""
    out = subprocess.run([binary, "bench", "info"], check=True, capture_output=True, text=True, env=environment(cap)).stdout
    info = json.loads(next(line for line in reversed(out.splitlines()) if line.startswith("{")))
    return info.get("kernels")


def predict(binary, model, path, precision, cap):
    out = subprocess.run([binary, "predict", "--model", model, "--input", path, "--format", "jsonl", "--precision", precision],
                         check=True, capture_output=True, text=True, env=environment(cap)).stdout
    return [json.loads(line) for line in out.split("\n") if line.startswith("{")]  # not splitlines(): texts may hold U+2028, U+0085


def compare(reference, other, labels):
    """Agreement of `other`'s labels with `reference`'s, accuracy, and the class probabilities' differences."""
    differences = [abs(a["probabilities"][c] - b["probabilities"][c]) for a, b in zip(reference, other) for c in a["probabilities"]]
    disagreements = [i for i, (a, b) in enumerate(zip(reference, other)) if a["label"] != b["label"]]
    return {"texts": len(other), "agreeing": len(other) - len(disagreements),
            "labelAgreement": 1 - len(disagreements) / len(other),
            "accuracy": sum(b["label"] == y for b, y in zip(other, labels)) / len(other),
            "maxProbabilityDifference": max(differences), "meanProbabilityDifference": sum(differences) / len(differences),
            "disagreements": [{"index": i, "reference": reference[i]["probabilities"], "other": other[i]["probabilities"]}
                              for i in disagreements]}


def kernel_name(info, precision):
    if not isinstance(info, dict):
        return "kernel not reported"
    if precision == "fp32" and info.get("instructionSet"):
        return f"openblas+{info['instructionSet']}"  # as bertsent names its fp32 path (KernelSet.kernel(for:))
    return info.get(precision) or "kernel not reported"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", required=True)
    p.add_argument("--model", required=True)
    p.add_argument("--input", required=True, help="CSV with review,sentiment columns")
    p.add_argument("--count", type=int, default=2000)
    p.add_argument("--precision", default="bf16,int8", help="comma list of bf16, int8")
    p.add_argument("--isa", default=",".join(ISAS), help="comma list of caps to run under; 'none' runs uncapped only")
    p.add_argument("--json", help="also write every result, disagreements included, to this file")
    args = p.parse_args()
    precisions = [x.strip() for x in args.precision.split(",") if x.strip()]
    if not precisions or any(x not in TARGETS for x in precisions):
        p.error(f"--precision: choose from {', '.join(TARGETS)}")
    caps = [None] if args.isa == "none" else [x.strip() for x in args.isa.split(",") if x.strip()]
    if any(c not in ISAS for c in caps if c):
        p.error(f"--isa: choose from {', '.join(ISAS)} or none")

    csv.field_size_limit(sys.maxsize)
    with open(args.input, newline="", encoding="utf-8") as f:
        rows = [row for _, row in zip(range(args.count), csv.DictReader(f))]
    labels = [row["sentiment"] for row in rows]

    # Paths: one per distinct kernel set; a build that names no kernels cannot be deduplicated.
    paths, seen = [], {}
    for cap in caps:
        info = kernels(args.bin, cap)
        key = json.dumps(info, sort_keys=True) if info else None
        if key and key in seen:
            print(f"agreement: cap {cap} runs the same kernels as cap {seen[key]} ({key}): skipped", flush=True)
            continue
        if key:
            seen[key] = cap
        paths.append((cap, info))
    if any(info is None for _, info in paths):
        print("agreement: this build's `bench info` names no kernels: every cap is run, and may be the same path", flush=True)

    results, failures = [], []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "reviews.csv")
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=["review"], extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        best_fp32 = None
        for cap, info in paths:
            name = cap or "uncapped"
            try:
                fp32 = predict(args.bin, args.model, path, "fp32", cap)
                assert len(fp32) == len(rows), (len(fp32), len(rows))
            except (subprocess.CalledProcessError, AssertionError) as error:
                failures.append(f"{name} fp32: {error} {(getattr(error, 'stderr', '') or '').strip()[-500:]}")
                continue
            if best_fp32 is None:
                best_fp32 = fp32
            # FP32 itself against the first path's FP32: the kernels' FP32 arithmetic differs too (no target).
            results.append({"isaCap": cap, "kernels": info, "kernel": kernel_name(info, "isa"), "precision": "fp32",
                            "reference": f"{(paths[0][0] or 'uncapped')} fp32", **compare(best_fp32, fp32, labels)})
            for precision in precisions:
                try:
                    reduced = predict(args.bin, args.model, path, precision, cap)
                    assert len(reduced) == len(rows), (len(reduced), len(rows))
                except (subprocess.CalledProcessError, AssertionError) as error:
                    stderr = getattr(error, "stderr", "") or ""
                    failures.append(f"{name} {precision}: {error} {stderr.strip()[-500:]}")
                    continue
                r = {"isaCap": cap, "kernels": info, "kernel": kernel_name(info, precision), "precision": precision,
                     "reference": f"{name} fp32", "target": TARGETS[precision], **compare(fp32, reduced, labels)}
                r["met"] = r["labelAgreement"] >= r["target"]
                results.append(r)
                print(f"agreement: {name} ({r['kernel']}) {precision}: {r['agreeing']}/{r['texts']} labels agree with FP32",
                      flush=True)

    print(f"\n{args.count if len(rows) == args.count else len(rows)} reviews of {args.input}, model {args.model}\n")
    print("| path (cap → kernel) | precision | label agreement with FP32 | accuracy | max / mean \\|Δp\\| | target |")
    print("|---|---|---|---|---|---|")
    for r in results:
        target = "" if "target" not in r else f"≥ {r['target'] * 100:g}% " + ("ok" if r["met"] else "MISSED")
        against = "" if r["precision"] != "fp32" else f" (vs {r['reference']})"
        print(f"| {r['isaCap'] or 'uncapped'} → {r['kernel']} | {r['precision']} | {r['agreeing']:,}/{r['texts']:,} "
              f"({r['labelAgreement'] * 100:.2f}%){against} | {r['accuracy']:.4f} | "
              f"{r['maxProbabilityDifference']:.4f} / {r['meanProbabilityDifference']:.5f} | {target} |")
    missed = [r for r in results if r.get("met") is False]
    for failure in failures:
        print(f"agreement: FAILED {failure}", file=sys.stderr)
    for r in missed:
        print(f"agreement: MISSED {r['isaCap'] or 'uncapped'} {r['precision']}: {r['labelAgreement'] * 100:.2f}% < "
              f"{r['target'] * 100:g}%", file=sys.stderr)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"input": args.input, "model": args.model, "texts": len(rows), "results": results, "failures": failures}, f,
                      indent=1)
        print(f"\nagreement: results in {args.json}")
    sys.exit(1 if missed or failures else 0)


if __name__ == "__main__":
    main()
