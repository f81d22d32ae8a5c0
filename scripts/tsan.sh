#!/usr/bin/env bash
# The concurrency tests under ThreadSanitizer: the worker pool (concurrent forward passes), the
# tokenizer's parallel batch encoding, and the server's batcher (one compute thread owning the
# Predictor, requests queued from many tasks). A separate debug build (.build-tsan); takes several
# minutes on two cores, so it is not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift test --sanitize=thread --scratch-path .build-tsan \
    --filter 'concurrentCallersGetTheSameLogits|DatasetTokenLengthTests|DynamicBatchingTests|ServerEndpointTests' "$@"
