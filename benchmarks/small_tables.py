"""descent on small raw tables (≈ 20–1,000 rows) against scikit-learn, seeds 0–4, one setting at a time.

    python benchmarks/small_tables.py DESCENT DATA_DIR SEEDS LABEL [--extra "ARGS"] [--ensemble K] FILES...

Each file and seed: the 80/20 split of benchmarks/raw_tables_compare.py (the same rows for all three), then
`descent train --csv TRAIN --target T --seed S --json --save-weights M` plus ARGS, `descent predict
--probabilities` on the held-out rows; with --ensemble K, K runs (seeds S, S+1000, …) on the same rows whose
predictions (class probabilities) are averaged. References: HistGradientBoosting and the linear model of
raw_tables_compare.py on the same rows (cached per file and seed in DATA_DIR/.references.json). Prints one JSON line
per run (metric, validation rows, epochs, chosen rate, best epoch), then a table of means.
"""
import argparse, json, subprocess, sys, tempfile, time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
import raw_tables_compare as base  # noqa: E402

# Small tables this session added (held out: not tuned on) and tables of session 20 (not in raw_tables_compare).
base.CASES.update({
    "births14.csv": ("habit", "classification", {}, False),
    "CreditCard.csv": ("card", "classification", {}, False),
    "mtcars.csv": ("mpg", "regression", {}, False),
    "swiss.csv": ("Fertility", "regression", {}, False),
    "birthwt.csv": ("low", "classification", {}, False),
    "Cars93.csv": ("Price", "regression", {}, False),
    "Carseats.csv": ("Sales", "regression", {}, False),
    "cats.csv": ("Sex", "classification", {}, False),
    "Auto.csv": ("mpg", "regression", {}, False),
    "ChickWeight.csv": ("weight", "regression", {}, False),
})


