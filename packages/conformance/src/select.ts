// Choosing cases by id: exact ids, `*` globs (`lstm/*`, `*/time1`), and `random/<seed>-<i>` ids,
// which are drawn again from the id alone.
import type { ConformanceCase } from './case.js';
import { catalogue } from './cases/index.js';
import { randomCase } from './random.js';

function globToRegExp(pattern: string): RegExp {
  const body = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${body.join('.*')}$`);
}

/** The case with this id: a catalogue case, or a random case drawn again from `random/<seed>-<i>`. */
export function caseById(
  id: string,
  cases: ConformanceCase[] = catalogue,
): ConformanceCase | undefined {
  const found = cases.find((c) => c.id === id);
  if (found) return found;
  const m = /^random\/(-?\d+)-(\d+)$/.exec(id);
  return m ? randomCase(Number(m[1]), Number(m[2])) : undefined;
}

/**
 * The cases matching any of the patterns, in catalogue order, each once. A pattern that matches
 * nothing is an error, so that a typo does not silently run nothing.
 */
export function selectCases(
  patterns: string[],
  cases: ConformanceCase[] = catalogue,
): ConformanceCase[] {
  const chosen = new Set<ConformanceCase>();
  const extra: ConformanceCase[] = [];
  for (const p of patterns) {
    if (p.includes('*')) {
      const re = globToRegExp(p);
      const hits = cases.filter((c) => re.test(c.id));
      if (hits.length === 0) throw new Error(`no conformance case matches ${JSON.stringify(p)}`);
      for (const c of hits) chosen.add(c);
    } else {
      const c = caseById(p, cases);
      if (c === undefined) throw new Error(`no conformance case has the id ${JSON.stringify(p)}`);
      if (cases.includes(c)) chosen.add(c);
      else if (!extra.some((e) => e.id === c.id)) extra.push(c);
    }
  }
  return [...cases.filter((c) => chosen.has(c)), ...extra];
}
