// 1,000 compile / run / dispose cycles of a tiny model: every InferenceSession is released, so
// the resident set after the last cycle stays within 10% of the one after the first 100.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { initWeights, parseSpec, randomInputs } from '@tessera/spec';
import { expect, test } from 'vitest';
import { createBackend } from '../src/index.js';

const spec = parseSpec({
  format: 'tessera.model/v1',
  inputs: { x: { dtype: 'float32', shape: ['batch', 8] } },
  outputs: { y: 'out' },
  nodes: [
    { id: 'hidden', op: 'linear', inFeatures: 8, outFeatures: 16 },
    { id: 'act', op: 'relu' },
    { id: 'out', op: 'linear', inFeatures: 16, outFeatures: 4 },
  ],
});

// Without a collection, garbage from the JS side (protobuf writers, typed arrays) would count as
// growth; expose gc for this worker (a fresh context picks up the flag).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test('1,000 compile/run/dispose cycles keep RSS within 10% of the value after the first 100', async () => {
  const backend = await createBackend({ variant: 'node', intraOpNumThreads: 1 });
  const weights = initWeights(spec, 1);
  const inputs = randomInputs(spec, { batch: 2 }, 2);
  let after100 = 0;
  for (let i = 1; i <= 1000; i++) {
    const model = await backend.compile(spec, weights);
    const out = await model.run(inputs);
    expect(out.y.shape).toEqual([2, 4]);
    await model.dispose();
    // ORT's JS wrappers own native memory that is only freed when V8 collects them, so collect
    // every 100 cycles as a long-running server's GC would.
    if (i % 100 === 0) gc();
    if (i === 100) after100 = process.memoryUsage().rss;
  }
  const end = process.memoryUsage().rss;
  expect(
    end / after100,
    `RSS after 100 cycles ${after100}, after 1,000 ${end}`,
  ).toBeLessThanOrEqual(1.1);
}, 120_000);
