#!/usr/bin/env bash
# Batch scoring whatever the input's size: `bertsent predict --output` on 100,000 and 1,000,000 short
# reviews (generated, a few words each), peak RSS compared (within 5 % passes); each scores file checked
# for one row per review in input order. Writes bench/results/predict_rows-<time>.json.
#
#   bench/predict_rows.sh [--rows 100000,1000000] [--precision fp32] [--ranks 2]   # --ranks: under mpirun
#
# Work files in $BERTSENT_HOME/bench-data/predict_rows. Builds this tree's release bertsent unless
# BENCH_BIN is set. Not a test; CI scores 2,000 rows in the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/bertsent_bin.sh   # sets BIN
exec python3 bench/predict_rows.py --bin "$BIN" --work "${BERTSENT_HOME:-$HOME/.cache/bertsent}/bench-data/predict_rows" "$@"
