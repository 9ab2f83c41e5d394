#!/usr/bin/env bash
# Steward in Debian's Firefox ESR: build the Firefox package, force-install it with a generated
# policies.json (/etc/firefox/policies and Debian's /usr/lib/firefox-esr/distribution, both
# restored afterwards), and check configuration and blocking over WebDriver BiDi.
# Needs root (policy folders, ports 80 and 443) and firefox-esr (installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-firefox.sh
if [ "$(id -u)" != 0 ]; then
  echo "test-firefox: needs root (system policy folders and ports 80/443)." >&2
  exit 1
fi
npx vitest run --config tests/e2e-firefox/vitest.config.ts
