#!/usr/bin/env bash
# The whole test suite: what `npm test` runs and what CI runs (.ci/run). Sets up what it needs on a
# fresh machine (Debian packages, npm dependencies), then: type-check, lint and format, build,
# unit and server tests, end-to-end tests in real Chromium, and the check that the end-to-end
# tests fail without the extension.
set -euo pipefail
cd "$(dirname "$0")/.."
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# Each step's heading says how long the run has taken so far, so a slow or stuck step shows in
# CI's output.
step() { printf '\n\033[1m== %s\033[0m  (%d min %02d s in)\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)); }

# `within SECONDS COMMAND...`: runs a step with a limit several times its usual length (and the
# sum of the limits under CI's 90 minutes). A step that hangs is stopped and named, with the
# processes still running, instead of silently using up CI's time. GNU timeout signals the
# command's whole process group, so browsers and servers it started stop too.
within() {
  local limit=$1
  shift
  local rc=0
  timeout --kill-after=30 "$limit" "$@" || rc=$?
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    printf '\n!! Stopped: "%s" had not finished after %d s (its limit).\n' "$*" "$limit" >&2
    echo "!! Processes still running, longest first:" >&2
    ps -eo pid,etimes,args --sort=-etimes | cut -c1-200 | head -30 >&2
  fi
  return "$rc"
}

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
within 300 npx wxt prepare >/dev/null
within 600 npx tsc --noEmit

step "Lint and format (Biome)"
within 300 npx biome ci .

step "Build"
# A build takes seconds. One that has not finished in 5 minutes is stopped and started once more,
# saying so: the output CI kept of one run that ran out of time ended at the build's "Preparing...".
build() {
  local rc=0
  within 300 npx wxt build "$@" || rc=$?
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    echo "!! The build was stopped after 5 minutes; building once more." >&2
    within 300 npx wxt build "$@"
  elif [ "$rc" != 0 ]; then
    return "$rc"
  fi
}
build
# The same extension with a test clock in the worker, for the personal-use windows spec only.
build --mode e2e-clock

step "Unit and server tests (Vitest)"
within 1200 npx vitest run 2>&1 | tee "$logs/unit.txt"

step "End-to-end tests (Playwright + Debian Chromium)"
within 2400 npx playwright test 2>&1 | tee "$logs/e2e.txt"

step "The end-to-end tests fail without the extension"
within 1800 npx tsx scripts/check-e2e-needs-extension.ts

step "Firefox ESR: force install from policies.json, configuration read, categories blocked"
within 900 bash scripts/test-firefox.sh 2>&1 | tee "$logs/firefox.txt"

# One closing line for the whole run, summing what each runner reported.
vitest_passed() { sed 's/\x1b\[[0-9;]*m//g' "$1" | awk '/^ +Tests /{for(i=1;i<=NF;i++) if($(i+1) ~ /^passed/) print $i}' | tail -1; }
unit_passed=$(vitest_passed "$logs/unit.txt")
firefox_passed=$(vitest_passed "$logs/firefox.txt")
e2e_passed=$(sed 's/\x1b\[[0-9;]*m//g' "$logs/e2e.txt" | awk '/^ +[0-9]+ passed/{print $1}' | tail -1)
total=$(( ${unit_passed:-0} + ${e2e_passed:-0} + ${firefox_passed:-0} ))
echo
echo "unit+server: ${unit_passed:-0} passed; Chromium end-to-end: ${e2e_passed:-0} passed; Firefox: ${firefox_passed:-0} passed"
echo "${total} passed, 0 failed ($((SECONDS / 60)) min $((SECONDS % 60)) s)"
