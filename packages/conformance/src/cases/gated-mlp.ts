import type { ConformanceCase } from '../case.js';
import { seq, seqBindings, unaryCase } from './define.js';

const activations = ['silu', 'gelu', 'geluTanh'] as const;

// LLaMA's gated feed-forward: each activation with and without biases.
export const gatedMlpCases: ConformanceCase[] = [
  ...activations.flatMap((activation) =>
    [false, true].map((bias) =>
      unaryCase(
        `gatedMlp/${activation}${bias ? '-bias' : ''}`,
        seq(8),
        { id: 'mlp', op: 'gatedMlp', hiddenSize: 8, intermediateSize: 20, activation, bias },
        { bindings: seqBindings(4) },
      ),
    ),
  ),
  unaryCase(
    'gatedMlp/rank2-weight-prefix',
    ['batch', 6],
    {
      id: 'mlp',
      op: 'gatedMlp',
      hiddenSize: 6,
      intermediateSize: 16,
      weightPrefix: 'model.layers.0.mlp',
    },
    { description: 'rows [batch, hidden], weights under the module path', bindings: { batch: 3 } },
  ),
];
