#!/usr/bin/env bash
# Installs the Debian packages the Roundcube end-to-end environment needs
# (tests/e2e/support/roundcube.ts). Idempotent: installs only what is missing,
# refreshes apt lists only when a package has no install candidate, never starts
# system services (the test harness runs its own dovecot/php/SMTP sink as child
# processes with throwaway config) and skips roundcube's dbconfig questions.
set -euo pipefail

# php8.2-cgi satisfies php8.2's "libapache2-mod-php8.2 | php8.2-fpm | php8.2-cgi"
# dependency, so apt does not drag in Apache (which we never use: php -S serves).
PACKAGES=(roundcube-core roundcube-sqlite3 php-cli php8.2-cgi dovecot-imapd sqlite3)

log() { printf '[roundcube-install] %s\n' "$*"; }

if [[ $(id -u) -ne 0 ]]; then
  SUDO=sudo
else
  SUDO=
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
    log "already installed: $pkg"
  else
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  log 'nothing to do: all packages present'
  exit 0
fi
log "missing: ${missing[*]}"

# Refresh the package lists only if one of the missing packages has no candidate
# (lists absent or stale); a rerun on a prepared machine touches nothing.
need_update=0
for pkg in "${missing[@]}"; do
  cand=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ {print $2}')
  if [[ -z $cand || $cand == '(none)' ]]; then
    need_update=1
  fi
done
if [[ $need_update -eq 1 ]]; then
  log 'running apt-get update (a package had no install candidate)'
  $SUDO apt-get update -q
else
  log 'apt lists already know every package; skipping apt-get update'
fi

# Tell roundcube-core not to let dbconfig-common create a database: the harness
# makes its own SQLite file per run. Debconf answers are harmless to repeat.
$SUDO debconf-set-selections <<'SEL'
roundcube-core roundcube/dbconfig-install boolean false
roundcube-core roundcube/database-type select sqlite3
roundcube-core roundcube/restart-webserver multiselect
roundcube-core roundcube/reconfigure-webserver multiselect
SEL

# Block service starts during the install (Debian's invoke-rc.d honours
# policy-rc.d exit 101). Keep an existing policy file; remove only ours.
created_policy=0
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod 755 /usr/sbin/policy-rc.d
  created_policy=1
  log 'temporarily installed /usr/sbin/policy-rc.d to keep services stopped'
fi
cleanup() {
  if [[ $created_policy -eq 1 ]]; then
    $SUDO rm -f /usr/sbin/policy-rc.d
  fi
}
trap cleanup EXIT

start=$(date +%s)
log "apt-get install --no-install-recommends ${missing[*]}"
$SUDO env DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true \
  apt-get install -y -q --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
  "${missing[@]}"
log "installed in $(($(date +%s) - start)) s"

# A distro dovecot may have been started by an init without policy-rc.d
# support; the harness does not need it, so just report it.
if pgrep -x dovecot >/dev/null 2>&1; then
  log 'note: a system dovecot is running; the harness uses its own ports and dirs, so it does not clash'
fi

for bin in php dovecot sqlite3; do
  command -v "$bin" >/dev/null || { log "error: $bin not on PATH after install"; exit 1; }
done
[[ -d /usr/share/roundcube ]] || { log 'error: /usr/share/roundcube missing after install'; exit 1; }
log 'done'
