#!/usr/bin/env bash
# Installs what a fresh machine needs: Debian's Chromium (browser tests and the browser
# conformance matrix), Debian's python3-onnx (ONNX's checker, run over every exported model by
# packages/backend-ort/test/export-check.test.ts, which fails in CI without it) and the
# workspace's packages from the frozen lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
apt_packages=()
[ -x /usr/bin/chromium ] || apt_packages+=(chromium)
/usr/bin/python3 -c 'import onnx' 2>/dev/null || apt_packages+=(python3-onnx)
if ((${#apt_packages[@]} > 0)); then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_packages[@]}" >/dev/null
  else
    echo "note: ${apt_packages[*]} missing and this is not root; the tests that need them will say so" >&2
  fi
fi
npx -y pnpm@12.4.2 install --frozen-lockfile
