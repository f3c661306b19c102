// The machine's practical limit: a large square MatMul in onnxruntime-node, built as a one-node
// spec (linear without bias, which the ort backend lowers to a single MatMul/Gemm).
import { createBackend } from '@tessera/backend-ort';
import { initWeights, parseSpec, randomInputs } from '@tessera/spec';
import { measure } from './measure.js';
import type { Limit } from './run.js';

export async function matmulLimit(n = 1024, minTimeMs = 1000): Promise<Limit> {
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
  const t = await measure(() => model.run(inputs), { minTimeMs, minRuns: 10 });
  await model.dispose();
  return {
    label: `onnxruntime-node MatMul ${n}×${n}`,
    n,
    medianMs: t.medianMs,
    gflops: (2 * n ** 3) / (t.medianMs / 1000) / 1e9,
  };
}
