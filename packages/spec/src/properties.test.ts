// Property tests: random valid specs parse stably; random mutations of valid specs only ever
// throw SpecError; initialised weights match the manifest; safetensors round-trips.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { SpecError } from './errors.js';
import { parseSpec } from './graph.js';
import { readSafetensors, writeSafetensors } from './safetensors.js';
import type { Tensor } from './tensor.js';
import { checkWeights, initWeights, weightManifest } from './weights.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Chains (with occasional residual adds) of shape-compatible ops over [batch, time, d]. */
const validSpec: fc.Arbitrary<Json> = fc
  .record({
    d: fc.integer({ min: 1, max: 12 }),
    steps: fc.array(
      fc.record({
        kind: fc.constantFrom(
          'linear',
          'relu',
          'gelu',
          'tanh',
          'sigmoid',
          'silu',
          'softmax',
          'layerNorm',
          'rmsNorm',
          'dropout',
          'lstm',
          'gru',
          'rnn',
          'mha',
          'residual',
          'encoder',
        ),
        width: fc.integer({ min: 1, max: 12 }),
        flag: fc.boolean(),
      }),
      { minLength: 1, maxLength: 8 },
    ),
  })
  .map(({ d, steps }) => {
    const nodes: Json[] = [];
    let width = d;
    const widths: [string, number][] = [['x', d]];
    steps.forEach((s, i) => {
      const id = `n${i}`;
      let node: { [k: string]: Json };
      switch (s.kind) {
        case 'linear':
          node = { op: 'linear', inFeatures: width, outFeatures: s.width, bias: s.flag };
          width = s.width;
          break;
        case 'layerNorm':
          node = { op: 'layerNorm', normalizedShape: [width], elementwiseAffine: s.flag };
          break;
        case 'rmsNorm':
          node = { op: 'rmsNorm', normalizedShape: width };
          break;
        case 'gelu':
          node = { op: 'gelu', approximate: s.flag ? 'tanh' : 'none' };
          break;
        case 'lstm':
        case 'gru':
        case 'rnn':
          node = { op: s.kind, inputSize: width, hiddenSize: s.width, bidirectional: s.flag };
          width = s.width * (s.flag ? 2 : 1);
          break;
        case 'mha':
        case 'encoder': {
          const heads = [3, 2, 1].find((h) => width % h === 0)!;
          node =
            s.kind === 'mha'
              ? { op: 'multiHeadAttention', embedDim: width, numHeads: heads, causal: s.flag }
              : {
                  op: 'transformerEncoderLayer',
                  dModel: width,
                  nhead: heads,
                  dimFeedforward: s.width,
                  normFirst: s.flag,
                };
          break;
        }
        case 'residual': {
          const same = widths.filter(([, w]) => w === width);
          node = {
            op: 'add',
            input: [widths[widths.length - 1][0], same[s.width % same.length][0]],
          };
          break;
        }
        default:
          node = { op: s.kind };
      }
      nodes.push({ id, ...node });
      widths.push([id, width]);
    });
    return {
      format: 'tessera.model/v1',
      name: 'random',
      inputs: { x: { dtype: 'float32', shape: ['batch', 'time', d] } },
      outputs: { y: `n${steps.length - 1}` },
      nodes,
    } satisfies Json;
  });

function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push(...paths(v, [...prefix, i]));
    });
  } else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

const badValue: fc.Arbitrary<Json | undefined> = fc.oneof(
  fc.constant(undefined), // delete the key
  fc.constantFrom(
    null,
    true,
    -1,
    0,
    1.5,
    1e300,
    -1e300,
    2 ** 53,
    Number.MAX_SAFE_INTEGER,
    '',
    'x',
    'n0',
    'x:h_n',
    '__proto__',
    'constructor',
    '}"; alert(1); //',
  ),
  fc.constant([] as Json),
  fc.constant({} as Json),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}}') as Json),
  fc.constant([[[[[[[[[[1]]]]]]]]]] as Json),
  fc.integer(),
  fc.string({ maxLength: 8 }),
);

function mutate(spec: Json, path: (string | number)[], value: Json | undefined): Json {
  const copy = structuredClone(spec);
  if (path.length === 0) return value === undefined ? null : value;
  let parent = copy as Record<string | number, Json>;
  for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, Json>;
  const key = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else parent[key] = value;
  return copy;
}

describe('properties', () => {
  test('parseSpec(JSON round trip) is stable for random valid specs', () => {
    fc.assert(
      fc.property(validSpec, (json) => {
        const spec = parseSpec(json);
        expect(parseSpec(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
      }),
      { numRuns: 300 },
    );
  });

  test('random mutations of valid specs only ever throw SpecError (2,000 cases)', () => {
    fc.assert(
      fc.property(validSpec, fc.nat(), badValue, fc.boolean(), (json, pick, value, addKey) => {
        const all = paths(json);
        const path = all[pick % all.length];
        const mutated = addKey
          ? mutate(json, [...path, '__proto__'], value ?? 1)
          : mutate(json, path, value);
        try {
          parseSpec(mutated);
        } catch (e) {
          if (!(e instanceof SpecError))
            throw new Error(
              `escaped as ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`,
            );
          expect(e.issues.length).toBeGreaterThan(0);
          for (const issue of e.issues) expect(typeof issue.message).toBe('string');
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  test('initWeights matches weightManifest for random specs', () => {
    fc.assert(
      fc.property(validSpec, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (json, seed) => {
        const spec = parseSpec(json);
        const weights = initWeights(spec, seed);
        expect([...weights.keys()]).toEqual(weightManifest(spec).map((w) => w.name));
        checkWeights(spec, weights);
      }),
      { numRuns: 100 },
    );
  });

  test('safetensors round-trips arbitrary tensors exactly', () => {
    const tensorArb = fc.oneof(
      fc
        .array(fc.float({ noDefaultInfinity: false }), { maxLength: 24 })
        .map((v): Tensor => ({ dtype: 'float32', shape: [v.length], data: new Float32Array(v) })),
      fc
        .array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 24 })
        .map((v): Tensor => ({ dtype: 'int32', shape: [v.length], data: new Int32Array(v) })),
    );
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 10 }).filter((s) => s !== '__metadata__'),
          tensorArb,
          { maxKeys: 6 },
        ),
        (dict) => {
          const map = new Map(Object.entries(dict));
          const back = readSafetensors(writeSafetensors(map)).tensors;
          expect([...back.keys()]).toEqual([...map.keys()]);
          for (const [k, t] of map) {
            const b = back.get(k)!;
            expect(b.dtype).toBe(t.dtype);
            expect(new Uint8Array(b.data.buffer, b.data.byteOffset, b.data.byteLength)).toEqual(
              new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength),
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test('any truncation of a valid file is a WeightError', () => {
    const spec = parseSpec({
      format: 'tessera.model/v1',
      inputs: { x: { dtype: 'float32', shape: ['b', 3] } },
      outputs: { y: 'l' },
      nodes: [{ id: 'l', op: 'linear', inFeatures: 3, outFeatures: 2 }],
    });
    const bytes = writeSafetensors(initWeights(spec, 1));
    for (let n = 0; n < bytes.length; n++) {
      expect(() => readSafetensors(bytes.subarray(0, n))).toThrow(/./);
      try {
        readSafetensors(bytes.subarray(0, n));
      } catch (e) {
        expect((e as Error).name).toBe('WeightError');
      }
    }
  });
});
