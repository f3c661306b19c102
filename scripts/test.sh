#!/usr/bin/env bash
# Installs everything and runs every test of every package (the README's test command; CI runs it).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
export TURBO_TELEMETRY_DISABLED=1
rm -rf packages/*/test-output apps/*/test-output examples/test-output
status=0
failed=()
# Runs one step; a failing step is remembered and named at the end, after the test summary.
step() {
  local name=$1
  shift
  "$@" || { status=1; failed+=("$name"); }
}
# One failing package does not stop the others (nor the builds the later steps need).
step 'package tests (turbo)' npx -y pnpm@12.4.2 exec turbo run test --concurrency=2 \
  --continue=dependencies-successful
# Type-level tests (`*.test-d.ts`: a registry or kernel table missing an op fails tsc) run here.
step 'typecheck' npx -y pnpm@12.4.2 exec turbo run typecheck --concurrency=2
# The packed packages' .d.ts in a fresh project under strict, skipLibCheck: false,
# exactOptionalPropertyTypes and noUncheckedIndexedAccess (their dependencies linked from the store).
step 'public types' node scripts/check-public-types.mjs
step 'biome lint' npx -y pnpm@12.4.2 exec biome lint .
# The API reference: every export documented (typedoc's validation warnings are errors).
step 'api docs' npx -y pnpm@12.4.2 exec typedoc --emit none
# Circular imports in every package's and app's src/ (dpdm; type-only imports left out).
step 'import cycles' node scripts/check-cycles.mjs
# The browser conformance matrix in headless Chromium (WebGPU variants run on SwiftShader here and
# are left to `bash scripts/conformance.sh`, which runs every variant).
mkdir -p test-output
step 'browser conformance' node packages/cli/dist/bin.js conformance --browser \
  --backends tfjs:cpu,tfjs:wasm,tfjs:webgl,ort:wasm,gpujs:webasm,gpujs:webgl2 \
  --report test-output/conformance-browser.md --json test-output/conformance-browser.json
# Packaging: publint and attw on every public package, then the packed tarballs installed with
# npm into a project outside the workspace and run there.
step 'package checks' node scripts/check-packages.mjs
step 'pack smoke test' node scripts/pack-smoke.mjs
step 'test summary' node scripts/test-summary.mjs
if ((status != 0)); then
  printf 'FAILED steps: %s\n' "$(IFS=,; echo "${failed[*]}" | sed 's/,/, /g')"
else
  echo 'every step passed'
fi
exit $status
