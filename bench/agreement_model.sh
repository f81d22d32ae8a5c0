#!/usr/bin/env bash
# Makes the IMDB-fine-tuned model that bench/agreement.sh checks reduced precision against (issue 16):
# all-MiniLM-L6-v2 fine-tuned by `bertsent train` (FP32, 256 tokens, 2 epochs) on 4,000 IMDB reviews,
# best/ picked on 500 others, and 2,000 further reviews held out for the check. Takes minutes on 2
# cores (~15 on an idle machine). Each step is skipped when its output exists; nothing is committed.
#
#   bench/agreement_model.sh                  # builds bertsent in release unless BENCH_BIN is set
#   BENCH_BIN=/path/to/bertsent bench/agreement_model.sh
#
# Writes $BERTSENT_HOME/bench-data/agreement/ (AGREEMENT_DIR overrides):
#   train.csv (4,000), validation.csv (500), heldout_2000.csv (2,000), split.json: review,sentiment
#     rows of the IMDB CSV, stratified (half positive in each), drawn with a fixed seed after dropping
#     every review whose text (HTML line breaks and runs of whitespace collapsed) appears more than
#     once, so no review, nor a copy of it, is in two sets;
#   model/ (bertsent's run: log.jsonl, validation.csv) with the model in model/best;
#   heldout.json: the model's FP32 metrics on the held-out reviews (bertsent evaluate).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BERTSENT_HOME="${BERTSENT_HOME:-$HOME/.cache/bertsent}"
MODEL_DIR="$BERTSENT_HOME/models/all-MiniLM-L6-v2"
OUT="${AGREEMENT_DIR:-$BERTSENT_HOME/bench-data/agreement}"
TRAIN=4000 VALIDATION=500 HELDOUT=2000 SEED=42 EPOCHS=2 MAX_LENGTH=256

source bench/bertsent_bin.sh   # sets BIN
source bench/fetch_imdb.sh   # sets IMDB

# 1. The three disjoint sets (python3's standard library only).
mkdir -p "$OUT"
if [ ! -s "$OUT/split.json" ]; then
    python3 - "$IMDB" "$OUT" "$TRAIN" "$VALIDATION" "$HELDOUT" "$SEED" <<'PY'
import csv, json, os, random, re, sys
imdb, out, n_train, n_val, n_held, seed = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
csv.field_size_limit(sys.maxsize)
with open(imdb, newline="", encoding="utf-8") as f:
    rows = [(r["review"], r["sentiment"]) for r in csv.DictReader(f)]
key = lambda text: " ".join(re.sub(r"<br\s*/?>", " ", text).split())
counts = {}
for text, _ in rows:
    counts[key(text)] = counts.get(key(text), 0) + 1
unique = [r for r in rows if counts[key(r[0])] == 1]  # every copy of a repeated text goes
rng = random.Random(seed)
by_label = {label: [r for r in unique if r[1] == label] for label in sorted({r[1] for r in unique})}
for members in by_label.values():
    rng.shuffle(members)
sets, start = {}, 0
for name, n in (("train", n_train), ("validation", n_val), (f"heldout_{n_held}", n_held)):
    per = n // len(by_label)
    chosen = [r for members in by_label.values() for r in members[start:start + per]]
    rng.shuffle(chosen)
    sets[name] = chosen
    start += per
for name, chosen in sets.items():
    with open(os.path.join(out, name + ".csv.part"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["review", "sentiment"])
        w.writerows(chosen)
    os.replace(os.path.join(out, name + ".csv.part"), os.path.join(out, name + ".csv"))
seen = [set(key(t) for t, _ in s) for s in sets.values()]
assert all(not (a & b) for i, a in enumerate(seen) for b in seen[i + 1:]), "sets overlap"
with open(os.path.join(out, "split.json"), "w") as f:
    json.dump({"source": os.path.basename(imdb), "rows": len(rows), "droppedRepeated": len(rows) - len(unique),
               "seed": seed, "sizes": {k: len(v) for k, v in sets.items()}}, f)
print(f"agreement_model: {len(rows) - len(unique)} repeated reviews dropped; "
      + ", ".join(f"{k} {len(v)}" for k, v in sets.items()))
PY
fi

# 2. The fine-tune, into model.partial/ and renamed when complete, so an interrupted run starts over.
if [ ! -s "$OUT/model/best/config.json" ]; then
    rm -rf "$OUT/model.partial"
    echo "agreement_model: bertsent train on $TRAIN reviews, $EPOCHS epochs, $MAX_LENGTH tokens (minutes) …"
    "$BIN" train "$OUT/train.csv" --validation-file "$OUT/validation.csv" --model "$MODEL_DIR" \
        --output-dir "$OUT/model.partial" --epochs "$EPOCHS" --max-length "$MAX_LENGTH" --batch-size 8 \
        --learning-rate 2e-5 --warmup-ratio 0.1 --weight-decay 0.01 --seed "$SEED" --group-by-length \
        --metric-for-best-model accuracy --save-total-limit 1 --precision fp32
    rm -rf "$OUT"/model.partial/checkpoint-*   # resumable states (optimizer included): best/ is what is used
    mv "$OUT/model.partial" "$OUT/model"
fi

# 3. FP32 accuracy on the held-out reviews.
if [ ! -s "$OUT/heldout.json" ]; then
    "$BIN" evaluate "$OUT/heldout_$HELDOUT.csv" --model "$OUT/model/best" --output-dir "$OUT/heldout-report" >/dev/null
    cp "$OUT/heldout-report/metrics.json" "$OUT/heldout.json"
fi
python3 - "$OUT/heldout.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print("agreement_model: held-out FP32 " + ", ".join(f"{k} {v:.4f}" for k, v in m.items() if isinstance(v, float)))
PY
echo "agreement_model: model     $OUT/model/best"
echo "agreement_model: held-out  $OUT/heldout_$HELDOUT.csv"
