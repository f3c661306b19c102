// Tessera's generated graph vs a hand-built ONNX graph with ORT's fused operators, same weights,
// same session options: compile time, median and p90 latency, and their ratio (target ≤ 1.05).
//   pnpm bench                        node, both models
//   pnpm bench --variant wasm --runs 10
//   pnpm bench --attention all        every attention lowering on the transformer, each vs hand-built
//   pnpm bench --attention compare    the four lowerings interleaved run by run (for README.md)
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import {
  defaultBindings,
  initWeights,
  type ModelSpec,
  parseSpec,
  randomInputs,
  type Tensor,
  transformerLM,
} from '@tessera/spec';
import { type AttentionPath, attentionPaths, createBackend } from '../src/index.js';
import { handLstm, handTransformer } from './handbuilt.js';

const { values: args } = parseArgs({
  options: {
    variant: { type: 'string', default: 'node' },
    runs: { type: 'string', default: '20' },
    attention: { type: 'string', default: '' },
    model: { type: 'string', default: 'all' },
  },
});
const variant = args.variant as 'node' | 'wasm';
const runs = Number(args.runs);
type Ort = typeof import('onnxruntime-node');
const ort: Ort =
  variant === 'node'
    ? await import('onnxruntime-node')
    : ((await import('onnxruntime-web')) as unknown as Ort);

interface Case {
  label: string;
  spec: ModelSpec;
  bindings: Record<string, number>;
  hand: (w: Map<string, Tensor>) => Uint8Array;
}

const d = 256;
const cases: Case[] = [
  {
    label: 'transformerLM d256 L4 h4, batch 8 × time 128',
    spec: transformerLM({
      vocabSize: 256,
      dModel: d,
      nhead: 4,
      numLayers: 4,
      dimFeedforward: 4 * d,
      maxLength: 128,
    }),
    bindings: { batch: 8, time: 128 },
    hand: (w) => handTransformer(w, { vocab: 256, d, heads: 4, ff: 4 * d, layers: 4, time: 128 }),
  },
  {
    label: 'LSTM 2 layers h256, batch 16 × time 100',
    spec: parseSpec({
      format: 'tessera.model/v1',
      inputs: { x: { dtype: 'float32', shape: ['batch', 'time', 64] } },
      outputs: { y: 'lstm' },
      nodes: [{ id: 'lstm', op: 'lstm', inputSize: 64, hiddenSize: 256, numLayers: 2 }],
    }),
    bindings: { batch: 16, time: 100 },
    hand: (w) => handLstm(w, { input: 64, hidden: 256, layers: 2 }),
  },
];

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))];
}

const fmt = (ms: number) => `${ms.toFixed(2).padStart(9)} ms`;

interface Timing {
  wall: number;
  /** user + system time of every thread of the process (ORT's pool, wasm workers). */
  cpu: number;
}

async function timed(fn: () => Promise<unknown>): Promise<Timing> {
  const t = performance.now();
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  return { wall: performance.now() - t, cpu: (c.user + c.system) / 1000 };
}

/** Runs both, the first one first on even iterations and second on odd ones. */
async function alternate(
  i: number,
  first: () => Promise<unknown>,
  second: () => Promise<unknown>,
): Promise<void> {
  if (i % 2 === 0) {
    await first();
    await second();
  } else {
    await second();
    await first();
  }
}

