// Pack smoke test: packs every public package with pnpm, installs the tarballs with npm into a
// fresh project outside the workspace (no workspace links), and runs a small script there that
// parses a preset, compiles it on ort and tfjs, and checks their outputs agree.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'tessera-smoke-'));
const packs = join(work, 'packs');
mkdirSync(packs);
const tarballs = {};
for (const dir of readdirSync(join(root, 'packages'))) {
  const cwd = join(root, 'packages', dir);
  const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
  if (pkg.private) continue;
  const out = execFileSync('npx', ['-y', 'pnpm@12.4.2', 'pack', '--pack-destination', packs], {
    cwd,
    encoding: 'utf8',
  });
  tarballs[pkg.name] = `file:${out.trim().split('\n').pop()}`;
}
const app = join(work, 'app');
mkdirSync(app);
const versions = JSON.parse(
  readFileSync(join(root, 'packages/backend-ort/package.json'), 'utf8'),
).devDependencies;
const tfVersions = JSON.parse(
  readFileSync(join(root, 'packages/backend-tfjs/package.json'), 'utf8'),
).devDependencies;
writeFileSync(
  join(app, 'package.json'),
  JSON.stringify(
    {
      name: 'tessera-smoke',
      private: true,
      type: 'module',
      dependencies: {
        '@tessera/spec': tarballs['@tessera/spec'],
        '@tessera/backend-ort': tarballs['@tessera/backend-ort'],
        '@tessera/backend-tfjs': tarballs['@tessera/backend-tfjs'],
        'onnxruntime-node': versions['onnxruntime-node'],
        '@tensorflow/tfjs': tfVersions['@tensorflow/tfjs'],
      },
      // Internal dependencies between the packs resolve to the packs, never to the registry.
      overrides: tarballs,
    },
    null,
    2,
  ),
);
writeFileSync(
  join(app, 'smoke.mjs'),
  `import { initWeights, randomInputs, transformerLM } from '@tessera/spec';
import { createBackend as ort } from '@tessera/backend-ort';
import { createBackend as tfjs } from '@tessera/backend-tfjs';

const spec = transformerLM({ vocabSize: 20, dModel: 16, nhead: 2, numLayers: 1, maxLength: 8 });
const weights = initWeights(spec, 1);
const inputs = randomInputs(spec, { batch: 2, time: 6 }, 2);
const a = (await (await (await ort({ variant: 'node' })).compile(spec, weights)).run(inputs)).logits;
const b = (await (await (await tfjs({ variant: 'cpu' })).compile(spec, weights)).run(inputs)).logits;
let worst = 0;
for (let i = 0; i < a.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i] - b.data[i]) / (1e-5 + 1e-4 * Math.abs(a.data[i])));
console.log('ort vs tfjs on', a.shape.join('x'), 'worst error / tolerance =', worst.toFixed(3));
if (!(worst <= 1)) process.exit(1);
`,
);
execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], {
  cwd: app,
  stdio: 'inherit',
});
execFileSync('node', ['smoke.mjs'], { cwd: app, stdio: 'inherit' });
console.log('pack smoke test passed');
