# Sourced by bench scripts from the repository root: OpenBLAS and the default model (scripts/setup.sh,
# skipped when present), then BIN, the bertsent to run: $BENCH_BIN when set, else this tree's release
# build.
scripts/setup.sh
if [ -n "${BENCH_BIN:-}" ]; then
    BIN="$BENCH_BIN"
else
    swift build -c release --product bertsent 2>&1 | tail -3
    BIN="$(swift build -c release --show-bin-path)/bertsent"
fi
