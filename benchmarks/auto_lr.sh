#!/usr/bin/env bash
# `descent train --learning-rate auto` against a 13-point grid of rates (issue #9's protocol).
#
#   benchmarks/auto_lr.sh                              # digits, iris, diabetes
#   benchmarks/auto_lr.sh --csv wine=/tmp/wine.csv     # other data sets (CSV, target in the last column)
#
# Builds `descent` in release, then benchmarks/auto_lr.py trains the MLP (--hidden 32 --epochs 30
# --batch-size 32 --optimizer adam --validation-fraction 0.2) at each grid rate (1e-5 … 1, half-decade
# steps, --schedule cosine) for seeds 0, 1, 2, and with --learning-rate auto for the same seeds, all in
# this one run, and prints per data set the grid-best rate and mean final validation loss, auto's rates
# and mean loss, their ratio, the target (1.10 × grid-best + 0.01) and auto's wall time as a fraction
# of the grid's (target ≤ 0.20). Only the Python standard library is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
swift build -c release --product descent >/dev/null
exec "$PYTHON" benchmarks/auto_lr.py --descent .build/release/descent "$@"
