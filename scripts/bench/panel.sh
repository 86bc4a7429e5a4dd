#!/usr/bin/env bash
# The customer's page on the seeded data set: a customer with 50 IPs (/ips), the first page
# and page 200 (the last) of a customer with 5,000 IPs, each next to the stylesheet and the
# plain-text route of the same server in the same run (wrk and the server share the machine:
# only the ratios mean anything).
# Targets (issue 20): the 50-IP page and the 5,000-IP first page each at >= 25 % of the
# stylesheet's rate; page 200 within 10 % of page 1 (reached as a user does, by the "next"
# links, which carry the keyset position).
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

# Page 200 as a user reaches it: following "next" from the first page.
LAST_PAGE=/ips
for _ in $(seq 199); do
  NEXT=$(curl -s -H "Cookie: $LARGE_COOKIE" "$BASE$LAST_PAGE" | sed -n 's/.*<a[^>]*rel="next"[^>]*href="\([^"]*\)".*/\1/p; s/.*<a[^>]*href="\([^"]*\)"[^>]*rel="next".*/\1/p' | head -n 1 | sed 's/&amp;/\&/g; s/&#38;/\&/g')
  [ -n "$NEXT" ] || fail "no next link on $LAST_PAGE"
  LAST_PAGE=$NEXT
done
echo "  page 200 of the 5,000-IP customer by its links: $LAST_PAGE"

measure "plain route $PLAIN" "$PLAIN" "$CONNECTIONS"
PLAIN_RPS=$R_rps
measure "stylesheet /static/ptrdesk.css" /static/ptrdesk.css "$CONNECTIONS"
STYLE_RPS=$R_rps
measure "/ips, customer with 50 IPs" /ips "$CONNECTIONS" "$SMALL_COOKIE"
SMALL_RPS=$R_rps
SMALL_P99=$R_p99_ms
SMALL_PROBLEM=$R_problem
measure "/ips first page, customer with 5,000 IPs" /ips "$CONNECTIONS" "$LARGE_COOKIE"
LARGE_RPS=$R_rps
LARGE_P99=$R_p99_ms
LARGE_PROBLEM=$R_problem
measure "page 200 (last page, by its links), customer with 5,000 IPs" "$LAST_PAGE" "$CONNECTIONS" "$LARGE_COOKIE"
LAST_RPS=$R_rps
LAST_P99=$R_p99_ms
LAST_PROBLEM=$R_problem

SMALL_SHARE=$(ratio "$SMALL_RPS" "$STYLE_RPS")
LARGE_SHARE=$(ratio "$LARGE_RPS" "$STYLE_RPS")
LAST_VS_FIRST=$(ratio "$LAST_RPS" "$LARGE_RPS")
result "50-IP customer page /ips (rate / stylesheet)" \
  "$(printf '%.0f/s = %s of the stylesheet (%.0f/s; %s of %s) (p99 %.1f ms)' "$SMALL_RPS" "$SMALL_SHARE" "$STYLE_RPS" "$(ratio "$SMALL_RPS" "$PLAIN_RPS")" "$PLAIN" "$SMALL_P99")" ">= 0.25" \
  "$(R_problem=$SMALL_PROBLEM judge at_most 0.25 "$SMALL_SHARE")" \
  "$(printf 'stylesheet %.0f/s, %s %.0f/s' "$STYLE_RPS" "$PLAIN" "$PLAIN_RPS")"
result "5,000-IP customer first page (rate / stylesheet)" \
  "$(printf '%.0f/s = %s of the stylesheet (p99 %.1f ms)' "$LARGE_RPS" "$LARGE_SHARE" "$LARGE_P99")" ">= 0.25" \
  "$(R_problem=$LARGE_PROBLEM judge at_most 0.25 "$LARGE_SHARE")" \
  "$(printf 'stylesheet %.0f/s' "$STYLE_RPS")"
result "5,000-IP customer page 200 (rate / its first page)" \
  "$(printf '%.0f/s = %s of page 1 (p99 %.1f ms)' "$LAST_RPS" "$LAST_VS_FIRST" "$LAST_P99")" ">= 0.90" \
  "$(R_problem="$LARGE_PROBLEM$LAST_PROBLEM" judge at_most 0.90 "$LAST_VS_FIRST")" \
  "$(printf 'page 1 %.0f/s' "$LARGE_RPS")"
echo "  server peak RSS (VmHWM): $(peak_rss_mb "$SERVER") MB"
echo "$(peak_rss_mb "$SERVER")" >>"${BENCH_PEAKS:-/dev/null}"
