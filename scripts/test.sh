#!/usr/bin/env bash
# Installs everything and runs every test of every package (the README's test command; CI runs it).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
export TURBO_TELEMETRY_DISABLED=1
rm -rf packages/*/test-output apps/*/test-output examples/test-output
npx -y pnpm@12.4.2 exec turbo run test --concurrency=2
status=$?
npx -y pnpm@12.4.2 exec biome lint . || status=1
# The browser conformance matrix in headless Chromium (WebGPU variants run on SwiftShader here and
# are left to `bash scripts/conformance.sh`, which runs every variant).
mkdir -p test-output
node packages/cli/dist/bin.js conformance --browser \
  --backends tfjs:cpu,tfjs:wasm,tfjs:webgl,ort:wasm,gpujs:webasm,gpujs:webgl2 \
  --report test-output/conformance-browser.md --json test-output/conformance-browser.json || status=1
# Packaging: publint and attw on every public package, then the packed tarballs installed with
# npm into a project outside the workspace and run there.
node scripts/check-packages.mjs || status=1
node scripts/pack-smoke.mjs || status=1
node scripts/test-summary.mjs || status=1
exit $status
