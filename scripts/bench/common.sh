# What every benchmark in scripts/bench shares; sourced, never run. It gives:
# - options: `--smoke` (or SMOKE=1) runs at a tiny scale for ~2 s per measurement, to prove the
#   benchmark works; BENCH_SCALE (default 1) and BENCH_SECONDS (default 10) otherwise;
# - a release build, a temporary directory and clean-up of everything started (trap on EXIT);
# - the data: BENCH_DATABASE names a database `ptrdesk seed` already filled (all.sh seeds
#   once for all benchmarks); else DATABASE names an empty one to seed (PostgreSQL), else a
#   fresh SQLite file is seeded at BENCH_SCALE;
# - the server: `server_start` (PTRDESK_* settings exported before it apply), the plain route
#   it is compared with (`/livez`, else `/healthz`), its peak RSS (VmHWM);
# - `sign_in USER` (the bench users of `ptrdesk seed`), `csrf_of COOKIE`;
# - `measure LABEL PATH CONNECTIONS [COOKIE] [LUA]`: wrk with report.lua; sets R_rps, R_p50_ms,
#   R_p99_ms, … and fails on zero requests, an answer >= 400 or a socket error;
# - `result FIGURE VALUE TARGET VERDICT`: one line of the results table (BENCH_RESULTS);
# - `sql QUERY` on the bench database (sqlite3 or psql), Knot helpers, the forward zone of the
#   large bench customer.
# Every failure ends the script with a non-zero status (set -e, `fail`).

set -euo pipefail
# The test suite's own variable; ptrdesk would refuse it as an unknown setting.
unset PTRDESK_TEST_POSTGRES
BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$BENCH_ROOT"
# BENCH_BIN: another build to measure (e.g. an older commit's, for a before/after figure).
BIN=${BENCH_BIN:-${CARGO_TARGET_DIR:-$BENCH_ROOT/target}/release/ptrdesk}

SMOKE=${SMOKE:-0}
for arg in "$@"; do
  [ "$arg" = "--smoke" ] && SMOKE=1
done
if [ "$SMOKE" = 1 ]; then
  BENCH_SCALE=${BENCH_SCALE:-0.001}
  BENCH_SECONDS=${BENCH_SECONDS:-2}
else
  BENCH_SCALE=${BENCH_SCALE:-1}
  BENCH_SECONDS=${BENCH_SECONDS:-10}
fi
BENCH_PASSWORD=${BENCH_PASSWORD:-bench-password}
# The bench accounts of `ptrdesk seed` (src/seed/mod.rs).
LARGE_USER=bench-5000
LARGE_NUMBER=B5000
LARGE_DOMAIN=bench-large.net
SMALL_USER=bench-50
HELPDESK_USER=bench-helpdesk

WORK=$(mktemp -d /tmp/ptrdesk-bench.XXXXXX)
BENCH_PIDS=()
bench_cleanup() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$WORK"
}
trap bench_cleanup EXIT

fail() {
  echo "FAILED: $*" >&2
  exit 1
}

need() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install wrk dnsperf knot knot-dnsutils sqlite3)"
  done
}

bench_build() {
  if [ "${BENCH_BUILT:-0}" != 1 ] && [ -z "${BENCH_BIN:-}" ]; then
    cargo build --release --quiet
  fi
}

free_port() {
  python3 -c 'import socket
for _ in range(50):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0)); p = u.getsockname()[1]
    t = socket.socket()
    try:
        t.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass'
}

# The database to measure on; seeds one when none is given.
bench_database() {
  if [ -n "${BENCH_DATABASE:-}" ]; then
    export PTRDESK_DATABASE=$BENCH_DATABASE
    return
  fi
  export PTRDESK_DATABASE=${DATABASE:-sqlite://$WORK/bench.sqlite}
  echo "== ptrdesk seed --scale $BENCH_SCALE (${PTRDESK_DATABASE%%:*})"
  RUST_LOG=warn "$BIN" seed --scale "$BENCH_SCALE" --password "$BENCH_PASSWORD" | tail -n 2
}

# A query on the bench database; rows as `a|b|c` lines.
sql() {
  case "$PTRDESK_DATABASE" in
    postgres*) psql -X -q -t -A -F '|' -v ON_ERROR_STOP=1 "$PTRDESK_DATABASE" -c "$1" ;;
    *)
      local file=${PTRDESK_DATABASE#sqlite://}
      sqlite3 -bail -separator '|' "${file%%\?*}" "$1"
      ;;
  esac
}

