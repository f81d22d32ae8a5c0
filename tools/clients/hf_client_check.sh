#!/usr/bin/env bash
# huggingface_hub's InferenceClient(base_url=...).text_classification against `bertsent serve`, checked against
# /predict (issue 22). huggingface_hub comes from PyPI into .venv-clients; everything else from
# tools/clients/prepare.sh. One command from a fresh clone:
#
#   tools/clients/hf_client_check.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bertsent=$("$ROOT/tools/clients/prepare.sh" "huggingface_hub==2.4.0")
exec "$ROOT/.venv-clients/bin/python" "$ROOT/tools/clients/hf_client_check.py" --bertsent "$bertsent" "$@"
