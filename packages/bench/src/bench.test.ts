import { createBackend } from '@tessera/backend-reference';
import type { BackendManifest } from '@tessera/spec';
import { expect, test } from 'vitest';
import { fitExponent, measure, measureTogether, quantile } from './measure.js';
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

/** Busy for `ms` milliseconds (a short setTimeout may fire early by the loop's cached clock). */
function busy(ms: number) {
  const t = performance.now();
  while (performance.now() - t < ms);
}

test('measureTogether alternates implementations, each in blocks of about blockMs', async () => {
  const order: string[] = [];
  const a = async () => void order.push('a');
  const b = async () => {
    busy(2);
    order.push('b');
  };
  // blockMs 0: one run each per round, 3 rounds at least, each round led by the next one.
  const [ta, tb] = await measureTogether([a, b], { warmup: 1, minRuns: 2, blockMs: 0 });
  expect(order.join('')).toBe('ab' + 'ab' + 'ba' + 'ab');
  expect([ta.runs, tb.runs]).toEqual([3, 3]);
  expect(ta.roundMedianMs).toHaveLength(3);
  expect(Math.min(...tb.roundMedianMs!)).toBeGreaterThanOrEqual(2);
  // b takes 2 ms a run, a next to nothing.
  expect(tb.medianMs).toBeGreaterThan(ta.medianMs);
  expect(tb.minMs).toBeGreaterThanOrEqual(2);
  // blockMs 6: b (2 ms a run) runs in blocks of 3; a (well under 0.12 ms) in blocks of 50.
  order.length = 0;
  await measureTogether([a, b], { warmup: 1, minRuns: 1, floorRuns: 1, blockMs: 6 });
  // (b's block is ceil(6 / its warm-up time): 3, or fewer if that run was slowed by the machine.)
  expect(order.join('')).toMatch(/^ab(a{50}b{1,3})(b{1,3}a{50})(a{50}b{1,3})$/);
});

test('the limit is timed before, beside each model and after; rows use the one beside them', async () => {
  const model = benchModels().find((b) => b.id === 'lstm/small')!;
  let runs = 0;
  const report = await runBench({
    models: [model],
    backends: [{ label: 'reference:f64', create: () => createBackend() }],
    // 1 MFLOP in about 1 ms a run: about 1 GFLOP/s.
    limit: async () => ({
      label: 'busy loop',
      n: 1,
      flops: 1e6,
      run: async () => {
        runs++;
        busy(1);
      },
      dispose: async () => {},
    }),
    minTimeMs: 0,
    minRuns: 3,
  });
  // Before and after: 2 warm-up runs + 5 (the floor); beside the model: 1 warm-up run and then
  // 3 rounds of at least one block.
  expect(runs).toBeGreaterThanOrEqual(7 + 7 + 1 + 3);
  const row = report.rows[0];
  expect(row.limitGflops).toBeGreaterThan(0.3);
  expect(row.limitGflops).toBeLessThanOrEqual(1);
  expect(row.limitFraction).toBeCloseTo(row.gflops! / row.limitGflops!, 12);
  expect(report.limit!.label).toBe('busy loop');
  expect(report.limit!.gflops).toBeGreaterThanOrEqual(row.limitGflops!);
});

test('a ratio is shown with its spread over rounds; a miss inside the spread says so', () => {
  const row = (backend: string, target: number, ratio: number, ratioRange: [number, number]) => ({
    model: 'm/small',
    backend,
    timing: { runs: 9, medianMs: 1, p90Ms: 1, minMs: 1 },
    gflops: 1,
    peer: { label: 'peer', target, medianMs: 1 / ratio, p90Ms: 1, ratio, ratioRange },
  });
  const md = renderBenchMarkdown({
    date: '2026-11-28T00:00:00Z',
    machine: { cpus: 2, model: 'cpu', node: 'v20' },
    rows: [
      row('ort:node', 1.05, 1.2, [0.95, 1.4]),
      row('tfjs:wasm', 1.1, 1.3, [1.2, 1.5]),
      row('ort:wasm', 1.05, 1, [0.9, 1.1]),
    ],
    unavailable: [],
  });
  // A target of 1.05 (ort's manifest): 1.2 misses it by 14%, but one round came in at 0.95.
  expect(md).toContain('| 1.20× (0.95–1.40) peer | missed by 14% (within the spread) |');
  // One of 1.1 (tfjs's): every round missed it.
  expect(md).toContain('| 1.30× (1.20–1.50) peer | missed by 18% |');
  expect(md).toContain('| 1.00× (0.90–1.10) peer | met |');
});

test('the medium models are the sizes the issue fixes', () => {
  const m = Object.fromEntries(benchModels().map((b) => [b.id, b]));
  expect(m['transformerLM/medium'].bindings).toEqual({ batch: 8, time: 128 });
  expect(
    m['transformerLM/medium'].spec.nodes.filter((n) => n.op === 'transformerEncoderLayer'),
  ).toHaveLength(4);
  expect(m['llamaLM/medium'].bindings).toEqual({ batch: 8, time: 128 });
  expect(m['llamaLM/medium'].spec.nodes.filter((n) => n.op === 'attention')).toHaveLength(4);
  expect(m['llamaLM/small'].bindings).toEqual(m['transformerLM/small'].bindings);
  expect(m['lstm/medium'].bindings).toEqual({ batch: 16, time: 100 });
  expect(m['cnnClassifier/medium'].bindings).toEqual({ batch: 64 });
  expect(m['speechRecognizer/medium'].bindings).toEqual({ batch: 8, frames: 200 });
});

