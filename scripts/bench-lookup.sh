#!/usr/bin/env bash
# Measures the help-desk search over a large inventory: /lookup for an address inside a /29,
# an address inside a /64 and a hostname fragment, next to a plain-text route of the same
# server in the same run (wrk and the server share the machine, so compare with /healthz).
# Data: ASSIGNMENTS assignments across 500 customers (per customer: 80% single IPv4, 10% IPv4
# /29, 10% IPv6 /64, on 5 servers) and a PTR on every single IPv4 address (written straight
# into `entries` with one INSERT … SELECT, which is cheap on both engines).
# Needs wrk and sqlite3 or psql. Usage: scripts/bench-lookup.sh [ASSIGNMENTS] [SECONDS]
# On PostgreSQL: DATABASE=postgres://USER@HOST:PORT/EMPTY_DB scripts/bench-lookup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ASSIGNMENTS=${1:-50000}
SECONDS_PER_RUN=${2:-10}
PORT=${PORT:-18181}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
cargo build --release --quiet
BIN=target/release/ptrdesk
WORK=$(mktemp -d)
trap 'kill "${SERVER:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
export PTRDESK_DATABASE="${DATABASE:-sqlite://$WORK/bench.sqlite}"
export PTRDESK_LISTEN="127.0.0.1:$PORT"
export PTRDESK_SESSION_KEY=$(head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n')
export RUST_LOG=warn

python3 - "$ASSIGNMENTS" > "$WORK/assignments.csv" <<'PY'
import sys, ipaddress
n = int(sys.argv[1])
customers = 500
per = max(1, n // customers)
single = int(ipaddress.IPv4Address("100.64.0.0"))
subnet = int(ipaddress.IPv4Address("10.0.0.0"))
v6 = int(ipaddress.IPv6Address("2001:db8::"))
print("customer_number,customer_name,server,network")
made = 0
for c in range(customers):
    for i in range(per):
        if made >= n:
            break
        server = f"c{c:03d}-server-{i % 5}"
        kind = i % 10
        if kind == 8:
            net = f"{ipaddress.IPv4Address(subnet)}/29"; subnet += 8
        elif kind == 9:
            net = f"{ipaddress.IPv6Address(v6)}/64"; v6 += 1 << 64
        else:
            net = str(ipaddress.IPv4Address(single)); single += 1
        print(f"K{10000 + c},Bench Customer {c:03d} GmbH,{server},{net}")
        made += 1
PY
$BIN import assignments "$WORK/assignments.csv" >/dev/null
echo bench-password | $BIN user add support --role helpdesk --password-stdin >/dev/null

# A PTR on every single IPv4 address (version 1, no change row: enough for the search).
PTRS_SQL="INSERT INTO entries (address, address_text, assignment_id, hostname, version, updated_at)
  SELECT first_addr, network, id, 'srv' || id || '.bench-customer-' || (id % 500) || '.example.net', 1, 0
  FROM assignments WHERE family = 4 AND prefix_len = 32"
case "$PTRDESK_DATABASE" in
  postgres*) psql -q "$PTRDESK_DATABASE" -c "$PTRS_SQL" -c "ANALYZE" ;;
  *) sqlite3 "${PTRDESK_DATABASE#sqlite://}" "$PTRS_SQL; ANALYZE;" ;;
esac
count() {
  case "$PTRDESK_DATABASE" in
    postgres*) psql -tAq "$PTRDESK_DATABASE" -c "SELECT COUNT(*) FROM $1" ;;
    *) sqlite3 "${PTRDESK_DATABASE#sqlite://}" "SELECT COUNT(*) FROM $1" ;;
  esac
}
echo "data: $(count assignments) assignments, $(count customers) customers, $(count servers) servers, $(count entries) PTR entries"

$BIN serve > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

JAR="$WORK/cookies"
CSRF=$(curl -s -c "$JAR" -b "$JAR" "http://127.0.0.1:$PORT/login" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
curl -s -c "$JAR" -b "$JAR" -o /dev/null -d "csrf=$CSRF&username=support&password=bench-password" "http://127.0.0.1:$PORT/login"
COOKIE=$(awk '$6 == "ptrdesk_session" { print $6 "=" $7 }' "$JAR")
[ -n "$COOKIE" ] || { echo "could not sign in" >&2; exit 1; }

# The last /29 and /64 imported: the searches walk the index to the far end of the data.
IN_V4_SUBNET=$(tail -n +2 "$WORK/assignments.csv" | grep '/29' | tail -1 | cut -d, -f4 | python3 -c 'import sys,ipaddress; print(ipaddress.ip_network(sys.stdin.read().strip())[5])')
IN_V6_SUBNET=$(tail -n +2 "$WORK/assignments.csv" | grep '/64' | tail -1 | cut -d, -f4 | python3 -c 'import sys,ipaddress; print(ipaddress.ip_network(sys.stdin.read().strip())[0xbeef])')
FRAGMENT="bench-customer-497.example"
for q in "$IN_V4_SUBNET" "$IN_V6_SUBNET" "$FRAGMENT"; do
  HITS=$(curl -s -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/lookup?q=$q" | grep -c 'class="lookup-hit"' || true)
  echo "/lookup?q=$q shows $HITS results"
done

bench() {
  echo "== $1"
  wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" --latency -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT$2" | grep -E "Requests/sec|Latency|50%|99%"
}
bench "plain-text route /healthz" "/healthz"
bench "/lookup?q=$IN_V4_SUBNET (address inside a /29)" "/lookup?q=$IN_V4_SUBNET"
bench "/lookup?q=$IN_V6_SUBNET (address inside a /64)" "/lookup?q=$IN_V6_SUBNET"
bench "/lookup?q=$FRAGMENT (hostname fragment: LIKE scan of entries)" "/lookup?q=$FRAGMENT"
echo "== /lookup?q=$IN_V4_SUBNET, one connection (latency without queueing)"
wrk -t1 -c1 -d"${SECONDS_PER_RUN}s" --latency -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/lookup?q=$IN_V4_SUBNET" | grep -E "Requests/sec|50%|99%"
echo "== /lookup?q=$FRAGMENT, one connection"
wrk -t1 -c1 -d"${SECONDS_PER_RUN}s" --latency -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/lookup?q=$FRAGMENT" | grep -E "Requests/sec|50%|99%"
