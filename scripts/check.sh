#!/usr/bin/env bash
# Checks what the tests do not: that the code is formatted (swift format, .swift-format), that every public
# declaration has a doc comment (scripts/check-public-docs.py), that README's library example is
# Examples/Classify's main.swift, that the example package builds against the library, that the
# documentation builds without warnings, and that the C kernels build for arm64 (Linux and macOS) and
# pass their tests there under qemu (scripts/test-arm64-kernels.sh).
# Stops at the first failure. Needs OpenBLAS (scripts/setup.sh installs it); debug builds.
set -euo pipefail
cd "$(dirname "$0")/.."

# Runs step $1 (a description) as the command that follows, timing it; on failure names the step and stops.
step() {
    local what=$1
    shift
    echo "check: $what: $*"
    local start=$SECONDS
    if ! "$@"; then
        echo "check: FAILED: $what (after $((SECONDS - start)) s; command: $*)" >&2
        exit 1
    fi
    echo "check: ok: $what ($((SECONDS - start)) s)"
}

if ! pkg-config --exists bertsent-openblas 2>/dev/null; then
    echo "check: FAILED: the pkg-config module bertsent-openblas (OpenBLAS) is missing; run scripts/setup.sh first" >&2
    exit 1
fi

step "swift format finds nothing to change" \
    swift format lint --strict --recursive --parallel Sources Tests Examples Package.swift
step "every public declaration has a doc comment" scripts/check-public-docs.py
step "README example matches Examples/Classify" scripts/check-readme-example.sh
step "Examples/Classify builds" swift build --package-path Examples/Classify
# The library's ten modules in one archive: the BertSent catalogue's articles and every module's API.
targets=()
for t in BertSent BertSentCore BertSentFormats BertSentHub BertSentText BertSentData BertSentModel BertSentInference \
    BertSentTraining BertSentReport; do targets+=(--target "$t"); done
step "documentation builds without warnings" \
    swift package generate-documentation --enable-experimental-combined-documentation "${targets[@]}" --warnings-as-errors
step "arm64 C kernels compile for Linux and macOS and pass under qemu" scripts/test-arm64-kernels.sh
echo "check: all passed"