test('a run produces rows, peer ratios and every report format', async () => {
  const model = benchModels().find((b) => b.id === 'lstm/small')!;
  // A variant whose manifest entry names the peer `itself`: the reference itself, so the ratio
  // must come out near 1.
  const backend = {
    label: 'reference:f64',
    create: () => createBackend(),
    variant: {
      name: 'f64',
      runsIn: ['node'],
      peer: { name: 'itself', variant: 'f64', target: 1.5 },
    } as const,
  };
  const peer: Peer = {
    label: 'itself',
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
    peers: { itself: () => peer },
    minTimeMs: 0,
    minRuns: 3,
  });
  expect(report.rows).toHaveLength(1);
  const row = report.rows[0];
  expect(row.error).toBeUndefined();
  expect(row.gflops).toBeGreaterThan(0);
  expect(row.peer!.ratio).toBeGreaterThan(0.3);
  expect(row.peer!.ratio).toBeLessThan(3);
  expect(row.peer!.target).toBe(1.5);
  expect(report.unavailable).toEqual([{ backend: 'broken:x', reason: 'cannot start here' }]);
  expect(renderBenchTerminal(report)).toContain('lstm/small');
  expect(renderBenchMarkdown(report)).toMatch(/\| lstm\/small \| reference:f64 \|/);
  expect(renderBenchSvg(report)).toMatch(
    /^<svg[^>]*>\n<title id="title">Achieved GFLOP\/s[^<]+<\/title>[\s\S]*<\/svg>$/,
  );
});

test('the ORT peer computes the same logits as Tessera on ort:node', async () => {
  const { createBackend: ort } = await import('@tessera/backend-ort');
  const { handGraph, onnxFusedPeer } = await import('./peers.js');
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
    const prepared = await onnxFusedPeer('node').prepare(m, weights);
    await prepared.run();
    await prepared.dispose();
    await session.release();
  }
});

/** The worst |a − b| over 1e-4 + 1e-3·|a|: at most 1 where two float32 graphs agree. */
function worstError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(b.length).toBe(a.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1e-4 + 1e-3 * Math.abs(a[i])));
  return worst;
}

test('the llamaLM peers (hand-built ORT graph, tf.layers model) compute the reference logits', async () => {
  const { handGraph, kerasModel, onnxFusedPeer, tfLayersPeer } = await import('./peers.js');
  const { benchInputs } = await import('./models.js');
  const { initWeights } = await import('@tessera/spec');
  const m = benchModels().find((b) => b.id === 'llamaLM/small')!;
  // Random norm weights (not PyTorch's ones), so that a norm weight read wrongly shows.
  const weights = initWeights(m.spec, 1, { randomizeConstants: true });
  const inputs = benchInputs(m);
  const reference = await (await createBackend()).compile(m.spec, weights);
  const mine = (await reference.run(inputs)).logits.data;

  const ortNode = await import('onnxruntime-node');
  const session = await ortNode.InferenceSession.create(await handGraph(m, weights));
  const ids = inputs.input_ids;
  const feeds = { input_ids: new ortNode.Tensor('int32', ids.data, ids.shape) };
  // Two float32 graphs against the float64 reference: within 1e-4 + 1e-3·|x|.
  expect(worstError(mine, (await session.run(feeds)).logits.data as Float32Array)).toBeLessThan(1);
  await session.release();

  const tfjs = await import('@tessera/backend-tfjs');
  const tf = await import('@tensorflow/tfjs');
  for (const variant of ['cpu', 'wasm'] as const) {
    await tfjs.ensureTfBackend(variant);
    const model = await kerasModel(m, weights);
    const x = tf.tensor(ids.data, ids.shape, 'int32');
    const y = model.predict(x) as import('@tensorflow/tfjs').Tensor;
    expect(worstError(mine, await y.data())).toBeLessThan(1);
    tf.dispose([x, y]);
    model.dispose();
  }
  // The peers the bench table times take this model.
  for (const peer of [onnxFusedPeer('node'), tfLayersPeer('wasm')]) {
    expect(peer.supports(m)).toBe(true);
    const prepared = await peer.prepare(m, weights);
    await prepared.run();
    await prepared.dispose();
  }
});

test('every peer a manifest names is in the peer table, and is looked up by it', async () => {
  const { defaultPeers } = await import('./peers.js');
  const { peerOf } = await import('./run.js');
  const manifests = await Promise.all(
    ['gpujs', 'ort', 'reference', 'tfjs'].map(
      async (name) => (await import(`@tessera/backend-${name}`)).manifest as BackendManifest,
    ),
  );
  const named = manifests.flatMap((m) => m.variants.flatMap((v) => (v.peer ? [v.peer] : [])));
  expect(named.length).toBeGreaterThan(0);
  for (const ref of named) expect(Object.keys(defaultPeers)).toContain(ref.name);
  const lstm = benchModels().find((b) => b.id === 'lstm/small')!;
  const speech = benchModels().find((b) => b.preset === 'speechRecognizer')!;
  const tfLayers = { name: 'tf-layers', variant: 'wasm' };
  expect(peerOf(defaultPeers, tfLayers, lstm)?.label).toBe('tf.layers on tfjs-wasm');
  // llamaLM has both peers; no hand-written speech model, and no peer where the manifest names
  // none or an unknown one.
  const llama = benchModels().find((b) => b.id === 'llamaLM/medium')!;
  expect(peerOf(defaultPeers, tfLayers, llama)?.label).toBe('tf.layers on tfjs-wasm');
  expect(peerOf(defaultPeers, { name: 'onnx-fused', variant: 'node' }, llama)?.label).toBe(
    'hand-built ORT fused graph',
  );
  expect(peerOf(defaultPeers, tfLayers, speech)).toBeUndefined();
  expect(peerOf(defaultPeers, undefined, lstm)).toBeUndefined();
  expect(peerOf(defaultPeers, { name: 'toString', variant: 'x' }, lstm)).toBeUndefined();
});
