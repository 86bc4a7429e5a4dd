#!/usr/bin/env bash
# PTR queries per second of ptrdesk's own DNS server, answering from its zone store in memory
# (loaded from the seeded database), against Knot DNS serving the same zones as its secondary
# (zone transfer from ptrdesk), with dnsperf, one run each in the same script (both share the
# machine with dnsperf: only the ratio means anything). The zones are the first ZONES reverse
# /24 zones of the data set; the questions are every address in them (customer PTRs and
# provider default names alike).
# With DNSSEC=1, ptrdesk signs the zones (dnssec = true), Knot serves them as transferred
# (signed, with ptrdesk's NSEC chain), and every question carries the DO bit: both answer with
# RRSIGs (ptrdesk signs online, from its signature cache).
# Usage: scripts/bench/dns.sh [--smoke]   (ZONES=4, CLIENTS=4, DNSSEC=0, BENCH_SECONDS,
# BENCH_DATABASE, DATABASE: see common.sh)
source "$(dirname "$0")/common.sh"
need dnsperf knotd knotc kdig
ZONES=${ZONES:-4}
CLIENTS=${CLIENTS:-4}
DNSSEC=${DNSSEC:-0}
DNSPERF_FLAGS=()
SIGNED=""
DIG_FLAGS=()
if [ "$DNSSEC" = 1 ]; then
  export PTRDESK_DNSSEC=true
  DNSPERF_FLAGS=(-D)
  DIG_FLAGS=(+dnssec)
  SIGNED=", signed, DO bit"
fi
bench_build
bench_database
PTRDESK_PORT=$(free_port)
KNOT_PORT=$(free_port)
export PTRDESK_DNS_CHECKS=false
export PTRDESK_DNS_LISTEN="127.0.0.1:$PTRDESK_PORT"
export PTRDESK_DNS_SECONDARIES="127.0.0.1:$KNOT_PORT"
server_start

