#!/usr/bin/env bash
# Soak test of `bertsent serve` (reliability): runs the server for a while at concurrency 64 with a mix of
# valid requests, invalid ones, oversized bodies, slow clients sending a byte a second, clients that hang
# up mid-answer and bursts beyond the queue and the connection limit; samples RSS, open descriptors and
# p50/p99 every 10 s; writes bench/results/soak-<time>.json and .svg; exits 1 naming each criterion that
# failed (docs/RELIABILITY.md, "Server under load").
#
#   bench/soak.sh                                  # 30 minutes, every criterion
#   bench/soak.sh --short                          # 60 s, counts only, never timings (CI)
#   bench/soak.sh --duration 300 --warmup 60       # a shorter full run
#   BENCH_BIN=.build/release/bertsent bench/soak.sh --short   # a bertsent already built
#
# Python's standard library only (bench/soak.py). Without BENCH_BIN it builds this tree's release bertsent.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source bench/bertsent_bin.sh
exec python3 bench/soak.py --bin "$BIN" "$@"
