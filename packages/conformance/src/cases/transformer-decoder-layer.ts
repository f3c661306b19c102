// nn.TransformerDecoderLayer on [tgt, memory]: a target of 5 positions over a memory of 7, pre-
// and post-norm, relu and gelu, causal or not, with PyTorch's weight names (its decomposition
// reads the same weights; the reference and PyTorch agree in backend-reference's
// seq2seq-torch test).
import type { NodeInput } from '@tessera/spec';
import type { ConformanceCase } from '../case.js';
import { defineCase } from './define.js';

/**
 * A decoder layer (dModel 8, 2 heads, feed-forward 12) on a target of `time` over a memory of
 * `memTime`; `lengths` adds an int32 [batch] input per name with the values given (the layer's
 * `lengths` and `memoryLengths` attributes name them).
 */
export function decoderLayerCase(
  name: string,
  attrs: Record<string, unknown>,
  o: {
    time?: number;
    memTime?: number;
    batch?: number;
    description?: string;
    lengths?: Record<string, number[]>;
  } = {},
): ConformanceCase {
  const lengthsInputs = Object.fromEntries(
    Object.keys(o.lengths ?? {}).map((k) => [k, { dtype: 'int32' as const, shape: ['batch'] }]),
  );
  return defineCase(`transformerDecoderLayer/${name}`, {
    ...(o.description !== undefined ? { description: o.description } : {}),
    inputs: {
      tgt: { shape: ['batch', 'time', 8] },
      memory: { shape: ['batch', 'memTime', 8] },
      ...lengthsInputs,
    },
    nodes: [
      {
        id: 'dec',
        op: 'transformerDecoderLayer',
        input: ['tgt', 'memory'],
        dModel: 8,
        nhead: 2,
        dimFeedforward: 12,
        ...attrs,
      } as NodeInput,
    ],
    bindings: { batch: o.batch ?? 2, time: o.time ?? 5, memTime: o.memTime ?? 7 },
    ...(o.lengths !== undefined ? { lengths: o.lengths } : {}),
  });
}

const layer = (name: string, attrs: Record<string, unknown>, time = 5, memTime = 7) =>
  decoderLayerCase(name, attrs, { time, memTime });

export const transformerDecoderLayerCases = [
  layer('post-norm-relu-causal', { normFirst: false, activation: 'relu', causal: true }),
  layer('post-norm-gelu', { normFirst: false, activation: 'gelu' }),
  layer('pre-norm-relu', { normFirst: true, activation: 'relu' }),
  layer('pre-norm-gelu-causal', { normFirst: true, activation: 'gelu', causal: true }),
  layer('no-bias', { normFirst: true, bias: false, causal: true }),
  layer('memory-shorter', { causal: true }, 6, 2),
  layer('time1', { normFirst: true, causal: true }, 1, 3),
  layer('weight-prefix', { causal: true, weightPrefix: 'transformer.decoder.layers.0' }),
];
