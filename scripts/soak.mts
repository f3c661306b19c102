// A soak for memory over long runs (issue 18; not in CI: it takes minutes per variant). For every
// node variant of every installed backend, found as the CLI finds them (its resolver and the
// packages' manifests), it runs (a) compile → run → dispose cycles of a small transformerLM and a
// small LSTM LM and (b) a small llamaLM's decoder fed one token per step, reset each time it
// reaches maxLength, and samples memory at the start, after a warm-up and at even intervals.
// Each variant runs in a process of its own, so that one variant's heap and allocator
// high-water marks do not show in the next one's figures.
//
//   npx tsx --expose-gc --conditions=@tessera/source scripts/soak.mts
//       [--variants ort:node,tfjs:wasm] [--cycles 1000] [--steps 10000] [--samples 20]
//       [--warmup 0.5] [--max-length 32] [--parts cycles,decode] [--json soak.json]
//
// --expose-gc (a node flag, passed through tsx) lets every sample run global.gc() first, so that
// heapUsed, external and arrayBuffers count what is still reachable, not garbage waiting for the
// collector. Without it the figures are printed but not judged: only tfjs's tensor count, which
// does not depend on the collector, is.
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  createResolver,
  installedVariants,
  parseBackendLabel,
  startBackend,
} from '../packages/cli/src/backends.js';
import {
  type Backend,
  charRnnLM,
  initWeights,
  llamaLM,
  type ModelSpec,
  type Tensor,
  transformerLM,
} from '../packages/spec/src/index.js';

// ---------------------------------------------------------------------------------------------
// Options

export const PARTS = ['cycles', 'decode'] as const;
export type Part = (typeof PARTS)[number];

export interface SoakOptions {
  /** `name:variant` labels; empty for every node variant. */
  variants: string[];
  cycles: number;
  steps: number;
  /** Samples after the warm-up (at even intervals, the last at the end). */
  samples: number;
  /** The share of cycles (of steps) run before the after-warm-up sample. */
  warmup: number;
  /** The decoder's maxLength: it is reset when a round of single-token steps reaches it. */
  maxLength: number;
  parts: Part[];
  json?: string;
  /** Internal: run one variant in this process and send its result to the parent. */
  child?: string;
  help: boolean;
}

export class SoakUsageError extends Error {
  override name = 'SoakUsageError';
}

const USAGE = `usage: npx tsx --expose-gc --conditions=@tessera/source scripts/soak.mts [options]
  --variants a:b,c:d  variants to soak (default: every node variant of every installed backend)
  --cycles N          compile → run → dispose cycles per model (default 1000)
  --steps N           single-token decoder steps (default 10000)
  --samples N         memory samples after the warm-up (default 20)
  --warmup F          share of the cycles and steps run before the after-warm-up sample (default 0.5)
  --max-length N      the decoder's maxLength; it is reset on reaching it (default 32)
  --parts P,Q         cycles, decode or both (default both)
  --json FILE         write every sample and figure to FILE
Exit 0: every variant within the bounds; 1: a variant over one, or failed; 2: a usage error.`;

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new SoakUsageError(`--${name} must be a positive integer, got ${JSON.stringify(text)}`);
  return n;
}

