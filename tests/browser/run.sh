#!/usr/bin/env bash
# Browser tests of the web app: starts the REAL server (`carepost serve --dev`, SQLite in
# a temporary data directory, a free loopback port), reads the demo accounts it writes,
# and runs every *.test.mjs in turn (node's test runner, playwright-core driving Debian's
# Chromium headless, axe-core on every page). Screenshots, the server's log and a
# failure's page dump go to build/browser-artifacts/.
#
#   tests/browser/run.sh [path/to/carepost]      (default: build/release/src/cli/carepost)
#
# CHROMIUM overrides the browser (default /usr/bin/chromium); CAREPOST_BROWSER_ARTIFACTS
# the artifact directory; CAREPOST_BROWSER_TESTS a space-separated subset of test files.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$(realpath "${1:-$root/build/release/src/cli/carepost}")
artifacts=${CAREPOST_BROWSER_ARTIFACTS:-$root/build/browser-artifacts}
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

[[ -x $bin ]] || { echo "run.sh: $bin is not built (make build)" >&2; exit 2; }
[[ -x $CHROMIUM ]] || { echo "run.sh: no Chromium at $CHROMIUM (scripts/install-deps.sh installs it)" >&2; exit 2; }
command -v npm >/dev/null || { echo "run.sh: npm is missing (scripts/install-deps.sh)" >&2; exit 2; }

# The test's npm packages: npm ci only when node_modules is missing or older than the
# lockfile, so a second run starts at once.
(
  flock 9
  if [[ ! -f $here/node_modules/.package-lock.json || $here/package-lock.json -nt $here/node_modules/.package-lock.json ]]; then
    echo "run.sh: npm ci in tests/browser"
    (cd "$here" && npm ci --no-audit --no-fund)
    touch "$here/node_modules/.package-lock.json"
  fi
) 9>"$here/.build.lock"

mkdir -p "$artifacts"
rm -f "$artifacts"/*.png
data_dir=$(mktemp -d "${TMPDIR:-/tmp}/carepost-browser.XXXXXX")
server_pid=""
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$data_dir"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
url="http://127.0.0.1:$port"
# The server refuses CAREPOST_* variables that are not its settings: hide this script's own.
env -u CAREPOST_BROWSER_TESTS -u CAREPOST_BROWSER_ARTIFACTS \
  "$bin" serve --dev --data-dir "$data_dir" --listen "127.0.0.1:$port" >"$artifacts/server.log" 2>&1 &
server_pid=$!

# Ready when /readyz answers (building the screener and the demo accounts takes seconds).
for _ in $(seq 1 240); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "run.sh: carepost serve exited during start-up; its log:" >&2
    cat "$artifacts/server.log" >&2
    exit 1
  fi
  if curl --noproxy '*' -sf -o /dev/null "$url/readyz" && [[ -s $data_dir/demo-credentials.txt ]]; then
    break
  fi
  sleep 0.25
done
curl --noproxy '*' -sf -o /dev/null "$url/readyz" || { echo "run.sh: server not ready at $url" >&2; exit 1; }

echo "run.sh: carepost serve --dev at $url; artifacts in $artifacts"
export CAREPOST_URL=$url
export CAREPOST_CREDENTIALS=$data_dir/demo-credentials.txt
export CAREPOST_ARTIFACTS=$artifacts
cd "$here"
# Every *.test.mjs, one file at a time (they share the server and its demo data);
# CAREPOST_BROWSER_TESTS="compose_review.test.mjs ..." runs only those while iterating.
# shellcheck disable=SC2086
node --test --test-reporter=spec --test-concurrency=1 ${CAREPOST_BROWSER_TESTS:-./*.test.mjs}
