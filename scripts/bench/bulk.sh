#!/usr/bin/env bash
# One bulk request through the native API on the seeded data set: the 5,000-IP bench customer
# sends `POST /api/v1/bulk` with BULK_CHANGES changes (10,000; 500 in a smoke run): one for
# each of its 5,000 single IPv4 addresses and, past those, for addresses inside an IPv6 /64
# the script first adds to its first server (`ptrdesk import assignments`), with the offline
# checks only (DNS checks off) — once as a dry run, once atomic (one transaction), once
# non-atomic (a savepoint per item, 500 items per transaction) — and prints the wall time of
# each and the rate, the atomic one next to its target (issue #20: 10,000 changes in < 3 s on
# SQLite, < 5 s on PostgreSQL). Every run asks for names no run asked for before, so that
# none is "unchanged". The API credential is made the way a customer makes one, on
# /api-credentials.
# Usage: scripts/bench/bulk.sh [--smoke]   (BENCH_DATABASE, DATABASE: see common.sh)
source "$(dirname "$0")/common.sh"
need curl python3
bench_build
bench_database
export PTRDESK_DNS_CHECKS=false
server_start
COOKIE=$(sign_in "$LARGE_USER")

CSRF=$(csrf_of "$COOKIE")
curl -s -H "Cookie: $COOKIE" --data-urlencode "csrf=$CSRF" --data-urlencode "label=bench bulk" \
  "$BASE/api-credentials" >"$WORK/credential.html"
API_USER=$(sed -n 's/.*class="credential-username">\([^<]*\)<.*/\1/p' "$WORK/credential.html" | head -n 1)
API_SECRET=$(sed -n 's/.*id="new-secret" class="secret" value="\([^"]*\)".*/\1/p' "$WORK/credential.html" | head -n 1)
[ -n "$API_USER" ] && [ -n "$API_SECRET" ] || fail "no API credential could be made on /api-credentials"

CHANGES=${BULK_CHANGES:-$([ "$SMOKE" = 1 ] && echo 500 || echo 10000)}
large_customer_ips >"$WORK/all-ips.txt"
if [ "$CHANGES" -gt "$(wc -l <"$WORK/all-ips.txt")" ]; then
  # More changes than single addresses: the rest inside a /64 of the customer's (added once).
  BULK_V6=2001:db8:b500:1::/64
  if [ -z "$(sql "SELECT id FROM assignments WHERE network = '$BULK_V6'")" ]; then
    IFS='|' read -r CUSTOMER_NAME SERVER_NAME < <(sql "SELECT c.name, s.name FROM customers c JOIN servers s ON s.customer_id = c.id
                                           WHERE c.number = '$LARGE_NUMBER' ORDER BY s.id LIMIT 1")
    printf '%s,%s,%s,%s\n' "$LARGE_NUMBER" "$CUSTOMER_NAME" "$SERVER_NAME" "$BULK_V6" >"$WORK/v6.csv"
    RUST_LOG=warn "$BIN" import assignments "$WORK/v6.csv" >/dev/null || fail "the /64 for the bulk could not be added"
  fi
  python3 -c "import ipaddress, sys
net = ipaddress.ip_network(sys.argv[1])
for n in range(1, int(sys.argv[2]) + 1): print(net[n])" "$BULK_V6" "$CHANGES" >>"$WORK/all-ips.txt"
fi
head -n "$CHANGES" "$WORK/all-ips.txt" >"$WORK/ips.txt"
python3 - "$WORK" "$LARGE_DOMAIN" <<'PY'
import json, random, string, sys
work, domain = sys.argv[1], sys.argv[2]
ips = [line.strip() for line in open(f"{work}/ips.txt") if line.strip()]
# Names no earlier run asked for: `web-<tag>-<n>` with a fresh tag of letters.
tag = "".join(random.choice(string.ascii_lowercase) for _ in range(6))
def body(prefix, dry_run, atomic):
    changes = [{"ip": ip, "ptr": f"{prefix}-{tag}-{n}.{domain}"} for n, ip in enumerate(ips)]
    return json.dumps({"changes": changes, "dry_run": dry_run, "atomic": atomic})
open(f"{work}/dry.json", "w").write(body("www", True, True))
open(f"{work}/atomic.json", "w").write(body("web", False, True))
open(f"{work}/each.json", "w").write(body("mail", False, False))
PY

echo "== $(wc -l <"$WORK/ips.txt") changes in one POST /api/v1/bulk (${PTRDESK_DATABASE%%:*}, offline checks only)"
# Issue #20's targets for 10,000 changes in one atomic request.
case "$PTRDESK_DATABASE" in
  postgres*) ATOMIC_TARGET=5 ;;
  *) ATOMIC_TARGET=3 ;;
esac
run() {
  local name=$1 file=$2 target=${3:-} seconds status
  read -r status seconds < <(curl -s -o "$WORK/$name.out" -w '%{http_code} %{time_total}\n' -u "$API_USER:$API_SECRET" \
    -H 'content-type: application/json' --data-binary @"$WORK/$file" "$BASE/api/v1/bulk")
  [ "$status" = 200 ] || fail "$name: POST /api/v1/bulk answered $status: $(head -c 300 "$WORK/$name.out")"
  BULK_LINE=$(python3 - "$name" "$seconds" "$WORK/$name.out" "$(stat -c %s "$WORK/$file")" <<'PY'
import json, sys
name, seconds, out, size = sys.argv[1], float(sys.argv[2]), sys.argv[3], int(sys.argv[4])
answer = json.load(open(out))
summary = answer["summary"]
if summary["failed"]:
    sys.exit(f"{name}: {summary['failed']} changes failed")
print(f"{summary['total']} changes in {seconds:.2f} s = {summary['total'] / seconds:.0f} changes/s "
      f"(body {size / 1e6:.1f} MB; published {summary['published']})")
PY
) || fail "the bulk answer was not as expected"
  if [ -n "$target" ] && [ "$CHANGES" -ge 10000 ]; then
    result "bulk API, $name" "$BULK_LINE" "10,000 changes < $target s" \
      "$(judge at_most "$seconds" "$target")"
  else
    result "bulk API, $name" "$BULK_LINE" "measured (no target)" measured
  fi
}
run "dry run" dry.json
run "atomic (one transaction)" atomic.json "$ATOMIC_TARGET"
run "non-atomic (savepoint each, 500 per transaction)" each.json
echo "  server peak RSS (VmHWM): $(peak_rss_mb "$SERVER") MB"
echo "$(peak_rss_mb "$SERVER")" >>"${BENCH_PEAKS:-/dev/null}"