async function bench(c: Case, attention: AttentionPath | undefined): Promise<void> {
  const weights = initWeights(c.spec, 1);
  const inputs = randomInputs(c.spec, defaultBindings(c.spec, c.bindings), 2);
  const backend = await createBackend({ variant, ...(attention ? { attention } : {}) });

  const handSession = () =>
    ort.InferenceSession.create(c.hand(weights), {
      executionProviders: [variant === 'node' ? 'cpu' : 'wasm'],
      graphOptimizationLevel: 'all',
      ...(variant === 'node' ? { intraOpNumThreads: availableParallelism() } : {}),
    });
  // Compile time: spec → ONNX bytes → optimised session (hand-built: build → session), 5 times.
  const oursCompile: Timing[] = [];
  const handCompile: Timing[] = [];
  for (let i = 0; i < 5; i++) {
    await alternate(
      i,
      async () =>
        oursCompile.push(
          await timed(async () => (await backend.compile(c.spec, weights)).dispose()),
        ),
      async () => handCompile.push(await timed(async () => (await handSession()).release())),
    );
  }
  const model = await backend.compile(c.spec, weights);
  const session = await handSession();

  const feeds = () =>
    Object.fromEntries(
      Object.entries(inputs).map(([k, v]) => [k, new ort.Tensor(v.dtype, v.data, v.shape)]),
    );
  // Same numbers from both graphs, or the comparison means nothing.
  const a = Object.values(await model.run(inputs))[0].data;
  const bOut = Object.values(await session.run(feeds()))[0].data as Float32Array;
  let maxDiff = 0;
  for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - bOut[i]));

  const ours: Timing[] = [];
  const hand: Timing[] = [];
  for (let i = 0; i < 3; i++) {
    await model.run(inputs);
    await session.run(feeds());
  }
  // Interleaved, and in alternating order, so drift in machine load and whatever one session
  // leaves behind (spinning pool threads) hit both sides alike.
  for (let i = 0; i < runs; i++) {
    await alternate(
      i,
      async () => ours.push(await timed(() => model.run(inputs))),
      async () => hand.push(await timed(() => session.run(feeds()))),
    );
  }
  await model.dispose();
  await session.release();

  const title = `${c.label} — ort:${variant}${attention ? `, attention ${attention}` : ''}`;
  console.log(`\n${title}\n${'-'.repeat(title.length)}`);
  // CPU time (every thread of the process) is the steadier figure on a shared, loaded machine.
  const row = (label: string, xs: number[]) =>
    `${label.padEnd(14)} ${xs.map((x) => fmt(x)).join(' ')}`;
  const summary = (compile: Timing[], runs_: Timing[]) => [
    quantile(
      compile.map((t) => t.wall),
      0.5,
    ),
    quantile(
      compile.map((t) => t.cpu),
      0.5,
    ),
    quantile(
      runs_.map((t) => t.wall),
      0.5,
    ),
    quantile(
      runs_.map((t) => t.wall),
      0.9,
    ),
    quantile(
      runs_.map((t) => t.cpu),
      0.5,
    ),
  ];
  const oursRow = summary(oursCompile, ours);
  const handRow = summary(handCompile, hand);
  console.log(`                     compile  compile CPU       median          p90   median CPU`);
  console.log(row('tessera', oursRow));
  console.log(row('hand-built', handRow));
  console.log(
    `${'ratio'.padEnd(14)} ${oursRow.map((x, i) => (x / handRow[i]).toFixed(3).padStart(12)).join(' ')}`,
  );
  console.log(
    `max |tessera − hand-built| = ${maxDiff.toExponential(2)} over ${a.length} outputs, ${runs} runs each`,
  );
}

/** The attention lowerings on the transformer, compiled side by side and timed round-robin. */
async function compareAttention(c: Case): Promise<void> {
  const weights = initWeights(c.spec, 1);
  const inputs = randomInputs(c.spec, defaultBindings(c.spec, c.bindings), 2);
  const models = [];
  for (const attention of attentionPaths) {
    const backend = await createBackend({ variant, attention });
    const t = performance.now();
    const model = await backend.compile(c.spec, weights);
    models.push({
      attention,
      model,
      compile: performance.now() - t,
      times: [] as number[],
      cpu: [] as number[],
    });
  }
  for (let i = 0; i < 3; i++) for (const m of models) await m.model.run(inputs);
  for (let i = 0; i < runs; i++) {
    for (const m of models) {
      const t = performance.now();
      const c0 = process.cpuUsage();
      await m.model.run(inputs);
      m.times.push(performance.now() - t);
      const c = process.cpuUsage(c0);
      m.cpu.push((c.user + c.system) / 1000);
    }
  }
  console.log(`\n${c.label} — ort:${variant}, attention lowerings interleaved\n`);
  // CPU time (all of ORT's threads) is the steadier figure on a shared, loaded machine.
  console.log(
    '| attention | compile | median | p90 | median CPU time |\n| --- | ---: | ---: | ---: | ---: |',
  );
  for (const m of models) {
    console.log(
      `| ${m.attention} | ${m.compile.toFixed(0)} ms | ${quantile(m.times, 0.5).toFixed(1)} ms | ${quantile(m.times, 0.9).toFixed(1)} ms | ${quantile(m.cpu, 0.5).toFixed(1)} ms |`,
    );
    await m.model.dispose();
  }
}

console.log(
  `ONNX Runtime ${variant}, ${availableParallelism()} cores, ${runs} timed runs after 3 warm-ups`,
);
const selected = cases.filter(
  (_c, i) => args.model === 'all' || (args.model === 'transformer' ? i === 0 : i === 1),
);
for (const c of selected) {
  const isTransformer = c.spec.nodes.some((n) => n.op === 'transformerEncoderLayer');
  if (args.attention === 'compare') {
    if (isTransformer) await compareAttention(c);
  } else if (args.attention === 'all' && isTransformer) {
    for (const path of attentionPaths) await bench(c, path);
  } else await bench(c, (args.attention || undefined) as AttentionPath | undefined);
}
