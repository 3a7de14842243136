#!/usr/bin/env python3
"""Seconds per step of PyTorch's Adam on CPU over one tensor of N parameters.

Uses the fused CPU kernel (torch.optim.Adam(..., fused=True)) when this torch has it,
foreach otherwise. Prints a line of text and, last, {"seconds_per_step": ..., "implementation": ...}.
    python benchmarks/adam.py --params 10000000 --threads 2
"""
import argparse
import json
import time

import torch


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--params", type=int, default=10_000_000)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    generator = torch.Generator().manual_seed(42)
    p = torch.nn.Parameter(torch.randn(args.params, generator=generator))
    p.grad = torch.randn(args.params, generator=generator)
    try:
        optimizer = torch.optim.Adam([p], lr=1e-3, fused=True)
        optimizer.step()
        implementation = "fused"
    except (RuntimeError, TypeError):
        optimizer = torch.optim.Adam([p], lr=1e-3, foreach=True)
        implementation = "foreach"
    for _ in range(3):
        optimizer.step()
    times = []
    for _ in range(args.steps):
        start = time.perf_counter()
        optimizer.step()
        times.append(time.perf_counter() - start)
    times.sort()
    median = times[len(times) // 2]
    print(f"PyTorch {torch.__version__} Adam ({implementation}) over {args.params} parameters, "
          f"{args.threads} threads: median {median * 1000:.3f} ms/step (min {times[0] * 1000:.3f} ms)")
    print(json.dumps({"seconds_per_step": median, "implementation": implementation}))


if __name__ == "__main__":
    main()
