#!/bin/bash
# The README's first command as a new user runs it: a fresh clone, an empty .build (package
# resolution included), `swift run -c release descent demo`. Prints wall and CPU time (user+sys of
# every compiler process) and the load average before and after, then removes the clone.
#
#   scripts/first_build_time.sh [REPOSITORY] [BRANCH]     (defaults: this repository, its current branch)
#
# The target (issue #19) is at most 3 minutes of wall time on a 2-core machine that is otherwise quiet;
# CPU time is what to compare on a busy machine.
set -euo pipefail
repository=${1:-$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)}
branch=${2:-$(git -C "$repository" rev-parse --abbrev-ref HEAD)}
clone=$(mktemp -d /tmp/descent-first-build-XXXXXX)
trap 'rm -rf "$clone"' EXIT
git clone --quiet --branch "$branch" "$repository" "$clone/descent"
cd "$clone/descent"
echo "commit $(git rev-parse --short HEAD) ($branch), $(nproc) cores, $(swift --version 2>&1 | head -1)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
times=$clone/times
status=0
/usr/bin/time -f "%e %U %S" -o "$times" swift run -c release descent demo > "$clone/demo.log" 2>&1 || status=$?
read -r wall user sys < <(tail -1 "$times")
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$status" -ne 0 ]; then
  echo "swift run -c release descent demo failed (exit $status):"
  tail -20 "$clone/demo.log"
  exit "$status"
fi
awk -v wall="$wall" -v user="$user" -v sys="$sys" 'BEGIN {
  printf "first build + demo: wall %d min %02d s (%.1f s), CPU %.1f s (user %.1f s, sys %.1f s)\n",
    int(wall / 60), wall % 60, wall, user + sys, user, sys
  printf "target wall <= 180 s on 2 quiet cores: %s\n", wall <= 180 ? "met" : "not met"
}'
