#!/usr/bin/env bash
# Robustness under load (issue #8): MIXED_SECONDS (60) of mixed load at 64 connections on the
# seeded data set — customer page views (the 5,000-IP customer's pages and the 50-IP
# customer's), live checks, help-desk searches and saves (POST /ptr/save with the session's
# CSRF token, spread over all 5,000 addresses of the large bench customer from four sessions;
# see mixed.lua) — with the DNS checks asking a Knot DNS that serves the customer's forward
# zone. Then the database is checked for consistency. Target: 0 errors (every answer 2xx or
# 3xx, no socket error, no time-out) and a consistent database.
# MIXED_TEXT_SEARCH=0 leaves the text searches (hostname fragment, customer number) out of the
# help-desk part, to tell their cost from the rest.
# Usage: scripts/bench/mixed.sh [--smoke]   (MIXED_SECONDS, BENCH_DATABASE, DATABASE: see
# common.sh). Writes to the database (saves).
source "$(dirname "$0")/common.sh"
need wrk curl
SESSIONS=4
CONNECTIONS=${BENCH_CONNECTIONS:-64}
if [ "$SMOKE" = 1 ]; then MIXED_SECONDS=${MIXED_SECONDS:-2}; else MIXED_SECONDS=${MIXED_SECONDS:-60}; fi
bench_build
bench_database
forward_dns_start
export PTRDESK_DNS_CHECKS=true
export PTRDESK_DNS_SERVERS=$FORWARD_DNS
export PTRDESK_CHECK_MODE=resolver   # the forward zone is served by one test server, asked directly
server_start

# The data the Lua script needs: sessions with their CSRF tokens, the large customer's
# addresses with their entry versions, the searches.
{
  echo "domain = \"$LARGE_DOMAIN\""
  echo "pages = $(($(large_customer_ips | wc -l) / 25))"
  echo "sessions = {"
  for _ in $(seq "$SESSIONS"); do
    cookie=$(sign_in "$LARGE_USER")
    csrf=$(csrf_of "$cookie")
    [ -n "$csrf" ] || fail "no CSRF token on the large customer's page"
    echo "  { cookie = \"$cookie\", csrf = \"$csrf\" },"
  done
  echo "}"
  echo "small_cookie = \"$(sign_in "$SMALL_USER")\""
  echo "helpdesk_cookie = \"$(sign_in "$HELPDESK_USER")\""
  echo "ips = {"
  sql "SELECT a.network, COALESCE(e.version, 0) FROM assignments a
       JOIN servers s ON s.id = a.server_id JOIN customers c ON c.id = s.customer_id
       LEFT JOIN entries e ON e.address = a.first_addr
       WHERE c.number = '$LARGE_NUMBER' AND a.prefix_len = 32 ORDER BY a.first_addr" >"$WORK/versions.txt"
  awk -F'|' '{ printf "  \"%s\",\n", $1 }' "$WORK/versions.txt"
  echo "}"
  echo "versions = {"
  awk -F'|' '{ printf "  %d,\n", $2 }' "$WORK/versions.txt"
  echo "}"
  echo "searches = {"
  sql "SELECT network FROM assignments WHERE family = 4 ORDER BY first_addr DESC LIMIT 3" | awk '{ printf "  \"%s\",\n", $1 }'
  sql "SELECT network FROM assignments WHERE family = 6 ORDER BY first_addr DESC LIMIT 2" |
    python3 -c 'import ipaddress, sys
for line in sys.stdin:
    print("  \"%s\"," % ipaddress.ip_network(line.strip())[0x25])'
  if [ "${MIXED_TEXT_SEARCH:-1}" = 1 ]; then
    sql "SELECT hostname FROM entries WHERE hostname IS NOT NULL AND address_text NOT LIKE '%:%'
         ORDER BY address DESC LIMIT 1" | awk -F. '{ printf "  \"%s\",\n", $(NF - 1) }'
    sql "SELECT number FROM customers ORDER BY id DESC LIMIT 1" | awk '{ printf "  \"%s\",\n", $1 }'
  fi
  echo "}"
} >"$WORK/mixed-data.lua"
export BENCH_MIXED_DATA="$WORK/mixed-data.lua"

count_page_audit() {
  sql "SELECT COUNT(*) FROM audit WHERE door = 'page' AND actor = '$LARGE_USER'"
}
AUDIT_BEFORE=$(count_page_audit)
echo "== mixed load: $CONNECTIONS connections, ${MIXED_SECONDS}s (${PTRDESK_DATABASE%%:*}; $SESSIONS sessions of $LARGE_USER saving its $(wc -l <"$WORK/versions.txt") addresses)"
# One wrk thread per session (mixed.lua gives each thread its own session and addresses).
wrk -t"$SESSIONS" -c"$CONNECTIONS" -d"${MIXED_SECONDS}s" --timeout 10s -s scripts/bench/mixed.lua "$BASE/" >"$WORK/wrk.out" 2>&1 ||
  fail "wrk failed: $(cat "$WORK/wrk.out")"
line=$(sed -n 's/^BENCH //p' "$WORK/wrk.out")
[ -n "$line" ] || fail "wrk printed no result: $(cat "$WORK/wrk.out")"
eval "$(echo "$line" | sed 's/\([a-z0-9_]*\)=/R_\1=/g')"
SAVES=$(sed -n 's/^MIXED saves=//p' "$WORK/wrk.out")
printf '  %-62s %8.0f req/s  p50 %7.2f ms  p99 %7.2f ms  max %7.0f ms\n' "mixed (pages, checks, saves, searches)" \
  "$R_rps" "$R_p50_ms" "$R_p99_ms" "$R_max_ms"
