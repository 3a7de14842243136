#!/usr/bin/env bash
# Renders every HTML page `descent demo` writes, and the pages of `descent report` (several runs
# overlaid: runs.html) and `descent study report` (a small tune study: study.html), in headless
# Chromium, and fails when a page logs a JavaScript error, or its DOM (after scripts ran) lacks the
# charts it should have. Screenshots go to a directory outside the repository (printed at the end) to look at.
#
#   scripts/browser_check.sh [DEMO_DIR] [SCREENSHOT_DIR]
#
# Without DEMO_DIR it runs the demo (the built `descent`: $DESCENT, else the newer of
# .build/release/descent and .build/debug/descent) into a temporary directory; the runs and study
# pages are made with the same binary (skipped, said, when DEMO_DIR is given and there is none). Chromium: $CHROMIUM, else chromium,
# chromium-browser or google-chrome on the PATH (Debian: apt-get install -y chromium).
# Exit status: 0 all pages fine, 1 a page failed, 2 no Chromium or no descent binary.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
    for candidate in chromium chromium-browser google-chrome; do
        if command -v "$candidate" >/dev/null 2>&1; then browser=$(command -v "$candidate"); break; fi
    done
fi
if [ -z "$browser" ]; then
    echo "browser_check: no Chromium found (install it with: apt-get install -y chromium)" >&2
    exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/descent-browser-check.XXXXXX")
demo=${1:-}
shots=${2:-$work/screenshots}
mkdir -p "$shots"
descent=${DESCENT:-}
# The newer of the release and debug builds (a stale release binary may predate the demo).
for candidate in "$repo/.build/release/descent" "$repo/.build/debug/descent"; do
    if [ -x "$candidate" ] && { [ -z "$descent" ] || [ "$candidate" -nt "$descent" ]; }; then descent=$candidate; fi
done
if [ -z "$demo" ]; then
    if [ -z "$descent" ]; then
        echo "browser_check: no descent binary; run 'swift build -c release' first or set DESCENT" >&2
        exit 2
    fi
    demo=$work/descent-demo
    "$descent" demo --out "$demo" >"$work/demo.log"
fi
pagelist=("$demo"/*.html)
# The pages of the other reports: two runs overlaid (one caught by the guard), and a small study.
if [ -n "$descent" ]; then
    extra=$work/reports
    mkdir -p "$extra"
    make_reports() {
        "$descent" train --dataset iris --epochs 6 --learning-rate 0.003 --log "$extra/slow.jsonl" --json >"$work/slow.log" || return 1
        "$descent" train --dataset iris --epochs 6 --learning-rate 0.03 --log "$extra/fast.jsonl" --json >"$work/fast.log" || return 1
        "$descent" train --dataset iris --epochs 6 --optimizer sgd --learning-rate 20 --log "$extra/rollbacks.jsonl" \
            --report "$extra/rollbacks.html" --json >"$work/rollbacks.log" || return 1
        "$descent" report "$extra/slow.jsonl" "$extra/fast.jsonl" "$extra/rollbacks.jsonl" --out "$extra/runs.html" >"$work/runs.log" || return 1
        "$descent" tune --dataset iris --hidden 8 --epochs 4 --trials 12 --pruner asha \
            --search "learning_rate=loguniform(1e-3,3); batch_size=choice(16,32); optimizer=choice(adam,sgd)" \
            --storage "sqlite:$extra/studies.sqlite" --study iris --json >"$work/tune.log" || return 1
        "$descent" study report --storage "sqlite:$extra/studies.sqlite" --study iris --out "$extra/study.html" >"$work/study.log" || return 1
    }
    if ! make_reports; then
        echo "FAIL: making the runs and study pages failed; see the logs in $work" >&2
        exit 1
    fi
    pagelist+=("$extra/runs.html" "$extra/study.html" "$extra/rollbacks.html")
else
    echo "browser_check: no descent binary: the runs and study pages are not checked" >&2
fi

# The fewest charts each page must show (a page not named here: one).
minimum_charts() {
    case "$1" in
        index) echo 0 ;;
        explorer) echo 5 ;;   # one map per rate (3), the loss against the step, the rates against the limit
        runs) echo 5 ;;       # loss and rate per step, validation and training loss and accuracy per epoch
        study) echo 5 ;;      # history, learning_rate, batch_size, optimizer, intermediate values
        *) echo 1 ;;
    esac
}

# Chromium's flags for a headless run in a container (no sandbox, no GPU, a fresh profile).
flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --hide-scrollbars
       --user-data-dir="$work/profile" --run-all-compositor-stages-before-draw --virtual-time-budget=3000)
failed=0
pages=0
for page in "${pagelist[@]}"; do
    [ -e "$page" ] || continue
    pages=$((pages + 1))
    name=$(basename "$page" .html)
    url="file://$(cd "$(dirname "$page")" && pwd)/$(basename "$page")"
    dom="$work/$name.dom.html"
    log="$work/$name.console.log"
    for attempt in 1 2; do   # twice at most, as for the screenshots below
        timeout 120 "$browser" "${flags[@]}" --enable-logging=stderr --v=0 --dump-dom "$url" >"$dom" 2>"$log" || true
        if grep -q '</html>' "$dom"; then break; fi
    done
    # Console messages look like: [..:INFO:CONSOLE(12)] "Uncaught TypeError: …", source: file:///… (12)
    if grep -E 'CONSOLE' "$log" | grep -Eiq 'uncaught|error'; then
        echo "FAIL $name: JavaScript error:" >&2
        grep -E 'CONSOLE' "$log" | grep -Ei 'uncaught|error' | head -5 >&2
        failed=1
    fi
    charts=$( (grep -o '<svg' "$dom" || true) | wc -l | tr -d ' ')
    if [ "$charts" -lt "$(minimum_charts "$name")" ]; then
        echo "FAIL $name: $charts charts in the rendered page, expected at least $(minimum_charts "$name")" >&2
        failed=1
    fi
    if grep -q 'id="dc-step"' "$page" && ! grep -q 'data-step-animation="ready"' "$dom"; then
        echo "FAIL $name: the step animation did not start" >&2
        failed=1
    fi
    # Twice at most: on a loaded machine Chromium sometimes exits before it has drawn.
    for attempt in 1 2; do
        rm -f "$shots/$name.png"
        timeout 120 "$browser" "${flags[@]}" --window-size=1280,2200 --screenshot="$shots/$name.png" "$url" >/dev/null 2>&1 || true
        if [ -s "$shots/$name.png" ]; then break; fi
    done
    if [ ! -s "$shots/$name.png" ]; then
        echo "FAIL $name: no screenshot" >&2
        failed=1
    fi
    if grep -q 'id="dc-step"' "$page"; then
        # The same page part-way through its animation (the script reads #step=N).
        timeout 120 "$browser" "${flags[@]}" --window-size=1280,1100 --screenshot="$shots/$name-step5.png" "$url#step=5" >/dev/null 2>&1 || true
    fi
    echo "page $name: $charts charts, screenshot $shots/$name.png"
done
if [ "$pages" -eq 0 ]; then
    echo "FAIL: no HTML pages in $demo" >&2
    exit 1
fi
if [ "$failed" -ne 0 ]; then exit 1; fi
echo "browser_check: $pages pages rendered without JavaScript errors; screenshots in $shots"
