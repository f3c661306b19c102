import type { NodeInput } from '@tessera/spec';
import { seq, seqBindings, unaryCase } from './define.js';

const layer = (name: string, attrs: Record<string, unknown>, time = 5) =>
  unaryCase(
    `transformerEncoderLayer/${name}`,
    seq(8),
    {
      id: 'enc',
      op: 'transformerEncoderLayer',
      dModel: 8,
      nhead: 2,
      dimFeedforward: 12,
      ...attrs,
    } as NodeInput,
    {
      bindings: seqBindings(time),
    },
  );

export const transformerEncoderLayerCases = [
  layer('post-norm-relu', { normFirst: false, activation: 'relu' }),
  layer('post-norm-gelu', { normFirst: false, activation: 'gelu' }),
  layer('pre-norm-relu', { normFirst: true, activation: 'relu' }),
  layer('pre-norm-gelu', { normFirst: true, activation: 'gelu' }),
  layer('pre-norm-gelu-causal', { normFirst: true, activation: 'gelu', causal: true }, 6),
  layer('post-norm-relu-causal', { normFirst: false, activation: 'relu', causal: true }, 6),
  layer('no-bias', { normFirst: true, activation: 'gelu', bias: false }),
  layer('eps', { normFirst: false, layerNormEps: 1e-3 }),
  layer('time1', { normFirst: true, causal: true }, 1),
  // A nested module's state_dict: every sub-module's weights under encoder.layers.0.
  layer('weight-prefix', { normFirst: true, activation: 'gelu', weightPrefix: 'encoder.layers.0' }),
];
