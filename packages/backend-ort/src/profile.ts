// bench --profile on ORT: the time of every graph node of a forward pass, summed by ONNX op type,
// from ORT's own profiler (`enableProfiling`: a Chrome trace whose `Node` events carry each node's
// kernel time). The trace is written to a file, so this runs on onnxruntime-node only.
import type { OpCall, Profiler, Tensor } from '@tessera/spec';
import type * as Ort from 'onnxruntime-node';
import { buildGraph } from './compile.js';

// Variable specifiers keep bundlers from following these into a browser bundle (backend.ts does
// the same).
const NODE_RUNTIME = 'onnxruntime-node';
const NODE_FS = 'node:fs/promises';
const NODE_OS = 'node:os';
const NODE_PATH = 'node:path';

const load = <T>(specifier: string): Promise<T> =>
  import(/* @vite-ignore */ /* webpackIgnore: true */ specifier) as Promise<T>;

interface TraceEvent {
  cat?: string;
  name?: string;
  dur?: number;
  ts?: number;
  args?: { op_name?: string };
}

/** Every node of `runs` runs of an ONNX graph on onnxruntime-node (after one untimed run). */
export async function profileOnnx(
  bytes: Uint8Array,
  inputs: Record<string, Tensor>,
  runs: number,
): Promise<OpCall[]> {
  const imported = await load<typeof Ort & { default?: typeof Ort }>(NODE_RUNTIME);
  const ort = imported.default ?? imported;
  const fs = await load<typeof import('node:fs/promises')>(NODE_FS);
  const os = await load<typeof import('node:os')>(NODE_OS);
  const path = await load<typeof import('node:path')>(NODE_PATH);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tessera-ort-profile-'));
  try {
    const session = await ort.InferenceSession.create(bytes, {
      graphOptimizationLevel: 'all',
      intraOpNumThreads: os.availableParallelism(),
      executionProviders: ['cpu'],
      enableProfiling: true,
      profileFilePrefix: path.join(dir, 'ort'),
    });
    const feeds = Object.fromEntries(
      Object.entries(inputs).map(([k, t]) => [k, new ort.Tensor(t.dtype, t.data, t.shape)]),
    );
    // The first run is a warm-up: its node events (inside the first `model_run`) are dropped below.
    for (let r = 0; r <= runs; r++) await session.run(feeds);
    session.endProfiling();
    await session.release();
    const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.json'));
    if (files.length !== 1) throw new Error(`ORT wrote ${files.length} profiles, expected one`);
    const events = JSON.parse(await fs.readFile(path.join(dir, files[0]), 'utf8')) as TraceEvent[];
    // Runs are `model_run` Session events; node events inside the first one are the warm-up's.
    const firstRun = events.find((e) => e.cat === 'Session' && e.name === 'model_run');
    const warmupEnd = firstRun ? firstRun.ts! + firstRun.dur! : Number.NEGATIVE_INFINITY;
    return events
      .filter((e) => e.cat === 'Node' && e.name?.endsWith('_kernel_time') && e.ts! > warmupEnd)
      .map((e) => ({ op: e.args?.op_name ?? 'unknown', ms: e.dur! / 1000 }));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Tessera's graph of the spec, profiled as above (the started backend is not needed). */
export const profiler: Profiler = {
  unit: 'ONNX op',
  async profile({ spec, weights, inputs, runs }) {
    return { calls: await profileOnnx(buildGraph(spec, weights).bytes, inputs, runs) };
  },
};
