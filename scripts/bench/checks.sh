#!/usr/bin/env bash
# The criterion benchmarks of the check engine on one core (benches/checks.rs,
# benches/hostnames.rs): hostname parsing and the offline checks, in hostnames per second, and
# one full live check against a DNS server on loopback. Target (issue #8): the offline checks
# at >= 200,000 hostnames/s per core.
# --smoke runs each benchmark once (`-- --test`): it proves they run, and measures nothing.
# Usage: scripts/bench/checks.sh [--smoke]
source "$(dirname "$0")/common.sh"
TARGET=200000
if [ "$SMOKE" = 1 ]; then
  cargo bench --quiet --bench checks --bench hostnames -- --test >"$WORK/criterion.out" 2>&1 ||
    fail "cargo bench failed: $(tail -n 20 "$WORK/criterion.out")"
  echo "== criterion benchmarks: each ran once (smoke)"
  exit 0
fi
cargo bench --quiet --bench checks --bench hostnames -- --noplot >"$WORK/criterion.out" 2>&1 ||
  fail "cargo bench failed: $(tail -n 20 "$WORK/criterion.out")"

# Criterion prints the benchmark's name, then `time: [lo mid hi]` and `thrpt: [lo mid hi]`,
# then (after an earlier run) the same as `change:` percentages, which are skipped.
# Prints "NAME<TAB>elements per second (middle estimate)" for every throughput benchmark.
throughputs() {
  awk '
    /^[a-z]/ && !/^(time|thrpt|change|Found|Benchmarking|Gnuplot)/ { name = $0; sub(/ +time:.*/, "", name); change = 0 }
    /change:/ { change = 1 }
    /thrpt:/ && !change {
      value = $0; sub(/.*thrpt: *\[/, "", value); split(value, parts, " ")
      n = parts[3]; unit = parts[4]
      factor = (unit ~ /^G/) ? 1e9 : (unit ~ /^M/) ? 1e6 : (unit ~ /^K/) ? 1e3 : 1
      gsub(/ +$/, "", name); printf "%s\t%.0f\n", name, n * factor
    }' "$WORK/criterion.out"
}
echo "== criterion (one core)"
throughputs | while IFS=$'\t' read -r name per_second; do
  printf '  %-45s %12.0f hostnames/s\n' "$name" "$per_second"
done
grep -A1 '^live-check' "$WORK/criterion.out" | sed -n 's/.*time: *\[[^ ]* [^ ]* \([^ ]*\) \([^ ]*\).*/  live-check, one full check against loopback DNS: \1 \2/p'

throughput_of() {
  throughputs | awk -F'\t' -v name="$1" '$1 == name { print $2 }'
}
for bench in "offline/all test vectors" "offline/seeded names"; do
  value=$(throughput_of "$bench")
  [ -n "$value" ] || fail "criterion printed no throughput for $bench"
  result "offline checks per core ($bench)" "$(printf '%.0f hostnames/s' "$value")" ">= $TARGET/s" \
    "$(R_problem="" judge at_most "$TARGET" "$value")"
done
for bench in "parse/test vectors" "parse/seeded names"; do
  value=$(throughput_of "$bench")
  [ -n "$value" ] || fail "criterion printed no throughput for $bench"
  result "hostname parsing per core ($bench)" "$(printf '%.0f hostnames/s' "$value")" "measured (no target)" measured
done
