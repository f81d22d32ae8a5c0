#!/usr/bin/env bash
# The main job on a fresh machine: install what bertsent needs, build it, and classify three reviews
# with the default model.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product bertsent
bin="$(swift build -c release --show-bin-path)/bertsent"
"$bin" predict "This movie is absolutely amazing!" "Terrible movie, waste of time." "Outstanding performance by actors!"
