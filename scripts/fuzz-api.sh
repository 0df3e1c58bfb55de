#!/usr/bin/env bash
# Property-based API fuzzing: schemathesis against a live server, signed in,
# with real ids seeded. Fails on any 5xx and on any response that breaks the
# OpenAPI (status, content type, headers, body schema). Bounded in time:
# FUZZ_MAX_EXAMPLES per operation (default 10) and a time budget per signed-in
# user (FUZZ_MAX_TIME seconds, default 180, shared 2:1:1 by the coach, the
# participant and the admin runs). Usage: bash scripts/fuzz-api.sh (.ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${BIN:-.venv/bin}"
work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export STEPWISE_ENVIRONMENT=development
export STEPWISE_DATABASE_URL="sqlite:///$work/fuzz.db"
export STEPWISE_VAR_DIR="$work"
export STEPWISE_REPORT_CACHE_DIR="$work/reports"
# The fuzzer's wrong passwords must not lock the seeded accounts out.
export STEPWISE_LOGIN_MAX_FAILURES=100000
port="$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"

"$BIN/stepwise" db upgrade >/dev/null
"$BIN/stepwise" demo seed >/dev/null
"$BIN/stepwise" serve --port "$port" >"$work/server.log" 2>&1 &
server=$!
"$BIN/python" - "$base/healthz" <<'PY' || { cat "$work/server.log"; exit 1; }
import sys, time, urllib.request
for _ in range(150):
    try:
        with urllib.request.urlopen(sys.argv[1], timeout=2) as answer:
            if answer.status == 200:
                sys.exit(0)
    except OSError:
        time.sleep(0.2)
sys.exit("the server did not come up")
PY

eval "$("$BIN/python" scripts/fuzz_seed.py "$base")"

checks="not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance"
budget="${FUZZ_MAX_TIME:-180}"
run() {
  local who="$1" token="$2" seconds="$3"; shift 3
  echo "== schemathesis ($who)"
  "$BIN/schemathesis" --config-file scripts/schemathesis.toml run "$base/openapi.json" \
    --checks "$checks" \
    --phases examples,coverage,fuzzing \
    --max-examples "${FUZZ_MAX_EXAMPLES:-10}" \
    --max-time "$seconds" \
    --workers 1 \
    --seed "${FUZZ_SEED:-1}" \
    --generation-database none \
    --request-timeout 60 \
    -H "Authorization: Bearer $token" \
    --exclude-operation-id revoke_token_api_v1_auth_token_delete \
    --exclude-operation-id revoke_my_token_api_v1_me_tokens__token_id__delete \
    --no-color "$@"
}
status=0
# Signing out (DELETE /auth/token) and revoking one's tokens by id (DELETE
# /me/tokens/{id}) would revoke the run's own token: they are left out
# (tests/accounts covers them). The coach reaches assessments, reviews,
# plans and reports; the participant their own assessment's writes and share
# links; the admin the accounts.
run coach "$FUZZ_COACH_TOKEN" $((budget / 2)) \
  --exclude-path-regex '^/api/v1/(users|invitations|coach-assignments)' || status=$?
run participant "$FUZZ_PARTICIPANT_TOKEN" $((budget / 4)) \
  --include-path-regex '^/(api/v1/(assessments|share-links|score)|shared/)' || status=$?
run admin "$FUZZ_ADMIN_TOKEN" $((budget / 4)) \
  --include-path-regex '^/api/v1/(users|invitations|coach-assignments|me)' || status=$?
if [ "$status" -ne 0 ]; then
  echo "== server log (last 50 lines)"; tail -n 50 "$work/server.log"
fi
exit "$status"
