#!/usr/bin/env bash
# Identity (issue #13): what signing in costs, and what the server-side session costs every
# request.
# - sign-in latency, end to end over loopback: with a password, and through a real OpenID
#   Connect provider (PyPI oidc-provider-mock, from .test-tools/oidc as scripts/test.sh
#   installs it): /login/oidc → the provider's authorization → /login/oidc/callback (code
#   exchange, ID token verification, user look-up, session). ptrdesk's own part (its two
#   requests) is reported apart from the provider's.
# - the session check: a signed-in request that does nothing else (`/` answers a redirect
#   after loading the session and the user) and the 50-IP customer page, beside the plain
#   route of the same server in the same run. With BENCH_BIN_BEFORE=PATH (a build of a commit
#   before server-side sessions, c78beb0), the same two figures of that build are measured in
#   the same run, on its own seed of the same scale.
# Usage: scripts/bench/identity.sh [--smoke]   (BENCH_SIGN_INS: sign-ins timed, default 100)
source "$(dirname "$0")/common.sh"
need wrk curl python3
CONNECTIONS=${BENCH_CONNECTIONS:-32}
SIGN_INS=${BENCH_SIGN_INS:-100}
[ "$SMOKE" = 1 ] && SIGN_INS=5
bench_build
bench_database
export PTRDESK_DNS_CHECKS=false

# The OpenID Connect provider, and one of its users naming the 50-IP bench customer.
MOCK=${OIDC_PROVIDER_MOCK:-$BENCH_ROOT/.test-tools/oidc/bin/oidc-provider-mock}
[ -x "$MOCK" ] || fail "$MOCK is missing: scripts/test.sh installs it (python3 -m venv .test-tools/oidc && .test-tools/oidc/bin/pip install oidc-provider-mock==0.3.4)"
MOCK_PORT=$(free_port)
"$MOCK" -p "$MOCK_PORT" -n true >"$WORK/oidc.log" 2>&1 &
BENCH_PIDS+=("$!")
ISSUER="http://127.0.0.1:$MOCK_PORT"
for _ in $(seq 300); do
  curl -sf -o /dev/null "$ISSUER/.well-known/openid-configuration" && break
  sleep 0.05
done
curl -sf -o /dev/null "$ISSUER/.well-known/openid-configuration" || fail "the OpenID Connect provider did not start: $(tail -n 5 "$WORK/oidc.log")"
SMALL_NUMBER=$(sql "SELECT c.number FROM users u JOIN customers c ON c.id = u.customer_id WHERE u.username = '$SMALL_USER'")
curl -sf -X PUT -H 'Content-Type: application/json' \
  -d "{\"customer\": \"$SMALL_NUMBER\", \"preferred_username\": \"bench-oidc\"}" "$ISSUER/users/bench-oidc" \
  || fail "the provider took no user"

export PTRDESK_OIDC_ISSUER_URL=$ISSUER PTRDESK_OIDC_CLIENT_ID=ptrdesk PTRDESK_OIDC_CLIENT_SECRET=bench-secret
server_start

# Milliseconds of `curl -w %{time_total}` lines: p50 and p99 of a file of seconds.
percentiles() {
  python3 -c 'import sys
v = sorted(float(x) * 1000 for x in open(sys.argv[1]) if x.strip())
pick = lambda q: v[min(len(v) - 1, int(q * len(v)))]
print("%.1f %.1f" % (pick(0.5), pick(0.99)))' "$1"
}

: >"$WORK/password.txt"
: >"$WORK/oidc-total.txt"
: >"$WORK/oidc-ptrdesk.txt"
for i in $(seq "$SIGN_INS"); do
  jar="$WORK/jar-pw-$i"
  start=$(date +%s.%N)
  csrf=$(curl -s -c "$jar" -b "$jar" "$BASE/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
  status=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$csrf" \
    --data-urlencode "username=$SMALL_USER" --data-urlencode "password=$BENCH_PASSWORD" "$BASE/login")
  [ "$status" = 303 ] || fail "a password sign-in answered $status"
  awk -v now="$(date +%s.%N)" -v start="$start" 'BEGIN { print now - start }' >>"$WORK/password.txt"

  jar="$WORK/jar-oidc-$i"
  start=$(date +%s.%N)
  read -r authorize t1 < <(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url} %{time_total}\n' "$BASE/login/oidc")
  [[ "$authorize" == "$ISSUER"* ]] || fail "/login/oidc sent the browser to '$authorize'"
  back=$(curl -s -o /dev/null -w '%{redirect_url}' --data-urlencode "sub=bench-oidc" "$authorize")
  [[ "$back" == *"/login/oidc/callback"* ]] || fail "the provider sent the browser to '$back'"
  read -r status t2 < <(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code} %{time_total}\n' "$back")
  [ "$status" = 303 ] || fail "the callback answered $status"
  awk -v now="$(date +%s.%N)" -v start="$start" 'BEGIN { print now - start }' >>"$WORK/oidc-total.txt"
  awk -v a="$t1" -v b="$t2" 'BEGIN { print a + b }' >>"$WORK/oidc-ptrdesk.txt"
done
read -r PW50 PW99 < <(percentiles "$WORK/password.txt")
read -r OI50 OI99 < <(percentiles "$WORK/oidc-total.txt")
read -r OP50 OP99 < <(percentiles "$WORK/oidc-ptrdesk.txt")
echo "== sign-in latency over loopback ($SIGN_INS each)"
result "password sign-in (GET /login + POST /login, argon2id)" "p50 $PW50 ms, p99 $PW99 ms" "-" "measured"
result "OpenID Connect sign-in, end to end (provider included)" "p50 $OI50 ms, p99 $OI99 ms" "-" "measured"
result "  of it ptrdesk's two requests (/login/oidc, callback)" "p50 $OP50 ms, p99 $OP99 ms" "-" "measured"

echo "== the session check, beside the plain route $PLAIN"
session_figures() {
  local label=$1 cookie
  cookie=$(sign_in "$SMALL_USER")
  measure "$label plain route $PLAIN" "$PLAIN" "$CONNECTIONS"
  local plain=$R_rps
  measure "$label / (session + user, then a redirect)" / "$CONNECTIONS" "$cookie"
  local home=$R_rps
  measure "$label /ips (50-IP customer page)" /ips "$CONNECTIONS" "$cookie"
  result "$label signed-in / (rate / plain route)" "$(printf '%.0f/s = %s' "$home" "$(ratio "$home" "$plain")")" "-" "measured"
  result "$label 50-IP page /ips (rate / plain route)" "$(printf '%.0f/s = %s' "$R_rps" "$(ratio "$R_rps" "$plain")")" "-" "measured"
}
session_figures "now:"
if [ -n "${BENCH_BIN_BEFORE:-}" ]; then
  kill "$SERVER"
  BIN=$BENCH_BIN_BEFORE
  unset PTRDESK_OIDC_ISSUER_URL PTRDESK_OIDC_CLIENT_ID PTRDESK_OIDC_CLIENT_SECRET PTRDESK_REQUIRE_STAFF_2FA
  export PTRDESK_DATABASE=sqlite://$WORK/before.sqlite
  echo "== ptrdesk seed --scale $BENCH_SCALE with $BIN"
  RUST_LOG=warn "$BIN" seed --scale "$BENCH_SCALE" --password "$BENCH_PASSWORD" | tail -n 1
  server_start
  session_figures "before:"
fi
