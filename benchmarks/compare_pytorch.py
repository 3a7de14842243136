#!/usr/bin/env python3
"""Training speed of Descent against PyTorch on CPU, the same workloads in the same run.

    benchmarks/compare_pytorch.py [--rounds 3] [--epochs 5] [--threads 2] [--workloads mlp-digits,...]
    PYTHON=/work/venv/bin/python benchmarks/compare_pytorch.py   (any Python with torch)

Builds `descent` in release (`swift build -c release --product descent`, unless --no-build), then,
round by round, runs each workload in PyTorch (in this process) and `descent bench train --workload W
--json` (a child process) one after the other, so both see the same machine load. Both use the same
thread count (torch.set_num_threads and `--threads`, 2 by default: this machine's cores); PyTorch runs
with OMP_WAIT_POLICY=PASSIVE unless the environment sets it (spinning OpenMP workers starve each other
on a loaded machine).

Workloads (identical definitions on both sides; softmax cross-entropy, Adam lr 1e-3, reshuffled each epoch):
  mlp-mnist   784-256-10 MLP with ReLU, batch 128, 60,000 synthetic rows (Gaussian features, uniform labels)
  mlp-digits  64-32-10 MLP with ReLU, batch 32, the 1,797 bundled digits (pixels / 16)
  cnn-digits  conv(1->16,3x3,pad 1)-ReLU-maxpool 2-conv(16->32,3x3,pad 1)-ReLU-maxpool 2-flatten-linear(128->10),
              batch 64, the digits as 1x8x8
Each side: one warm-up epoch, then --epochs timed epochs; the median epoch counts. PyTorch's loop is the
idiomatic fast one: a randperm of the rows, index the feature tensor, zero_grad(set_to_none), forward,
cross_entropy, backward, step, and loss.item() each step (Descent's loop reads the loss each step too).

Also the Adam step over 10 million parameters: benchmarks/adam.py (PyTorch's fused CPU Adam) against
`descent bench adam` with its default finite-gradient check on.

Ratio = Descent samples/s / PyTorch samples/s (above 1: Descent is faster); for Adam, PyTorch's
ms/step / Descent's. Per workload the median over rounds counts. The last line is JSON with every number.
"""
import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import time

# PyTorch's OpenMP threads spin while they wait for work; on a machine that other processes keep busy
# that spinning takes the cores from the thread doing the work (mlp-digits ran 30x slower with 2 threads
# here). Passive waiting is PyTorch's own setting for shared machines; set it unless the caller chose.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DESCENT = os.path.join(ROOT, ".build", "release", "descent")
TARGETS = {"mlp-digits": 4.0, "mlp-mnist": 1.5, "cnn-digits": 1.5, "adam-10M": 1.0}
BATCH = {"mlp-mnist": 128, "mlp-digits": 32, "cnn-digits": 64}


def digits():
    path = os.path.join(ROOT, "Sources", "DescentData", "Resources", "digits.csv")
    with open(path) as f:
        rows = list(csv.reader(f))[1:]
    x = torch.tensor([[float(v) for v in r[:-1]] for r in rows], dtype=torch.float32) / 16
    y = torch.tensor([int(float(r[-1])) for r in rows], dtype=torch.long)
    return x, y


def workload(name):
    torch.manual_seed(0)
    if name == "mlp-mnist":
        g = torch.Generator().manual_seed(1)
        x = torch.randn(60_000, 784, generator=g)
        y = torch.randint(0, 10, (60_000,), generator=g)
        model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    elif name == "mlp-digits":
        x, y = digits()
        model = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
    else:
        x, y = digits()
        x = x.reshape(-1, 1, 8, 8).contiguous()
        model = torch.nn.Sequential(
            torch.nn.Conv2d(1, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Flatten(), torch.nn.Linear(128, 10))
    return x, y, model


def torch_seconds_per_epoch(name, epochs):
    x, y, model = workload(name)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    batch = BATCH[name]
    n = x.shape[0]
    times, cpu = [], []
    for epoch in range(epochs + 1):
        start, cpu_start = time.perf_counter(), time.process_time()
        order = torch.randperm(n)
        total = 0.0
        for i in range(0, n, batch):
            index = order[i:i + batch]
            optimizer.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x[index]), y[index])
            loss.backward()
            optimizer.step()
            total += loss.item()
        if epoch > 0:
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - cpu_start)
    return statistics.median(times), statistics.median(cpu)


