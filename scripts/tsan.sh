#!/usr/bin/env bash
# The concurrent code under ThreadSanitizer, in its own release build (.build-tsan; BERTSENT_TSAN_BUILD
# overrides): the server tests run the real model, which unoptimised and instrumented is slower than their
# clients wait.
#
#   scripts/tsan.sh        the kernels and the worker pool (Core's suites, concurrent forward passes), the
#                          tokenizer's parallel batch encoding, the trainer, the server and its batcher
#   scripts/tsan.sh ci     the worker pool and the server's suites only (what CI runs)
#
# Extra arguments go to `swift test`. A race stops the process that has it (halt_on_error), the test process
# or a `bertsent` it started; every process's reports go to files that this script prints, and any report
# fails the run. scripts/tsan-suppressions.txt holds the suppressions, all in dependencies, with reasons.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
filter='BertSentCoreTests|concurrentCallersGetTheSameLogits|DatasetTokenLengthTests|TrainerTests|BertSentServerTests'
if [[ ${1:-} == ci ]]; then
    filter='WorkerPoolTests|BertSentServerTests'
    shift
fi
scratch=${BERTSENT_TSAN_BUILD:-.build-tsan}
reports=$(mkdir -p "$scratch" && cd "$scratch" && pwd)/tsan-reports
rm -rf "$reports" && mkdir -p "$reports"
export TSAN_OPTIONS=${TSAN_OPTIONS:+$TSAN_OPTIONS:}halt_on_error=1:log_path=$reports/report:suppressions=$PWD/scripts/tsan-suppressions.txt
status=0
swift test -c release --sanitize=thread --scratch-path "$scratch" --filter "$filter" "$@" || status=$?
# A process's file may hold only the suppressions it matched (print_suppressions); a report fails the run.
if compgen -G "$reports/report.*" >/dev/null; then cat "$reports"/report.*; fi
if grep -q -l 'WARNING: ThreadSanitizer' "$reports"/report.* 2>/dev/null; then
    echo "ThreadSanitizer reported the above (one file per process, in $reports)" >&2
    exit 1
fi
exit "$status"
