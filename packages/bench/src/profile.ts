// Where the time goes: one model on one backend variant, and its peer, split by op. Each runtime
// is asked in its own terms, by the profiler its manifest names (tfjs's `tf.profile` per kernel,
// ONNX Runtime's profiler per graph node summed by ONNX op type, gpu.js's `onKernelRun` hook per
// kernel summed by spec op) and by its peer's `profile`. The splits explain a ratio in the bench
// table; the runs are slower than unprofiled ones (a timer per kernel), so the totals are not
// bench figures.
import { type Backend, countFlops, initWeights, type OpCall, type Weights } from '@tessera/spec';
import { type BenchModel, benchInputs } from './models.js';
import { defaultPeers } from './peers.js';
import { type BackendEntry, type PeerTable, peerOf } from './run.js';

/** One op's share of a forward pass: time, calls and, by spec op, GFLOP/s. */
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

/** A forward pass split by op, in one runtime's terms (tfjs kernel, ONNX op or spec op). */
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

/** A model's profile on a variant, beside its peer's where there is one. */
export interface ProfilePair {
  model: string;
  backend: string;
  tessera: Profile;
  peer?: Profile;
}

/** Calls summed by op and divided by the passes: time and calls per forward pass. */
function tally(calls: OpCall[], label: string, unit: string, runs: number): Profile {
  const byOp = new Map<string, { ms: number; calls: number }>();
  for (const c of calls) {
    const t = byOp.get(c.op) ?? { ms: 0, calls: 0 };
    t.ms += c.ms;
    t.calls += 1;
    byOp.set(c.op, t);
  }
  const ops = [...byOp]
    .map(([op, t]) => ({ op, ms: t.ms / runs, calls: t.calls / runs }))
    .sort((a, b) => b.ms - a.ms);
  return { label, unit, runs, totalMs: ops.reduce((s, o) => s + o.ms, 0), ops };
}

/**
 * Profiles `model` on `backend` (the started variant of `entry`) with the profiler its manifest
 * names and, where its manifest names a peer that has this model, on that peer.
 */
export async function profileModel(
  model: BenchModel,
  entry: Pick<BackendEntry, 'label' | 'variant'>,
  backend: Backend,
  runs = 3,
  peers: PeerTable = defaultPeers,
): Promise<ProfilePair> {
  const load = entry.variant?.profiler;
  if (load === undefined)
    throw new Error(
      `${entry.label} has no per-op timer: its manifest names no profiler for this variant`,
    );
  const profiler = await load();
  const weights: Weights = initWeights(model.spec, 1);
  const inputs = benchInputs(model);
  const { calls, graph } = await profiler.profile({
    backend,
    spec: model.spec,
    weights,
    inputs,
    runs,
  });
  const tessera = tally(calls, entry.label, profiler.unit, runs);
  if (graph !== undefined) {
    // Split by spec op: FLOPs per op of the graph the backend ran.
    const flops = new Map<string, number>();
    for (const n of countFlops(graph, model.bindings).nodes)
      flops.set(n.op, (flops.get(n.op) ?? 0) + n.flops);
    for (const o of tessera.ops) {
      const f = flops.get(o.op) ?? 0;
      if (f > 0 && o.ms > 0) o.gflops = f / (o.ms / 1000) / 1e9;
    }
  }
  const peer = peerOf(peers, entry.variant?.peer, model);
  const theirs = await peer?.profile?.(model, weights, runs);
  return {
    model: model.id,
    backend: entry.label,
    tessera,
    ...(peer !== undefined && theirs !== undefined
      ? { peer: tally(theirs.calls, peer.label, theirs.unit, runs) }
      : {}),
  };
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

/** Profiles as Markdown tables, the `top` slowest ops of each side by side with its peer's. */
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