def descent_run(descent, train_path, test_path, target, seed, extra, work, tag, probabilities):
    model = Path(work) / f"{tag}.safetensors"
    started = time.time()
    trained = subprocess.run([descent, "train", "--csv", str(train_path), "--target", target, "--seed", str(seed), "--json",
                              "--save-weights", str(model)] + extra, capture_output=True, text=True)
    seconds = time.time() - started
    lines = trained.stdout.strip().splitlines()
    summary = json.loads(lines[-1]) if lines else {}
    if trained.returncode != 0:
        raise RuntimeError((trained.stderr.strip().splitlines() or ["?"])[-1][:300])
    out = Path(work) / f"{tag}.predictions.csv"
    predicted = subprocess.run([descent, "predict", "--model", str(model), "--csv", str(test_path), "--out", str(out)]
                               + (["--probabilities"] if probabilities else []), capture_output=True, text=True)
    if predicted.returncode != 0:
        raise RuntimeError(predicted.stderr.strip()[-300:])
    return pd.read_csv(out, keep_default_na=False), summary, seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("descent"); parser.add_argument("data"); parser.add_argument("seeds"); parser.add_argument("label")
    parser.add_argument("--extra", default=""); parser.add_argument("--ensemble", type=int, default=1)
    parser.add_argument("--refit", action="store_true",
                        help="simulate a refit: train again on all rows (--validation-fraction 0) at the chosen rate for the kept epochs")
    parser.add_argument("--split-seed", type=int, default=None,
                        help="fix the 80/20 split at this seed while SEEDS vary descent's own seed (its validation part, "
                             "initial weights, rate) alone")
    parser.add_argument("files", nargs="+")
    options = parser.parse_args()
    seeds = [int(s) for s in options.seeds.split(",")]
    cache_path = Path(options.data) / ".references.json"
    cache = json.loads(cache_path.read_text()) if cache_path.exists() else {}
    results = []
    with tempfile.TemporaryDirectory() as work:
        for name in options.files:
            target, task, read, dayfirst = base.CASES[name]
            for seed in seeds:
                split_seed = seed if options.split_seed is None else options.split_seed
                train_path, test_path = base.split_file(Path(options.data) / name, split_seed, work)
                read_options = dict(read, keep_default_na=True, na_values=["NA", ""])
                read_options.setdefault("encoding", "utf-8-sig")
                train = base.prepare(pd.read_csv(train_path, **read_options), target, dayfirst)
                test = base.prepare(pd.read_csv(test_path, **read_options), target, dayfirst)
                keep = test[target].notna() & (test[target].astype(str) != "nan")
                key = f"{name}:{split_seed}"
                if key not in cache:
                  try:
                    hgb, linear, truth = base.references(train[train[target].notna()], test[keep], target, task, seed)
                    if task == "classification":
                        truth = truth.astype(str).str.replace(r"\.0$", "", regex=True)
                        hgb = pd.Series(hgb).astype(str).str.replace(r"\.0$", "", regex=True)
                        linear = pd.Series(linear).astype(str).str.replace(r"\.0$", "", regex=True)
                    cache[key] = {"hgb": base.metric(task, truth, hgb)[0], "linear": base.metric(task, truth, linear)[0]}
                  except Exception as error:   # a reference that cannot read the table is left out, not fatal
                    cache[key] = {"hgb": None, "linear": None, "reference_error": str(error)[:200]}
                    cache_path.write_text(json.dumps(cache))
                result = {"label": options.label, "file": name, "seed": seed, "split_seed": split_seed, **cache[key]}
                try:
                    frames, summaries, seconds = [], [], 0.0
                    for member in range(options.ensemble):
                        frame, summary, took = descent_run(options.descent, train_path, test_path, target, seed + 1000 * member,
                                                           options.extra.split(), work, f"{name}.{seed}.{member}", task == "classification")
                        if options.refit:
                            refit = ["--validation-fraction", "0", "--learning-rate", repr(summary["learning_rate"]),
                                     "--epochs", str(max(1, summary.get("kept_epoch") or 20))]
                            frame, _, again = descent_run(options.descent, train_path, test_path, target, seed + 1000 * member,
                                                          options.extra.split() + refit, work, f"{name}.{seed}.{member}.refit",
                                                          task == "classification")
                            took += again
                        frames.append(frame); summaries.append(summary); seconds += took
                    if task == "classification":
                        probability_columns = [c for c in frames[0].columns if c != frames[0].columns[0]]
                        mean = sum(f[probability_columns].astype(float).values for f in frames) / len(frames)
                        labels = [c.split("probability_", 1)[-1] if "probability_" in c else c for c in probability_columns]
                        predicted = pd.Series([labels[i] for i in mean.argmax(axis=1)])
                        truth = test.loc[keep, target].astype(str).str.replace(r"\.0$", "", regex=True)
                        result["descent"] = base.metric(task, truth, predicted[keep.values].astype(str).str.replace(r"\.0$", "", regex=True))[0]
                    else:
                        values = sum(pd.to_numeric(f.iloc[:, 0], errors="coerce").values for f in frames) / len(frames)
                        values = pd.Series(values).fillna(train[target].median())
                        result["descent"] = base.metric(task, test.loc[keep, target], values[keep.values])[0]
                    first = summaries[0]
                    epochs = first.get("epochs") or []
                    losses = [e.get("validation_loss") for e in epochs if e.get("validation_loss") is not None]
                    result.update(seconds=round(seconds, 1), rate=first.get("learning_rate"),
                                  best_epoch=first.get("kept_epoch"), validation_rows=None,
                                  kept_validation_loss=first.get("kept_validation_loss"), epochs=len(epochs),
                                  ensemble_members=(first.get("ensemble") or {}).get("members", 1))
                except Exception as error:
                    result["error"] = str(error)
                print(json.dumps(result, default=str), flush=True)
                results.append(result)
    print(f"\n| file ({options.label}) | descent mean | seeds | HGB | linear |")
    for name in options.files:
        rows = [r for r in results if r["file"] == name and "descent" in r]
        values = [r["descent"] for r in rows]
        print(f"| {name} | {np.mean(values):.3f} ± {2 * np.std(values, ddof=1) / np.sqrt(len(values)) if len(values) > 1 else 0:.3f} "
              f"| {' '.join(f'{v:.3f}' for v in values)} | {np.mean([r['hgb'] or np.nan for r in rows]):.3f} | {np.mean([r['linear'] or np.nan for r in rows]):.3f} |")


if __name__ == "__main__":
    main()