mapfile -t ZONE_NAMES < <(sql "SELECT name FROM zones WHERE active = 1 AND name LIKE '%.in-addr.arpa'
                                ORDER BY first_addr LIMIT $ZONES")
[ "${#ZONE_NAMES[@]}" -gt 0 ] || fail "the data set has no reverse zone"
for zone in "${ZONE_NAMES[@]}"; do
  for i in $(seq 0 255); do echo "$i.$zone PTR"; done
done >"$WORK/queries.txt"

if [ "$DNSSEC" = 1 ]; then
  # Keys are made at the start, zone by zone (seconds for the thousands of zones of scale 1);
  # Knot must transfer the signed zones.
  for tries in $(seq 1200); do
    keys=$(kdig @127.0.0.1 -p "$PTRDESK_PORT" "${ZONE_NAMES[-1]}" DNSKEY +short | grep -c '^25[67] ' || true)
    [ "$keys" -ge 2 ] && break
    sleep 0.1
  done
  [ "$keys" -ge 2 ] || fail "ptrdesk serves no DNSKEY set for ${ZONE_NAMES[-1]}"
fi

DIR="$WORK/knot-secondary"
mkdir -p "$DIR/run" "$DIR/db" "$DIR/zones"
{
  cat <<EOF
server:
    rundir: "$DIR/run"
    listen: 127.0.0.1@$KNOT_PORT
database:
    storage: "$DIR/db"
remote:
  - id: primary
    address: 127.0.0.1@$PTRDESK_PORT
acl:
  - id: notify_from_primary
    address: 127.0.0.1
    action: notify
template:
  - id: default
    storage: "$DIR/zones"
    zonefile-sync: -1
    zonefile-load: none
    journal-content: none
zone:
EOF
  for zone in "${ZONE_NAMES[@]}"; do
    printf '  - domain: %s\n    master: primary\n    acl: notify_from_primary\n' "$zone"
  done
} >"$DIR/knot.conf"
knot_start "$DIR/knot.conf" "$KNOT_PORT" "${ZONE_NAMES[-1]}"

# A seeded PTR, answered by both.
read -r IP HOSTNAME < <(sql "SELECT address_text, hostname FROM entries
                             WHERE zone = '${ZONE_NAMES[0]}' AND hostname IS NOT NULL ORDER BY address LIMIT 1" | tr '|' ' ')
[ -n "$IP" ] || fail "no seeded PTR in ${ZONE_NAMES[0]}"
OURS=$(kdig @127.0.0.1 -p "$PTRDESK_PORT" -x "$IP" +short)
THEIRS=$(kdig @127.0.0.1 -p "$KNOT_PORT" -x "$IP" +short)
echo "== DNS${SIGNED}: ${#ZONE_NAMES[@]} zones, $(wc -l <"$WORK/queries.txt") names; $IP PTR: database $HOSTNAME, ptrdesk $OURS, Knot $THEIRS"
[ "$OURS" = "$HOSTNAME." ] || fail "ptrdesk answers $OURS for $IP, the database holds $HOSTNAME"
[ "$THEIRS" = "$HOSTNAME." ] || fail "Knot answers $THEIRS for $IP, the database holds $HOSTNAME"
if [ "$DNSSEC" = 1 ]; then
  for port in "$PTRDESK_PORT" "$KNOT_PORT"; do
    kdig @127.0.0.1 -p "$port" "${DIG_FLAGS[@]}" -x "$IP" | grep -q 'RRSIG.*PTR 13 ' ||
      fail "the answer of 127.0.0.1:$port carries no RRSIG"
  done
fi

dnsperf_run() {
  local port=$1 label=$2
  dnsperf -s 127.0.0.1 -p "$port" "${DNSPERF_FLAGS[@]}" -d "$WORK/queries.txt" -c "$CLIENTS" -l "$BENCH_SECONDS" >"$WORK/dnsperf.out" 2>&1 ||
    fail "dnsperf failed: $(cat "$WORK/dnsperf.out")"
  local qps lost completed
  qps=$(awk '/Queries per second/ { print $4 }' "$WORK/dnsperf.out")
  completed=$(awk '/Queries completed/ { print $3 }' "$WORK/dnsperf.out")
  lost=$(awk '/Queries lost/ { print $3 }' "$WORK/dnsperf.out")
  printf '  %-62s %8.0f queries/s  (%s completed, %s lost, %s clients)\n' "$label" "$qps" "$completed" "$lost" "$CLIENTS"
  [ "${completed:-0}" -gt 0 ] || fail "$label: no query completed"
  if grep -qE 'Response codes:.*(SERVFAIL|REFUSED|NXDOMAIN)' "$WORK/dnsperf.out"; then
    fail "$label: $(grep 'Response codes' "$WORK/dnsperf.out")"
  fi
  DNS_QPS=$qps
}
if [ "$DNSSEC" = 1 ]; then
  # One pass over the names first: the measurement is of answers whose signatures are cached
  # (each RRset is signed once a signature window, a week), not of the first signatures.
  dnsperf -s 127.0.0.1 -p "$PTRDESK_PORT" -D -d "$WORK/queries.txt" -n 1 >/dev/null 2>&1 || true
fi
dnsperf_run "$PTRDESK_PORT" "ptrdesk (from memory; database ${PTRDESK_DATABASE%%:*}${SIGNED})"
OURS_QPS=$DNS_QPS
dnsperf_run "$KNOT_PORT" "Knot DNS $(knotd --version | awk '{ print $NF }'), the same zones as secondary${SIGNED}"
THEIRS_QPS=$DNS_QPS
result "DNS PTR queries/s${SIGNED}, ptrdesk / Knot (dnsperf, $CLIENTS clients)" \
  "$(printf '%.0f / %.0f = %s' "$OURS_QPS" "$THEIRS_QPS" "$(ratio "$OURS_QPS" "$THEIRS_QPS")")" \
  "measured (no target)" measured "$(printf 'Knot %.0f q/s' "$THEIRS_QPS")"
echo "  server RSS now (VmRSS): $(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER/status") MB, peak (VmHWM): $(peak_rss_mb "$SERVER") MB"
echo "$(peak_rss_mb "$SERVER")" >>"${BENCH_PEAKS:-/dev/null}"
