import { createBackend } from '@tessera/backend-reference';
import { expect, test } from 'vitest';
import { fitExponent, measure, measurePair, quantile } from './measure.js';
import { benchModels } from './models.js';
import { renderBenchMarkdown, renderBenchSvg, renderBenchTerminal } from './report.js';
import { type Peer, runBench } from './run.js';

test('quantiles and the fitted exponent', () => {
  expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
  expect(quantile([1, 2, 3, 4, 5], 0.9)).toBeCloseTo(4.6, 10);
  // y = 3·x² exactly: the slope of log y against log x is 2.
  expect(
    fitExponent(
      [64, 128, 256, 512],
      [64, 128, 256, 512].map((x) => 3 * x * x),
    ),
  ).toBeCloseTo(2, 10);
});

test('measure stops at minRuns or minTimeMs, whichever comes first, but not below floorRuns', async () => {
  let calls = 0;
  // Fast calls: 7 runs arrive long before a minute has passed.
  const t = await measure(async () => void calls++, { warmup: 2, minRuns: 7, minTimeMs: 60_000 });
  expect(t.runs).toBe(7);
  expect(calls).toBe(9);
  // Slow calls (20 ms) against 30 ms of budget: time runs out first, the floor keeps 3 runs.
  const slow = await measure(() => new Promise((r) => setTimeout(r, 20)), {
    warmup: 0,
    minRuns: 20,
    minTimeMs: 30,
    floorRuns: 3,
  });
  expect(slow.runs).toBe(3);
});

test('measurePair alternates the two implementations run for run and times each', async () => {
  const order: string[] = [];
  const [a, b] = await measurePair(
    async () => void order.push('a'),
    async () => {
      // Busy for 2 ms (a 2 ms setTimeout may fire early by the event loop's cached clock).
      const t = performance.now();
      while (performance.now() - t < 2);
      order.push('b');
    },
    { warmup: 1, minRuns: 4, minTimeMs: 60_000 },
  );
  expect(order.join('')).toBe('ababababab');
  expect(a.runs).toBe(4);
  expect(b.runs).toBe(4);
  // b takes 2 ms a run, a next to nothing.
  expect(b.medianMs).toBeGreaterThan(a.medianMs);
  expect(b.minMs).toBeGreaterThanOrEqual(2);
});

test('the limit is measured before and after the models; the faster measurement is kept', async () => {
  const model = benchModels().find((b) => b.id === 'lstm/small')!;
  const limits = [10, 40];
  const report = await runBench({
    models: [model],
    backends: [{ label: 'reference:f64', create: () => createBackend() }],
    limit: async () => {
      const gflops = limits.shift()!;
      return { label: 'fake', n: 1, gflops, medianMs: 1 };
    },
    minTimeMs: 0,
    minRuns: 1,
  });
  expect(limits).toEqual([]);
  expect(report.limit!.gflops).toBe(40);
  const row = report.rows[0];
  expect(row.limitFraction).toBeCloseTo(row.gflops! / 40, 12);
});

test('the medium models are the sizes the issue fixes', () => {
  const m = Object.fromEntries(benchModels().map((b) => [b.id, b]));
  expect(m['transformerLM/medium'].bindings).toEqual({ batch: 8, time: 128 });
  expect(
    m['transformerLM/medium'].spec.nodes.filter((n) => n.op === 'transformerEncoderLayer'),
  ).toHaveLength(4);
  expect(m['lstm/medium'].bindings).toEqual({ batch: 16, time: 100 });
  expect(m['cnnClassifier/medium'].bindings).toEqual({ batch: 64 });
  expect(m['speechRecognizer/medium'].bindings).toEqual({ batch: 8, frames: 200 });
});

test('a run produces rows, peer ratios and every report format', async () => {
  const model = benchModels().find((b) => b.id === 'lstm/small')!;
  const backend = { label: 'reference:f64', create: () => createBackend() };
  // A peer that is the reference itself: the ratio must come out near 1.
  const peer: Peer = {
    label: 'itself',
    appliesTo: (b) => b === 'reference:f64',
    supports: () => true,
    async prepare(m, weights) {
      const compiled = await (await createBackend()).compile(m.spec, weights);
      const { benchInputs } = await import('./models.js');
      const inputs = benchInputs(m);
      return { run: () => compiled.run(inputs), dispose: () => compiled.dispose() };
    },
  };
  const report = await runBench({
    models: [model],
    backends: [
      backend,
      { label: 'broken:x', create: async () => Promise.reject(new Error('cannot start here')) },
    ],
    peers: [peer],
    minTimeMs: 0,
    minRuns: 3,
  });
  expect(report.rows).toHaveLength(1);
  const row = report.rows[0];
  expect(row.error).toBeUndefined();
  expect(row.gflops).toBeGreaterThan(0);
  expect(row.peer!.ratio).toBeGreaterThan(0.3);
  expect(row.peer!.ratio).toBeLessThan(3);
  expect(report.unavailable).toEqual([{ backend: 'broken:x', reason: 'cannot start here' }]);
  expect(renderBenchTerminal(report)).toContain('lstm/small');
  expect(renderBenchMarkdown(report)).toMatch(/\| lstm\/small \| reference:f64 \|/);
  expect(renderBenchSvg(report)).toMatch(
    /^<svg[^>]*>\n<title id="title">Achieved GFLOP\/s[^<]+<\/title>[\s\S]*<\/svg>$/,
  );
});

test('the ORT peer computes the same logits as Tessera on ort:node', async () => {
  const { createBackend: ort } = await import('@tessera/backend-ort');
  const { handGraph, ortPeer } = await import('./peers.js');
  const { benchInputs } = await import('./models.js');
  const { initWeights } = await import('@tessera/spec');
  for (const id of ['transformerLM/small', 'lstm/small']) {
    const m = benchModels().find((b) => b.id === id)!;
    const weights = initWeights(m.spec, 1);
    const ours = await (await (await ort({ variant: 'node' })).compile(m.spec, weights)).run(
      benchInputs(m),
    );
    const ortNode = await import('onnxruntime-node');
    const bytes = await handGraph(m, weights);
    const session = await ortNode.InferenceSession.create(bytes);
    const inputs = benchInputs(m);
    const feeds = Object.fromEntries(
      Object.entries(inputs).map(([k, t]) => [k, new ortNode.Tensor(t.dtype, t.data, t.shape)]),
    );
    const theirs = (await session.run(feeds)).logits.data as Float32Array;
    const mine = ours.logits.data;
    let worst = 0;
    for (let i = 0; i < mine.length; i++)
      worst = Math.max(worst, Math.abs(mine[i] - theirs[i]) / (1e-4 + 1e-3 * Math.abs(mine[i])));
    // Two float32 graphs with different fusions: agreement within 1e-4 + 1e-3·|x|.
    expect(worst).toBeLessThanOrEqual(1);
    const prepared = await ortPeer.prepare(m, weights, 'ort:node');
    await prepared.run();
    await prepared.dispose();
    await session.release();
  }
});
