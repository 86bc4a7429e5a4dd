#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine as on a developer's: installs what the tests
# need (as root, with apt), then runs lints and every test. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the tests start or drive: Chromium and its WebDriver for the browser test.
PACKAGES=(chromium chromium-driver)
if [ "${#PACKAGES[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}"
  else
    echo "warning: not root or no apt-get; make sure these are installed: ${PACKAGES[*]}" >&2
  fi
fi

cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --locked --no-fail-fast
else
  cargo test --locked --no-fail-fast
fi
