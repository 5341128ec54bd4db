#!/usr/bin/env bash
# tests/web/run.sh [BUILD_DIR] - the browser tests (ctest: web_browser).
#
# Starts a private platform (tests/web/platform.sh) in a temp dir under the
# build tree, stops it on exit whatever happens, and runs every
# tests/web/specs/*.test.mjs with Node's test runner, one file at a time,
# against it in Debian's Chromium through playwright-core (a devDependency of
# web/, never a downloaded browser). The specs get:
#   STOM_WEB_ENV          DIR/env.json: {"url", "users": {"alice": PASSWORD, "bob": ...}}
#   STOM_WEB_SCREENSHOTS  BUILD/web-screenshots (created)
#   CHROMIUM              the browser (/usr/bin/chromium, or chromium on PATH)
#   NODE_PATH             web/node_modules (tests/web/lib.mjs requires playwright-core)
# Exits 77 (ctest's skip) saying why when Node.js, Chromium, the web build or
# playwright-core is missing. STOM_WEB_NODE_MODULES overrides web/node_modules.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
STOM_BUILD=$(cd "${1:-${STOM_BUILD:-$repo/build}}" && pwd)
export STOM_BUILD
readonly SKIP=77

skip() {
    echo "web tests skipped: $*"
    exit $SKIP
}

command -v node >/dev/null || skip "node is not installed (scripts/setup.sh installs it)"
CHROMIUM=${CHROMIUM:-}
if [ -z "$CHROMIUM" ]; then
    if [ -x /usr/bin/chromium ]; then
        CHROMIUM=/usr/bin/chromium
    else
        CHROMIUM=$(command -v chromium || true)
    fi
fi
[ -n "$CHROMIUM" ] || skip "Chromium is not installed (scripts/setup.sh installs it)"
[ -f "$STOM_BUILD/web/index.html" ] ||
    skip "no web UI build in $STOM_BUILD/web (the build makes it when npm is installed)"
modules=${STOM_WEB_NODE_MODULES:-$repo/web/node_modules}
[ -d "$modules/playwright-core" ] ||
    skip "playwright-core is not in $modules (the build installs it with npm)"

dir=$(mktemp -d "$STOM_BUILD/web-platform.XXXXXX")
# Stops the platform; its logs are kept when something failed. (Run by the trap.)
# shellcheck disable=SC2317
stop() {
    local status=$?
    "$here/platform.sh" stop "$dir" || true
    if [ "$status" -eq 0 ]; then
        rm -rf "$dir"
    else
        echo "web tests: the platform's logs are kept in $dir"
    fi
}
trap stop EXIT
if ! "$here/platform.sh" start "$dir"; then
    for log in "$dir"/*.log; do
        echo "--- $log (last lines)"
        tail -n 20 "$log"
    done
    exit 1
fi

export STOM_WEB_ENV="$dir/env.json"
export STOM_WEB_SCREENSHOTS="$STOM_BUILD/web-screenshots"
export CHROMIUM
export NODE_PATH="$modules${NODE_PATH:+:$NODE_PATH}"
mkdir -p "$STOM_WEB_SCREENSHOTS"
shopt -s nullglob
specs=("$here"/specs/*.test.mjs)
[ ${#specs[@]} -gt 0 ] || skip "no specs in $here/specs"
status=0
node --test --test-concurrency=1 "${specs[@]}" || status=$?
if [ $status -ne 0 ]; then
    echo "--- gateway log (last lines): $dir/gateway.log"
    tail -n 30 "$dir/gateway.log"
fi
exit $status
