#!/usr/bin/env bash
# Data-parallel scaling, measured here and projected (docs/SCALING.md, issue 21):
#   1. training throughput on this machine: 1 process x all cores (global batch 2b), 1 process x 1 thread
#      (batch b), and `mpirun -np 2` x 1 thread each (b per rank), same steps on the same texts;
#   2. one training step's compute on this machine (`bertsent bench train`, batch 2b x 128 tokens) for
#      all-MiniLM-L6-v2 and a random-weight bert-base (bench/bert-base-config.json), and the bytes each
#      all-reduces per step (4 per parameter);
#   3. from a ring all-reduce's cost, 2(N-1)/N x bytes / bandwidth + 2(N-1) x latency, the step time and
#      efficiency for N = 2-64 such machines on 10 and 100 Gbit/s networks, each rank taking 2b texts.
# Writes bench/results/scaling-<time>.json and prints the tables docs/SCALING.md quotes. Needs Open MPI
# (scripts/setup.sh). Run on a quiet machine: it times.
#
#   bench/scaling.sh [--batch 8] [--steps 12]
set -euo pipefail
cd "$(dirname "$0")/.."
batch=8 steps=12
while [[ $# -gt 0 ]]; do
    case $1 in
        --batch) batch=$2; shift 2 ;;
        --steps) steps=$2; shift 2 ;;
        *) echo "scaling.sh: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
    esac
done
command -v mpirun >/dev/null || { echo "scaling.sh: needs Open MPI's mpirun (scripts/setup.sh)" >&2; exit 1; }
source bench/bertsent_bin.sh   # sets BIN
work=$(mktemp -d -t bertsent-scaling.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$BIN" generate --count 2000 --seed 5 --output "$work/reviews.csv" >/dev/null
train=("$BIN" train "$work/reviews.csv" --max-length 128 --max-steps "$steps" --eval-strategy no --log-format jsonl)

BERTSENT_THREADS=$(nproc) "${train[@]}" --batch-size $((2 * batch)) --output-dir "$work/one-all" >"$work/one-all.log"
BERTSENT_THREADS=1 "${train[@]}" --batch-size "$batch" --output-dir "$work/one-1" >"$work/one-1.log"
mpirun --allow-run-as-root --oversubscribe -np 2 "${train[@]}" --batch-size "$batch" --output-dir "$work/two-1" \
    >"$work/two-1.log"
"$BIN" bench train --batch-size $((2 * batch)) --seq-len 128 --warmup 1 --repetitions 3 | tail -1 >"$work/minilm.json"
"$BIN" bench train --random-config bench/bert-base-config.json --batch-size $((2 * batch)) --seq-len 128 \
    --warmup 1 --repetitions 3 | tail -1 >"$work/bert-base.json"

python3 - "$work" "$batch" "$(lscpu | sed -n 's/^Model name: *//p')" "$(nproc)" <<'EOF'
import json, os, statistics, sys, time
work, batch, cpu, cores = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
def log(name):
    entries = [json.loads(l) for l in open(os.path.join(work, name + ".log")) if l.startswith('{"')]
    train = [e for e in entries if e.get("type") == "train"][2:]   # the first steps warm up
    return {"texts_per_s": round(statistics.median(e["samples_per_second"] for e in train), 1),
            "allreduce_s": round(statistics.median(e["allreduce_seconds"] for e in train), 4)
            if "allreduce_seconds" in train[0] else None}
measured = {"1 process x %d threads, batch %d" % (cores, 2 * batch): log("one-all"),
            "1 process x 1 thread, batch %d" % batch: log("one-1"),
            "2 ranks x 1 thread, batch %d each" % batch: log("two-1")}
# Parameter counts: all-MiniLM-L6-v2 with a 2-class head, bert-base-uncased with one.
models = {"all-MiniLM-L6-v2": {"parameters": 22_713_986, "bench": json.load(open(os.path.join(work, "minilm.json")))},
          "bert-base": {"parameters": 109_483_778, "bench": json.load(open(os.path.join(work, "bert-base.json")))}}
networks = {"10 Gbit/s": (10e9 / 8, 20e-6), "100 Gbit/s": (100e9 / 8, 5e-6)}   # bandwidth B/s, latency s
projection = {}
for name, m in models.items():
    compute = m["bench"]["medianSeconds"]
    size = 4 * m["parameters"]
    m["allreduce_bytes"] = size
    projection[name] = {}
    for net, (bandwidth, latency) in networks.items():
        rows = []
        for n in (2, 4, 8, 16, 32, 64):
            comm = 2 * (n - 1) / n * size / bandwidth + 2 * (n - 1) * latency
            step = compute + comm
            rows.append({"machines": n, "step_s": round(step, 4), "allreduce_s": round(comm, 4),
                         "efficiency": round(compute / step, 3),
                         "texts_per_s": round(n * 2 * batch / step, 1)})
        projection[name][net] = rows
result = {"cpu": cpu, "cores": cores, "measured": measured, "models": models, "networks_assumed":
          {k: {"bandwidth_bytes_per_s": v[0], "latency_s": v[1]} for k, v in networks.items()},
          "projection": projection, "cost_model": "step = compute + 2(N-1)/N x bytes / bandwidth + 2(N-1) x latency"}
path = os.path.join("bench", "results", time.strftime("scaling-%Y%m%d-%H%M%S.json"))
json.dump(result, open(path, "w"), indent=2)
print(f"measured on {cpu}, {cores} cores:")
for k, v in measured.items():
    print(f"  {k}: {v['texts_per_s']} texts/s" + (f", all-reduce {v['allreduce_s']} s per step" if v["allreduce_s"] else ""))
for name, m in models.items():
    print(f"{name}: {m['parameters']:,} parameters, {m['allreduce_bytes'] / 1e6:.1f} MB all-reduced per step, "
          f"step compute {m['bench']['medianSeconds']:.3f} s at batch {2 * batch} x 128 here")
    for net, rows in projection[name].items():
        print(f"  {net}: " + ", ".join(f"N={r['machines']} {r['step_s']} s ({r['efficiency']:.0%})" for r in rows))
print(f"→ {path}")
EOF
