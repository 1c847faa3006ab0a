#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/system-packages.txt that are not installed yet.
# Idempotent and quick when nothing is missing; needs root (as on these machines and in CI).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$here/system-packages.txt" | grep -v '^$' || true)
missing=()
no_service=()
for entry in "${wanted[@]}"; do
  # `package!`: Debian starts the package's service on install; stopped and disabled below.
  quiet=0
  if [ "${entry%!}" != "$entry" ]; then
    quiet=1
    entry="${entry%!}"
  fi
  # `package@command` installs the package only when no `command` is on the PATH (another package,
  # such as an upstream build, may provide it already).
  pkg="${entry%%@*}"
  if [ "$entry" != "$pkg" ] && command -v "${entry#*@}" >/dev/null 2>&1; then
    continue
  fi
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
    [ "$quiet" -eq 0 ] || no_service+=("$pkg")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "scripts/install-system-packages.sh: root is needed to install ${missing[*]} (try sudo)" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Only the services of packages installed just now: a Prometheus someone already runs is left alone.
for unit in "${no_service[@]}"; do
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    systemctl disable --now "$unit" >/dev/null 2>&1 || true
  elif [ -x "/etc/init.d/$unit" ]; then
    "/etc/init.d/$unit" stop >/dev/null 2>&1 || true
    update-rc.d "$unit" disable >/dev/null 2>&1 || true
  fi
  echo "The $unit service Debian sets up is stopped and disabled (Cutover starts its own on free ports)"
done
