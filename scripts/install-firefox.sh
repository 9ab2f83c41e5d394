#!/usr/bin/env bash
# Installs Debian's Firefox ESR for the Firefox end-to-end test (scripts/test-firefox.sh), only
# if it is missing. Idempotent; needs root. No geckodriver: the test drives Firefox over WebDriver
# BiDi with puppeteer-core, which Firefox ESR speaks natively.
set -euo pipefail

if command -v firefox-esr >/dev/null 2>&1; then
  exit 0
fi
echo "Installing Debian package: firefox-esr"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends firefox-esr >/dev/null
echo "Firefox ready: $(firefox-esr --version 2>/dev/null | head -1)"
