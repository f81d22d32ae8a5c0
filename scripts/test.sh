#!/usr/bin/env bash
# Installs what the tests need (OpenBLAS, the default model) and runs them. Release build: the numeric
# kernels are 10–100× slower unoptimised, and the parity tests run the real model.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift test -c release --explicit-target-dependency-import-check error "$@"
