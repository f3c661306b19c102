// The parser against hostile specs: every preset's JSON mutated at random (a value replaced by
// another kind of value, a huge string or array, a key deleted or added, nodes duplicated,
// references crossed, the graph blown up), 10,000 times per run, seeded, the seed printed. Every
// outcome is a spec or a SpecError, never another exception, and every message stays under a size
// bound however large the input. The slowest parse is printed (tests assert no wall-clock times;
// the issue's bound is 1 s, and the slowest here is a few milliseconds).
import { buildPreset, type PresetName, parseSpec, presets, SpecError } from '@tessera/spec';
import fc from 'fast-check';
import { expect, test } from 'vitest';

const RUNS = Number(process.env.TESSERA_FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.TESSERA_FUZZ_SEED ?? Date.now() % 2 ** 31);
/** The most characters a SpecError's message may have: 20 listed problems of bounded length. */
const MAX_MESSAGE = 20_000;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, 2 ** 31, -(2 ** 53), 1e308, '', '__proto__'),
  fc.constantFrom<Json>('constructor', 'x'.repeat(100_000), 'linear', 'relu', 'batch', 'time'),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: -2, max: 9 })), {
    maxLength: 6,
  }),
  fc.constant<Json>(Array.from({ length: 500 }, (_, i) => `ref${i}`)),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 4 }), fc.integer()), {
    maxKeys: 3,
  }),
);

/** Every path to a value inside `v`. */
function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(at);
  if (Array.isArray(v)) for (const [i, x] of v.entries()) paths(x, [...at, i], out);
  else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

function isObject(v: Json): v is { [k: string]: Json } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function get(root: Json, path: (string | number)[]): Json {
  let v = root;
  for (const p of path) v = (v as Record<string | number, Json>)[p];
  return v;
}

function parentOf(root: Json, path: (string | number)[]) {
  let v = root as Record<string | number, Json>;
  for (const p of path.slice(0, -1)) v = v[p] as Record<string | number, Json>;
  return v;
}

type Mutation =
  | { kind: 'replace'; at: number; value: Json }
  | { kind: 'delete'; at: number }
  | { kind: 'addKey'; at: number; key: string; value: Json }
  | { kind: 'duplicateNodes'; times: number }
  | { kind: 'crossRefs'; seed: number }
  | { kind: 'cycle' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('replace' as const),
      at: fc.nat(),
      value: hostileValue,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('addKey' as const),
      at: fc.nat(),
      key: fc.oneof(
        fc.string({ maxLength: 8 }),
        fc.constantFrom('__proto__', 'input', 'op', 'weightPrefix', 'tiedTo', 'cache'),
      ),
      value: hostileValue,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('duplicateNodes' as const),
      times: fc.integer({ min: 2, max: 40 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crossRefs' as const), seed: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'cycle' as const }) },
);

function mutate(spec: Json, m: Mutation): Json {
  const root = structuredClone(spec) as { nodes: Json[] } & Record<string, Json>;
  const all = paths(root).filter((p) => p.length > 0);
  const pick = (at: number) => all[at % all.length];
  const nodeList = Array.isArray(root.nodes) ? root.nodes : [];
  const idOf = (n: Json) => (n !== null && typeof n === 'object' && !Array.isArray(n) ? n.id : n);
  const setInput = (n: Json, ref: Json) => {
    if (n !== null && typeof n === 'object' && !Array.isArray(n)) n.input = ref;
  };
  switch (m.kind) {
    case 'replace': {
      const p = pick(m.at);
      parentOf(root, p)[p.at(-1)!] = m.value;
      break;
    }
    case 'delete': {
      const p = pick(m.at);
      const parent = parentOf(root, p);
      if (Array.isArray(parent)) parent.splice(p.at(-1) as number, 1);
      else delete parent[p.at(-1)!];
      break;
    }
    case 'addKey': {
      const objects = paths(root).filter((p) => isObject(get(root, p)));
      const target = get(root, objects[m.at % objects.length]) as Record<string, Json>;
      Object.defineProperty(target, m.key, {
        value: m.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      break;
    }
    case 'duplicateNodes':
      root.nodes = Array.from({ length: m.times }, () => structuredClone(nodeList)).flat();
      break;
    case 'crossRefs': {
      const ids = nodeList.map(idOf);
      for (const [i, n] of nodeList.entries()) setInput(n, ids[(i * 7 + m.seed) % ids.length]);
      break;
    }
    case 'cycle': {
      const ids = nodeList.map(idOf);
      for (const [i, n] of nodeList.entries()) setInput(n, ids[(i + 1) % ids.length]);
      break;
    }
  }
  return root;
}

test(`parseSpec on ${RUNS} mutated presets: only SpecErrors, bounded messages (seed ${SEED})`, () => {
  console.log(`parse fuzz seed ${SEED} (rerun with TESSERA_FUZZ_SEED=${SEED})`);
  const bases = (Object.keys(presets) as PresetName[]).map(
    (name) => JSON.parse(JSON.stringify(buildPreset(name))) as Json,
  );
  let accepted = 0;
  let slowest = 0;
  let slowestCase = '';
  let parseTotal = 0;
  const began = performance.now();
  fc.assert(
    fc.property(
      fc.nat({ max: bases.length - 1 }),
      fc.array(mutation, { minLength: 1, maxLength: 3 }),
      (b, ms) => {
        const json = ms.reduce((s, m) => mutate(s, m), bases[b]);
        const start = performance.now();
        try {
          parseSpec(json);
          accepted++;
        } catch (e) {
          if (!(e instanceof SpecError)) throw new Error(`not a SpecError: ${e}`);
          expect(e.message.length).toBeLessThan(MAX_MESSAGE);
          expect(e.issues.length).toBeLessThanOrEqual(100);
        }
        const took = performance.now() - start;
        parseTotal += took;
        if (took > slowest) {
          slowest = took;
          slowestCase = JSON.stringify([b, ms]).slice(0, 400);
        }
      },
    ),
    { numRuns: RUNS, seed: SEED },
  );
  console.log(
    `${RUNS} mutated specs: ${accepted} parsed, ${RUNS - accepted} SpecErrors, slowest parse ${slowest.toFixed(0)} ms (${slowestCase}); parsing took ${parseTotal.toFixed(0)} of ${(performance.now() - began).toFixed(0)} ms`,
  );
}, 600_000);
