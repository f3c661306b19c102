// The machine's practical limit: a large square MatMul in onnxruntime-node, built as a one-node
// spec (linear without bias, which the ort backend lowers to a single MatMul/Gemm).
import { createBackend } from '@tessera/backend-ort';
import { initWeights, parseSpec, randomInputs } from '@tessera/spec';
import { measure } from './measure.js';
import type { Limit } from './run.js';

/** The limit's MatMul, ready to run: timed on its own or alongside each model (see runBench). */
export interface LimitProbe {
  label: string;
  n: number;
  /** FLOPs of one run. */
  flops: number;
  /** One MatMul. */
  run(): Promise<unknown>;
  /** Frees its compiled model. */
  dispose(): Promise<void>;
}

/** The limit's MatMul, n × n by n × n on onnxruntime-node (ort:node), ready to time. */
export async function matmulProbe(n = 1024): Promise<LimitProbe> {
  const spec = parseSpec({
    format: 'tessera.model/v1',
    name: 'matmul-limit',
    inputs: { a: { dtype: 'float32', shape: [n, n] } },
    outputs: { c: 'mm' },
    nodes: [{ id: 'mm', op: 'linear', inFeatures: n, outFeatures: n, bias: false }],
  });
  const model = await (await createBackend({ variant: 'node' })).compile(
    spec,
    initWeights(spec, 0),
  );
  const inputs = randomInputs(spec, {}, 0);
  return {
    label: `onnxruntime-node MatMul ${n}×${n}`,
    n,
    flops: 2 * n ** 3,
    run: () => model.run(inputs),
    dispose: () => model.dispose(),
  };
}

/** The limit's GFLOP/s from a median time of the probe. */
export function limitOf(probe: LimitProbe, medianMs: number): Limit {
  return {
    label: probe.label,
    n: probe.n,
    medianMs,
    gflops: probe.flops / (medianMs / 1000) / 1e9,
  };
}

/** Times the limit's MatMul on its own for at least `minTimeMs`: the machine's GFLOP/s. */
export async function matmulLimit(n = 1024, minTimeMs = 1000): Promise<Limit> {
  const probe = await matmulProbe(n);
  try {
    const t = await measure(probe.run, { minTimeMs, minRuns: 10 });
    return limitOf(probe, t.medianMs);
  } finally {
    await probe.dispose();
  }
}
