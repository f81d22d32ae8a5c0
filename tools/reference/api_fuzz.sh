#!/usr/bin/env bash
# Fuzzes `bertsent serve` against its own /openapi.json with schemathesis (PyPI): every route, schema-valid
# and schema-violating requests, all checks (no 5xx, documented status codes, responses matching their
# schemas). Not part of CI.
#
#   tools/reference/api_fuzz.sh [--model DIR] [--max-examples N] [--seed S]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
VENV="${FUZZ_VENV:-$ROOT/.venv-fuzz}"
MODEL=()
EXAMPLES=150
SEED=1
while [ $# -gt 0 ]; do
    case "$1" in
        --model) MODEL=(--model "$2"); shift 2 ;;
        --max-examples) EXAMPLES="$2"; shift 2 ;;
        --seed) SEED="$2"; shift 2 ;;
        *) echo "api_fuzz: unknown option $1" >&2; exit 2 ;;
    esac
done
[ -x "$VENV/bin/st" ] || { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q "schemathesis==4.32.5"; }
scripts/setup.sh >/dev/null
swift build -c release --product bertsent 2>&1 | tail -1
BIN="$(swift build -c release --show-bin-path)/bertsent"
PORT=18765
"$BIN" serve "${MODEL[@]}" --port "$PORT" --log-level warning &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done
"$VENV/bin/st" run "http://127.0.0.1:$PORT/openapi.json" --checks all --max-examples "$EXAMPLES" --seed "$SEED"
curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && echo "api_fuzz: the server is still healthy"
