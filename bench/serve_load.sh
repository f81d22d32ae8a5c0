#!/usr/bin/env bash
# Load test of `bertsent serve` against the same model served the way a Python user would (a
# transformers pipeline behind a small HTTP server, torch on the same 2 threads) — issue 6.
#
#   bench/serve_load.sh                 # concurrency 1, 8 and 64, 30 s each, both servers
#   bench/serve_load.sh --duration 5    # shorter runs
#   bench/serve_load.sh --model DIR     # another checkpoint (default: all-MiniLM-L6-v2)
#   bench/serve_load.sh --precision bf16   # bertsent's linear layers in bf16 (AVX-512 BF16 CPUs) or int8 (VNNI)
#
# wrk (Debian) posts real IMDB reviews on loopback; prints requests/s, p50/p99 latency, non-2xx count and
# RSS before/after for each, the ratios, and writes bench/results/serve-<timestamp>.json. Not in CI.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source bench/prepare.sh

if ! command -v wrk >/dev/null; then
    echo "bench: installing wrk (Debian)"
    sudo=""
    if [ "$(id -u)" != 0 ]; then sudo=sudo; fi
    # A fresh machine has no package lists yet.
    $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q wrk >/dev/null
fi

exec "$VENV/bin/python" bench/serve_load.py --bin "$BIN" --python "$VENV/bin/python" --imdb "$IMDB" \
    --model "$MODEL_DIR" "$@"
