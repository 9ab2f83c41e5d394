#!/usr/bin/env bash
# Runs a command in its own mount and network namespace, so two end-to-end runs on one machine do
# not share Chromium's managed-policy folder (/etc/chromium/policies), Firefox's policy folders or
# loopback ports. For developers running several checkouts at once; CI runs one suite and does not
# need it. Needs root (unshare).
#
#   bash scripts/isolated.sh npx playwright test tests/e2e/bypass.spec.ts
set -euo pipefail
[ "$#" -gt 0 ] || { echo "usage: scripts/isolated.sh COMMAND [ARGS...]" >&2; exit 2; }
mkdir -p /etc/chromium/policies
exec unshare --mount --net --propagation private -- bash -c '
  set -e
  ip link set lo up
  mount -t tmpfs tmpfs /etc/chromium/policies
  [ -d /etc/firefox ] && mount -t tmpfs tmpfs /etc/firefox
  [ -d /usr/lib/firefox-esr/distribution ] && mount -t tmpfs tmpfs /usr/lib/firefox-esr/distribution
  exec "$@"
' isolated "$@"
