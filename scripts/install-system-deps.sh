#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only those missing. Idempotent; needs root
# (CI and the dev machines run as root). Never downloads a browser of its own: Playwright drives
# Debian's Chromium at /usr/bin/chromium.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s fonts-liberation >/dev/null 2>&1 || need+=(fonts-liberation)
command -v openssl >/dev/null 2>&1 || need+=(openssl)

if [ "${#need[@]}" -gt 0 ]; then
  echo "Installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Further environments (each script is idempotent and installs only what is missing).
for extra in scripts/roundcube/install.sh scripts/install-firefox.sh; do
  if [ -f "$extra" ]; then bash "$extra"; fi
done
echo "System packages ready: $(chromium --version 2>/dev/null | head -1)"
