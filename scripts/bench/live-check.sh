#!/usr/bin/env bash
# The live check a customer's browser asks while they type, `GET /ptr/check?…&stage=full` (the
# offline rules, then `domain-exists` and `forward-confirmed` asked of DNS), for the 5,000-IP
# bench customer's addresses in turn, each with a name that resolves to it. The DNS is a Knot
# DNS started here serving that customer's forward zone (the panel's `dns_servers` point at
# it). The per-user and per-address limits of the live check are turned off (common.sh): this
# measures the endpoint, not the limiter. Next to the plain route of the same server.
# Usage: scripts/bench/live-check.sh [--smoke]   (BENCH_SECONDS, BENCH_CONNECTIONS,
# BENCH_DATABASE, DATABASE: see common.sh)
source "$(dirname "$0")/common.sh"
need wrk curl
CONNECTIONS=${BENCH_CONNECTIONS:-16}
bench_build
bench_database
forward_dns_start
export PTRDESK_DNS_CHECKS=true
export PTRDESK_DNS_SERVERS=$FORWARD_DNS
export PTRDESK_CHECK_MODE=resolver   # the forward zone is served by one test server, asked directly
server_start
COOKIE=$(sign_in "$LARGE_USER")

large_customer_ips | awk -v domain="$LARGE_DOMAIN" \
  '{ printf "/ptr/check?ip=%s&hostname=edge%d.%s&stage=full\n", $1, NR - 1, domain }' >"$WORK/checks.txt"
[ -s "$WORK/checks.txt" ] || fail "the large bench customer has no addresses"
FIRST=$(head -n 1 "$WORK/checks.txt")
ANSWER=$(curl -s -H "Cookie: $COOKIE" "$BASE$FIRST")
echo "== live checks against Knot at $FORWARD_DNS ($(wc -l <"$WORK/checks.txt") addresses, ${PTRDESK_DATABASE%%:*})"
echo "$ANSWER" | grep -q 'finding info' || fail "the live check of $FIRST did not pass: $ANSWER"
echo "$ANSWER" | grep -qE 'finding (error|unverified)' && fail "the live check of $FIRST found a problem: $ANSWER"

measure "plain route $PLAIN" "$PLAIN" "$CONNECTIONS"
PLAIN_RPS=$R_rps
export BENCH_PATHS="$WORK/checks.txt" BENCH_BAD='class="finding error'
measure "/ptr/check stage=full (offline rules + 2 DNS questions)" /ptr/check "$CONNECTIONS" "$COOKIE" scripts/bench/rotate.lua
result "live check /ptr/check stage=full" \
  "$(printf '%.0f/s = %s of %s, p50 %.1f ms, p99 %.1f ms' "$R_rps" "$(ratio "$R_rps" "$PLAIN_RPS")" "$PLAIN" "$R_p50_ms" "$R_p99_ms")" \
  "measured (no target)" "$([ -z "$R_problem" ] && echo measured || echo "NOT MET")" \
  "$(printf '%s %.0f/s' "$PLAIN" "$PLAIN_RPS")"
echo "  server peak RSS (VmHWM): $(peak_rss_mb "$SERVER") MB"
echo "$(peak_rss_mb "$SERVER")" >>"${BENCH_PEAKS:-/dev/null}"
