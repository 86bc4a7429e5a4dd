#!/usr/bin/env bash
# PTR queries per second of ptrdesk's own DNS server against Knot DNS serving the same zone as
# its secondary, with dnsperf, one run each, in the same script (both share the machine with
# dnsperf, so only the ratio means anything). Needs knot and dnsperf
# (`apt-get install knot knot-dnsutils dnsperf`). Usage: scripts/bench-dns.sh [SECONDS] [CLIENTS]
# On PostgreSQL: DATABASE=postgres://USER@HOST:PORT/EMPTY_DB scripts/bench-dns.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-10}
CLIENTS=${2:-4}
for tool in knotd knotc kdig dnsperf; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install knot knot-dnsutils dnsperf" >&2; exit 1; }
done
free_port() {
  python3 -c 'import socket
for _ in range(20):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0)); p = u.getsockname()[1]
    t = socket.socket()
    try:
        t.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass'
}
cargo build --release --quiet
BIN=target/release/ptrdesk
WORK=$(mktemp -d)
trap 'kill "${SERVER:-0}" "${KNOT:-0}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
PTRDESK_PORT=$(free_port)
KNOT_PORT=$(free_port)
ZONE=0.64.100.in-addr.arpa
export PTRDESK_DATABASE="${DATABASE:-sqlite://$WORK/bench.sqlite}"
export PTRDESK_LISTEN="127.0.0.1:0"
export PTRDESK_SESSION_KEY=$(head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n')
export PTRDESK_DNS_CHECKS=false
export PTRDESK_DNS_LISTEN="127.0.0.1:$PTRDESK_PORT"
export PTRDESK_DNS_SECONDARIES="127.0.0.1:$KNOT_PORT"
# hickory-server logs every question at `info`; a production server does not want that either.
export RUST_LOG=warn

# One full /24 of single addresses: 256 PTRs (the provider default; an entry costs the same
# query) in one reverse zone.
python3 > "$WORK/assignments.csv" <<'PY'
print("customer_number,customer_name,server,network")
for i in range(256):
    print(f"K9000,Bench Hosting,server-{i % 16:02d},100.64.0.{i}")
PY
$BIN import assignments "$WORK/assignments.csv" >/dev/null
for i in $(seq 0 255); do echo "$i.0.64.100.in-addr.arpa PTR"; done > "$WORK/queries.txt"

$BIN serve > "$WORK/ptrdesk.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do kdig @127.0.0.1 -p "$PTRDESK_PORT" "$ZONE" SOA +short +time=1 2>/dev/null | grep -q . && break; sleep 0.1; done

mkdir -p "$WORK/knot/run" "$WORK/knot/db" "$WORK/knot/zones"
cat > "$WORK/knot/knot.conf" <<EOF
server:
    rundir: "$WORK/knot/run"
    listen: 127.0.0.1@$KNOT_PORT
database:
    storage: "$WORK/knot/db"
remote:
  - id: primary
    address: 127.0.0.1@$PTRDESK_PORT
acl:
  - id: notify_from_primary
    address: 127.0.0.1
    action: notify
template:
  - id: default
    storage: "$WORK/knot/zones"
    zonefile-sync: -1
    zonefile-load: none
    journal-content: none
zone:
  - domain: $ZONE
    master: primary
    acl: notify_from_primary
EOF
knotc -c "$WORK/knot/knot.conf" conf-check >/dev/null
knotd -c "$WORK/knot/knot.conf" > "$WORK/knot.log" 2>&1 &
KNOT=$!
for _ in $(seq 100); do kdig @127.0.0.1 -p "$KNOT_PORT" -x 100.64.0.255 +short +time=1 2>/dev/null | grep -q . && break; sleep 0.1; done
echo "ptrdesk: $(kdig @127.0.0.1 -p "$PTRDESK_PORT" -x 100.64.0.7 +short)  Knot: $(kdig @127.0.0.1 -p "$KNOT_PORT" -x 100.64.0.7 +short)"

run() {
  dnsperf -s 127.0.0.1 -p "$1" -d "$WORK/queries.txt" -c "$CLIENTS" -l "$SECONDS_PER_RUN" 2>&1 |
    tee "$WORK/$2.txt" | grep -E "Queries (sent|completed|lost)|Queries per second|Average Latency" >&2
  awk '/Queries per second/ { print $4 }' "$WORK/$2.txt"
}
echo "== ptrdesk (answers from ${PTRDESK_DATABASE%%:*}), $CLIENTS clients, ${SECONDS_PER_RUN}s" >&2
OURS=$(run "$PTRDESK_PORT" ptrdesk)
echo "== Knot DNS $(knotd --version | awk '{ print $NF }'), the same zone as secondary" >&2
THEIRS=$(run "$KNOT_PORT" knot)
python3 -c "print(f'PTR queries/s: ptrdesk {float(\"$OURS\"):.0f}, Knot {float(\"$THEIRS\"):.0f}, ratio ptrdesk/Knot {float(\"$OURS\") / float(\"$THEIRS\"):.2f}')"
