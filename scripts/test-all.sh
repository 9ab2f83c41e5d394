#!/usr/bin/env bash
# The whole test suite: what `npm test` runs and what CI runs (.ci/run). Sets up what it needs on a
# fresh machine (Debian packages, npm dependencies), then: type-check, lint and format, build,
# unit and server tests, end-to-end tests in real Chromium, and the check that the end-to-end
# tests fail without the extension.
set -euo pipefail
cd "$(dirname "$0")/.."
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "System packages"
bash scripts/install-system-deps.sh

step "npm dependencies"
# `npm install` against the committed lock file, not `npm ci`: this machine's npm 11 records only
# the current platform's optional packages (biome, rollup binaries) in the lock and `npm ci` then
# refuses the lock as out of sync.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi

step "Type-check"
npx wxt prepare >/dev/null
npx tsc --noEmit

step "Lint and format (Biome)"
npx biome ci .

step "Build"
npx wxt build
# The same extension with a test clock in the worker, for the personal-use windows spec only.
npx wxt build --mode e2e-clock

step "Unit and server tests (Vitest)"
npx vitest run 2>&1 | tee "$logs/unit.txt"

step "End-to-end tests (Playwright + Debian Chromium)"
npx playwright test 2>&1 | tee "$logs/e2e.txt"

step "The end-to-end tests fail without the extension"
npx tsx scripts/check-e2e-needs-extension.ts

step "Firefox ESR: force install from policies.json, configuration read, categories blocked"
bash scripts/test-firefox.sh 2>&1 | tee "$logs/firefox.txt"

# One closing line for the whole run, summing what each runner reported.
vitest_passed() { sed 's/\x1b\[[0-9;]*m//g' "$1" | awk '/^ +Tests /{for(i=1;i<=NF;i++) if($(i+1) ~ /^passed/) print $i}' | tail -1; }
unit_passed=$(vitest_passed "$logs/unit.txt")
firefox_passed=$(vitest_passed "$logs/firefox.txt")
e2e_passed=$(sed 's/\x1b\[[0-9;]*m//g' "$logs/e2e.txt" | awk '/^ +[0-9]+ passed/{print $1}' | tail -1)
total=$(( ${unit_passed:-0} + ${e2e_passed:-0} + ${firefox_passed:-0} ))
echo
echo "unit+server: ${unit_passed:-0} passed; Chromium end-to-end: ${e2e_passed:-0} passed; Firefox: ${firefox_passed:-0} passed"
echo "${total} passed, 0 failed"
