// The soak script's argument parsing and arithmetic (the soak itself is not a test; see soak.mts).
//   npx tsx --conditions=@tessera/source --test scripts/soak.test.mts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  childArgs,
  parseSoakArgs,
  type Sample,
  SoakUsageError,
  samplePoints,
  slope,
  summarise,
} from './soak.mts';

test('defaults: every node variant, 1,000 cycles, 10,000 steps, both parts', () => {
  const o = parseSoakArgs([]);
  assert.deepEqual(o.variants, []);
  assert.equal(o.cycles, 1000);
  assert.equal(o.steps, 10000);
  assert.equal(o.samples, 20);
  assert.equal(o.warmup, 0.5);
  assert.equal(o.maxLength, 32);
  assert.deepEqual(o.parts, ['cycles', 'decode']);
  assert.equal(o.json, undefined);
  assert.equal(o.help, false);
});

test('options are read, and a child gets them back but not the variants or the report', () => {
  const o = parseSoakArgs([
    ...['--variants', 'gpujs:cpu, ort:wasm', '--cycles', '200', '--steps', '640'],
    ...['--samples', '5', '--warmup', '0.25', '--max-length', '16', '--parts', 'decode'],
    ...['--json', 'out.json'],
  ]);
  assert.deepEqual(o.variants, ['gpujs:cpu', 'ort:wasm']);
  assert.deepEqual([o.cycles, o.steps, o.samples, o.warmup, o.maxLength], [200, 640, 5, 0.25, 16]);
  assert.deepEqual(o.parts, ['decode']);
  assert.equal(o.json, 'out.json');
  const { json: _, ...rest } = o;
  assert.deepEqual(parseSoakArgs(childArgs(o)), { ...rest, variants: [] });
});

test('mistakes are usage errors naming the option', () => {
  const cases: [string[], RegExp][] = [
    [['--cycles', '0'], /--cycles must be a positive integer, got "0"/],
    [['--steps', '1.5'], /--steps must be a positive integer/],
    [['--warmup', '1'], /--warmup must be in \[0, 1\)/],
    [['--cycles', '1'], /--cycles must be at least 2, got 1/],
    [['--steps', '63'], /--steps 63 is less than two rounds of --max-length 32/],
    [['--parts', 'cycles,train'], /--parts: "train" is not one of cycles, decode/],
    [['--variants', 'tfjs'], /--variants: "tfjs" is not name:variant/],
    [['--variants', 'tfjs:CPU'], /--variants: "tfjs:CPU" is not name:variant/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
    [['extra'], /Unexpected argument 'extra'/],
  ];
  for (const [argv, message] of cases)
    assert.throws(
      () => parseSoakArgs(argv),
      (e) => e instanceof SoakUsageError && message.test(e.message),
      argv.join(' '),
    );
});

test('samples: the after-warm-up point, then even intervals ending at the total', () => {
  assert.deepEqual(samplePoints(1000, 100, 3), [100, 400, 700, 1000]);
  assert.deepEqual(samplePoints(10, 1, 20), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});

test('slope is least squares; growth and the bound are judged from the after-warm-up sample', () => {
  assert.equal(slope([0, 1, 2], [1, 3, 5]), 2);
  assert.equal(slope([5], [1]), 0);
  const MB = 2 ** 20;
  const at = (n: number, heap: number): Sample => ({
    at: n,
    rss: 0,
    heapUsed: heap,
    external: 0,
    arrayBuffers: 0,
  });
  // The start sample (0 → 50 MB over the warm-up) is not growth; 50 → 55 MB after it is.
  const samples = [at(0, 0), at(100, 50 * MB), at(550, 52.5 * MB), at(1000, 55 * MB)];
  const r = summarise('cycles', 1000, 100, 9, samples, 0, ['heapUsed', 'rss']);
  assert.equal(r.growth.heapUsed, 5 * MB);
  assert.ok(Math.abs(r.slopePer1000.heapUsed! - (5 * MB * 1000) / 900) < 1);
  assert.equal(r.perSecond, 100);
  assert.deepEqual(r.over, ['heapUsed']); // 5 MB > the 1 MB bound
  assert.deepEqual(summarise('cycles', 1000, 100, 9, samples, 0, ['rss']).over, []);
});

test('one high sample is jitter, not a leak; one more tensor at any sample is a leak', () => {
  const MB = 2 ** 20;
  const at = (n: number, rss: number, tensors: number): Sample => ({
    at: n,
    rss,
    heapUsed: 0,
    external: 0,
    arrayBuffers: 0,
    tensors,
    tensorBytes: 0,
  });
  const flat = [at(0, 0, 3), ...Array.from({ length: 10 }, (_, i) => at(100 * (i + 1), 0, 5))];
  const spike = flat.map((s, i) => (i === flat.length - 1 ? { ...s, rss: 9 * MB } : s));
  const r = summarise('decode', 1000, 100, 1, spike, 0, ['rss', 'tensors']);
  assert.equal(r.growth.rss, 9 * MB); // over the 8 MB bound from sample to sample, ...
  assert.ok(r.rise.rss! < 8 * MB); // ... not on the fitted line
  assert.deepEqual(r.over, []);
  const leak = flat.map((s, i) => (i === 5 ? { ...s, tensors: 6 } : s));
  assert.deepEqual(summarise('decode', 1000, 100, 1, leak, 0, ['rss', 'tensors']).over, [
    'tensors',
  ]);
});
