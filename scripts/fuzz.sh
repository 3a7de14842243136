#!/usr/bin/env bash
# A longer hunt with the seeded fuzz harness (Tests/DescentFuzzTests) than CI's few seconds:
#   scripts/fuzz.sh [ROUNDS_MULTIPLIER=100] [SEED]
# Each failing input is reported by the test; after a crash, $TRACE holds the input that caused it.
set -euo pipefail
cd "$(dirname "$0")/.."
export DESCENT_FUZZ_ROUNDS="${1:-100}"
if [ -n "${2:-}" ]; then export DESCENT_FUZZ_SEED="$2"; fi
export DESCENT_FUZZ_TRACE="${TRACE:-$(mktemp)}"
echo "rounds ×$DESCENT_FUZZ_ROUNDS, seed ${DESCENT_FUZZ_SEED:-default}, trace $DESCENT_FUZZ_TRACE"
# ReaderFuzzTests: CSV, safetensors, NPY, schedules, conformance files.
# HostileInputFuzzTests: configuration files (YAML aliases, octal, huge scalars, deep nesting), checkpoints
# (every numeric field at its edges, resumed), study database rows (text, blobs, NULLs, extreme numbers).
swift test --filter 'ReaderFuzzTests|HostileInputFuzzTests'
