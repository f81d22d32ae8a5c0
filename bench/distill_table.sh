#!/usr/bin/env bash
# Distillation's size/speed/accuracy table (issue 19), two commands:
#
#   bench/distill_table.sh students [--teacher DIR] [--layers 3,2,4] [-- DISTILL FLAGS]
#       distils the teacher into students of 3, 2 and 4 layers (`bertsent distill`, defaults) on the IMDB
#       training half of bench/imdb_full.sh's split, into $WORK/students/L{3,2,4}/run/best; an interrupted
#       student resumes from its newest checkpoint when run again.
#   bench/distill_table.sh gain [--teacher DIR] [--student-model DIR] [--student-layers 3] [--train-file CSV]
#                               [--alpha 0.5] [--tag NAME] [-- FLAGS]
#       distillation (--alpha, 0.5 by default) against labels alone (--alpha 0: the same student, data and
#       steps), seeds 1-3 each; --tag keeps a variant with other FLAGS in its own folders;
#       students made from the pretrained model's layers (0, 2, 4 of setup's all-MiniLM-L6-v2), learning
#       from the training half's proxy split (4,000 texts; curve_train_2000.csv: 1,000), scored on the
#       5,000 held-out reviews the table uses (the teacher trained on the training half's own proxy test
#       set); a finished run is scored again, not retrained; bench/results/distill_gain-<time>.json.
#   bench/distill_table.sh table [--teacher DIR]
#       measures teacher FP32, int8, bf16 and each student in FP32 and int8, in one run: accuracy on 5,000
#       held-out reviews (the test half's fixed subset), agreement with the teacher FP32's labels, size on
#       disk, peak RSS, b1 latency, b32×s128 throughput and 2,000 reviews' throughput. Writes
#       bench/results/distill_table-<time>.json and prints the Markdown table the README quotes.
#
# The teacher defaults to the best/ of the newest bench/imdb_full.sh run (the full-IMDB model). Builds
# bertsent in release unless BENCH_BIN is set. Work files: $BERTSENT_HOME/bench-data/imdb_full (IMDB_WORK
# overrides). Not a test; never run in CI.
source "$(dirname "${BASH_SOURCE[0]}")/imdb_env.sh"   # sets BIN, IMDB, WORK
exec python3 bench/distill_table.py --bin "$BIN" --imdb "$IMDB" --work "$WORK" "$@"