export function parseSoakArgs(argv: readonly string[]): SoakOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        variants: { type: 'string' },
        cycles: { type: 'string', default: '1000' },
        steps: { type: 'string', default: '10000' },
        samples: { type: 'string', default: '20' },
        warmup: { type: 'string', default: '0.5' },
        'max-length': { type: 'string', default: '32' },
        parts: { type: 'string', default: PARTS.join(',') },
        json: { type: 'string' },
        child: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    throw new SoakUsageError((e as Error).message.replace(/\. To specify a positional.*$/s, ''));
  }
  const str = (name: string) => values[name] as string;
  const variants =
    values.variants === undefined
      ? []
      : str('variants')
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
  for (const label of variants) {
    // The CLI's own check of name:variant, so that a label here means what it means there.
    try {
      const parsed = parseBackendLabel(label, 'soak');
      if (parsed.variant === undefined) throw new Error('no variant');
    } catch {
      throw new SoakUsageError(`--variants: ${JSON.stringify(label)} is not name:variant`);
    }
  }
  const warmup = Number(str('warmup'));
  if (!(warmup >= 0 && warmup < 1))
    throw new SoakUsageError(`--warmup must be in [0, 1), got ${JSON.stringify(str('warmup'))}`);
  const parts = str('parts')
    .split(',')
    .map((s) => s.trim());
  for (const p of parts)
    if (!(PARTS as readonly string[]).includes(p))
      throw new SoakUsageError(`--parts: ${JSON.stringify(p)} is not one of ${PARTS.join(', ')}`);
  const cycles = positiveInt('cycles', str('cycles'));
  const steps = positiveInt('steps', str('steps'));
  const maxLength = positiveInt('max-length', str('max-length'));
  // At least one cycle (one round of steps) for the warm-up and one after it.
  if (cycles < 2) throw new SoakUsageError(`--cycles must be at least 2, got ${cycles}`);
  if (steps < 2 * maxLength)
    throw new SoakUsageError(
      `--steps ${steps} is less than two rounds of --max-length ${maxLength} (one to warm up, one to measure)`,
    );
  return {
    variants,
    cycles,
    steps,
    samples: positiveInt('samples', str('samples')),
    warmup,
    maxLength,
    parts: [...new Set(parts)] as Part[],
    ...(values.json === undefined ? {} : { json: str('json') }),
    ...(values.child === undefined ? {} : { child: str('child') }),
    help: values.help === true,
  };
}

/**
 * The indices (cycles or decode rounds done) after which a sample is taken: `warm` (the
 * after-warm-up sample), then `samples` more at even intervals, the last at `total`.
 */
