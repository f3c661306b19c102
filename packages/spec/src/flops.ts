// Floating-point operation counts per node, from the spec and the bound shapes, for benchmark
// reports (achieved GFLOP/s). Convention: a multiply-add is 2 FLOPs (so a matmul [m,k]·[k,n] is
// 2mkn); every other elementwise arithmetic or transcendental function is 1 FLOP per element;
// gathers, copies, reshapes and permutes are 0. Reductions count one FLOP per element reduced.
import { inferShapes } from './graph.js';
import { convGeometry } from './ops/conv.js';
import { poolGeometry } from './ops/pool.js';
import type { NodeSpec } from './ops/registry.js';
import type { ModelSpec } from './schema.js';
import { numel } from './tensor.js';

export interface NodeFlops {
  id: string;
  op: string;
  flops: number;
}

/** Recurrence FLOPs for `steps` steps of one direction of one layer. */
function recurrentStep(
  op: 'rnn' | 'lstm' | 'gru',
  input: number,
  h: number,
  batch: number,
  bias: boolean,
): number {
  const gates = op === 'rnn' ? 1 : op === 'lstm' ? 4 : 3;
  const matmuls = 2 * batch * gates * h * (input + h);
  const biases = bias ? 2 * batch * gates * h : 0;
  // rnn: activation; lstm: 4 gate activations, c = f·c + i·g (3), tanh(c), h = o·tanh(c);
  // gru: 3 activations, r·(W_hn h + b_hn), n's add, (1 − z)·n + z·h (4).
  const pointwise = op === 'rnn' ? 1 : op === 'lstm' ? 4 + 3 + 1 + 1 : 3 + 2 + 4;
  return matmuls + biases + pointwise * batch * h;
}

export function nodeFlops(node: NodeSpec, inShapes: number[][], outShape: number[]): number {
  const inN = inShapes.length > 0 ? numel(inShapes[0]) : 0;
  const outN = numel(outShape);
  switch (node.op) {
    case 'linear': {
      const rows = outN / node.outFeatures;
      return 2 * rows * node.inFeatures * node.outFeatures + (node.bias ? outN : 0);
    }
    case 'conv1d':
    case 'conv2d': {
      const n = node.op === 'conv1d' ? 1 : 2;
      const k = convGeometry(node, n).kernel.reduce((p, q) => p * q, 1);
      return 2 * outN * (node.inChannels / node.groups) * k + (node.bias ? outN : 0);
    }
    case 'maxPool1d':
    case 'maxPool2d':
    case 'avgPool1d':
    case 'avgPool2d': {
      const n = node.op.endsWith('1d') ? 1 : 2;
      const k = poolGeometry(node as never, n).kernel.reduce((p, q) => p * q, 1);
      return outN * k;
    }
    case 'globalAvgPool':
      return inN;
    case 'embedding':
    case 'dropout':
    case 'flatten':
    case 'reshape':
    case 'permute':
    case 'select':
    case 'concat':
      return 0;
    case 'positionalEmbedding':
    case 'relu':
    case 'tanh':
    case 'sigmoid':
    case 'add':
    case 'mul':
      return outN;
    case 'silu':
      return 2 * outN;
    case 'gelu':
      return (node.approximate === 'tanh' ? 8 : 5) * outN;
    case 'softmax':
      return 4 * outN; // max, subtract + exp, sum, divide
    case 'logSoftmax':
      return 4 * outN;
    case 'mean':
      return inN;
    case 'layerNorm':
    case 'rmsNorm':
    case 'batchNorm':
      // mean, centre, square, variance, normalise, scale, shift (batchNorm: 4 with stored stats)
      return (node.op === 'batchNorm' ? 4 : node.op === 'rmsNorm' ? 5 : 7) * outN;
    case 'rnn':
    case 'lstm':
    case 'gru': {
      const [batch, time] = inShapes[0];
      const dirs = node.bidirectional ? 2 : 1;
      let total = 0;
      for (let layer = 0; layer < node.numLayers; layer++) {
        const input = layer === 0 ? node.inputSize : dirs * node.hiddenSize;
        total += dirs * time * recurrentStep(node.op, input, node.hiddenSize, batch, node.bias);
      }
      return total;
    }
    case 'multiHeadAttention':
      return attentionFlops(inShapes[0], node.embedDim, node.bias, node.numHeads);
    case 'transformerEncoderLayer': {
      const [b, t, d] = inShapes[0];
      const tokens = b * t;
      const ff =
        2 * tokens * d * node.dimFeedforward * 2 +
        (node.bias ? tokens * (node.dimFeedforward + d) : 0);
      const act = (node.activation === 'gelu' ? 5 : 1) * tokens * node.dimFeedforward;
      return (
        attentionFlops(inShapes[0], d, node.bias, node.nhead) +
        ff +
        act +
        2 * 7 * tokens * d +
        2 * tokens * d
      );
    }
  }
}

function attentionFlops([b, t, e]: number[], embed: number, bias: boolean, heads: number): number {
  const tokens = b * t;
  const proj = 2 * tokens * embed * 3 * embed + (bias ? 3 * tokens * embed : 0);
  const scores = 2 * b * t * t * e; // Q·Kᵀ summed over heads: heads · t · t · d_k · 2
  const softmax = 4 * b * heads * t * t; // 4 FLOPs per score, heads · t · t scores per batch item
  const weighted = 2 * b * t * t * e;
  const out = 2 * tokens * embed * embed + (bias ? tokens * embed : 0);
  return proj + scores + softmax + weighted + out;
}

/** FLOPs of every node at the given bindings (every symbolic dim must be bound). */
export function countFlops(
  spec: ModelSpec,
  bindings: Record<string, number>,
): { total: number; nodes: NodeFlops[] } {
  const shapes = inferShapes(spec, bindings);
  const nodes = spec.nodes.map((node) => {
    const ins = node.input.map((r) => shapes.get(r)!.shape as number[]);
    const out = shapes.get(node.id)!.shape as number[];
    return { id: node.id, op: node.op, flops: nodeFlops(node, ins, out) };
  });
  return { total: nodes.reduce((s, n) => s + n.flops, 0), nodes };
}
