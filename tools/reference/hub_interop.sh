#!/usr/bin/env bash
# Python's huggingface_hub/transformers and bertsent share one Hugging Face cache, both ways (issue 8).
# Not for CI. Usage: tools/reference/hub_interop.sh [WORKDIR]   (default: a fresh folder in /tmp)
#   BERTSENT=path/to/bertsent  (default .build/release/bertsent)   PYTHON=...  (default .venv-ref/bin/python,
#   made by tools/fixtures/setup_venv.sh; huggingface_hub comes with transformers)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
bertsent=${BERTSENT:-$repo/.build/release/bertsent}
python=${PYTHON:-$repo/.venv-ref/bin/python}
[ -x "$python" ] || "$repo/tools/fixtures/setup_venv.sh"
[ -x "$bertsent" ] || (cd "$repo" && swift build -c release --product bertsent)
exec "$python" "$repo/tools/reference/hub_interop.py" --bertsent "$bertsent" ${1:+--work "$1"}
