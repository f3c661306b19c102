#!/usr/bin/env bash
# Installs what a fresh machine needs: Debian's Chromium (browser tests and the browser
# conformance matrix) and the workspace's packages from the frozen lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "note: /usr/bin/chromium is missing and this is not root; browser tests will say so" >&2
  fi
fi
npx -y pnpm@12.4.2 install --frozen-lockfile
