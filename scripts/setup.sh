#!/usr/bin/env bash
# Set-up for a fresh Debian machine: the browsers the tests drive, the npm dependencies, a build.
# Works as root (containers have no sudo) and as a user with sudo; apt runs only when a browser
# is missing, so a machine that has both needs neither root nor sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

# The engines field of package.json says >=20.19.
if ! command -v node >/dev/null 2>&1 || ! node -e '
  const [major, minor] = process.versions.node.split(".").map(Number);
  process.exit(major > 20 || (major === 20 && minor >= 19) ? 0 : 1);'; then
  echo "setup: Node.js 20.19 or newer is needed (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

# Debian package -> the binary the tests launch.
declare -A browsers=([chromium]=/usr/bin/chromium [firefox-esr]=/usr/bin/firefox-esr)
missing=()
for package in "${!browsers[@]}"; do
  [ -x "${browsers[$package]}" ] || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "setup: ${missing[*]} missing, and installing needs root or sudo. As root, run:" >&2
    echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "--- installing Debian's ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq </dev/null
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" </dev/null
fi

echo "--- npm ci"
npm ci --no-audit --no-fund </dev/null

echo "--- npm run build"
npm run build </dev/null
