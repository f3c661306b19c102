// Adds up the vitest JSON reports of every package and prints one closing line,
// `N passed, N failed, N skipped`; exits non-zero on a failure or when no test ran.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
const dirs = ['packages', 'apps'].flatMap((g) =>
  existsSync(g) ? readdirSync(g).map((n) => join(g, n)) : [],
);
dirs.push('examples');
for (const dir of dirs) {
  const file = join(dir, 'test-output', 'vitest.json');
  if (!existsSync(file)) continue;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  rows.push(
    `  ${dir.padEnd(32)} ${String(r.numPassedTests).padStart(5)} passed ${String(r.numFailedTests).padStart(3)} failed ${String(r.numPendingTests).padStart(4)} skipped`,
  );
}
console.log(`\nTest results by package:\n${rows.join('\n')}\n`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
