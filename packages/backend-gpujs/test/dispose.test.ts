// dispose() releases what a compiled model holds: 1,000 compile/run/dispose cycles of a tiny model
// must not grow RSS by more than 10% over what it was after the first 100. RSS after a forced
// collection still swings by ±8% from one reading to the next here (V8's code space and the
// allocator: the JS heap stays flat), so each figure is the mean of readings every 10 cycles,
// over cycles 100–200 and 900–1,000; the JS heap is held to the same 10%.
import v8 from 'node:v8';
import vm from 'node:vm';
import { initWeights, parseSpec, randomInputs } from '@tessera/spec';
import { expect, test } from 'vitest';
import { createBackend } from '../src/index.js';

// A forced collection before each reading, so RSS shows what is retained, not what is pending.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const sample = () => {
  gc();
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
};
const mean = (xs: number[]) => xs.reduce((p, x) => p + x, 0) / xs.length;

const spec = parseSpec({
  format: 'tessera.model/v1',
  inputs: { x: { dtype: 'float32', shape: [2, 6] } },
  outputs: { y: 'act' },
  nodes: [
    { id: 'fc', op: 'linear', inFeatures: 6, outFeatures: 5 },
    { id: 'act', op: 'softmax' },
  ],
});

test.each(['cpu', 'webasm'] as const)(
  '1,000 compile/run/dispose cycles on %s keep RSS within 10% of cycle 100',
  async (variant) => {
    const backend = await createBackend({ variant });
    const weights = initWeights(spec, 1);
    const inputs = randomInputs(spec, {}, 1);
    // Disposed models stay referenced, as a caller may keep them: what dispose() fails to release
    // then accumulates instead of being collected with the model.
    const disposed: unknown[] = [];
    const early: { rss: number; heapUsed: number }[] = [];
    const late: { rss: number; heapUsed: number }[] = [];
    for (let k = 1; k <= 1000; k++) {
      const model = await backend.compile(spec, weights);
      const out = await model.run(inputs);
      expect(out.y.data.length).toBe(10);
      await model.dispose();
      disposed.push(model);
      if (k % 10 === 0 && k >= 100 && k <= 200) early.push(sample());
      if (k % 10 === 0 && k >= 900) late.push(sample());
    }
    const growth = (key: 'rss' | 'heapUsed') =>
      mean(late.map((x) => x[key])) / mean(early.map((x) => x[key])) - 1;
    expect(growth('rss')).toBeLessThan(0.1);
    expect(growth('heapUsed')).toBeLessThan(0.1);
    expect(disposed).toHaveLength(1000);
  },
  240_000,
);
