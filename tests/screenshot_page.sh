#!/usr/bin/env bash
# Takes a headless Chromium screenshot of the insight page (docs/insight-page.png,
# shown in the README). The page serves tests/insight_dump's scene: a
# supervisor with a restarted child, a suspended producer, a paused consumer,
# an actor waiting for a reply, a deadlocked pair, and the lints they raise.
#
#     bash tests/screenshot_page.sh [build-dir] [output.png]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
out="${2:-docs/insight-page.png}"
command -v chromium >/dev/null || apt-get install -y chromium
[ -f "$build/build.ninja" ] || meson setup "$build" >/dev/null
ninja -C "$build" tests/insight_dump >/dev/null

port=18642
log="$(mktemp)"
"$build/tests/insight_dump" --serve "$port" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do  # a script, not a test: wait for the server to say it listens
  grep -q serving "$log" && break
  sleep 0.1
done
grep -q serving "$log" || { cat "$log" >&2; exit 1; }

mkdir -p "$(dirname "$out")"
# The page fetches its data after load: give its scripts virtual time to run.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,900 \
  --virtual-time-budget=3000 --screenshot="$PWD/$out" "http://127.0.0.1:$port/" 2>/dev/null
echo "wrote $out"
