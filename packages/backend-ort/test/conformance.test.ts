// The whole conformance catalogue against the float64 reference, on both variants that run in
// Node.js. (webgpu needs a browser: the conformance-browser package runs it.) Then, per variant,
// the cases whose graph depends on a compile option, once per value: every attention path on the
// cases with attention or a LayerNorm or RMS norm (the com.microsoft paths fuse residual norms into
// SkipLayerNormalization / SkipSimplifiedLayerNormalization, and emit a lone rmsNorm below opset
// 23 as SimplifiedLayerNormalization, the portable paths decompose it), and both opsets on rmsNorm
// (RMSNormalization at 23).
import type { ConformanceCase } from '@tessera/conformance';
import { conformanceTests } from '@tessera/conformance/vitest';
import { attentionPaths, createBackend } from '../src/index.js';

const variants = ['node', 'wasm'] as const;

const uses = (ops: string[]) => (c: ConformanceCase) =>
  c.spec().nodes.some((n) => ops.includes(n.op));

for (const variant of variants)
  conformanceTests(`ort:${variant}`, () => createBackend({ variant }));

for (const variant of variants) {
  for (const attention of attentionPaths)
    conformanceTests(`ort:${variant}`, () => createBackend({ variant }), {
      filter: uses([
        'multiHeadAttention',
        'transformerEncoderLayer',
        'attention',
        'layerNorm',
        'rmsNorm',
      ]),
      compileOptions: { attention },
    });
  for (const opset of [21, 23])
    conformanceTests(`ort:${variant}`, () => createBackend({ variant }), {
      filter: uses(['rmsNorm']),
      compileOptions: { opset },
    });
}
