#!/usr/bin/env bash
# The concurrent code under ThreadSanitizer, in its own release build (.build-tsan; BERTSENT_TSAN_BUILD
# overrides): the server tests run the real model, which unoptimised and instrumented is slower than their
# clients wait.
#
#   scripts/tsan.sh        the kernels and the worker pool (Core's suites, concurrent forward passes), the
#                          tokenizer's parallel batch encoding, the trainer, the server and its batcher
#   scripts/tsan.sh ci     the worker pool and the server's suites only (what CI runs)
#
# Extra arguments go to `swift test`. A race stops the run with TSan's report (halt_on_error); no
# suppressions are needed today (docs/RELIABILITY.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
filter='BertSentCoreTests|concurrentCallersGetTheSameLogits|DatasetTokenLengthTests|TrainerTests|BertSentServerTests'
if [[ ${1:-} == ci ]]; then
    filter='WorkerPoolTests|BertSentServerTests'
    shift
fi
export TSAN_OPTIONS=${TSAN_OPTIONS:+$TSAN_OPTIONS:}halt_on_error=1
swift test -c release --sanitize=thread --scratch-path "${BERTSENT_TSAN_BUILD:-.build-tsan}" --filter "$filter" "$@"
