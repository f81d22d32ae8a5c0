#!/usr/bin/env bash
# The training memory estimate against measured peaks (issue 20): `bertsent train` refuses a batch or
# length that cannot fit before it starts, from an estimate (Trainer.memoryEstimate) that must be within
# ±25% of the real peak RSS. Runs three shapes — batch × length 8 × 128, 32 × 256, 16 × 512 — for 3
# updates each on IMDB reviews (long enough to fill 512 tokens), in the default precision, and writes
# bench/results/memory_estimate-<time>.json with the estimate, the peak RSS and their ratio.
#
#   bench/memory_estimate.sh [SHAPES...]     e.g. bench/memory_estimate.sh 8x128 64x512
#
# Uses bench/imdb_full.sh's split (its proxy training set, 4,000 reviews). Not a test; never run in CI.
source "$(dirname "${BASH_SOURCE[0]}")/imdb_env.sh"   # sets BIN, IMDB, WORK
exec python3 bench/memory_estimate.py --bin "$BIN" --imdb "$IMDB" --work "$WORK" "$@"
