#!/usr/bin/env bash
# The arm64 C kernels, proven on this x86-64 machine (issue 17): every file of Sources/CKernels compiles
# without warnings for Linux arm64 (Debian's cross headers) and for macOS arm64 (the same headers standing
# in for the SDK, plus sysctlbyname's prototype), and Tests/CKernelsC/kernels_test.c, built statically
# for aarch64, passes under qemu-user as three CPUs:
#   max          asimd asimddp i8mm bf16 → int8 neon-i8mm (smmla), bf16 neon-bf16 (bfdot)
#   neoverse-n1  asimd asimddp           → int8 neon-dotprod (sdot), bf16 fp32-widened
#   cortex-a72   asimd                   → int8 neon (smull + sadalp), bf16 fp32-widened
# each copy checked bit for bit against portable C, bf16 against double precision. Installs Debian's
# libc6-dev-arm64-cross, gcc-aarch64-linux-gnu (libgcc for the static link) and qemu-user-static when
# missing. Compiles with the Swift toolchain's clang, which SwiftPM uses for these files.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
for p in libc6-dev-arm64-cross gcc-aarch64-linux-gnu qemu-user-static; do
    dpkg -s "$p" >/dev/null 2>&1 || packages+=("$p")
done
if [ ${#packages[@]} -gt 0 ]; then
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    echo "arm64 kernels: installing ${packages[*]}"
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq "${packages[@]}" >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/sdk/sys"
printf '%s\n' '#include <stddef.h>' \
    'int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);' \
    > "$work/sdk/sys/sysctl.h"

flags=(-Wall -Wextra -Werror -ISources/CKernels/include)
cross=(-isystem /usr/aarch64-linux-gnu/include)
for f in Sources/CKernels/*.c; do
    clang --target=aarch64-linux-gnu -fsyntax-only "${flags[@]}" "${cross[@]}" "$f"
    # Darwin's clang predefines __nonnull and __nullable as nullability keywords; glibc's headers use them
    # as macros of their own.
    clang --target=arm64-apple-macos15 -U__nonnull -U__nullable -fsyntax-only "${flags[@]}" -isystem "$work/sdk" \
        "${cross[@]}" "$f"
done
echo "arm64 kernels: every C file compiles for aarch64-linux-gnu and arm64-apple-macos15"

clang --target=aarch64-linux-gnu -O2 -static -fuse-ld=lld "${flags[@]}" -ISources/CKernels Sources/CKernels/*.c \
    Tests/CKernelsC/kernels_test.c -lm -lpthread -o "$work/kernels_test"

run() {
    local cpu=$1
    shift
    echo "arm64 kernels: qemu-aarch64-static -cpu $cpu"
    qemu-aarch64-static -cpu "$cpu" "$work/kernels_test" "$@"
}
run max --features asimd,asimddp,i8mm,bf16 --int8 neon-i8mm --bf16 neon-bf16
run neoverse-n1 --features asimd,asimddp --int8 neon-dotprod --bf16 fp32-widened
run cortex-a72 --features asimd --int8 neon --bf16 fp32-widened
echo "arm64 kernels: all passed"
