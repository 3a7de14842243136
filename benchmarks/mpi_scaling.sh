#!/usr/bin/env bash
# Data-parallel training on Open MPI against PyTorch DDP (gloo), in the same run (issue #24).
#
#   benchmarks/mpi_scaling.sh                 (ROUNDS=3 EPOCHS=3 PYTHON=/work/venv/bin/python)
#
# The mlp-mnist workload of `descent bench train` (784-256-10 MLP, Adam 1e-3, 60,000 synthetic rows,
# batch 128 per process), one thread per process, weak scaling (the global batch is processes x 128):
#   descent  1 process;  2 processes (mpirun, shared memory);  2 processes over TCP (--mca btl tcp,self)
#   PyTorch  1 process;  2 processes DDP with gloo (TCP on loopback)
# Rounds alternate the runs so they see the same load; each prints the median of the rounds' medians.
# Efficiency = samples/s of 2 processes / (2 x samples/s of 1 process); all-reduce share = seconds in
# Descent's all-reduces (waiting for the slower rank included) / training seconds, on rank 0.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${ROUNDS:-3}"
EPOCHS="${EPOCHS:-3}"
PYTHON="${PYTHON:-/work/venv/bin/python}"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
MPIRUN=(mpirun --oversubscribe --bind-to none --mca btl_vader_single_copy_mechanism none)

[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product descent >/dev/null
DESCENT=.build/release/descent
field() { "$PYTHON" -c "import json,sys; print(json.loads(sys.stdin.read().strip().splitlines()[-1])['$1'])"; }

declare -A rate cpu share
for round in $(seq "$ROUNDS"); do
    out=$("$DESCENT" bench train --workload mlp-mnist --threads 1 --epochs "$EPOCHS" --json)
    rate[d1]+="$(field samples_per_second <<<"$out") "; cpu[d1]+="$(field cpu_seconds_per_epoch <<<"$out") "
    out=$("${MPIRUN[@]}" -np 2 "$DESCENT" bench train --workload mlp-mnist --threads 1 --epochs "$EPOCHS" --json)
    rate[d2]+="$(field samples_per_second <<<"$out") "; cpu[d2]+="$(field cpu_seconds_per_epoch <<<"$out") "
    share[d2]+="$(field communication_share <<<"$out") "
    out=$("${MPIRUN[@]}" -np 2 --mca btl tcp,self "$DESCENT" bench train --workload mlp-mnist --threads 1 --epochs "$EPOCHS" --json)
    rate[dt]+="$(field samples_per_second <<<"$out") "; cpu[dt]+="$(field cpu_seconds_per_epoch <<<"$out") "
    share[dt]+="$(field communication_share <<<"$out") "
    out=$("$PYTHON" benchmarks/ddp_gloo.py --processes 1 --epochs "$EPOCHS")
    rate[t1]+="$(field samples_per_second <<<"$out") "; cpu[t1]+="$(field cpu_seconds_per_epoch <<<"$out") "
    out=$("$PYTHON" benchmarks/ddp_gloo.py --processes 2 --epochs "$EPOCHS")
    rate[t2]+="$(field samples_per_second <<<"$out") "; cpu[t2]+="$(field cpu_seconds_per_epoch <<<"$out") "
done
median() { printf '%s\n' $1 | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
d1=$(median "${rate[d1]}"); d2=$(median "${rate[d2]}"); dt=$(median "${rate[dt]}"); t1=$(median "${rate[t1]}"); t2=$(median "${rate[t2]}")
awk -v d1="$d1" -v d2="$d2" -v dt="$dt" -v t1="$t1" -v t2="$t2" \
    -v c1="$(median "${cpu[d1]}")" -v c2="$(median "${cpu[d2]}")" -v ct="$(median "${cpu[dt]}")" \
    -v tc1="$(median "${cpu[t1]}")" -v tc2="$(median "${cpu[t2]}")" \
    -v s2="$(median "${share[d2]}")" -v st="$(median "${share[dt]}")" -v r="$ROUNDS" 'BEGIN {
    printf "mlp-mnist (784-256-10, Adam, batch 128 per process, 1 thread per process), %d rounds, medians\n", r
    printf "| run | samples/s | weak-scaling efficiency | all-reduce share | CPU s/epoch (rank 0) |\n|---|---|---|---|---|\n"
    printf "| Descent, 1 process | %.0f | 1 | - | %.2f |\n", d1, c1
    printf "| Descent, 2 processes (mpirun, shared memory) | %.0f | %.2f | %.2f | %.2f |\n", d2, d2 / (2 * d1), s2, c2
    printf "| Descent, 2 processes (--mca btl tcp,self) | %.0f | %.2f | %.2f | %.2f |\n", dt, dt / (2 * d1), st, ct
    printf "| PyTorch, 1 process | %.0f | 1 | - | %.2f |\n", t1, tc1
    printf "| PyTorch DDP gloo, 2 processes | %.0f | %.2f | - | %.2f |\n", t2, t2 / (2 * t1), tc2
    printf "Descent 2 processes / DDP 2 processes: %.2fx\n", d2 / t2
}'