export function samplePoints(total: number, warm: number, samples: number): number[] {
  const points = new Set<number>([warm]);
  const span = total - warm;
  for (let i = 1; i <= samples; i++) points.add(warm + Math.round((span * i) / samples));
  return [...points].filter((p) => p <= total).sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------
// Measures

/** What one sample records; bytes, and tfjs's tensor count where a tfjs engine is running. */
export interface Sample {
  /** Cycles, or decoder steps, done when it was taken. */
  at: number;
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  tensors?: number;
  tensorBytes?: number;
}

const METRICS = [
  'rss',
  'heapUsed',
  'external',
  'arrayBuffers',
  'tensors',
  'tensorBytes',
] as const satisfies readonly (keyof Sample)[];
type Metric = (typeof METRICS)[number];

/**
 * How much a measure may rise after the warm-up (PartResult.rise) before the variant is called
 * leaking: a reading aid, not a test. The warm-up is half the run by default because
 * what only climbs to a level takes that long here: ort:node's rss climbs for ~500 cycles (malloc
 * arenas reaching their high-water mark), V8's compiled code and feedback for ~1,000 (then stay
 * within 0.1 MB over 9,000 more). In two default runs of every variant, the rises of those that do
 * not leak were at most 0.24 MB (heapUsed) and 4.0 MB (rss, gpujs:webasm's cycles).
 * - heapUsed, external, arrayBuffers: 1 MB, which 200 B a step (one step's 32 logits as a
 *   Float32Array, with its object) over 5,000 steps passes, and 2 KB a cycle over 500 cycles
 *   (a cycle compiles 112 KB + 32 KB of weights; the decoded llamaLM's state is 4 KB when full).
 * - rss: 8 MB: 1.6 KB a step over 5,000 steps, 16 KB a cycle over 500 cycles; it also holds
 *   native memory (ONNX Runtime's, wasm memories and code), which only it shows.
 * - tfjs tensors: 0. A tensor alive at a sample that was not alive after the warm-up is a leak
 *   of one however small (samples are taken with no model alive, or just after a reset).
 */
export const BOUNDS: Record<Metric, number> = {
  rss: 8 * 2 ** 20,
  heapUsed: 2 ** 20,
  external: 2 ** 20,
  arrayBuffers: 2 ** 20,
  tensors: 0,
  tensorBytes: 0,
};

/** The measures a collector-less run still judges (they do not depend on when gc runs). */
const JUDGED_WITHOUT_GC: readonly Metric[] = ['tensors', 'tensorBytes'];

interface TfEngine {
  memory(): { numTensors: number; numBytes: number };
}

/**
 * tfjs keeps its one engine on the global object (tfjs-core's getOrMakeEngine: `_tfengine`), so
 * tf.memory() is this engine's memory(); reading it here needs no import of tfjs and no test of
 * which backend is running. Absent until a tfjs variant has started.
 */
function tfEngine(): TfEngine | undefined {
  return (globalThis as { _tfengine?: TfEngine })._tfengine;
}

const gc = (globalThis as { gc?: () => void }).gc;

async function sample(at: number): Promise<Sample> {
  if (gc !== undefined) {
    gc();
    // Memory freed by finalizers (FinalizationRegistry, native handles) goes on a later turn.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  const m = process.memoryUsage();
  const tf = tfEngine()?.memory();
  return {
    at,
    rss: m.rss,
    heapUsed: m.heapUsed,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    ...(tf === undefined ? {} : { tensors: tf.numTensors, tensorBytes: tf.numBytes }),
  };
}

/** Least-squares slope of `ys` over `xs` (0 for fewer than two points). */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export interface PartResult {
  part: Part;
  /** Cycles or steps run, warm-up included. */
  n: number;
  /** Cycles or steps run before the after-warm-up sample. */
  warm: number;
  /** Cycles (or steps) per second after the warm-up, sampling excluded. */
  perSecond: number;
  /** The start sample, the after-warm-up sample, then the others. */
  samples: Sample[];
  /** From the after-warm-up sample to the last. */
  growth: Partial<Record<Metric, number>>;
  /** Least squares over the samples from the after-warm-up one, per 1,000 cycles or steps. */
  slopePer1000: Partial<Record<Metric, number>>;
  /** The largest difference of any later output from the first cycle's (the first round's). */
  maxDiff: number;
  /**
   * What the bound is held against: the rise of the least-squares line over the samples after
   * the warm-up for bytes, the highest sample over the after-warm-up one for tfjs's counts.
   */
  rise: Partial<Record<Metric, number>>;
  /** Measures over their bound, named. */
  over: Metric[];
}

export function summarise(
  part: Part,
  n: number,
  warm: number,
  seconds: number,
  samples: Sample[],
  maxDiff: number,
  judged: readonly Metric[],
): PartResult {
  const tail = samples.slice(1); // the start sample is before the warm-up
  const from = tail[0];
  const last = tail[tail.length - 1];
  const growth: Partial<Record<Metric, number>> = {};
  const slopePer1000: Partial<Record<Metric, number>> = {};
  const rise: Partial<Record<Metric, number>> = {};
  const over: Metric[] = [];
  for (const m of METRICS) {
    if (from[m] === undefined || last[m] === undefined) continue;
    const ys = tail.map((s) => s[m] ?? 0);
    growth[m] = last[m] - from[m];
    const perStep = slope(
      tail.map((s) => s.at),
      ys,
    );
    slopePer1000[m] = 1000 * perStep;
    // A count (bound 0) may not rise at any sample; a byte measure is judged on its fitted line,
    // since the rss of the wasm variants jitters by ±5 MB from one sample to the next.
    rise[m] = BOUNDS[m] === 0 ? Math.max(...ys) - from[m] : perStep * (last.at - from.at);
    if (judged.includes(m) && rise[m] > BOUNDS[m]) over.push(m);
  }
  return {
    part,
    n,
    warm,
    perSecond: (n - warm) / seconds,
    samples,
    growth,
    slopePer1000,
    rise,
    maxDiff,
    over,
  };
}

// ---------------------------------------------------------------------------------------------
// The workloads

const VOCAB = 32;

/** Token ids [1, time]: a fixed sequence, so every cycle (every round) computes the same thing. */
function ids(time: number, from = 0): Tensor {
  return {
    dtype: 'int32',
    shape: [1, time],
    data: Int32Array.from({ length: time }, (_, i) => ((from + i) * 7 + 3) % VOCAB),
  };
}

function maxAbsDiff(a: Tensor['data'], b: Tensor['data']): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(Number(a[i]) - Number(b[i])));
  return Number.isNaN(m) ? Number.POSITIVE_INFINITY : m;
}