# Settings every benchmarked server gets; scripts export more before server_start.
export PTRDESK_SESSION_KEY=${PTRDESK_SESSION_KEY:-$(head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n')}
# hickory-server logs every question at `info`; a production server does not want that either.
export RUST_LOG=${RUST_LOG:-warn}
# The live checks are limited per user and per address (live_check_per_user/_address); the
# benchmarks measure the endpoint, not the limiter: 0 turns the limits off.
export PTRDESK_LIVE_CHECK_PER_USER=0
export PTRDESK_LIVE_CHECK_PER_ADDRESS=0
# The bench staff (help-desk searches) sign in with a password alone; a second factor is a
# sign-in cost, not a per-request one.
export PTRDESK_REQUIRE_STAFF_2FA=false

# Starts `ptrdesk serve` on a free port: sets BASE, SERVER (pid), PLAIN (the plain route).
server_start() {
  local port
  port=$(free_port)
  export PTRDESK_LISTEN="127.0.0.1:$port"
  BASE="http://127.0.0.1:$port"
  SERVER_LOG="$WORK/server-$port.log"
  "$BIN" serve >"$SERVER_LOG" 2>&1 &
  SERVER=$!
  BENCH_PIDS+=("$SERVER")
  local tries
  for tries in $(seq 600); do
    curl -sf -o /dev/null "$BASE/healthz" && break
    kill -0 "$SERVER" 2>/dev/null || fail "the server stopped: $(tail -n 5 "$SERVER_LOG")"
    sleep 0.1
  done
  curl -sf -o /dev/null "$BASE/healthz" || fail "the server did not answer /healthz within a minute"
  if curl -sf -o /dev/null "$BASE/livez"; then PLAIN=/livez; else PLAIN=/healthz; fi
}

# Peak resident memory of a process, in MB.
peak_rss_mb() {
  awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"
}

# Signs in as a bench user; prints the session cookie (`ptrdesk_session=…`).
sign_in() {
  local user=$1 jar="$WORK/jar-$1-$RANDOM" csrf status
  csrf=$(curl -s -c "$jar" -b "$jar" "$BASE/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
  [ -n "$csrf" ] || fail "no CSRF token on /login"
  status=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' \
    --data-urlencode "csrf=$csrf" --data-urlencode "username=$user" \
    --data-urlencode "password=$BENCH_PASSWORD" "$BASE/login")
  [ "$status" = 303 ] || fail "signing in as $user answered $status, not 303"
  awk '$6 == "ptrdesk_session" { print $6 "=" $7 }' "$jar"
}

# The CSRF token of a signed-in customer's session (from the forms of /ips).
csrf_of() {
  curl -s -H "Cookie: $1" "$BASE/ips" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1
}

# measure LABEL PATH CONNECTIONS [COOKIE] [LUA]: one wrk run; sets R_requests, R_rps, R_p50_ms,
# R_p99_ms, R_max_ms, R_status, R_socket, R_timeout, and R_problem (empty, or why the figure
# cannot be trusted). An answer >= 400 or a connect/read/write error fails the script: a
# benchmark that measures errors measures nothing. Requests that time out (10 s) or a run
# without a completed request are a finding, not a broken benchmark: R_problem says so, the
# figure is not met; only a smoke run fails on them.
measure() {
  local label=$1 path=$2 connections=$3 cookie=${4:-} script=${5:-scripts/bench/report.lua}
  local threads=2
  [ "$connections" -lt 2 ] && threads=1
  local args=(-t"$threads" -c"$connections" -d"${BENCH_SECONDS}s" --timeout 10s -s "$script")
  [ -n "$cookie" ] && args+=(-H "Cookie: $cookie")
  wrk "${args[@]}" "$BASE$path" >"$WORK/wrk.out" 2>&1 || fail "wrk failed on $path: $(cat "$WORK/wrk.out")"
  local line
  line=$(sed -n 's/^BENCH //p' "$WORK/wrk.out")
  [ -n "$line" ] || fail "wrk printed no result for $path: $(cat "$WORK/wrk.out")"
  eval "$(echo "$line" | sed 's/\([a-z0-9_]*\)=/R_\1=/g')"
  printf '  %-62s %8.0f req/s  p50 %7.2f ms  p99 %7.2f ms  (%s connections)\n' \
    "$label" "$R_rps" "$R_p50_ms" "$R_p99_ms" "$connections"
  [ "$R_status" -eq 0 ] || fail "$label: $R_status answers were errors (>= 400)"
  [ "$((R_socket - R_timeout))" -eq 0 ] || fail "$label: socket errors ($line)"
  [ "$R_bad" -eq 0 ] || fail "$label: $R_bad answers said what they should not (${BENCH_BAD:-})"
  R_problem=""
  if [ "$R_requests" -eq 0 ]; then
    R_problem="no request completed within 10 s"
  elif [ "$R_timeout" -gt 0 ]; then
    R_problem="$R_timeout requests timed out (> 10 s)"
  fi
  if [ -n "$R_problem" ]; then
    echo "  !! $label: $R_problem" >&2
    [ "$SMOKE" != 1 ] || fail "$label: $R_problem"
  fi
}

# met / NOT MET for a figure: the test given, and a clean measurement.
judge() {
  if [ -z "${R_problem:-}" ] && "$@"; then echo met; else echo "NOT MET"; fi
}

# a / b with two decimals.
ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "inf"; else printf "%.2f", a / b }'
}

# Whether a <= b (numbers).
at_most() {
  awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'
}

# result FIGURE VALUE TARGET VERDICT [REFERENCE]: a line of the results table (appended to
# BENCH_RESULTS when all.sh collects them) and printed; REFERENCE: what the figure is a ratio
# of, measured in the same run (e.g. `stylesheet 40,000/s`).
result() {
  printf '  -> %s: %s (target: %s) %s\n' "$1" "$2" "$3" "$4"
  if [ -n "${BENCH_RESULTS:-}" ]; then
    printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:-}" >>"$BENCH_RESULTS"
  fi
}


