#!/usr/bin/env bash
# Runs `promtool check metrics` (Debian's prometheus package) on the insight
# scene's /metrics text, printed by `insight_dump --metrics`; fails on any
# error or lint promtool reports. Usage: check_metrics.sh <insight_dump>.
# Exit 77 (meson's "skipped") only if promtool is not installed.
set -euo pipefail
if ! command -v promtool >/dev/null; then
  echo "SKIP: promtool not found (apt-get install prometheus; scripts/install-deps does)"
  exit 77
fi
metrics=$("$1" --metrics)
echo "$metrics" | grep -c '^weir_' | sed 's/^/samples: /'
# promtool exits non-zero on a parse error, and prints lint problems (exit 3).
report=$(echo "$metrics" | promtool check metrics 2>&1) || { echo "$report"; exit 1; }
[ -z "$report" ] || { echo "$report"; exit 1; }
echo "promtool check metrics: no problems"