interface CycleModel {
  spec: ModelSpec;
  input: string;
}

/** The models compiled, run and disposed in every cycle: small, so that a cycle is short. */
function cycleModels(): CycleModel[] {
  return [
    {
      spec: transformerLM({ vocabSize: VOCAB, dModel: 32, nhead: 2, numLayers: 2, maxLength: 16 }),
      input: 'tokens',
    },
    {
      spec: charRnnLM({ vocabSize: VOCAB, embeddingDim: 16, hiddenSize: 32, cell: 'lstm' }),
      input: 'tokens',
    },
  ];
}

/** The decoded model: GQA (2 heads over 1 key/value head) with rope, 2 layers. */
function decodeSpec(): ModelSpec {
  return llamaLM({
    vocabSize: VOCAB,
    hiddenSize: 16,
    numLayers: 2,
    numHeads: 2,
    numKeyValueHeads: 1,
    intermediateSize: 32,
  });
}

/** Runs `f`, adding its wall-clock milliseconds to `clock.ms`. */
async function timed<T>(clock: { ms: number }, f: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await f();
  } finally {
    clock.ms += performance.now() - start;
  }
}

async function soakCycles(
  backend: Backend,
  o: SoakOptions,
  log: (line: string) => void,
): Promise<PartResult> {
  const models = cycleModels().map((m, seed) => ({
    ...m,
    weights: initWeights(m.spec, seed + 1),
    inputs: { [m.input]: ids(8) },
  }));
  const warm = Math.min(o.cycles - 1, Math.max(1, Math.round(o.cycles * o.warmup)));
  const points = new Set(samplePoints(o.cycles, warm, o.samples));
  const samples = [await sample(0)];
  const first: (Tensor['data'] | undefined)[] = models.map(() => undefined);
  let maxDiff = 0;
  const clock = { ms: 0 };
  for (let cycle = 1; cycle <= o.cycles; cycle++) {
    await timed(clock, async () => {
      for (const [i, m] of models.entries()) {
        const compiled = await backend.compile(m.spec, m.weights);
        const { logits } = await compiled.run(m.inputs);
        await compiled.dispose();
        if (first[i] === undefined) first[i] = logits.data;
        else maxDiff = Math.max(maxDiff, maxAbsDiff(logits.data, first[i]));
      }
    });
    if (cycle === warm) clock.ms = 0; // the rate counts the cycles after the warm-up only
    if (points.has(cycle)) {
      samples.push(await sample(cycle));
      log(`cycles ${cycle}/${o.cycles}`);
    }
  }
  return summarise('cycles', o.cycles, warm, clock.ms / 1000, samples, maxDiff, judgedMetrics());
}

