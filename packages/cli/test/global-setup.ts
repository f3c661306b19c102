// Builds the CLI once so that the tests can run dist/bin.js as a process. The workspace
// dependencies are assumed built (turbo's test task depends on ^build).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  execFileSync('npx', ['tsup'], { cwd: root, stdio: 'pipe' });
}
