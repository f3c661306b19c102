// Packaging checks for every public package: publint on the packed manifest and
// @arethetypeswrong/cli (ESM-only profile). Run after `turbo run build`.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
// publint packs with `pnpm`, which this project runs through npx: put a shim on the PATH.
const shims = mkdtempSync(join(tmpdir(), 'tessera-shims-'));
writeFileSync(join(shims, 'pnpm'), '#!/bin/sh\nexec npx -y pnpm@12.4.2 "$@"\n');
chmodSync(join(shims, 'pnpm'), 0o755);
const env = { ...process.env, PATH: `${shims}:${process.env.PATH}` };
const packs = mkdtempSync(join(tmpdir(), 'tessera-packs-'));
let failed = 0;
for (const dir of readdirSync(join(root, 'packages'))) {
  const cwd = join(root, 'packages', dir);
  const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
  if (pkg.private) continue;
  // The tarball pnpm publishes (publishConfig applied, workspace versions resolved).
  const out = execFileSync('npx', ['-y', 'pnpm@12.4.2', 'pack', '--pack-destination', packs], {
    cwd,
    env,
    encoding: 'utf8',
  });
  const tarball = out.trim().split('\n').pop();
  for (const [tool, args] of [
    ['publint', ['--strict', '--pack', 'pnpm']],
    ['attw', [tarball, '--profile', 'esm-only', '--format', 'ascii']],
  ]) {
    try {
      execFileSync(bin(tool), args, { cwd, env, stdio: 'pipe', encoding: 'utf8' });
      console.log(`ok    ${tool.padEnd(8)} ${pkg.name}`);
    } catch (e) {
      failed++;
      console.log(`FAIL  ${tool.padEnd(8)} ${pkg.name}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
  }
}
console.log(failed === 0 ? 'packaging checks passed' : `${failed} packaging check(s) failed`);
process.exit(failed === 0 ? 0 : 1);