async function soakDecode(
  backend: Backend,
  o: SoakOptions,
  log: (line: string) => void,
): Promise<PartResult | string> {
  const spec = decodeSpec();
  const model = await backend.compile(spec, initWeights(spec, 3));
  try {
    if (model.decoder === undefined) return 'the compiled model has no decoder';
    const decoder = await model.decoder({ maxLength: o.maxLength });
    // Steps come in rounds of maxLength single tokens (the last may be shorter), and samples
    // are taken between rounds, just after a reset: the state is released then, so what is
    // alive does not depend on where in a round the sample falls.
    const rounds = Math.ceil(o.steps / o.maxLength);
    const warmRounds = Math.min(rounds - 1, Math.max(1, Math.round(rounds * o.warmup)));
    const points = new Set(samplePoints(rounds, warmRounds, o.samples));
    const tokens = Array.from({ length: o.maxLength }, (_, p) => ids(1, p));
    const firstRound: Tensor['data'][] = [];
    let maxDiff = 0;
    const samples = [await sample(0)];
    const clock = { ms: 0 };
    let done = 0;
    let warmSteps = 0;
    for (let round = 1; round <= rounds; round++) {
      const length = Math.min(o.maxLength, o.steps - done);
      await timed(clock, async () => {
        for (let p = 0; p < length; p++) {
          const { logits } = await decoder.step({ input_ids: tokens[p] });
          if (round === 1) firstRound.push(logits.data);
          else maxDiff = Math.max(maxDiff, maxAbsDiff(logits.data, firstRound[p]));
        }
        decoder.reset();
      });
      done += length;
      if (round === warmRounds) {
        clock.ms = 0;
        warmSteps = done;
      }
      if (points.has(round)) {
        samples.push(await sample(done));
        log(`decode ${done}/${o.steps}`);
      }
    }
    await decoder.dispose();
    return summarise('decode', done, warmSteps, clock.ms / 1000, samples, maxDiff, judgedMetrics());
  } finally {
    await model.dispose();
  }
}

function judgedMetrics(): readonly Metric[] {
  return gc === undefined ? JUDGED_WITHOUT_GC : METRICS;
}

export interface VariantResult {
  label: string;
  gc: boolean;
  parts: PartResult[];
  /** Parts not run, with the reason (no decoder, ...). */
  skipped: { part: Part; reason: string }[];
  error?: string;
}

