#!/bin/sh
# Builds Descent in release mode, then compares `descent bench gemm` with NumPy's
# float32 matmul (OpenBLAS) in one run. Arguments go to gemm.py, e.g.
#   benchmarks/gemm.sh --sizes 256,512,1024 --threads 2 --rounds 3
set -eu
cd "$(dirname "$0")/.."
swift build -c release --product descent
exec python3 benchmarks/gemm.py "$@"