sed -n 's/^MIXED thread/  thread/p; s/^    ! /      /p' "$WORK/wrk.out"
echo "  requests $R_requests; saves answered 303: $SAVES; errors: answers >= 400 $R_status, socket $R_socket (connect $R_connect, read $R_read, write $R_write, timeout $R_timeout), bad live checks $R_bad"
# Let requests cut off at the end finish before the data is checked.
sleep 1
AUDIT_AFTER=$(count_page_audit)
WRITTEN=$((AUDIT_AFTER - AUDIT_BEFORE))
echo "  audit rows written through the page by $LARGE_USER during the run: $WRITTEN"
if grep -qiE 'database is locked|busy|pool timed out' "$SERVER_LOG"; then
  echo "  !! the server logged lock or pool errors:" >&2
  grep -iE 'database is locked|busy|pool timed out' "$SERVER_LOG" | head -n 5 >&2
fi

echo "== consistency of the database after the load"
PROBLEMS=0
check() {
  local label=$1 query=$2 found
  found=$(sql "$query")
  if [ "$found" = 0 ]; then
    printf '  ok   %s\n' "$label"
  else
    printf '  FAIL %s: %s\n' "$label" "$found"
    PROBLEMS=$((PROBLEMS + 1))
  fi
}
check "every entry is in force by a published change of its address with its hostname" \
  "SELECT COUNT(*) FROM entries e LEFT JOIN changes c ON c.id = e.change_id
   WHERE c.id IS NULL OR c.state <> 'published' OR c.address <> e.address
      OR NOT (c.requested_hostname = e.hostname OR (c.requested_hostname IS NULL AND e.hostname IS NULL))"
# Per address: how many published changes, and the latest (grouped once, not per entry).
check "an entry's change is the latest published change of its address, its version their count" \
  "SELECT COUNT(*) FROM entries e JOIN (SELECT address, COUNT(*) AS published, MAX(id) AS latest
     FROM changes WHERE state = 'published' GROUP BY address) p ON p.address = e.address
   WHERE e.change_id <> p.latest OR e.version <> p.published"
check "every address with a published change has its entry" \
  "SELECT COUNT(*) FROM (SELECT DISTINCT address FROM changes WHERE state = 'published') p
   LEFT JOIN entries e ON e.address = p.address WHERE e.address IS NULL"
check "every change has its audit row" \
  "SELECT COUNT(*) FROM changes c LEFT JOIN (SELECT DISTINCT change_id FROM audit WHERE change_id IS NOT NULL) a
   ON a.change_id = c.id WHERE a.change_id IS NULL"
check "every published change has one ptr.set/ptr.reset/change.approved audit row" \
  "SELECT COUNT(*) FROM changes c LEFT JOIN (SELECT change_id, COUNT(*) AS n FROM audit
     WHERE action IN ('ptr.set', 'ptr.reset', 'change.approved') GROUP BY change_id) a
   ON a.change_id = c.id WHERE c.state = 'published' AND (a.n IS NULL OR a.n <> 1)"
check "at most one open change per address" \
  "SELECT COUNT(*) FROM (SELECT address FROM changes WHERE superseded_by IS NULL
     AND state IN ('pending', 'rejected', 'in-review', 'denied') GROUP BY address HAVING COUNT(*) > 1) doubled"
# An entry outside every zone is stamped when its zone is made (by a node serving DNS; bulk.sh
# adds a /64 that none of the later servers makes a zone for).
check "every entry is stamped with an existing zone at or below its serial, or is in no zone yet" \
  "SELECT COUNT(*) FROM entries e LEFT JOIN zones z ON z.name = e.zone
   WHERE (e.zone IS NOT NULL AND (z.name IS NULL OR e.zone_serial IS NULL OR e.zone_serial > z.serial))
      OR (e.zone IS NULL AND EXISTS (SELECT 1 FROM zones y WHERE y.active = 1
                                     AND y.first_addr <= e.address AND y.last_addr >= e.address))"
check "every zone serial is clock-based (>= 10^9, as the zone sync starts them)" \
  "SELECT COUNT(*) FROM zones WHERE serial < 1000000000"
if [ "$WRITTEN" -lt "$SAVES" ]; then
  echo "  FAIL fewer audit rows ($WRITTEN) than saves answered ($SAVES)"
  PROBLEMS=$((PROBLEMS + 1))
else
  echo "  ok   every save answered with a redirect left its audit row ($WRITTEN rows for $SAVES saves)"
fi

ERRORS=$((R_status + R_socket + R_bad))
RSS=$(peak_rss_mb "$SERVER")
echo "  server peak RSS (VmHWM) after the load: $RSS MB"
echo "$RSS" >>"${BENCH_PEAKS:-/dev/null}"
result "mixed load ${MIXED_SECONDS}s at $CONNECTIONS connections: errors" \
  "$(printf '%d errors in %d requests (%.0f/s, p99 %.0f ms; %d saves); %d consistency problems' \
    "$ERRORS" "$R_requests" "$R_rps" "$R_p99_ms" "$SAVES" "$PROBLEMS")" "0 errors, consistent" \
  "$([ "$ERRORS" = 0 ] && [ "$PROBLEMS" = 0 ] && [ "$R_requests" -gt 0 ] && echo met || echo "NOT MET")"
[ "$R_requests" -gt 0 ] || fail "no request completed"
[ "$PROBLEMS" = 0 ] || fail "the database is not consistent after the load"
if [ "$ERRORS" != 0 ]; then
  [ "$SMOKE" != 1 ] || fail "$ERRORS errors under load"
  echo "  !! $ERRORS errors under load (see above)" >&2
fi
