"""Quality of `descent train --learning-rate auto` against a grid of rates (issues #9 and #21).

For each data set: train the MLP (--hidden 32 --optimizer adam --validation-fraction 0.2, by default
--epochs 30 --batch-size 32) at each rate of the 13-point log grid 1e-5, 3.16e-5, ..., 10 (half-decade
steps), each with --schedule cosine, for seeds 0, 1, 2; the grid's best rate is the one with the
lowest mean final validation loss over the seeds. Then run --learning-rate auto for the same seeds.
Auto's loss is that of the weights it keeps (`kept_validation_loss`: with its race it keeps the best
epoch); a grid run keeps its last epoch. Prints, per data set: the grid-best rate and mean loss, auto's
rates and mean loss, the ratio auto / grid-best, whether auto <= 1.10 x grid-best + 0.01 x the trivial
predictor's validation loss (class frequencies or the mean: `trivial_validation_loss`), and auto's
time as a fraction of the grid's, both in wall time and in CPU time (user + system of the child
processes, steadier on a shared machine); target at most 0.20. The last line is JSON with every number.

A run that fails (diverges past the guard, exit 1) counts as an infinite loss for its rate.

    python3 benchmarks/auto_lr.py --descent .build/release/descent
    python3 benchmarks/auto_lr.py --descent ... --dataset iris --csv wine=/tmp/wine.csv --epochs 5 --batch-size 512
    python3 benchmarks/auto_lr.py --descent ... --grid-cache /tmp/grid.json   # reuse grid results (and their times)
"""

import argparse
import json
import math
import resource
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

GRID = [10 ** (-5 + 0.5 * k) for k in range(13)]
SEEDS = [0, 1, 2]


def common(arguments):
    return ["--hidden", "32", "--epochs", str(arguments.epochs), "--batch-size", str(arguments.batch_size),
            "--optimizer", "adam", "--validation-fraction", "0.2", "--json"]


def run(descent, source, settings, seed, rate, extra=()):
    """Trains once; returns (kept validation loss, learning_rate, summary)."""
    command = [descent, "train", *source, *settings, "--seed", str(seed), "--learning-rate", rate, *extra]
    completed = subprocess.run(command, capture_output=True, text=True)
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if completed.returncode != 0 or not lines:
        return math.inf, None, None
    summary = json.loads(lines[-1])
    loss = summary.get("kept_validation_loss")
    if loss is None:
        epochs = summary.get("epochs") or []
        loss = epochs[-1].get("validation_loss") if epochs else None
    loss = math.inf if loss is None else float(loss)
    return loss, summary.get("learning_rate"), summary


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def grid(descent, source, settings, jobs):
    started, cpu = time.perf_counter(), cpu_seconds()
    tasks = [(rate, seed) for rate in GRID for seed in SEEDS]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(lambda task: run(descent, source, settings, task[1], repr(task[0]), ["--schedule", "cosine"]), tasks))
    means = []
    for index, rate in enumerate(GRID):
        losses = [result[0] for result in results[index * len(SEEDS):(index + 1) * len(SEEDS)]]
        means.append(statistics.fmean(losses) if all(math.isfinite(x) for x in losses) else math.inf)
    trivial = [summary.get("trivial_validation_loss") for _, _, summary in results if summary]
    trivial = [value for value in trivial if value is not None]
    return {"rates": GRID, "mean_losses": means, "seconds": time.perf_counter() - started, "cpu_seconds": cpu_seconds() - cpu,
            "trivial_loss": statistics.fmean(trivial) if trivial else None}


