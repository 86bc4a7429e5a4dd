#!/usr/bin/env bash
# The help-desk search (/lookup?q=…) over the whole seeded data set, signed in as the bench
# help-desk user, at 16 connections, next to the plain-text route of the same server: an
# address inside an IPv6 /64 (IP in prefix), a single IPv4 address, a hostname fragment (one
# customer's domain, near the far end of the data), a common fragment (the first word of that
# domain: a word many customers' names, servers' names and host names share) and a customer
# number.
# Target (issue #8): p99 < 20 ms at 16 connections over 1 M IPs, for every search.
# Usage: scripts/bench/lookup.sh [--smoke]   (BENCH_SECONDS, BENCH_DATABASE, DATABASE: see
# common.sh)
source "$(dirname "$0")/common.sh"
need wrk curl
CONNECTIONS=${BENCH_CONNECTIONS:-16}
TARGET_P99_MS=20
bench_build
bench_database
export PTRDESK_DNS_CHECKS=false
server_start
COOKIE=$(sign_in "$HELPDESK_USER")

# Search targets near the far end of the data (the last /64, the last customer's domain).
LAST_V6=$(sql "SELECT network FROM assignments WHERE family = 6 ORDER BY first_addr DESC LIMIT 1")
[ -n "$LAST_V6" ] || fail "the data set has no IPv6 /64"
IN_V6=$(python3 -c "import ipaddress, sys; print(ipaddress.ip_network(sys.argv[1])[0xbeef])" "$LAST_V6")
MIDDLE_V4=$(sql "SELECT network FROM assignments WHERE family = 4 ORDER BY first_addr
                 LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM assignments WHERE family = 4)")
LAST_NAME=$(sql "SELECT hostname FROM entries WHERE hostname IS NOT NULL AND address_text NOT LIKE '%:%'
                 ORDER BY address DESC LIMIT 1")
# www.quarz-logistik-049997.de -> quarz-logistik-049997
FRAGMENT=$(echo "$LAST_NAME" | awk -F. '{ print $(NF - 1) }')
# quarz-logistik-049997 -> quarz
COMMON=${FRAGMENT%%-*}
NUMBER=$(sql "SELECT number FROM customers ORDER BY id DESC LIMIT 1")
echo "== help-desk search (${PTRDESK_DATABASE%%:*}, $(sql "SELECT COUNT(*) FROM assignments") assignments, $(sql "SELECT COUNT(*) FROM entries") entries)"
for q in "$IN_V6" "$MIDDLE_V4" "$FRAGMENT" "$COMMON" "$NUMBER"; do
  HITS=$(curl -s -H "Cookie: $COOKIE" "$BASE/lookup?q=$q" | grep -c 'class="lookup-hit"' || true)
  echo "  /lookup?q=$q shows $HITS results"
  [ "$HITS" -gt 0 ] || fail "/lookup?q=$q finds nothing"
done

measure "plain route $PLAIN" "$PLAIN" "$CONNECTIONS"
PLAIN_RPS=$R_rps
search() {
  local label=$1 q=$2
  measure "/lookup?q=$q ($label)" "/lookup?q=$q" "$CONNECTIONS" "$COOKIE"
  local value
  value=$(printf '%.1f ms (%.0f/s = %s of %s)' "$R_p99_ms" "$R_rps" "$(ratio "$R_rps" "$PLAIN_RPS")" "$PLAIN")
  [ -z "$R_problem" ] || value="$R_problem"
  result "help-desk search: $label, p99 at $CONNECTIONS connections" "$value" \
    "< $TARGET_P99_MS ms" "$(judge at_most "$R_p99_ms" "$TARGET_P99_MS")"
}
search "address inside a /64" "$IN_V6"
search "single IPv4 address" "$MIDDLE_V4"
search "hostname fragment" "$FRAGMENT"
search "common fragment" "$COMMON"
search "customer number" "$NUMBER"
# The time one search takes without queueing behind others.
measure "/lookup?q=$FRAGMENT, one connection" "/lookup?q=$FRAGMENT" 1 "$COOKIE"
echo "  server peak RSS (VmHWM): $(peak_rss_mb "$SERVER") MB"
echo "$(peak_rss_mb "$SERVER")" >>"${BENCH_PEAKS:-/dev/null}"
