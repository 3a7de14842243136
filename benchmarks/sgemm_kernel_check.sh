#!/bin/sh
# Checks the C sgemm micro-kernels natively and, when the cross tools are installed, on arm64
# under QEMU (Debian: apt-get install qemu-user-static libc6-dev-arm64-cross libgcc-12-dev-arm64-cross).
set -eu
cd "$(dirname "$0")/.."
SRC=Sources/CDescentKernels
DISPATCH=Sources/CDescentDispatch
CC="${CC:-$(dirname "$(command -v swift)")/clang}"
OUT="${TMPDIR:-/tmp}/descent-sgemm-check"
mkdir -p "$OUT"
"$CC" -O2 -I"$SRC/include" -I"$DISPATCH/include" benchmarks/sgemm_kernel_check.c "$SRC"/sgemm_microkernels.c "$SRC"/sgemm_pack.c "$SRC"/threading/sync.c "$DISPATCH"/isa_level.c -o "$OUT/native" -lm
echo "native:"; "$OUT/native"
if command -v qemu-aarch64-static >/dev/null && [ -d /usr/aarch64-linux-gnu ]; then
    GCCLIB=$(ls -d /usr/lib/gcc-cross/aarch64-linux-gnu/* | tail -1)
    "$CC" --target=aarch64-linux-gnu --sysroot=/usr/aarch64-linux-gnu -isystem /usr/aarch64-linux-gnu/include \
        -B"$GCCLIB" -L"$GCCLIB" -fuse-ld=lld -O2 -static -I"$SRC/include" -I"$DISPATCH/include" benchmarks/sgemm_kernel_check.c \
        "$SRC"/sgemm_microkernels.c "$SRC"/sgemm_pack.c "$SRC"/threading/sync.c "$DISPATCH"/isa_level.c -o "$OUT/arm64" -lm
    echo "arm64 (qemu):"; qemu-aarch64-static "$OUT/arm64"
else
    echo "arm64: skipped (no qemu-aarch64-static / arm64 sysroot)"
fi