def automatic(descent, source, settings, extra, jobs):
    started, cpu = time.perf_counter(), cpu_seconds()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(lambda seed: run(descent, source, settings, seed, "auto", extra), SEEDS))
    losses = [result[0] for result in results]
    rates = [result[1] for result in results]
    summaries = [result[2] or {} for result in results]
    mean = statistics.fmean(losses) if all(math.isfinite(x) for x in losses) else math.inf
    trivial = [summary.get("trivial_validation_loss") for summary in summaries if summary.get("trivial_validation_loss") is not None]
    choices = [summary.get("automatic_learning_rate") or {} for summary in summaries]
    return {"rates": rates, "losses": losses, "mean_loss": mean, "seconds": time.perf_counter() - started,
            "cpu_seconds": cpu_seconds() - cpu, "rules": [choice.get("rule", "") for choice in choices],
            "sources": [choice.get("source") for choice in choices],
            "range_test_rates": [choice.get("range_test_rate") for choice in choices],
            "trivial_loss": statistics.fmean(trivial) if trivial else None}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--descent", required=True)
    parser.add_argument("--grid-descent", help="the binary for the grid runs (default: --descent)")
    parser.add_argument("--dataset", action="append", help="bundled data set (repeatable); default digits, iris, diabetes")
    parser.add_argument("--csv", action="append", default=[], help="NAME=PATH of an extra CSV data set (repeatable)")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--jobs", type=int, default=1, help="runs at a time (grid and auto alike)")
    parser.add_argument("--grid-cache", help="JSON file of grid results to reuse (the cached grid's times are used)")
    parser.add_argument("--auto-args", default="", help="extra arguments for the auto runs (space-separated)")
    parser.add_argument("--grid-only", action="store_true", help="only fill --grid-cache (no auto runs, no table)")
    arguments = parser.parse_args()
    settings = common(arguments)
    variant = f"e{arguments.epochs}b{arguments.batch_size}"

    sources = [(name, ["--dataset", name]) for name in (arguments.dataset or ([] if arguments.csv else ["digits", "iris", "diabetes"]))]
    sources += [(item.split("=", 1)[0], ["--csv", item.split("=", 1)[1]]) for item in arguments.csv]
    cache = {}
    if arguments.grid_cache:
        try:
            with open(arguments.grid_cache) as handle:
                cache = json.load(handle)
        except FileNotFoundError:
            cache = {}

    rows = []
    print(f"variant: --epochs {arguments.epochs} --batch-size {arguments.batch_size}")
    print(f"{'data set':<14} {'grid best':>9} {'grid loss':>10} {'auto rates':>29} {'auto loss':>10} "
          f"{'ratio':>6} {'target':>8} {'ok':>3} {'wall':>6} {'cpu':>6}")
    for name, source in sources:
        key = f"{name}|{variant}"
        cached = key in cache
        result = cache[key] if cached else grid(arguments.grid_descent or arguments.descent, source, settings, arguments.jobs)
        if arguments.grid_cache and not cached:
            cache[key] = result
            with open(arguments.grid_cache, "w") as handle:
                json.dump(cache, handle)
        if arguments.grid_only:
            print(name, " ".join(f"{loss:.4g}" for loss in result["mean_losses"]), f"{result['seconds']:.1f}s", flush=True)
            continue
        auto = automatic(arguments.descent, source, settings, arguments.auto_args.split(), arguments.jobs)
        best = min(range(len(GRID)), key=lambda index: result["mean_losses"][index])
        best_loss = result["mean_losses"][best]
        trivial = auto["trivial_loss"] if auto["trivial_loss"] is not None else result.get("trivial_loss")
        target = 1.10 * best_loss + 0.01 * (trivial if trivial is not None else 1.0)
        ratio = auto["mean_loss"] / best_loss if best_loss > 0 else math.inf
        wall = auto["seconds"] / result["seconds"]
        cpu = auto["cpu_seconds"] / result["cpu_seconds"] if result.get("cpu_seconds") else None
        rates = ",".join("-" if rate is None else f"{rate:.2e}" for rate in auto["rates"])
        fraction = cpu if cpu is not None else wall
        ok = auto["mean_loss"] <= target and fraction <= 0.20
        print(f"{name:<14} {GRID[best]:>9.2e} {best_loss:>10.4g} {rates:>29} {auto['mean_loss']:>10.4g} "
              f"{ratio:>6.3f} {target:>8.4g} {'yes' if ok else 'NO':>3} {wall:>6.3f} "
              f"{'-' if cpu is None else f'{cpu:.3f}':>6}{' (cached grid)' if cached else ''}", flush=True)
        rows.append({"dataset": name, "variant": variant, "grid_best_rate": GRID[best], "grid_best_loss": best_loss,
                     "grid_mean_losses": result["mean_losses"], "grid_seconds": result["seconds"],
                     "grid_cpu_seconds": result.get("cpu_seconds"), "trivial_loss": trivial,
                     "auto_rates": auto["rates"], "auto_range_test_rates": auto["range_test_rates"], "auto_sources": auto["sources"],
                     "auto_losses": auto["losses"], "auto_mean_loss": auto["mean_loss"], "auto_seconds": auto["seconds"],
                     "auto_cpu_seconds": auto["cpu_seconds"], "ratio": ratio, "target": target, "time_fraction": wall,
                     "cpu_fraction": cpu, "grid_cached": cached, "meets_target": ok})

    def finite(value):
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if isinstance(value, list):
            return [finite(item) for item in value]
        if isinstance(value, dict):
            return {key: finite(item) for key, item in value.items()}
        return value
    print(json.dumps({"benchmark": "auto_lr", "variant": variant, "rows": finite(rows)}))


if __name__ == "__main__":
    main()
