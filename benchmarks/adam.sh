#!/usr/bin/env bash
# Adam step time: Descent's fused kernel vs PyTorch's fused CPU Adam, in the same run.
#
#   benchmarks/adam.sh [PARAMS] [THREADS]        (defaults: 10000000 parameters, 2 threads)
#   PYTHON=/path/to/venv/bin/python benchmarks/adam.sh
#
# Builds `descent` in release, then alternates the two benchmarks ROUNDS times (default 3) so that
# both see the same machine load, and prints the median of each and the ratio
# PyTorch / Descent (above 1: Descent is faster). Descent is measured twice: as PyTorch works
# (no finite check) and with its default check that gradients are finite (one more read of them).
set -euo pipefail
cd "$(dirname "$0")/.."
PARAMS="${1:-10000000}"
THREADS="${2:-2}"
ROUNDS="${ROUNDS:-3}"
PYTHON="${PYTHON:-python3}"

swift build -c release --product descent >/dev/null
DESCENT=.build/release/descent

last_json() { tail -n 1 | sed -E 's/.*"seconds_per_step": *([0-9.eE+-]+).*/\1/'; }

torch_times=(); plain_times=(); checked_times=()
for round in $(seq "$ROUNDS"); do
    torch_times+=("$("$PYTHON" benchmarks/adam.py --params "$PARAMS" --threads "$THREADS" | last_json)")
    plain_times+=("$("$DESCENT" bench adam --params "$PARAMS" --threads "$THREADS" --skip-finite-check --json | last_json)")
    checked_times+=("$("$DESCENT" bench adam --params "$PARAMS" --threads "$THREADS" --json | last_json)")
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
torch=$(median "${torch_times[@]}")
plain=$(median "${plain_times[@]}")
checked=$(median "${checked_times[@]}")
awk -v t="$torch" -v p="$plain" -v c="$checked" -v n="$PARAMS" -v th="$THREADS" 'BEGIN {
    printf "Adam, %d parameters, %d threads (median of rounds)\n", n, th
    printf "  PyTorch fused:                  %8.3f ms/step\n", t * 1000
    printf "  Descent (no finite check):      %8.3f ms/step   ratio PyTorch/Descent %.2f\n", p * 1000, t / p
    printf "  Descent (default, checked):     %8.3f ms/step   ratio PyTorch/Descent %.2f\n", c * 1000, t / c
}'
