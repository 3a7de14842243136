#!/usr/bin/env bash
# Data-parallel training on Open MPI against PyTorch DDP (gloo), in the same run (issue #24). About 2-3 minutes.
#
#   benchmarks/mpi_scaling.sh        (ROUNDS=3 EPOCHS=2 PYTHON=/work/venv/bin/python SKIP_BUILD= REALTIME= BIND=none|core)
#
# The mlp-mnist workload of `descent bench train` (784-256-10 MLP, Adam 1e-3, 60,000 synthetic rows,
# batch 128 per process), one thread per process, weak scaling (the global batch is processes x 128):
#   descent  1 process;  2 processes on one machine, gradients summed through an MPI-3 shared window (the default);
#            the same with MPI_Allreduce over the shared-memory transport (DESCENT_MPI_REDUCE=allreduce);
#            2 processes over TCP (--mca btl tcp,self, MPI_Allreduce: what several machines would use)
#   PyTorch  1 process;  2 processes DDP with gloo (TCP on loopback)
# Rounds alternate the runs so they see the same load; the table has the median and the best round of each.
# Efficiency = samples/s of 2 processes / (2 x samples/s of 1 process), from the medians (and from the bests).
# All-reduce share = seconds in Descent's all-reduces (waiting for the slower rank included) / seconds of the
# measured step phases, on rank 0; CPU = CPU seconds per epoch of rank 0 (all its threads).
# A last run with --profile splits a 2-process step into its phases, with a barrier before the all-reduce
# that tells the wait for the slower rank from the transfer.
# REALTIME=1 runs every measurement under `chrt -r 1` (root): on a machine busy with other work it comes close
# to a quiet machine's numbers (the other work waits); say so when quoting them.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${ROUNDS:-3}"
EPOCHS="${EPOCHS:-2}"
PYTHON="${PYTHON:-/work/venv/bin/python}"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
PREFIX=()
[ -z "${REALTIME:-}" ] || PREFIX=(chrt -r 1)
BIND="${BIND:-none}"
MPIRUN=("${PREFIX[@]}" mpirun --oversubscribe --bind-to "$BIND")

[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product descent >/dev/null
DESCENT=.build/release/descent
BENCH=(bench train --workload mlp-mnist --threads 1 --epochs "$EPOCHS" --json)
# Docker's default seccomp profile forbids the shared-memory transport's single copy (CMA): fall back to two copies.
if ! "${MPIRUN[@]}" -np 2 "$DESCENT" bench train --workload mlp-digits --threads 1 --epochs 1 >/dev/null 2>&1; then
    echo "note: cross-memory attach refused (a container?): --mca btl_vader_single_copy_mechanism none"
    MPIRUN+=(--mca btl_vader_single_copy_mechanism none)
fi
started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
json() { "$PYTHON" -c "
import json, sys
d = json.loads(sys.stdin.read().strip().splitlines()[-1])
p = d.get('seconds_per_step', {})
steps = sum(p.values()) or 1
print(d['samples_per_second'], d['cpu_seconds_per_epoch'], (p.get('wait', 0) + p.get('all_reduce', 0)) / steps)"; }

declare -A rate cpu share
record() { read -r r c s; rate[$1]+="$r "; cpu[$1]+="$c "; share[$1]+="$s "; }
for round in $(seq "$ROUNDS"); do
    record d1 < <("${PREFIX[@]}" "$DESCENT" "${BENCH[@]}" | json)
    record d2 < <("${MPIRUN[@]}" -np 2 "$DESCENT" "${BENCH[@]}" | json)
    record da < <("${MPIRUN[@]}" -np 2 -x DESCENT_MPI_REDUCE=allreduce "$DESCENT" "${BENCH[@]}" | json)
    record dt < <("${MPIRUN[@]}" -np 2 --mca btl tcp,self -x DESCENT_MPI_REDUCE=allreduce "$DESCENT" "${BENCH[@]}" | json)
    record t1 < <("${PREFIX[@]}" "$PYTHON" benchmarks/ddp_gloo.py --processes 1 --epochs "$EPOCHS" | json)
    record t2 < <("${PREFIX[@]}" "$PYTHON" benchmarks/ddp_gloo.py --processes 2 --epochs "$EPOCHS" | json)
done
profile=$("${MPIRUN[@]}" -np 2 "$DESCENT" bench train --workload mlp-mnist --threads 1 --epochs "$EPOCHS" --profile | grep '^per step')
profile_allreduce=$("${MPIRUN[@]}" -np 2 -x DESCENT_MPI_REDUCE=allreduce "$DESCENT" bench train --workload mlp-mnist --threads 1 \
    --epochs "$EPOCHS" --profile | grep '^per step')
single=$("${PREFIX[@]}" "$DESCENT" bench train --workload mlp-mnist --threads 1 --epochs "$EPOCHS" --profile | grep '^per step')
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

stat() { printf '%s\n' $1 | sort -g | awk -v want="$2" '{a[NR]=$1} END {print (want == "best" ? a[NR] : a[int((NR+1)/2)])}'; }
row() {  # name key baseline-key
    local m b e eb
    m=$(stat "${rate[$2]}" median); b=$(stat "${rate[$2]}" best)
    if [ -n "$3" ]; then
        e=$(awk -v x="$m" -v y="$(stat "${rate[$3]}" median)" 'BEGIN {printf "%.2f", x / (2 * y)}')
        eb=$(awk -v x="$b" -v y="$(stat "${rate[$3]}" best)" 'BEGIN {printf "%.2f", x / (2 * y)}')
    else e=1; eb=1; fi
    local s="-"
    [[ "$2" == d2 || "$2" == da || "$2" == dt ]] && s=$(awk -v x="$(stat "${share[$2]}" median)" 'BEGIN {printf "%.2f", x}')
    printf "| %s | %.0f | %.0f | %s (%s) | %s | %.2f |\n" "$1" "$m" "$b" "$e" "$eb" "$s" "$(stat "${cpu[$2]}" median)"
}
echo "mlp-mnist (784-256-10, Adam, batch 128 per process, 1 thread per process), $ROUNDS rounds of $EPOCHS epochs${REALTIME:+, under chrt -r 1}"
echo "load average before: $load_before; after: $load_after ($(nproc) cores)"
echo "| run | samples/s (median) | samples/s (best) | weak-scaling efficiency median (best) | all-reduce share | CPU s/epoch (rank 0) |"
echo "|---|---|---|---|---|---|"
row "Descent, 1 process" d1 ""
row "Descent, 2 processes (shared window)" d2 d1
row "Descent, 2 processes (MPI_Allreduce, shared memory)" da d1
row "Descent, 2 processes (--mca btl tcp,self)" dt d1
row "PyTorch, 1 process" t1 ""
row "PyTorch DDP gloo, 2 processes" t2 t1
awk -v d="$(stat "${rate[d2]}" median)" -v t="$(stat "${rate[t2]}" median)" \
    -v db="$(stat "${rate[d2]}" best)" -v tb="$(stat "${rate[t2]}" best)" \
    'BEGIN {printf "Descent 2 processes / DDP 2 processes: %.2fx (best rounds %.2fx)\n", d / t, db / tb}'
echo "Descent, 1 process,  $single"
echo "Descent, 2 processes $profile (wait: the window's synchronisation)"
echo "Descent, 2 processes $profile_allreduce (with a barrier before the all-reduce)"
echo "took $(( $(date +%s) - started )) s"
