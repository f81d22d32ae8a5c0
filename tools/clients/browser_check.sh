#!/usr/bin/env bash
# The page at GET / in a real browser (issue 22): Debian's chromium through chromium-driver, driven by Selenium
# (PyPI, in .venv-clients). Installs chromium and chromium-driver with apt when missing, then everything else
# (tools/clients/prepare.sh). One command from a fresh clone; screenshots go to runs/browser-check/ unless given.
#
#   tools/clients/browser_check.sh [--screenshots DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi
bertsent=$("$ROOT/tools/clients/prepare.sh" "selenium==4.51.0")
cd "$ROOT"
# SE_OFFLINE: Selenium Manager must not try to fetch a browser or driver; Debian's are on PATH.
SE_OFFLINE=true exec "$ROOT/.venv-clients/bin/python" "$ROOT/tools/clients/browser_check.py" --bertsent "$bertsent" "$@"
