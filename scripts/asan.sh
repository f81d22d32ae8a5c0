#!/usr/bin/env bash
# The whole test suite under AddressSanitizer, in its own release build (.build-asan; release, because the
# parity tests run the real model, which unoptimised and instrumented would take hours). Extra arguments go to
# `swift test` (e.g. --filter CLITests). Leak checking is off: the Swift runtime's and Foundation's caches
# live until exit and would all be reported; use-after-free, overflows and double frees still stop the run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
swift test -c release --sanitize=address --scratch-path .build-asan "$@"
