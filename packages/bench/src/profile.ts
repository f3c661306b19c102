// Where the time goes: one model on one backend variant, and its peer, split by op. Each runtime
// is asked in its own terms: tfjs's `tf.profile` (time per tfjs kernel), ONNX Runtime's profiler
// (time per graph node, summed by ONNX op type) and gpu.js through the backend's `onKernelRun`
// hook (time per kernel, summed by spec op). The splits explain a ratio in the bench table; the
// runs are slower than unprofiled ones (a timer per kernel), so the totals are not bench figures.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Backend,
  countFlops,
  expandComposites,
  initWeights,
  type Tensor,
  type Weights,
} from '@tessera/spec';
import { type BenchModel, benchInputs } from './models.js';
import { handGraph, kerasPeer, ortFeeds } from './peers.js';

export interface OpTime {
  /** A tfjs kernel (`_FusedMatMul`), an ONNX op type (`MatMul`) or a spec op (`linear`). */
  op: string;
  /** Time per forward pass. */
  ms: number;
  /** Calls per forward pass. */
  calls: number;
  /** Achieved GFLOP/s, where the split is by spec op (FLOPs from `countFlops`). */
  gflops?: number;
}

export interface Profile {
  /** `gpujs:webasm`, `tf.layers on tfjs-wasm`, ... */
  label: string;
  /** What `op` names: 'tfjs kernel', 'ONNX op' or 'spec op'. */
  unit: string;
  /** Forward passes profiled (after one untimed warm-up). */
  runs: number;
  /** Σ of the op times per forward pass. */
  totalMs: number;
  /** Slowest first. */
  ops: OpTime[];
}

export interface ProfilePair {
  model: string;
  backend: string;
  tessera: Profile;
  peer?: Profile;
}

/** Backend variants `profileModel` can split by op. */
export const profiledBackends = ['tfjs:cpu', 'tfjs:wasm', 'ort:node', 'gpujs:cpu', 'gpujs:webasm'];

class Tally {
  private readonly byOp = new Map<string, { ms: number; calls: number }>();
  add(op: string, ms: number): void {
    const t = this.byOp.get(op) ?? { ms: 0, calls: 0 };
    t.ms += ms;
    t.calls += 1;
    this.byOp.set(op, t);
  }
  profile(label: string, unit: string, runs: number): Profile {
    const ops = [...this.byOp]
      .map(([op, t]) => ({ op, ms: t.ms / runs, calls: t.calls / runs }))
      .sort((a, b) => b.ms - a.ms);
    return { label, unit, runs, totalMs: ops.reduce((s, o) => s + o.ms, 0), ops };
  }
}

/** Time per tfjs kernel of `runs` calls of `fn`, from `tf.profile`. */
async function tfProfile(label: string, runs: number, fn: () => Promise<unknown>) {
  const tf = await import('@tensorflow/tfjs');
  await fn(); // warm-up: kernels compile and caches fill outside the profile
  const tally = new Tally();
  for (let r = 0; r < runs; r++) {
    const info = await tf.profile(async () => {
      await fn();
      return [];
    });
    for (const k of info.kernels) {
      // `<op>__op` entries are scopes of ops with a custom gradient (fused.matMul, ...): their time
      // is the kernels inside them, which are listed on their own.
      if (k.name.endsWith('__op')) continue;
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      tally.add(k.name, ms);
    }
  }
  return tally.profile(label, 'tfjs kernel', runs);
}

/**
 * Time per ONNX op type of `runs` runs of a graph on onnxruntime-node, from ORT's own profiler
 * (`enableProfiling`: a Chrome trace whose `Node` events carry each node's kernel time).
 */
