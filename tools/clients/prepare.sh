#!/usr/bin/env bash
# Readies a client check (tools/clients/): OpenBLAS and the default model (scripts/setup.sh), the release CLI,
# and the venv .venv-clients (git-ignored) with the PyPI packages named as arguments, pinned. Progress goes to
# stderr; stdout is the path of the bertsent binary. Safe to run again: each step skips what is there.
#
#   bertsent=$(tools/clients/prepare.sh "selenium==4.51.0")
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
VENV="${CLIENTS_VENV:-$ROOT/.venv-clients}"

scripts/setup.sh >&2
swift build -c release --product bertsent 2>&1 | tail -1 >&2
if [ ! -x "$VENV/bin/python" ]; then
    # Debian's python3 needs python3-venv for `-m venv` (ensurepip).
    if ! python3 -c "import ensurepip" 2>/dev/null; then
        SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
        $SUDO apt-get update -qq && $SUDO apt-get install -y -qq python3-venv >&2
    fi
    python3 -m venv "$VENV" >&2
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check "$@" >&2
echo "$(swift build -c release --show-bin-path)/bertsent"
