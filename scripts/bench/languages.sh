#!/usr/bin/env bash
# What translation costs a page (issue 19): the 50-IP customer's page in English and in German,
# each next to the plain route of the same server in the same run, and optionally the same
# page served by a build from before the catalogues (BENCH_BIN_BEFORE, on a database it seeds
# itself, since it does not know the newer migrations).
# Usage: scripts/bench/languages.sh [--smoke]   (BENCH_BIN_BEFORE, BENCH_SECONDS, BENCH_SCALE)
source "$(dirname "$0")/common.sh"
need wrk curl sqlite3
CONNECTIONS=${BENCH_CONNECTIONS:-32}
bench_build
export PTRDESK_DNS_CHECKS=false

# One server on a fresh SQLite file seeded by $BIN: measures the plain route and /ips as the
# 50-IP customer; sets PAGE_SHARE (the page's rate / the plain route's).
page_share() {
  local label=$1
  export PTRDESK_DATABASE="sqlite://$WORK/$label.sqlite"
  RUST_LOG=warn "$BIN" seed --scale "${BENCH_LANG_SCALE:-0.01}" --password "$BENCH_PASSWORD" >/dev/null
  server_start
  local cookie
  cookie=$(sign_in "$SMALL_USER")
  if [ "$label" = german ]; then
    sqlite3 "$WORK/$label.sqlite" "UPDATE users SET language = 'de' WHERE username = '$SMALL_USER'"
    curl -s -H "Cookie: $cookie" "$BASE/ips" | grep -q '<html lang="de">' || fail "the German page is not German"
  fi
  measure "plain route $PLAIN ($label)" "$PLAIN" "$CONNECTIONS"
  local plain=$R_rps
  measure "/ips, customer with 50 IPs ($label)" /ips "$CONNECTIONS" "$cookie"
  PAGE_RPS=$R_rps
  PAGE_SHARE=$(ratio "$R_rps" "$plain")
  kill "$SERVER"
  wait "$SERVER" 2>/dev/null || true
}

echo "== what translation costs the customer page (SQLite, scale ${BENCH_LANG_SCALE:-0.01})"
page_share english
ENGLISH_SHARE=$PAGE_SHARE
ENGLISH_RPS=$PAGE_RPS
page_share german
GERMAN_SHARE=$PAGE_SHARE
GERMAN_RPS=$PAGE_RPS
if [ -n "${BENCH_BIN_BEFORE:-}" ]; then
  BIN=$BENCH_BIN_BEFORE page_share before
  BEFORE_SHARE=$PAGE_SHARE
  result "50-IP customer page, before the catalogues (rate / plain route)" \
    "$(printf '%.0f/s = %s' "$PAGE_RPS" "$BEFORE_SHARE")" "the reference" measured
fi
result "50-IP customer page in English (rate / plain route)" \
  "$(printf '%.0f/s = %s' "$ENGLISH_RPS" "$ENGLISH_SHARE")" "${BEFORE_SHARE:+before: $BEFORE_SHARE}" measured
result "50-IP customer page in German (rate / plain route)" \
  "$(printf '%.0f/s = %s' "$GERMAN_RPS" "$GERMAN_SHARE")" "English: $ENGLISH_SHARE" measured
