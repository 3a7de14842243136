"""Quality of `descent train --learning-rate auto` against a grid of rates (issue #9's protocol).

For each data set: train the MLP (--hidden 32 --epochs 30 --batch-size 32 --optimizer adam
--validation-fraction 0.2) at each rate of the 13-point log grid 1e-5, 3.16e-5, ..., 1 (half-decade
steps), each with --schedule cosine, for seeds 0, 1, 2; the grid's best rate is the one with the
lowest mean final validation loss over the seeds. Then run --learning-rate auto for the same
seeds. Prints, per data set: the grid-best rate and mean loss, auto's rates and mean loss, the
ratio auto / grid-best, whether auto <= 1.10 x grid-best + 0.01 (the target), and auto's wall time
as a fraction of the grid's (target: at most 0.20). The last line is JSON with every number.

A run that fails (diverges past the guard, exit 1) counts as an infinite loss for its rate.

    python3 benchmarks/auto_lr.py --descent .build/release/descent
    python3 benchmarks/auto_lr.py --descent ... --dataset iris --csv wine=/tmp/wine.csv
    python3 benchmarks/auto_lr.py --descent ... --grid-cache /tmp/grid.json   # reuse grid results (no timing)
"""

import argparse
import json
import math
import statistics
import subprocess
import sys
import time

GRID = [10 ** (-5 + 0.5 * k) for k in range(13)]
SEEDS = [0, 1, 2]
COMMON = ["--hidden", "32", "--epochs", "30", "--batch-size", "32", "--optimizer", "adam",
          "--validation-fraction", "0.2", "--json"]


def run(descent, source, seed, rate, extra=()):
    """Trains once; returns (final validation loss, learning_rate from the summary, summary)."""
    command = [descent, "train", *source, *COMMON, "--seed", str(seed), "--learning-rate", rate, *extra]
    completed = subprocess.run(command, capture_output=True, text=True)
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if completed.returncode != 0 or not lines:
        return math.inf, None, None
    summary = json.loads(lines[-1])
    epochs = summary.get("epochs") or []
    loss = epochs[-1].get("validation_loss") if epochs else None
    loss = math.inf if loss is None else float(loss)
    return loss, summary.get("learning_rate"), summary


def grid(descent, source):
    started = time.perf_counter()
    means = []
    for rate in GRID:
        losses = [run(descent, source, seed, repr(rate), ["--schedule", "cosine"])[0] for seed in SEEDS]
        means.append(statistics.fmean(losses) if all(math.isfinite(x) for x in losses) else math.inf)
    return {"rates": GRID, "mean_losses": means, "seconds": time.perf_counter() - started}


def automatic(descent, source, extra):
    started = time.perf_counter()
    losses, rates, notes = [], [], []
    for seed in SEEDS:
        loss, rate, summary = run(descent, source, seed, "auto", extra)
        losses.append(loss)
        rates.append(rate)
        choice = (summary or {}).get("automatic_learning_rate") or {}
        notes.append(choice.get("rule", ""))
    mean = statistics.fmean(losses) if all(math.isfinite(x) for x in losses) else math.inf
    return {"rates": rates, "losses": losses, "mean_loss": mean, "seconds": time.perf_counter() - started, "rules": notes}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--descent", required=True)
    parser.add_argument("--dataset", action="append", help="bundled data set (repeatable); default digits, iris, diabetes")
    parser.add_argument("--csv", action="append", default=[], help="NAME=PATH of an extra CSV data set (repeatable)")
    parser.add_argument("--grid-cache", help="JSON file of grid results to reuse (its time fraction is then not measured)")
    parser.add_argument("--auto-args", default="", help="extra arguments for the auto runs (space-separated)")
    parser.add_argument("--grid-only", action="store_true", help="only fill --grid-cache (no auto runs, no table)")
    arguments = parser.parse_args()

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
    print(f"{'data set':<14} {'grid best':>9} {'grid loss':>10} {'auto rates':>29} {'auto loss':>10} "
          f"{'ratio':>6} {'target':>7} {'ok':>3} {'time':>6}")
    for name, source in sources:
        cached = name in cache
        result = cache[name] if cached else grid(arguments.descent, source)
        if arguments.grid_cache and not cached:
            cache[name] = result
            with open(arguments.grid_cache, "w") as handle:
                json.dump(cache, handle)
        if arguments.grid_only:
            print(name, " ".join(f"{loss:.4g}" for loss in result["mean_losses"]), f"{result['seconds']:.1f}s")
            continue
        auto = automatic(arguments.descent, source, arguments.auto_args.split())
        best = min(range(len(GRID)), key=lambda index: result["mean_losses"][index])
        best_loss = result["mean_losses"][best]
        target = 1.10 * best_loss + 0.01
        ratio = auto["mean_loss"] / best_loss if best_loss > 0 else math.inf
        fraction = None if cached else auto["seconds"] / result["seconds"]
        rates = ",".join("-" if rate is None else f"{rate:.2e}" for rate in auto["rates"])
        ok = auto["mean_loss"] <= target and (fraction is None or fraction <= 0.20)
        print(f"{name:<14} {GRID[best]:>9.2e} {best_loss:>10.4f} {rates:>29} {auto['mean_loss']:>10.4f} "
              f"{ratio:>6.3f} {target:>7.4f} {'yes' if ok else 'NO':>3} "
              f"{'cached' if fraction is None else f'{fraction:.3f}':>6}")
        sys.stdout.flush()
        rows.append({"dataset": name, "grid_best_rate": GRID[best], "grid_best_loss": best_loss,
                     "grid_mean_losses": result["mean_losses"], "grid_seconds": result["seconds"],
                     "auto_rates": auto["rates"], "auto_losses": auto["losses"], "auto_mean_loss": auto["mean_loss"],
                     "auto_seconds": auto["seconds"], "ratio": ratio, "target": target, "time_fraction": fraction,
                     "meets_target": ok})
    def finite(value):
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if isinstance(value, list):
            return [finite(item) for item in value]
        if isinstance(value, dict):
            return {key: finite(item) for key, item in value.items()}
        return value
    print(json.dumps({"benchmark": "auto_lr", "rows": finite(rows)}))


if __name__ == "__main__":
    main()
