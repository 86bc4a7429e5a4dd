#!/usr/bin/env bash
# Measures one bulk request of 10,000 changes on SQLite with the offline checks only (DNS checks
# off): a customer with 10,000 single IPv4 addresses sends `POST /api/v1/bulk` — once atomic
# (one transaction), once non-atomic (one transaction per item), once as a dry run — and the
# script prints the wall time of each request and the rate. Needs curl and python3.
# Usage: scripts/bench-bulk.sh [CHANGES]
set -euo pipefail
cd "$(dirname "$0")/.."
CHANGES=${1:-10000}
PORT=${PORT:-18190}
cargo build --release --quiet
BIN=target/release/ptrdesk
WORK=$(mktemp -d)
trap 'kill "${SERVER:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
export PTRDESK_DATABASE="sqlite://$WORK/bench.sqlite"
export PTRDESK_LISTEN="127.0.0.1:$PORT"
export PTRDESK_SESSION_KEY=$(head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n')
export PTRDESK_DNS_CHECKS=false
export RUST_LOG=warn

# CHANGES single IPv4 addresses on 50 servers of one customer.
python3 - "$CHANGES" > "$WORK/assignments.csv" <<'PY'
import sys, ipaddress
n = int(sys.argv[1])
base = int(ipaddress.IPv4Address("100.64.0.1"))
print("customer_number,customer_name,server,network")
for i in range(n):
    print(f"K9000,Bench Hosting,server-{i % 50:02d},{ipaddress.IPv4Address(base + i)}")
PY
$BIN import assignments "$WORK/assignments.csv" >/dev/null

# An API credential, stored as ptrdesk stores them (SHA-256 hex of the secret); and the bodies.
python3 - "$WORK" "$CHANGES" <<'PY'
import hashlib, ipaddress, json, sqlite3, sys, time
work, n = sys.argv[1], int(sys.argv[2])
db = sqlite3.connect(f"{work}/bench.sqlite")
(customer,) = db.execute("SELECT id FROM customers WHERE number = 'K9000'").fetchone()
db.execute(
    "INSERT INTO api_credentials (customer_id, username, secret_hash, label, created_at) VALUES (?, ?, ?, ?, ?)",
    (customer, "bench-api", hashlib.sha256(b"bench-secret").hexdigest(), "bench", int(time.time())),
)
db.commit()
base = int(ipaddress.IPv4Address("100.64.0.1"))
def body(prefix, dry_run, atomic):
    changes = [{"ip": str(ipaddress.IPv4Address(base + i)), "ptr": f"{prefix}{i}.bench-hosting.net"} for i in range(n)]
    return json.dumps({"changes": changes, "dry_run": dry_run, "atomic": atomic})
open(f"{work}/atomic.json", "w").write(body("web", False, True))
open(f"{work}/each.json", "w").write(body("mail", False, False))
open(f"{work}/dry.json", "w").write(body("www", True, True))
PY

$BIN serve > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

run() {
  local name=$1 file=$2
  local seconds
  seconds=$(curl -s -o "$WORK/$name.out" -w '%{time_total}' -u bench-api:bench-secret \
    -H 'content-type: application/json' --data-binary @"$WORK/$file" "http://127.0.0.1:$PORT/api/v1/bulk")
  python3 - "$name" "$seconds" "$WORK/$name.out" "$(stat -c %s "$WORK/$file")" <<'PY'
import json, sys
name, seconds, out, size = sys.argv[1], float(sys.argv[2]), sys.argv[3], int(sys.argv[4])
answer = json.load(open(out))
summary = answer.get("summary") or answer["error"]["summary"]
print(f"{name:<28} {summary['total']:>6} changes in {seconds:6.2f} s = {summary['total'] / seconds:7.0f} changes/s "
      f"(body {size / 1e6:.1f} MB; published {summary['published']}, failed {summary['failed']}, applied {answer.get('applied')})")
PY
}
echo "== $CHANGES changes in one POST /api/v1/bulk, SQLite, offline checks only"
run "dry run"                  dry.json
run "atomic (one transaction)" atomic.json
run "non-atomic (one each)"    each.json
