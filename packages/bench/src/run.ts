// Runs every model on every backend variant (and each one's peer) in one process, so every figure
// is a ratio to something measured in the same run.
import { cpus } from 'node:os';
import {
  type Backend,
  countFlops,
  initWeights,
  type OpCall,
  type PeerRef,
  type VariantManifest,
  type Weights,
} from '@tessera/spec';
import { type LimitProbe, limitOf } from './limit.js';
import { measure, measureTogether, peakRssGrowth, type Timing } from './measure.js';
import { type BenchModel, benchInputs } from './models.js';

/** One backend variant to time: its label, how to start it, and its manifest entry. */
export interface BackendEntry {
  label: string;
  /** Starts the variant; a rejection lists it under `unavailable`, with the reason. */
  create: () => Promise<Backend>;
  /** The variant's manifest entry: the peer it is timed against, its profiler. */
  variant?: VariantManifest;
}

/** A hand-written or hand-built implementation of the same architecture with the same weights. */
export interface Peer {
  label: string;
  /** Whether the peer has a hand-written version of `model`. */
  supports(model: BenchModel): boolean;
  /** Builds the peer's version of `model` with the same weights, ready to time. */
  prepare(
    model: BenchModel,
    weights: Weights,
  ): Promise<{
    /** One forward pass of the whole batch, its outputs read back. */
    run(): Promise<unknown>;
    /** Frees what the peer's model holds. */
    dispose(): Promise<void>;
  }>;
  /** bench --profile: every kernel call of `runs` forward passes after a warm-up, by op. */
  profile?(
    model: BenchModel,
    weights: Weights,
    runs: number,
  ): Promise<{ unit: string; calls: OpCall[] }>;
}

/** Peers by the name a manifest's `peer` gives, each made for the variant it gives. */
export type PeerTable = Record<string, (variant: string) => Peer>;

/** The peer a variant's manifest names, if the table has it and it has a `model` of its own. */
export function peerOf(
  peers: PeerTable | undefined,
  ref: PeerRef | undefined,
  model: BenchModel,
): Peer | undefined {
  if (ref === undefined || peers === undefined || !Object.hasOwn(peers, ref.name)) return undefined;
  const peer = peers[ref.name](ref.variant);
  return peer.supports(model) ? peer : undefined;
}

/** A row's peer, timed in alternation with the variant, and the ratio between them. */
export interface PeerResult {
  label: string;
  /** The ratio the variant aims for, from its manifest's `peer.target`. */
  target?: number;
  medianMs: number;
  p90Ms: number;
  /** Tessera's median over the peer's: 1.05 means Tessera is 5% slower. */
  ratio: number;
  /**
   * The lowest and highest ratio of one round's block medians: how far the ratio moves within
   * this measurement (on a shared machine, ±30% for sub-millisecond models).
   */
  ratioRange?: [number, number];
}

/**
 * One model on one backend variant: compile and first-run times, latency, throughput, GFLOP/s,
 * memory growth and the ratio to its peer, or the error that stopped it.
 */
export interface BenchRow {
  model: string;
  backend: string;
  compileMs?: number;
  firstRunMs?: number;
  timing?: Timing;
  examplesPerSecond?: number;
  gflops?: number;
  /** Achieved GFLOP/s over the MatMul limit's, timed in alternation with this model. */
  limitFraction?: number;
  /** That limit's GFLOP/s. */
  limitGflops?: number;
  rssGrowthMB?: number;
  peer?: PeerResult;
  error?: string;
}

/** The machine's limit: a large square MatMul on onnxruntime-node, its GFLOP/s and median. */
export interface Limit {
  label: string;
  n: number;
  gflops: number;
  medianMs: number;
}

/**
 * What runBench gives: the date and machine, the limit, a row per model × variant, the variants
 * that could not start, and the scaling table when asked for.
 */
export interface BenchReport {
  date: string;
  machine: { cpus: number; model: string; node: string };
  limit?: Limit;
  rows: BenchRow[];
  unavailable: { backend: string; reason: string }[];
  scaling?: ScalingReport;
}

