#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer, -sanitize=fuzzer,address) of bertsent's parsers: builds the fuzz package
# in Fuzz/ (release) and runs one target, or every target in turn, for SECONDS each, from its committed seeds
# in Fuzz/Corpus/TARGET. The seeds are only read: what libFuzzer adds goes to a temporary folder, removed after.
# Prints each run's final stats line (`#RUNS DONE cov: … ft: …`). A crash or a violated property stops the
# script with libFuzzer's report; the input is saved in Fuzz/crashes/TARGET/ (docs/RELIABILITY.md says what
# to do with it).
#
# Usage: scripts/fuzz.sh TARGET|all SECONDS [LIBFUZZER_FLAG...]
#   TARGET: tokenizer, safetensors, config, tokenizer-files, csv, predict-request or hub-headers.
#   Extra flags go to libFuzzer (-seed=1, -max_len=20000, ...).
# Environment: BERTSENT_FUZZ_BUILD, the build folder (default Fuzz/.build); the tokenizer target reads the
# default model installed by scripts/setup.sh (BERTSENT_MODEL or BERTSENT_HOME override where).
set -euo pipefail
cd "$(dirname "$0")/.."

# Target name → executable in Fuzz/Sources.
declare -A executables=(
    [tokenizer]=FuzzTokenizer [safetensors]=FuzzSafeTensors [config]=FuzzConfig
    [tokenizer-files]=FuzzTokenizerFiles [csv]=FuzzCSV [predict-request]=FuzzPredictRequest
    [hub-headers]=FuzzHubHeaders
)
order=(tokenizer safetensors config tokenizer-files csv predict-request hub-headers)

usage() {
    echo "usage: scripts/fuzz.sh TARGET|all SECONDS [LIBFUZZER_FLAG...]; targets: ${order[*]}" >&2
    exit 2
}
[[ $# -ge 2 && $2 =~ ^[1-9][0-9]*$ ]] || usage
target=$1 seconds=$2
shift 2
if [[ $target == all ]]; then
    targets=("${order[@]}")
else
    [[ -n ${executables[$target]:-} ]] || usage
    targets=("$target")
fi

build=${BERTSENT_FUZZ_BUILD:-Fuzz/.build}
# SwiftPM passes --sanitize=fuzzer and --sanitize=address to swiftc as two flags, of which only the last counts:
# the combined flag after them instruments Swift code for coverage too. C targets take both as they are.
flags=(--package-path Fuzz --scratch-path "$build" -c release --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address)
echo "fuzz: building: swift build ${flags[*]}"
swift build "${flags[@]}"
bin=$(swift build "${flags[@]}" --show-bin-path)

# No leak checks: the Swift runtime's and Foundation's caches, kept until exit, would be reported as leaks. No
# Swift backtracer: libFuzzer reports the crash, and the backtracer can hang on a process libFuzzer is ending.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 SWIFT_BACKTRACE=enable=no
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for name in "${targets[@]}"; do
    corpus=$work/$name
    artifacts=Fuzz/crashes/$name
    mkdir -p "$corpus" "$artifacts"
    echo "fuzz: $name for $seconds s (seeds Fuzz/Corpus/$name)"
    # One process, one thread (the default: no -jobs/-workers); a run slower than 10 s counts as a hang.
    if ! "$bin/${executables[$name]}" -max_total_time="$seconds" -timeout=10 -detect_leaks=0 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" "$@" "$corpus" "Fuzz/Corpus/$name" >"$work/$name.log" 2>&1; then
        tail -n 60 "$work/$name.log" >&2
        echo "fuzz: FAILED: $name; the input is in $artifacts/ (reproduce: $bin/${executables[$name]} INPUT)" >&2
        exit 1
    fi
    grep -E '^#[0-9]+' "$work/$name.log" | tail -n 1
    grep -E '^stat::number_of_executed_units' "$work/$name.log" || true
done