# The large bench customer's single addresses, in address order.
large_customer_ips() {
  sql "SELECT a.network FROM assignments a JOIN servers s ON s.id = a.server_id
       JOIN customers c ON c.id = s.customer_id
       WHERE c.number = '$LARGE_NUMBER' AND a.prefix_len = 32 ORDER BY a.first_addr"
}

# Writes the zone file of the large bench customer's domain: two names for each of its
# addresses, `edgeN` and `coreN`, both resolving to the N-th address (so a save can always
# switch to the other name, and the checks confirm it).
forward_zone_file() {
  local file=$1
  {
    echo "\$ORIGIN $LARGE_DOMAIN."
    echo "\$TTL 300"
    echo "@ SOA ns1.$LARGE_DOMAIN. hostmaster.$LARGE_DOMAIN. 1 3600 600 1209600 300"
    echo "@ NS ns1.$LARGE_DOMAIN."
    echo "ns1 A 127.0.0.1"
    large_customer_ips | awk '{ printf "edge%d A %s\ncore%d A %s\n", NR - 1, $1, NR - 1, $1 }'
  } >"$file"
}

# Starts knotd with the configuration in $1 (a file); waits until it answers the SOA of zone
# $3 on port $2. Sets KNOT (pid).
knot_start() {
  local conf=$1 port=$2 zone=$3
  knotc -c "$conf" conf-check >/dev/null
  knotd -c "$conf" >"$WORK/knot-$port.log" 2>&1 &
  KNOT=$!
  BENCH_PIDS+=("$KNOT")
  local tries
  for tries in $(seq 200); do
    kdig @127.0.0.1 -p "$port" "$zone" SOA +short +time=1 +retry=0 2>/dev/null | grep -q . && return 0
    kill -0 "$KNOT" 2>/dev/null || fail "knotd stopped: $(tail -n 5 "$WORK/knot-$port.log")"
    sleep 0.1
  done
  fail "knotd did not serve $zone within 20 s"
}

# A Knot DNS serving the large bench customer's forward zone, for the DNS checks; sets
# FORWARD_DNS (IP:PORT).
forward_dns_start() {
  need knotd knotc kdig
  local port dir="$WORK/knot-forward"
  port=$(free_port)
  mkdir -p "$dir/run" "$dir/db" "$dir/zones"
  forward_zone_file "$dir/zones/$LARGE_DOMAIN.zone"
  cat >"$dir/knot.conf" <<EOF
server:
    rundir: "$dir/run"
    listen: 127.0.0.1@$port
database:
    storage: "$dir/db"
template:
  - id: default
    storage: "$dir/zones"
    zonefile-sync: -1
    journal-content: none
zone:
  - domain: $LARGE_DOMAIN
    file: "$dir/zones/$LARGE_DOMAIN.zone"
EOF
  knot_start "$dir/knot.conf" "$port" "$LARGE_DOMAIN"
  FORWARD_DNS="127.0.0.1:$port"
}