/**
 * transformerLM's median latency on one variant over a grid of times and batches, with the
 * fitted exponent of latency in time.
 */
export interface ScalingReport {
  backend: string;
  times: number[];
  batches: number[];
  /** medianMs[batchIndex][timeIndex] */
  medianMs: number[][];
  /** Fitted exponent of latency in time, per batch. */
  exponents: number[];
}

/** What runBench times: the models, the variants, their peers and the limit, and for how long. */
export interface BenchOptions {
  models: BenchModel[];
  backends: BackendEntry[];
  /** Looked up by each entry's `variant.peer`. */
  peers?: PeerTable;
  /**
   * The machine-limit MatMul. Timed before the models, in alternation with every model (whose
   * `limitFraction` is over the limit measured alongside it: a shared machine's speed drifts by
   * 2× over minutes) and after them; the report's limit is the fastest of those.
   */
  limit?: () => Promise<LimitProbe>;
  minTimeMs?: number;
  minRuns?: number;
  /** Called after each measurement with the count done, the total and what was measured. */
  onProgress?: (done: number, total: number, what: string) => void;
}

/** The machine a report was measured on: core count, CPU model and Node.js version. */
export function machine(): BenchReport['machine'] {
  const list = cpus();
  return { cpus: list.length, model: list[0]?.model.trim() ?? 'unknown', node: process.version };
}

/**
 * Times every model on every variant, each in alternation with its peer and the limit's MatMul in
 * one process, so that every ratio is measured under the same machine speed.
 *
 * @example
 * // backends: a BackendEntry per variant, e.g. from variantsIn(...) and startVariant (README).
 * const report = await runBench({
 *   models: benchModels().filter((m) => m.id === 'lstm/small'),
 *   backends,
 *   peers: defaultPeers,
 *   limit: () => matmulProbe(1024),
 *   minTimeMs: 300,
 * });
 * console.log(renderBenchMarkdown(report));
 */
