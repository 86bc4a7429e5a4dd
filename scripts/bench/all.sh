#!/usr/bin/env bash
# Every benchmark of issue #8 in one run, on one seeded data set, ending with a table to paste
# into BENCHMARKS.md: builds once, seeds once (`ptrdesk seed`, timed), runs checks, panel,
# lookup, live-check, dns (unsigned, then signed), bulk, mixed, inventory and zone-import (the
# last three write), and reports the server's peak memory over all of them. Exits non-zero
# when a benchmark broke (a target missed is a row of the table, not a failure).
# Usage: scripts/bench/all.sh [--smoke] [--postgres URL] [--scale S] [--seconds N]
#   --smoke           tiny scale, ~2 s per measurement: proves every benchmark works (test.sh)
#   --postgres URL    on PostgreSQL: `postgres://USER@HOST:PORT` (a database is created and
#                     dropped) or `…/DBNAME` (an existing empty database); SQLite otherwise
#   --scale S         data set size (default 1: 50,000 customers, 1.2 M assignments)
#   --seconds N       seconds per wrk/dnsperf measurement (default 10; mixed load: 60)
set -euo pipefail
cd "$(dirname "$0")/../.."
POSTGRES=""
SMOKE=${SMOKE:-0}
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=1 ;;
    --postgres) POSTGRES=$2; shift ;;
    --scale) export BENCH_SCALE=$2; shift ;;
    --seconds) export BENCH_SECONDS=$2; shift ;;
    *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
  shift
done
export SMOKE
source scripts/bench/common.sh

export BENCH_RESULTS="$WORK/results.tsv" BENCH_PEAKS="$WORK/peaks.txt"
: >"$BENCH_RESULTS"
: >"$BENCH_PEAKS"

ENGINE=sqlite
DATABASE_URL="sqlite://$WORK/bench.sqlite"
if [ -n "$POSTGRES" ]; then
  need psql
  ENGINE=postgresql
  rest=${POSTGRES#*://}
  if [[ "$rest" == */* && -n "${rest#*/}" ]]; then
    DATABASE_URL=$POSTGRES
  else
    DB_NAME="ptrdesk_bench_$(date +%s)_$$"
    SERVER_URL=${POSTGRES%/}
    psql -X -q "$SERVER_URL/postgres" -c "CREATE DATABASE $DB_NAME" >/dev/null
    DATABASE_URL="$SERVER_URL/$DB_NAME"
    trap 'psql -X -q "$SERVER_URL/postgres" -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null 2>&1 || true; bench_cleanup' EXIT
  fi
fi

echo "== machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM"
echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (with changes)'), engine $ENGINE, scale $BENCH_SCALE$([ "$SMOKE" = 1 ] && echo ' (smoke)')"
echo "== load before: $(uptime | sed 's/.*load average/load average/')"

BUILD_STARTED=$SECONDS
cargo build --release --quiet
if [ -z "$POSTGRES" ]; then
  # The criterion benchmarks too, so that the build time is not counted as a benchmark's.
  cargo bench --no-run --quiet --bench checks --bench hostnames 2>/dev/null
fi
echo "== built in $((SECONDS - BUILD_STARTED)) s"
export BENCH_BUILT=1

echo "== seeding"
SEED_STARTED=$(date +%s.%N)
RUST_LOG=warn "$BIN" seed --scale "$BENCH_SCALE" --password "$BENCH_PASSWORD" --database "$DATABASE_URL"
SEED_SECONDS=$(awk -v a="$SEED_STARTED" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')
result "ptrdesk seed --scale $BENCH_SCALE ($ENGINE)" "$SEED_SECONDS s" "minutes, not hours" \
  "$([ "$SEED_SECONDS" -lt 600 ] && echo met || echo "NOT MET")"
export BENCH_DATABASE=$DATABASE_URL

BROKEN=()
run() {
  echo
  local started=$SECONDS
  if ! "scripts/bench/$1.sh"; then
    BROKEN+=("$1")
    result "scripts/bench/$1.sh" "FAILED (see above)" "runs" "BROKEN"
  fi
  echo "  ($1.sh took $((SECONDS - started)) s)"
}
if [ -z "$POSTGRES" ]; then
  run checks
fi
run panel
run identity
run lookup
run live-check
run dns
# The same, signed (dnssec = true; questions with the DO bit): it leaves the zones signed.
DNSSEC=1 run dns
run bulk
run mixed
# Last: they change the data set (1,000 assignments removed and added; a /16 imported).
run inventory
run zone-import

PEAK=$(sort -n "$BENCH_PEAKS" | tail -n 1)
if [ -n "$PEAK" ]; then
  result "server peak RSS (VmHWM) over all runs, full data set" "$PEAK MB" "< 300 MB" \
    "$([ "$PEAK" -lt 300 ] && echo met || echo "NOT MET")"
fi

echo
echo "== load after: $(uptime | sed 's/.*load average/load average/')"
echo
# Each figure beside its reference, measured by the same script in the same run (a ratio's
# denominator: the stylesheet, /livez, Knot); "-" where the figure is absolute.
echo "| Figure | Measured | Reference (same run) | Target | |"
echo "|---|---|---|---|---|"
awk -F'\t' '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, ($5 == "" ? "-" : $5), $3, $4 }' "$BENCH_RESULTS"
if [ "${#BROKEN[@]}" -gt 0 ]; then
  echo "broken benchmarks: ${BROKEN[*]}" >&2
  exit 1
fi
