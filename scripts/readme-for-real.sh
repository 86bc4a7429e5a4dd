#!/usr/bin/env bash
# Runs the README's "Running it for real" block exactly as written, as a new operator on a fresh
# Debian machine would paste it, and checks that the panel it starts answers.
#
# The block writes /etc/ptrdesk.toml and /var/lib/ptrdesk and listens on 127.0.0.1:8080, so it
# runs in a throw-away mount and network namespace (needs root, util-linux `unshare`):
#   - /var/lib is an empty tmpfs (no /var/lib/ptrdesk yet, as on a fresh machine),
#   - /etc and the clone are overlays whose writes vanish afterwards,
#   - the network is a private loopback: nothing leaves the machine, no port of the host is used;
#   - a private PID namespace: whatever the block started ends with it.
# `target/` is the real build directory ($CARGO_TARGET_DIR when set), so `cargo build --release`
# is incremental. Exit 0 when the panel served /healthz and /login; the block's output is shown.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
PATIENCE=${READMEFORREAL_PATIENCE:-1200}   # seconds for the release build and the start

if [ "$(id -u)" -ne 0 ]; then
  echo "readme-for-real: needs root (it runs the README's root steps in a private namespace)" >&2
  exit 1
fi
mkdir -p "$TARGET" "$REPO/target"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# The first ```sh block after the heading.
awk '/^## Running it for real/ { found = 1 }
     found && /^```sh$/ { inside = 1; next }
     inside && /^```$/ { exit }
     inside { print }' "$REPO/README.md" > "$WORK/block.sh"
if [ ! -s "$WORK/block.sh" ]; then
  echo "readme-for-real: no sh block under 'Running it for real' in README.md" >&2
  exit 1
fi

cat > "$WORK/inside.sh" <<INSIDE
set -euo pipefail
ip link set lo up
mount -t tmpfs tmpfs /var/lib
mkdir -p "$WORK/etc-up" "$WORK/etc-work" "$WORK/repo-up" "$WORK/repo-work"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$WORK/etc-up,workdir=$WORK/etc-work" /etc
mount -t overlay overlay -o "lowerdir=$REPO,upperdir=$WORK/repo-up,workdir=$WORK/repo-work" "$REPO"
mount --bind "$TARGET" "$REPO/target"
cd "$REPO"
unset CARGO_TARGET_DIR
for name in \$(env | sed -n 's/^\(PTRDESK_[A-Z0-9_]*\)=.*/\1/p'); do unset "\$name"; done
setsid bash -e "$WORK/block.sh" > "$WORK/block.log" 2>&1 &
block=\$!
deadline=\$((SECONDS + $PATIENCE))
until curl -fsS -o /dev/null http://127.0.0.1:8080/healthz 2>/dev/null; do
  if ! kill -0 "\$block" 2>/dev/null; then
    echo "readme-for-real: the block ended before the panel served" >&2
    cat "$WORK/block.log" >&2
    exit 1
  fi
  if [ "\$SECONDS" -ge "\$deadline" ]; then
    echo "readme-for-real: no /healthz within $PATIENCE s" >&2
    cat "$WORK/block.log" >&2
    kill -TERM -- "-\$block"
    exit 1
  fi
  sleep 1
done
status=0
curl -fsS http://127.0.0.1:8080/healthz || status=1
echo
curl -fsS -o /dev/null http://127.0.0.1:8080/login || status=1
grep -q "ptrdesk is serving" "$WORK/block.log" || status=1
grep -q "configuration file=\"/etc/ptrdesk.toml\"" "$WORK/block.log" || status=1
test -f /var/lib/ptrdesk/ptrdesk.sqlite || status=1
kill -TERM -- "-\$block"
wait "\$block" || true
cat "$WORK/block.log"
exit "\$status"
INSIDE

if unshare --mount --net --pid --mount-proc --fork bash "$WORK/inside.sh"; then
  echo "readme-for-real: the README's steps work as written"
else
  echo "readme-for-real: FAILED" >&2
  exit 1
fi
