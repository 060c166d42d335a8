#!/usr/bin/env bash
# End-to-end test of `carepost migrate`, `user add`, `audit verify` and `audit export`
# against a SQLite data directory in a temporary directory.
# Usage: domain_cli_test.sh PATH/TO/carepost
set -euo pipefail
CAREPOST=$(realpath "$1")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
unset CAREPOST_SECRET_KEY CAREPOST_SECRET_KEY_FILE CAREPOST_DB CAREPOST_DATA_DIR

fail() { echo "FAIL: $*" >&2; exit 1; }
expect_rc() {  # expect_rc WANT CMD...
  local want=$1; shift
  set +e; "$@" >out.txt 2>err.txt; local rc=$?; set -e
  [[ $rc == "$want" ]] || { cat out.txt err.txt >&2; fail "exit $rc, want $want: $*"; }
}

expect_rc 0 "$CAREPOST" migrate
grep -q "schema version" out.txt || fail "migrate did not report the version"
[[ $(stat -c %a carepost-data) == 700 ]] || fail "data directory is not owner-only"

# No key, then a world-readable key: clear refusals.
expect_rc 1 bash -c "echo 'a long enough password' | '$CAREPOST' user add --email a@example.org --role admin"
grep -q "no secret key" err.txt || fail "missing key not explained"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > key; echo >> key
chmod 644 key
expect_rc 1 bash -c "echo 'a long enough password' | '$CAREPOST' user add --email a@example.org --role admin --secret-key-file key"
grep -q "chmod 600" err.txt || fail "readable key not explained"
chmod 600 key
export CAREPOST_SECRET_KEY_FILE=$WORK/key

expect_rc 0 bash -c "echo 'a long enough password' | '$CAREPOST' user add --email Admin@Example.org --role admin"
grep -q "added user admin@example.org" out.txt || fail "user add output: $(cat out.txt)"
printf 'another long password\n' > pw
expect_rc 0 "$CAREPOST" user add --email ann@example.org --role author --brand cardiology --password-file pw
grep -q "for brand 'cardiology'" out.txt || fail "brand grant output: $(cat out.txt)"
expect_rc 1 "$CAREPOST" user add --email ANN@example.org --role author --password-file pw
grep -q "already exists" err.txt || fail "duplicate email not refused"
expect_rc 2 "$CAREPOST" user add --email bob@example.org --role wizard --password-file pw
grep -q "unknown role 'wizard'" err.txt || fail "unknown role not explained"
printf 'short\n' > shortpw
expect_rc 2 "$CAREPOST" user add --email bob@example.org --role analyst --password-file shortpw
grep -q "password must be" err.txt || fail "short password not explained"
grep -q short err.txt out.txt && fail "password echoed in a message"

# list, set-password, disable, enable (read-only list first: the audit counts below).
expect_rc 0 "$CAREPOST" user list
grep -qP '^1\tadmin@example.org\tactive\tadmin$' out.txt || fail "list admin: $(cat out.txt)"
grep -qP '^2\tann@example.org\tactive\tauthor@cardiology$' out.txt || fail "list ann: $(cat out.txt)"
expect_rc 1 "$CAREPOST" user list --org nowhere
expect_rc 0 "$CAREPOST" audit verify
grep -q "audit log intact: 6 events" out.txt || fail "verify: $(cat out.txt)"

expect_rc 0 "$CAREPOST" audit export --since 2000-01-01 --format csv
[[ $(head -1 out.txt) == seq,at,* ]] || fail "csv header: $(head -1 out.txt)"
[[ $(wc -l < out.txt) == 7 ]] || fail "csv should have a header and 6 rows"
expect_rc 0 "$CAREPOST" audit export --since 2000-01-01T00:00:00Z --format jsonl --output a.jsonl
python3 - a.jsonl <<'PY' || fail "jsonl export is not as expected"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["action"] for r in rows] == ["organization.create", "user.create", "role.grant",
    "brand.create", "user.create", "role.grant"], rows
assert rows[5]["details"]["role"] == "author"
PY
expect_rc 0 "$CAREPOST" audit export --since 2999-01-01 --format jsonl
[[ ! -s out.txt ]] || fail "future --since should export nothing"
expect_rc 2 "$CAREPOST" audit export --since yesterday
grep -q "not an ISO 8601 time" err.txt || fail "bad --since not explained"

printf 'a brand new password\n' > newpw
expect_rc 0 "$CAREPOST" user set-password --email ANN@example.org --password-file newpw
grep -q "password of ann@example.org replaced; 0 session(s) ended" out.txt || fail "set-password: $(cat out.txt)"
grep -q "brand new" out.txt err.txt && fail "password echoed"
expect_rc 2 "$CAREPOST" user set-password --email ann@example.org --password-file shortpw
expect_rc 1 "$CAREPOST" user disable --email nobody@example.org
expect_rc 0 "$CAREPOST" user disable --email ann@example.org
grep -q "ann@example.org disabled" out.txt || fail "disable: $(cat out.txt)"
expect_rc 0 "$CAREPOST" user list
grep -qP '^2\tann@example.org\tdisabled\t' out.txt || fail "list after disable: $(cat out.txt)"
expect_rc 0 "$CAREPOST" user enable --email ann@example.org
expect_rc 0 "$CAREPOST" audit export --since 2000-01-01 --format jsonl --output b.jsonl
python3 - b.jsonl <<'PY' || fail "user changes not audited as expected"
import json, sys
actions = [json.loads(l)["action"] for l in open(sys.argv[1])][6:]
assert actions == ["user.set_password", "session.revoke_all", "user.disable",
    "session.revoke_all", "user.enable"], actions
PY

# Tamper with one event: verify names it and fails.
python3 -c "
import sqlite3; c = sqlite3.connect('carepost-data/carepost.db')
c.execute(\"UPDATE audit_events SET actor = 'mallory' WHERE seq = 4\"); c.commit()"
expect_rc 1 "$CAREPOST" audit verify
grep -q "BROKEN at event 4" out.txt || fail "tampering not named: $(cat out.txt)"

echo "domain_cli_test: all passed"