async function ortProfile(
  label: string,
  runs: number,
  bytes: Uint8Array,
  feeds: Record<string, Tensor>,
) {
  const ort = await import('onnxruntime-node');
  const dir = await mkdtemp(join(tmpdir(), 'tessera-ort-profile-'));
  try {
    const session = await ort.InferenceSession.create(bytes, {
      graphOptimizationLevel: 'all',
      intraOpNumThreads: availableParallelism(),
      executionProviders: ['cpu'],
      enableProfiling: true,
      profileFilePrefix: join(dir, 'ort'),
    });
    const tensors = ortFeeds(ort, feeds);
    // The first run is a warm-up: its node events (inside the first `model_run`) are dropped below.
    for (let r = 0; r <= runs; r++) await session.run(tensors);
    session.endProfiling();
    await session.release();
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
    if (files.length !== 1) throw new Error(`ORT wrote ${files.length} profiles, expected one`);
    const events = JSON.parse(await readFile(join(dir, files[0]), 'utf8')) as {
      cat?: string;
      name?: string;
      dur?: number;
      ts?: number;
      args?: { op_name?: string };
    }[];
    // Runs are `model_run` Session events; node events inside the first one are the warm-up's.
    const firstRun = events.find((e) => e.cat === 'Session' && e.name === 'model_run');
    const warmupEnd = firstRun ? firstRun.ts! + firstRun.dur! : Number.NEGATIVE_INFINITY;
    const tally = new Tally();
    for (const e of events) {
      if (e.cat !== 'Node' || !e.name?.endsWith('_kernel_time') || e.ts! <= warmupEnd) continue;
      tally.add(e.args?.op_name ?? 'unknown', e.dur! / 1000);
    }
    return tally.profile(label, 'ONNX op', runs);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Profiles `model` on `backend` (a started Tessera backend whose label is `backendLabel`) and, where
 * one applies, on its peer: the hand-built fused ORT graph (ort:node), the hand-written tf.layers
 * model (tfjs variants) or that model on tfjs-wasm (gpujs variants).
 */
export async function profileModel(
  model: BenchModel,
  backendLabel: string,
  backend: Backend,
  runs = 3,
): Promise<ProfilePair> {
  if (!profiledBackends.includes(backendLabel))
    throw new Error(
      `profiles are taken on ${profiledBackends.join(', ')}; ${backendLabel} has no per-op timer here`,
    );
  const weights: Weights = initWeights(model.spec, 1);
  const inputs = benchInputs(model);
  const [runtime, variant] = backendLabel.split(':');
  const keras = model.preset !== 'speechRecognizer';
  if (runtime === 'ort') {
    const { buildGraph } = await import('@tessera/backend-ort');
    const tessera = await ortProfile(
      backendLabel,
      runs,
      buildGraph(model.spec, weights).bytes,
      inputs,
    );
    const hand = model.preset === 'transformerLM' || model.preset === 'lstm';
    const peer = hand
      ? await ortProfile(
          'hand-built ORT fused graph',
          runs,
          await handGraph(model, weights),
          inputs,
        )
      : undefined;
    return { model: model.id, backend: backendLabel, tessera, peer };
  }
  if (runtime === 'tfjs') {
    const compiled = await backend.compile(model.spec, weights);
    const tessera = await tfProfile(backendLabel, runs, () => compiled.run(inputs));
    await compiled.dispose();
    const peer = keras
      ? await profilePeer(model, weights, variant as 'cpu' | 'wasm', runs)
      : undefined;
    return { model: model.id, backend: backendLabel, tessera, peer };
  }
  const tally = new Tally();
  let on = false;
  const compiled = await backend.compile(model.spec, weights, {
    onKernelRun: (k: { op: string; ms: number }) => {
      if (on) tally.add(k.op, k.ms);
    },
  });
  await compiled.run(inputs);
  on = true;
  for (let r = 0; r < runs; r++) await compiled.run(inputs);
  await compiled.dispose();
  const tessera = tally.profile(backendLabel, 'spec op', runs);
  // FLOPs per op of the graph the backend runs (transformerEncoderLayer expanded into its parts).
  const graph = expandComposites(model.spec, (op) => op === 'transformerEncoderLayer');
  const flops = new Map<string, number>();
  for (const n of countFlops(graph, model.bindings).nodes)
    flops.set(n.op, (flops.get(n.op) ?? 0) + n.flops);
  for (const o of tessera.ops) {
    const f = flops.get(o.op) ?? 0;
    if (f > 0 && o.ms > 0) o.gflops = f / (o.ms / 1000) / 1e9;
  }
  const peer = keras ? await profilePeer(model, weights, 'wasm', runs) : undefined;
  return { model: model.id, backend: backendLabel, tessera, peer };
}

async function profilePeer(
  model: BenchModel,
  weights: Weights,
  variant: 'cpu' | 'wasm',
  runs: number,
): Promise<Profile> {
  const prepared = await kerasPeer(model, weights, variant);
  try {
    return await tfProfile(`tf.layers on tfjs-${variant}`, runs, () => prepared.run());
  } finally {
    await prepared.dispose();
  }
}

const fmtMs = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(3));

/** The profile's columns: op, calls, ms, share, and GFLOP/s where the ops have FLOP counts. */
function columns(p: Profile): string[] {
  const head = [`${p.label} ${p.unit}`, 'calls', 'ms', 'share'];
  return p.ops.some((o) => o.gflops !== undefined) ? [...head, 'GFLOP/s'] : head;
}

function cells(p: Profile | undefined, i: number, top: number): string[] {
  if (p === undefined) return [];
  const width = columns(p).length;
  const share = (ms: number) => `${((100 * ms) / p.totalMs).toFixed(1)}%`;
  const calls = (n: number) => String(Math.round(n * 10) / 10);
  let row: string[] = [];
  if (i < top && i < p.ops.length) {
    const o = p.ops[i];
    row = [o.op, calls(o.calls), fmtMs(o.ms), share(o.ms), o.gflops?.toFixed(2) ?? ''];
  } else if (i === top && p.ops.length > top) {
    const rest = p.ops.slice(top);
    const ms = rest.reduce((s, o) => s + o.ms, 0);
    const n = rest.reduce((s, o) => s + o.calls, 0);
    row = [`${rest.length} others`, calls(n), fmtMs(ms), share(ms)];
  }
  return Array.from({ length: width }, (_, c) => row[c] ?? '');
}

interface ProfileTable {
  title: string;
  header: string[];
  rows: string[][];
  /** Index of the peer's first column (header.length when there is no peer). */
  peerStart: number;
}

/** Tessera's split and the peer's side by side, the `top` slowest ops each, then the rest. */
function profileTable(pair: ProfilePair, top: number): ProfileTable {
  const { tessera, peer } = pair;
  const title =
    `${pair.model}: ${tessera.label} ${fmtMs(tessera.totalMs)} ms per forward pass ` +
    `(Σ of ${tessera.unit} times, ${tessera.runs} passes)` +
    (peer ? `; ${peer.label} ${fmtMs(peer.totalMs)} ms (Σ of ${peer.unit} times)` : '');
  const header = [...columns(tessera), ...(peer ? columns(peer) : [])];
  const rows: string[][] = [];
  const n = Math.min(top + 1, Math.max(tessera.ops.length, peer?.ops.length ?? 0));
  for (let i = 0; i < n; i++) rows.push([...cells(tessera, i, top), ...cells(peer, i, top)]);
  return { title, header, rows, peerStart: columns(tessera).length };
}

export function renderProfileMarkdown(pairs: ProfilePair[], top = 8): string {
  return pairs
    .map((pair) => {
      const t = profileTable(pair, top);
      const line = (cols: string[]) => `| ${cols.join(' | ')} |`;
      return [
        `#### ${t.title}`,
        '',
        line(t.header),
        line(t.header.map(() => '---')),
        ...t.rows.map(line),
        '',
      ].join('\n');
    })
    .join('\n');
}

/** The same tables, padded, for a terminal. */
export function renderProfileTerminal(pairs: ProfilePair[], top = 8): string {
  return pairs
    .map((pair) => {
      const t = profileTable(pair, top);
      const all = [t.header, ...t.rows];
      const widths = t.header.map((_, c) => Math.max(...all.map((r) => r[c].length)));
      const isName = (c: number) => c === 0 || c === t.peerStart;
      // Names left, numbers right; two spaces between columns, four between the two profiles.
      const line = (r: string[]) =>
        r
          .map((v, c) => (isName(c) ? v.padEnd(widths[c]) : v.padStart(widths[c])))
          .map((v, c) => (c === t.peerStart ? `  ${v}` : v))
          .join('  ')
          .trimEnd();
      return [t.title, ...all.map(line), ''].join('\n');
    })
    .join('\n');
}
