#!/usr/bin/env bash
# Measures the customer's first page for a customer with 5,000 IPs against a plain-text route
# of the same server in the same run (wrk and the server share the machine, so only the ratio
# means anything). Needs wrk (`apt-get install wrk`). Usage: scripts/bench-panel.sh [IPS] [SECONDS]
# On PostgreSQL: DATABASE=postgres://USER@HOST:PORT/EMPTY_DB scripts/bench-panel.sh
set -euo pipefail
cd "$(dirname "$0")/.."
IPS=${1:-5000}
SECONDS_PER_RUN=${2:-10}
PORT=${PORT:-18180}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
cargo build --release --quiet
BIN=target/release/ptrdesk
WORK=$(mktemp -d)
trap 'kill "${SERVER:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
export PTRDESK_DATABASE="${DATABASE:-sqlite://$WORK/bench.sqlite}"
export PTRDESK_LISTEN="127.0.0.1:$PORT"
export PTRDESK_SESSION_KEY=$(head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n')
export RUST_LOG=warn

# 5,000 single IPv4 addresses on 50 servers of one customer.
python3 - "$IPS" > "$WORK/assignments.csv" <<'PY'
import sys, ipaddress
n = int(sys.argv[1])
base = int(ipaddress.IPv4Address("100.64.0.1"))
print("customer_number,customer_name,server,network")
for i in range(n):
    print(f"K9000,Bench Hosting,server-{i % 50:02d},{ipaddress.IPv4Address(base + i)}")
PY
$BIN import assignments "$WORK/assignments.csv"
echo bench-password | $BIN user add bench --role customer --customer K9000 --password-stdin >/dev/null

$BIN serve > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

JAR="$WORK/cookies"
CSRF=$(curl -s -c "$JAR" -b "$JAR" "http://127.0.0.1:$PORT/login" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
curl -s -c "$JAR" -b "$JAR" -o /dev/null -d "csrf=$CSRF&username=bench&password=bench-password" "http://127.0.0.1:$PORT/login"
COOKIE=$(awk '$6 == "ptrdesk_session" { print $6 "=" $7 }' "$JAR")
[ -n "$COOKIE" ] || { echo "could not sign in" >&2; exit 1; }
ROWS=$(curl -s -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/ips" | grep -c 'class="ptr-row')
echo "first page shows $ROWS rows of $IPS IPs"

echo "== plain-text route /healthz"
wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" --latency "http://127.0.0.1:$PORT/healthz" | grep -E "Requests/sec|Latency|50%|99%"
echo "== first page of /ips ($IPS IPs), signed in"
wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" --latency -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/ips" | grep -E "Requests/sec|Latency|50%|99%"
echo "== first page of /ips, one connection (latency without queueing)"
wrk -t1 -c1 -d"${SECONDS_PER_RUN}s" --latency -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/ips" | grep -E "Requests/sec|50%|99%"
