#!/usr/bin/env bash
# A 50-trial learning-rate study of the digits MLP (64-32-10, Adam, 20 epochs, batch 32,
# learning_rate = loguniform(1e-5, 1), TPE, successive halving, 2 worker processes, SQLite):
# `descent tune` against Optuna + PyTorch (benchmarks/tune_optuna.py) doing the same, in the same run.
#
#   benchmarks/tune_vs_optuna.sh                 ROUNDS=3 PYTHON=/work/venv/bin/python TRIALS=50 SKIP_BUILD=0
#
# Builds `descent` in release, then alternates the two ROUNDS times (so both see the same machine
# load). Wall time is the whole process tree (interpreter start, imports and data loading included),
# measured from outside. Like with like: round r is seed r on both sides, and the Python side trains
# on descent's split of that seed from descent's initial weights in descent's batch order
# (benchmarks/descent_replica.py), so both tuners search the same function of the learning rate; each
# study's value is its trial's last-epoch validation loss. Prints each round, the medians, the
# wall-time ratio Optuna / Descent (above 1: Descent is faster) and the best-loss ratio
# Optuna best / Descent best (1 or above: Descent's best is as good or better).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${ROUNDS:-3}"
TRIALS="${TRIALS:-50}"
PYTHON="${PYTHON:-$( [ -x /work/venv/bin/python ] && echo /work/venv/bin/python || echo python3 )}"

# SKIP_BUILD=1 uses the release binary already built (e.g. while another SwiftPM holds the build folder).
[ "${SKIP_BUILD:-0}" = 1 ] || swift build -c release --product descent >/dev/null
DESCENT=.build/release/descent
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
optuna_times=(); descent_times=(); optuna_best=(); descent_best=()
for round in $(seq "$ROUNDS"); do
    rm -f "$work"/*.sqlite*
    start=$(now)
    out=$("$PYTHON" benchmarks/tune_optuna.py --storage "sqlite:///$work/optuna.sqlite" --trials "$TRIALS" --workers 2 \
          --epochs 20 --seed "$round" --csv Sources/DescentData/Resources/digits.csv | tail -n 1)
    end=$(now)
    optuna_times+=("$(echo "$end - $start" | bc -l)")
    optuna_best+=("$(echo "$out" | sed -E 's/.*"best_value": ([0-9.eE+-]+).*/\1/')")
    echo "round $round optuna:  $(echo "$end - $start" | bc -l | xargs printf '%.2f') s  $out"

    start=$(now)
    out=$("$DESCENT" tune --dataset digits --hidden 32 --optimizer adam --epochs 20 --batch-size 32 \
          --search "learning_rate=loguniform(1e-5,1)" --trials "$TRIALS" --sampler tpe --pruner asha --workers 2 \
          --storage "sqlite:$work/descent.sqlite" --study digits --seed "$round" --json | tail -n 1)
    end=$(now)
    descent_times+=("$(echo "$end - $start" | bc -l)")
    descent_best+=("$(echo "$out" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["best"]["value"])')")
    echo "round $round descent: $(echo "$end - $start" | bc -l | xargs printf '%.2f') s  $(echo "$out" | "$PYTHON" -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"best_value": d["best"]["value"], "trials": d["trials"], "complete": d["complete"], "pruned": d["pruned"], "failed": d["failed"]}))')"
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
awk -v o="$(median "${optuna_times[@]}")" -v d="$(median "${descent_times[@]}")" \
    -v ob="$(median "${optuna_best[@]}")" -v db="$(median "${descent_best[@]}")" -v r="$ROUNDS" -v n="$TRIALS" 'BEGIN {
    printf "digits MLP 64-32-10, %d trials, TPE + successive halving, 2 workers, SQLite; median of %d rounds\n", n, r
    printf "  Optuna + PyTorch: %7.2f s   best validation loss %.4f\n", o, ob
    printf "  descent tune:     %7.2f s   best validation loss %.4f\n", d, db
    printf "  Optuna/Descent wall-time ratio: %.2f (target >= 2)\n", o / d
    printf "  Optuna/Descent best-loss ratio: %.3f (target >= 1: Descent as good or better)\n", ob / db
}'
