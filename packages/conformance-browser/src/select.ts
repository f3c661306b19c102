// Case selection by id globs, the same syntax for the page's `?cases=` and the node API, and the
// kinds of cell (`?kinds=run,decode`).
import { type CellKind, cellKinds } from '@tessera/conformance';

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

/**
 * A predicate over case ids from a comma- or space-separated list of globs: `*` matches any run of
 * characters, and a glob without `*` also matches the ids under it (`linear` matches `linear/bias`),
 * since case ids are `<family>/<variant>`. An empty or absent list selects everything.
 */
export function caseMatcher(globs: string | undefined): (id: string) => boolean {
  const parts = (globs ?? '').split(/[\s,]+/).filter((g) => g !== '');
  if (parts.length === 0) return () => true;
  const tests = parts.map(globToRegExp);
  const prefixes = parts.filter((g) => !g.includes('*')).map((g) => `${g}/`);
  return (id) => tests.some((re) => re.test(id)) || prefixes.some((p) => id.startsWith(p));
}

/**
 * The kinds of cell from a comma- or space-separated list (`run`, `decode`); every kind when the
 * list is empty or absent. An unknown kind is an error naming the known ones.
 */
export function parseKinds(list: string | undefined): CellKind[] {
  const parts = (list ?? '').split(/[\s,]+/).filter((k) => k !== '');
  if (parts.length === 0) return [...cellKinds];
  for (const k of parts)
    if (!cellKinds.includes(k as CellKind))
      throw new Error(`unknown kind of cell ${JSON.stringify(k)} (known: ${cellKinds.join(', ')})`);
  return cellKinds.filter((k) => parts.includes(k));
}
