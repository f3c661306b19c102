// Public types check: packs every public package, unpacks the tarballs into a fresh project
// outside the workspace, and compiles a file that imports every public entry point and calls the
// main APIs, under the strictest settings a user may have (`strict`, `skipLibCheck: false`,
// `exactOptionalPropertyTypes`, `noUncheckedIndexedAccess`). A type of an internal dependency
// that leaks into a .d.ts, or a declaration that only compiles under the workspace's settings,
// fails here. Run after `turbo run build`.
//
// Offline: the tarballs are unpacked (not installed), and their third-party dependencies are
// linked from the workspace's pnpm store (node_modules/.pnpm/node_modules holds every package of
// the lockfile), so nothing is downloaded and the versions are the lockfile's.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const store = join(root, 'node_modules', '.pnpm', 'node_modules');
const work = mkdtempSync(join(tmpdir(), 'tessera-types-'));
const packs = join(work, 'packs');
const app = join(work, 'app');
const modules = join(app, 'node_modules');
mkdirSync(packs);
mkdirSync(modules, { recursive: true });

/** Every public package: its manifest as published and the subpaths its exports map offers. */
const published = [];
for (const dir of readdirSync(join(root, 'packages')).sort()) {
  const cwd = join(root, 'packages', dir);
  const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
  if (pkg.private) continue;
  const out = execFileSync('npx', ['-y', 'pnpm@12.4.2', 'pack', '--pack-destination', packs], {
    cwd,
    encoding: 'utf8',
  });
  const tarball = out.trim().split('\n').pop();
  const target = join(modules, ...pkg.name.split('/'));
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  // The packed manifest: publishConfig applied and workspace: versions resolved.
  published.push(JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')));
}

/** Links a third-party package from the workspace's store into the project. */
function link(name) {
  const to = join(modules, ...name.split('/'));
  if (existsSync(to)) return;
  const from = existsSync(join(store, name)) ? join(store, name) : join(root, 'node_modules', name);
  if (!existsSync(from)) throw new Error(`${name} is not in the workspace's node_modules`);
  mkdirSync(dirname(to), { recursive: true });
  symlinkSync(from, to, 'dir');
}
for (const pkg of published) {
  for (const name of Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }))
    if (!name.startsWith('@tessera/')) link(name);
}
// What a user's project brings: the compiler and Node's types.
link('typescript');
link('@types/node');

/** Every subpath a package exports that has types (`.`, `./manifest`, `./train`, ...). */
const entryPoints = published.flatMap((pkg) =>
  Object.entries(pkg.exports ?? {})
    .filter(([, target]) => typeof target === 'object' && target.types !== undefined)
    .map(([subpath]) => (subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`)),
);

writeFileSync(
  join(app, 'package.json'),
  JSON.stringify({ name: 'tessera-types-check', private: true, type: 'module' }, null, 2),
);
writeFileSync(
  join(app, 'tsconfig.json'),
  JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2023', 'DOM'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        types: ['node'],
        strict: true,
        skipLibCheck: false,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        noImplicitOverride: true,
        verbatimModuleSyntax: true,
        noEmit: true,
      },
      include: ['*.ts'],
    },
    null,
    2,
  ),
);
// Every entry point, imported as a namespace so that all of its declarations are loaded.
writeFileSync(
  join(app, 'entry-points.ts'),
  `${entryPoints.map((e, i) => `import * as m${i} from '${e}';`).join('\n')}\nexport const all = [${entryPoints.map((_, i) => `m${i}`).join(', ')}];\n`,
);
writeFileSync(
  join(app, 'usage.ts'),
  readFileSync(join(import.meta.dirname, 'public-types-usage.ts')),
);
// The peers a user installs and imports beside Tessera's packages (tfjs, ORT, gpu.js, vitest). Some
// of their own declarations do not compile under these settings (tfjs-layers' under `strict`,
// tfjs-core's need @types/long): a user sees those errors whether or not Tessera is there, so
// they are the baseline, and the check fails on any error beyond it.
const peers = [
  ...new Set(
    published.flatMap((pkg) =>
      Object.keys(pkg.peerDependencies ?? {}).filter((name) => !name.startsWith('@tessera/')),
    ),
  ),
].sort();
writeFileSync(
  join(app, 'peers.ts'),
  `${peers.map((e, i) => `import * as p${i} from '${e}';`).join('\n')}\nexport const all = [${peers.map((_, i) => `p${i}`).join(', ')}];\n`,
);
const tsc = join(modules, 'typescript', 'bin', 'tsc');

/** tsc's errors on `files`, each as `file(line,col): error TSxxxx: message`, with continuations. */
function errorsOf(files) {
  writeFileSync(
    join(app, 'tsconfig.check.json'),
    JSON.stringify({ extends: './tsconfig.json', include: [], files }),
  );
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.check.json'], {
    cwd: app,
    encoding: 'utf8',
  });
  const errors = [];
  for (const line of r.stdout.split('\n')) {
    if (/error TS\d+:/.test(line)) errors.push(line);
    else if (line.startsWith(' ') && errors.length > 0) errors[errors.length - 1] += `\n${line}`;
  }
  if (r.status !== 0 && errors.length === 0) throw new Error(`tsc failed:\n${r.stdout}${r.stderr}`);
  return errors;
}

const baseline = new Set(errorsOf(['peers.ts']));
const added = errorsOf(['peers.ts', 'entry-points.ts', 'usage.ts']).filter((e) => !baseline.has(e));
console.log(
  `${entryPoints.length} entry points of ${published.length} packages; the peers' own errors: ${baseline.size}`,
);
if (added.length === 0) {
  console.log('public types check passed');
  rmSync(work, { recursive: true, force: true });
} else {
  console.log(
    `${added.join('\n')}\npublic types check failed: ${added.length} error(s) (project kept in ${app})`,
  );
  process.exitCode = 1;
}
