#!/usr/bin/env bash
# The main job on a fresh machine: install what bertsent needs, build it, then the synthetic-review
# experiment — generate 3,000 balanced synthetic reviews, split 80/20, fine-tune the default model (lr 2e-5,
# batch 8, 3 epochs, weight decay 0.01, 500 warmup steps, early stopping, best checkpoint), evaluate, write
# the report, and classify three sample sentences.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product bertsent
bin="$(swift build -c release --show-bin-path)/bertsent"
out="${BERTSENT_DEMO_DIR:-runs/demo}"
rm -rf "$out"
mkdir -p "$out"

"$bin" generate --count 3000 --seed 42 --output "$out/reviews.csv"
"$bin" train "$out/reviews.csv" --output-dir "$out" --test-size 0.2 \
    --learning-rate 2e-5 --batch-size 8 --epochs 3 --weight-decay 0.01 --warmup-steps 500 \
    --early-stopping-patience 2 --metric-for-best-model accuracy --seed 42
"$bin" evaluate "$out/validation.csv" --model "$out/best"
"$bin" predict --model "$out/best" \
    "This movie is absolutely amazing!" "Terrible movie, waste of time." "Outstanding performance by actors!"
echo "open $out/report/report.html to see the report"
