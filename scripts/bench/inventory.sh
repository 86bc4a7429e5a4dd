#!/usr/bin/env bash
# The provisioning API at provider scale: with a staff credential (scope inventory), the whole
# seeded inventory is read (`GET /api/v1/inventory`) and sent back unchanged (`PUT
# /api/v1/inventory`: nothing to do, an empty difference); then a difference of 1,000 changes
# (500 assignments removed, their entries reset, and 500 IPv6 /64 added; 20 + 20 in a smoke run)
# as a dry run, applied in one transaction, and sent again (empty). Prints the wall time of
# each. Run last by all.sh: it changes the data set.
# Usage: scripts/bench/inventory.sh [--smoke]   (BENCH_DATABASE, DATABASE: see common.sh)
source "$(dirname "$0")/common.sh"
need python3
bench_build
bench_database
export PTRDESK_DNS_CHECKS=false
server_start
LOGIN=$(RUST_LOG=warn "$BIN" credential add bench-provisioning --scope inventory 2>/dev/null)
[ -n "$LOGIN" ] || fail "no staff credential could be made with ptrdesk credential add"
HALF=$([ "$SMOKE" = 1 ] && echo 20 || echo 500)

echo "== the whole inventory through the provisioning API (${PTRDESK_DATABASE%%:*})"
python3 - "$BASE" "$LOGIN" "$HALF" "$WORK" <<'PY' >"$WORK/inventory.tsv" || fail "the provisioning API did not answer as expected"
import base64, json, sys, time, urllib.request
base, login, half, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
auth = "Basic " + base64.b64encode(login.encode()).decode()
def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method,
        headers={"Authorization": auth, "Content-Type": "application/json"})
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=600) as answer:
        result = json.load(answer)
    return result, time.monotonic() - started, len(data or b"")
def counts(diff):
    return {key: len(diff[key]) for key in ("create", "move", "remove", "rename")}
inventory, seconds, _ = call("GET", "/api/v1/inventory")
customers = inventory["customers"]
networks = sum(len(s["assignments"]) for c in customers for s in c["servers"])
print(f"GET /api/v1/inventory\t{len(customers)} customers, {networks} assignments in {seconds:.2f} s")
diff, seconds, size = call("PUT", "/api/v1/inventory", inventory)
if any(counts(diff).values()):
    sys.exit(f"the unchanged inventory has a difference: {counts(diff)}")
print(f"PUT of the unchanged inventory\tempty difference in {seconds:.2f} s (body {size / 1e6:.1f} MB)")
removed = added = 0
for customer in customers:
    for server in customer["servers"]:
        if removed < half and server["assignments"]:
            server["assignments"].pop()
            removed += 1
        if added < half:
            server["assignments"].append(f"fd42:{added:x}::/64")
            added += 1
diff, seconds, _ = call("PUT", "/api/v1/inventory?dry_run=true", inventory)
wanted = {"create": added, "move": 0, "remove": removed, "rename": 0}
if counts(diff) != wanted:
    sys.exit(f"the dry run's difference is {counts(diff)}, not {wanted}")
print(f"PUT of {added + removed} changes, dry run\tthe difference in {seconds:.2f} s")
diff, seconds, _ = call("PUT", "/api/v1/inventory", inventory)
if counts(diff) != wanted:
    sys.exit(f"the applied difference is {counts(diff)}, not {wanted}")
print(f"PUT of {added + removed} changes, applied in one transaction\t{seconds:.2f} s")
diff, seconds, _ = call("PUT", "/api/v1/inventory", inventory)
if any(counts(diff).values()):
    sys.exit(f"sending it again has a difference: {counts(diff)}")
print(f"the same PUT again\tempty difference in {seconds:.2f} s")
PY
while IFS=$'\t' read -r figure value; do
  result "provisioning: $figure" "$value" "seconds, not minutes" measured
done <"$WORK/inventory.tsv"
echo "  server peak RSS (VmHWM): $(peak_rss_mb "$SERVER") MB"
