#!/usr/bin/env bash
# One bulk request through the native API on the seeded data set: the 5,000-IP bench customer
# sends `POST /api/v1/bulk` with a change for each of its addresses (BULK_CHANGES of them,
# 5,000; 500 in a smoke run), with the offline checks only (DNS checks off) — once as a dry run, once atomic (one transaction), once non-atomic
# (a savepoint per item, 500 items per transaction) — and the script prints the wall time of each and the rate. The
# API credential is made the way a customer makes one, on /api-credentials.
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

CHANGES=${BULK_CHANGES:-$([ "$SMOKE" = 1 ] && echo 500 || echo 5000)}
large_customer_ips >"$WORK/all-ips.txt"
head -n "$CHANGES" "$WORK/all-ips.txt" >"$WORK/ips.txt"
python3 - "$WORK" "$LARGE_DOMAIN" <<'PY'
import json, sys
work, domain = sys.argv[1], sys.argv[2]
ips = [line.strip() for line in open(f"{work}/ips.txt") if line.strip()]
def body(prefix, dry_run, atomic):
    changes = [{"ip": ip, "ptr": f"{prefix}{n}.{domain}"} for n, ip in enumerate(ips)]
    return json.dumps({"changes": changes, "dry_run": dry_run, "atomic": atomic})
open(f"{work}/dry.json", "w").write(body("www", True, True))
open(f"{work}/atomic.json", "w").write(body("web", False, True))
open(f"{work}/each.json", "w").write(body("mail", False, False))
PY

echo "== $(wc -l <"$WORK/ips.txt") changes in one POST /api/v1/bulk (${PTRDESK_DATABASE%%:*}, offline checks only)"
run() {
  local name=$1 file=$2 seconds status
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
  result "bulk API, $name" "$BULK_LINE" "measured (no target)" measured
}
run "dry run" dry.json
run "atomic (one transaction)" atomic.json
run "non-atomic (savepoint each, 500 per transaction)" each.json
echo "  server peak RSS (VmHWM): $(peak_rss_mb "$SERVER") MB"
echo "$(peak_rss_mb "$SERVER")" >>"${BENCH_PEAKS:-/dev/null}"
