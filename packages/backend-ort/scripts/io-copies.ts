// What onnxruntime-node does with a big tensor at the JS boundary, for README "Decoding": a 16 MB
// input to a graph with a scalar output, and a 16 MB output of a graph with a 16 MB input. ORT's
// own time for the run (the `model_run` event of its profiler) against session.run's in JS: what
// is left is the binding's work on the inputs and outputs.
//   npx tsx --conditions=@tessera/source scripts/io-copies.ts
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { type Attr, GraphBuilder, int, valueInfo } from '../src/graph-builder.js';

const n = 4 * 1024 * 1024;
const runs = 30;

function graph(op: 'Relu' | 'ReduceMax'): Uint8Array {
  const b = new GraphBuilder(21);
  const attrs: Record<string, Attr> = op === 'ReduceMax' ? { keepdims: int(0) } : {};
  b.op(op, ['x'], 'y', attrs, { outputs: [{ name: 'y' }] });
  return b.encode({
    name: op,
    inputs: [valueInfo('x', 'float32', [n])],
    outputs: [valueInfo('y', 'float32', op === 'Relu' ? [n] : [])],
    producerName: 'tessera',
    producerVersion: '0',
    irVersion: 10,
    metadata: {},
  });
}

async function measure(label: string, bytes: Uint8Array) {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-io-'));
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: 1,
    enableProfiling: true,
    profileFilePrefix: join(dir, 'ort'),
  });
  const x = new ort.Tensor('float32', new Float32Array(n).fill(1), [n]);
  let wall = 0;
  let cpu = 0;
  for (let i = 0; i <= runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await session.run({ x });
    const c = process.cpuUsage(c0);
    if (i > 0) {
      wall += performance.now() - t0;
      cpu += (c.user + c.system) / 1000;
    }
    r.y.dispose();
  }
  session.endProfiling();
  await session.release();
  const [file] = (await readdir(dir)).filter((f) => f.endsWith('.json'));
  const events = JSON.parse(await readFile(join(dir, file), 'utf8')) as {
    name?: string;
    dur?: number;
  }[];
  await rm(dir, { recursive: true, force: true });
  const own = events.filter((e) => e.name === 'model_run').slice(1);
  const ortMs = own.reduce((a, e) => a + e.dur! / 1000, 0) / own.length;
  console.log(
    `${label}: session.run ${(wall / runs).toFixed(2)} ms (CPU ${(cpu / runs).toFixed(2)} ms), ORT's model_run ${ortMs.toFixed(2)} ms`,
  );
}

console.log(`onnxruntime-node ${ort.env.versions.node ?? ''}, ${runs} runs each, 1 thread`);
await measure('16 MB in, scalar out', graph('ReduceMax'));
await measure('16 MB in, 16 MB out', graph('Relu'));
