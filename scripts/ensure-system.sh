#!/usr/bin/env bash
# Installs the Debian packages the tests and the demo need, when missing:
# a real registry (CNCF distribution), skopeo (benchmark baseline, pushing), htpasswd, openssl;
# with arguments also `chromium`, `code-server-deps` (see below) or any Debian package name.
# Idempotent and quiet when everything is there.
set -euo pipefail
need=()
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
command -v skopeo >/dev/null 2>&1 || need+=(skopeo)
command -v htpasswd >/dev/null 2>&1 || need+=(apache2-utils)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
for extra in "$@"; do
  case "$extra" in
    chromium) command -v chromium >/dev/null 2>&1 || need+=(chromium) ;;
    # What installing code-server from npm builds its native modules with (scripts/e2e/setup.sh).
    code-server-deps)
      command -v rg >/dev/null 2>&1 || need+=(ripgrep)
      command -v python3 >/dev/null 2>&1 || need+=(python3)
      { command -v make && command -v g++; } >/dev/null 2>&1 || need+=(build-essential)
      dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null | grep -q 'ok installed' || need+=(libkrb5-dev)
      ;;
    *) need+=("$extra") ;;
  esac
done
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "Missing Debian packages: ${need[*]}. Install them with: sudo apt-get install -y --no-install-recommends ${need[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
