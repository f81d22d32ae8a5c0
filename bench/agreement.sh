#!/usr/bin/env bash
# The accuracy check of issue 16 in one command: int8 and bf16 labels against FP32 on the 2,000 held-out
# IMDB reviews, with the model bench/agreement_model.sh fine-tunes (run first; it skips what exists), on
# every kernel path this CPU has: bertsent predict under BERTSENT_ISA=avx512, avx-vnni, avx2 and portable,
# caps that land on the same kernels run once. Prints the table (bench/precision_agreement.py) and exits
# 1 when a path misses a target (int8 ≥ 99%, bf16 ≥ 99.5% of labels agreeing) or a run fails.
#
#   bench/agreement.sh                       # builds bertsent in release unless BENCH_BIN is set
#   BENCH_BIN=/path/to/bertsent bench/agreement.sh [--isa avx2,portable] [--precision int8]
#
# Results also go to $BERTSENT_HOME/bench-data/agreement/agreement-<timestamp>.json.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BERTSENT_HOME="${BERTSENT_HOME:-$HOME/.cache/bertsent}"
OUT="${AGREEMENT_DIR:-$BERTSENT_HOME/bench-data/agreement}"

if [ -z "${BENCH_BIN:-}" ]; then
    swift build -c release --product bertsent 2>&1 | tail -3
    BENCH_BIN="$(swift build -c release --show-bin-path)/bertsent"
fi
BENCH_BIN="$BENCH_BIN" AGREEMENT_DIR="$OUT" bench/agreement_model.sh
exec python3 bench/precision_agreement.py --bin "$BENCH_BIN" --model "$OUT/model/best" --input "$OUT/heldout_2000.csv" \
    --count 2000 --json "$OUT/agreement-$(date +%Y%m%d-%H%M%S).json" "$@"