def descent_seconds_per_epoch(name, epochs, threads):
    out = subprocess.run([DESCENT, "bench", "train", "--workload", name, "--epochs", str(epochs),
                          "--threads", str(threads), "--json"], check=True, capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return result["seconds_per_epoch"], result["cpu_seconds_per_epoch"]


def adam(threads, python):
    t = json.loads(subprocess.run([python, os.path.join(ROOT, "benchmarks", "adam.py"), "--params", "10000000",
                                   "--threads", str(threads)], check=True, capture_output=True,
                                  text=True).stdout.strip().splitlines()[-1])["seconds_per_step"]
    d = json.loads(subprocess.run([DESCENT, "bench", "adam", "--params", "10000000", "--threads", str(threads), "--json"],
                                  check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])["seconds_per_step"]
    return t, d


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workloads", default="mlp-digits,mlp-mnist,cnn-digits,adam-10M")
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    names = [w for w in args.workloads.split(",") if w]
    for w in names:
        if w not in TARGETS:
            sys.exit(f"unknown workload {w!r}; known: {', '.join(TARGETS)}")
    if not args.no_build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "descent"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    torch.set_num_threads(args.threads)
    print(f"PyTorch {torch.__version__} with torch.set_num_threads({args.threads}), "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY')}; "
          f"descent bench train/adam --threads {args.threads}; {args.rounds} rounds, interleaved")
    results = {w: {"torch": [], "descent": [], "torch_cpu": [], "descent_cpu": []} for w in names}
    for round_index in range(args.rounds):
        for w in names:
            if w == "adam-10M":
                t, d = adam(args.threads, sys.executable)
                tc = dc = None
            else:
                t, tc = torch_seconds_per_epoch(w, args.epochs)
                d, dc = descent_seconds_per_epoch(w, args.epochs, args.threads)
                results[w]["torch_cpu"].append(tc)
                results[w]["descent_cpu"].append(dc)
            results[w]["torch"].append(t)
            results[w]["descent"].append(d)
            print(f"  round {round_index + 1} {w:11s} PyTorch {t * 1000:9.3f} ms   Descent {d * 1000:9.3f} ms   "
                  f"ratio {t / d:5.2f}" + (f"   (CPU time ratio {tc / dc:5.2f})" if tc else ""), flush=True)
    print()
    print("ratio = PyTorch time / Descent time (wall clock, median over rounds; above 1: Descent is faster).")
    print("cpu ratio = the same with process CPU time (all threads), steadier when other processes load the machine.")
    print(f"{'workload':12s} {'PyTorch':>14s} {'Descent':>14s} {'ratio':>7s} {'target':>7s}  met  {'cpu ratio':>9s}")
    summary = []
    for w in names:
        t, d = statistics.median(results[w]["torch"]), statistics.median(results[w]["descent"])
        ratio = t / d
        met = ratio >= TARGETS[w]
        cpu_ratio = None
        if w == "adam-10M":
            ts, ds = f"{t * 1000:.2f} ms/step", f"{d * 1000:.2f} ms/step"
        else:
            n = 60_000 if w == "mlp-mnist" else 1797
            ts, ds = f"{n / t / 1000:.1f}k samp/s", f"{n / d / 1000:.1f}k samp/s"
            cpu_ratio = statistics.median(results[w]["torch_cpu"]) / statistics.median(results[w]["descent_cpu"])
        print(f"{w:12s} {ts:>14s} {ds:>14s} {ratio:6.2f}x {TARGETS[w]:6.1f}x  {'yes' if met else 'NO ':3s}  "
              + (f"{cpu_ratio:8.2f}x" if cpu_ratio else f"{'':9s}"))
        summary.append({"workload": w, "torch_seconds": t, "descent_seconds": d, "ratio": ratio,
                        "target": TARGETS[w], "met": met, "cpu_ratio": cpu_ratio})
    print(json.dumps({"threads": args.threads, "rounds": args.rounds, "torch": torch.__version__, "results": summary}))


if __name__ == "__main__":
    main()
