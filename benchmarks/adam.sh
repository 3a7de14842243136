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

# "median min" in seconds from the text line "... median A ms/step (min B ms)" both benchmarks print.
median_and_min() { grep "ms/step" | tail -n 1 | sed -E 's/.*median ([0-9.]+) ms\/step \(min ([0-9.]+) ms\).*/\1 \2/' | awk '{print $1 / 1000, $2 / 1000}'; }

torch_med=(); torch_min=(); plain_med=(); plain_min=(); checked_med=(); checked_min=()
for round in $(seq "$ROUNDS"); do
    read -r a b < <("$PYTHON" benchmarks/adam.py --params "$PARAMS" --threads "$THREADS" | median_and_min)
    torch_med+=("$a"); torch_min+=("$b")
    read -r a b < <("$DESCENT" bench adam --params "$PARAMS" --threads "$THREADS" --skip-finite-check --json | median_and_min)
    plain_med+=("$a"); plain_min+=("$b")
    read -r a b < <("$DESCENT" bench adam --params "$PARAMS" --threads "$THREADS" --json | median_and_min)
    checked_med+=("$a"); checked_min+=("$b")
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
minimum() { printf '%s\n' "$@" | sort -g | head -n 1; }
awk -v t="$(median "${torch_med[@]}")" -v p="$(median "${plain_med[@]}")" -v c="$(median "${checked_med[@]}")" \
    -v tm="$(minimum "${torch_min[@]}")" -v pm="$(minimum "${plain_min[@]}")" -v cm="$(minimum "${checked_min[@]}")" \
    -v n="$PARAMS" -v th="$THREADS" -v r="$ROUNDS" 'BEGIN {
    printf "Adam, %d parameters, %d threads, %d rounds: median of step medians | fastest step\n", n, th, r
    printf "  PyTorch fused:               %8.3f ms | %8.3f ms\n", t * 1000, tm * 1000
    printf "  Descent, no finite check:    %8.3f ms | %8.3f ms   PyTorch/Descent %.2f | %.2f\n", p * 1000, pm * 1000, t / p, tm / pm
    printf "  Descent, default (checked):  %8.3f ms | %8.3f ms   PyTorch/Descent %.2f | %.2f\n", c * 1000, cm * 1000, t / c, tm / cm
}'
