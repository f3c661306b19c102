import { inferShapes, opDef, opNames, parseSpec } from '@tessera/spec';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomCase, randomCases, randomSpecArbitrary } from './random.js';

const json = (c: ReturnType<typeof randomCase>) =>
  JSON.stringify({ spec: c.spec(), bindings: c.bindings, seeds: [c.weightSeed, c.inputSeed] });

describe('randomCases', () => {
  it('draws the same cases from the same (count, seed), with reproducible ids', () => {
    const a = randomCases(12, 2024);
    const b = randomCases(12, 2024);
    expect(a.map((c) => c.id)).toEqual(Array.from({ length: 12 }, (_, i) => `random/2024-${i}`));
    expect(a.map(json)).toEqual(b.map(json));
    // A case is drawn from its id alone, whatever the count.
    expect(json(randomCase(2024, 7))).toEqual(json(a[7]));
    expect(randomCases(3, 2024).map(json)).toEqual(a.slice(0, 3).map(json));
  });

  it('draws different cases from different seeds', () => {
    const a = randomCases(10, 1).map(json);
    const b = randomCases(10, 2).map(json);
    expect(a.filter((s, i) => s === b[i]).length).toBeLessThan(3);
  });

  it('draws only valid specs whose outputs have concrete shapes', () => {
    fc.assert(
      fc.property(randomSpecArbitrary, ({ spec, bindings }) => {
        const parsed = parseSpec({ format: 'tessera.model/v1', ...spec });
        const shapes = inferShapes(parsed, bindings);
        for (const ref of Object.values(parsed.outputs)) {
          expect(shapes.get(ref)!.shape.every((d) => typeof d === 'number' && d > 0)).toBe(true);
        }
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('reaches every op with a fuzzing rule, and draws DAGs as well as chains', () => {
    const specs = fc.sample(randomSpecArbitrary, { numRuns: 600, seed: 3 }).map((r) => r.spec);
    const seen = new Set(specs.flatMap((s) => s.nodes.map((n) => n.op)));
    // causalMask has no fuzzing rule (its −∞ must meet a softmax); embedding, which has none
    // either, starts the `tokens` graphs.
    expect(opNames.filter((op) => opDef(op)!.fuzz === undefined)).toEqual([
      'embedding',
      'causalMask',
      // Its −∞ must meet a softmax too, and it reads an int32 lengths input.
      'lengthMask',
    ]);
    expect(opNames.filter((op) => !seen.has(op))).toEqual(['causalMask', 'lengthMask']);
    const joins = specs.filter((s) =>
      s.nodes.some((n) => Array.isArray(n.input) && n.input.length > 1),
    );
    expect(joins.length).toBeGreaterThan(30);
    const multiOutput = specs.filter((s) => Object.keys(s.outputs).length > 1);
    expect(multiOutput.length).toBeGreaterThan(30);
  });
});
