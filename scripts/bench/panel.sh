#!/usr/bin/env bash
# The customer's page on the seeded data set: a customer with 50 IPs (/ips) and the first page
# of a customer with 5,000 IPs, each next to the plain-text route of the same server in the
# same run (wrk and the server share the machine: only the ratios mean anything).
# Targets (issue #8): the 50-IP page at >= 25 % of the plain route's rate; the 5,000-IP first
# page no slower than the 50-IP page (rate ratio >= 0.95: one run's noise).
# Usage: scripts/bench/panel.sh [--smoke]   (BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_DATABASE,
# DATABASE: see common.sh)
source "$(dirname "$0")/common.sh"
need wrk curl
CONNECTIONS=${BENCH_CONNECTIONS:-32}
bench_build
bench_database
export PTRDESK_DNS_CHECKS=false
server_start

SMALL_COOKIE=$(sign_in "$SMALL_USER")
LARGE_COOKIE=$(sign_in "$LARGE_USER")
SMALL_ROWS=$(curl -s -H "Cookie: $SMALL_COOKIE" "$BASE/ips" | grep -c 'class="ptr-row' || true)
LARGE_ROWS=$(curl -s -H "Cookie: $LARGE_COOKIE" "$BASE/ips" | grep -c 'class="ptr-row' || true)
echo "== customer pages (${PTRDESK_DATABASE%%:*}): the 50-IP customer's page shows $SMALL_ROWS rows, the 5,000-IP customer's first page $LARGE_ROWS"
[ "$SMALL_ROWS" -gt 0 ] && [ "$LARGE_ROWS" -gt 0 ] || fail "a customer page shows no rows"

measure "plain route $PLAIN" "$PLAIN" "$CONNECTIONS"
PLAIN_RPS=$R_rps
measure "/ips, customer with 50 IPs" /ips "$CONNECTIONS" "$SMALL_COOKIE"
SMALL_RPS=$R_rps
SMALL_P99=$R_p99_ms
SMALL_PROBLEM=$R_problem
measure "/ips first page, customer with 5,000 IPs" /ips "$CONNECTIONS" "$LARGE_COOKIE"
LARGE_RPS=$R_rps
LARGE_P99=$R_p99_ms
LARGE_PROBLEM=$R_problem
measure "/ips?page=200 (last page), customer with 5,000 IPs" "/ips?page=200" "$CONNECTIONS" "$LARGE_COOKIE"

SMALL_SHARE=$(ratio "$SMALL_RPS" "$PLAIN_RPS")
LARGE_VS_SMALL=$(ratio "$LARGE_RPS" "$SMALL_RPS")
result "50-IP customer page /ips (rate / plain route)" \
  "$(printf '%.0f/s = %s of %s (p99 %.1f ms)' "$SMALL_RPS" "$SMALL_SHARE" "$PLAIN" "$SMALL_P99")" ">= 0.25" \
  "$(R_problem=$SMALL_PROBLEM judge at_most 0.25 "$SMALL_SHARE")"
result "5,000-IP customer first page (rate / 50-IP page)" \
  "$(printf '%.0f/s = %s of the 50-IP page (p99 %.1f ms)' "$LARGE_RPS" "$LARGE_VS_SMALL" "$LARGE_P99")" ">= 0.95 (no slower, within one run's noise)" \
  "$(R_problem="$SMALL_PROBLEM$LARGE_PROBLEM" judge at_most 0.95 "$LARGE_VS_SMALL")"
echo "  server peak RSS (VmHWM): $(peak_rss_mb "$SERVER") MB"
echo "$(peak_rss_mb "$SERVER")" >>"${BENCH_PEAKS:-/dev/null}"
