// Every conformance case exported by toOnnx (the portable flavour), at opset 17 and at the
// default, then run by a plain onnxruntime-node InferenceSession with graph optimisations off
// (ORT's fusions would hide what the file itself says) and judged against the float64 reference
// with conformance's tolerance, as a cell of the backend would be. The label is `ort:node`, so
// ORT's own listed misses (NaN dropped by its MaxPool and recurrences) apply here too.
import type { Backend, Tensor } from '@tessera/spec';
import type { ConformanceCase } from '@tessera/conformance';
import { conformanceTests } from '@tessera/conformance/vitest';
import * as ort from 'onnxruntime-node';
import {
  DEFAULT_OPSET,
  MAX_OPSET,
  MIN_OPSET,
  supports,
  type ToOnnxOptions,
  toOnnx,
} from '../src/compile.js';

/** A backend whose compile is `toOnnx` and whose run is a fresh session over those bytes. */
function exportedModels(): Backend {
  return {
    name: 'ort',
    variant: 'node',
    supports,
    async compile(spec, weights, options = {}) {
      const { limits: _, ...onnxOptions } = options;
      const bytes = toOnnx(spec, weights, onnxOptions as ToOnnxOptions);
      const session = await ort.InferenceSession.create(bytes, {
        graphOptimizationLevel: 'disabled',
        intraOpNumThreads: 1,
      });
      // The file's inputs and outputs are the spec's, in the spec's order.
      const inputs = Object.keys(spec.inputs);
      const outputs = Object.keys(spec.outputs);
      return {
        async run(given: Record<string, Tensor>) {
          const feeds = Object.fromEntries(
            inputs.map((name, k) => {
              const t = given[name];
              return [session.inputNames[k], new ort.Tensor(t.dtype, t.data, t.shape)];
            }),
          );
          const results = await session.run(feeds);
          return Object.fromEntries(
            outputs.map((name, k) => {
              const r = results[session.outputNames[k]];
              const dtype = r.type === 'int32' ? 'int32' : 'float32';
              return [name, { dtype, shape: [...r.dims], data: r.data } as Tensor];
            }),
          );
        },
        dispose: () => session.release(),
      };
    },
  };
}

for (const opset of [17, DEFAULT_OPSET])
  conformanceTests('ort:node', async () => exportedModels(), {
    compileOptions: { flavour: 'portable', opset },
    kinds: ['run'],
  });

// Every other opset onnxruntime 1.30 runs, on the cases whose graph depends on it: Gelu (20),
// ReduceMean's axes (18), RMSNormalization (23) and the Attention operator (23, 'onnx-attention',
// lowered to the decomposition below it); and the 'ort' flavour at the oldest opset.
const opsetSensitive = (c: ConformanceCase) =>
  c
    .spec()
    .nodes.some((n) =>
      ['gelu', 'mean', 'rmsNorm', 'multiHeadAttention', 'transformerEncoderLayer'].includes(n.op),
    );
for (let opset = MIN_OPSET + 1; opset <= MAX_OPSET; opset++) {
  if (opset === DEFAULT_OPSET) continue;
  conformanceTests('ort:node', async () => exportedModels(), {
    compileOptions: { flavour: 'portable', opset, attention: 'onnx-attention' },
    filter: opsetSensitive,
    kinds: ['run'],
  });
}
conformanceTests('ort:node', async () => exportedModels(), {
  compileOptions: { flavour: 'ort', opset: MIN_OPSET },
  filter: opsetSensitive,
  kinds: ['run'],
});
