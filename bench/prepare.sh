# Sourced by bench/run.sh and bench/serve_load.sh from the repository root: everything both sides of a
# benchmark need, each step skipped when already done. Sets VENV, BIN, IMDB, DATA_DIR and MODEL_DIR.
# BENCH_BIN=path uses that bertsent binary instead of building the tree (e.g. while it is mid-edit).
BERTSENT_HOME="${BERTSENT_HOME:-$HOME/.cache/bertsent}"
VENV="${BENCH_VENV:-$ROOT/.venv-bench}"
DATA_DIR="$BERTSENT_HOME/bench-data"
MODEL_DIR="$BERTSENT_HOME/models/all-MiniLM-L6-v2"

# 1. Reference venv: torch (CPU) + transformers pinned by tools/fixtures/setup_venv.sh, plus accelerate
#    for Trainer, and ONNX Runtime (CPU wheel from PyPI) with onnx for the export and quantize_dynamic.
#    Skips what is already installed.
ORT_PINS=("onnxruntime==1.31.1" "onnx==1.23.2" "flatbuffers==25.12.19" "protobuf==7.36.2" "ml_dtypes==0.7.0")
if ! "$VENV/bin/python" -c "import torch, transformers, accelerate" >/dev/null 2>&1; then
    VENV="$VENV" tools/fixtures/setup_venv.sh
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "accelerate==1.15.0" psutil
fi
if ! "$VENV/bin/python" -c "import onnxruntime as o, onnx as x, sys; sys.exit(o.__version__ != '1.31.1' or x.__version__ != '1.23.2')" \
        >/dev/null 2>&1; then
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "${ORT_PINS[@]}"
fi

# 2. OpenBLAS and the default model, then the release build (retried: the tree may be mid-edit).
scripts/setup.sh
if [ -n "${BENCH_BIN:-}" ]; then
    BIN="$BENCH_BIN"
else
    for attempt in 1 2 3; do
        if swift build -c release --product bertsent 2>&1 | tail -3; then break; fi  # pipefail: swift's status
        echo "bench: build failed (attempt $attempt); retrying in 30 s" >&2
        sleep 30
    done
    BIN="$(swift build -c release --show-bin-path)/bertsent"
fi
"$BIN" bench info >/dev/null

# 3. IMDB reviews (50,000, review,sentiment), never committed.
source bench/fetch_imdb.sh
