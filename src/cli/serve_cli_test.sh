#!/usr/bin/env bash
# End-to-end test of `carepost serve` and `carepost config show` (run by ctest):
# start-up refusals, masking, a real dev server on a free port, SIGTERM -> exit 0.
set -euo pipefail
BIN=$1
WORK=$(mktemp -d)
PID=""
cleanup() {
  if [[ -n $PID ]] && kill -0 "$PID" 2>/dev/null; then kill -KILL "$PID"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"
unset CAREPOST_SECRET_KEY CAREPOST_SECRET_KEY_FILE CAREPOST_DEV CAREPOST_LISTEN
fail() { echo "FAIL: $*" >&2; exit 1; }

# Production refuses to start without a key, and says how to fix it.
set +e
"$BIN" serve --data-dir "$WORK/data" >out 2>err; rc=$?
set -e
[[ $rc -eq 1 ]] || fail "serve without key: exit $rc, want 1"
grep -q "needs the server's secret key" err || fail "no key message: $(cat err)"
[[ ! -e data/dev-secret.key ]] || fail "production created a dev key"

# A wrong setting stops start-up naming key and line.
printf 'listen = "127.0.0.1:1"\nlog_levl = "info"\n' > bad.toml
set +e
"$BIN" serve --config bad.toml --dev >out 2>err; rc=$?
set -e
[[ $rc -eq 2 ]] || fail "bad config: exit $rc, want 2"
grep -q "bad.toml:2: unknown setting 'log_levl'" err || fail "bad config message: $(cat err)"

# config show: precedence and masking.
printf 'listen = "127.0.0.1:1"\ndata_dir = "/from/file"\n' > good.toml
CAREPOST_DB='postgres://carepost:hunter2@db.example/carepost' CAREPOST_DATA_DIR=/from/env \
  "$BIN" config show --config good.toml --listen 127.0.0.1:2 >shown
grep -q 'listen = "127.0.0.1:2"  # --listen' shown || fail "flag precedence: $(cat shown)"
grep -q 'data_dir = "/from/env"  # CAREPOST_DATA_DIR' shown || fail "env precedence"
grep -q 'db = "postgres://carepost:\*\*\*@db.example/carepost"  # CAREPOST_DB' shown ||
  fail "db masking: $(cat shown)"
! grep -q hunter2 shown || fail "password shown"

# Dev mode: generates a key (0600), seeds the demo organization, serves, drains on SIGTERM
# and exits 0. (Start-up under the sanitizers on a busy machine can take minutes.)
"$BIN" serve --dev --data-dir "$WORK/data" --listen 127.0.0.1:0 >out 2>log &
PID=$!
for _ in $(seq 6000); do
  grep -q "listening on" out 2>/dev/null && break
  kill -0 "$PID" 2>/dev/null || fail "serve exited: $(cat log)"
  sleep 0.1
done
URL=$(grep -o 'http://[0-9.:]*' out) || fail "no address printed: $(cat out log)"
[[ $(stat -c %a data/dev-secret.key) == 600 ]] || fail "dev key mode"
[[ -s data/carepost.db ]] || fail "no database"
curl -fsS "$URL/healthz" | grep -q '"ok"' || fail "healthz"
curl -fsS "$URL/readyz" | grep -q '"ready"' || fail "readyz"
[[ $(stat -c %a data/demo-credentials.txt) == 600 ]] || fail "demo credentials mode"
# The guard is behind sign-in: refused without a session, answered with one (cookie + CSRF).
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"text":"hello"}' "$URL/api/v1/screen")
[[ $code == 401 ]] || fail "screen without a session: $code, want 401"
IFS=$'\t' read -r _ EMAIL PASSWORD _ < <(grep '^author' data/demo-credentials.txt)
curl -fsS -c jar -H 'Content-Type: application/json' -H "Origin: $URL" \
  -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" "$URL/api/v1/session" >session ||
  fail "sign in as the demo author"
CSRF=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' session)
curl -fsS -b jar -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' \
  -d '{"text":"Patient Jane Roe MRN 7654321"}' \
  "$URL/api/v1/screen" | grep -q '"verdict":"block"' || fail "screen"
# The embedded web app: index.html at / and for app paths, never for /api/.
curl -fsS "$URL/" | grep -q '<div id="app">' || fail "web app at /"
curl -fsS "$URL/audit" | grep -q '<div id="app">' || fail "web app at /audit"
[[ $(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/no-such-route") == 404 ]] ||
  fail "/api/ fell back to the web app"
curl -fsS "$URL/api/v1/openapi.json" | grep -q '"openapi"' || fail "openapi"
kill -TERM "$PID"
set +e
wait "$PID"; rc=$?
set -e
PID=""
[[ $rc -eq 0 ]] || fail "serve exit $rc after SIGTERM"
grep -q '"msg":"stopped"' log || fail "no stopped line"
! grep -q '7654321' log || fail "PHI in log"
! grep -qF "$PASSWORD" log || fail "a password in the log"
echo "serve_cli_test: ok"
