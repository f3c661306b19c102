#!/usr/bin/env bash
# Installs everything, builds, and runs the main job: the conformance matrix of every backend
# variant against the float64 reference, in node and then in headless Chromium.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
export TURBO_TELEMETRY_DISABLED=1
npx -y pnpm@12.4.2 exec turbo run build || exit 1
mkdir -p test-output
node packages/cli/dist/bin.js conformance --report test-output/conformance.md --json test-output/conformance.json "$@"
status=$?
node packages/cli/dist/bin.js conformance --browser --report test-output/conformance-browser.md --json test-output/conformance-browser.json "$@" || status=1
exit $status