async function soakVariant(label: string, o: SoakOptions): Promise<VariantResult> {
  const log = (line: string) => process.stderr.write(`${label}: ${line}\n`);
  const result: VariantResult = { label, gc: gc !== undefined, parts: [], skipped: [] };
  try {
    const backend = await startBackend(createResolver(), parseBackendLabel(label, 'soak'));
    if (o.parts.includes('cycles')) result.parts.push(await soakCycles(backend, o, log));
    if (o.parts.includes('decode')) {
      const decoded = await soakDecode(backend, o, log);
      if (typeof decoded === 'string') result.skipped.push({ part: 'decode', reason: decoded });
      else result.parts.push(decoded);
    }
  } catch (e) {
    result.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// The parent: one child process per variant, then the table

/** Every variant that runs in node, labelled `name:variant`, in the installed packages' order. */
async function nodeVariants(): Promise<string[]> {
  return (await installedVariants(createResolver()))
    .filter((v) => v.variant.runsIn.includes('node'))
    .map((v) => v.label);
}

function runChild(label: string, args: readonly string[]): Promise<VariantResult> {
  return new Promise((resolve) => {
    const child = fork(fileURLToPath(import.meta.url), [...args, '--child', label], {
      execArgv: process.execArgv, // tsx's loader, --conditions and --expose-gc
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: VariantResult | undefined;
    child.on('message', (m) => {
      result = m as VariantResult;
    });
    child.on('exit', (code, signal) => {
      resolve(
        result ?? {
          label,
          gc: gc !== undefined,
          parts: [],
          skipped: [],
          error: `its process exited (${signal ?? `code ${code}`}) without a result`,
        },
      );
    });
  });
}

const MB = 2 ** 20;

/** A measure's value as the report prints it: MB, or a count of tensors. */
function describe(m: Metric, x: number): string {
  return m === 'tensors' ? `${x} tensors` : `${(x / MB).toFixed(2)} MB`;
}

function cell(r: PartResult, m: Metric): string {
  const g = r.growth[m];
  const s = r.slopePer1000[m];
  if (g === undefined || s === undefined) return '—';
  const bytes = m !== 'tensors';
  const fmt = (x: number) =>
    bytes ? `${x >= 0 ? '+' : ''}${(x / MB).toFixed(2)}` : `${x >= 0 ? '+' : ''}${x.toFixed(0)}`;
  return `${fmt(g)} (${fmt(s)})${r.over.includes(m) ? ' **over**' : ''}`;
}

export function table(results: readonly VariantResult[]): string {
  const head = [
    'variant',
    'part',
    'n',
    'per s',
    'rss',
    'heapUsed',
    'external',
    'arrayBuffers',
    'tf tensors',
    'tf MB',
    'max diff',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`];
  for (const v of results) {
    if (v.error !== undefined) {
      lines.push(
        `| ${v.label} | failed: ${v.error.split('\n')[0]} |${' |'.repeat(head.length - 2)}`,
      );
      continue;
    }
    for (const r of v.parts)
      lines.push(
        `| ${[
          v.label,
          r.part,
          r.n,
          r.perSecond.toFixed(r.perSecond < 10 ? 2 : 0),
          cell(r, 'rss'),
          cell(r, 'heapUsed'),
          cell(r, 'external'),
          cell(r, 'arrayBuffers'),
          cell(r, 'tensors'),
          cell(r, 'tensorBytes'),
          r.maxDiff.toExponential(1),
        ].join(' | ')} |`,
      );
    for (const s of v.skipped)
      lines.push(
        `| ${v.label} | ${s.part} | not run: ${s.reason} |${' |'.repeat(head.length - 3)}`,
      );
  }
  return lines.join('\n');
}

/** The options a child runs its one variant with. */
export function childArgs(o: SoakOptions): string[] {
  return [
    ...['--cycles', String(o.cycles), '--steps', String(o.steps)],
    ...['--samples', String(o.samples), '--warmup', String(o.warmup)],
    ...['--max-length', String(o.maxLength), '--parts', o.parts.join(',')],
  ];
}

async function main(argv: readonly string[]): Promise<number> {
  let o: SoakOptions;
  try {
    o = parseSoakArgs(argv);
  } catch (e) {
    if (!(e instanceof SoakUsageError)) throw e;
    process.stderr.write(`soak: ${e.message}\n${USAGE}\n`);
    return 2;
  }
  if (o.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (o.child !== undefined) {
    const result = await soakVariant(o.child, o);
    await new Promise<void>((resolve) => process.send!(result, () => resolve()));
    return 0;
  }
  const all = await nodeVariants();
  const unknown = o.variants.filter((v) => !all.includes(v));
  if (unknown.length > 0) {
    process.stderr.write(
      `soak: unknown node variant${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')} (node variants: ${all.join(', ')})\n`,
    );
    return 2;
  }
  if (gc === undefined)
    process.stderr.write(
      'soak: no global.gc (run node with --expose-gc): heap figures include garbage and only tfjs tensor counts are judged\n',
    );
  const results: VariantResult[] = [];
  for (const label of o.variants.length === 0 ? all : o.variants)
    results.push(await runChild(label, childArgs(o)));
  process.stdout.write(
    `\n${o.cycles} cycles (2 models each), ${o.steps} decoder steps (maxLength ${o.maxLength}); ` +
      `each cell: growth from after the warm-up (${o.warmup * 100}%) to the end (slope per 1,000), MB (tf tensors: a count)\n\n`,
  );
  process.stdout.write(`${table(results)}\n`);
  if (o.json !== undefined)
    writeFileSync(o.json, `${JSON.stringify({ options: o, results }, null, 2)}\n`);
  const failed = results.filter(
    (r) => r.error !== undefined || r.parts.some((p) => p.over.length > 0),
  );
  for (const r of results) {
    if (r.error !== undefined) process.stderr.write(`${r.label} failed:\n${r.error}\n`);
    for (const p of r.parts)
      if (p.over.length > 0)
        process.stderr.write(
          `${r.label} ${p.part}: over the bound in ${p.over
            .map((m) => `${m} (rose ${describe(m, p.rise[m]!)}, bound ${describe(m, BOUNDS[m])})`)
            .join(', ')}\n`,
        );
  }
  return failed.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = await main(process.argv.slice(2));
