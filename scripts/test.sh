#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine as on a developer's: installs what the tests
# need (as root, with apt), runs the lints and the layer check, then every test twice: on SQLite (a fresh file per
# test) and on PostgreSQL (a private cluster started here, a fresh database per test).
# `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the tests start or drive: Chromium and its WebDriver for the browser test,
# PostgreSQL for the second run of the suite, Knot DNS as a real secondary of ptrdesk's DNS;
# wrk, dnsperf and sqlite3 for the smoke run of the benchmarks (scripts/bench); BIND (an RFC 2136
# primary, and delv/dnssec-verify validating signed zones), PowerDNS with its SQLite backend (a
# primary fed through its HTTP API), unbound (a caching resolver in front of the test hierarchy)
# and aiosmtpd (the SMTP server that receives the notification mails).
PACKAGES=(chromium chromium-driver postgresql knot knot-dnsutils wrk dnsperf sqlite3
  bind9 bind9-utils bind9-dnsutils pdns-server pdns-backend-sqlite3 unbound python3-aiosmtpd)
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "missing packages (install them as root): ${missing[*]}" >&2
    exit 1
  fi
fi

# The OpenID Connect provider the sign-in tests start (PyPI oidc-provider-mock, Authlib), in
# a virtual environment of its own under .test-tools/ (ignored by git).
OIDC_VENV=.test-tools/oidc
if [ ! -x "$OIDC_VENV/bin/oidc-provider-mock" ]; then
  python3 -m venv "$OIDC_VENV" 2>/dev/null || {
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv
    fi
    rm -rf "$OIDC_VENV"
    python3 -m venv "$OIDC_VENV"
  }
  "$OIDC_VENV/bin/pip" install --quiet --disable-pip-version-check oidc-provider-mock==0.3.4
fi

# Real Robot clients the Robot API tests drive (tests/api/robot_clients.rs): the Ansible
# collection community.hrobot (bundled in PyPI `ansible`) and PyPI `hetzner`, pinned, in a
# virtual environment of their own.
ROBOT_VENV=.test-tools/robot
if [ ! -x "$ROBOT_VENV/bin/ansible" ] || [ ! -f "$ROBOT_VENV/.pinned-ansible-12.3.0-hetzner-0.8.3" ]; then
  rm -rf "$ROBOT_VENV"
  python3 -m venv "$ROBOT_VENV"
  "$ROBOT_VENV/bin/pip" install --quiet --disable-pip-version-check ansible==12.3.0 ansible-core==2.19.14 hetzner==0.8.3
  touch "$ROBOT_VENV/.pinned-ansible-12.3.0-hetzner-0.8.3"
fi

# axe-core (npm), which the browser tests inject into pages to check accessibility
# (tests/api/helpers/axe.rs), pinned, under .test-tools/ like the Python tools.
AXE_DIR=.test-tools/axe
if [ ! -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ] || ! grep -q '"version": "4.11.0"' "$AXE_DIR/node_modules/axe-core/package.json"; then
  if ! command -v npm >/dev/null; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm
    fi
  fi
  npm install --silent --no-audit --no-fund --prefix "$AXE_DIR" axe-core@4.11.0
fi

run_tests() {
  if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --locked --no-fail-fast
  else
    cargo test --locked --no-fail-fast
  fi
}

# A throw-away PostgreSQL cluster on loopback: its own directory and a free port, stopped on
# exit whatever happens.
start_postgres() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PG_DIR=$(mktemp -d)
  PG_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_postgres=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$PG_DIR"
    as_postgres=(runuser -u postgres --)
  fi
  "${as_postgres[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "${as_postgres[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w start \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=400" >/dev/null
  trap '"${as_postgres[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1; rm -rf "$PG_DIR"' EXIT
  POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT"
}

cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings
# The documentation builds without a broken link, and the module layers hold (no import
# cycle, nothing below importing what is above it, no transaction in a handler).
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --locked --quiet
python3 scripts/check-layers.py

echo "== the suite on SQLite"
run_tests
echo "== the suite on PostgreSQL"
start_postgres
# Given to the suite only: ptrdesk reads every PTRDESK_* variable as a setting and refuses
# names it does not know, so the benchmarks' ptrdesk must not see it.
PTRDESK_TEST_POSTGRES=$POSTGRES_URL run_tests
# Every benchmark once at a tiny scale, on both engines: fails when one breaks (sign-in, no
# requests, error answers), measures nothing.
echo "== benchmarks, smoke run"
scripts/bench/all.sh --smoke
scripts/bench/all.sh --smoke --postgres "$POSTGRES_URL"
