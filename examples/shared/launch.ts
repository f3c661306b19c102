// Workspace packages resolve to their TypeScript sources under the `@tessera/source` export
// condition (no build needed). `npx tsx examples/<name>/run.ts` starts Node without it, so the
// entry script re-runs itself once with the condition added, keeping tsx's own loader flags.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CONDITION = '--conditions=@tessera/source';

function hasCondition(): boolean {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return flags.some(
    (f, i) =>
      f === CONDITION ||
      ((f === '--conditions' || f === '-C') && flags[i + 1] === '@tessera/source'),
  );
}

/** Imports `main` (a module URL) under the source condition, re-running the process when needed. */
export async function launch(main: URL): Promise<void> {
  if (hasCondition()) {
    await import(main.href);
    return;
  }
  const script = fileURLToPath(
    process.argv[1].startsWith('file:') ? process.argv[1] : `file://${process.argv[1]}`,
  );
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, CONDITION, script, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exit(r.status ?? 1);
}