export async function runBench(o: BenchOptions): Promise<BenchReport> {
  const report: BenchReport = {
    date: new Date().toISOString(),
    machine: machine(),
    rows: [],
    unavailable: [],
  };
  const total = o.models.length * o.backends.length + (o.limit ? 1 : 0);
  let done = 0;
  const tick = (what: string) => o.onProgress?.(++done, total, what);
  const timingOptions = { minTimeMs: o.minTimeMs ?? 1000, minRuns: o.minRuns ?? 20 };
  const probe = o.limit ? await o.limit() : undefined;
  const timeLimit = async () =>
    probe
      ? limitOf(probe, (await measure(probe.run, { ...timingOptions, minRuns: 10 })).medianMs)
      : undefined;
  report.limit = await timeLimit();
  if (probe) tick('MatMul limit');
  const started = new Map<string, Backend>();
  for (const entry of o.backends) {
    try {
      started.set(entry.label, await entry.create());
    } catch (e) {
      report.unavailable.push({ backend: entry.label, reason: (e as Error).message });
    }
  }
  for (const model of o.models) {
    const weights = initWeights(model.spec, 1);
    const inputs = benchInputs(model);
    const flops = countFlops(model.spec, model.bindings).total;
    for (const entry of o.backends) {
      const backend = started.get(entry.label);
      if (!backend) {
        tick(`${model.id} ${entry.label}`);
        continue;
      }
      const row: BenchRow = { model: model.id, backend: entry.label };
      try {
        const unsupported = model.spec.nodes
          .map((n) => backend.supports(n.op))
          .find((s) => s !== true);
        if (typeof unsupported === 'string') throw new Error(`unsupported: ${unsupported}`);
        // Memory: compile, the first run and the warm-up runs, with nothing else alive.
        const { value: prepared, growth } = await peakRssGrowth(async () => {
          const t0 = performance.now();
          const compiled = await backend.compile(model.spec, weights);
          const t1 = performance.now();
          await compiled.run(inputs);
          const t2 = performance.now();
          for (let i = 0; i < 2; i++) await compiled.run(inputs);
          return { compiled, compileMs: t1 - t0, firstRunMs: t2 - t1 };
        });
        const { compiled, compileMs, firstRunMs } = prepared;
        const peer = peerOf(o.peers, entry.variant?.peer, model);
        let timing: Timing;
        try {
          const run = () => compiled.run(inputs);
          // Tessera, its peer and the limit's MatMul alternate block by block, so the ratios
          // survive the machine's changes of speed.
          const theirs = peer ? await peer.prepare(model, weights) : undefined;
          try {
            const fns: (() => Promise<unknown>)[] = [run];
            if (theirs) fns.push(() => theirs.run());
            if (probe) fns.push(probe.run);
            const timings = await measureTogether(fns, { ...timingOptions, warmup: 1 });
            timing = timings[0];
            if (theirs && peer) {
              const t = timings[1];
              const perRound = (timing.roundMedianMs ?? []).map(
                (ms, i) => ms / t.roundMedianMs![i],
              );
              const target = entry.variant?.peer?.target;
              row.peer = {
                label: peer.label,
                ...(target === undefined ? {} : { target }),
                medianMs: t.medianMs,
                p90Ms: t.p90Ms,
                ratio: timing.medianMs / t.medianMs,
                ratioRange:
                  perRound.length > 0 ? [Math.min(...perRound), Math.max(...perRound)] : undefined,
              };
            }
            if (probe)
              row.limitGflops = limitOf(probe, timings[timings.length - 1].medianMs).gflops;
          } finally {
            await theirs?.dispose();
          }
        } finally {
          await compiled.dispose();
        }
        Object.assign(row, { compileMs, firstRunMs, timing });
        row.rssGrowthMB = growth / 2 ** 20;
        row.examplesPerSecond = model.batch / (timing.medianMs / 1000);
        row.gflops = flops / (timing.medianMs / 1000) / 1e9;
        if (row.limitGflops !== undefined) row.limitFraction = row.gflops / row.limitGflops;
      } catch (e) {
        row.error = (e as Error).message.split('\n')[0];
      }
      report.rows.push(row);
      tick(`${model.id} ${entry.label}`);
    }
  }
  if (probe) {
    // The report's limit: the fastest of the MatMul's medians, before, beside each model, after.
    const after = (await timeLimit().finally(() => probe.dispose()))!;
    const best = Math.max(
      after.gflops,
      report.limit!.gflops,
      ...report.rows.map((r) => r.limitGflops ?? 0),
    );
    report.limit = limitOf(probe, probe.flops / best / 1e6);
  }
  return report;
}

/** Latency of one model family over sequence lengths and batch sizes, with the fitted exponent in time. */
export async function runScaling(
  backend: BackendEntry,
  build: (time: number, batch: number) => BenchModel,
  times: number[],
  batches: number[],
  options: { minTimeMs?: number; minRuns?: number; onProgress?: (what: string) => void } = {},
): Promise<ScalingReport> {
  const { fitExponent } = await import('./measure.js');
  const b = await backend.create();
  const medianMs: number[][] = [];
  for (const batch of batches) {
    const row: number[] = [];
    for (const time of times) {
      const model = build(time, batch);
      const compiled = await b.compile(model.spec, initWeights(model.spec, 1));
      const inputs = benchInputs(model);
      const t = await measure(() => compiled.run(inputs), {
        minTimeMs: options.minTimeMs ?? 500,
        minRuns: options.minRuns ?? 5,
        warmup: 1,
      });
      await compiled.dispose();
      row.push(t.medianMs);
      options.onProgress?.(`scaling batch ${batch} time ${time}`);
    }
    medianMs.push(row);
  }
  return {
    backend: backend.label,
    times,
    batches,
    medianMs,
    exponents: medianMs.map((row) => fitExponent(times, row)),
  };
}
