#!/usr/bin/env python3
"""PyTorch DDP (gloo) on the mlp-mnist workload of `descent bench train`: weak scaling.

    benchmarks/ddp_gloo.py --processes 2 [--epochs 3]

Each process: one thread (torch.set_num_threads(1)), the 784-256-10 MLP, Adam 1e-3, batch 128 of
its shard of 60,000 synthetic rows (DistributedSampler-style: every global batch is processes x 128);
gradients averaged by DDP's all-reduce over gloo (TCP on loopback). Prints the job's samples per
second (60,000 / median epoch time of rank 0, first epoch left out as warm-up) as JSON.
--processes 1 runs the same loop without DDP.
"""
import argparse
import json
import os
import statistics
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn.functional as F


def worker(rank, processes, epochs, port, queue):
    torch.set_num_threads(1)
    if processes > 1:
        os.environ["MASTER_ADDR"] = "127.0.0.1"
        os.environ["MASTER_PORT"] = str(port)
        dist.init_process_group("gloo", rank=rank, world_size=processes)
    g = torch.Generator().manual_seed(1)
    x = torch.randn(60_000, 784, generator=g)
    y = torch.randint(0, 10, (60_000,), generator=g)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    if processes > 1:
        model = torch.nn.parallel.DistributedDataParallel(model)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    batch, n = 128, x.shape[0]
    times, cpu = [], []
    for epoch in range(epochs + 1):
        if processes > 1:
            dist.barrier()
        start, cpu_start = time.perf_counter(), time.process_time()
        order = torch.randperm(n, generator=torch.Generator().manual_seed(epoch))
        global_batch = batch * processes
        for i in range(0, n, global_batch):
            chunk = order[i:i + global_batch]
            index = chunk[rank * len(chunk) // processes:(rank + 1) * len(chunk) // processes]
            optimizer.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x[index]), y[index])
            loss.backward()
            optimizer.step()
        if epoch > 0:
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - cpu_start)
    if rank == 0:
        median = statistics.median(times)
        queue.put({"processes": processes, "seconds_per_epoch": median, "samples_per_second": n / median,
                   "cpu_seconds_per_epoch": statistics.median(cpu), "torch": torch.__version__})
    if processes > 1:
        dist.destroy_process_group()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--port", type=int, default=29517)
    args = parser.parse_args()
    context = mp.get_context("spawn")
    queue = context.Queue()
    if args.processes == 1:
        worker(0, 1, args.epochs, args.port, queue)
    else:
        mp.spawn(worker, args=(args.processes, args.epochs, args.port, queue), nprocs=args.processes, join=True)
    print(json.dumps(queue.get()))


if __name__ == "__main__":
    main()
