#!/usr/bin/env bash
# Renders every HTML page `descent demo` writes in headless Chromium and fails when a page
# logs a JavaScript error, or its DOM (after scripts ran) lacks the charts it should have.
# Screenshots go to a directory outside the repository (printed at the end) to look at.
#
#   scripts/browser_check.sh [DEMO_DIR] [SCREENSHOT_DIR]
#
# Without DEMO_DIR it runs the demo (the built `descent`: $DESCENT, else the newer of
# .build/release/descent and .build/debug/descent) into a temporary directory. Chromium: $CHROMIUM, else chromium,
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
if [ -z "$demo" ]; then
    descent=${DESCENT:-}
    # The newer of the release and debug builds (a stale release binary may predate the demo).
    for candidate in "$repo/.build/release/descent" "$repo/.build/debug/descent"; do
        if [ -x "$candidate" ] && { [ -z "$descent" ] || [ "$candidate" -nt "$descent" ]; }; then descent=$candidate; fi
    done
    if [ -z "$descent" ]; then
        echo "browser_check: no descent binary; run 'swift build -c release' first or set DESCENT" >&2
        exit 2
    fi
    demo=$work/descent-demo
    "$descent" demo --out "$demo" >"$work/demo.log"
fi

# Chromium's flags for a headless run in a container (no sandbox, no GPU, a fresh profile).
flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --hide-scrollbars
       --user-data-dir="$work/profile" --run-all-compositor-stages-before-draw --virtual-time-budget=3000)
failed=0
pages=0
for page in "$demo"/*.html; do
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
    if [ "$name" != "index" ] && [ "$charts" -lt 1 ]; then
        echo "FAIL $name: no chart in the rendered page" >&2
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
