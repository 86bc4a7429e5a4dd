#!/usr/bin/env bash
# Moving to ptrdesk from another primary: `ptrdesk import zone` transfers a /16 reverse zone of
# 65,536 PTRs (4,096 in a smoke run) from a Knot primary and carries each over as an entry of
# a new customer's /16 assignment (198.18.0.0/16; DNS checks off, name checks on); then runs
# it again (every PTR unchanged). Prints the wall time of each. On the seeded database when
# BENCH_DATABASE names one (all.sh runs it last: it adds that customer), else on DATABASE (an
# empty one), else on a fresh SQLite file.
# Usage: scripts/bench/zone-import.sh [--smoke]
source "$(dirname "$0")/common.sh"
need knotd knotc kdig python3
bench_build
export PTRDESK_DATABASE=${BENCH_DATABASE:-${DATABASE:-sqlite://$WORK/zone-import.sqlite}}
export PTRDESK_DNS_CHECKS=false
ZONE=18.198.in-addr.arpa
COUNT=$([ "$SMOKE" = 1 ] && echo 4096 || echo 65536)

dir="$WORK/knot-primary"
mkdir -p "$dir/run" "$dir/db" "$dir/zones"
python3 - "$COUNT" >"$dir/zones/$ZONE.zone" <<'PY'
import sys
count = int(sys.argv[1])
print("$ORIGIN 18.198.in-addr.arpa.\n$TTL 3600")
print("@ SOA ns1.old-primary.net. hostmaster.old-primary.net. 2026120601 3600 600 1209600 300")
print("@ NS ns1.old-primary.net.")
for n in range(count):
    third, fourth = divmod(n, 256)
    print(f"{fourth}.{third} PTR host-{third}-{fourth}.bench-migrated.net.")
PY
port=$(free_port)
cat >"$dir/knot.conf" <<CONF
server:
    rundir: "$dir/run"
    listen: 127.0.0.1@$port
log:
  - target: stderr
    any: warning
database:
    storage: "$dir/db"
acl:
  - id: transfer_to_loopback
    address: 127.0.0.0/8
    action: transfer
zone:
  - domain: $ZONE
    storage: "$dir/zones"
    file: $ZONE.zone
    acl: transfer_to_loopback
CONF
knot_start "$dir/knot.conf" "$port" "$ZONE"

printf 'customer_number,customer_name,server,network\nM1,Migrated Hosting,migrated-rack,198.18.0.0/16\n' >"$WORK/assignment.csv"
RUST_LOG=warn "$BIN" import assignments "$WORK/assignment.csv" >/dev/null

echo "== ptrdesk import zone $ZONE: $COUNT PTRs from Knot (${PTRDESK_DATABASE%%:*})"
for round in first again; do
  started=$(date +%s.%N)
  RUST_LOG=warn "$BIN" import zone "$ZONE" --from "127.0.0.1:$port" >"$WORK/import-$round.txt" \
    || fail "the import failed: $(tail -n 5 "$WORK/import-$round.txt")"
  took=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$started" "$(date +%s.%N)")
  echo "$round: $(sed -n '2p;3p' "$WORK/import-$round.txt" | tr '\n' ' ')in $took s"
  printf -v "TOOK_$round" '%s' "$took"
done
grep -q "^imported: $COUNT$" "$WORK/import-first.txt" || fail "not every PTR was imported: $(head -n 4 "$WORK/import-first.txt")"
grep -q "^unchanged: $COUNT" "$WORK/import-again.txt" || fail "the second import changed something: $(head -n 4 "$WORK/import-again.txt")"
entries=$(sql "SELECT COUNT(*) FROM entries WHERE hostname LIKE '%.bench-migrated.net'")
[ "$entries" = "$COUNT" ] || fail "$entries entries hold the imported names, not $COUNT"
result "import zone: $COUNT PTRs carried over (${PTRDESK_DATABASE%%:*})" \
  "$TOOK_first s (again, all unchanged: $TOOK_again s)" "none set" "measured"
