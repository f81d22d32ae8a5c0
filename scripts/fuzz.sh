#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer, -sanitize=fuzzer,address) of bertsent's parsers: builds the fuzz package
# in Fuzz/ and runs one target, or every target, for SECONDS each, from its committed seeds in
# Fuzz/Corpus/TARGET. The seeds are only read: what libFuzzer adds goes to a temporary folder, removed after.
# Prints each run's final stats line (`#RUNS DONE cov: … ft: …`). A crash or a violated property ends that
# target's run with libFuzzer's report, and the script exits 1 once the other targets have run; the input is
# saved in Fuzz/crashes/TARGET/ (docs/RELIABILITY.md says what to do with it).
#
# Usage: scripts/fuzz.sh TARGET|all SECONDS [LIBFUZZER_FLAG...]
#   TARGET: tokenizer, safetensors, config, tokenizer-files, csv, predict-request or hub-headers.
#   Extra flags go to libFuzzer (-seed=1, -max_len=20000, ...).
# Environment: BERTSENT_FUZZ_JOBS, targets run at once (default 1); BERTSENT_FUZZ_BUILD, the build folder
# (default Fuzz/.build); BERTSENT_FUZZ_CONFIG, release (default: the most executions a second; a first build
# of 15-20 min on 2 cores) or debug (about 3 min: CI's smoke run); the tokenizer target reads the default
# model installed by scripts/setup.sh (BERTSENT_MODEL or BERTSENT_HOME override where).
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
config=${BERTSENT_FUZZ_CONFIG:-release}
# SwiftPM passes --sanitize=fuzzer and --sanitize=address to swiftc as two flags, of which only the last counts:
# the combined flag after them instruments Swift code for coverage too. C targets take both as they are.
flags=(--package-path Fuzz --scratch-path "$build" -c "$config" --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address)
echo "fuzz: building: swift build ${flags[*]}"
swift build "${flags[@]}"
bin=$(swift build "${flags[@]}" --show-bin-path)

# No leak checks: the Swift runtime's and Foundation's caches, kept until exit, would be reported as leaks. No
# Swift backtracer: libFuzzer reports the crash, and the backtracer can hang on a process libFuzzer is ending.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 SWIFT_BACKTRACE=enable=no
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One target's run: its final stats, or libFuzzer's report and a non-zero status.
fuzz_one() {
    local name=$1 corpus=$work/$1 artifacts=Fuzz/crashes/$1
    shift
    mkdir -p "$corpus" "$artifacts"
    # One process, one thread (the default: no -jobs/-workers); a run slower than 10 s counts as a hang.
    if ! "$bin/${executables[$name]}" -max_total_time="$seconds" -timeout=10 -detect_leaks=0 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" "$@" "$corpus" "Fuzz/Corpus/$name" >"$work/$name.log" 2>&1; then
        tail -n 60 "$work/$name.log" >&2
        echo "fuzz: FAILED: $name; the input is in $artifacts/ (reproduce: $bin/${executables[$name]} INPUT)" >&2
        return 1
    fi
    echo "fuzz: $name, $seconds s from the seeds in Fuzz/Corpus/$name: $(grep -E '^#[0-9]+' "$work/$name.log" | tail -n 1)"
}

# BERTSENT_FUZZ_JOBS targets at a time (default 1: each target has a core to itself while timed).
parallel=${BERTSENT_FUZZ_JOBS:-1}
failed=0
for name in "${targets[@]}"; do
    while (($(jobs -rp | wc -l) >= parallel)); do wait -n || failed=1; done
    fuzz_one "$name" "$@" &
done
while (($(jobs -rp | wc -l) > 0)); do wait -n || failed=1; done
exit $failed
