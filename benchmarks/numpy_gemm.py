"""Times NumPy's float32 `a @ b` for n×n matrices; prints one JSON line.

Usage: python3 numpy_gemm.py --sizes 256,512,1024 --threads 2

Run by gemm.py in a fresh process per environment, because OpenBLAS reads
OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE once, when NumPy is imported.
Timing matches `descent bench gemm`: two warm-up products, then the best of
as many repeats as fit in about a second (at least 5).
"""
import argparse
import json
import os
import time

parser = argparse.ArgumentParser()
parser.add_argument("--sizes", default="256,512,1024")
parser.add_argument("--threads", type=int, default=2)
arguments = parser.parse_args()

# Fallback thread limits for when threadpoolctl is missing; must precede the import.
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, str(arguments.threads))

import numpy as np  # noqa: E402

try:
    from threadpoolctl import threadpool_info, threadpool_limits
except ImportError:  # pragma: no cover - reported in the output
    threadpool_info = threadpool_limits = None


def blas_description():
    if threadpool_info is None:
        return {"library": "unknown (pip install threadpoolctl to see the kernel)"}
    for pool in threadpool_info():
        if pool.get("user_api") == "blas":
            return {"library": pool.get("internal_api"), "version": pool.get("version"),
                    "kernel": pool.get("architecture"), "threads": pool.get("num_threads")}
    return {"library": "none found"}


def best_seconds(n):
    rng = np.random.default_rng(42)
    a = rng.uniform(-1, 1, (n, n)).astype(np.float32)
    b = rng.uniform(-1, 1, (n, n)).astype(np.float32)
    c = np.empty((n, n), dtype=np.float32)
    total = 0.0
    for _ in range(2):
        start = time.perf_counter()
        np.matmul(a, b, out=c)
        total += time.perf_counter() - start
    count = max(5, min(200, int(1.0 / max(total / 2, 1e-6))))
    best = float("inf")
    for _ in range(count):
        start = time.perf_counter()
        np.matmul(a, b, out=c)
        best = min(best, time.perf_counter() - start)
    return best


def main():
    sizes = [int(part) for part in arguments.sizes.split(",")]
    limits = threadpool_limits(limits=arguments.threads, user_api="blas") if threadpool_limits else None
    results = []
    for n in sizes:
        seconds = best_seconds(n)
        results.append({"n": n, "gflops": 2 * n ** 3 / seconds / 1e9, "seconds": seconds})
    blas = blas_description()
    if limits is not None:
        limits.restore_original_limits()
    print(json.dumps({"numpy": np.__version__, "blas": blas,
                      "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
                      "OPENBLAS_L2_SIZE": os.environ.get("OPENBLAS_L2_SIZE"),
                      "gemm": results}))


main()
